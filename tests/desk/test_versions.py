"""The content version: what a translation records, and what must (and must not) change it."""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.core.checked import checked_version
from briefs.core.content import Content, content_of, content_of_text, paragraphs
from briefs.core.corpus import load_corpus
from briefs.core.model import Brief, Claim, Comparison
from briefs.core.versions import (
    SCHEME,
    TranslatedFrom,
    TranslatedFromError,
    content_version,
    fingerprint,
    is_version,
    parse_translated_from,
    version_of_bytes,
    version_of_text,
)
from conftest import REPO, brief_fields, brief_text, settings_for, write_brief

BODY = "Merz travelled to Rome.\nHe met Meloni.\n\n## Defense\n\nDrones and air defense.\n"


def loaded(tmp_path: Path, fields: dict[str, Any], body: str = BODY) -> Brief:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", fields, body)
    corpus = load_corpus(settings_for(root))
    assert not corpus.errors, corpus.errors
    return corpus.pairs[0].versions["en"]


def version(fields: dict[str, Any], body: str = BODY) -> str | None:
    return version_of_text(brief_text(fields, body))


def test_a_version_is_twelve_hex_digits_and_pinned_to_its_scheme() -> None:
    # Recorded versions live in committed files: the same content must give the same version forever.
    assert SCHEME == "briefs-content/1"
    assert version(brief_fields()) == "c2daf8cb3eaa"
    assert is_version(version(brief_fields()))


def test_a_checked_brief_and_its_raw_text_give_the_same_version(tmp_path: Path) -> None:
    brief = loaded(tmp_path, brief_fields())
    text = brief.path.read_text(encoding="utf-8")
    assert content_version(brief) == version_of_text(text) == checked_version(text.encode(), "en.md", settings_for(tmp_path))


def test_the_sample_briefs_give_the_same_version_either_way() -> None:
    corpus = load_corpus(settings_for(REPO / "briefs"))
    briefs = corpus.briefs(include_drafts=True)
    assert len(briefs) > 10
    for brief in briefs:
        assert content_version(brief) == version_of_text(brief.path.read_text(encoding="utf-8")), brief.display


UNTRANSLATED = {
    "updated": {"updated": "2026-02-01"},
    "draft": {"draft": True},
    "date": {"date": "2026-01-24"},
    "topics": {"topics": ["economy"]},
    "authors": {"authors": ["Ada Editor"]},
    "slug": {"slug": "rome-talks"},
    "a source's url and title": {
        "sources": [
            {"name": "tagesschau.de", "url": "https://www.tagesschau.de/other.html", "title": "Neu", "published": "2026-01-22"},
            {"name": "br.de", "url": "https://www.br.de/b.html", "lang": "de"},
        ]
    },
}


@pytest.mark.parametrize("change", UNTRANSLATED.values(), ids=UNTRANSLATED.keys())
def test_fields_that_are_not_translated_leave_the_version(change: dict[str, Any]) -> None:
    assert version(brief_fields(**change)) == version(brief_fields())


def _edited(edit: str) -> dict[str, Any]:
    fields = copy.deepcopy(brief_fields())
    comparison = fields["comparisons"][0]
    claims = comparison["claims"]
    match edit:
        case "title":
            fields["title"] = "Merz and Meloni sign accords in Rome"
        case "summary":
            fields["summary"] = "Germany and Italy agree on closer cooperation."
        case "a key detail":
            fields["key_details"][1] = "Defense projects are *agreed*."
        case "the order of key details":
            fields["key_details"].reverse()
        case "a key detail added":
            fields["key_details"].append("Migration was discussed.")
        case "a comparison's topic":
            comparison["topic"] = "Count of agreements"
        case "a comparison's summary":
            comparison["summary"] = "Sources disagree on the count."
        case "why":
            comparison["why"] = "It changes how *firm* the results look."
        case "a quote":
            claims[1]["quote"] = "two documents were signed"
        case "a claim's source":
            claims[1]["source"] = "tagesschau.de"
            claims[0]["source"] = "br.de"
        case "the order of claims":
            claims.reverse()
    return fields


EDITS = [
    "title",
    "summary",
    "a key detail",
    "the order of key details",
    "a key detail added",
    "a comparison's topic",
    "a comparison's summary",
    "why",
    "a quote",
    "a claim's source",
    "the order of claims",
]


