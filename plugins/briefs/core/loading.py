"""Loading a brief file: bytes -> text -> front-matter fields with YAML positions.

Every problem found here is a :class:`~briefs.findings.Finding` with a line and
column, because a writer must be able to jump to it. PyYAML's ``safe_load``
forgets where values came from (and raises on ``2026-02-30`` without a
position), so the front-matter is composed into nodes and constructed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from .blocks import OPTION_INDENT, SplitBody, split_body
from .files import FileTooLarge, read_plain_file
from .findings import Finding, Severity
from .indentation import find_slip, spaces

MAX_BYTES = 1024 * 1024
#: The deepest the brief format nests: comparisons[i].claims[j].quote is 4.
MAX_DEPTH = 6

FieldPath = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
#: The tags YAML gives plain values by itself; any other was written by hand.
_PLAIN_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {f"{_YAML}int", f"{_YAML}float"}
#: The longest number a brief can mean (a year, a count).
MAX_NUMBER = 40

# LibYAML's parser is an order of magnitude faster and keeps node positions too.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mark(NamedTuple):
    """A place in a file, 1-based."""

    line: int
    column: int


START = Mark(1, 1)


@dataclass(frozen=True)
class InvalidScalar:
    """A YAML value that could not be constructed (already reported)."""

    raw: str


@dataclass
class Positions:
    """Where each key and value of the front-matter sits in the file (1-based)."""

    keys: dict[FieldPath, Mark] = field(default_factory=dict)
    values: dict[FieldPath, Mark] = field(default_factory=dict)

    def of(self, path: FieldPath) -> Mark:
        """The value's position, else its key's, else the nearest parent's."""
        while True:
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return START
            path = path[:-1]

    def key(self, path: FieldPath) -> Mark:
        return self.keys.get(path) or self.of(path)


@dataclass
class BriefFile:
    """One language file of a brief, read and parsed but not yet validated."""

    path: Path
    display: str
    fields: dict[str, Any] | None
    positions: Positions
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)
    #: The body's comparison blocks (SPEC §9), and each one's fields as read (None where unreadable).
    split: SplitBody = field(default_factory=lambda: SplitBody((), ""))
    blocks: list[dict[str, Any] | None] = field(default_factory=list)

    def finding(
        self,
        code: str,
        message: str,
        at: FieldPath | Mark = (),
        *,
        severity: Severity = Severity.ERROR,
        suggestion: str | None = None,
        key: bool = False,
    ) -> Finding:
        """A finding at ``at``: a :class:`Mark`, or a field path (its value's place, or its key's)."""
        if isinstance(at, Mark):
            line, column = at
        else:
            line, column = self.positions.key(at) if key else self.positions.of(at)
        return Finding(self.display, line, column, severity, code, message, suggestion)


