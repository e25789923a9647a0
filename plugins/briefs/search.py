"""The search index: Pagefind over the built site, one index per page language.

Pagefind reads ``<html lang>`` and writes one index per language (with German
stemming for German pages) into ``pagefind/``. Readers download only the
fragments their query needs, so the first query stays small as the site grows.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .slugs import transliterate

BUNDLE_DIR = "pagefind"
_UMLAUT_WORD = re.compile(r"\w*[äöüÄÖÜß]\w*")


class SearchIndexError(RuntimeError):
    pass


def build_index(site_dir: Path) -> str:
    """Index ``site_dir`` in place; returns Pagefind's summary line."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout.strip()


def transliterated_words(*texts: str) -> str:
    """Words with umlauts as readers type them without a German keyboard.

    Pagefind matches what is written, so ``uebernehmen`` would not find
    ``übernehmen``; indexing the transliteration beside the text lets both
    spellings find the brief.

    >>> transliterated_words("Grenzschutz übernehmen", "Straße und Grenzschutz")
    'strasse uebernehmen'
    """
    words = {transliterate(w).lower() for text in texts for w in _UMLAUT_WORD.findall(text)}
    return " ".join(sorted(words))
