"""`briefs report --base REF` against a real git repository with real commits."""

from __future__ import annotations

import html
import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.cli.gfm import ZWSP, code_span, escape_text, fence, one_line
from briefs.cli.report import MAX_REPORT_CHARS, BriefChange, Report, extract_regular_files, render_markdown
from briefs.core.findings import Finding, Severity
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
    link = "[`/en/2026/02/01/new-brief/`](https://preview.test/pr-7/en/2026/02/01/new-brief/)"
    assert f"| New brief (`2026-02-01-new`) | en | published | {link} | new |" in text
    changed = next(line for line in text.splitlines() if "`2026-01-23-rome`" in line)
    assert "| en |" in changed
    for words in ("updated", "key details added (1)", "key details removed (1)", "sources (+1 −0)"):
        assert escape_text(words) in changed, words
    assert "| Old brief (`2026-01-10-old`) | en | – | `/en/2026/01/10/old-brief/` |" in text
    assert "### Translations now outdated" in text
    assert "- `briefs/2026-01-23-rome/de.md`: " in text
    assert "| 2026\\-02\\-02\\-broken (`2026-02-02-broken`) | en | – | – | new |" in text
    assert "briefs/2026-02-02-broken/en.md:6:3: error: `topics[0]`: unknown topic `economics`" in text
    assert "briefs/2026-02-01-new/en.md:1:1: warning: no German version" in text


