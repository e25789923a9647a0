"""Comparison blocks in the body (SPEC §9): checked, rendered and counted like comparisons in the front-matter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import Build, assert_check_and_build_agree, brief_fields, build_site, located, settings_for, write_brief

BLOCK = """/// comparison | How many <agreements> were signed
    summary: The outlets count the signed documents very differently.
    claims:
      - source: tagesschau.de
        quote: Eight agreements were signed.
        original: Acht Abkommen wurden unterzeichnet.
        url: https://www.tagesschau.de/rom-100.html
      - source: br.de
        quote: Two <b>significant</b> documents were signed.

Eight accords suggest a broad package; two documents
a *framework* still to be negotiated.
///
"""

BODY = f"The cabinets met in Rome.\n\n{BLOCK}\nBoth sides called the talks a success.\n"

SOURCES = [
    {"name": "tagesschau.de", "url": "https://www.tagesschau.de/rom.html"},
    {"name": "br.de", "url": "https://www.br.de/rom.html"},
]
FRONT = {
    "topic": "Who leads on migration",
    "summary": "They disagree on who pushed the plan.",
    "claims": [
        {"source": "tagesschau.de", "quote": "Rome led."},
        {"source": "br.de", "quote": "Berlin led."},
    ],
    "why": "It shapes the EU debate.",
}
PAGE_EN = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"
PAGE_DE = "de/2026/01/23/rom/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("blocks") / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=[FRONT]), body=BODY)
    german = BODY.replace("The cabinets met in Rome.", "Die Kabinette trafen sich in Rom.")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom", sources=SOURCES, comparisons=[FRONT]), body=german)
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert result.ok, result.log
    return result


def test_a_block_stands_where_it_was_written_with_the_markup_of_every_comparison(site: Build) -> None:
    page = site.page(PAGE_EN)
    body = page.select_one("div.brief-body")
    children = [c for c in body.children if getattr(c, "name", None)]
    assert [c.name for c in children] == ["p", "section", "p"]
    assert children[0].get_text() == "The cabinets met in Rome."
    assert children[2].get_text() == "Both sides called the talks a success."
    block = children[1]
    assert block["class"] == ["brief-comparison"]
    assert block.h3.get_text() == "How many <agreements> were signed"  # the title as text, never markup
    assert block.select_one("p.brief-comparison-summary").get_text() == "The outlets count the signed documents very differently."
    first, second = block.select("figure.brief-claim")
    assert first["data-source"] == "tagesschau.de" and second["data-source"] == "br.de"
    assert first.select_one("blockquote.brief-claim-original")["lang"] == "de"
    assert first.select_one("a.brief-claim-link")["href"] == "https://www.tagesschau.de/rom-100.html"
    assert second.blockquote.get_text() == "Two <b>significant</b> documents were signed."
    assert second.select_one("b") is None
    why = block.select_one("div.brief-comparison-why")
    assert why.h4.get_text() == "Why this matters"
    assert why.p.get_text() == "Eight accords suggest a broad package; two documents a framework still to be negotiated."
    assert why.select_one("em").get_text() == "framework"
    # The front-matter's comparison keeps its place under its heading; ids stay unique.
    section = page.select_one("section.brief-comparisons")
    assert [h.get_text() for h in section.select("h3")] == ["Who leads on migration"]
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
    assert "briefscomparison" not in str(page)  # no placeholder is left


def test_the_german_block_has_german_labels(site: Build) -> None:
    block = site.page(PAGE_DE).select_one("div.brief-body section.brief-comparison")
    assert block.select_one("div.brief-comparison-why h4").get_text() == "Warum das wichtig ist"


def test_blocks_are_in_json_ld_and_in_what_search_reads(site: Build) -> None:
    page = site.page(PAGE_EN)
    article = json.loads(page.select_one('script[type="application/ld+json"]').string)
    quotes = [claim["text"] for claim in article["mentions"]]
    assert quotes == [
        "Rome led.",
        "Berlin led.",
        "Eight agreements were signed.",
        "Two <b>significant</b> documents were signed.",
    ]
    assert page.select_one("article[data-pagefind-body] div.brief-body section.brief-comparison") is not None


def test_pairs_count_comparisons_from_both_places(tmp_path: Path) -> None:
    from briefs.core.corpus import load_corpus

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=BODY)
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom", sources=SOURCES, comparisons=[FRONT]))
    codes = {f.code for f in load_corpus(settings_for(root)).findings}
    assert "BR404" not in codes  # one comparison on each side, one of them in the body: nothing to say
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom", sources=SOURCES, comparisons=None))
    counts = [f.message for f in load_corpus(settings_for(root)).findings if f.code == "BR404"]
    assert counts == ["0 comparisons here, 1 in the English version"]


BROKEN = """Intro.

