"""What changed in an original, field by field, with the changed words marked."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.core.content import Content, content_of_text
from briefs.core.model import Claim, Comparison
from briefs.core.versions import fingerprint
from briefs.desk.fielddiff import Change, FieldChange, changes_json, changes_text, field_changes, marked_words
from conftest import brief_fields, brief_text

BODY = "Merz travelled to Rome.\nHe met Meloni.\n\n## Defense\n\nDrones and air defense.\n"


def content(fields: dict[str, Any] | None = None, body: str = BODY) -> Content:
    found = content_of_text(brief_text(fields or brief_fields(), body))
    assert found is not None
    return found


def summary(changes: list[FieldChange]) -> list[tuple[str, str]]:
    return [(c.field, c.change.value) for c in changes]


def edited(**changes: Any) -> dict[str, Any]:
    fields = copy.deepcopy(brief_fields())
    fields.update(changes)
    return fields


def test_nothing_translatable_changed() -> None:
    later = brief_fields(updated="2026-02-01", topics=["economy"], authors=["A"], draft=True)
    assert field_changes(content(), content(later, BODY.replace("\n", "  \n"))) == []
    assert changes_text([]) == "No change of the translatable content.\n"


def test_a_changed_title_marks_its_words() -> None:
    changes = field_changes(content(), content(edited(title="Merz and Meloni signed accords in Rome")))
    assert changes == [
        FieldChange("title", Change.CHANGED, "Merz and Meloni sign agreements in Rome", "Merz and Meloni signed accords in Rome")
    ]
    assert marked_words(changes[0]) == "Merz and Meloni [-sign agreements-]{+signed accords+} in Rome"


def test_key_details_changed_added_and_removed_by_index() -> None:
    old = ["One.", "Two is here.", "Three.", "Four four four."]
    new = ["One.", "Two is there.", "Three.", "Four four four.", "Five."]
    changes = field_changes(content(edited(key_details=old)), content(edited(key_details=new)))
    assert summary(changes) == [("key_details[1]", "changed"), ("key_details[4]", "added")]
    removed = field_changes(content(edited(key_details=new)), content(edited(key_details=new[1:])))
    assert summary(removed) == [("key_details[0]", "removed")]
    assert removed[0].old == "One." and removed[0].new is None


def test_an_inserted_detail_does_not_read_as_every_later_one_changed() -> None:
    old = ["Eight agreements were signed.", "Defense projects are planned.", "Migration was discussed."]
    new = [
        "Eight agreements were signed.",
        "A new item entirely.",
        "Defense projects are planned today.",
        "Migration was discussed.",
    ]
    changes = field_changes(content(edited(key_details=old)), content(edited(key_details=new)))
    assert summary(changes) == [("key_details[1]", "added"), ("key_details[2]", "changed")]


def test_claims_are_named_by_comparison_and_position() -> None:
    fields = edited()
    later = copy.deepcopy(fields)
    later["comparisons"][0]["claims"][1]["quote"] = "two documents were signed"
    later["sources"].append({"name": "zeit.de", "url": "https://www.zeit.de/c.html"})
    later["comparisons"][0]["claims"].append({"source": "zeit.de", "quote": "no agreement was signed"})
    changes = field_changes(content(fields), content(later))
    assert summary(changes) == [("comparisons[0].claims[1].quote", "changed"), ("comparisons[0].claims[2]", "added")]
    assert changes[1].new == "zeit.de: no agreement was signed"
    assert marked_words(changes[0]) == "two [-significant-] documents were signed"


def test_comparisons_added_and_removed() -> None:
    second = {
        "topic": "Migration",
        "summary": "They differ on returns.",
        "claims": [{"source": "br.de", "quote": "more returns"}, {"source": "tagesschau.de", "quote": "fewer returns"}],
        "why": "Returns are contested.",
    }
    one = edited()
    two = edited(comparisons=[*one["comparisons"], second])
    added = field_changes(content(one), content(two))
    assert summary(added) == [
        ("comparisons[1].topic", "added"),
        ("comparisons[1].summary", "added"),
        ("comparisons[1].claims[0]", "added"),
        ("comparisons[1].claims[1]", "added"),
        ("comparisons[1].why", "added"),
    ]
    removed = field_changes(content(two), content(one))
    assert summary(removed) == [("comparisons[1]", "removed")] and removed[0].old == "Migration"


def test_the_body_by_paragraph_with_changed_words() -> None:
    later = BODY.replace("He met Meloni.", "He met Giorgia Meloni.") + "\nA new closing paragraph.\n"
    changes = field_changes(content(), content(body=later))
    assert summary(changes) == [("body.paragraphs[0]", "changed"), ("body.paragraphs[3]", "added")]
    assert marked_words(changes[0]) == "Merz travelled to Rome. He met {+Giorgia+} Meloni."


def test_long_paragraphs_keep_a_few_words_of_context() -> None:
    words = " ".join(f"w{k}" for k in range(40))
    change = FieldChange("body.paragraphs[0]", Change.CHANGED, words, words.replace("w20", "CHANGED"))
    assert marked_words(change, context=3) == "… w17 w18 w19 [-w20-]{+CHANGED+} w21 w22 w23 …"
    assert "w0 w1" in marked_words(change)


def test_text_and_json_renderings() -> None:
    changes = field_changes(content(), content(edited(title="Merz and Meloni sign accords in Rome"), BODY + "\nMore.\n"))
    text = changes_text(changes)
    assert text.splitlines() == [
        "title (changed)",
        "    Merz and Meloni sign [-agreements-]{+accords+} in Rome",
        "body.paragraphs[3] (added)",
        "    {+More.+}",
    ]
    data = json.loads(json.dumps(changes_json(changes)))
    assert data[0] == {
        "field": "title",
        "change": "changed",
        "old": "Merz and Meloni sign agreements in Rome",
        "new": "Merz and Meloni sign accords in Rome",
        "words": [
            {"op": "equal", "text": "Merz and Meloni sign"},
            {"op": "removed", "text": "agreements"},
            {"op": "added", "text": "accords"},
            {"op": "equal", "text": "in Rome"},
        ],
    }


def test_control_characters_from_history_never_reach_the_terminal() -> None:
    hostile = FieldChange("title", Change.CHANGED, "Rome", "Rome \x1b[2J\x07")
    assert "\x1b" not in changes_text([hostile]) and "\\x1b[2J\\x07" in changes_text([hostile])


WORDS = st.lists(st.sampled_from(["Merz", "Meloni", "Rome", "signed", "eight", "two", "deals", "*bold*"]), min_size=1, max_size=6)


@st.composite
def variants(draw: st.DrawFn) -> tuple[Content, Content]:
    def text() -> str:
        return " ".join(draw(WORDS))

    def one() -> Content:
        details = tuple(text() for _ in range(draw(st.integers(1, 4))))
        body = "\n\n".join(text() for _ in range(draw(st.integers(0, 4))))
        sources = draw(st.permutations(["a.de", "b.de", "c.de"]))[: draw(st.integers(2, 3))]
        comparisons = tuple(
            Comparison(text(), text(), tuple(Claim(source, text()) for source in sources), text())
            for _ in range(draw(st.integers(0, 2)))
        )
        return Content(text(), text(), details, comparisons, body)

    first = one()
    return first, draw(st.sampled_from([first, one()]))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(variants())
def test_a_diff_is_empty_exactly_when_the_version_is_the_same(pair: tuple[Content, Content]) -> None:
    old, new = pair
    assert (field_changes(old, new) == []) == (fingerprint(old) == fingerprint(new))
