"""Trust (SPEC §9, first part): claims with their original words and article, corrections, bylines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefs.core.corpus import load_corpus
from conftest import Build, brief_fields, build_site, settings_for, write_brief

PAGE_EN = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"
PAGE_DE = "de/2026/01/23/rom/"
ATOM = "{http://www.w3.org/2005/Atom}"


def claims(original: bool) -> list[dict[str, str]]:
    first = {"source": "tagesschau.de", "quote": "Eight agreements were signed."}
    if original:
        first |= {"original": "Acht Abkommen wurden unterzeichnet.", "url": "https://www.tagesschau.de/rom-100.html"}
    return [first, {"source": "br.de", "quote": "Two significant documents were signed."}]


def fields(**overrides: object) -> dict[str, object]:
    comparison = {"topic": "How many", "summary": "They count differently.", "claims": claims(True), "why": "It *matters*."}
    return brief_fields(comparisons=[comparison], **overrides)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("trust") / "briefs"
    corrections = [
        {"date": "2026-01-25", "text": "An earlier version said **nine** agreements."},
        {"date": "2026-01-24", "text": "The meeting was in Rome, not Milan."},
    ]
    write_brief(root, "2026-01-23-rome", "en", fields(authors=["Zoë Müller", "Desk"], translators=[], corrections=corrections))
    write_brief(root, "2026-01-23-rome", "de", fields(title="Rom", translators=["Ana Ćosić"], authors=["Zoë Müller"]))
    only = brief_fields(title="English only", date="2026-01-20", corrections=[{"date": "2026-01-21", "text": "A date fixed."}])
    write_brief(root, "2026-01-20-only", "en", only)
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False)
    assert result.ok, result.log
    return result


def test_a_claim_shows_its_original_words_and_links_its_article(site: Build) -> None:
    for url in (PAGE_EN, PAGE_DE):
        first, second = site.page(url).select("figure.brief-claim")
        original = first.select_one("blockquote.brief-claim-original")
        assert original["lang"] == "de" and original.get_text(strip=True) == "Acht Abkommen wurden unterzeichnet."
        assert first.select_one("a.brief-claim-link")["href"] == "https://www.tagesschau.de/rom-100.html"
        assert second.select_one(".brief-claim-original") is None and second.select_one(".brief-claim-link") is None
    # German original words are searched from German pages only.
    assert site.page(PAGE_EN).select_one("blockquote.brief-claim-original").has_attr("data-pagefind-ignore")
    assert not site.page(PAGE_DE).select_one("blockquote.brief-claim-original").has_attr("data-pagefind-ignore")


def test_corrections_newest_first_with_dates(site: Build) -> None:
    section = site.page(PAGE_EN).select_one("section.brief-corrections")
    assert [t["datetime"] for t in section.select("time")] == ["2026-01-25", "2026-01-24"]
    assert section.select_one("strong").get_text() == "nine"
    assert site.page("en/2026/01/20/english-only/").select_one("section.brief-corrections time")["datetime"] == "2026-01-21"
    assert site.page(PAGE_DE).select_one("section.brief-corrections") is None


def test_the_byline_names_authors_and_translators_in_the_page_s_language(site: Build) -> None:
    english = site.page(PAGE_EN).select_one(".brief-byline")
    assert [(a.get_text(), a["href"]) for a in english.select("a.brief-author")] == [
        ("Zoë Müller", "../../../../authors/zoe-mueller/"),
        ("Desk", "../../../../authors/desk/"),
    ]
    byline = " ".join(site.page(PAGE_DE).select_one(".brief-byline").get_text().split())
    assert byline == "Von Zoë Müller · Übersetzt von Ana Ćosić"


def test_outlet_corrections_and_author_pages(site: Build) -> None:
    index = site.page("en/sources/")
    counts = {a.get_text(): a.find_next("span").get_text() for a in index.select("a.brief-outlet")}
    assert counts["tagesschau.de"] == "(2)" and counts["br.de"] == "(2)"
    outlet = site.page("en/sources/tagesschau-de/")
    assert "quoted in 2 comparisons" in outlet.h1.get_text()
    assert len(outlet.select(".brief-list-item, li a[href*='/2026/']")) >= 2
    assert (site.site / "en/sources/tagesschau-de/feed.xml").is_file()
    said = outlet.select("section.brief-outlet-claims figure.brief-claim")
    assert [f.blockquote.get_text(strip=True) for f in said] == ["Eight agreements were signed.", "eight agreements were signed"]
    assert said[0].select_one("a")["href"].endswith("2026/01/23/merz-and-meloni-sign-agreements-in-rome/")
    corrections = site.page("en/corrections/")
    titles = [a.get_text() for a in corrections.select("main a[href*='/2026/01/']")]
    assert titles[:2] == ["Merz and Meloni sign agreements in Rome", "English only"]
    feed = ET.parse(site.site / "en/corrections/feed.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 2
    assert site.exists("en/authors/zoe-mueller/") and site.exists("de/authors/zoe-mueller/")
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "en/sources/tagesschau-de/" in sitemap and "en/corrections/" in sitemap
    assert site.page(PAGE_EN).select_one("section.brief-sources a.brief-outlet")["href"].endswith("sources/tagesschau-de/")


def test_json_ld_holds_claims_corrections_and_people(site: Build) -> None:
    data = json.loads(site.page(PAGE_EN).select_one('script[type="application/ld+json"]').string)
    claim = data["mentions"][0]
    assert claim["@type"] == "Claim" and claim["author"] == {"@type": "Organization", "name": "tagesschau.de"}
    assert claim["appearance"]["url"] == "https://www.tagesschau.de/rom-100.html"
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment", "CorrectionComment"]
    assert data["author"][0] == {"@type": "Person", "name": "Zoë Müller"}
    german = json.loads(site.page(PAGE_DE).select_one('script[type="application/ld+json"]').string)
    assert german["translator"] == [{"@type": "Person", "name": "Ana Ćosić"}]


def test_a_corrected_brief_s_feed_entry_is_updated(site: Build) -> None:
    feed = ET.parse(site.site / "en" / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.find(f"{ATOM}title").text.startswith("Merz"))
    assert entry.find(f"{ATOM}updated").text == "2026-01-25T00:00:00Z"


def test_new_rules_are_located(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    bad = claims(True)
    bad[1] |= {"url": "https://www.spiegel.de/x.html"}
    comparison = {"topic": "How many", "summary": "They differ.", "claims": bad, "why": "It matters."}
    corrections = [{"date": "2026-01-25", "text": "Fixed <script>x()</script>."}, {"date": "not a date", "text": "x"}]
    write_brief(root, "2026-01-23-rome", "en", brief_fields(comparisons=[comparison], corrections=corrections))
    findings = {(f.code, f.message.split(":")[0]) for f in load_corpus(settings_for(root)).findings}
    assert ("BR406", "`comparisons[0].claims[1].url`") in findings
    assert ("BR501", "`corrections[0].text`") in findings
    assert ("BR105", "`corrections[1].date`") in findings


# --- The outlet registry ------------------------------------------------------------------------

REGISTRY = """\
tagesschau.de:
  name: tagesschau.de
  url: https://www.tagesschau.de/
  owner: ARD
  kind: public-broadcaster
  lang: de
