"""Editing a brief's front-matter the way a writer would: their layout, quotes and comments stay.

ruamel.yaml's round trip keeps what PyYAML's dump loses (comments, key
order, quoting, folded scalars, flow or block style); the indentation is
read from the text, so a file written with ``- item`` or ``  - item`` keeps
its own. Every edit is proven by reading the result back with the same
loader the build uses: the fields must be exactly what the edit meant, or
nothing is written.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, MutableMapping
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError as RoundTripError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

Edit = Callable[[MutableMapping[str, Any]], None]


def split(text: str) -> tuple[str, str, str]:
    """``text`` as (everything up to the front-matter, the front-matter, everything after it)."""
    boundary = YAMLHandler.FM_BOUNDARY
    assert boundary is not None
    opening = boundary.match(text)
    closing = boundary.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise ValueError("the file has no front-matter between two `---` lines")
    start = opening.end() + 1 if text[opening.end() : opening.end() + 1] == "\n" else opening.end()
    return text[:start], text[start : closing.start()], text[closing.start() :]


def _round_trip(front: str) -> tuple[YAML, Any]:
    try:
        _, indent, offset = load_yaml_guess_indent(front)
    except RoundTripError as exc:
        raise ValueError(f"the front-matter is not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    indent, offset = indent or 2, offset or 0
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never fold a writer's long line
    rt.indent(mapping=max(2, indent - offset), sequence=indent, offset=offset)
    return rt, rt.load(front)


def edit_front_matter(text: str, *edits: Edit) -> str:
    """``text`` with its front-matter changed by ``edits``, each applied to the round-trip mapping.

    Each edit is also applied to a plain reading of the fields, and the
    result must read back as that: a value the round trip would change
    (a date, a number, a quoted word) refuses the edit instead of writing a
    wrong brief. Raises ``ValueError`` with a one-line message.
    """
    head, front, tail = split(text)
    try:
        meant = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise ValueError(f"the front-matter is not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    rt, data = _round_trip(front)
    if not isinstance(meant, dict) or not isinstance(data, CommentedMap):
        raise ValueError("the front-matter is not a mapping of fields")
    meant = copy.deepcopy(meant)
    for edit in edits:
        edit(data)
        edit(meant)
    out = io.StringIO()
    rt.dump(data, out)
    new_front = out.getvalue() if data else ""
    try:
        after = yaml.safe_load(new_front)
    except yaml.YAMLError:
        after = None
    if (after or {}) != meant:
        raise ValueError("the front-matter would not read back as meant; edit it by hand")
    return head + new_front + tail


_RESOLVER = yaml.resolver.Resolver()


def as_text(value: Any) -> Any:
    """A new text quoted where the build's YAML 1.1 reader would take it for something else (``no``, ``0012``).

    ruamel writes YAML 1.2, where ``no`` is plain text; PyYAML reads it as false.
    """
    if type(value) is str and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return DoubleQuotedScalarString(value)
    return value


def put(fields: MutableMapping[str, Any], key: str, value: Any, after: tuple[str, ...] = ()) -> None:
    """Set ``key``; a new key goes after the first of ``after`` present (else at the end), where a writer expects it."""
    value = as_text(value)
    if key in fields or not isinstance(fields, CommentedMap):
        fields[key] = value
        return
    keys = list(fields)
    anchor = next((k for k in after if k in fields), None)
    fields.insert(keys.index(anchor) + 1 if anchor else len(keys), key, value)


def like(old: Any, value: str) -> str:
    """``value`` quoted as the writer quoted ``old`` (ruamel writes a new plain text plain, or quoted where it must)."""
    if isinstance(old, SingleQuotedScalarString) and "'" not in value:
        return SingleQuotedScalarString(value)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    return as_text(value)


def flow_mapping(fields: MutableMapping[str, Any], items: dict[str, str]) -> MutableMapping[str, Any]:
    """A new mapping written on one line (``{lang: en, version: …}``) in a round-trip document, else a dict."""
    if not isinstance(fields, CommentedMap):
        return dict(items)
    mapping = CommentedMap({key: as_text(value) for key, value in items.items()})
    mapping.fa.set_flow_style()
    return mapping


def block_mapping(fields: MutableMapping[str, Any], items: dict[str, str]) -> MutableMapping[str, Any]:
    """A new mapping written one key per line."""
    if not isinstance(fields, CommentedMap):
        return dict(items)
    return CommentedMap({key: as_text(value) for key, value in items.items()})
