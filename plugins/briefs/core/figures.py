"""Images in a brief's body (SPEC §11): where the writer put them, and their tags sized from their renditions.

A body's Markdown names an image by its file name (``![A chart](chart.png)``).
What the file is may change while the brief's text stays the same, so a body is
rendered (and cached) by its own bytes alone, and its ``<img>`` tags are given
their sizes afterwards, from the files of the brief's folder as the corpus
found them: ``width``/``height`` (the page does not shift as it loads),
``srcset``/``sizes`` with a modern format beside the original's, and
``loading="lazy"``, as a body image is below the lead and the summary.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote, unquote

from .images import MODERN, ImageSize, rendition_height, rendition_name, rendition_widths

#: An image's width on a page: the content column (Material's grid is at most 61rem wide), else the screen.
SIZES = "(min-width: 76.25em) 680px, 100vw"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class BodyImage:
    """An image the body shows: its ``src`` and alt text as written, and where (1-based, in the file)."""

    src: str
    alt: str
    line: int
    column: int


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append({name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def _tags(fragment: str) -> list[dict[str, str]]:
    parser = _Images()
    parser.feed(fragment)
    parser.close()
    return parser.found


def body_images(raw_html: str, body: str, body_line: int) -> tuple[BodyImage, ...]:
    """The images of a body, from Markdown's HTML of it (``raw_html``), each placed where ``body`` (the text) names it.

    >>> body_images('<p>A <img alt="pie" src="pie.png"></p>', "Intro.\\n\\nA ![pie](pie.png)", 5)
    (BodyImage(src='pie.png', alt='pie', line=7, column=3),)
    """
    found = []
    start = 0
    for attrs in _tags(raw_html):
        src = attrs.get("src", "")
        offset = body.find(src, start) if src else -1
        if offset < 0:
            offset = body.find(src) if src else -1
        else:
            start = offset + len(src)
        if offset < 0:
            found.append(BodyImage(src, attrs.get("alt", ""), body_line, 1))
            continue
        # The mark that opens the image (``![``) is where a writer looks for it.
        opening = body.rfind("![", body.rfind("\n", 0, offset) + 1, offset)
        at = opening if opening >= 0 else offset
        line = body_line + body.count("\n", 0, at)
        found.append(BodyImage(src, attrs.get("alt", ""), line, at - body.rfind("\n", 0, at)))
    return tuple(found)


def file_name(src: str) -> str | None:
    """The file of the brief's folder that ``src`` names, or None for an address or a path that is not one file name.

    >>> file_name("chart.png"), file_name("./my%20chart.png"), file_name("../other/x.png"), file_name("a/b.png")
    ('chart.png', 'my chart.png', None, None)
    """
    name = unquote(src.split("#", 1)[0].split("?", 1)[0]).removeprefix("./")
    if not name or "/" in name or "\\" in name or ":" in name or name in {".", ".."}:
        return None
    return name


_LINKED = re.compile(r'\b(?:src|href)="([^"]*)"')


@lru_cache(maxsize=1 << 16)  # the live preview asks again for every brief's text after each edit
def linked_files(fragment: str) -> frozenset[str]:
    """The files of the brief's folder that sanitized HTML shows or links (``<img src>``, ``<a href>``).

    >>> sorted(linked_files('<p><img src="./a%20b.jpg"> <a href="c.png">c</a> <a href="https://x.test/d.png">d</a></p>'))
    ['a b.jpg', 'c.png']
    """
    return frozenset(name for src in _LINKED.findall(fragment) if (name := file_name(html.unescape(src))) is not None)


def sized(fragment: str, sizes: Mapping[str, ImageSize | None]) -> str:
    """``fragment`` (sanitized HTML) with each ``<img>`` of a file in ``sizes`` given its renditions.

    ``sizes`` holds each publishable image of the folder by file name: the raster
    ones with their upright size, drawings (SVG, published as they are) with None.
    Tags of other files are left as they are (the corpus reports them).

    >>> print(sized('<p><img src="pie.png" alt="A &quot;pie&quot;"></p>', {"pie.png": ImageSize(1000, 500, "PNG")}))
    ... # doctest: +NORMALIZE_WHITESPACE
    <p><picture><source type="image/webp" srcset="pie-480.webp 480w, pie-800.webp 800w, pie-1000.webp 1000w"
    sizes="(min-width: 76.25em) 680px, 100vw"><img src="pie.png" alt="A &quot;pie&quot;"
    width="1000" height="500" loading="lazy" decoding="async"></picture></p>
    """
    if "<img" not in fragment:
        return fragment
    return _IMG.sub(lambda match: _sized_tag(match.group(0), sizes), fragment)


def _sized_tag(tag: str, sizes: Mapping[str, ImageSize | None]) -> str:
    tags = _tags(tag)
    if not tags:
        return tag
    attrs = tags[0]
    name = file_name(attrs.get("src", ""))
    if name is None or name not in sizes:
        return tag
    size = sizes[name]
    kept = {key: value for key, value in attrs.items() if key not in {"width", "height", "loading", "srcset", "sizes"}}
    if size is None:  # a drawing: one file, its own size
        return _tag({**kept, "loading": "lazy", "decoding": "async"})
    widths = rendition_widths(size.width)
    largest = widths[-1]  # the file's own name is published at this width

    def srcset(kind: str) -> str:
        return ", ".join(f"{quote(rendition_name(name, w, kind))} {w}w" for w in widths)

    # The file's own name, in its own kind, is for what takes no WebP: one size serves it.
    img = _tag(
        {
            **kept,
            "width": str(largest),
            "height": str(rendition_height(size, largest)),
            "loading": "lazy",
            "decoding": "async",
        }
    )
    source = _tag({"type": "image/webp", "srcset": srcset(MODERN), "sizes": SIZES}, "source")
    return f"<picture>{source}{img}</picture>"


def _tag(attrs: Mapping[str, str], name: str = "img") -> str:
    written = "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in attrs.items())
    return f"<{name}{written}>"
