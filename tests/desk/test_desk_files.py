"""The desk's facts of each file (what ``briefs status`` reads): the build's view of every brief, read quickly and kept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import briefs.desk.files as desk_files_module
from briefs.core.corpus import load_corpus
from briefs.desk.files import DeskFile, desk_files, load_front, quick_file
from conftest import REPO, brief_fields, settings_for, write_brief


def facts(file: DeskFile) -> tuple[object, ...]:
    return (
        file.id,
        file.lang,
        file.path,
        file.version,
        file.date,
        file.published,
        file.updated,
        file.draft,
        file.translated_from,
    )


def test_the_desk_reads_each_sample_brief_as_the_build_checks_it(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    shutil.copytree(REPO / "briefs", briefs)
    settings = settings_for(briefs)
    checked = {(b.id, b.lang): facts(DeskFile.of(b)) for p in load_corpus(settings).pairs for b in p.versions.values()}
    found = desk_files(settings)
    quick = {(f.id, f.lang): facts(f) for p in found.pairs for f in p.versions.values()}
    assert quick == checked and len(quick) >= 10 and found.left_out == []
    # Each file took the quick way (the checks were not needed to read it).
    for (brief_id, lang), known in checked.items():
        path = known[2]
        assert isinstance(path, Path)
        read = quick_file(path.read_text(encoding="utf-8"), brief_id, lang, path, settings.languages)
        assert read is not None and facts(read) == known


@pytest.mark.parametrize(
    ("fields", "body"),
    [
        (brief_fields(date="2026-01-23T18:30:00+01:00", updated="2026-01-24", draft=True), "The body.\n"),
        (brief_fields(translated_from={"lang": "de", "version": "0123456789ab"}), "The body.\n"),
        (
            brief_fields(),
            "Intro.\n\n/// comparison | How many\n    summary: They differ.\n    claims:\n"
            "      - source: tagesschau.de\n        quote: eight\n      - source: br.de\n        quote: two\n\n"
            "It changes the count.\n///\n\nAfter.\n",
        ),
    ],
    ids=["a time, updated, a draft", "a translation's record", "a comparison block in the body"],
)
def test_quick_facts_are_the_checked_ones(tmp_path: Path, fields: dict[str, object], body: str) -> None:
    briefs = tmp_path / "briefs"
    write_brief(briefs, "2026-01-23-rome", "en", fields, body=body)
    write_brief(briefs, "2026-01-23-rome", "de", brief_fields(title="Merz und Meloni in Rom"))
    settings = settings_for(briefs)
    corpus = load_corpus(settings)
    assert not [f for f in corpus.findings if f.is_error], corpus.findings
    brief = corpus.pairs[0].versions["en"]
    quick = quick_file(brief.path.read_text(encoding="utf-8"), brief.id, "en", brief.path, settings.languages)
    assert quick is not None and facts(quick) == facts(DeskFile.of(brief))


def test_a_file_that_fails_the_checks_leaves_its_brief_out_and_is_named(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    write_brief(briefs, "2026-01-23-rome", "en")
    write_brief(briefs, "2026-01-23-rome", "de", brief_fields(title="Rom", date="23.01.2026"))
    write_brief(briefs, "2026-01-22-other", "en", brief_fields(title="Another brief", date="2026-01-22"))
    found = desk_files(settings_for(briefs))
    assert [p.id for p in found.pairs] == ["2026-01-22-other"]
    assert found.left_out == ["briefs/2026-01-23-rome/de.md"]


def test_the_index_is_read_back_and_an_edit_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    briefs = tmp_path / "briefs"
    path = write_brief(briefs, "2026-01-23-rome", "en")
    write_brief(briefs, "2026-01-22-other", "en", brief_fields(title="Another brief", date="2026-01-22"))
    settings = settings_for(briefs)
    settings.cache_dir = tmp_path / "cache"
    first = desk_files(settings)
    assert list((tmp_path / "cache" / "desk").rglob("*.cbor"))
    # With every file as it was, nothing is parsed: the facts come from the index.
    monkeypatch.setattr(desk_files_module, "quick_file", lambda *args: pytest.fail("parsed again"))
    again = desk_files(settings)
    assert [facts(f) for p in again.pairs for f in p.versions.values()] == [
        facts(f) for p in first.pairs for f in p.versions.values()
    ]
    monkeypatch.undo()
    before = next(p for p in again.pairs if p.id == "2026-01-23-rome").versions["en"].version
    path.write_text(path.read_text(encoding="utf-8").replace("The body.", "A new body."), encoding="utf-8")
    edited = desk_files(settings)
    after = next(p for p in edited.pairs if p.id == "2026-01-23-rome").versions["en"]
    assert after.version != before
    assert after.version == DeskFile.of(load_corpus(settings_for(briefs)).pairs[1].versions["en"]).version


FRONTS = [
    "title: Rome\nsummary: Talks.\ndate: 2026-01-23\nkey_details: [Eight., 'Nine.']\ndraft: false\n",
    "a: &x {k: v}\nb: *x\n",  # an alias: the same object twice
    "<<: {a: 1}\nb: 2\n",  # a merge key
    "a: &r [1, *r]\n",  # a recursive alias
    "? [1, 2]\n: x\n",  # a list as a key
    "a: !!set {x, y}\nb: !!binary aGk=\n",
    "a: 1\na: 2\n",
    "a: 2026-01-02T10:00:00+01:00\nb: 0x1f\nc: 1e3\nd: ~\ne: yes\n",
    "a: !!str 12\nb: !!int '7'\nc: [[[]]]\n",
    "- 1\n- 2\n",
    "plain",
    "",
    "a: !!python/object:os.system x\n",
    "a: [unclosed\n",
    "=: x\na: {=: 1}\n",  # the value key
    "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n",  # aliases that multiply
]


@pytest.mark.parametrize("front", FRONTS)
def test_front_matter_is_read_as_pyyaml_reads_it(front: str) -> None:
    """The desk's quick reading of front-matter gives what PyYAML's safe loader gives, or fails where it fails."""

    def read(load: Callable[[str], Any]) -> tuple[str, str]:
        try:
            return ("value", repr(load(front)))
        except yaml.YAMLError as error:
            return ("error", type(error).__name__)

    assert read(load_front) == read(lambda text: yaml.load(text, Loader=yaml.CSafeLoader))
