"""The search index: Pagefind over the built site, one index per page language.

Pagefind reads ``<html lang>`` and writes one index per language (with German
stemming for German pages) into ``pagefind/``, in shards of a quarter of a
year each (shards.py). Readers download only the shards and fragments their
query needs, so the first query stays small as the site grows, and a rebuild
after an edit indexes a quarter's pages again, not the archive's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cbor2

from .shards import SITE_SHARD, brief_pages, bundle_dir, shards_of, write_shard_list
from .slim import slim_copies

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


class SearchIndexError(RuntimeError):
    pass


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
                sources[lang] = preparing.submit(slim_copies, site_dir, globs, Path(scratch) / lang)
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


def _pagefind() -> list[str]:
    """Pagefind's binary, called directly (its Python launcher costs a second interpreter)."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]  # ships no type hints

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
