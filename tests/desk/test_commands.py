"""``briefs status``, ``translate`` and ``diff`` as a desk runs them, in a real git repository (SPEC §8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from desk_site import GitSite, git_site, isolate_git

from conftest import REPO, brief_fields, brief_text, build_site

ID = "2026-01-23-rome"
EN = f"briefs/2026/{ID}/en.md"
DE = f"briefs/2026/{ID}/de.md"


def briefs(site: GitSite, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFS_DIR": str(site.root / "briefs"), "BRIEFS_CACHE_DIR": "false"}
    command = [sys.executable, "-m", "briefs.cli", "--config", str(site.root / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=site.root, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitSite:
    isolate_git(monkeypatch, tmp_path)
    site = git_site(tmp_path / "site")
    (site.root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    site.write(EN, brief_text(brief_fields(), "Merz travelled to Rome.\n\nBoth want fewer rules.\n"))
    site.commit("the original", when="2026-01-23T10:00:00+00:00")
    return site


def state(site: GitSite) -> dict[str, object]:
    done = briefs(site, "status", "--format", "json")
    assert done.returncode == 0, done.stderr
    [brief] = json.loads(done.stdout)
    return brief["languages"]["de"]


def test_translate_fall_behind_diff_and_catch_up(site: GitSite) -> None:
    made = briefs(site, "translate", ID, "--to", "de")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith("de.md")
    assert state(site)["state"] == "draft"
    assert briefs(site, "check").returncode == 0  # the scaffold passes the check
    text = (site.root / DE).read_text(encoding="utf-8").replace("draft: true\n", "")
    (site.root / DE).write_text(text, encoding="utf-8")
    site.commit("the translation", when="2026-01-24T10:00:00+00:00")
    assert state(site)["state"] == "ok"
    # The original's wording changes in a later commit: the translation is behind by one.
    english = brief_fields(key_details=["Nine agreements were signed.", "Defense projects are *planned*."])
    site.write(EN, brief_text(english, "Merz travelled to Rome.\n\nBoth want fewer rules.\n"))
    site.commit("a number corrected", when="2026-01-25T10:00:00+00:00")
    behind = state(site)
    assert behind["state"] == "outdated" and behind["behind"] == 1
    check = briefs(site, "check")
    assert "[BR402 outdated-translation]" in check.stdout and f"briefs diff {ID} --lang de" in check.stdout
    diff = briefs(site, "diff", ID, "--lang", "de")
    assert diff.returncode == 0, diff.stderr
    assert "key_details[0]" in diff.stdout and "[-Eight-]{+Nine+}" in diff.stdout
    changes = json.loads(briefs(site, "diff", ID, "--lang", "de", "--format", "json").stdout)
    assert [c["field"] for c in changes] == ["key_details[0]"]
    # The page of the outdated translation says since when, and links to the original.
    out = build_site(site.root / "briefs", site.root.parent / "out", strict=False)
    assert out.ok, out.log
    page = out.page("de/2026/01/23/merz-and-meloni-sign-agreements-in-rome/")
    notice = page.select_one("p.brief-outdated")
    assert notice is not None and "23. Januar 2026" in notice.get_text()
    assert notice.select_one('a[hreflang="en"]')["href"].endswith("/en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/")
    # Done: the current version is recorded, and the translation is up to date.
    done = briefs(site, "translate", ID, "--to", "de", "--done")
    assert done.returncode == 0 and "translated_from en version" in done.stdout
    assert state(site)["state"] == "ok"
    assert "No change" in briefs(site, "diff", ID, "--lang", "de").stdout


def test_updated_alone_or_whitespace_leaves_a_translation_up_to_date(site: GitSite) -> None:
    briefs(site, "translate", ID, "--to", "de")
    site.commit("the translation")
    assert state(site)["state"] in {"draft", "ok"}
    touched = brief_fields(updated="2026-02-01")
    site.write(EN, brief_text(touched, "Merz   travelled\nto Rome.\n\nBoth want fewer rules.  \n"))
    site.commit("updated, and lines wrapped")
    assert state(site)["state"] in {"draft", "ok"}
    assert "BR402" not in briefs(site, "check").stdout


def test_translate_refuses_to_overwrite_and_names_unknown_briefs(site: GitSite) -> None:
    assert briefs(site, "translate", ID, "--to", "de").returncode == 0
    again = briefs(site, "translate", ID, "--to", "de")
    assert again.returncode == 2 and "--done" in again.stderr
    unknown = briefs(site, "translate", "no-such-brief", "--to", "de")
    assert unknown.returncode == 2 and "no brief with id no-such-brief" in unknown.stderr


def test_without_git_history_diff_says_so_in_one_line(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "briefs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    path = root / EN
    path.parent.mkdir(parents=True)
    path.write_text(brief_text(brief_fields()), encoding="utf-8")
    site = GitSite(root)
    assert briefs(site, "translate", ID, "--to", "de").returncode == 0
    path.write_text(brief_text(brief_fields(title="A new title for Rome")), encoding="utf-8")
    diff = briefs(site, "diff", ID, "--lang", "de")
    assert diff.returncode == 0
    assert len(diff.stderr.strip().splitlines()) == 1 and "git" in diff.stderr


def test_the_pull_request_report_shows_what_made_a_translation_outdated(site: GitSite) -> None:
    briefs(site, "translate", ID, "--to", "de")
    text = (site.root / DE).read_text(encoding="utf-8").replace("draft: true\n", "")
    (site.root / DE).write_text(text, encoding="utf-8")
    site.commit("the translation")
    english = brief_fields(key_details=["Nine agreements were signed.", "Defense projects are *planned*."])
    site.write(EN, brief_text(english, "Merz travelled to Rome.\n\nBoth want fewer rules.\n"))
    site.commit("a number corrected")
    report = briefs(site, "report", "--base", "HEAD~1")
    assert report.returncode == 0, report.stderr
    outdated = report.stdout.split("### Translations now outdated", 1)[1]
    assert DE in outdated and "key_details[0]" in outdated and "[-Eight-]{+Nine+}" in outdated
    data = json.loads(briefs(site, "report", "--base", "HEAD~1", "--format", "json").stdout)
    assert [c["field"] for c in data["original_changes"][DE]] == ["key_details[0]"]
    # The translator catches up in the next pull request.
    briefs(site, "translate", ID, "--to", "de", "--done")
    site.commit("the translation follows")
    caught_up = briefs(site, "report", "--base", "HEAD~1").stdout
    assert "### Translations brought up to date" in caught_up and DE in caught_up.split("brought up to date", 1)[1]