/// comparison | Counting
    summary: They count differently.
    claims:
      - source: tagesschau.de
        quote: Eight.
      - source: br
        quote: Two.
      - source: tagesschau.de
        quote: Again.

Why it <script>matters</script>.
///

/// comparison | No summary
    claims:
      - source: br.de
        quote: One.
      - source: tagesschau.de
        quote: Two.

Why.
///

/// comparison | Bad YAML
    summary: [unclosed

Why.
///

/// comparison | Never closed
    summary: Open.
"""


def test_mistakes_in_a_block_are_located_inside_it_and_the_build_agrees(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=BROKEN)
    from briefs.core.corpus import load_corpus

    findings = load_corpus(settings_for(root)).findings
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text: str, start: int = 0) -> int:
        return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1

    by_code = {(f.code, f.line): f for f in findings}
    unknown = by_code[("BR112", line_of("- source: br", line_of("/// comparison | Counting")))]
    assert "`body.comparisons[0].claims[1].source`" in unknown.message and unknown.column == 17
    assert "did you mean `br.de`?" in (unknown.suggestion or "")
    twice = by_code[("BR111", line_of("- source: tagesschau.de", line_of("quote: Two.")))]
    assert "body.comparisons[0].claims[2].source" in twice.message
    script = next(f for f in findings if f.code == "BR501")
    assert script.line == line_of("Why it <script>")
    missing = by_code[("BR102", line_of("/// comparison | No summary") + 1)]  # at the block's options
    assert "`body.comparisons[1].summary`" in missing.message
    yaml_error = next(f for f in findings if f.code == "BR014")
    assert yaml_error.line > line_of("/// comparison | Bad YAML") and yaml_error.column > 4
    unclosed = by_code[("BR019", line_of("/// comparison | Never closed"))]
    assert "never closed" in unclosed.message
    build = build_site(root, tmp_path / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert not build.ok
    assert_check_and_build_agree(root, build)
    assert "Traceback" not in build.log
    assert located(build.log)


def test_a_block_inside_fenced_code_is_only_code(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    body = "How to write one:\n\n```text\n/// comparison | Example\n    summary: S.\n///\n```\n"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES), body=body)
    site = build_site(root, tmp_path / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert site.ok, site.log
    page = site.page(PAGE_EN)
    assert "/// comparison | Example" in page.select_one("div.brief-body pre").get_text()
    assert page.select_one("div.brief-body section.brief-comparison") is None


def test_a_translation_scaffold_keeps_blocks_in_its_body_only(tmp_path: Path) -> None:
    from briefs.core.corpus import load_corpus
    from briefs.desk.translate import translation_text

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=[FRONT]), body=BODY)
    brief = load_corpus(settings_for(root)).pairs[0].versions["en"]
    assert [c.in_body for c in brief.comparisons] == [False, True]
    text = translation_text(brief, "de", "0123456789ab")
    fields = yaml.safe_load(text.split("---")[1])
    assert [c["topic"] for c in fields["comparisons"]] == ["Who leads on migration"]
    assert text.count("/// comparison") == BODY.count("/// comparison")


SMALL = """/// comparison | Counts
    summary: They count differently.
    claims:
      - source: tagesschau.de
        quote: Eight.
      - source: br.de
        quote: Two.

Why.
///
"""


@pytest.mark.parametrize(
    "body",
    [
        f"Intro.\n\n<div>\n\n{SMALL}\n</div>\n\nAfter.\n",
        f"Intro.\n\n<details>\n\n{SMALL}\n</details>\n",
        f"Intro.\n\n<!--\n{SMALL}-->\n\nMiddle.\n\n{SMALL}\nAfter.\n",
    ],
    ids=["div", "details", "comment"],
)
def test_a_block_inside_other_markup_is_a_located_error_never_a_guess(tmp_path: Path, body: str) -> None:
    from briefs.core.corpus import load_corpus

    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=body)
    findings = [f for f in load_corpus(settings_for(root)).findings if f.code == "BR020"]
    header = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if line.startswith("///")) + 1
    assert [f.is_error for f in findings] == [True]
    assert findings[0].line in (header, header + 1) and "body.comparisons[0]" in findings[0].message
    build = build_site(root, tmp_path / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert not build.ok and "BR020" in build.log
    assert_check_and_build_agree(root, build)


def test_a_fence_closes_only_on_its_own_mark_as_markdown_reads_it(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    body = f"Intro.\n\n```text\n```python\n{SMALL}```\n\nAfter.\n"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=body)
    site = build_site(root, tmp_path / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert site.ok, site.log
    page = site.page(PAGE_EN)
    assert "/// comparison | Counts" in page.select_one("div.brief-body pre").get_text()
    assert page.select_one("section.brief-comparison") is None and "briefscomparison" not in str(page)


@pytest.mark.parametrize("opening", ['<a href="https://evil.test/" title="Verified by the desk">', "<b>", "<code>", "<small>"])
def test_a_tag_left_open_before_a_block_never_wraps_the_comparison(tmp_path: Path, opening: str) -> None:
    root = tmp_path / "briefs"
    body = f"Intro {opening}see.\n\n{SMALL}\nAfter.\n"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=body)
    site = build_site(root, tmp_path / "site", strict=False, extra_env={"BRIEFS_OUTLETS_FILE": "x.yml"})
    assert site.ok, site.log
    section = site.page(PAGE_EN).select_one("div.brief-body section.brief-comparison")
    assert section is not None
    assert [parent.name for parent in section.parents][:1] == ["div"]  # straight inside the body, in nothing of the writer's
    assert section.find_parent(["a", "b", "code", "small"]) is None


def test_a_brief_of_many_blocks_is_refused_quickly_with_one_finding_for_the_limit(tmp_path: Path) -> None:
    from briefs.core.corpus import load_corpus

    root = tmp_path / "briefs"
    heavy = SMALL.replace("Why.", ("[" * 150 + " a") * 10)
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=heavy * 60)
    findings = load_corpus(settings_for(root)).findings
    limits = [f for f in findings if f.code == "BR104"]
    assert len(limits) == 1 and "body.comparisons[20]" in limits[0].message
    assert not [f for f in findings if f.code == "BR020"]  # twelve blocks or more: none is taken for another
    assert len(findings) < 60


def test_a_problem_of_the_body_is_located_in_the_body_not_in_a_block_quoting_the_same(tmp_path: Path) -> None:
    from briefs.core.corpus import load_corpus

    root = tmp_path / "briefs"
    quoting = SMALL.replace("quote: Eight.", 'quote: "They wrote <script> in it."')
    body = f"Intro.\n\n{quoting}\nAfter <script>x</script> it.\n"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=SOURCES, comparisons=None), body=body)
    lines = path.read_text(encoding="utf-8").splitlines()
    removed = [f for f in load_corpus(settings_for(root)).findings if f.code == "BR501"]
    assert [(f.line, f.column) for f in removed] == [(next(i for i, line in enumerate(lines) if line.startswith("After")) + 1, 7)]
