"""A translation's first draft (``briefs translate ID --to LANG``) and its record of being done (``--done``).

The scaffold carries over what a translation shares with its original (date,
topics, sources, the comparisons' structure and claim sources) and, as a
starting point, the original's words in every text field; it is a draft and
records the original's version. Recording a translation done touches nothing
but ``translated_from``: a translator's comments, order and quoting stay as
they are, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..core.model import Brief, Claim, Source
from ..core.versions import LANG_PATTERN, is_version

FIELD = "translated_from"


class _Dumper(yaml.SafeDumper):
    """``yaml.safe_dump``, but a datetime is written as ISO 8601 with its offset, as writers write ``date``."""


def _datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.datetime, _datetime)


def translation_path(original: Brief, lang: str) -> Path:
    """Where the ``lang`` version of a brief lives: beside its original."""
    return original.path.with_name(f"{lang}.md")


def _check(lang: str, version: str) -> None:
    if not LANG_PATTERN.fullmatch(lang):
        raise ValueError(f"not a language code: {lang!r}")
    if not is_version(version):
        raise ValueError(f"not a content version (12 hex digits): {version!r}")


def _gives_slug(title: str) -> bool:
    """Whether a URL slug can be derived from ``title``: it holds a Latin letter or a digit, accents aside.

    >>> _gives_slug("Café Rom"), _gives_slug("Рим")
    (True, False)
    """
    return any(c.isascii() and c.isalnum() for c in unicodedata.normalize("NFKD", title))


def scaffold_fields(original: Brief, to_lang: str, version: str) -> dict[str, Any]:
    """The scaffold's front-matter, in the order a writer reads it."""
    _check(to_lang, version)
    fields: dict[str, Any] = {"title": original.title, "summary": original.summary, "date": original.published}
    if not _gives_slug(original.title):
        fields["slug"] = original.slug  # the title gives none: keep the page reachable until it is translated
    if original.topics:
        fields["topics"] = list(original.topics)
    fields["draft"] = True
    fields[FIELD] = {"lang": original.lang, "version": version}
    fields["key_details"] = list(original.key_details)
    fields["sources"] = [_source(s) for s in original.sources]
    # A comparison block stands in the body, which the scaffold carries over as it is.
    written = [c for c in original.comparisons if not c.in_body]
    if written:
        fields["comparisons"] = [
            {
                "topic": c.topic,
                "summary": c.summary,
                "claims": [_claim(claim) for claim in c.claims],
                "why": c.why,
            }
            for c in written
        ]
    if original.authors:
        fields["authors"] = list(original.authors)
    return fields


def _claim(claim: Claim) -> dict[str, Any]:
    """A claim as the translation starts it: the quote to translate; its article and original words carry over."""
    data: dict[str, Any] = {"source": claim.source, "quote": claim.quote}
    if claim.url:
        data["url"] = claim.url
    if claim.original:
        data["original"] = claim.original
    return data


def _source(source: Source) -> dict[str, Any]:
    """Every field of a source, optional ones when set; ``lang`` always, so the default is visible."""
    fields: dict[str, Any] = {"name": source.name, "url": source.url}
    if source.title:
        fields["title"] = source.title
    if source.published:
        fields["published"] = source.published
    fields["lang"] = source.lang
    return fields


def dump_front_matter(fields: dict[str, Any]) -> str:
    """YAML for front-matter, read back and compared before it is trusted.

    Quoting is PyYAML's (``'2026'``, ``'no'``, ``'*bold* start'`` stay text),
    and the round trip proves it: a value that would come back as anything
    else than what was meant raises instead of writing a wrong brief.
    """
    text = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    if yaml.safe_load(text) != fields:
        raise ValueError("the front-matter would not read back as written")
    return text


def translation_text(original: Brief, to_lang: str, version: str) -> str:
    """The text of a new ``to_lang`` translation of ``original``, made from content version ``version``.

    It passes ``briefs check`` once ``translated_from`` is a known field.
    """
    front = dump_front_matter(scaffold_fields(original, to_lang, version))
    note = (
        f"# A {to_lang} translation of {original.lang}.md, made from its version {version}.\n"
        "# Every text below is still the original's: translate them, keep dates, sources and claim sources,\n"
        "# then remove `draft: true`. If the original changes meanwhile, `briefs diff` shows what changed\n"
        "# and `briefs translate --done` records that this translation caught up.\n"
    )
    return f"---\n{note}{front}---\n\n{original.body}"


def write_translation(original: Brief, to_lang: str, version: str) -> Path:
    """Write the scaffold beside the original; never over an existing file (``FileExistsError``)."""
    path = translation_path(original, to_lang)
    text = translation_text(original, to_lang, version)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_RESOLVER = yaml.resolver.Resolver()


