"""Markdown of a brief's parts to safe HTML.

Bodies, key details and the ``why`` of comparisons are written by contributors
whose pull requests may come from anywhere, so every piece of HTML that leaves
this module has passed one policy (:class:`Policy`): nh3 applies it, and the
same policy, run over the unsanitized HTML, tells the writer what was removed
and where. ``briefs check`` and the build call the same :meth:`Renderer.render`,
so they report the same findings.

Rendering is bounded: Python-Markdown's inline patterns are quadratic in the
number of brackets of a paragraph, and its block parser recurses once per
level of nesting, so text beyond :data:`LIMITS` is refused before it is parsed.
"""

from __future__ import annotations

import html
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markdown.extensions.toc import slugify as toc_slugify

from .blocks import misplaced, placeholder_html, split_body
from .model import Brief
from .slugs import transliterated_words

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
}
URL_SCHEMES = {"http", "https", "mailto"}
#: An id the page can carry without breaking out of an attribute, a URL or a selector.
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
#: Classes and ids the site's own markup and Material's chrome use: a brief must
#: not dress its text as a notice of the desk (``brief-outdated``), take the id
#: of one of the page's own sections (``brief-sources``) or pass as the theme.
RESERVED_CLASS = re.compile(r"(?:brief|md|pagefind)(?:-|_|$)", re.IGNORECASE)
#: Whose content is text, not markup, in HTML: its inner tags are dropped with it.
# One line of text that Markdown leaves as it is: nothing to escape, emphasise,
# link or quote, and no start that opens a block. Most key details are such text.
_PLAIN_LINE = re.compile(r"(?! )(?![#>+=|-]|\d+\.)(?:[^\s\x00-\x1f\x7f\\`*_\[\]<>&{]| )*[^\s\x00-\x1f\x7f\\`*_\[\]<>&{]")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}


@dataclass(frozen=True)
class Limits:
    """How much a text of Markdown may ask of the parser.

    Python-Markdown's costs grow with the square of a paragraph's brackets,
    emphasis marks and lines, and its block parser recurses once per level of
    nesting. Bounding each paragraph bounds the whole text; none of these
    limits is near what a news brief holds.
    """

    #: ``[`` or ``<`` in one paragraph, and in one text.
    brackets_per_block: int = 200
    brackets_per_text: int = 4000
    #: Characters and lines of one paragraph (lines not separated by a blank line).
    chars_per_block: int = 20_000
    lines_per_block: int = 400
    #: Headings, rules, fences and admonitions in one text: each starts a block of its own.
    structures_per_text: int = 500
    #: Characters and lines of one text: dense markup renders at about 10 µs a character.
    chars_per_text: int = 200_000
    lines_per_text: int = 20_000
    #: Levels of lists and quotes.
    depth: int = 24
    #: Wall-clock seconds for one text, where a timer can be set (the main thread).
    seconds: float = 10.0


LIMITS = Limits()
_STRUCTURE = re.compile(r"[ \t>]*(?:#{1,6}(?:\s|$)|(?:[-*_][ \t]*){3,}$|`{3,}|~{3,}|[!?]{3}|/{3})")


class TooComplex(Exception):
    """A text beyond :data:`LIMITS`; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def check_complexity(text: str, limits: Limits = LIMITS) -> None:
    """Refuse text whose parsing would take unbounded time or stack.

    >>> check_complexity("A [link](https://x.test/) and <b>bold</b>.")
    >>> check_complexity("[" * 300)
    Traceback (most recent call last):
    ...
    briefs.core.rendering.TooComplex: 300 `[` in one paragraph (at most 200)
    """
    if len(text) > limits.chars_per_text:
        raise TooComplex(f"{len(text)} characters (at most {limits.chars_per_text}); split the brief")
    lines = text.split("\n")
    if len(lines) > limits.lines_per_text:
        raise TooComplex(f"{len(lines)} lines (at most {limits.lines_per_text})", limits.lines_per_text + 1)
    total = {"[": 0, "<": 0}
    counts = {"[": 0, "<": 0}
    block_start, block_chars, structures = 1, 0, 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            counts = {"[": 0, "<": 0}
            block_start, block_chars = number + 1, 0
            continue
        block_chars += len(line) + 1
        if block_chars > limits.chars_per_block or number - block_start >= limits.lines_per_block:
            what = (
                f"{limits.chars_per_block} characters"
                if block_chars > limits.chars_per_block
                else f"{limits.lines_per_block} lines"
            )
            raise TooComplex(f"a paragraph longer than {what}; separate paragraphs with a blank line", block_start)
        if _STRUCTURE.match(line):
            structures += 1
            if structures > limits.structures_per_text:
                raise TooComplex(f"more than {limits.structures_per_text} headings, rules or fences", number)
        stripped = line.lstrip(" \t>")
        prefix = line[: len(line) - len(stripped)]
        depth = prefix.count(">") + len(prefix.replace(">", "").expandtabs(4)) // 2
        if depth > limits.depth:
            raise TooComplex(f"nested {depth} levels deep (at most {limits.depth})", number)
        for mark in counts:
            found = line.count(mark)
            counts[mark] += found
            total[mark] += found
            if counts[mark] > limits.brackets_per_block:
                raise TooComplex(f"{counts[mark]} `{mark}` in one paragraph (at most {limits.brackets_per_block})", block_start)
            if total[mark] > limits.brackets_per_text:
                raise TooComplex(f"more than {limits.brackets_per_text} `{mark}` in one text", number)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TooComplex` after ``seconds``; a no-op off the main thread (no timer there)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise TooComplex(f"rendering took longer than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Removal:
    """Something the policy removes from a fragment: how to name it, and text to find it by."""

    what: str
    needle: str


def _as_browsers_read(url: str) -> str:
    """A URL as a browser's parser reads it: C0 controls and spaces at either end
    stripped, tabs and line breaks removed anywhere, ``\\`` read as ``/``."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).replace("\\", "/")


