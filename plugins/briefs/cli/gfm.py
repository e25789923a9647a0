"""Untrusted text inside GitHub-flavoured Markdown, shown as the text it is.

The change report becomes a pull-request comment posted by the repository's
own bot, so a brief's title or file name must not ping people (``@name``),
link issues (``#123``), load images, open links, inject HTML, or leave the
table or code block it stands in. Every value from a brief or a file name goes
through :func:`escape_text` (running text, table cells) or :func:`code_span`
(inline code); lines inside a fenced block go through :func:`one_line` under a
fence from :func:`fence`.
"""

from __future__ import annotations

import re
import unicodedata

#: GitHub links mentions, issue references and URLs in text nodes *after* Markdown
#: has been parsed, so backslashes cannot stop them; an invisible zero-width space
#: after the trigger does, and the text still reads the same.
ZWSP = "\u200b"

# Characters that mean something inline in GFM (emphasis, links, images, code,
# strikethrough, math, tables, headings, lists). `&`, `<` and `>` become entities instead.
_MARKUP = frozenset("\\`*_[]()#+-.!|~$")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Applied after escaping, hence the backslashes: mentions and e-mail addresses (@),
# issue references (#12, owner/repo#12, GH-12) and URL autolinks (https://, www.).
_AUTOLINK_TRIGGER = re.compile(r"@|#|:(?=//)|(?i:\bwww)(?=\\\.)|(?i:\bgh)(?=\\-)")
# Right-to-left overrides and isolates can make a file name read as another one.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _is_unsafe_char(char: str) -> bool:
    return char in _BIDI or unicodedata.category(char) in ("Cc", "Zl", "Zp")


def one_line(value: str) -> str:
    r"""``value`` on one line: line breaks, other control characters and bidi overrides as escapes.

    A line break inside a table cell ends the row, and inside a code block it
    can start a line of the attacker's choosing; shown as ``\n`` it is seen.

    >>> print(one_line("a\nb\tc\x1b[31m\u202e"))
    a\nb\tc\x1b[31m\u202e
    >>> print(one_line("Köln · Rom"))
    Köln · Rom
    """
    if not any(_is_unsafe_char(char) for char in value):
        return value
    return "".join(_control_escape(char) if _is_unsafe_char(char) else char for char in value)


def _control_escape(char: str) -> str:
    if char in _NAMED_CONTROLS:
        return _NAMED_CONTROLS[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(value: str) -> str:
    r"""``value`` as Markdown that renders as exactly this text, on one line, inert.

    Safe in running text and in table cells: no HTML, no link or image, no
    emphasis, no mention, no issue reference, no autolink, no cell break.
    (Below, ``shown`` prints the invisible zero-width space as ``{ZWSP}``.)

    >>> shown = lambda text: print(text.replace(ZWSP, "{ZWSP}"))
    >>> shown(escape_text("<img src=x> & ![pic](https://evil.test/x.png)"))
    &lt;img src=x&gt; &amp; \!\[pic\]\(https:{ZWSP}//evil\.test/x\.png\)
    >>> shown(escape_text("@octocat fixes #12 | GH-3, see www.evil.test"))
    @{ZWSP}octocat fixes \#{ZWSP}12 \| GH{ZWSP}\-3, see www{ZWSP}\.evil\.test
    >>> shown(escape_text("```\n@all"))
    \`\`\`\\n@{ZWSP}all
    """
    escaped = "".join(_ENTITIES.get(char) or (f"\\{char}" if char in _MARKUP else char) for char in one_line(value))
    return _AUTOLINK_TRIGGER.sub(lambda match: match.group(0) + ZWSP, escaped)


def _longest_backtick_run(value: str) -> int:
    return max((len(run) for run in re.findall(r"`+", value)), default=0)


def code_span(value: str, *, in_table: bool = False) -> str:
    r"""``value`` as inline code, delimited by more backticks than any run inside it.

    GitHub neither renders HTML nor links mentions or references inside code.
    In a table cell a ``|`` still ends the cell unless escaped, and GFM removes
    that backslash again: ``in_table`` escapes it.

    >>> print(code_span("2026-01-23-rome"))
    `2026-01-23-rome`
    >>> print(code_span("a``b`"))
    ``` a``b` ```
    >>> print(code_span("a|b", in_table=True))
    `a\|b`
    """
    text = one_line(value)
    if in_table:
        text = text.replace("|", "\\|")
    ticks = "`" * (_longest_backtick_run(text) + 1)
    # A space on each side (removed again when rendered) lets the value start or end with a backtick;
    # GFM removes none from a value of spaces only, so that needs none.
    pad = " " if text.strip(" ") and (text[0] in "` " or text[-1] in "` ") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(lines: list[str]) -> str:
    """A backtick fence that no line of ``lines`` can close: longer than any backtick run in them.

    >>> fence(["plain"]), fence(["a ```` b"])
    ('```', '`````')
    """
    return "`" * max(3, max((_longest_backtick_run(line) for line in lines), default=0) + 1)