def yaml_scalar(value: str, style: str | None = None) -> str:
    """``value`` as a YAML scalar that reads back as that text: plain where safe, else double-quoted.

    ``style`` keeps a writer's quotes (``'`` or ``"``).

    >>> yaml_scalar("en"), yaml_scalar("no"), yaml_scalar("000000000012"), yaml_scalar("de", "'")
    ('en', '"no"', '"000000000012"', "'de'")
    """
    resolved: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    plain = _PLAIN.match(value) and resolved == "tag:yaml.org,2002:str"
    if style == "'" and "'" not in value:
        return f"'{value}'"
    if style == '"' or not plain:
        return json.dumps(value)  # a JSON string is a YAML double-quoted scalar
    return value


class _Edits:
    """Replacements in a text, by offset, applied from the end so that offsets hold."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _line_end(text: str, offset: int) -> int:
    """The offset just after the line that ``offset`` is on (a block node's end may already be there)."""
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _record_in_mapping(edits: _Edits, front: str, node: yaml.MappingNode, wanted: dict[str, str], newline: str) -> None:
    """Rewrite the values of an existing ``translated_from`` mapping; add the keys it lacks after its last one."""
    present: dict[str, yaml.Node] = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    missing = [f"{key}: {yaml_scalar(value)}" for key, value in wanted.items() if key not in present]
    for key, value in wanted.items():
        found = present.get(key)
        if isinstance(found, yaml.ScalarNode) and found.start_mark.index < found.end_mark.index:
            edits.replace(found.start_mark.index, found.end_mark.index, yaml_scalar(value, found.style))
        elif found is not None:
            edits.replace(found.start_mark.index, found.end_mark.index, yaml_scalar(value))
    if not missing:
        return
    if node.flow_style:
        closing = node.end_mark.index - 1
        edits.replace(closing, closing, (", " if node.value else "") + ", ".join(missing))
    else:
        indent = " " * node.value[0][0].start_mark.column
        at = _line_end(front, node.value[-1][1].end_mark.index)
        edits.replace(at, at, "".join(f"{indent}{line}{newline}" for line in missing))


def record_done(text: str, lang: str, version: str) -> str:
    """``text`` of a translation with ``translated_from`` set to ``{lang, version}``; nothing else changes.

    The field is rewritten in place (its values keep their quotes) or, when
    missing, added at the end of the front-matter. Raises ``ValueError`` with
    a one-line message when the front-matter cannot be edited safely.

    >>> print(record_done("---\\ntitle: Rom  # kept\\ntranslated_from: {lang: 'en', version: 0123456789ab}\\n---\\nText\\n",
    ...                   "en", "ba9876543210"), end="")
    ---
    title: Rom  # kept
    translated_from: {lang: 'en', version: ba9876543210}
    ---
    Text
    """
    _check(lang, version)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    boundary = YAMLHandler.FM_BOUNDARY
    assert boundary is not None
    opening = boundary.match(body)
    closing = boundary.search(body, opening.end()) if opening else None
    if opening is None or closing is None:
        raise ValueError("the file has no front-matter between two `---` lines")
    start, end = opening.end(), closing.start()
    front = body[start:end]
    newline = "\r\n" if "\r\n" in front else "\n"
    # The pure-Python loader: its marks are exact character offsets into ``front``.
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
        before = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise ValueError(f"the front-matter is not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(root, yaml.MappingNode) or not isinstance(before, dict):
        raise ValueError("the front-matter is not a mapping of fields")
    wanted = {"lang": lang, "version": version}
    edits = _Edits(front)
    entry = next(((k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == FIELD), None)
    flow = f"{{lang: {yaml_scalar(lang)}, version: {yaml_scalar(version)}}}"
    if entry is None:
        indent = " " * root.value[0][0].start_mark.column if root.value else ""
        block = f"{indent}{FIELD}:{newline}{indent}  lang: {yaml_scalar(lang)}{newline}{indent}  version: {yaml_scalar(version)}"
        edits.replace(len(front), len(front), ("" if front.endswith("\n") else newline) + block + newline)
    elif isinstance(entry[1], yaml.MappingNode):
        _record_in_mapping(edits, front, entry[1], wanted, newline)
    elif entry[1].start_mark.index == entry[1].end_mark.index:
        edits.replace(entry[1].start_mark.index, entry[1].start_mark.index, f" {flow}")
    else:
        edits.replace(entry[1].start_mark.index, entry[1].end_mark.index, flow)
    new_front = edits.apply()
    _verify(before, new_front, wanted)
    return bom + body[:start] + new_front + body[end:]


def _verify(before: dict[str, Any], new_front: str, wanted: dict[str, str]) -> None:
    """The edit changed ``translated_from`` and nothing else, or it is refused."""
    try:
        after = yaml.safe_load(new_front)
    except yaml.YAMLError:
        after = None
    if not isinstance(after, dict) or after.get(FIELD) != wanted:
        raise ValueError(f"`{FIELD}` cannot be rewritten in place here; set it by hand to lang and version")
    if {k: v for k, v in after.items() if k != FIELD} != {k: v for k, v in before.items() if k != FIELD}:
        raise ValueError(f"rewriting `{FIELD}` would change other fields; set it by hand")