def _scheme(url: str) -> str | None:
    found = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", _as_browsers_read(url))
    return found.group(1).lower() if found else None


def is_remote(url: str) -> bool:
    """Whether a link or image points at another host.

    >>> is_remote("chart.png"), is_remote("https://x.test/a.png"), is_remote("//x.test/a.png")
    (False, True, True)
    """
    compact = _as_browsers_read(url)
    return compact.startswith("//") or _scheme(compact) in {"http", "https"}


class Policy:
    """What may stay in a brief's HTML: one rule for sanitizing and for reporting."""

    @staticmethod
    def attribute(tag: str, name: str, value: str) -> str | None:
        """The value to keep for an allowed attribute, or ``None`` to drop it."""
        if name == "id":
            return value if ID_PATTERN.fullmatch(value) and not RESERVED_CLASS.match(value) else None
        if name == "class":
            kept = [c for c in value.split() if not RESERVED_CLASS.match(c)]
            return " ".join(kept) if kept else None
        if name in {"href", "src"}:
            if re.search(r"[\x00-\x1f\x7f]", value):
                return None  # browsers drop or skip these: the URL would not be the one checked
            scheme = _scheme(value)
            if scheme is not None and scheme not in URL_SCHEMES:
                return None
            if name == "src" and is_remote(value):
                return None
        return value

    @classmethod
    def removals(cls, tag: str, attrs: list[tuple[str, str | None]]) -> Iterator[Removal]:
        if tag not in ALLOWED_TAGS:
            yield Removal(f"<{tag}>", f"<{tag}")
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                yield Removal(f"{name}= on <{tag}>", f"{name}=" if value is not None else name)
                continue
            kept = cls.attribute(tag, name, value or "")
            if kept != (value or ""):
                shown = (value or "").strip()[:40]
                yield Removal(f"{name}={shown!r} on <{tag}>", (value or "").strip()[:12] or name)


