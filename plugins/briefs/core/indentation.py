"""The likely slip behind a YAML syntax error, in a writer's words: a line indented where no field starts.

PyYAML says "did not find expected key" or "mapping values are not allowed
here"; what happened is nearly always a field indented by one space too many
or too few. Reading the lines above the error as YAML's block structure
does, this names the column the line should start in and the field it
lines up with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The problems an indentation slip gives (PyYAML's words).
SLIP_PROBLEMS = (
    "did not find expected key",
    "mapping values are not allowed",
    "did not find expected '-' indicator",
    "expected <block end>",
    "could not find expected ':'",
)
_BLOCK_SCALAR = re.compile(r":[ ]+[>|][+-]?[0-9]?[ ]*(#.*)?$")
_KEY = re.compile(r"^(?P<item>-[ ]+)?(?P<key>[^\s#'\"\[\]{},:][^#:]*?)[ ]*:(?:[ ]|$)")


@dataclass(frozen=True)
class Slip:
    line: int  # 0-based, in the text
    column: int  # 0-based: where the line starts
    expected: int  # 0-based: where it should start
    label: str  # what it lines up with there: `name:` or `- item`
    label_line: int  # 0-based
    #: Why the column is wrong, to follow "this line starts at column N, ".
    reason: str = "where no field above it starts"


@dataclass(frozen=True)
class _Level:
    column: int
    label: str
    line: int
    is_key: bool


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _levels(line: str, number: int) -> list[_Level]:
    """The columns at which ``line`` opens a block: its own, and a mapping inside a list item."""
    indent = len(line) - len(line.lstrip(" "))
    text = line.strip()
    found = _KEY.match(text)
    if found and found.group("item"):
        inner = indent + len(found.group("item"))
        return [
            _Level(indent, "- " + found.group("key") + ":", number, False),
            _Level(inner, found.group("key") + ":", number, True),
        ]
    if found:
        return [_Level(indent, found.group("key") + ":", number, True)]
    if text.startswith("-"):
        return [_Level(indent, text[:20], number, False)]
    return []


def find_slip(text: str, line: int, problem: str) -> Slip | None:
    """The indentation slip at or just before ``line`` of ``text`` (0-based), when ``problem`` is one it gives.

    >>> front = "title: x\\nsources:\\n  - name: a\\n     url: b\\n"
    >>> find_slip(front, 3, "mapping values are not allowed here")
    Slip(line=3, column=5, expected=4, label='name:', label_line=2, reason='where no field above it starts')
    """
    if not any(problem.startswith(p) for p in SLIP_PROBLEMS):
        return None
    lines = text.split("\n")
    candidates = [n for n in (line, line - 1) if 0 <= n < len(lines) and _content(lines[n])]
    for number in candidates:
        slip = _slip_at(lines, number)
        if slip is not None:
            return slip
    return None


def _slip_at(lines: list[str], number: int) -> Slip | None:
    column = len(lines[number]) - len(lines[number].lstrip(" "))
    open_levels: list[_Level] = []
    opens_block = True  # the top level: any first column is the document's own
    scalar_under: int | None = None  # inside a block scalar (`>-`, `|`) whose key is at this column
    for n in range(number):
        if not _content(lines[n]):
            continue
        indent = len(lines[n]) - len(lines[n].lstrip(" "))
        if scalar_under is not None and indent > scalar_under:
            continue  # the scalar's text, not structure
        scalar_under = None
        levels = _levels(lines[n], n)
        if not levels:
            continue  # a wrapped scalar's line: no structure
        while open_levels and open_levels[-1].column >= levels[0].column:
            open_levels.pop()
        open_levels += levels
        opens_block = lines[n].rstrip().endswith(":")
        if _BLOCK_SCALAR.search(lines[n]):
            scalar_under = levels[-1].column
    columns = {level.column for level in open_levels}
    at_dash = [level for level in open_levels if level.column == column]
    if at_dash and not at_dash[-1].is_key and not lines[number].lstrip().startswith("-"):
        # A field where the list's `- ` stands: it belongs to the entry (indent it) or starts a new one (`- `).
        inner = open_levels[open_levels.index(at_dash[-1]) + 1 :]
        if inner:
            reason = "where the list above has its `- `"
            return Slip(number, column, inner[0].column, inner[0].label, inner[0].line, reason)
    deeper = open_levels and column > open_levels[-1].column and opens_block
    if not open_levels or column in columns or deeper:
        return None
    # The nearest column a field starts in; on a tie, a field's own (not a list item's dash), then the deeper one.
    best = min(open_levels, key=lambda level: (abs(level.column - column), not level.is_key, -level.column))
    return Slip(number, column, best.column, best.label, best.line)


def spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"
