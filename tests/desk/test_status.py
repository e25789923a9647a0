"""The desk's overview: original language, state per language, what needs work first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from briefs.core.corpus import load_corpus
from briefs.core.model import Pair
from briefs.core.versions import content_version
from briefs.desk.history import Behind, HistoryUnavailable
from briefs.desk.status import Basis, State, desk_status, original_language, status_table
from conftest import brief_fields, settings_for, write_brief

LANGS = ["en", "de"]
OLD = "0123456789ab"


def pairs(root: Path, briefs: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Pair]:
    """Write ``{id: {lang: field overrides}}`` and load them."""
    for brief_id, by_lang in briefs.items():
        for lang, overrides in by_lang.items():
            body = overrides.pop("body", "The body.\n")
            overrides.setdefault("slug", brief_id[11:])
            write_brief(root, brief_id, lang, brief_fields(**overrides), body)
    corpus = load_corpus(settings_for(root))
    assert not corpus.errors, corpus.errors
    return {pair.id: pair for pair in corpus.pairs}


def current(pair: Pair, lang: str = "en") -> str:
    return content_version(pair.versions[lang])


def test_original_language_is_named_by_the_translations_else_default_else_the_only_one(tmp_path: Path) -> None:
    found = pairs(
        tmp_path / "briefs",
        {"2026-01-20-a": {"en": {}, "de": {}}, "2026-01-21-b": {"de": {}}, "2026-01-22-c": {"en": {}, "de": {}}},
    )
    a, b, c = found["2026-01-20-a"], found["2026-01-21-b"], found["2026-01-22-c"]
    assert original_language(a, {("2026-01-20-a", "en"): ("de", OLD)}, LANGS, "en") == "de"
    assert original_language(a, {}, LANGS, "en") == "en"
    assert original_language(b, {}, LANGS, "en") == "de"
    # A record naming the file's own language, or an unknown one, names nothing.
    assert original_language(c, {("2026-01-22-c", "de"): ("de", OLD), ("2026-01-22-c", "en"): ("fr", OLD)}, LANGS, "de") == "de"


def test_states_ok_missing_outdated_draft(tmp_path: Path) -> None:
    found = pairs(
        tmp_path / "briefs",
        {
            "2026-01-20-ok": {"en": {}, "de": {}},
            "2026-01-21-missing": {"en": {}},
            "2026-01-22-outdated": {"en": {}, "de": {}},
            "2026-01-23-draft": {"en": {}, "de": {"draft": True}},
        },
    )
    recorded = {
        ("2026-01-20-ok", "de"): ("en", current(found["2026-01-20-ok"])),
        ("2026-01-22-outdated", "de"): ("en", OLD),
        ("2026-01-23-draft", "de"): ("en", current(found["2026-01-23-draft"])),
    }
    status = desk_status(found.values(), LANGS, recorded)
    states = {b.id: {lang: s.state for lang, s in b.languages.items()} for b in status.briefs}
    assert states == {
        "2026-01-22-outdated": {"en": State.OK, "de": State.OUTDATED},
        "2026-01-21-missing": {"en": State.OK, "de": State.MISSING},
        "2026-01-23-draft": {"en": State.OK, "de": State.DRAFT},
        "2026-01-20-ok": {"en": State.OK, "de": State.OK},
    }
    assert [b.id for b in status.briefs] == list(states)  # outdated, missing, draft, ok


def test_an_outdated_draft_stays_outdated(tmp_path: Path) -> None:
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {}, "de": {"draft": True}}})
    de = desk_status(found.values(), LANGS, {("2026-01-20-a", "de"): ("en", OLD)}).briefs[0].languages["de"]
    assert de.state is State.OUTDATED and de.draft
    assert de.as_dict() == {"state": "outdated", "version": OLD, "draft": True, "basis": "version", "behind": None}


def test_without_a_record_the_date_rule_applies(tmp_path: Path) -> None:
    found = pairs(
        tmp_path / "briefs",
        {
            "2026-01-20-newer": {"en": {"updated": "2026-02-01"}, "de": {}},
            "2026-01-21-same": {"en": {}, "de": {}},
        },
    )
    by_id = {b.id: b for b in desk_status(found.values(), LANGS, {}).briefs}
    de = by_id["2026-01-20-newer"].languages["de"]
    assert de.state is State.OUTDATED and de.basis is Basis.DATE
    assert de.since == dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    assert by_id["2026-01-21-same"].languages["de"].state is State.OK


def test_a_record_replaces_the_date_rule(tmp_path: Path) -> None:
    # `updated` alone is no change of wording: with a record, the version decides.
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {"updated": "2026-02-01"}, "de": {}}})
    recorded = {("2026-01-20-a", "de"): ("en", current(found["2026-01-20-a"]))}
    assert desk_status(found.values(), LANGS, recorded).briefs[0].languages["de"].state is State.OK


def test_most_commits_behind_first_then_newest(tmp_path: Path) -> None:
    ids = ["2026-01-20-one", "2026-01-21-three", "2026-01-22-unknown", "2026-01-23-one"]
    found = pairs(tmp_path / "briefs", {i: {"en": {"date": i[:10]}, "de": {"date": i[:10]}} for i in ids})
    counts = {"2026-01-20-one": 1, "2026-01-21-three": 3, "2026-01-22-unknown": None, "2026-01-23-one": 1}
    by_path = {found[i].versions["en"].path: counts[i] for i in ids}
    asked: list[Sequence[tuple[Path, str]]] = []

    def history(lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        asked.append(lookups)
        return {lookup: Behind(by_path[lookup[0]]) for lookup in lookups}

    status = desk_status(found.values(), LANGS, {(i, "de"): ("en", OLD) for i in ids}, history=history)
    assert [b.id for b in status.briefs] == ["2026-01-21-three", "2026-01-23-one", "2026-01-20-one", "2026-01-22-unknown"]
    assert len(asked) == 1 and len(asked[0]) == 4  # one batch for every outdated translation


def test_history_is_not_asked_when_nothing_is_outdated(tmp_path: Path) -> None:
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {}, "de": {}}})
    recorded = {("2026-01-20-a", "de"): ("en", current(found["2026-01-20-a"]))}

    def history(lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        raise AssertionError("git was asked")

    assert desk_status(found.values(), LANGS, recorded, history=history).note is None


def test_when_git_cannot_answer_the_counts_are_unknown_and_a_line_says_why(tmp_path: Path) -> None:
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {}, "de": {}}})

    def history(lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        raise HistoryUnavailable("git is not installed (or not on PATH)")

    status = desk_status(found.values(), LANGS, {("2026-01-20-a", "de"): ("en", OLD)}, history=history)
    assert status.briefs[0].languages["de"].state is State.OUTDATED
    assert status.note == "commit counts unavailable: git is not installed (or not on PATH)"
    assert status_table(status, LANGS).splitlines()[-1] == status.note


def test_json_shape(tmp_path: Path) -> None:
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {}, "de": {}}, "2026-01-19-b": {"de": {}}})
    since = dt.datetime(2026, 2, 3, 12, tzinfo=dt.UTC)

    def history(lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        return {lookup: Behind(2, since) for lookup in lookups}

    status = desk_status(found.values(), LANGS, {("2026-01-20-a", "de"): ("en", OLD)}, history=history)
    data = json.loads(json.dumps(status.as_json()))
    assert data == [
        {
            "id": "2026-01-20-a",
            "original": "en",
            "date": "2026-01-23",
            "languages": {
                "en": {"state": "ok", "version": current(found["2026-01-20-a"])},
                "de": {
                    "state": "outdated",
                    "version": OLD,
                    "basis": "version",
                    "behind": 2,
                    "since": "2026-02-03T12:00:00+00:00",
                },
            },
        },
        {
            "id": "2026-01-19-b",
            "original": "de",
            "date": "2026-01-23",
            "languages": {"en": {"state": "missing"}, "de": {"state": "ok", "version": current(found["2026-01-19-b"], "de")}},
        },
    ]


def test_text_table(tmp_path: Path) -> None:
    found = pairs(
        tmp_path / "briefs",
        {"2026-01-20-a": {"en": {}, "de": {}}, "2026-01-19-b": {"de": {}}, "2026-01-18-c": {"en": {}, "de": {"draft": True}}},
    )

    def history(lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        return {lookup: Behind(1, dt.datetime(2026, 2, 3, tzinfo=dt.UTC)) for lookup in lookups}

    recorded = {("2026-01-20-a", "de"): ("en", OLD), ("2026-01-18-c", "de"): ("en", current(found["2026-01-18-c"]))}
    table = status_table(desk_status(found.values(), LANGS, recorded, history=history), LANGS)
    assert table.splitlines() == [
        "brief         original  en       de",
        "2026-01-20-a  en        ok       outdated: 1 commit since 2026-02-03",
        "2026-01-19-b  de        missing  ok",
        "2026-01-18-c  en        ok       draft",
        "3 briefs; translations: 1 outdated, 1 missing, 1 draft",
    ]


@pytest.mark.parametrize(
    ("behind", "cell"),
    [
        (Behind(3, dt.datetime(2026, 2, 3, tzinfo=dt.UTC)), "outdated: 3 commits since 2026-02-03"),
        (Behind(0), "outdated (not committed)"),
    ],
)
def test_cells_say_how_far_behind(tmp_path: Path, behind: Behind, cell: str) -> None:
    found = pairs(tmp_path / "briefs", {"2026-01-20-a": {"en": {}, "de": {}}})
    status = desk_status(
        found.values(), LANGS, {("2026-01-20-a", "de"): ("en", OLD)}, history=lambda lookups: {lookups[0]: behind}
    )
    assert status_table(status, LANGS).splitlines()[1].endswith(cell)
