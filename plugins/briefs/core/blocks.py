"""Comparison blocks in a brief's body (SPEC §9): a comparison where it belongs in the text.

The syntax is that of ``pymdownx.blocks``::

    /// comparison | How many agreements were signed
        summary: The outlets count the signed documents very differently.
        claims:
          - source: tagesschau.de
            quote: Eight agreements were signed.
          - source: br.de
            quote: Two significant documents were signed.

    Eight accords suggest a broad package; two documents a framework.
    ///

The header's title is the comparison's ``topic``, the indented YAML its
options (``summary``, ``claims``), the content its ``why``. The loader reads
these blocks itself, before Markdown sees the body, so that their options get
the same located checks as a comparison in the front-matter; Markdown renders
the body with each block replaced by a placeholder paragraph, at which the
page puts the comparison's markup.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

_HEADER = re.compile(r"^(?P<fence>/{3,})[ \t]*comparison\b[ \t]*(?:\|(?P<title>.*))?$")
# As Python-Markdown's fenced_code reads fences: at the start of a line, closed by the same mark alone.
_CODE_FENCE = re.compile(r"^(?P<mark>`{3,}|~{3,})")
OPTION_INDENT = 4
#: Placeholders no writer can type: they differ in every process, and never reach a page.
_NONCE = secrets.token_hex(8)


@dataclass(frozen=True)
class BodyBlock:
    """One comparison block; lines are 0-based indexes into the body, columns 1-based."""

    start: int
    #: The closing ``///`` line; None when the block is never closed.
    end: int | None
    title: str
    title_column: int
    options: str
    options_line: int
    content: str
    content_line: int


@dataclass(frozen=True)
class SplitBody:
    """A body's comparison blocks, and the body as Markdown renders it (a placeholder for each block)."""

    blocks: tuple[BodyBlock, ...]
    markdown: str


def placeholder(index: int) -> str:
    """The paragraph text that stands for block ``index`` in the rendered body."""
    return f"briefscomparison{_NONCE}x{index}z"  # z: block 1 is no prefix of block 10


def placeholder_html(index: int) -> str:
    return f"<p>{placeholder(index)}</p>"


def misplaced(html: str, count: int) -> list[int]:
    """The blocks whose placeholder is not one paragraph of its own in ``html``: written inside other markup.

    Inside raw HTML, a comment or a list item, Markdown does not leave a block where
    the page could put it, so such a block is a located error, never a guess.

    >>> misplaced(placeholder_html(0) + "<div>" + placeholder(1) + "</div>", 2)
    [1]
    """
    return [i for i in range(count) if html.count(placeholder_html(i)) != 1 or html.count(placeholder(i)) != 1]


def split_body(body: str) -> SplitBody:
    """Find the comparison blocks of ``body`` (not inside fenced code).

    >>> text = "Intro.\\n\\n/// comparison | Counts\\n    summary: S.\\n\\nWhy.\\n///\\nAfter.\\n"
    >>> found = split_body(text)
    >>> [(b.start, b.end, b.title, b.options, b.content) for b in found.blocks]
    [(2, 6, 'Counts', 'summary: S.\\n', 'Why.')]
    >>> found.markdown.splitlines()[2:8] == ["", placeholder(0), "", "", "", "After."]
    True
    """
    if "comparison" not in body:
        return SplitBody((), body)
    lines = body.split("\n")
    blocks: list[BodyBlock] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        code = _CODE_FENCE.match(line)
        if code is not None and (fence is None or line.rstrip() == fence):
            fence = code.group("mark") if fence is None else None
            i += 1
            continue
        header = _HEADER.match(line) if fence is None else None
        if header is None:
            i += 1
            continue
        block = _read_block(lines, i, header)
        blocks.append(block)
        if block.end is None:
            break
        i = block.end + 1
    if not blocks:
        return SplitBody((), body)
    for index, block in enumerate(blocks):
        last = block.end if block.end is not None else len(lines) - 1
        # The block's lines become blank lines around its placeholder: every other
        # line of the body keeps its number, so rendering problems stay located.
        for k in range(block.start, last + 1):
            lines[k] = ""
        if last - block.start >= 2:
            lines[block.start + 1] = placeholder(index)
    return SplitBody(tuple(blocks), "\n".join(lines))


def _read_block(lines: list[str], start: int, header: re.Match[str]) -> BodyBlock:
    fence = header.group("fence")
    raw_title = header.group("title") or ""
    title = raw_title.strip()
    title_column = (header.start("title") + 1 + (len(raw_title) - len(raw_title.lstrip()))) if header.group("title") else 1
    i = start + 1
    options: list[str] = []
    while i < len(lines) and lines[i].startswith(" " * OPTION_INDENT) and lines[i].strip():
        options.append(lines[i][OPTION_INDENT:])
        i += 1
    options_line = start + 1
    end = next((k for k in range(i, len(lines)) if lines[k].strip() == fence), None)
    body_lines = lines[i : end if end is not None else len(lines)]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
        i += 1
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    return BodyBlock(
        start=start,
        end=end,
        title=title,
        title_column=title_column,
        options="".join(f"{line}\n" for line in options),
        options_line=options_line,
        content=_paragraph(body_lines),
        content_line=i,
    )


def _paragraph(lines: list[str]) -> str:
    """The content as one line of inline Markdown when it is one paragraph (a wrapped ``why``).

    Paragraphs stay apart, so that the check of ``why`` says it expects one.
    """
    paragraphs = re.split(r"\n[ \t]*\n", "\n".join(lines))
    return "\n\n".join(" ".join(part.split("\n")).strip() for part in paragraphs)
