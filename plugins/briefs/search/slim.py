"""Slim copies: brief pages cut down to what Pagefind reads.

Pagefind parses every page it indexes; a brief page is mostly the theme's
chrome, so indexing a copy holding only its ``data-pagefind-body`` element
(with the ``<html lang>`` and ``<title>`` Pagefind also reads) is several
times faster and gives the same index. Slim copies are kept between builds
(:class:`SlimStore`), so a rebuild cuts only the pages that changed.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from ..core.cache import discard, read_sealed, real_folders, write_sealed
from ..core.codec import Codec

_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_START_TAG = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*>", re.IGNORECASE)
_BODY_MARK = "data-pagefind-body"


def slim_page(html: str) -> str | None:
    """The part of a page Pagefind reads, or None when it cannot be cut out safely.

    A page with a ``data-pagefind-body`` element is indexed from that element
    alone, plus the page's ``<html lang>`` and ``<title>``. Pagefind then parses
    a tenth of the HTML. The cut is made only when it loses nothing Pagefind
    reads: one such element, not nested in its own kind, and no other
    ``data-pagefind-`` attribute (but ``-ignore``) outside it. Plain string
    searches first: this runs for every brief of every build.

    >>> slim_page('<html lang="en"><title>T</title><nav data-pagefind-ignore>x</nav><main data-pagefind-body>y</main>')
    '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main data-pagefind-body>y</main></body></html>'
    >>> slim_page('<html lang="en"><body><p data-pagefind-filter="x">y</p><div data-pagefind-body>z</div></body></html>') is None
    True
    """
    lowered = html.lower()  # attribute and tag names are case-insensitive
    mark = lowered.find(_BODY_MARK)
    if mark < 0 or lowered.find(_BODY_MARK, mark + 1) >= 0:
        return None
    start = lowered.rfind("<", 0, mark)
    tag = _START_TAG.match(html, start) if start >= 0 else None
    lang, title = _HTML_LANG.search(html, 0, start), _TITLE.search(html, 0, start)
    if tag is None or tag.end() <= mark or lang is None or title is None:
        return None
    name = tag.group(1).lower()
    end = lowered.find(f"</{name}>", tag.end())
    if end < 0 or f"<{name}" in lowered[tag.end() : end]:
        return None
    end += len(name) + 3
    outside = lowered.count("data-pagefind-") - lowered.count("data-pagefind-ignore")
    inside = lowered.count("data-pagefind-", start, end) - lowered.count("data-pagefind-ignore", start, end)
    if outside != inside:
        return None
    head = f"<head><title>{title.group(1)}</title></head>"
    return f'<!DOCTYPE html><html lang="{lang.group(1)}">{head}<body>{html[start:end]}</body></html>'


def write_slim(target: Path, html: str) -> None:
    """``html`` as Pagefind needs it (the whole page when it cannot be cut) at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((slim_page(html) or html).encode("utf-8", errors="xmlcharrefreplace"))


class SlimStore:
    """Brief pages cut down for Pagefind, kept in the cache folder from one build to the next.

    A rebuild indexes again only the shards whose pages changed; the copies of
    their unchanged pages are already here, so only changed pages are cut again.
    The folder mirrors the site's brief pages at the same paths. Its record of
    page keys is removed while a build writes, and a folder without a record is
    emptied: a build that fails can leave no copy that a record vouches for.
    The record is sealed like a cache entry (see cache.py): one that does not
    verify, or names a path outside the folder, is no record.
    """

    RECORD = "keys.cbor"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        record = folder / self.RECORD
        keys = read_sealed(record, _SLIM_LABEL, _SLIM_KEYS)
        if keys is None or not all(map(_inside, keys)):
            keys = {}
            discard(folder)
        discard(record)
        real_folders(folder.parent, folder)
        self.keys: dict[str, str] = keys

    def stale(self, keys: dict[str, str]) -> set[str]:
        """The paths of ``keys`` (output path: page key) whose copy must be written; copies of pages gone are deleted.

        Until :meth:`finish`, the store vouches only for the copies left as they
        were: one written again and then abandoned (a cancelled preview job) is
        never taken for its old page.
        """
        for path in self.keys.keys() - keys.keys():
            gone = self.folder / path
            discard(gone)
            for parent in gone.parents:  # the page's folders, when nothing else is left in them
                if parent == self.folder:
                    break
                try:
                    parent.rmdir()
                except OSError:  # not empty (or gone already)
                    break
        stale = {path for path, key in keys.items() if not self._plain_copy(path) or self.keys.get(path) != key}
        self.keys = {path: key for path, key in keys.items() if path not in stale}
        return stale

    def _plain_copy(self, path: str) -> bool:
        """Whether the copy at ``path`` is a file; anything else there (a symlink, a folder) is removed, to be written again."""
        copy = self.folder / path
        try:
            if stat.S_ISREG(os.lstat(copy).st_mode):
                return True
        except OSError:
            return False
        discard(copy)
        return False

    def vouch(self, keys: dict[str, str]) -> None:
        """Count the copies at ``keys`` (output path: page key) as written, before :meth:`finish` (a cancelled job's)."""
        self.keys.update(keys)

    def finish(self, keys: dict[str, str]) -> None:
        """Record the keys of the copies now in the folder (every one written and indexed)."""
        self.keys = dict(keys)
        write_sealed(self.folder / self.RECORD, self.folder, _SLIM_LABEL, _SLIM_KEYS, self.keys)


_SLIM_LABEL = "slim/keys"
_SLIM_KEYS: Codec[dict[str, str]] = Codec(dict[str, str])


def _inside(path: str) -> bool:
    """Whether ``path`` stays inside the folder it is relative to: the store deletes what its record names.

    >>> _inside("en/2026/01/23/a/index.html"), _inside("../../x"), _inside("/etc/x")
    (True, False, False)
    """
    pure = PurePosixPath(path)
    return bool(pure.parts) and not pure.is_absolute() and ".." not in pure.parts


def slim_copies(site_dir: Path, globs: list[str], target: Path) -> Path:
    """The pages of ``globs`` as Pagefind needs them, under ``target`` at the same paths."""
    for glob in globs:
        for path in site_dir.glob(glob):
            write_slim(target / path.relative_to(site_dir), path.read_text(encoding="utf-8"))
    return target
