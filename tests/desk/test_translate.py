"""The scaffold of a translation, and recording a translation done without touching anything else."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.core.corpus import load_corpus
from briefs.core.loading import BriefFile, Positions, parse_document
from briefs.core.model import Brief
from briefs.core.versions import content_version, version_of_text
from briefs.desk.roundtrip import edit_front_matter, put
from briefs.desk.translate import record_done, translation_text, write_translation, yaml_scalar
from conftest import REPO, brief_fields, settings_for, write_brief

VERSION = "0123456789ab"
ROME = REPO / "briefs/2026/01/2026-01-23-germany-italy-rome-consultations"


def original(root: Path, fields: dict[str, Any] | None = None, body: str = "Merz met Meloni.\n\nIn Rome.\n") -> Brief:
    write_brief(root, "2026-01-23-rome", "en", fields or brief_fields(), body)
    corpus = load_corpus(settings_for(root))
    assert not corpus.errors, corpus.errors
    return corpus.pairs[0].versions["en"]


def front(text: str) -> dict[str, Any]:
    file = BriefFile(Path("x.md"), "x.md", None, Positions())
    parse_document(file, text)
    assert file.fields is not None, file.findings
    return file.fields


def test_the_scaffold_carries_over_structure_and_words(tmp_path: Path) -> None:
    fields = brief_fields(
        date="2026-01-23T09:30:00+01:00",
        authors=["Ada Editor"],
        updated="2026-02-01",
        sources=[
            {
                "name": "tagesschau.de",
                "url": "https://www.tagesschau.de/a.html",
                "title": "Acht Abkommen",
                "published": "2026-01-22",
            },
            {"name": "br.de", "url": "https://www.br.de/b.html", "lang": "de"},
        ],
    )
    brief = original(tmp_path / "briefs", fields)
    text = translation_text(brief, "de", VERSION)
    data = front(text)
    assert list(data) == [
        "title",
        "summary",
        "date",
        "topics",
        "draft",
        "translated_from",
        "key_details",
        "sources",
        "comparisons",
        "authors",
    ]
    assert data["date"] == dt.datetime(2026, 1, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert "date: 2026-01-23T09:30:00+01:00\n" in text  # as written
    assert data["draft"] is True and data["translated_from"] == {"lang": "en", "version": VERSION}
    assert data["sources"][0] == front(brief.path.read_text(encoding="utf-8"))["sources"][0] | {"lang": "de"}
    assert data["comparisons"] == brief_fields()["comparisons"]
    assert data["title"] == brief.title and data["key_details"] == list(brief.key_details)
    assert "updated" not in data and "slug" not in data
    assert text.endswith("---\n\nMerz met Meloni.\n\nIn Rome.\n")
    assert version_of_text(text) == content_version(brief)  # the original's words, as a starting point


def test_the_scaffold_beside_its_original_passes_the_check(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    brief = original(root)
    path = write_translation(brief, "de", content_version(brief))
    assert path == brief.path.with_name("de.md")
    corpus = load_corpus(settings_for(root))
    assert corpus.errors == []
    assert corpus.pairs[0].versions["de"].draft


def test_the_sample_briefs_scaffold_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "briefs"
    shutil.copytree(ROME, root / ROME.name)
    (root / ROME.name / "de.md").unlink()
    brief = load_corpus(settings_for(root)).pairs[0].versions["en"]
    path = write_translation(brief, "de", content_version(brief))
    assert path == brief.path.with_name("de.md")
    corpus = load_corpus(settings_for(root))
    assert corpus.errors == []
    de = corpus.pairs[0].versions["de"]
    assert de.sources == brief.sources and de.body == brief.body and de.key_details == brief.key_details
    assert [c.topic for c in de.comparisons] == [c.topic for c in brief.comparisons]
    for ours, theirs in zip(de.comparisons, brief.comparisons, strict=True):
        # A German outlet's claim is quoted in its own words on the German page; any other stays to translate.
        expected = [(c.source, c.original or c.quote, c.url, None) for c in theirs.claims]
        assert [(c.source, c.quote, c.url, c.original) for c in ours.claims] == expected


def test_a_translation_is_never_overwritten(tmp_path: Path) -> None:
    brief = original(tmp_path / "briefs")
    write_brief(tmp_path / "briefs", "2026-01-23-rome", "de", brief_fields())
    before = brief.path.with_name("de.md").read_bytes()
    with pytest.raises(FileExistsError):
        write_translation(brief, "de", VERSION)
    assert brief.path.with_name("de.md").read_bytes() == before


@pytest.mark.parametrize(
    "title", ["2026", "yes", "no", "null", "~", "*Bold* start", "Merz: Rome", "# not a comment", "'quoted'", "ä & ß — “quotes”"]
)
def test_texts_that_look_like_other_yaml_stay_text(tmp_path: Path, title: str) -> None:
    fields = brief_fields(
        title=title, key_details=[f"detail {title}", "-dash", "@at", "`code`", "[link](https://x.test/)", "%percent"]
    )
    brief = original(tmp_path / "briefs", fields | {"slug": "rome"})
    data = front(translation_text(brief, "de", VERSION))
    assert data["title"] == brief.title and data["key_details"] == list(brief.key_details)


def test_a_title_that_gives_no_slug_keeps_the_originals(tmp_path: Path) -> None:
    brief = original(tmp_path / "briefs", brief_fields(title="Рим", slug="rome-talks"))
    assert front(translation_text(brief, "de", VERSION))["slug"] == "rome-talks"


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40), min_size=1, max_size=4))
def test_any_text_set_by_an_edit_reads_back_as_written(texts: list[str]) -> None:
    def edit(fields: Any) -> None:
        put(fields, "title", texts[0])
        put(fields, "key_details", texts)

    try:
        text = edit_front_matter("---\ntitle: Rom  # kept\ndate: 2026-01-23\n---\nBody\n", edit)
    except ValueError:
        return  # refused rather than written wrong
    assert front(text) == {"title": texts[0], "key_details": texts, "date": dt.date(2026, 1, 23)}


def test_an_edit_that_would_not_read_back_is_refused() -> None:
    with pytest.raises(ValueError):
        edit_front_matter("---\ntitle: Rom\n---\n", lambda fields: put(fields, "title", "tab\x85line"))


# record_done: only translated_from changes, byte for byte everything else stays.

TRANSLATION = """---
# Übersetzt von Ada.
title: "Merz und Meloni in Rom"   # a comment that stays
summary: >-
  Deutschland und Italien.
