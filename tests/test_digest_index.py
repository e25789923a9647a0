"""A new process takes the archive's file digests from the last one: unchanged files are not read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefs.core import corpus
from briefs.core.corpus import load_corpus
from briefs.core.memory import MEMORY
from conftest import brief_fields, settings_for, write_brief


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    briefs = tmp_path / "briefs"
    for day in range(1, 5):
        write_brief(briefs, f"2026-01-0{day}-brief", "en", brief_fields(title=f"Brief {day}", date=f"2026-01-0{day}"))
        write_brief(briefs, f"2026-01-0{day}-brief", "de", brief_fields(title=f"Bericht {day}", date=f"2026-01-0{day}"))
    monkeypatch.setattr(MEMORY, "digests", {})
    return briefs


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = corpus.read_plain_file
    monkeypatch.setattr(corpus, "read_plain_file", lambda path, limit: reads.append(path.name) or real(path, limit))
    return reads


def _new_process_load(briefs: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles a load gives in a process that has read nothing yet (but the cache)."""
    monkeypatch.setattr(MEMORY, "digests", {})
    MEMORY.forget_loads()
    MEMORY.entries.clear()
    settings = settings_for(briefs)
    settings.cache_dir = briefs.parent / "cache"
    loaded = load_corpus(settings)
    assert not [f for f in loaded.findings if f.is_error]
    return sorted(b.title for b in loaded.briefs(include_drafts=True))


def test_a_new_process_reads_only_the_files_that_changed(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # the files' status is settled at once
    _new_process_load(archive, monkeypatch)
    reads = _reads(monkeypatch)
    assert len(_new_process_load(archive, monkeypatch)) == 8
    assert reads == []  # eight files, none read: each one's status is as it was
    # Changed to bytes of the same size, its modification time set back: its change time still tells.
    edited = archive / "2026-01-03-brief" / "en.md"
    before = edited.stat()
    time.sleep(0.05)
    edited.write_text(edited.read_text(encoding="utf-8").replace("Brief 3", "Brief X"), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "Brief X" in _new_process_load(archive, monkeypatch)
    assert reads == ["en.md"]  # that file, nothing else


def test_a_digest_read_while_the_file_may_still_change_unseen_is_not_kept(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 3_600 * 10**9)  # every file changed "a moment ago"
    _new_process_load(archive, monkeypatch)
    reads = _reads(monkeypatch)
    _new_process_load(archive, monkeypatch)
    assert len([name for name in reads if name.endswith(".md")]) == 8  # each read again
    # In one process too: such a digest is taken only after the file is read once more.
    corpus.file_digest(archive / "2026-01-01-brief" / "en.md")
    corpus.file_digest(archive / "2026-01-01-brief" / "en.md")
    assert len(reads) == 10


def test_a_forged_or_broken_index_is_a_miss(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 0)
    titles = _new_process_load(archive, monkeypatch)
    (index,) = (archive.parent / "cache" / "digests").rglob("*.cbor")
    index.write_bytes(index.read_bytes()[:-1] + b"\x00")  # its seal no longer holds
    edited = archive / "2026-01-02-brief" / "de.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Bericht 2", "Bericht Y"), encoding="utf-8")
    reads = _reads(monkeypatch)
    now = _new_process_load(archive, monkeypatch)
    assert "Bericht Y" in now and "Bericht 2" not in now and len(now) == len(titles)
    assert len([name for name in reads if name.endswith(".md")]) >= 8  # every file read, as without an index
