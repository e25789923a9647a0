"""Builds: reproducible, offline, atomic."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def mkdocs_build(out: Path, env: dict[str, str], *, wrap: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [*(wrap or []), sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1769126400", **env}
    return subprocess.run(command, cwd=REPO, env=full_env, capture_output=True, text=True, timeout=300)


def differences(a: Path, b: Path) -> list[str]:
    found = []
    comparison = filecmp.dircmp(a, b)
    stack = [(comparison, Path())]
    while stack:
        node, rel = stack.pop()
        found += [str(rel / n) for n in node.left_only + node.right_only]
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        found += [str(rel / n) for n in mismatch + errors]
        stack += [(sub, rel / name) for name, sub in node.subdirs.items()]
    return found


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = mkdocs_build(tmp_path / "one" / "site", {"TZ": "UTC", "PYTHONHASHSEED": "1"})
    second = mkdocs_build(tmp_path / "two" / "elsewhere", {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "4242"})
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert differences(tmp_path / "one" / "site", tmp_path / "two" / "elsewhere") == []


def test_build_needs_no_network(tmp_path: Path) -> None:
    # A fresh network namespace has no interface but loopback: any connection fails.
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    assert probe.returncode == 0, "this test needs `unshare -rn` (util-linux) to cut the network"
    result = mkdocs_build(tmp_path / "site", {}, wrap=["unshare", "-rn"])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "pagefind" / "de" / "2026-01" / "pagefind-entry.json").is_file()


def test_make_build_replaces_site_only_on_success(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    shutil.copytree(REPO, work, ignore=shutil.ignore_patterns(".venv", "site", ".git", ".pytest_cache", "__pycache__"))
    (work / ".venv").symlink_to(REPO / ".venv")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # -o: the tools are installed already; never reinstall from the copy.
    make = ["make", "--no-print-directory", "-o", ".venv/.installed", "build"]
    good = subprocess.run(make, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert good.returncode == 0, good.stderr
    before = (work / "site" / "index.html").read_bytes()
    broken = work / "briefs" / "2026/01/2026-01-23-germany-italy-rome-consultations" / "en.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    bad = subprocess.run(make, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0
    assert "en.md:2:1: error: unknown field `titel`; did you mean `title`?" in bad.stdout + bad.stderr
    assert (work / "site" / "index.html").read_bytes() == before
    assert not (work / "site.new").exists()
