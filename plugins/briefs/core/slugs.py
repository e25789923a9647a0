"""Slugs for brief URLs, derived from titles the way German readers expect."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_SLUG = 80

# German transliteration first, so that NFKD does not turn "ä" into a bare "a".
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def transliterate(text: str) -> str:
    """German umlauts as ae/oe/ue/ss, other accents dropped.

    >>> transliterate("Grenzschutz übernehmen, Café Straße")
    'Grenzschutz uebernehmen, Cafe Strasse'
    """
    text = unicodedata.normalize("NFC", text).translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(title: str, max_length: int = MAX_SLUG) -> str:
    """A URL slug from a title: lower case, ``-`` between words, cut at a word.

    >>> slugify('Merz & Meloni: "Europe" <Analysis>')
    'merz-meloni-europe-analysis'
    >>> slugify("Bundestag beschließt Rentenpaket für 2026")
    'bundestag-beschliesst-rentenpaket-fuer-2026'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(title).lower()).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    # Cut at the last word boundary; a single over-long word is cut hard.
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]


_UMLAUT_WORD = re.compile(r"(?<!\w)\w*[äöüÄÖÜß]\w*")
_UMLAUT = re.compile(r"[äöüÄÖÜß]")


def transliterated_words(*texts: str) -> str:
    """Words with umlauts as readers type them without a German keyboard.

    Pagefind matches what is written, so ``uebernehmen`` would not find
    ``übernehmen``; indexing the transliteration beside the text lets both
    spellings find the brief.

    >>> transliterated_words("Grenzschutz übernehmen", "Straße und Grenzschutz")
    'strasse uebernehmen'
    """
    found = {w for text in texts if _UMLAUT.search(text) for w in _UMLAUT_WORD.findall(text)}
    return " ".join(sorted({transliterate(w).lower() for w in found}))
