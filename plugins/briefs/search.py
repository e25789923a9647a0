"""The search index: Pagefind over the built site, one index per page language.

Pagefind reads ``<html lang>`` and writes one index per language (with German
stemming for German pages) into ``pagefind/``. Readers download only the
fragments their query needs, so the first query stays small as the site grows.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cbor2

from .slugs import transliterate

BUNDLE_DIR = "pagefind"
# Anchored at word starts: matching from inside words costs a scan per character.
_UMLAUT_WORD = re.compile(r"(?<!\w)\w*[äöüÄÖÜß]\w*")
_UMLAUT = re.compile(r"[äöüÄÖÜß]")


class SearchIndexError(RuntimeError):
    pass


def brief_pages(lang: str) -> str:
    """The glob of one language's brief pages (``{lang}/{yyyy}/{mm}/{dd}/{slug}/``).

    Lists and site pages are never search results, so Pagefind need not read them.
    """
    return f"{lang}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"


def bundle_dir(lang: str) -> str:
    """Each language has its own bundle (``pagefind/{lang}/``)."""
    return f"{BUNDLE_DIR}/{lang}"


def build_index(
    site_dir: Path,
    languages: list[str],
    with_briefs: set[str],
    *,
    cancelled: threading.Event | None = None,
    slim: bool = True,
    prepared: Path | None = None,
    started: dict[str, PagefindRun] | None = None,
) -> None:
    """Index each language's brief pages into ``site_dir/pagefind/{lang}/``.

    One Pagefind run per language: its memory grows with the pages of one run,
    so splitting by language halves the peak, and readers search their own
    language's bundle anyway (the other is merged in on request). A language
    without published briefs gets an index of its site pages, so that its
    search still loads (Pagefind refuses to write an empty index).

    With ``slim``, Pagefind reads each page cut down to what it indexes (see
    :func:`slim_page`), prepared for the next language while it indexes one;
    ``prepared`` is a folder where a build has already written them all, and
    ``started`` holds runs the build began while it rendered other pages.
    Setting ``cancelled`` stops the work early (a newer live-preview build has begun).
    """
    started = started or {}
    with tempfile.TemporaryDirectory(prefix="briefs-index-") as scratch, ThreadPoolExecutor(1) as preparing:
        sources: dict[str, Future[Path]] = {}
        for lang in languages:
            if slim and lang in with_briefs and prepared is None and lang not in started:
                sources[lang] = preparing.submit(_slim_copy, site_dir, brief_pages(lang), Path(scratch) / lang)
        for lang in languages:
            if lang in started:
                started.pop(lang).finish()
                continue
            glob = brief_pages(lang) if lang in with_briefs else f"{lang}/**/index.html"
            source = sources[lang].result() if lang in sources else site_dir
            if prepared is not None and lang in with_briefs:
                source = prepared
            if not PagefindRun(source, site_dir, glob, lang).finish(cancelled):
                return
            if lang in sources:
                shutil.rmtree(source)


class PagefindRun:
    """One language's Pagefind run over ``source`` (the site or slim copies of its pages)."""

    def __init__(self, source: Path, site_dir: Path, glob: str, lang: str) -> None:
        self.lang = lang
        self.output = site_dir / bundle_dir(lang)
        command = [*_pagefind(), "--site", str(source), "--output-path", str(self.output), "--glob", glob, "--quiet"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @classmethod
    def of_briefs(cls, prepared: Path, site_dir: Path, lang: str) -> PagefindRun:
        """Start indexing a language's brief pages, already written to ``prepared``."""
        return cls(prepared, site_dir, brief_pages(lang), lang)

    def finish(self, cancelled: threading.Event | None = None) -> bool:
        """Wait for the run and make its bundle canonical; False when cancelled."""
        while cancelled is not None and self.process.poll() is None:
            if cancelled.wait(0.05):
                self.stop()
                return False
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            message = stderr.strip() or stdout.strip()
            raise SearchIndexError(f"Pagefind failed for {self.lang} ({self.process.returncode}): {message}")
        canonicalize_bundle(self.output)
        return True

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


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


def _slim_copy(site_dir: Path, glob: str, target: Path) -> Path:
    """The pages of ``glob`` as Pagefind needs them, under ``target`` at the same paths."""
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


def canonicalize_bundle(bundle: Path) -> None:
    """Make Pagefind's filter and meta files identical across runs.

    Pagefind 1.x writes filter values in hash-map order, which changes from
    run to run (its fragments are already stable). Sorting them, and renaming
    the files they change, makes two builds of the same site byte-identical.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
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
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{lang}", 10, ".pf_meta", meta).removeprefix("pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
