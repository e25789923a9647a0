"""Shards of the search index: a language's brief pages by quarter, and the list the dialog reads.

Each language's index comes in shards of a quarter of a year, named by the
quarter's first month (``pagefind/en/2025-04/``); pages that are not briefs
(the site's own pages) make one shard of their own. A rebuild indexes again
only the shards whose pages changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.cache import digest

if TYPE_CHECKING:
    from ..site.plan import PageSpec

BUNDLE_DIR = "pagefind"


_QUARTERS = {"01": "0[1-3]", "04": "0[4-6]", "07": "0[7-9]", "10": "1[0-2]"}


def brief_pages(lang: str, shard: str | None = None) -> str:
    """The glob of one language's brief pages (``{lang}/{yyyy}/{mm}/{dd}/{slug}/``), or one shard's.

    Lists and site pages are never search results, so Pagefind need not read them.

    >>> brief_pages("de", "2025-04")
    'de/2025/0[4-6]/[0-9][0-9]/*/index.html'
    """
    if shard is None:
        return f"{lang}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"
    year, month = shard.split("-")
    return f"{lang}/{year}/{_QUARTERS[month]}/[0-9][0-9]/*/index.html"


def shard_of(year: str, month: str) -> str:
    """The shard of a brief of that year and month: its quarter, named by the quarter's first month.

    >>> shard_of("2025", "06"), shard_of("2025", "10")
    ('2025-04', '2025-10')
    """
    return f"{year}-{(int(month) - 1) // 3 * 3 + 1:02d}"


#: The shard of a language without briefs: its site pages.
SITE_SHARD = "site"


def bundle_dir(lang: str, shard: str) -> str:
    """Each language's index comes in shards, one per quarter of briefs (``pagefind/{lang}/{yyyy-mm}/``)."""
    return f"{BUNDLE_DIR}/{lang}/{shard}"


def shard_keys(pages: Iterable[PageSpec], keys: dict[str, str]) -> dict[str, str]:
    """Each shard's folder (``pagefind/en/2025-04``) and a key of everything it indexes.

    The key is made of its brief pages' keys (see page_cache.py): the index is
    made from those pages alone. A shard with a page of no key has no key.
    """
    found: dict[str, list[str]] = {}
    unknown: set[str] = set()
    for spec in pages:
        if spec.kind == "brief":
            folder = bundle_dir(spec.lang, _spec_shard(spec))
            key = keys.get(spec.src_uri)
            found.setdefault(folder, []).append(f"{spec.url} {key}")
            if key is None:
                unknown.add(folder)
    return {folder: digest("shard", folder, *sorted(parts)) for folder, parts in found.items() if folder not in unknown}


def _spec_shard(spec: PageSpec) -> str:
    _, year, month, *_ = spec.url.split("/")  # {lang}/{yyyy}/{mm}/{dd}/{slug}/
    return shard_of(year, month)


def planned_shards(pages: Iterable[PageSpec]) -> dict[str, dict[str, int]]:
    """Each language's shards, newest first, with their brief pages' counts: :func:`shards_of`, from a plan."""
    found: dict[str, dict[str, int]] = {}
    for spec in pages:
        if spec.kind == "brief":
            shards = found.setdefault(spec.lang, {})
            shard = _spec_shard(spec)
            shards[shard] = shards.get(shard, 0) + 1
    return {lang: dict(sorted(shards.items(), reverse=True)) for lang, shards in found.items()}


def shards_of(source: Path, lang: str) -> dict[str, int]:
    """The shards of a language's brief pages below ``source``, newest first, with their page counts."""
    shards: dict[str, int] = {}
    for path in source.glob(brief_pages(lang)):
        _, year, month, *_ = path.relative_to(source).parts
        shard = shard_of(year, month)
        shards[shard] = shards.get(shard, 0) + 1
    return dict(sorted(shards.items(), reverse=True))


def write_shard_list(site_dir: Path, counts: dict[str, dict[str, int]]) -> None:
    """``pagefind/shards.json``: each language's shards, newest first, with their page counts.

    The search dialog reads it to merge the shards (and to rank them by date).
    """
    shards = {lang: [[name, count] for name, count in found.items()] for lang, found in sorted(counts.items())}
    root = site_dir / BUNDLE_DIR
    root.mkdir(parents=True, exist_ok=True)
    (root / "shards.json").write_text(json.dumps(shards, separators=(",", ":")), encoding="utf-8")
