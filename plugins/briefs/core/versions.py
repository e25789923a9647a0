"""The content version of a brief, and the ``translated_from`` record that cites it (SPEC §8).

A version is the first 12 hex digits of the SHA-256 of the brief's
translatable content (:mod:`.content`), whitespace-normalized, so that
re-wrapping a paragraph or reordering YAML keys never makes a translation look
outdated, while any changed word does. It is computed from parsed values, not
bytes: YAML layout and key order cannot reach it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from .content import Content, content_of, content_of_text, decode, normalize_text, paragraphs
from .memory import remembered
from .model import Brief, TranslatedFrom, newer_version

VERSION_LENGTH = 12
VERSION_PATTERN = re.compile(r"[0-9a-f]{12}")
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")
#: Part of every fingerprint. Changing what a version covers changes every
#: version, and every recorded translation then reads as outdated: a new
#: scheme must come with a way to re-record the versions of up-to-date files.
SCHEME = "briefs-content/1"


#: ``json.dumps(…, ensure_ascii=False, separators=(",", ":"))``, its encoder made once (``briefs status`` asks 20,000 times).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def fingerprint(content: Content) -> str:
    """The 12-hex version of ``content``.

    Each text is normalized (:func:`~.content.normalize_text`), the body per
    paragraph; claims keep their source and their order, because a translation
    quotes the same sources in the same order.
    """
    comparisons = [
        [
            normalize_text(c.topic),
            normalize_text(c.summary),
            normalize_text(c.why),
            [[normalize_text(claim.source), normalize_text(claim.quote)] for claim in c.claims],
        ]
        for c in content.comparisons
    ]
    canonical = [
        SCHEME,
        normalize_text(content.title),
        normalize_text(content.summary),
        [normalize_text(d) for d in content.key_details],
        comparisons,
        list(paragraphs(content.body)),
    ]
    data = _CANONICAL.encode(canonical).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]


def content_version(brief: Brief) -> str:
    """The version of a checked brief's translatable content (checks, the status page and the desk ask for it)."""
    return remembered(brief, "_content_version", lambda: fingerprint(content_of(brief)))


def version_of_text(text: str, display: str = "<text>") -> str | None:
    """The version of a brief file's text (as read from git history), or ``None`` if it does not parse.

    (:func:`~.checked.checked_version` also applies the build's checks.) Layout,
    key order, line wrapping and the fields that are not translated leave the
    version as it is:

    >>> a = version_of_text("---\\ntitle: Rome\\nsummary: Talks.\\nkey_details: [Eight.]\\n---\\nMerz met Meloni.\\n")
    >>> b = version_of_text(
    ...     "---\\nkey_details:\\n  - Eight.\\nsummary: Talks.\\ntitle: Rome\\nupdated: 2026-02-01\\n---\\n"
    ...     "\\nMerz  met\\nMeloni.\\n"
    ... )
    >>> c = version_of_text("---\\ntitle: Rome\\nsummary: Talks.\\nkey_details: [Eight.]\\n---\\nMerz met Scholz.\\n")
    >>> a == b, a == c, len(a)
    (True, False, 12)
    """
    content = content_of_text(text, display)
    return None if content is None else fingerprint(content)


def version_of_bytes(data: bytes, display: str = "<bytes>") -> str | None:
    """:func:`version_of_text` of a file's bytes, as git stores them (``None`` if not UTF-8)."""
    text = decode(data)
    return None if text is None else version_of_text(text, display)


def is_version(value: object) -> bool:
    """Whether ``value`` is written as a version is.

    >>> is_version("0123456789ab"), is_version("0123456789AB"), is_version(12)
    (True, False, False)
    """
    return isinstance(value, str) and VERSION_PATTERN.fullmatch(value) is not None


class TranslatedFromError(ValueError):
    """A ``translated_from`` value that is not ``{lang, version}``: where, what, and how to fix it."""

    def __init__(self, field: str, message: str, suggestion: str | None = None) -> None:
        super().__init__(f"`{field}`: {message}")
        self.field = field
        self.suggestion = suggestion


def parse_translated_from(value: Any, field: str = "translated_from") -> TranslatedFrom:
    """A front-matter ``translated_from`` value, checked.

    >>> parse_translated_from({"lang": "en", "version": "0123456789ab"})
    TranslatedFrom(lang='en', version='0123456789ab')
    >>> parse_translated_from({"lang": "en", "version": 123456789012})
    Traceback (most recent call last):
      ...
    briefs.core.versions.TranslatedFromError: `translated_from.version`: expected 12 hex digits, found 123456789012
    """
    if not isinstance(value, dict):
        raise TranslatedFromError(field, "expected a mapping {lang, version}", "write `lang:` and `version:` below it")
    unknown = sorted(str(key) for key in value if key not in {"lang", "version"})
    if unknown:
        raise TranslatedFromError(f"{field}.{unknown[0]}", "unknown field", "only `lang` and `version` belong here")
    lang, version = value.get("lang"), value.get("version")
    if not isinstance(lang, str) or not LANG_PATTERN.fullmatch(lang):
        raise TranslatedFromError(f"{field}.lang", f"expected the original's language code, found {lang!r}", "e.g. `lang: en`")
    if not is_version(version):
        hint = "quote it" if isinstance(version, int | float) else "run `briefs translate ID --to LANG --done` to record it"
        raise TranslatedFromError(f"{field}.version", f"expected {VERSION_LENGTH} hex digits, found {version!r}", hint)
    assert isinstance(version, str)
    return TranslatedFrom(lang, version)


def outdated_by(brief: Brief, versions: dict[str, Brief]) -> Brief | None:
    """The version of a pair that makes ``brief`` outdated, if any (SPEC §8, else §3).

    A translation that records its original (``translated_from``) is outdated
    exactly when the original's content version differs from the recorded one;
    one that does not keeps the date rule: the other side changed later.
    """
    record = brief.translated_from
    if record is not None:
        original = versions.get(record.lang)
        if original is None or original is brief:
            return None
        return original if content_version(original) != record.version else None
    newest = newer_version(brief, versions.values())
    # An original is never outdated by a translation that follows it.
    if newest is not None and newest.translated_from is not None and newest.translated_from.lang == brief.lang:
        return None
    return newest