@pytest.mark.parametrize("edit", EDITS)
def test_every_change_of_wording_changes_the_version(edit: str) -> None:
    assert version(_edited(edit)) != version(brief_fields())


@pytest.mark.parametrize(
    "body",
    [
        "Merz travelled to Rome. He met Meloni.\n\n## Defense\n\nDrones and air defense.\n",  # re-wrapped
        "Merz travelled to Rome.   \nHe   met Meloni.\n\n\n\n## Defense\n  \nDrones and air defense.",  # spaces, blank lines
        "\n\nMerz travelled\nto Rome.\nHe met\nMeloni.\n\n## Defense\n\nDrones and air\tdefense.\n\n",
    ],
)
def test_layout_of_the_body_leaves_the_version(body: str) -> None:
    assert version(brief_fields(), body) == version(brief_fields(), BODY)


@pytest.mark.parametrize(
    "body",
    [
        "Merz travelled to Rome.\nHe met Scholz.\n\n## Defense\n\nDrones and air defense.\n",  # a word
        "Merz travelled to Rome.\n\nHe met Meloni.\n\n## Defense\n\nDrones and air defense.\n",  # a paragraph split
        "Merz travelled to Rome.\nHe met Meloni.\n\n## Defence\n\nDrones and air defense.\n",  # one letter
    ],
)
def test_a_changed_body_changes_the_version(body: str) -> None:
    assert version(brief_fields(), body) != version(brief_fields(), BODY)


def test_yaml_layout_and_key_order_leave_the_version() -> None:
    block = brief_text(brief_fields(), BODY)
    flow = (
        "---\n"
        "key_details: ['Eight agreements were signed.', \"Defense projects are *planned*.\"]\n"
        "summary: >-\n  Germany and Italy\n  agree closer cooperation.\n"
        "comparisons:\n"
        "- why: It changes how *binding* the results look.\n"
        "  claims:\n"
        "  - {quote: eight agreements were signed, source: tagesschau.de}\n"
        "  - {source: br.de, quote: 'two significant documents were signed'}\n"
        "  summary: Sources differ on the count.\n"
        "  topic: Number of agreements\n"
        'title: "Merz and Meloni sign agreements in Rome"\n'
        "date: 2026-01-23\n"
        "sources: [{name: tagesschau.de, url: 'https://www.tagesschau.de/a.html'}, {name: br.de, url: 'https://www.br.de/b.html'}]\n"
        "---\n" + BODY
    )
    assert version_of_text(flow) == version_of_text(block)


def test_crlf_and_a_byte_order_mark_leave_the_version() -> None:
    text = brief_text(brief_fields(), BODY)
    assert version_of_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode()) == version_of_text(text)
    assert version_of_bytes(b"\xff\xfe not utf-8") is None


@pytest.mark.parametrize(
    "text",
    [
        "no front-matter",
        "---\ntitle: [unclosed\n---\n",
        "---\n- a list\n---\n",
        brief_text(brief_fields(title=None)),
        brief_text(brief_fields(title=2026)),
        brief_text(brief_fields(key_details=["ok", {"a": 1}])),
        brief_text(brief_fields(comparisons=[{"topic": "x", "summary": "y", "why": "z", "claims": ["not a claim"]}])),
    ],
)
def test_a_text_without_well_formed_translatable_fields_has_no_version(text: str) -> None:
    assert version_of_text(text) is None


def test_history_tolerates_what_todays_rules_refuse_but_settings_make_it_strict(tmp_path: Path) -> None:
    # An old version may name a topic the vocabulary has since dropped: its words are still its words.
    text = brief_text(brief_fields(topics=["retired-topic"]), BODY)
    assert version_of_text(text) == version(brief_fields())
    assert checked_version(text.encode(), "old.md", settings_for(tmp_path)) is None
    assert content_of_text(text) == content_of_text(brief_text(brief_fields(), BODY))


def test_translated_from_is_parsed_with_messages_that_name_the_field() -> None:
    assert parse_translated_from({"lang": "en", "version": "0123456789ab"}) == TranslatedFrom("en", "0123456789ab")
    assert TranslatedFrom("en", "0123456789ab") == ("en", "0123456789ab")
    cases = {
        "translated_from": "en",
        "translated_from.lang": {"lang": "English", "version": "0123456789ab"},
        "translated_from.version": {"lang": "en", "version": "0123456789AB"},
        "translated_from.from": {"lang": "en", "version": "0123456789ab", "from": "x"},
    }
    for where, value in cases.items():
        with pytest.raises(TranslatedFromError) as caught:
            parse_translated_from(value)
        assert caught.value.field == where and str(caught.value).startswith(f"`{where}`: ")
    with pytest.raises(TranslatedFromError) as digits:
        parse_translated_from({"lang": "en", "version": 123456789012})
    assert digits.value.suggestion == "quote it"