br.de:
  name: BR24
  url: https://www.br.de/
  owner: ARD
  kind: public-broadcaster
  lang: de
zeit.de:
  name: Die Zeit
  url: https://www.zeit.de/
  owner: Zeitverlag
  kind: newspaper
  lang: de
"""


def registry_settings(root: Path, text: str = REGISTRY):
    from briefs.core.outlets import load_outlets

    path = root.parent / "outlets.yml"
    path.write_text(text, encoding="utf-8")
    settings = settings_for(root)
    settings.outlets, settings.outlet_findings = load_outlets(path, "outlets.yml")
    return settings


def test_sources_name_registry_outlets_and_link_to_their_sites(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    sources = [
        {"name": "tagesschau", "url": "https://www.tagesschau.de/a.html"},
        {"name": "br.de", "url": "https://www.example.org/b.html"},
    ]
    write_brief(root, "2026-01-23-rome", "en", brief_fields(sources=sources, comparisons=None))
    found = {(f.code, f.message.split(":")[0], f.suggestion) for f in load_corpus(registry_settings(root)).findings}
    assert ("BR117", "`sources[0].name`", "did you mean `tagesschau.de`?") in found
    assert ("BR118", "`sources[1].url`", None) in found


def test_a_comparison_of_one_owner_is_a_notice_not_a_failed_build(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())  # tagesschau.de and br.de: both ARD
    findings = load_corpus(registry_settings(root)).findings
    [notice] = [f for f in findings if f.code == "BR407"]
    assert "belongs to ARD" in notice.message and not notice.is_error
    (tmp_path / "outlets.yml").write_text(REGISTRY, encoding="utf-8")
    result = build_site(root, tmp_path / "site", extra_env={"BRIEFS_OUTLETS_FILE": str(tmp_path / "outlets.yml")})
    assert result.ok, result.log
    assert "[BR407 one-owner]" in result.log


def test_a_broken_registry_is_located(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    root.mkdir()
    text = REGISTRY.replace("kind: newspaper", "kind: blog")
    findings = registry_settings(root, text).outlet_findings
    assert [(f.code, f.line) for f in findings] == [("BR120", text.split("\n").index("  kind: blog") + 1)]


def test_the_sample_compares_outlets_of_different_owners(sample_site: Build) -> None:
    # The sample shows only the notices it means to (a missing and an outdated translation).
    assert "BR407" not in sample_site.log and "BR402" in sample_site.log


ENGLISH_LABELS = [
    "Sources",
    "Corrections",
    "cited in",
    "quoted in",
    "Briefs by",
    "all briefs citing",
    "the article",
    "Translated by",
    "By ",
]


def test_german_pages_have_no_english_label(site: Build) -> None:
    pages = [PAGE_DE, "de/sources/", "de/sources/tagesschau-de/", "de/corrections/", "de/authors/zoe-mueller/"]
    for url in pages:
        text = " ".join(site.page(url).select_one("main, .md-main").get_text(" ").split())
        found = [label for label in ENGLISH_LABELS if label in text]
        assert found == [], (url, found)
        # The same page in English shows them: the list above is what these pages say.
        english = " ".join(
            site.page(url.replace("de/", "en/", 1).replace("/rom/", "/merz-and-meloni-sign-agreements-in-rome/"))
            .get_text(" ")
            .split()
        )
        assert any(label in english for label in ENGLISH_LABELS), url
