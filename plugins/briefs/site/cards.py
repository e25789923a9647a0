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
from dataclasses import astuple, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

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
DESIGN = "card-1"
#: The site's indigo, and white: the card is drawn in 16 shades between the two.
BACKGROUND = (26, 35, 126)
FOREGROUND = (255, 255, 255)
MARGIN = 80
#: Title sizes tried in turn until the title fits in ``TITLE_LINES`` lines.
TITLE_SIZES = (64, 56, 48, 42)
TITLE_LINES = 4
LOGO_WIDTH, LOGO_HEIGHT = 600, 60


@dataclass(frozen=True)
class Card:
    """What one card shows, in the page's language."""

    title: str
    date: str
    language: str
    topic: str
    site_name: str
    lang: str


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


def _png(image: object) -> bytes:
    """An 8-bit grey drawing as a 4-bit palette PNG: a sixth of the bytes of RGB, and quick to encode."""
    import zlib

    from PIL import Image

    assert isinstance(image, Image.Image)
    shaded = image.point([level * 15 // 255 for level in range(256)])
    shaded.putpalette(_palette())
    out = io.BytesIO()
    # Long runs of one colour: run-length compression is as small as the default here, and faster.
    shaded.save(out, "PNG", bits=4, compress_level=6, compress_type=zlib.Z_RLE)
    return out.getvalue()


@cache
def _backdrop(site_name: str, language: str, topic: str) -> object:
    """What cards of one site, language and topic share, drawn once per process."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=255)
    draw.text((MARGIN, 64), site_name, font=_font(TITLE_FONT, 34), fill=255)
    draw.text((WIDTH - MARGIN, 70), language, font=_font(TEXT_FONT, 30), fill=190, anchor="ra")
    draw.text((MARGIN, 150), topic.upper(), font=_font(TEXT_FONT, 26), fill=190)
    return image


def render_card(card: Card) -> bytes:
    """The card as PNG bytes, 1200×630."""
    from PIL import Image, ImageDraw

    backdrop = _backdrop(card.site_name, card.language, card.topic)
    assert isinstance(backdrop, Image.Image)
    image = backdrop.copy()
    draw = ImageDraw.Draw(image)
    font, lines = _title_lines(card.title)
    step = round(font.size * 1.22)
    # One text of several lines: FreeType lays it out in one call.
    draw.multiline_text((MARGIN, 200), "\n".join(lines), font=font, fill=255, spacing=step - font.size)
    draw.text((MARGIN, HEIGHT - 60), card.date, font=_font(TEXT_FONT, 30), fill=220, anchor="ls")
    return _png(image)


def logo_path() -> str:
    return "assets/briefs/logo.png"


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
    return _png(image)