# Property tests: whitespace never matters, words always do.

WORD = st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=1, max_size=8)
WORDS = st.lists(WORD, min_size=1, max_size=12)
SPACE = st.sampled_from([" ", "  ", "\t", " \t ", "\u00a0"])


@st.composite
def spaced(draw: st.DrawFn, words: list[str], newlines: bool = False) -> str:
    """``words`` joined by random whitespace (never a blank line), with random ends."""
    choices = st.sampled_from([" ", "  ", "\t", "\n", " \n  "]) if newlines else SPACE
    text = draw(st.sampled_from(["", " ", "\n"])) if newlines else draw(st.sampled_from(["", " "]))
    for k, word in enumerate(words):
        text += word + (draw(choices) if k + 1 < len(words) else draw(st.sampled_from(["", " ", "  "])))
    return text


@st.composite
def contents(draw: st.DrawFn) -> tuple[Content, Content]:
    """A content and the same content with its whitespace changed."""
    texts = draw(st.lists(WORDS, min_size=6, max_size=6))
    body = draw(st.lists(WORDS, min_size=1, max_size=4))

    def make(spacing: bool) -> Content:
        def t(words: list[str]) -> str:
            return draw(spaced(words)) if spacing else " ".join(words)

        claims = (Claim("a.de", t(texts[3])), Claim("b.de", t(texts[4])))
        comparison = Comparison(t(texts[0]), t(texts[1]), claims, t(texts[5]))
        blocks = [draw(spaced(p, newlines=True)) if spacing else " ".join(p) for p in body]
        separator = draw(st.sampled_from(["\n\n", "\n \n", "\n\n\n", "\n\t\n"])) if spacing else "\n\n"
        return Content(t(texts[0]), t(texts[1]), (t(texts[2]), t(texts[3])), (comparison,), separator.join(blocks))

    return make(False), make(True)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(contents())
def test_whitespace_perturbations_keep_the_version(pair: tuple[Content, Content]) -> None:
    plain, perturbed = pair
    assert fingerprint(perturbed) == fingerprint(plain)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(contents(), st.sampled_from(["title", "summary", "detail", "quote", "why", "body"]), st.integers(0, 100), WORD)
def test_a_changed_word_changes_the_version(pair: tuple[Content, Content], where: str, at: int, word: str) -> None:
    original, _ = pair

    def swap(text: str) -> str:
        words = text.split(" ")
        k = at % len(words)
        same = unicodedata.normalize("NFC", word) == unicodedata.normalize("NFC", words[k])
        return " ".join([*words[:k], word + "x" if same else word, *words[k + 1 :]])

    comparison = original.comparisons[0]
    first, *rest = original.body.split("\n\n")
    if where == "title":
        changed = replace(original, title=swap(original.title))
    elif where == "summary":
        changed = replace(original, summary=swap(original.summary))
    elif where == "detail":
        changed = replace(original, key_details=(original.key_details[0], swap(original.key_details[1])))
    elif where == "quote":
        claims = (comparison.claims[0], Claim("b.de", swap(comparison.claims[1].quote)))
        changed = replace(original, comparisons=(replace(comparison, claims=claims),))
    elif where == "why":
        changed = replace(original, comparisons=(replace(comparison, why=swap(comparison.why)),))
    else:
        changed = replace(original, body="\n\n".join([swap(first), *rest]))
    assert fingerprint(changed) != fingerprint(original)


def test_paragraphs_are_what_a_reader_sees_as_paragraphs() -> None:
    assert paragraphs("") == ()
    assert paragraphs("One\ntwo\n \t\nthree") == ("One two", "three")


def test_content_of_a_brief_holds_only_translatable_fields(tmp_path: Path) -> None:
    brief = loaded(tmp_path, brief_fields(updated="2026-02-01", authors=["A"]))
    content = content_of(brief)
    assert content.title == brief.title and content.body == BODY
    assert {f for f in Content.__dataclass_fields__} == {"title", "summary", "key_details", "comparisons", "body"}
