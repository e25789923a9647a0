"""Every kind of bad input gets one located error, and the build refuses it.

Each case is a brief file (or tree) with one mistake, the line and column the
error must point at, its code, and words the message must contain (the field
path, what was found, the suggestion). All cases sit in one tree, so one
`mkdocs build` and one `briefs check` prove that every error is reported in a
single run, not only the first.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, brief_fields, brief_text, build_site, write_brief

GOOD = brief_text(brief_fields())


@dataclass
class Case:
    name: str
    text: str | bytes
    line: int
    column: int | None
    code: str
    words: tuple[str, ...]
    file: str = "en.md"


def replace(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


CASES = [
    Case(
        "yaml-syntax",
        replace("summary: Germany", "summary: Germany: Italy"),
        3,
        17,
        "BR014",
        ("YAML syntax error", 'quote the value if it contains ": "'),
    ),
    Case("tab-indent", replace("- Eight", "\t- Eight"), line_of(GOOD, "- Eight"), 1, "BR015", ("tab", "use spaces")),
    Case("no-front-matter", "Just text.\n", 1, 1, "BR010", ("front-matter",)),
    Case("empty-front-matter", "---\n---\n\nBody\n", 1, 1, "BR012", ("front-matter is empty",)),
    Case("unterminated", "---\ntitle: x\nsummary: y\n", 1, 1, "BR011", ("never closed",)),
    Case("not-a-mapping", "---\n- title\n- summary\n---\nBody\n", 2, 1, "BR013", ("mapping", "found a list")),
    Case(
        "duplicate-key",
        replace("topics:", "title: Again\ntopics:"),
        line_of(GOOD, "topics:"),
        1,
        "BR016",
        ("`title` is given twice", "first on line 2"),
    ),
    Case(
        "missing-field",
        replace("summary: Germany and Italy agree closer cooperation.\n", ""),
        2,
        1,
        "BR102",
        ("`summary`", "missing"),
    ),
    Case(
        "wrong-type-bool",
        replace("title: Merz and Meloni sign agreements in Rome", "title: yes"),
        2,
        8,
        "BR103",
        ("`title`", "expected text", "found a boolean", "quote the value"),
    ),
    Case(
        "wrong-type-number",
        replace("title: Merz and Meloni sign agreements in Rome", "title: 1.10"),
        2,
        8,
        "BR103",
        ("`title`", "found a number", "quote the value"),
    ),
    Case(
        "wrong-type-list",
        replace("title: Merz and Meloni sign agreements in Rome", "title: [Draft, Rome]"),
        2,
        8,
        "BR103",
        ("`title`", "found a list", "quote the value"),
    ),
    Case(
        "impossible-date",
        replace("date: 2026-01-23", "date: 2026-02-30"),
        4,
        7,
        "BR105",
        ("`date`", "2026-02-30", "not a calendar date"),
    ),
    Case(
        "unknown-field",
        replace("topics:", "key_detail: x\ntopics:"),
        line_of(GOOD, "topics:"),
        1,
        "BR101",
        ("`key_detail`", "did you mean `key_details`?"),
    ),
    Case(
        "unknown-topic",
        replace("- politics", "- economics"),
        line_of(GOOD, "- politics"),
        3,
        "BR107",
        ("`topics[0]`", "economics", "did you mean `economy`?"),
    ),
    Case(
        "relative-url",
        replace("url: https://www.br.de/b.html", "url: /b.html"),
        line_of(GOOD, "url: https://www.br.de"),
        8,
        "BR108",
        ("`sources[1].url`", "absolute http(s) URL"),
    ),
    Case(
        "ftp-url",
        replace("url: https://www.br.de/b.html", "url: ftp://br.de/b"),
        line_of(GOOD, "url: https://www.br.de"),
        8,
        "BR108",
        ("`sources[1].url`",),
    ),
    Case(
        "duplicate-source",
        replace("name: br.de", "name: tagesschau.de"),
        line_of(GOOD, "name: br.de"),
        9,
        "BR109",
        ("`sources[1].name`", "declared twice"),
    ),
    Case(
        "too-few-claims",
        replace("  - source: br.de\n    quote: two significant documents were signed\n", ""),
        line_of(GOOD, "- source: tagesschau.de"),
        3,
        "BR110",
        ("`comparisons[0].claims`", "at least 2"),
    ),
    Case(
        "repeated-claim-source",
        replace("- source: br.de", "- source: tagesschau.de"),
        line_of(GOOD, "- source: br.de"),
        13,
        "BR111",
        ("`comparisons[0].claims[1].source`", "already has a claim"),
    ),
    Case(
        "undeclared-source",
        replace("- source: br.de", "- source: br"),
        line_of(GOOD, "- source: br.de"),
        13,
        "BR112",
        ("`comparisons[0].claims[1].source`", "`br` is not a declared source", "did you mean `br.de`?"),
    ),
    Case(
        "title-too-long",
        replace("title: Merz and Meloni sign agreements in Rome", "title: " + "x" * 201),
        2,
        8,
        "BR104",
        ("`title`", "at most 200", "found 201"),
    ),
    Case(
        "too-many-details",
        replace("key_details:", "key_details:" + "\n- more" * 11),
        line_of(GOOD, "key_details:") + 1,
        1,
        "BR104",
        ("`key_details`", "found 13"),
    ),
    Case(
        "block-in-detail",
        replace("- Eight agreements were signed.", "- '# Eight agreements'"),
        line_of(GOOD, "- Eight"),
        3,
        "BR113",
        ("`key_details[0]`", "inline Markdown"),
    ),
    Case(
        "bad-slug",
        replace("topics:", "slug: Not A Slug\ntopics:"),
        line_of(GOOD, "topics:"),
        7,
        "BR106",
        ("`slug`", "e.g. `not-a-slug`"),
    ),
    Case("empty-file", "", 1, 1, "BR002", ("empty",)),
    Case("not-utf8", b"---\ntitle: Gr\xfc\xdfe\n---\n", 2, 10, "BR001", ("not valid UTF-8", "offset 13")),
    Case(
        "yaml-alias",
        replace("topics:", "authors: &a [x]\nslug: *a\ntopics:"),
        line_of(GOOD, "topics:"),
        10,
        "BR017",
        ("aliases",),
    ),
    Case(
        "naive-datetime",
        replace("date: 2026-01-23", "date: 2026-01-23T10:00:00"),
        4,
        7,
        "BR105",
        ("`date`", "UTC offset"),
    ),
]


def test_cases_have_unique_names() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "briefs"
    for case in CASES:
        folder = root / f"2026-01-23-{case.name}"
        folder.mkdir(parents=True)
        data = case.text if isinstance(case.text, bytes) else case.text.encode("utf-8")
        (folder / case.file).write_bytes(data)
    # Tree-level mistakes.
    write_brief(root, "2026-01-23-fr-file", "en", brief_fields(slug="fr-file"))
    (root / "2026-01-23-fr-file" / "fr.md").write_text("bonjour\n", encoding="utf-8")
    (root / "notes.md").write_text("# notes\n", encoding="utf-8")
    write_brief(root / "a", "2026-01-23-twice", "en", brief_fields(slug="twice"))
    write_brief(root / "b", "2026-01-23-twice", "en", brief_fields(slug="other"))
    write_brief(root, "2026-01-23-date-mismatch", "en", brief_fields(slug="mismatch-en"))
    write_brief(root, "2026-01-23-date-mismatch", "de", brief_fields(slug="mismatch-de", date="2026-01-24"))
    write_brief(root, "Bad_Id", "en", brief_fields(slug="bad-id"))
    return root


TREE_ERRORS = [
    ("2026-01-23-fr-file/fr.md", 1, "BR202", ("`fr` is not a configured language",)),
    ("notes.md", 1, "BR201", ("outside a brief folder",)),
    ("b/2026-01-23-twice/en.md", 1, "BR203", ("`2026-01-23-twice` is also used by",)),
    ("2026-01-23-date-mismatch/de.md", 4, "BR301", ("`date`", "2026-01-24 differs", "2026-01-23")),
    ("Bad_Id/en.md", 1, "BR204", ("Bad_Id",)),
]


def expected_lines(root: Path) -> list[tuple[str, int, int | None, str, tuple[str, ...]]]:
    rows: list[tuple[str, int, int | None, str, tuple[str, ...]]] = [
        (f"2026-01-23-{c.name}/{c.file}", c.line, c.column, c.code, c.words) for c in CASES
    ]
    rows += [(path, line, None, code, words) for path, line, code, words in TREE_ERRORS]
    return rows


def find_line(output: str, root: Path, rel: str, line: int, column: int | None, code: str) -> str:
    prefix = f"{(root / rel).relative_to(REPO) if (root / rel).is_relative_to(REPO) else (root / rel).as_posix()}:{line}:"
    if column is not None:
        prefix += f"{column}:"
    for text in output.splitlines():
        if prefix in text and f"[{code} " in text and "error" in text:
            return text
    raise AssertionError(f"no {code} error at {prefix}\n{output}")


@pytest.fixture(scope="module")
def check_output(tree: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check", str(tree), "--no-warnings"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("row", range(len(CASES) + len(TREE_ERRORS)))
def test_check_names_file_line_column_field_and_hint(tree: Path, check_output: tuple[int, str], row: int) -> None:
    rel, line, column, code, words = expected_lines(tree)[row]
    code_out, output = check_output
    assert code_out == 1
    assert "Traceback" not in output
    text = find_line(output, tree, rel, line, column, code)
    for word in words:
        assert word in text, f"{word!r} missing from: {text}"


@pytest.mark.parametrize("row", range(len(CASES) + len(TREE_ERRORS)))
def test_build_fails_naming_the_same_file_and_line(
    tree: Path, tmp_path_factory: pytest.TempPathFactory, row: int, build_log: str
) -> None:
    rel, line, column, code, _ = expected_lines(tree)[row]
    assert "ABORT" in build_log
    find_line(build_log, tree, rel, line, column, code)


@pytest.fixture(scope="module")
def build_log(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    result = build_site(tree, tmp_path_factory.mktemp("out") / "site")
    assert not result.ok
    assert "Traceback" not in result.log
    return result.log


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    write_brief(root, "2026-01-23-bom", "en", text=text)
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    assert (
        result.page("en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/").h1.get_text()
        == "Merz and Meloni sign agreements in Rome"
    )


def test_oversized_file_is_refused_fast(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-big", "en", text=GOOD + "x" * (1024 * 1024))
    result = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check", str(root)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "en.md:1:1: error: file is 1.0 MiB; a brief may be at most 1 MiB [BR003 too-large]" in result.stdout


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    lines += ["---", ""]
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-lol", "en", text="\n".join(lines))
    result = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check", str(root)], cwd=REPO, capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 1
    assert "[BR017 yaml-alias]" in result.stdout


def test_nesting_deeper_than_the_format_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    deep = GOOD.replace("topics:", "authors: " + "[" * 20 + "x" + "]" * 20 + "\ntopics:", 1)
    write_brief(root, "2026-01-23-deep", "en", text=deep)
    result = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check", str(root)], cwd=REPO, capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 1
    line = line_of(deep, "authors:")
    assert re.search(
        rf"en\.md:{line}:\d+: error: value is nested deeper than the brief format allows \[BR018 too-deep\]", result.stdout
    )
