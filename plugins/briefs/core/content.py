"""The translatable content of a brief: the words a translator must carry over.

A translation follows its original's wording, not its metadata: ``date``,
``updated``, ``topics``, ``sources``, ``authors`` and ``draft`` are shared or
the translation's own, so they are left out here. What is left (title,
summary, key details, the comparisons' texts and the body) can be taken from a
checked :class:`~briefs.core.model.Brief`, or from a file's raw text as git history
holds it, where the brief may predate today's vocabulary or rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .loading import BriefFile, Positions, parse_document
from .model import Brief, Claim, Comparison


@dataclass(frozen=True)
class Content:
    """What a translation must say in its own language, as the original writes it."""

    title: str
    summary: str
    key_details: tuple[str, ...]
    comparisons: tuple[Comparison, ...]
    body: str


def content_of(brief: Brief) -> Content:
    """The translatable content of a checked brief.

    A comparison block is part of the body's text, and counts there only, as
    it does for a version read from the file's text.
    """
    written = tuple(c for c in brief.comparisons if not c.in_body)
    return Content(brief.title, brief.summary, brief.key_details, written, brief.body)


def normalize_text(text: str) -> str:
    """One line of words: runs of whitespace become one space, the ends are stripped.

    Composed Unicode (NFC) too, so that an editor saving ``ü`` as ``u`` plus a
    combining mark does not make a translation look outdated.

    >>> normalize_text("  Eight\\n  agreements\\t were  signed. ")
    'Eight agreements were signed.'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def paragraphs(body: str) -> tuple[str, ...]:
    """The body's paragraphs (blocks between blank lines), each normalized.

    Re-wrapping the lines of a paragraph keeps its words; a blank line added
    or removed between two paragraphs changes the structure a reader sees.

    >>> paragraphs("## Talks\\n\\nMerz met\\nMeloni.  \\n\\n\\n Then   Rome.\\n")
    ('## Talks', 'Merz met Meloni.', 'Then Rome.')
    """
    found: list[str] = []
    block: list[str] = []
    for line in [*body.split("\n"), ""]:
        if line.strip():
            block.append(line)
        elif block:
            found.append(normalize_text(" ".join(block)))
            block = []
    return tuple(found)


def decode(data: bytes) -> str | None:
    """A file's bytes as text the way briefs are read: UTF-8 (a BOM allowed), ``\\n`` line ends.

    >>> decode(b"\\xef\\xbb\\xbf---\\r\\ntitle: x\\r\\n"), decode(b"\\xff")
    ('---\\ntitle: x\\n', None)
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_of_fields(fields: Mapping[str, Any], body: str) -> Content | None:
    """The content of raw front-matter fields, or ``None`` when a translatable field is missing or malformed.

    Only the shape of the translatable fields is checked: an old version whose
    topics, sources or other fields today's rules would refuse still tells
    what its words were.

    >>> content_of_fields({"title": "Rome", "summary": "Talks.", "key_details": ["Eight."]}, "Body.").title
    'Rome'
    >>> content_of_fields({"title": 2026, "summary": "Talks.", "key_details": []}, "") is None
    True
    """
    title, summary, details = fields.get("title"), fields.get("summary"), fields.get("key_details")
    if not isinstance(title, str) or not isinstance(summary, str) or not isinstance(details, list):
        return None
    if not all(isinstance(detail, str) for detail in details):
        return None
    comparisons: list[Comparison] = []
    raw = fields.get("comparisons") or []
    if not isinstance(raw, list):
        return None
    for item in raw:
        comparison = _comparison(item)
        if comparison is None:
            return None
        comparisons.append(comparison)
    return Content(title.strip(), summary.strip(), tuple(d.strip() for d in details), tuple(comparisons), body)


def _comparison(item: Any) -> Comparison | None:
    if not isinstance(item, dict):
        return None
    topic, summary, why, claims = item.get("topic"), item.get("summary"), item.get("why"), item.get("claims")
    if not all(isinstance(text, str) for text in (topic, summary, why)) or not isinstance(claims, list):
        return None
    parsed: list[Claim] = []
    for claim in claims:
        if not isinstance(claim, dict) or not isinstance(claim.get("source"), str) or not isinstance(claim.get("quote"), str):
            return None
        parsed.append(Claim(claim["source"].strip(), claim["quote"].strip()))
    return Comparison(str(topic).strip(), str(summary).strip(), tuple(parsed), str(why).strip())


def content_of_text(text: str, display: str = "<text>") -> Content | None:
    """The content of a brief file's text, or ``None`` when it does not parse.

    Only the translatable fields must be well formed (see
    :func:`content_of_fields`); :func:`~briefs.core.checked.checked_content`
    also applies every check the build applies. Either way a valid brief
    gives what :func:`content_of` gives.

    >>> content_of_text("---\\ntitle: Rome\\nsummary: Talks.\\nkey_details: [Eight.]\\n---\\n\\nBody.\\n").body
    'Body.\\n'
    >>> content_of_text("no front-matter") is None
    True
    """
    file = parsed_file(text, display)
    return None if file is None else content_of_fields(file.fields or {}, file.body)


def parsed_file(text: str, display: str) -> BriefFile | None:
    """A brief file's text parsed, or ``None`` when its front-matter does not parse."""
    file = BriefFile(Path(display), display, None, Positions())
    parse_document(file, text)
    if file.fields is None or any(f.is_error for f in file.findings):
        return None
    return file
