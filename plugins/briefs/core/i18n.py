"""The plugin's own words in each language, from Babel message catalogs.

Catalogs are the ``.po`` files under ``locales/``; they are read with Babel at
start-up (no compiled ``.mo`` to keep in step). English is the source language,
so a missing English entry falls back to the message id itself.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent.parent / "locales"
DOMAIN = "briefs"

#: OpenGraph wants a territory: ``og:locale`` is ``en_US`` / ``de_DE``.
OG_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "it": "it_IT", "es": "es_ES", "pl": "pl_PL"}


@cache
def catalog(lang: str) -> dict[str, str]:
    """``msgid -> msgstr`` for ``lang`` (empty when there is no catalog)."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@cache
def language_name(code: str, in_lang: str = "en") -> str:
    """A language's name, written in ``in_lang``.

    >>> language_name("de"), language_name("en", "de"), language_name("de", "de")
    ('German', 'Englisch', 'Deutsch')
    """
    try:
        return Locale.parse(in_lang).languages.get(code, code)
    except (ValueError, TypeError):
        return code


@lru_cache(maxsize=65536)
def _format_date(value: dt.date, format: str, lang: str) -> str:
    # Babel is thorough and slow; a site shows the same dates on many lists.
    return format_date(value, format=format, locale=lang)


class Translator:
    """Looks up the plugin's messages in one language.

    >>> Translator("de")("Key details")
    'Das Wichtigste'
    >>> Translator("de")("Page {n} of {total}", n=2, total=5)
    'Seite 2 von 5'
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._messages = catalog(lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self._messages.get(message, message)
        return text.format(**values) if values else text

    def date(self, value: dt.date, format: str = "long") -> str:
        """A date written for readers of this language.

        >>> Translator("de").date(dt.date(2026, 1, 23)), Translator("en").date(dt.date(2026, 1, 23))
        ('23. Januar 2026', 'January 23, 2026')
        """
        return _format_date(value, format, self.lang)

    def month(self, value: dt.date) -> str:
        """A month heading.

        >>> Translator("de").month(dt.date(2026, 3, 1))
        'März 2026'
        """
        return _format_date(value, "LLLL y", self.lang)

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.lang, self.lang)
