"""Slugs derived from titles (SPEC §3): German transliteration, punctuation, length."""

from __future__ import annotations

import pytest

from briefs.core.slugs import SLUG_PATTERN, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Grenzschutz übernehmen", "grenzschutz-uebernehmen"),
        ("Äpfel, Öl & Übermut", "aepfel-oel-uebermut"),
        ("Straße der Einheit", "strasse-der-einheit"),
        ("Café crème à Paris", "cafe-creme-a-paris"),
        ('Merz & Meloni: "Europe" <Analysis>', "merz-meloni-europe-analysis"),
        ("  --Already--slugged--  ", "already-slugged"),
        ("CDU's youth wing", "cdu-s-youth-wing"),
        ("2026: 500 Mrd. €", "2026-500-mrd"),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert SLUG_PATTERN.match(slug)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "Bundesregierung " * 10
    slug = slugify(title)
    assert len(slug) <= 80
    assert slug.endswith("bundesregierung")
    assert slugify("x" * 100) == "x" * 80
