"""A hand-formatted original with comments through ``translate``, ``--done`` and a second ``--done``.

The writer's layout is theirs: every tool edit leaves each line it does not
mean to change as it was, comments included, in the original and in the
translation.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO

ID = "2026-01-23-rome-talks"

ORIGINAL = """\
---
# Written by Ada for the morning edition.
title: 'Merz and Meloni meet in Rome'     # the desk's headline
summary: >-
  Germany and Italy agree closer cooperation on defense and migration, a long sentence that a
  writer wrapped by hand where they wanted it wrapped, well beyond eighty columns of text.
date: 2026-01-23
topics: [politics, europe]
key_details:
- "Eight agreements, says one outlet."   # sequences at column 0
- Two, says another.

# The outlets, in the order the brief cites them.
sources:
- name: tagesschau.de
  url: https://www.tagesschau.de/ausland/rom-100.html
  title: Acht Abkommen in Rom
- name: zeit.de     # the weekly
  url: https://www.zeit.de/politik/rom
  lang: de
comparisons:
- topic: How many agreements
  summary: The outlets count differently.
  claims:
  - source: tagesschau.de
    quote: "Eight agreements were signed."
    original: "Acht Abkommen wurden unterzeichnet."   # the outlet's words
    url: https://www.tagesschau.de/ausland/rom-100.html
  - source: zeit.de
    quote: Two documents were signed.
  why: >-
    The count decides how binding the results look.
authors: [Ada Editor]
---

Merz met Meloni in Rome.
"""


def run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefs.cli", *args]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=120)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_layout_and_comments_survive_translate_and_two_dones(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "outlets.yml").write_text((REPO / "outlets.yml").read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "briefs/2026/01" / ID
    folder.mkdir(parents=True)
    en, de = folder / "en.md", folder / "de.md"
    en.write_text(ORIGINAL, encoding="utf-8")

    made = run(tmp_path, "translate", ID, "--to", "de")
    assert made.returncode == 0, made.stderr
    scaffold = de.read_text(encoding="utf-8")
    assert en.read_text(encoding="utf-8") == ORIGINAL
    # Every line of the original stands in the scaffold as written, but the claim quote now in German.
    added, removed = [], []
    for line in changed_lines(ORIGINAL, scaffold):
        (added if line.startswith("+") else removed).append(line[2:])
    assert removed == [
        '    quote: "Eight agreements were signed."',
        '    original: "Acht Abkommen wurden unterzeichnet."   # the outlet\'s words',
    ]
    assert '    quote: "Acht Abkommen wurden unterzeichnet."' in added
    assert {"draft: true", "translated_from:", "  lang: en", "  lang: de"} <= set(added)
    assert all(line.startswith(("#", "draft", "translated_from", "  lang", "  version", "    quote")) for line in added), added
    fields = yaml.safe_load(scaffold.split("---")[1])
    assert fields["comparisons"][0]["claims"][0]["quote"] == "Acht Abkommen wurden unterzeichnet."
    assert "original" not in fields["comparisons"][0]["claims"][0]

    # The translator translates the title and adds a note of their own, keeping the draft flag.
    translated = scaffold.replace(
        "title: 'Merz and Meloni meet in Rome'     # the desk's headline",
        "title: 'Merz und Meloni treffen sich in Rom'   # übersetzt\n# Noch zu prüfen: die Zahl der Abkommen.",
    )
    de.write_text(translated, encoding="utf-8")
    done = run(tmp_path, "translate", ID, "--to", "de", "--done")
    assert done.returncode == 0, done.stderr
    assert "recorded translated_from en version" in done.stdout
    assert "Still left: `draft: true`" in done.stderr and "summary" in done.stderr and "title" not in done.stderr
    assert de.read_text(encoding="utf-8") == translated  # the recorded version was already the current one

    # The original changes; the second --done changes the version line and nothing else.
    en.write_text(ORIGINAL.replace("Two, says another.", "Two, says another outlet."), encoding="utf-8")
    again = run(tmp_path, "translate", ID, "--to", "de", "--done")
    assert again.returncode == 0, again.stderr
    after = de.read_text(encoding="utf-8")
    change = changed_lines(translated, after)
    assert len(change) == 2 and all(line[2:].startswith("  version: ") for line in change), change
    assert en.read_text(encoding="utf-8") == ORIGINAL.replace("Two, says another.", "Two, says another outlet.")
    check = run(tmp_path, "check", str(folder))
    assert check.returncode == 0, check.stdout


def test_an_existing_target_is_explained_not_called_missing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "briefs").mkdir()
    assert run(tmp_path, "new", "Rome talks", "--date", "2026-01-23").returncode == 0
    result = run(tmp_path, "translate", ID, "--to", "de")
    assert result.returncode == 2
    assert "no brief with id" not in result.stderr
    assert "de.md exists (`briefs new` writes a draft per language)" in result.stderr
    assert f"briefs translate {ID} --to de --done" in result.stderr
