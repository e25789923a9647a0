"""`briefs report --base REF` against a real git repository with real commits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, brief_fields, write_brief


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def report(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefs.cli", "report", *args], cwd=root, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "desk@briefs.example.org")
    git(root, "config", "user.name", "Desk")
    briefs = root / "briefs"
    write_brief(briefs, "2026-01-23-rome", "en", brief_fields())
    write_brief(briefs, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    write_brief(briefs, "2026-01-10-old", "en", brief_fields(title="Old brief", date="2026-01-10"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    # The pull request: one brief added, one changed, one removed.
    write_brief(briefs, "2026-02-01-new", "en", brief_fields(title="New brief", date="2026-02-01"))
    write_brief(briefs, "2026-02-02-broken", "en", brief_fields(title="Broken", date="2026-02-02", topics=["economics"]))
    changed = brief_fields(
        updated="2026-01-25",
        key_details=["Eight agreements were signed.", "A new detail."],
        sources=[*brief_fields()["sources"], {"name": "zeit.de", "url": "https://www.zeit.de/c"}],
    )
    write_brief(briefs, "2026-01-23-rome", "en", changed)
    shutil.rmtree(briefs / "2026-01-10-old")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "change")
    return root


def test_markdown_report_lists_added_changed_removed_with_fields(repo: Path) -> None:
    result = report(repo, "--base", "HEAD~1", "--preview-url", "https://preview.test/pr-7/")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "### Added (2)" in text and "### Changed (1)" in text and "### Removed (1)" in text
    link = "[/en/2026/02/01/new-brief/](https://preview.test/pr-7/en/2026/02/01/new-brief/)"
    assert f"| New brief (`2026-02-01-new`) | en | {link} | new |" in text
    changed = next(line for line in text.splitlines() if "`2026-01-23-rome`" in line)
    assert "| en |" in changed
    for words in ("updated", "key details added (1)", "key details removed (1)", "sources (+1 −0)"):
        assert words in changed, words
    assert "| Old brief (`2026-01-10-old`) | en | `/en/2026/01/10/old-brief/` |" in text
    assert "### Translations now outdated" in text
    assert "briefs/2026-01-23-rome/de.md" in text
    assert "| 2026-02-02-broken (`2026-02-02-broken`) | en | – | new |" in text
    assert "briefs/2026-02-02-broken/en.md:6:3: error: `topics[0]`: unknown topic `economics`" in text
    assert "briefs/2026-02-01-new/en.md:1:1: warning: no German version" in text


def test_json_report(repo: Path) -> None:
    result = report(repo, "--base", "HEAD~1", "--format", "json")
    data = json.loads(result.stdout)
    assert {(c["id"], c["lang"], c["status"]) for c in data["changes"]} == {
        ("2026-02-01-new", "en", "added"),
        ("2026-02-02-broken", "en", "added"),
        ("2026-01-23-rome", "en", "changed"),
        ("2026-01-10-old", "en", "removed"),
    }
    assert [f["code"] for f in data["findings"] if f["severity"] == "error"] == ["BR107"]


def test_no_changes_and_bad_ref(repo: Path) -> None:
    assert "No brief changed." in report(repo, "--base", "HEAD").stdout
    bad = report(repo, "--base", "no-such-ref")
    assert bad.returncode == 2 and "report:" in bad.stderr
