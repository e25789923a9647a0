"""The slips a writer makes most, named in the project's words: indentation, block options, one file of a pair."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest

from briefs.core.corpus import load_corpus
from conftest import REPO, WITH_REGISTRY, brief_fields, build_site, settings_for, write_brief

HEAD = "---\ntitle: Rome\nsummary: Two outlets.\ndate: 2026-01-23\nkey_details:\n  - A fact.\n"


def findings(root: Path) -> list[str]:
    return [f.format() for f in load_corpus(settings_for(root)).findings]


@pytest.mark.parametrize(
    ("sources", "line", "column", "hint"),
    [
        (" sources:\n  - name: tagesschau.de\n", 7, 2, "start it in column 1, like `key_details:` on line 5 (1 space fewer)"),
        (
            "sources:\n  - name: tagesschau.de\n     url: https://www.tagesschau.de/a.html\n",
            9,
            6,
            "start it in column 5, like `name:` on line 8 (1 space fewer)",
        ),
        (
            "sources:\n  - name: tagesschau.de\n   url: https://www.tagesschau.de/a.html\n",
            9,
            4,
            "start it in column 5, like `name:` on line 8 (1 space more)",
        ),
        (
            "sources:\n  - name: tagesschau.de\n    url: https://www.tagesschau.de/a.html\n  title: Acht\n",
            10,
            3,
            "start it in column 5, like `url:` on line 9 (2 spaces more)",
        ),
    ],
)
def test_an_indentation_slip_names_the_column_and_the_field_to_line_up_with(
    tmp_path: Path, sources: str, line: int, column: int, hint: str
) -> None:
    path = write_brief(tmp_path / "briefs", "2026-01-23-rome", "en", text=f"{HEAD}{sources}---\n\nText.\n")
    [message] = findings(tmp_path / "briefs")
    assert message.startswith(f"{path.relative_to(tmp_path).as_posix()}:{line}:{column}: error: YAML indentation: ")
    assert hint in message
    assert "did not find expected" not in message and "mapping values" not in message


def test_a_folded_summary_s_text_is_not_taken_for_fields(tmp_path: Path) -> None:
    text = HEAD.replace("summary: Two outlets.\n", "summary: >-\n  Two outlets: one\n    says more.\n")
    write_brief(tmp_path / "briefs", "2026-01-23-rome", "en", text=f"{text} sources:\n---\n\nText.\n")
    [message] = findings(tmp_path / "briefs")
    assert "like `key_details:` on line 7" in message


def test_comparison_options_at_the_margin_are_named_as_the_slip(tmp_path: Path) -> None:
    body = (
        "Intro.\n\n/// comparison | How many\nsummary: They differ.\nclaims:\n"
        "  - source: tagesschau.de\n    quote: Eight.\n  - source: br.de\n    quote: Two.\n\nWhy it matters.\n///\n"
    )
    path = write_brief(tmp_path / "briefs", "2026-01-23-rome", "en", brief_fields(comparisons=None), body=body)
    lines = findings(tmp_path / "briefs")
    text = path.read_text(encoding="utf-8").splitlines()
    line = text.index("summary: They differ.") + 1
    assert lines == [
        f"{path.relative_to(tmp_path).as_posix()}:{line}:1: error: `body.comparisons[0]`: the option `summary:` on line "
        f"{line} is not indented, so it reads as the block's text; indent the options (summary, claims) by 4 spaces; "
        "the text after them stays at the margin [BR013 not-a-mapping]"
    ]


def check(site: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), "check", *map(str, paths)]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=120)


def test_one_file_is_judged_with_its_pair_on_disk(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    first = brief_fields()["comparisons"][0]
    two = [first, copy.deepcopy({**first, "topic": "Who leads"})]
    en = write_brief(root, "2026-01-23-rome", "en", brief_fields(comparisons=two))
    de = write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Merz und Meloni in Rom"))
    result = check(tmp_path, en)
    assert result.returncode == 0, result.stdout
    assert "BR401" not in result.stdout and "de.md" not in result.stdout  # the pair is judged, the file reported
    assert result.stderr.strip() == "1 file checked: 0 errors, 0 warnings"
    german = check(tmp_path, de)
    assert "BR401" not in german.stdout
    assert "de.md:" in german.stdout and "1 comparison here, 2 in the English version" in german.stdout
    assert german.stderr.strip() == "1 file checked: 0 errors, 1 warning"


def test_counts_in_messages_and_headings_agree_with_their_nouns(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(key_details=[]))
    [message] = [m for m in findings(root) if "key_details" in m]
    assert "expected at least 1 item, found 0" in message
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    site = build_site(root, tmp_path / "site", extra_env=WITH_REGISTRY)
    assert site.ok, site.log
    assert (
        site.page("en/sources/tagesschau-de/").h1.get_text(" ", strip=True).endswith("cited in 1 brief, quoted in 1 comparison")
    )
    assert (
        site.page("de/sources/tagesschau-de/")
        .h1.get_text(" ", strip=True)
        .endswith("in 0 Meldungen zitiert, in 0 Vergleichen angeführt")
    )