date: 2026-01-23
translated_from:
  lang: en   # the original
  version: '0123456789ab'
key_details: [Acht Abkommen.]
---

Text.
"""
NEW = "ba9876543210"


def test_record_done_rewrites_only_the_version() -> None:
    done = record_done(TRANSLATION, "en", NEW)
    assert done == TRANSLATION.replace("'0123456789ab'", f"'{NEW}'")
    assert front(done)["translated_from"] == {"lang": "en", "version": NEW}


def test_record_done_adds_the_field_when_missing() -> None:
    without = TRANSLATION.replace("translated_from:\n  lang: en   # the original\n  version: '0123456789ab'\n", "")
    done = record_done(without, "en", NEW)
    assert done == without.replace(
        "key_details: [Acht Abkommen.]\n", f"key_details: [Acht Abkommen.]\ntranslated_from:\n  lang: en\n  version: {NEW}\n"
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("translated_from: {lang: en, version: 0123456789ab}", f"translated_from: {{lang: en, version: {NEW}}}"),
        ("translated_from: {lang: en}", f"translated_from: {{lang: en, version: {NEW}}}"),
        ("translated_from: {}", f"translated_from: {{lang: en, version: {NEW}}}"),
        ("translated_from:\n  version: 0123456789ab", f"translated_from:\n  version: {NEW}\n  lang: en"),
        ("translated_from:", f"translated_from: {{lang: en, version: {NEW}}}"),
        ("translated_from: en", f"translated_from: {{lang: en, version: {NEW}}}"),
        ('translated_from: {"lang": "de", "version": "0123456789ab"}', f'translated_from: {{"lang": "en", "version": "{NEW}"}}'),
    ],
)
def test_record_done_in_every_shape_of_the_field(field: str, expected: str) -> None:
    text = f"---\ntitle: Rom\n{field}\nkey_details: [x]\n---\nText\n"
    assert record_done(text, "en", NEW) == f"---\ntitle: Rom\n{expected}\nkey_details: [x]\n---\nText\n"


def test_record_done_keeps_crlf_and_a_byte_order_mark() -> None:
    text = "\ufeff" + TRANSLATION.replace("\n", "\r\n")
    done = record_done(text, "en", NEW)
    assert done == text.replace("'0123456789ab'", f"'{NEW}'")
    missing = "\ufeff---\r\ntitle: Rom\r\n---\r\nText\r\n"
    assert (
        record_done(missing, "en", NEW)
        == f"\ufeff---\r\ntitle: Rom\r\ntranslated_from:\r\n  lang: en\r\n  version: {NEW}\r\n---\r\nText\r\n"
    )


def test_a_version_of_digits_only_is_quoted() -> None:
    done = record_done("---\ntitle: Rom\n---\n", "no", "000000000012")
    assert front(done + "x")["translated_from"] == {"lang": "no", "version": "000000000012"}
    assert yaml_scalar("000000000012") == '"000000000012"' and yaml_scalar("no") == '"no"'


@pytest.mark.parametrize(
    "text",
    ["no front-matter\n", "---\ntitle: [unclosed\n---\n", "---\n- a list\n---\n", "---\ntitle: Rom\n"],
)
def test_record_done_refuses_what_it_cannot_edit_safely(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        record_done(text, "en", NEW)
    assert "\n" not in str(caught.value)


def test_record_done_refuses_a_bad_version_or_language() -> None:
    for lang, version in (("en", "xyz"), ("en\nx: 1", NEW)):
        with pytest.raises(ValueError):
            record_done(TRANSLATION, lang, version)


def test_a_claim_s_article_and_original_words_carry_over(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    claims = [
        {"source": "tagesschau.de", "quote": "Eight.", "url": "https://www.tagesschau.de/x.html", "original": "Acht."},
        {"source": "br.de", "quote": "Two."},
    ]
    comparison = {"topic": "How many", "summary": "They differ.", "claims": claims, "why": "It matters."}
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(comparisons=[comparison]))
    corpus = load_corpus(settings_for(root))
    english = corpus.pairs[0].versions["en"]
    write_translation(english, "de", content_version(english))
    german = load_corpus(settings_for(root)).pairs[0].versions["de"]
    first, second = german.comparisons[0].claims
    # The German page quotes the German outlet in its own words; the English quote is left to translate.
    assert (first.quote, first.url, first.original) == ("Acht.", "https://www.tagesschau.de/x.html", None)
    assert (second.quote, second.original) == ("Two.", None)
    assert path.is_file()
