"""Social cards (SPEC §10): the 1200×630 PNG that ``og:image`` names, one per brief page.

A card shows what a link preview needs to be recognised: the site, the page's
language, its first topic, the title and the date written for its readers. It
is drawn with Pillow from fonts shipped in the package (``assets/fonts``), so a
build downloads nothing and draws the same pixels on every machine.

A card is a pure function of :class:`Card`; :func:`card_key` names that input,
so a card is drawn once and taken from the cache (or the last build's output)
until its title, date, labels or this design change.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import astuple, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core.i18n import Translator, language_name
from ..core.model import Brief
from ..core.settings import Settings

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1200, 630
FONTS_DIR = Path(__file__).parent.parent / "assets" / "fonts"
TITLE_FONT = FONTS_DIR / "DejaVuSans-Bold.ttf"
TEXT_FONT = FONTS_DIR / "DejaVuSans.ttf"
#: Part of every card's key: change it with the drawing below, so old cards are drawn again.
DESIGN = "card-4"
#: The site's indigo, and white: the card is drawn in 16 shades between the two.
BACKGROUND = (26, 35, 126)
FOREGROUND = (255, 255, 255)
MARGIN = 80
#: Title sizes tried in turn until the title fits in ``TITLE_LINES`` lines.
TITLE_SIZES = (64, 56, 48, 42)
TITLE_LINES = 4
LOGO_WIDTH, LOGO_HEIGHT = 600, 60
#: Where the publisher's logo is published (drawn with the cards).
LOGO_PATH = "assets/briefs/logo.png"


@dataclass(frozen=True)
class Card:
    """What one card shows, in the page's language."""

    title: str
    date: str
    language: str
    topic: str
    site_name: str
    lang: str


def draws_card(brief: Brief, settings: Settings) -> bool:
    """Whether a brief page gets a drawn card: a photo is what link previews show where there is one (SPEC §11)."""
    image = brief.image
    return settings.social_cards and (image is None or image.src.lower().endswith(".svg"))


def card_path(brief: Brief) -> str:
    """Where a brief page's card is published (``cards/en/2026/01/23/slug.png``).

    Outside the brief's own folder, where a writer's image of any name may lie.
    """
    return f"cards/{brief.url.rstrip('/')}.png"


def card_for(brief: Brief, settings: Settings) -> Card:
    t = Translator(brief.lang)
    topic = settings.topic_label(brief.topics[0], brief.lang) if brief.topics else t("News brief")
    return Card(
        title=brief.title,
        date=t.date(brief.date),
        language=language_name(brief.lang, brief.lang).capitalize(),
        topic=topic,
        site_name=settings.site_name,
        lang=brief.lang,
    )


def card_alt(card: Card) -> str:
    """``og:image:alt``: the card's text, as a reader of the page's language would read it."""
    return Translator(card.lang)("{title} – {site}, {date}", title=card.title, site=card.site_name, date=card.date)


@cache
def _fonts_digest() -> str:
    return hashlib.sha256(TITLE_FONT.read_bytes() + TEXT_FONT.read_bytes()).hexdigest()