def describe(value: Any) -> str:
    """Name a YAML value's type the way a writer would.

    >>> describe(True), describe(1.1), describe(["a"])
    ('a boolean', 'a number', 'a list')
    """
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def read_text(path: Path, display: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8, accepting a byte-order mark and CRLF line endings.

    Never through a symbolic link, and never more than a brief may hold.
    """
    try:
        data = read_plain_file(path, MAX_BYTES)
    except FileTooLarge as exc:
        msg = f"file is {exc.size / MAX_BYTES:.1f} MiB; a brief may be at most 1 MiB"
        return None, [Finding(display, 1, 1, Severity.ERROR, "BR003", msg)]
    except OSError as exc:
        msg = f"file cannot be read as a plain file ({exc.strerror or exc})"
        return None, [Finding(display, 1, 1, Severity.ERROR, "BR207", msg, "replace it with the file itself")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        msg = f"file is not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start})"
        hint = "save the file as UTF-8"
        return None, [Finding(display, line, column, Severity.ERROR, "BR001", msg, hint)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [Finding(display, 1, 1, Severity.ERROR, "BR002", "file is empty")]
    return text, []


def load_brief_file(path: Path, display: str | None = None) -> BriefFile:
    """Read ``path`` into a :class:`BriefFile`; problems land in ``.findings``."""
    display = display or path.as_posix()
    brief = BriefFile(path, display, None, Positions())
    text, problems = read_text(path, display)
    brief.findings += problems
    if text is None:
        return brief
    parse_document(brief, text)
    return brief


class Document(NamedTuple):
    """A brief file's text cut in two: its front-matter and its body, with the lines each starts on."""

    front: str
    first_line: int
    body: str
    body_line: int


def split_document(text: str) -> Document | None:
    """``text`` cut at its front-matter's ``---`` lines, or ``None`` when it has no closed front-matter."""
    boundary = YAMLHandler.FM_BOUNDARY
    assert boundary is not None
    opening = boundary.match(text)
    closing = None if opening is None else boundary.search(text, opening.end())
    if opening is None or closing is None:
        return None
    body_start = closing.end() + (1 if text[closing.end() : closing.end() + 1] == "\n" else 0)
    first_line = text.count("\n", 0, opening.end()) + 1
    return Document(text[opening.end() : closing.start()], first_line, text[body_start:], text.count("\n", 0, body_start) + 1)


def parse_document(brief: BriefFile, text: str) -> None:
    """Split ``text`` into front-matter and body and parse the front-matter."""
    document = split_document(text)
    if document is None:
        opened = YAMLHandler.FM_BOUNDARY.match(text) if YAMLHandler.FM_BOUNDARY else None
        if opened is None:
            message, hint = (
                "file does not start with a `---` front-matter block",
                "put the fields between two `---` lines at the top",
            )
            brief.findings.append(brief.finding("BR010", message, START, suggestion=hint))
        else:
            message, hint = "front-matter opened on line 1 is never closed", "end the fields with a line holding only `---`"
            brief.findings.append(brief.finding("BR011", message, START, suggestion=hint))
        return
    brief.body, brief.body_line = document.body, document.body_line
    _parse_front(brief, document.front, document.first_line)


def _parse_front(brief: BriefFile, front: str, first_line: int) -> None:
    _blocks(brief)
    if not front.strip():
        brief.findings.append(brief.finding("BR012", "front-matter is empty", Mark(first_line, 1)))
        return
    if _tabs_in_indentation(brief, front, first_line):
        return
    _compose(brief, front, first_line)


_OPTION = re.compile(r"^ {0,3}(summary|claims)[ \t]*:")


def _unindented_option(lines: list[str]) -> tuple[int, str] | None:
    """The first of a block's content lines that is an option written at the margin: (its index, the option)."""
    for index, line in enumerate(lines):
        found = _OPTION.match(line)
        if found:
            return index, found.group(1)
    return None


#: Where the body's comparison blocks are, as field paths: ``body.comparisons[0].claims``.
BLOCKS_PATH: FieldPath = ("body", "comparisons")


def _blocks(brief: BriefFile) -> None:
    """Read the body's comparison blocks: each one's options as located YAML, its title and content as fields."""
    brief.split = split_body(brief.body)
    for index, block in enumerate(brief.split.blocks):
        path = (*BLOCKS_PATH, index)
        header = Mark(brief.body_line + block.start, 1)
        brief.positions.values[path] = header
        if block.end is None:
            brief.findings.append(
                brief.finding(
                    "BR019",
                    f"the comparison block opened on line {header.line} is never closed",
                    header,
                    suggestion="end it with a line holding only `///`",
                )
            )
            brief.blocks.append(None)
            continue
        slip = _unindented_option(brief.body.split("\n")[block.content_line : block.end])
        if not block.options.strip() and slip is not None:
            # The likely slip: the options written at the margin, where they read as the block's text.
            line = brief.body_line + block.content_line + slip[0]
            message = (
                f"`{field_path(path)}`: the option `{slip[1]}:` on line {line} is not indented, so it reads as the block's text"
            )
            hint = f"indent the options (summary, claims) by {OPTION_INDENT} spaces; the text after them stays at the margin"
            brief.findings.append(brief.finding("BR013", message, Mark(line, 1), suggestion=hint))
            brief.blocks.append(None)
            continue
        fields: dict[str, Any] = {}
        if block.options.strip():
            options = _compose_value(brief, block.options, brief.body_line + block.options_line, path, column=OPTION_INDENT)
            if options is _FAILED:
                brief.blocks.append(None)
                continue
            if not isinstance(options, dict):
                what = describe(options)
                message = f"`{field_path(path)}`: the options must be `name: value` lines (summary, claims), found {what}"
                brief.findings.append(brief.finding("BR013", message, Mark(brief.body_line + block.options_line, 5)))
                brief.blocks.append(None)
                continue
            fields.update(options)
        for name, value, mark in (
            ("topic", block.title, Mark(header.line, block.title_column)),
            ("why", block.content, Mark(brief.body_line + block.content_line, 1)),
        ):
            if name in fields:
                part = "title" if name == "topic" else "content"
                message = f"`{field_path((*path, name))}`: given as an option; a block's {name} is its {part}"
                brief.findings.append(brief.finding("BR016", message, brief.positions.key((*path, name))))
            fields[name] = value
            brief.positions.keys[(*path, name)] = brief.positions.values[(*path, name)] = mark
        brief.blocks.append(fields)


def _tabs_in_indentation(brief: BriefFile, front: str, first_line: int) -> bool:
    found = False
    for number, line in enumerate(front.split("\n")):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            brief.findings.append(
                brief.finding(
                    "BR015",
                    "tab character in indentation",
                    Mark(first_line + number, indent.index("\t") + 1),
                    suggestion="use spaces to indent YAML",
                )
            )
            found = True
    return found


_FAILED = object()


def _compose_value(brief: BriefFile, text: str, first_line: int, path: FieldPath, *, column: int = 0) -> Any:
    """The YAML ``text`` (at ``first_line``, indented by ``column``) as located values; ``_FAILED`` after a reported error."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as exc:
        # Control characters: PyYAML gives a character offset, not a mark.
        line = first_line + text.count("\n", 0, exc.position)
        at = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1 + column
        message = f"character U+{exc.character:04X} is not allowed in YAML"
        hint = "delete it; it is invisible in most editors"
        brief.findings.append(brief.finding("BR014", message, Mark(line, at), suggestion=hint))
        return _FAILED
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        at = (mark.column if mark else 0) + 1 + column
        problem = exc.problem or exc.context or "invalid YAML"
        slip = find_slip(text, mark.line, problem) if mark else None
        if slip is not None:
            # Named in the writer's terms: the column, and the field above it should line up with.
            message = f"YAML indentation: this line starts at column {slip.column + 1 + column}, {slip.reason}"
            hint = f"start it in column {slip.expected + 1 + column}, like `{slip.label}` on line {first_line + slip.label_line}"
            if slip.expected < slip.column:
                hint += f" ({spaces(slip.column - slip.expected)} fewer)"
            else:
                hint += f" ({spaces(slip.expected - slip.column)} more)"
            at = Mark(first_line + slip.line, slip.column + 1 + column)
            brief.findings.append(brief.finding("BR014", message, at, suggestion=hint))
            return _FAILED
        hint = None
        if "mapping values are not allowed" in problem:
            hint = 'quote the value if it contains ": "'
        elif "found character" in problem and "'\\t'" in problem:
            hint = "use spaces, not tabs"
        brief.findings.append(brief.finding("BR014", f"YAML syntax error: {problem}", Mark(line, at), suggestion=hint))
        return _FAILED
    if root is None:
        return None
    builder = _Builder(brief, first_line, column)
    value = builder.build(root, path)
    if builder.failed:
        return _FAILED
    if not isinstance(value, dict) and not path:
        brief.findings.append(
            brief.finding(
                "BR013",
                f"front-matter must be a mapping of fields, found {describe(value)}",
                builder.position(root),
                suggestion="write one `field: value` per line",
            )
        )
        return _FAILED
    return value


def _compose(brief: BriefFile, front: str, first_line: int) -> None:
    value = _compose_value(brief, front, first_line, ())
    if value is None:
        brief.findings.append(brief.finding("BR012", "front-matter is empty", Mark(first_line, 1)))
    elif value is not _FAILED:
        brief.fields = value


class _Builder:
    """Constructs Python values from YAML nodes, recording each node's position."""

    def __init__(self, brief: BriefFile, first_line: int, column: int = 0) -> None:
        self.brief = brief
        self.first_line = first_line
        self.column = column
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()
        self.failed = False

    def position(self, node: yaml.Node) -> Mark:
        return Mark(self.first_line + node.start_mark.line, node.start_mark.column + 1 + self.column)

    def fail(self, code: str, message: str, node: yaml.Node, hint: str | None = None) -> None:
        self.failed = True
        self.brief.findings.append(self.brief.finding(code, message, self.position(node), suggestion=hint))

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        # An alias is the same node object met twice; refusing it also stops
        # "billion laughs" expansion before it starts.
        if id(node) in self.seen:
            self.fail("BR017", "YAML anchors and aliases are not allowed in briefs", node, "write the value out")
            return None
        self.seen.add(id(node))
        self.brief.positions.values[path] = self.position(node)
        if len(path) > MAX_DEPTH:
            self.fail("BR018", "value is nested deeper than the brief format allows", node)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("BR014", "YAML syntax error: a field name must be plain text", key_node)
                continue
            key = self._scalar(key_node, path)
            key = key if isinstance(key, str) else str(key_node.value)
            key_path = (*path, key)
            if key in result:
                first = self.brief.positions.keys[key_path][0]
                self.fail(
                    "BR016",
                    f"field `{field_path(key_path)}` is given twice (first on line {first})",
                    key_node,
                    "keep one of them",
                )
                continue
            self.brief.positions.keys[key_path] = self.position(key_node)
            result[key] = self.build(value_node, key_path)
        return result

    def _scalar(self, node: yaml.Node, path: FieldPath) -> Any:
        if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER:
            # YAML 1.1 reads 1:59:59:… as one base-60 number, in time that grows with its square.
            self.fail("BR103", f"`{field_path(path)}`: a number of {len(str(node.value))} characters", node, "quote the value")
            return None
        if node.tag not in _PLAIN_TAGS:
            # An explicit tag (!!timestamp, !!binary, !foo) asks PyYAML for types a brief has no use for.
            self.fail("BR014", f"YAML error: the tag {str(node.tag)[:40]!r} is not allowed in briefs", node, "remove the tag")
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # PyYAML raises a bare ValueError for 2026-02-30: no position, no field.
            self.brief.findings.append(
                self.brief.finding(
                    "BR105",
                    f"`{field_path(path)}`: {node.value} is not a calendar date",
                    self.position(node),
                    suggestion="write a real date as YYYY-MM-DD",
                )
            )
            return InvalidScalar(str(node.value))
        except yaml.constructor.ConstructorError as exc:
            self.fail("BR014", f"YAML error: {exc.problem}", node)
            return None
        except Exception:  # PyYAML's constructors fail in many ways on odd values
            self.fail("BR014", f"YAML error: cannot read the value of `{field_path(path)}`", node, "quote the value")
            return None


def field_path(path: FieldPath) -> str:
    """``("comparisons", 0, "claims")`` -> ``comparisons[0].claims``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
