"""Markdown of a brief's parts to safe HTML.

Bodies, key details and the ``why`` of comparisons are written by contributors
whose pull requests may come from anywhere, so every piece of HTML that leaves
this module has passed nh3's allowlist.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "details": {"open"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK = re.compile(r"<(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|hr|div|dl)\b")


@dataclass
class Unsafe:
    """What sanitizing removed from a fragment, for the writer to hear about."""

    removed: list[str] = field(default_factory=list)


def sanitize(html: str) -> str:
    """Keep what the theme needs, drop anything that could run.

    >>> sanitize('<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">a</a></p>')
    '<p>Hi <a rel="noopener noreferrer">a</a></p>'
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str
    children: tuple[Heading, ...] = ()


def _heading(token: dict[str, Any]) -> Heading:
    title = html.unescape(re.sub(r"<[^>]+>", "", token["name"]))
    return Heading(token["level"], token["id"], title, tuple(_heading(c) for c in token["children"]))


class Renderer:
    """Python-Markdown configured like the site, reused for every brief."""

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, dict[str, Any]] | None = None):
        configs = {name: {k: v for k, v in opts.items() if v is not None} for name, opts in (configs or {}).items()}
        self._md = markdown.Markdown(extensions=extensions or ["tables", "fenced_code"], extension_configs=configs)
        self._inline = markdown.Markdown()

    def block(self, text: str) -> str:
        """A body: block Markdown to sanitized HTML."""
        return sanitize(self._md.reset().convert(text))

    def outline(self) -> list[Heading]:
        """The headings of the last :meth:`block`, for the page's table of contents."""
        return [_heading(token) for token in getattr(self._md, "toc_tokens", [])]

    def inline(self, text: str) -> str:
        """A key detail: one paragraph of inline Markdown, without the ``<p>``.

        >>> Renderer().inline("*Eight* agreements, see [here](https://x.test/)")
        '<em>Eight</em> agreements, see <a href="https://x.test/" rel="noopener noreferrer">here</a>'
        """
        html = self._inline.reset().convert(text).strip()
        if html.startswith("<p>") and html.endswith("</p>"):
            html = html[3:-4]
        return sanitize(html)

    def is_inline(self, text: str) -> bool:
        """Whether ``text`` renders as a single paragraph without block elements.

        >>> Renderer().is_inline("**bold** and `code`"), Renderer().is_inline("# heading")
        (True, False)
        """
        html = self._inline.reset().convert(text).strip()
        inner = html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html
        return "\n" not in text.strip() and not _BLOCK.search(inner)