def card_key(card: Card) -> str:
    """A name for everything the card's pixels depend on."""
    text = "\0".join((DESIGN, _fonts_digest(), *astuple(card)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@cache
def _font(path: Path, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    # Pillow's basic layout needs no system library (raqm), so every machine lays text out alike.
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=65536)
def _width(font: FreeTypeFont, text: str) -> float:
    # News repeats its words: each is measured once per process and size.
    return font.getlength(text)


def _wrap(text: str, font: FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` pixels, broken between words (a longer word stands alone).

    A line's width is the sum of its words' and spaces' (kerning across a
    space is nil in the shipped fonts), so each word is measured once.
    """
    space = _width(font, " ")
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        extra = _width(font, word) + (space if line else 0.0)
        if line and used + extra > width:
            lines.append(" ".join(line))
            line, used = [word], _width(font, word)
        else:
            line.append(word)
            used += extra
    if line:
        lines.append(" ".join(line))
    return lines


def _title_lines(title: str) -> tuple[FreeTypeFont, list[str]]:
    """The largest title size whose lines fit; at the smallest, the last line ends in an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = _font(TITLE_FONT, size)
        lines = _wrap(title, font, width)
        if len(lines) <= TITLE_LINES and all(_width(font, line) <= width for line in lines if " " not in line):
            return font, lines
    lines = lines[:TITLE_LINES]
    last = lines[-1]
    while last and font.getlength(f"{last}…") > width:
        last = last[:-1].rstrip()
    lines[-1] = f"{last}…"
    return font, lines


@cache
def _palette() -> list[int]:
    """16 shades from the background to the foreground: the anti-aliased text's levels."""
    shades: list[int] = []
    for level in range(16):
        shades += [round(b + (f - b) * level / 15) for b, f in zip(BACKGROUND, FOREGROUND, strict=True)]
    return shades


#: Rows above this are the backdrop's alone (site, language, topic): compressed once per process.
BAND_TOP = 190
TITLE_TOP = 200
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SHADES = [level * 15 // 255 for level in range(256)]


#: Two columns of background left of every row: packed at 4 bits a pixel they make the byte
#: PNG wants before each row (filter type 0), so the drawing's bytes are the file's scanlines.
_LEFT = 2


def _canvas(height: int) -> object:
    """A drawing surface of 16 shades (0 background … 15 foreground): the palette's indexes themselves."""
    from PIL import Image

    return Image.new("P", (_LEFT + WIDTH, height), 0)


def _shade(level: int) -> int:
    """An 8-bit grey as one of the 16 shades."""
    return level * 15 // 255


@cache
def _backdrop(site_name: str, language: str, topic: str) -> object:
    """What cards of one site, language and topic share (the rows above ``BAND_TOP``), drawn once per process."""
    from PIL import Image

    image = _canvas(BAND_TOP)
    assert isinstance(image, Image.Image)
    image.paste(_shade(255), (_LEFT, 0, _LEFT + WIDTH, 12))
    name_font, language_font = _font(TITLE_FONT, 34), _font(TEXT_FONT, 30)
    _line(image, MARGIN, 64, site_name, name_font, _shade(255))
    # The language on the site name's baseline, at the right margin.
    baseline = 64 + name_font.getmetrics()[0]
    right = WIDTH - MARGIN - _width(language_font, language)
    _line(image, right, baseline - language_font.getmetrics()[0], language, language_font, _shade(190))
    _line(image, MARGIN, 150, topic.upper(), _font(TEXT_FONT, 26), _shade(190))
    return image


#: Words drawn, kept: the common ones come back on card after card; a name or a number seldom does,
#: and each mask is about 10 kB (16,384 of them held 100 MB in each worker at 10,000 pairs).
WORDS_KEPT = 512


@lru_cache(maxsize=WORDS_KEPT)
def _word(font: FreeTypeFont, word: str) -> tuple[object, int, int]:
    """A word drawn once, as a mask, with its offset from the line's top left."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(word)
    mask = Image.new("L", (max(1, int(right - left)), max(1, int(bottom - top))), 0)
    ImageDraw.Draw(mask).text((-left, -top), word, font=font, fill=255)
    return mask, int(left), int(top)


def _line(image: object, x: float, y: int, text: str, font: FreeTypeFont, fill: int) -> None:
    """``text`` from ``(x, y)`` (the top left of its line), word by word from the masks of :func:`_word`.

    Words are spaced as the font spaces them; kerning across a space is nil in the shipped fonts.
    """
    from PIL import Image

    assert isinstance(image, Image.Image)
    space = _width(font, " ")
    for word in text.split():
        mask, left, top = _word(font, word)
        assert isinstance(mask, Image.Image)
        # A colour pasted through a mask blends: anti-aliased edges land between the shades.
        image.paste(fill, (_LEFT + round(x) + left, y + top), mask)
        x += _width(font, word) + space


def _scanlines(image: object) -> bytes:
    """The drawing as PNG scanlines: 4 bits a pixel, and each row's first byte (its two left columns) zero."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    return image.tobytes("raw", "P;4")


#: The date's rows at the bottom of a card (from here down), drawn and compressed once per date.
DATE_TOP = 520
#: Room below a title's last line for its descenders.
_DESCENT = 24


class _Segment(NamedTuple):
    """Rows of a card as raw deflate data, with what the zlib trailer needs of their uncompressed bytes."""

    data: bytes
    adler: int
    length: int


#: How hard a title's rows are compressed (each card's own work) and the rows cards share (once per process).
#: Letters repeat along a line, which run-length coding cannot see: level 5 of the default strategy makes a
#: card's title rows 27 % smaller than ``Z_RLE`` for under a millisecond more; level 9 is 25 times slower.
TITLE_LEVEL, SHARED_LEVEL = 5, 9


def _deflate(scanlines: bytes, *, last: bool, level: int = SHARED_LEVEL) -> _Segment:
    """Rows compressed on their own: a full flush ends a segment on a byte, with no reference before it.

    Such segments follow one another in one deflate stream, so the rows every
    card shares (its backdrop, the blank rows, a day's date) are compressed once.
    """
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9)
    data = compressor.compress(scanlines) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
    return _Segment(data, zlib.adler32(scanlines), len(scanlines))


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's (zlib's ``adler32_combine``).

    >>> a, b = b"card " * 99, b"rows" * 7
    >>> adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    True
    """
    base = 65521
    remainder = second_length % base
    low = first & 0xFFFF
    high = (remainder * low) % base
    low += (second & 0xFFFF) + base - 1
    high += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + base - remainder
    return (low % base) | ((high % base) << 16)


@cache
def _top(site_name: str, language: str, topic: str) -> _Segment:
    return _deflate(_scanlines(_backdrop(site_name, language, topic)), last=False)


@lru_cache(maxsize=512)
def _blank(rows: int) -> _Segment:
    return _deflate(_scanlines(_canvas(rows)), last=False)


@lru_cache(maxsize=4096)
def _date(text: str) -> _Segment:
    """A day's date at the bottom of the card: the same for every brief of that day and language."""
    rows = _canvas(HEIGHT - DATE_TOP)
    small = _font(TEXT_FONT, 30)
    ascent, _descent = small.getmetrics()
    _line(rows, MARGIN, HEIGHT - 60 - ascent - DATE_TOP, text, small, _shade(220))
    return _deflate(_scanlines(rows), last=True)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def render_card(card: Card) -> bytes:
    """The card as PNG bytes, 1200×630, 16 shades of the site's colours.

    Pillow draws; the PNG is put together here because most of every card is
    shared with others: its backdrop, blank rows and its day's date are drawn
    and compressed once, and each card compresses only the rows of its title
    (a card costs a fraction of a millisecond, and an archive has tens of thousands).
    """
    font, lines = _title_lines(card.title)
    step = round(font.size * 1.22)
    height = min(DATE_TOP - BAND_TOP, TITLE_TOP - BAND_TOP + (len(lines) - 1) * step + round(font.size) + _DESCENT)
    title = _canvas(height)
    for number, line in enumerate(lines):
        _line(title, MARGIN, TITLE_TOP - BAND_TOP + number * step, line, font, _shade(255))
    segments = [
        _top(card.site_name, card.language, card.topic),
        _deflate(_scanlines(title), last=False, level=TITLE_LEVEL),
        _blank(DATE_TOP - BAND_TOP - height),
        _date(card.date),
    ]
    adler = 1  # Adler-32 of nothing
    for segment in segments:
        adler = adler32_combine(adler, segment.adler, segment.length)
    # zlib's header (deflate, 32 KiB window, default level), the segments, and the Adler-32 of all rows.
    stream = b"\x78\x9c" + b"".join(s.data for s in segments) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0)  # 4 bits a pixel, a palette, no interlace
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", bytes(_palette())),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


def render_logo(site_name: str) -> bytes:
    """The publisher's logo for ``NewsArticle`` (600×60, the site's name on its colour)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (LOGO_WIDTH, LOGO_HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    size = 40
    font = _font(TITLE_FONT, size)
    while size > 12 and font.getlength(site_name) > LOGO_WIDTH - 24:
        size -= 2
        font = _font(TITLE_FONT, size)
    draw.text((12, LOGO_HEIGHT // 2), site_name, font=font, fill=255, anchor="lm")
    shaded = image.point(_SHADES)
    shaded.putpalette(_palette())
    out = io.BytesIO()
    shaded.save(out, "PNG", bits=4)
    return out.getvalue()
