"""A lagging translation never breaks a deploy, and half a pair never goes live (a real git repository).

The steps are a writer's: commit a second comparison to an English original
whose German translation was up to date; start a new brief as a draft,
translate it, and take `draft` out of the translation only. Then `briefs
check` and `make build` (what the deploy runs, `--strict`) must agree.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO

GAS = "briefs/2025/11/2025-11-13-gas-storage-levy-abolished/en.md"
NEW_ID = "2025-12-06-a-new-brief"
SECOND_COMPARISON = """
/// comparison | Who pays instead
    summary: The outlets name different payers.
    claims:
      - source: tagesschau.de
        quote: "The federal budget takes over the remaining costs."
      - source: faz.net
        quote: "Taxpayers now carry what gas customers paid before."

Whether the cost moves to taxpayers or disappears matters for how large the relief is.
///
"""
NEW_BRIEF = """---
title: A new brief held back with its original
summary: A draft brief whose translation is ready first.
date: 2025-12-06
topics: [politics]
draft: true
key_details:
  - One detail.
sources:
  - name: tagesschau.de
    url: https://www.tagesschau.de/inland/new-brief-100.html
---

The body of a brief that is not published yet.
"""


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFS_OUTLETS_FILE": "outlets.yml", **env}
    return subprocess.run(command, cwd=cwd, env=full, capture_output=True, text=True, timeout=600)


def git(cwd: Path, *args: str) -> None:
    who = ["-c", "user.name=Desk", "-c", "user.email=desk@example.org"]
    done = run(["git", *who, *args], cwd)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("desk") / "repo"
    ignore = shutil.ignore_patterns(".venv", "site", "site.new", ".git", ".pytest_cache", "__pycache__", ".briefs-cache")
    shutil.copytree(REPO, work, ignore=ignore)
    (work / ".venv").symlink_to(REPO / ".venv")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "The sample site")
    # An up-to-date pair: the original gets a second comparison.
    original = work / GAS
    text = original.read_text(encoding="utf-8")
    original.write_text(text.rstrip("\n") + "\n" + SECOND_COMPARISON, encoding="utf-8")
    git(work, "commit", "-qam", "A second comparison in the English original")
    # A draft original, translated; the translation's draft flag removed alone.
    folder = work / "briefs/2025/12" / NEW_ID
    folder.mkdir()
    (folder / "en.md").write_text(NEW_BRIEF, encoding="utf-8")
    briefs = str(REPO / ".venv/bin/briefs")
    translated = run([briefs, "translate", NEW_ID, "--to", "de"], work)
    assert translated.returncode == 0, translated.stdout + translated.stderr
    german = folder / "de.md"
    assert "translated_from" in german.read_text(encoding="utf-8")
    german.write_text(re.sub(r"(?m)^draft: true\n", "", german.read_text(encoding="utf-8")), encoding="utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "A new brief, its translation ready first")
    return work


@pytest.fixture(scope="module")
def checked(repo: Path) -> subprocess.CompletedProcess[str]:
    return run([str(REPO / ".venv/bin/briefs"), "check"], repo)


@pytest.fixture(scope="module")
def built(repo: Path) -> subprocess.CompletedProcess[str]:
    # -o: the tools are installed already; never reinstall from the copy.
    return run(["make", "--no-print-directory", "-o", ".venv/.installed", "build"], repo, SOURCE_DATE_EPOCH="1769126400")


def test_check_and_the_strict_build_agree_both_pass_with_the_notices(
    checked: subprocess.CompletedProcess[str], built: subprocess.CompletedProcess[str]
) -> None:
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert built.returncode == 0, built.stdout + built.stderr
    log = built.stdout + built.stderr
    for output in (checked.stdout, log):
        assert re.search(r"gas-storage-levy-abolished/de\.md:\d+:\d+: warning: .*\[BR404 pair-comparisons-differ\]", output)
        assert f"{NEW_ID}/de.md" in output and "[BR408 held-back]" in output
    held = next(line for line in checked.stdout.splitlines() if "BR408" in line)
    assert "its English original is a draft" in held and "remove `draft: true` from en.md" in held
    assert "Aborted" not in log


def site_text(site: Path) -> dict[str, str]:
    """Every text file of a built site, and Pagefind's fragments unpacked, by path."""
    found = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in {".pf_fragment", ".pf_meta", ".pf_index", ".pf_filter"} or path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix in {".png", ".jpg", ".webp", ".woff2", ".ttf", ".wasm"} or path.name.endswith(".wasm.gz"):
            continue
        found[str(path.relative_to(site))] = data.decode("utf-8", "replace")
    return found


def test_the_held_back_translation_is_in_no_production_output(repo: Path, built: subprocess.CompletedProcess[str]) -> None:
    assert built.returncode == 0, built.stderr
    german_title = (repo / "briefs/2025/12" / NEW_ID / "de.md").read_text(encoding="utf-8").split("title: ", 1)[1].split("\n")[0]
    texts = site_text(repo / "site")
    assert any(path.startswith("pagefind/") for path in texts)  # search was indexed, and is searched below
    leaks = [path for path, text in texts.items() if NEW_ID in text or german_title.strip("'\"") in text]
    assert leaks == [], leaks
    assert not list((repo / "site/de/2025/12/06").glob("*"))


def test_a_preview_shows_the_held_back_translation_marked(repo: Path) -> None:
    out = repo / "preview-site"
    done = run(
        [str(REPO / ".venv/bin/mkdocs"), "build", "--strict", "--site-dir", str(out)],
        repo,
        BRIEFS_PREVIEW="1",
        SOURCE_DATE_EPOCH="1769126400",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pages = [p for p in (out / "de/2025/12/06").glob("*/index.html")]
    assert len(pages) == 1
    soup = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "lxml")
    assert "mit ihrem Original" in soup.select_one("p.brief-held-back").get_text()
    english = next((out / "en/2025/12/06").glob("*/index.html"))
    assert BeautifulSoup(english.read_text(encoding="utf-8"), "lxml").select_one("p.brief-draft") is not None
    feed = (out / "de/feed.xml").read_text(encoding="utf-8")
    assert NEW_ID not in feed and "2025/12/06" not in feed  # feeds never hold what is not live, in previews either
