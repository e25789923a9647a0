"""The search index: Pagefind over the built site, one index per page language.

Pagefind reads ``<html lang>`` and writes one index per language (with German
stemming for German pages) into ``pagefind/``, in shards of a quarter of a
year each. Readers download only the shards and fragments their query needs,
so the first query stays small as the site grows, and a rebuild after an edit
indexes a quarter's pages again, not the archive's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import cbor2

from .cache import digest, discard, read_sealed, real_folders, write_sealed
from .codec import Codec

if TYPE_CHECKING:
    from .site import PageSpec

BUNDLE_DIR = "pagefind"
#: What Pagefind writes into every bundle that the search dialog never loads (its own UIs).
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# Anchored at word starts: matching from inside words costs a scan per character.


class SearchIndexError(RuntimeError):
    pass


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


def build_index(
    site_dir: Path,
    languages: list[str],
    with_briefs: set[str],
    *,
    cancelled: threading.Event | None = None,
    slim: bool = True,
    prepared: Path | None = None,
    started: dict[str, LanguageIndex] | None = None,
    kept: dict[str, set[str]] | None = None,
    planned: dict[str, dict[str, int]] | None = None,
    output: Path | None = None,
) -> None:
    """Index each language's brief pages into ``site_dir/pagefind/{lang}/{yyyy-mm}/``.

    One Pagefind run per language and quarter, one after another (the languages
    side by side): a run holds its whole index in memory, so the peak stays
    that of a quarter's pages however long the archive grows. Readers search
    the newest shards first (search.js merges them as it needs). A language
    without published briefs gets an index of its site pages, so that its
    search still loads (Pagefind refuses to write an empty index).

    With ``slim``, Pagefind reads each page cut down to what it indexes (see
    :func:`slim_page`), prepared for the next language while it indexes one;
    ``prepared`` is a folder where a build has already written them all,
    ``started`` holds languages the build began indexing while it rendered,
    and ``kept`` the shards (by language) the last build left in place,
    unchanged. ``planned`` names the shards (see :func:`planned_shards`) instead
    of a walk through the pages; ``output`` is where the index goes instead of
    ``site_dir`` (the live preview's, which outlives its site folder). Setting
    ``cancelled`` stops the work early (a newer live-preview build has begun).
    """
    started = started or {}
    kept = kept or {}
    output = output or site_dir
    counts: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="briefs-index-") as scratch, ThreadPoolExecutor(1) as preparing:
        sources: dict[str, Future[Path]] = {}
        pages = prepared if prepared is not None else site_dir  # where the brief pages are
        found = {lang: planned.get(lang, {}) if planned is not None else shards_of(pages, lang) for lang in with_briefs}
        todo = {lang: [shard for shard in found[lang] if shard not in kept.get(lang, ())] for lang in with_briefs}
        for lang in languages:
            if slim and lang in with_briefs and prepared is None and lang not in started and todo[lang]:
                globs = [brief_pages(lang, shard) for shard in todo[lang]]
                sources[lang] = preparing.submit(_slim_copy, site_dir, globs, Path(scratch) / lang)
        # The languages are indexed side by side (each one shard at a time), so
        # that a rebuild's few shards use both cores.
        jobs: dict[str, LanguageIndex] = {}
        try:
            for lang in languages:
                job = started.pop(lang, None)
                if job is None and lang in with_briefs and not todo[lang]:
                    continue  # every shard kept from the last build
                if job is None:
                    source = sources[lang].result() if lang in sources else site_dir
                    if prepared is not None and lang in with_briefs:
                        source = prepared
                    job = LanguageIndex(source, output, lang, todo.get(lang, []), briefs=lang in with_briefs)
                jobs[lang] = job
            for job in jobs.values():
                if not job.finish(cancelled):
                    return
        finally:
            for job in jobs.values():
                job.stop()
        for lang in languages:
            counts[lang] = found[lang] if lang in with_briefs else {SITE_SHARD: jobs[lang].site_pages}
    write_shard_list(output, counts)


def write_shard_list(site_dir: Path, counts: dict[str, dict[str, int]]) -> None:
    """``pagefind/shards.json``: each language's shards, newest first, with their page counts.

    The search dialog reads it to merge the shards (and to rank them by date).
    """
    shards = {lang: [[name, count] for name, count in found.items()] for lang, found in sorted(counts.items())}
    root = site_dir / BUNDLE_DIR
    root.mkdir(parents=True, exist_ok=True)
    (root / "shards.json").write_text(json.dumps(shards, separators=(",", ":")), encoding="utf-8")


class LanguageIndex:
    """One language's shards, indexed one after another in a thread of their own."""

    def __init__(self, source: Path, site_dir: Path, lang: str, shards: list[str], *, briefs: bool = True) -> None:
        self.lang = lang
        if briefs:
            self._runs = [(shard, brief_pages(lang, shard)) for shard in shards]
        else:
            self._runs = [(SITE_SHARD, f"{lang}/**/index.html")]
        #: The pages of the site shard (a language without briefs), once indexed.
        self.site_pages = 0
        self._source, self._site_dir = source, site_dir
        self._stop = threading.Event()
        self._error: SearchIndexError | None = None
        self._lock = threading.Lock()  # no run starts once stop() has begun
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for shard, glob in self._runs:
                with self._lock:
                    if self._stop.is_set():
                        return
                    run = PagefindRun(self._source, self._site_dir, glob, self.lang, shard)
                if not run.finish(self._stop):
                    return
                if shard == SITE_SHARD:
                    self.site_pages = run.page_count
        except SearchIndexError as exc:
            self._error = exc

    def finish(self, cancelled: threading.Event | None = None) -> bool:
        """Wait for every shard; False when cancelled."""
        while self._thread.is_alive():
            if cancelled is not None and cancelled.is_set():
                self.stop()
                return False
            self._thread.join(0.05)
        if self._error is not None:
            raise self._error
        return not self._stop.is_set()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
        self._thread.join()


class PagefindRun:
    """One Pagefind run over ``source`` (the site or slim copies of its pages) into a language's shard."""

    def __init__(self, source: Path, site_dir: Path, glob: str, lang: str, shard: str) -> None:
        self.lang = lang
        self.output = site_dir / bundle_dir(lang, shard)
        # Made beside the shard and moved in when it is whole: an earlier index of
        # the shard (the live preview's) is served until then, and leaves no stale file.
        self.made = self.output.with_name(f".{self.output.name}.new")
        self.page_count = 0
        shutil.rmtree(self.made, ignore_errors=True)
        command = [*_pagefind(), "--site", str(source), "--output-path", str(self.made), "--glob", glob, "--quiet"]
        # Pagefind's allocator (jemalloc) keeps freed memory for a while; handing it
        # back at once lowers the run's peak by a quarter for a few percent of its time.
        env = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0", **os.environ}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def finish(self, cancelled: threading.Event | None = None) -> bool:
        """Wait for the run and make its bundle canonical; False when cancelled."""
        while cancelled is not None and self.process.poll() is None:
            if cancelled.wait(0.05):
                self.process.kill()
                self.process.wait()
                shutil.rmtree(self.made, ignore_errors=True)
                return False
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            shutil.rmtree(self.made, ignore_errors=True)
            message = stderr.strip() or stdout.strip()
            raise SearchIndexError(f"Pagefind failed for {self.lang} ({self.process.returncode}): {message}")
        self.page_count = canonicalize_bundle(self.made)
        for name in _UNUSED:
            (self.made / name).unlink(missing_ok=True)
        shutil.rmtree(self.output, ignore_errors=True)
        os.rename(self.made, self.output)
        return True


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

    def finish(self, keys: dict[str, str]) -> None:
        """Record the keys of the copies now in the folder (every one written and indexed)."""
        self.keys = dict(keys)
        write_sealed(self.folder / self.RECORD, self.folder, _SLIM_LABEL, _SLIM_KEYS, self.keys)


_SLIM_LABEL = "slim/keys"
_SLIM_KEYS = Codec(dict[str, str])


def _inside(path: str) -> bool:
    """Whether ``path`` stays inside the folder it is relative to: the store deletes what its record names.

    >>> _inside("en/2026/01/23/a/index.html"), _inside("../../x"), _inside("/etc/x")
    (True, False, False)
    """
    pure = PurePosixPath(path)
    return bool(pure.parts) and not pure.is_absolute() and ".." not in pure.parts


def _slim_copy(site_dir: Path, globs: list[str], target: Path) -> Path:
    """The pages of ``globs`` as Pagefind needs them, under ``target`` at the same paths."""
    for glob in globs:
        for path in site_dir.glob(glob):
            write_slim(target / path.relative_to(site_dir), path.read_text(encoding="utf-8"))
    return target


def _pagefind() -> list[str]:
    """Pagefind's binary, called directly (its Python launcher costs a second interpreter)."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(raw[len(_SIGNATURE) :])


def _write(folder: Path, prefix: str, digits: int, suffix: str, data: Any) -> str:
    """Write ``data`` as Pagefind does, named by the hash of its content; returns the name."""
    raw = _SIGNATURE + cbor2.dumps(data)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name


def canonicalize_bundle(bundle: Path) -> int:
    """Make Pagefind's filter and meta files identical across runs, and shards sortable by date.

    Pagefind 1.x writes filter values in hash-map order, which changes from
    run to run (its fragments are already stable). Sorting them, and renaming
    the files they change, makes two builds of the same site byte-identical.

    A search sorted by date scores each result by its place in the bundle's
    date order, from 0 (the oldest page). search.js multiplies each shard's
    scores so that a newer shard's results come first, which works for every
    place but 0: each sort therefore starts with a page of no words, which no
    search finds. Returns the bundle's page count (without that page).
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    count = 0
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for filter_name, filter_hash in meta[3]:
            filter_path = bundle / "filter" / f"{filter_hash}.pf_filter"
            name, values = _read(filter_path)
            filter_path.unlink()
            new_hash = _write(bundle / "filter", lang, 7, ".pf_filter", [name, sorted(values, key=lambda v: v[0])])
            filters.append([filter_name, new_hash])
        meta[3] = sorted(filters)
        pages = meta[1]
        count += len(pages)
        if meta[4]:
            # Word count: the average, so that ranking by relevance is not moved.
            pages.append([f"{lang}_floor", round(sum(p[1] for p in pages) / max(len(pages), 1))])
            meta[4] = [[name, [len(pages) - 1, *order]] for name, order in meta[4]]
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{lang}", 10, ".pf_meta", meta).removeprefix("pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return count
