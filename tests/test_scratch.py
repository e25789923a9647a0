"""Scratch folders: what a killed preview or build left in the temporary folder goes when the next one starts."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from briefs.mkdocs.scratch import scratch_folder


def _finished_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_new_scratch_folder_removes_those_whose_process_is_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = _finished_pid()
    left = tmp_path / f"briefs-preview-index-{gone}-abc"
    (left / "en").mkdir(parents=True)
    (left / "en" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    running = tmp_path / f"briefs-preview-index-{os.getppid()}-def"  # this test's parent: alive
    running.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("a writer's file", encoding="utf-8")
    link = tmp_path / f"briefs-preview-index-{gone}-lnk"
    link.symlink_to(elsewhere, target_is_directory=True)
    other_kind = tmp_path / f"briefs-preview-search-{gone}-ghi"
    other_kind.mkdir()

    made = scratch_folder("briefs-preview-index-")

    assert made.is_dir() and made.parent == tmp_path and made.name.startswith(f"briefs-preview-index-{os.getpid()}-")
    assert not left.exists()
    assert running.is_dir()  # its process runs: it may still be using it
    assert link.is_symlink() and (elsewhere / "keep.txt").is_file()  # a link is never followed, nor removed
    assert other_kind.is_dir()  # only folders of the kind asked for