class _Inspector(HTMLParser):
    """Lists what :func:`sanitize` will remove from a fragment, for the writer's report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[Removal] = []
        self.remote_images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src") or "" if tag == "img" else ""
        if is_remote(src):
            # An image on another host is an error of its own, not one more removal.
            self.remote_images.append(src.strip())
            attrs = [(name, value) for name, value in attrs if name != "src"]
        self.removed += Policy.removals(tag, attrs)

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self._hidden(data)

    def unknown_decl(self, data: str) -> None:
        self._hidden(data)

    def _hidden(self, data: str) -> None:
        """Markup inside what this parser takes for a comment or CDATA section.

        HTML parsers disagree on odd forms (``<!-->``, ``<![CDATA[``): nh3 may read
        as tags what this parser read as a comment. Reading the inside as markup
        too reports whatever nh3 could find there.
        """
        if re.search(r"<[A-Za-z/!?]", data):
            inner = inspect(data.removeprefix("[CDATA["))
            self.removed += inner.removed
            self.remote_images += inner.remote_images

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        # HTMLParser reads a <style> or <script> as text up to its end tag; nh3
        # drops the element, and what follows is still markup to report, even
        # when a writer never closes it.
        del elem, escapable


def inspect(fragment: str) -> _Inspector:
    """What the policy removes from ``fragment``, and its images on other hosts.

    >>> [r.what for r in inspect('<p onclick="x()">Hi <script>x()</script><a href=" JavaScript:x">a</a></p>').removed]
    ['onclick= on <p>', '<script>', "href='JavaScript:x' on <a>"]
    >>> [r.what for r in inspect('<style>p{}<h2 id="x&quot;y">T</h2>').removed]
    ['<style>', 'id=\\'x"y\\' on <h2>']
    """
    inspector = _Inspector()
    inspector.feed(fragment)
    inspector.close()
    return inspector


def sanitize(fragment: str) -> str:
    """Keep what the theme needs, drop anything that could run or load from elsewhere.

    >>> sanitize('<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">a</a></p>')
    '<p>Hi <a rel="noopener noreferrer">a</a></p>'
    >>> sanitize('<h2 id="a&quot;&gt;b" class="brief-outdated note">T</h2><img src="https://x.test/p.gif" alt="">')
    '<h2 class="note">T</h2><img alt="">'
    """
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=Policy.attribute,
    )


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str
    children: tuple[Heading, ...] = ()


def _headings(tokens: list[dict[str, Any]]) -> tuple[Heading, ...]:
    """The table of contents: only headings whose id survives the policy (others have no anchor)."""
    found = []
    for token in tokens:
        children = _headings(token["children"])
        if Policy.attribute("h1", "id", token["id"]) is not None:
            title = html.unescape(re.sub(r"<[^>]+>", "", token["name"]))
            found.append(Heading(token["level"], token["id"], title, children))
        else:
            found += children
    return tuple(found)


def safe_slug(value: str, separator: str) -> str:
    """A heading's id that always passes the policy: it starts with a letter.

    >>> safe_slug("Über die Lage", "-"), safe_slug("2026 in review", "-"), safe_slug("…", "-")
    ('uber-die-lage', 'h-2026-in-review', 'h')
    """
    slug = toc_slugify(value, separator)
    if slug[:1].isascii() and slug[:1].isalpha() and not RESERVED_CLASS.match(slug):
        return slug
    return f"h{separator}{slug}".rstrip(separator)


def _configs(extensions: list[Any], configs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The site's options, with ids that pass the policy: ``toc`` and ``footnotes`` make their own."""
    clean = {name: {k: v for k, v in opts.items() if v is not None} for name, opts in configs.items()}
    names = {e if isinstance(e, str) else type(e).__name__ for e in extensions}
    if "toc" in names or "markdown.extensions.toc" in names:
        clean.setdefault("toc", {})["slugify"] = safe_slug
    if "footnotes" in names or "markdown.extensions.footnotes" in names:
        clean.setdefault("footnotes", {})["SEPARATOR"] = "-"
    if "tables" in names or "markdown.extensions.tables" in names:
        clean.setdefault("tables", {})["use_align_attribute"] = True  # not a style the policy removes
    return clean


@dataclass(frozen=True)
class Problem:
    """What rendering one text found: where in the text (1-based line, or a needle), and what."""

    code: str
    message: str
    line: int | None = None
    needle: str | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    outline: tuple[Heading, ...]
    problems: tuple[Problem, ...]
    #: Markdown's HTML before the policy: where a body's comparison blocks stand.
    raw: str = ""


def _problems(fragment: str) -> tuple[Problem, ...]:
    found = inspect(fragment)
    problems = [Problem("BR115", f"image on another host: {src[:60]!r}", needle=src[:20]) for src in found.remote_images]
    problems += [Problem("BR501", f"removed unsafe markup: {r.what}", needle=r.needle) for r in found.removed]
    return tuple(problems)


class Renderer:
    """Python-Markdown configured like the site, reused for every brief."""

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, dict[str, Any]] | None = None):
        extensions = extensions or ["tables", "fenced_code"]
        self._md = markdown.Markdown(extensions=extensions, extension_configs=_configs(extensions, configs or {}))
        self._inline = markdown.Markdown()
        # Checking and rendering a text each need its HTML: convert it once.
        self.block = lru_cache(maxsize=8)(self._render_block)
        self.inline = lru_cache(maxsize=256)(self._render_inline)

    def _convert(self, md: markdown.Markdown, text: str) -> str:
        check_complexity(text)
        try:
            with time_limit(LIMITS.seconds):
                return md.reset().convert(text)
        except RecursionError:
            raise TooComplex("nested too deeply to render") from None

    def _render_block(self, text: str) -> Rendered:
        """A body: block Markdown to sanitized HTML, its outline and what was removed."""
        try:
            raw = self._convert(self._md, text)
        except TooComplex as exc:
            return Rendered("", (), (Problem("BR116", f"Markdown too complex to render: {exc}", line=exc.line),))
        outline = _headings(getattr(self._md, "toc_tokens", []))
        return Rendered(sanitize(raw), outline, _problems(raw), raw)

    def _render_inline(self, text: str) -> Rendered:
        """A key detail or a ``why``: one paragraph of inline Markdown, without the ``<p>``.

        >>> Renderer().inline("*Eight* agreements, see [here](https://x.test/)").html
        '<em>Eight</em> agreements, see <a href="https://x.test/" rel="noopener noreferrer">here</a>'
        """
        if _PLAIN_LINE.fullmatch(text):
            return Rendered(text, (), ())  # what Markdown and the policy give, without parsing
        try:
            raw = self._convert(self._inline, text).strip()
        except TooComplex as exc:
            return Rendered("", (), (Problem("BR116", f"Markdown too complex to render: {exc}"),))
        problems = _problems(raw)
        inner = raw[3:-4] if raw.startswith("<p>") and raw.endswith("</p>") else raw
        if "\n" in text.strip() or not (raw.startswith("<p>") and raw.endswith("</p>")) or "<p>" in inner:
            problems += (Problem("BR113", "expected one line of inline Markdown"),)
        return Rendered(sanitize(inner), (), problems)


@dataclass(frozen=True)
class RenderedParts:
    """A brief's Markdown, rendered once: what its page and feeds show."""

    #: The body's HTML around its comparison blocks: one piece more than the brief has blocks.
    body_html: tuple[str, ...]
    outline: tuple[Heading, ...]
    key_details_html: tuple[str, ...]
    why_html: tuple[str, ...]
    search_variants: str
    #: Each correction's text, newest first, as the brief lists them.
    corrections_html: tuple[str, ...] = ()
    #: The lead image's caption (SPEC §11), or "".
    image_caption_html: str = ""


#: Where a problem of a rendered text belongs: ``("body",)``, ``("key_details", 2)``, ...
Place = tuple[str | int, ...]


def body_pieces(raw: str, blocks: int) -> tuple[str, ...]:
    """The body's HTML around its comparison blocks, each piece under the policy on its own.

    Each piece is sanitized apart, so that a tag a writer leaves open closes
    within its own piece and never wraps the comparison that follows it.

    >>> body_pieces("<p>A <a href='https://x.test/'>open</p>" + placeholder_html(0) + "<p>B</p>", 1)
    ('<p>A <a href="https://x.test/" rel="noopener noreferrer">open</a></p>', '<p>B</p>')
    """
    pieces = [raw]
    for index in range(blocks):
        # A checked brief has each placeholder as a paragraph of its own (see blocks.misplaced).
        before, found, after = pieces[-1].partition(placeholder_html(index))
        pieces[-1:] = [before, after] if found else [before, ""]
    return tuple(sanitize(piece) for piece in pieces)


def render_parts(brief: Brief, renderer: Renderer) -> RenderedParts:
    split = split_body(brief.body)
    body = renderer.block(split.markdown)
    pieces = body_pieces(body.raw, len(split.blocks)) if split.blocks else (body.html,)
    texts = [brief.title, brief.summary, brief.body, *brief.key_details]
    for c in brief.comparisons:
        texts += [c.topic, c.summary, c.why, *(claim.quote for claim in c.claims)]
    return RenderedParts(
        body_html=pieces,
        outline=body.outline,
        key_details_html=tuple(renderer.inline(d).html for d in brief.key_details),
        why_html=tuple(renderer.inline(c.why).html for c in brief.comparisons),
        search_variants=transliterated_words(*texts),
        corrections_html=tuple(renderer.inline(c.text).html for c in brief.corrections),
        image_caption_html=renderer.inline(brief.image.caption).html if brief.image and brief.image.caption else "",
    )


def rendering_problems(
    renderer: Renderer,
    body: str,
    key_details: tuple[str, ...],
    whys: tuple[str, ...],
    corrections: tuple[str, ...] = (),
    block_whys: tuple[str, ...] = (),
    blocks: int = 0,
) -> Iterator[tuple[Place, Problem]]:
    """Every problem that rendering a brief's texts finds, by the text it is in.

    ``body`` is the body as it is rendered, each of its ``blocks`` comparison blocks a placeholder (see blocks.py).
    """
    rendered = renderer.block(body)
    for problem in rendered.problems:
        yield ("body",), problem
    unrendered = any(p.code == "BR116" for p in rendered.problems)
    for i in misplaced(rendered.raw, blocks) if blocks and not unrendered else ():
        message = "stands inside other markup (HTML, a comment, a list or a quote); put it on its own, between paragraphs"
        yield ("body", "comparisons", i), Problem("BR020", message)
    for i, detail in enumerate(key_details):
        for problem in renderer.inline(detail).problems:
            yield ("key_details", i), problem
    for i, why in enumerate(whys):
        for problem in renderer.inline(why).problems:
            yield ("comparisons", i, "why"), problem
    for i, text in enumerate(corrections):
        for problem in renderer.inline(text).problems:
            yield ("corrections", i, "text"), problem
    for i, why in enumerate(block_whys):
        for problem in renderer.inline(why).problems if why else ():
            yield ("body", "comparisons", i, "why"), problem
