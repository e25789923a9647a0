"""A translation's first draft (``briefs translate ID --to LANG``) and its record of being done (``--done``).

The scaffold is the original's own file, edited in place by a round-trip
YAML library: the original's layout, quoting and comments are the
translation's too. It keeps what a translation shares with its original
(date, topics, sources, comparisons, lead image, authors) and, as a
starting point, the original's words in every text field, except that a
claim whose outlet wrote in the target language is quoted in the outlet's
own words (``original``). It is a draft and records the original's version.
Recording a translation done touches nothing but ``translated_from``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.model import Brief
from ..core.versions import LANG_PATTERN, is_version
from .roundtrip import block_mapping, edit_front_matter, flow_mapping, like, put

FIELD = "translated_from"
#: What a translation shares with its original; the rest (``updated``, ``corrections``, ``translators``) is its own.
CARRIED = ("title", "summary", "date", "slug", "topics", "key_details", "sources", "comparisons", "image", "authors")


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


@dataclass(frozen=True)
class _Scaffold:
    """The edits that turn an original's front-matter into its translation's first draft."""

    original: Brief
    to_lang: str
    version: str

    def __call__(self, fields: MutableMapping[str, Any]) -> None:
        for key in [k for k in fields if k not in CARRIED]:
            del fields[key]
        if "slug" in fields and _gives_slug(self.original.title):
            del fields["slug"]  # the translated title gives the translation its own
        put(fields, "draft", True, after=("topics", "date"))
        put(fields, FIELD, block_mapping(fields, {"lang": self.original.lang, "version": self.version}), after=("draft",))
        langs = {}
        for source in fields.get("sources") or []:
            if isinstance(source, MutableMapping):
                put(source, "lang", source.get("lang") or "de")  # the default made visible
                langs[source.get("name")] = source["lang"]
        for comparison in fields.get("comparisons") or []:
            for claim in comparison.get("claims") or [] if isinstance(comparison, MutableMapping) else []:
                words = claim.get("original") if isinstance(claim, MutableMapping) else None
                if words and langs.get(claim.get("source"), "de") == self.to_lang:
                    claim["quote"] = like(claim.get("quote"), words)  # the outlet's own words, in the page's language
                    del claim["original"]


def translation_text(original: Brief, to_lang: str, version: str) -> str:
    """The text of a new ``to_lang`` translation of ``original``, made from content version ``version``."""
    _check(to_lang, version)
    text = original.path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    note = (
        f"# A {to_lang} translation of {original.lang}.md, made from its version {version}.\n"
        "# Every text below is still the original's: translate them, keep dates, sources and claim sources,\n"
        "# then remove `draft: true`. If the original changes meanwhile, `briefs diff` shows what changed\n"
        "# and `briefs translate --done` records that this translation caught up.\n"
    )
    scaffold = edit_front_matter(text, _Scaffold(original, to_lang, version))
    return scaffold.replace("---\n", "---\n" + note, 1)


def still_original(target: Brief, original: Brief) -> list[str]:
    """The text fields of ``target`` still word for word the original's: what is left to translate."""
    left = [name for name in ("title", "summary") if getattr(target, name) == getattr(original, name)]
    left += [f"key_details[{i}]" for i, d in enumerate(target.key_details) if d in original.key_details]
    theirs = {c.topic: c for c in original.comparisons}
    for i, ours in enumerate(target.comparisons):
        where = f"comparisons[{i}]" if not ours.in_body else f"the comparison block {ours.topic!r}"
        first = original.comparisons[i] if i < len(original.comparisons) else theirs.get(ours.topic)
        if first is None:
            continue
        left += [f"{where}.{name}" for name in ("topic", "summary", "why") if getattr(ours, name) == getattr(first, name)]
        quoted = {claim.quote for claim in first.claims}
        left += [f"{where}.claims[{j}].quote" for j, claim in enumerate(ours.claims) if claim.quote in quoted]
    if target.image and original.image:
        for name in ("alt", "caption"):
            words = getattr(target.image, name)
            if words and words == getattr(original.image, name):
                left.append(f"image.{name}")
    if target.body.strip() and target.body.strip() == original.body.strip():
        left.append("the body")
    return left


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


def record_done(text: str, lang: str, version: str) -> str:
    """``text`` of a translation with ``translated_from`` set to ``{lang, version}``; nothing else changes.

    An existing mapping keeps its place, style and comments; any other value
    becomes ``{lang: …, version: …}`` on its line, and a missing field is
    added at the end of the front-matter. Raises ``ValueError`` with a
    one-line message when the front-matter cannot be edited safely.

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
    newline = "\r\n" if "\r\n" in text else "\n"
    wanted = {"lang": lang, "version": version}

    def record(fields: MutableMapping[str, Any]) -> None:
        present = fields.get(FIELD)
        if isinstance(present, MutableMapping) and present:
            for key, value in wanted.items():
                put(present, key, like(present.get(key), value))
        elif FIELD in fields:
            fields[FIELD] = flow_mapping(fields, wanted)
        else:
            fields[FIELD] = block_mapping(fields, wanted)

    done = edit_front_matter(text[len(bom) :].replace("\r\n", "\n"), record)
    return bom + done.replace("\n", newline)
