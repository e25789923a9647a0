"""The `briefs` command as writers and CI run it: exit codes, formats, scaffold, schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, brief_fields, build_site, write_brief


def briefs(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-ok", "en", brief_fields())
    write_brief(root, "2026-01-24-bad", "en", brief_fields(title=None, date="2026-01-24", topcs=["x"]))
    return root


def test_check_prints_one_line_per_finding_sorted_and_exits_1(tree: Path) -> None:
    result = briefs("check", str(tree))
    assert result.returncode == 1
    ok, bad = (tree / "2026-01-23-ok/en.md").as_posix(), (tree / "2026-01-24-bad/en.md").as_posix()
    assert result.stdout.splitlines() == [
        f"{ok}:1:1: warning: no German version of this brief yet; add de.md beside this file [BR401 missing-translation]",
        f"{bad}:2:1: error: required field `title` is missing; add `title:` [BR102 missing-field]",
        f"{bad}:24:1: error: unknown field `topcs`; did you mean `topics`? [BR101 unknown-field]",
    ]
    assert result.stderr.strip() == "2 files checked: 2 errors, 1 warning"


def test_check_sorts_by_file_then_line(tree: Path) -> None:
    lines = briefs("check", str(tree)).stdout.splitlines()
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys)
    assert [line.split(": ")[1] for line in lines].count("error") == 2


def test_check_exit_0_on_the_sample_briefs_with_warnings() -> None:
    result = briefs("check")
    assert result.returncode == 0, result.stdout
    assert "[BR402 outdated-translation]" in result.stdout
    assert "[BR401 missing-translation]" in result.stdout
    assert "error" not in result.stdout


def test_check_json_lists_findings(tree: Path) -> None:
    result = briefs("check", "--format", "json", str(tree))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    errors = [f for f in data if f["severity"] == "error"]
    assert {(f["code"], f["line"]) for f in errors} == {("BR102", 2), ("BR101", 24)}
    assert errors[1]["suggestion"] == "did you mean `topics`?"


def test_check_github_annotations(tree: Path) -> None:
    result = briefs("check", "--format", "github", str(tree))
    bad = (tree / "2026-01-24-bad/en.md").as_posix()
    assert f"::error file={bad},line=24,col=1,title=BR101 unknown-field::unknown field `topcs`; did you mean `topics`?" in (
        result.stdout.splitlines()
    )


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the Actions runner reads it: kind, properties, message, unescaped."""
    assert line.startswith("::"), line
    command, message = line[2:].split("::", 1)
    kind, _, listed = command.partition(" ")
    properties = dict(item.split("=", 1) for item in listed.split(","))
    data = {"%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ",", "%25": "%"}
    unescape = partial(re.sub, "%(?:0D|0A|3A|2C|25)", lambda m: data[m.group(0)])
    return kind, {key: unescape(value) for key, value in properties.items()}, unescape(message)


HOSTILE_NAMES = [
    "x\n::error file=README.md,line=1::forged.md",
    "y\r\n::add-mask::s3cret.md",
    "z,line=9,title=forged::%0A%25.md",
]


def test_check_github_annotations_escape_hostile_file_names(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-ok", "en", brief_fields())
    for name in HOSTILE_NAMES:  # Markdown outside a brief folder: reported under its own name
        (root / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    folder = root / "a::add-mask::s3cret,title=x%0A\n::warning::forged"  # an invalid brief id
    write_brief(root, folder.name, "en", brief_fields())
    expected = json.loads(briefs("check", "--format", "json", str(root)).stdout)
    result = briefs("check", "--format", "github", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) >= len(HOSTILE_NAMES) + 1
    for line, finding in zip(lines, expected, strict=True):
        kind, properties, message = parse_workflow_command(line)
        assert kind == finding["severity"]
        assert properties == {
            "file": finding["path"],
            "line": str(finding["line"]),
            "col": str(finding["column"]),
            "title": f"{finding['code']} {finding['name']}",
        }
        assert message == "; ".join(filter(None, [finding["message"], finding["suggestion"]]))
    reported = {Path(f["path"]).name for f in expected} | {Path(f["path"]).parent.name for f in expected}
    assert set(HOSTILE_NAMES) | {folder.name} <= reported


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert briefs("check", str(tmp_path / "missing")).returncode == 2
    assert briefs("check", "--format", "xml").returncode == 2
    assert briefs("frobnicate").returncode == 2
    assert briefs("new", "Title", "--date", "2026-13-01").returncode == 2


def test_paths_are_relative_to_where_the_command_runs() -> None:
    result = briefs("check", "briefs/2025/09")
    assert "briefs/2025/09/2025-09-18-deutschlandticket-price-rises/de.md:" in result.stdout


def test_new_creates_drafts_that_pass_check_and_stay_out_of_production(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "briefs").mkdir()
    command = [sys.executable, "-m", "briefs.cli", "new", "Merz trifft Meloni: „Neue Nähe“", "--date", "2026-01-23"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "briefs/2026/01/2026-01-23-merz-trifft-meloni-neue-naehe"
    assert sorted(p.name for p in folder.iterdir()) == ["de.md", "en.md"]
    text = (folder / "en.md").read_text(encoding="utf-8")
    assert "draft: true" in text and "# 1 to 12 facts" in text
    fields = yaml.safe_load(text.split("---")[1])
    assert fields["title"] == "Merz trifft Meloni: „Neue Nähe“"
    assert fields["date"] == dt.date(2026, 1, 23)
    check = subprocess.run([sys.executable, "-m", "briefs.cli", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert "error" not in check.stdout
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr
    production = build_site(tmp_path / "briefs", tmp_path / "site")
    assert production.ok, production.log
    assert not (tmp_path / "site/en/2026/01/23").exists()


def test_new_with_one_language(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    command = [sys.executable, "-m", "briefs.cli", "new", "Only English", "--date", "2026-02-01", "--langs", "en"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert [p.name for p in (tmp_path / "briefs/2026/02/2026-02-01-only-english").iterdir()] == ["en.md"]


def test_schema_command_equals_the_committed_schema() -> None:
    result = briefs("schema")
    assert result.returncode == 0
    committed = (REPO / "schema" / "brief.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed), "run `make schema` and commit the result"


def front_matter(path: Path) -> dict[str, object]:
    # Editors read YAML with dates as text; so does the schema.
    text = path.read_text(encoding="utf-8").split("---")[1]
    return yaml.load(text, Loader=yaml.BaseLoader) | {k: v for k, v in yaml.safe_load(text).items() if isinstance(v, bool)}


def test_schema_accepts_every_sample_brief_and_rejects_mistakes(tmp_path: Path) -> None:
    schema = json.loads((REPO / "schema" / "brief.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "briefs").rglob("*.md")):
        errors = list(validator.iter_errors(front_matter(path)))
        assert not errors, f"{path}: {errors[0].message}"
    bad = write_brief(tmp_path, "x", "en", brief_fields(topics=["economics"], key_detail=["x"]))
    messages = [e.message for e in validator.iter_errors(front_matter(bad))]
    assert any("economics" in m for m in messages)
    assert any("key_detail" in m for m in messages)


def test_the_outlet_registry_s_schema_is_committed_and_accepts_the_registry() -> None:
    import jsonschema
    import yaml

    result = briefs("schema", "--outlets")
    committed = json.loads((REPO / "schema" / "outlets.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == committed, "run `make schema` and commit the result"
    jsonschema.validate(yaml.safe_load((REPO / "outlets.yml").read_text(encoding="utf-8")), committed)