def test_the_report_says_how_each_language_publishes_and_what_an_added_brief_holds(repo: Path) -> None:
    briefs = repo / "briefs"
    # A draft original whose translation is ready: it would have published alone.
    write_brief(briefs, "2026-03-01-half", "en", brief_fields(title="Half a pair", date="2026-03-01", draft=True))
    german = brief_fields(title="Ein halbes Paar", date="2026-03-01", translated_from={"lang": "en", "version": "0123456789ab"})
    write_brief(briefs, "2026-03-01-half", "de", german)
    # A translation without a record, published while its original is scheduled.
    later = brief_fields(title="Later", date="2027-05-01T08:00:00+02:00")
    write_brief(briefs, "2027-05-01-later", "en", later)
    write_brief(briefs, "2027-05-01-later", "de", brief_fields(title="Früher", date="2027-05-01"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    result = report(repo, "--base", "HEAD~1", "--preview-url", "https://preview.test/pr-8/")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    rows = {tuple(cell.strip() for cell in line.split("|")[1:4]) for line in text.splitlines() if line.startswith("| ")}
    assert ("Half a pair (`2026-03-01-half`)", "en", "draft") in rows
    assert ("Ein halbes Paar (`2026-03-01-half`)", "de", escape_text("held back: its original (en) is a draft")) in rows
    assert ("Later (`2027-05-01-later`)", "en", escape_text("scheduled for 2027-05-01T08:00:00+02:00")) in rows
    publishing = text.split("### Publishing", 1)[1].split("###", 1)[0]
    half = "2026-03-01-half/de.md is ready to publish, but its original en.md is a draft: neither goes live"
    assert f"**error**: {escape_text(half)}" in publishing
    assert f"**warning**: {escape_text('2027-05-01-later/de.md goes live before its original en.md')}" in publishing
    added = next(line for line in text.splitlines() if line.startswith("- `2026-03-01-half` (en):"))
    for words in ("2 sources (tagesschau.de, br.de)", "1 comparison: “Number of agreements”", "2 key details"):
        assert escape_text(words) in added, (words, added)
    link = "[`/de/2026/03/01/ein-halbes-paar/`](https://preview.test/pr-8/de/2026/03/01/ein-halbes-paar/)"
    assert link in text
    data = json.loads(report(repo, "--base", "HEAD~1", "--format", "json").stdout)
    assert {"severity": "error"}.items() <= data["publishing"][0].items()
    states = {(c["id"], c["lang"]): c["state"] for c in data["changes"]}
    assert states[("2026-03-01-half", "en")] == "draft"


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
    option = report(repo, "--base=--output=../written.tar")
    assert option.returncode == 2 and "not a git ref" in option.stderr
    assert not (repo.parent / "written.tar").exists()


# What GitHub reads in the comment, in miniature: enough of GFM to see whether a value
# from a brief stays the text it is (CommonMark's backslash escapes, entities, code
# spans and fences; GFM's table cells, which split on every `|` without a backslash).


def read_inline(source: str) -> tuple[str, list[str], list[str]]:
    """One line of inline Markdown as GFM reads it: its text outside code spans (escapes
    and entities resolved), each code span's content, and the characters left as markup."""
    text: list[str] = []
    spans: list[str] = []
    markup: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in string.punctuation:
            text.append(source[i + 1])
            i += 2
        elif char == "`":
            run = re.match(r"`+", source[i:]).group(0)  # type: ignore[union-attr]
            close = re.compile(rf"(?<!`){run}(?!`)").search(source, i + len(run))
            if close is None:
                text.append(run)
                i += len(run)
                continue
            content = source[i + len(run) : close.start()]
            if len(content) >= 2 and content[0] == content[-1] == " " and content.strip(" "):
                content = content[1:-1]
            spans.append(content)
            i = close.end()
        elif entity := re.match(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", source[i:], re.IGNORECASE):
            text.append(html.unescape(entity.group(0)))
            i += len(entity.group(0))
        else:
            if char in "<>[]!*_~$":  # a `(` is a link's only after a `]`
                markup.append(char)
            text.append(char)
            i += 1
    return "".join(text), spans, markup


def table_cells(row: str) -> list[str]:
    """A table row's cells, with `\\|` turned back into `|` as GFM does before reading them."""
    cells = re.split(r"(?<!\\)\|", row)
    assert cells[0].strip() == cells[-1].strip() == "", row
    return [cell.strip().replace("\\|", "|") for cell in cells[1:-1]]


def fenced_blocks(markdown: str) -> tuple[list[str], list[list[str]]]:
    """The lines outside fenced code blocks, and the lines of each block."""
    outside: list[str] = []
    blocks: list[list[str]] = []
    lines = iter(markdown.splitlines())
    for line in lines:
        opening = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if opening is None:
            outside.append(line)
            continue
        mark = opening.group(1)
        block = []
        for inner in lines:
            if re.fullmatch(rf" {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*", inner):
                break
            block.append(inner)
        else:
            raise AssertionError(f"fence {mark} is never closed")
        blocks.append(block)
    return outside, blocks


def assert_inert(text: str) -> None:
    """No mention, issue reference or autolink in text as GitHub's filters see it (after Markdown)."""
    assert not re.search(r"@[A-Za-z0-9]|#\d|\bgh-\d|://|\bwww\.", text, re.IGNORECASE), text


HOSTILE_TITLE = (
    "@octocat <img src=x onerror=alert(1)> ![pic](https://evil.test/p.png) [click](http://evil.test) "
    "#1 GH-2 www.evil.test | cell `code` ``` $x$ *em* ~~s~~ &amp; a\\|b end\\"
)
HOSTILE_TOPIC = "```\n@everyone <b>out</b>\n````"
HOSTILE_ID = "x`|`@octocat <b>\n```"


@pytest.fixture
def hostile(repo: Path) -> Path:
    """The repository with one more commit: briefs whose every value is an attack on the comment."""
    briefs = repo / "briefs"
    write_brief(briefs, "2026-03-01-hostile", "en", brief_fields(title=HOSTILE_TITLE, date="2026-03-01"))
    topic = brief_fields(date="2026-03-03", slug="topic", topics=["politics", HOSTILE_TOPIC])
    write_brief(briefs, "2026-03-03-topic", "en", {**topic, "@octocat\n```\n<b>": "x"})
    write_brief(briefs, HOSTILE_ID, "en", brief_fields(date="2026-03-02", slug="odd-folder"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile")
    return repo


def test_values_from_briefs_stay_text_in_the_markdown_report(hostile: Path) -> None:
    result = report(hostile, "--base", "HEAD~1")
    assert result.returncode == 0, result.stderr
    outside, blocks = fenced_blocks(result.stdout)
    findings = json.loads(report(hostile, "--base", "HEAD~1", "--format", "json").stdout)["findings"]
    # One block, one line per finding: no value closed the fence or started a line of its own.
    assert len(blocks) == 1 and len(blocks[0]) == len(findings) > 2
    assert all(line.startswith("briefs/") for line in blocks[0])
    assert any("@everyone" in line for line in blocks[0]), "the topic is reported, inside the code block"
    rows = [line for line in outside if line.startswith("| ") and not line.startswith(("| brief ", "| --- "))]
    assert len(rows) == 3
    for row in rows:
        cells = table_cells(row)
        assert len(cells) == 5, row
        for cell in cells:
            text, _, markup = read_inline(cell)
            assert markup == [], (cell, markup)
            assert_inert(text)
    by_id = {read_inline(table_cells(row)[0])[1][0]: table_cells(row) for row in rows}
    assert set(by_id) == {"2026-03-01-hostile", "2026-03-03-topic", one_line(HOSTILE_ID)}
    title, _, _ = read_inline(by_id["2026-03-01-hostile"][0])
    assert title.replace(ZWSP, "") == f"{HOSTILE_TITLE} ()"
    for line in outside:
        text, _, markup = read_inline(line)
        assert not {"<", ">", "["} & set(markup), line
        assert_inert(text)


def test_json_report_keeps_the_values_as_they_are(hostile: Path) -> None:
    data = json.loads(report(hostile, "--base", "HEAD~1", "--format", "json").stdout)
    assert {c["title"] for c in data["changes"] if c["status"] == "added"} >= {HOSTILE_TITLE}
    assert any(HOSTILE_TOPIC in f["message"] for f in data["findings"])


@given(st.text())
def test_escaped_text_reads_as_the_text_and_stays_inert(value: str) -> None:
    source = escape_text(value)
    assert "\n" not in source and "\r" not in source
    assert len(table_cells(f"| {source} |")) == 1
    for reading in (source, source.replace("\\|", "|")):  # in running text, in a table cell
        text, spans, markup = read_inline(reading)
        assert spans == [] and markup == []
        assert text.replace(ZWSP, "") == one_line(value).replace(ZWSP, "")
        assert_inert(text)


@given(st.text().filter(bool), st.booleans())
def test_code_span_holds_any_text(value: str, in_table: bool) -> None:
    source = code_span(value, in_table=in_table)
    if in_table:
        assert len(table_cells(f"| {source} |")) == 1
        source = source.replace("\\|", "|")
    assert read_inline(source)[:2] == ("", [one_line(value)])


@given(st.lists(st.text()))
def test_no_line_closes_its_fence(lines: list[str]) -> None:
    body = [one_line(line) for line in lines]
    mark = fence(body)
    assert fenced_blocks("\n".join([f"{mark}text", *body, mark]))[1] == [body]


def test_the_markdown_report_is_cut_to_its_limit_with_a_note() -> None:
    change = BriefChange("2026-01-23-rome", "en", "added", "A title " * 10, "en/2026/01/23/rome/", "briefs/x/en.md")
    finding = Finding("briefs/x/en.md", 1, 1, Severity.ERROR, "BR107", "unknown topic ````" + "x" * 200)
    text = render_markdown(Report("main", [change] * 300, [], [finding] * 300))
    assert len(text) <= MAX_REPORT_CHARS
    outside, blocks = fenced_blocks(text)  # a fence cut open would never be closed
    assert outside[-1].startswith("**The report is cut here: ") and outside[-1].endswith(" more lines.**")
    assert blocks and all(line == one_line(finding.format()) for line in blocks[0])
    small = render_markdown(Report("main", [change], [], [finding]))
    assert "cut here" not in small and fenced_blocks(small)[1] == [[one_line(finding.format())]]


@pytest.fixture
def linked_base(repo: Path, tmp_path: Path) -> Path:
    """A base commit whose briefs folder holds symlinks out of it; the next commit adds a brief."""
    folder = repo / "briefs" / "2026-01-23-rome"
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "up").symlink_to("../../..")
    outside = write_brief(tmp_path, "outside", "en", brief_fields(title="Read through a link"))
    write_brief(repo / "briefs", "2026-01-30-linked", "de", brief_fields(title="Verlinkt"))
    (repo / "briefs" / "2026-01-30-linked" / "en.md").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    git(repo, "rm", "-q", "briefs/2026-01-30-linked/en.md")
    write_brief(repo / "briefs", "2026-02-03-after", "en", brief_fields(title="After the links", date="2026-02-03"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "after")
    return repo


def test_report_against_a_base_with_symlinks_never_follows_them(linked_base: Path) -> None:
    result = report(linked_base, "--base", "HEAD~1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "| After the links (`2026-02-03-after`) |" in result.stdout
    # Followed, the link would have been a brief of the base, removed by the pull request.
    assert "Read through a link" not in result.stdout and "### Removed" not in result.stdout


def test_extraction_keeps_only_folders_and_regular_files(linked_base: Path, tmp_path: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD~1", "--", "briefs"], cwd=linked_base, capture_output=True, check=True
    ).stdout
    into = tmp_path / "base"
    into.mkdir()
    skipped = extract_regular_files(archive, into)
    assert sorted(skipped) == [
        "briefs/2026-01-23-rome/passwd",
        "briefs/2026-01-23-rome/up",
        "briefs/2026-01-30-linked/en.md",
    ]
    extracted = list(into.rglob("*"))
    assert not any(path.is_symlink() for path in extracted)
    assert (into / "briefs/2026-01-30-linked/de.md").is_file() and (into / "briefs/2026-01-23-rome/en.md").is_file()
    assert {p.relative_to(into).parts[0] for p in extracted} == {"briefs"}


def test_a_briefs_folder_that_is_a_symlink_is_a_finding_not_a_traceback(repo: Path) -> None:
    shutil.rmtree(repo / "briefs")
    (repo / "briefs").symlink_to("/")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "briefs is a link")
    done = report(repo, "--base", "HEAD~1")
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "### Removed (4)" in done.stdout  # nothing is read through the link
    check = subprocess.run([sys.executable, "-m", "briefs.cli", "check"], cwd=repo, capture_output=True, text=True)
    assert check.returncode == 1 and "[BR207 symlink]" in check.stdout


def test_a_published_brief_whose_facts_change_needs_a_correction(repo: Path) -> None:
    path = repo / "briefs" / "2026-01-23-rome" / "de.md"
    write_brief(repo / "briefs", "2026-01-23-rome", "de", brief_fields(title="Rom", key_details=["Neun Abkommen."]))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a number changed")
    report_text = report(repo, "--base", "HEAD~1").stdout
    assert "without a correction" in report_text and "2026-01-23-rome/de.md" in report_text
    corrected = brief_fields(
        title="Rom", key_details=["Acht Abkommen."], corrections=[{"date": "2026-01-26", "text": "Es waren acht."}]
    )
    write_brief(repo / "briefs", "2026-01-23-rome", "de", corrected)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "corrected, with an entry")
    assert path.is_file()
    assert "without a correction" not in report(repo, "--base", "HEAD~1").stdout
