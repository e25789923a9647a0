"""Markdown of a brief's parts to safe HTML.

Bodies, key details and the ``why`` of comparisons are written by contributors
whose pull requests may come from anywhere, so every piece of HTML that leaves
this module has passed nh3's allowlist.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3

from .model import Brief
from .search import transliterated_words

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
# Text without these cannot produce markup the sanitizer drops, so it skips the check.
_MAYBE_UNSAFE = re.compile(r"<|&#|script|data\s*:", re.IGNORECASE)
# One line of text that Markdown leaves as it is: nothing to escape, emphasise,
# link or quote, and no start that opens a block. Most key details are such text.
_PLAIN_LINE = re.compile(r"(?! )(?![#>+=|-]|\d+\.)(?:[^\s\x00-\x1f\x7f\\`*_\[\]<>&]| )*[^\s\x00-\x1f\x7f\\`*_\[\]<>&]")


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


@dataclass(frozen=True)
class Dropped:
    """Something the sanitizer removes: how to name it, and text to find it by in the source."""

    what: str
    needle: str


class _Inspector(HTMLParser):
    """Lists what :func:`sanitize` will drop from a fragment, for the writer's report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[Dropped] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.dropped.append(Dropped(f"<{tag}>", f"<{tag}"))
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.dropped.append(Dropped(f"{name}= on <{tag}>", name))
            elif name in {"href", "src"} and value and not _safe_url(value):
                url = value.strip()
                self.dropped.append(Dropped(f"{name}={url[:40]!r} on <{tag}>", url[:12]))


def _safe_url(url: str) -> bool:
    scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", "".join(url.split()))
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


def dropped_markup(html: str) -> list[Dropped]:
    """What sanitizing removes from ``html``, named for a writer.

    >>> [d.what for d in dropped_markup('<p onclick="x()">Hi <script>x()</script><a href=" JavaScript:x">a</a></p>')]
    ['onclick= on <p>', '<script>', "href='JavaScript:x' on <a>"]
    """
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.dropped


class Renderer:
    """Python-Markdown configured like the site, reused for every brief."""

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, dict[str, Any]] | None = None):
        configs = {name: {k: v for k, v in opts.items() if v is not None} for name, opts in (configs or {}).items()}
        self._md = markdown.Markdown(extensions=extensions or ["tables", "fenced_code"], extension_configs=configs)
        self._inline = markdown.Markdown()
        # Checking, sanitizing and rendering a text each need its HTML: convert it once.
        self._block_html = lru_cache(maxsize=8)(self._convert_block)
        self._inline_html = lru_cache(maxsize=256)(self._convert_inline)

    def _convert_block(self, text: str) -> tuple[str, tuple[Heading, ...]]:
        html = self._md.reset().convert(text)
        return html, tuple(_heading(token) for token in getattr(self._md, "toc_tokens", []))

    def _convert_inline(self, text: str) -> str:
        if _PLAIN_LINE.fullmatch(text):
            return f"<p>{text}</p>"  # what Markdown gives, without parsing
        return self._inline.reset().convert(text).strip()

    def block(self, text: str) -> str:
        """A body: block Markdown to sanitized HTML."""
        return sanitize(self._block_html(text)[0])

    def outline(self, text: str) -> tuple[Heading, ...]:
        """The headings of a body, for the page's table of contents."""
        return self._block_html(text)[1]

    def dropped(self, text: str, *, inline: bool = False) -> list[Dropped]:
        """What rendering ``text`` would drop as unsafe (cheap when there is no markup)."""
        if not _MAYBE_UNSAFE.search(text):
            return []
        return dropped_markup(self._inline_html(text) if inline else self._block_html(text)[0])

    def inline(self, text: str) -> str:
        """A key detail: one paragraph of inline Markdown, without the ``<p>``.

        >>> Renderer().inline("*Eight* agreements, see [here](https://x.test/)")
        '<em>Eight</em> agreements, see <a href="https://x.test/" rel="noopener noreferrer">here</a>'
        """
        html = self._inline_html(text)
        if html.startswith("<p>") and html.endswith("</p>"):
            html = html[3:-4]
        return sanitize(html)

    def is_inline(self, text: str) -> bool:
        """Whether ``text`` renders as exactly one paragraph: no heading, list, quote or table.

        >>> Renderer().is_inline("**bold** and `code`"), Renderer().is_inline("# heading"), Renderer().is_inline("- item")
        (True, False, False)
        """
        html = self._inline_html(text)
        inner = html[3:-4]
        return "\n" not in text.strip() and html.startswith("<p>") and html.endswith("</p>") and "<p>" not in inner


@dataclass(frozen=True)
class RenderedParts:
    """A brief's Markdown, rendered once: what its page and feeds show."""

    body_html: str
    outline: tuple[Heading, ...]
    key_details_html: tuple[str, ...]
    why_html: tuple[str, ...]
    search_variants: str


def render_parts(brief: Brief, renderer: Renderer) -> RenderedParts:
    body_html = renderer.block(brief.body)
    outline = renderer.outline(brief.body)
    texts = [brief.title, brief.summary, brief.body, *brief.key_details]
    for c in brief.comparisons:
        texts += [c.topic, c.summary, c.why, *(claim.quote for claim in c.claims)]
    return RenderedParts(
        body_html=body_html,
        outline=outline,
        key_details_html=tuple(renderer.inline(d) for d in brief.key_details),
        why_html=tuple(renderer.inline(c.why) for c in brief.comparisons),
        search_variants=transliterated_words(*texts),
    )
