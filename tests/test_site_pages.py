"""Lists, the root chooser, site pages and labels: the site around the briefs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest
from bs4 import BeautifulSoup

from briefs.core.i18n import catalog
from conftest import SITE_URL, Build, brief_fields, build_site, write_brief

MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def material_labels(lang: str) -> dict[str, str]:
    text = (MATERIAL_LANGUAGES / f"{lang}.html").read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*"([^"]+)": "([^"]*)"', text, re.MULTILINE))


def label_sets() -> tuple[set[str], set[str]]:
    """Labels only English pages may show, and labels only German pages may show."""
    en = set(material_labels("en").values()) | set(catalog("de"))
    de = set(material_labels("de").values()) | set(catalog("de").values())
    keep = {s for s in en | de if "{" not in s and "#" not in s and len(s) > 2}
    return (en - de) & keep, (de - en) & keep


def chrome_strings(page: BeautifulSoup) -> list[str]:
    """Every visible string and label attribute, except text in another language."""
    lang = page.html["lang"]
    strings = []
    for element in page.find_all(True):
        if element.find_parent(attrs={"lang": lambda v: v and v != lang}) or (element.get("lang") not in (None, lang)):
            continue
        for attr in ("aria-label", "title", "placeholder", "alt"):
            if element.get(attr):
                strings.append(element[attr].strip())
        if element.name in ("script", "style"):
            continue
        for text in element.find_all(string=True, recursive=False):
            if text.strip():
                strings.append(text.strip())
    config = page.select_one("script#__config")
    if config is not None:
        strings += json.loads(config.string)["translations"].values()
    return strings


PAGES = ["", "{lang}/", "{lang}/topics/", "{lang}/archive/", "{lang}/2026/01/", "{lang}/about/", "{lang}/methodology/"]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pages_speak_only_their_language(sample_site: Build, lang: str) -> None:
    only_en, only_de = label_sets()
    foreign = only_en if lang == "de" else only_de
    assert "Skip to content" in only_en and "Zum Inhalt" in only_de and "Das Wichtigste" in only_de
    urls = [u.format(lang=lang) for u in PAGES if u] + [
        "en/2026/01/23/germany-italy-rome-consultations/"
        if lang == "en"
        else "de/2026/01/23/deutschland-italien-konsultationen-rom/"
    ]
    for url in urls:
        page = sample_site.page(url)
        assert page.html["lang"] == lang, url
        found = [s for s in chrome_strings(page) if s in foreign]
        assert not found, f"{url} shows {found}"


def test_german_page_uses_material_labels_in_german(sample_site: Build) -> None:
    page = sample_site.page("de/2026/01/23/deutschland-italien-konsultationen-rom/")
    assert page.select_one("a.md-skip").get_text(strip=True) == "Zum Inhalt"
    assert page.select_one(".md-header__inner")["aria-label"] == "Kopfzeile"
    labels = [e["aria-label"] for e in page.select("input.md-option[aria-label]")]
    assert labels == ["Dunkles Design einschalten", "Helles Design einschalten"]
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert tabs[:3] == ["Neueste Meldungen", "Themen", "Archiv"]
    assert "Über uns" in tabs and "Methodik" in tabs


def test_root_chooses_a_language(sample_site: Build) -> None:
    page = sample_site.page("")
    links = {a["hreflang"]: (a["href"], a.get_text(strip=True)) for a in page.select(".brief-language-chooser a")}
    assert links == {"en": ("en/", "English"), "de": ("de/", "Deutsch")}
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates["x-default"] == SITE_URL
    assert alternates["de"] == SITE_URL + "de/"


def test_site_pages_pair_by_relative_path(sample_site: Build) -> None:
    for lang, other in (("en", "de"), ("de", "en")):
        page = sample_site.page(f"{lang}/about/")
        alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
        assert alternates == {
            "en": SITE_URL + "en/about/",
            "de": SITE_URL + "de/about/",
            "x-default": SITE_URL + "en/about/",
        }
        switch = {a["hreflang"]: a["href"] for a in page.select(".md-select__link")}
        assert (sample_site.site / f"{lang}/about" / switch[other]).resolve() == (sample_site.site / other / "about").resolve()


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("many")
    for day in range(1, 26):
        date = f"2026-03-{day:02d}"
        topics = ["economy"] if day % 2 else ["energy", "economy"]
        write_brief(root, f"{date}-brief", "en", brief_fields(title=f"Brief number {day}", date=date, topics=topics))
        write_brief(root, f"{date}-brief", "de", brief_fields(title=f"Meldung Nummer {day}", date=date, topics=topics))
    write_brief(root, "2026-02-10-february", "en", brief_fields(title="February brief", date="2026-02-10", topics=["climate"]))
    result = build_site(root, tmp_path_factory.mktemp("out") / "site")
    assert result.ok, result.log
    return result


def titles(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(".brief-list-title")]


def test_language_home_lists_newest_first_twenty_a_page(many: Build) -> None:
    first = many.page("en/")
    assert titles(first) == [f"Brief number {n}" for n in range(25, 5, -1)]
    second = many.page("en/page/2/")
    assert titles(second) == [f"Brief number {n}" for n in range(5, 0, -1)] + ["February brief"]
    assert not many.exists("en/page/3/")
    assert first.select_one('a[rel="next"]')["href"] == "page/2/"
    assert many.page("de/").select_one(".brief-pagination span").get_text(strip=True) == "Seite 1 von 2"


def test_list_items_show_date_summary_and_topics(many: Build) -> None:
    item = many.page("de/").select_one(".brief-list-item")
    assert item.select_one("time.brief-date").get_text(strip=True) == "25. März 2026"
    assert item.select_one(".brief-list-summary").get_text(strip=True) == "Germany and Italy agree closer cooperation."
    assert [a.get_text(strip=True) for a in item.select("a.brief-topic")] == ["Wirtschaft"]


def test_topic_pages_and_index(many: Build) -> None:
    assert titles(many.page("en/topics/energy/")) == [f"Brief number {n}" for n in range(24, 0, -2)]
    assert many.exists("en/topics/economy/page/2/")
    index = many.page("de/topics/")
    assert [a.get_text(strip=True) for a in index.select("a.brief-topic")] == ["Wirtschaft", "Energie"]
    assert many.page("en/topics/").select_one("a.brief-topic").get_text(strip=True) == "Economy"
    assert not many.exists("de/topics/climate/")  # no German brief on it


def test_month_archives(many: Build) -> None:
    assert titles(many.page("en/2026/02/")) == ["February brief"]
    assert len(titles(many.page("en/2026/03/"))) == 25
    months = [a.get_text(strip=True) for a in many.page("de/archive/").select(".brief-archive a")]
    assert months == ["März 2026"]


def test_preview_build_shows_drafts_marked(sample_preview: Build, sample_site: Build) -> None:
    url = "en/2025/12/05/bundestag-passes-pension-package-after-dispute-in-the-cdu-s-youth-wing/"
    assert not sample_site.exists(url)
    page = sample_preview.page(url)
    assert page.select_one("p.brief-draft") is not None
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one(".brief-preview-banner") is not None
    assert sample_site.page("en/").select_one(".brief-preview-banner") is None
    assert sample_site.page("en/").select_one('meta[name="robots"]') is None


def test_preview_banner_names_the_pull_request(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    label = "PR #7 · 1a2b3c4"
    result = build_site(root, tmp_path / "site", preview=True, extra_env={"BRIEFS_PREVIEW_LABEL": label})
    assert result.ok, result.log
    for url in ("en/", "", "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/", "en/about/"):
        page = result.page(url)
        assert page.select_one(".brief-preview-banner .brief-preview-label").get_text(strip=True) == label, url
        assert page.select_one('meta[name="robots"]')["content"] == "noindex", url


def test_brief_page_links_previous_next_and_related(many: Build) -> None:
    page = many.page("en/2026/03/10/brief-number-10/")
    reading = page.select_one("aside.brief-reading")
    assert reading.select_one('a[rel="prev"]').get_text(" ", strip=True) == "Previous brief Brief number 9"
    assert reading.select_one('a[rel="next"]').get_text(" ", strip=True) == "Next brief Brief number 11"
    related = [a.get_text(strip=True) for a in reading.select(".brief-related a")]
    # Brief 10 has energy and economy: the nearest briefs sharing both come first, by distance in days.
    assert related == ["Brief number 8", "Brief number 12", "Brief number 6"]  # ties: older first
    oldest = many.page("en/2026/02/10/february-brief/").select_one("aside.brief-reading")
    assert oldest.select_one('a[rel="prev"]') is None
    assert oldest.select_one('a[rel="next"]').get_text(" ", strip=True) == "Next brief Brief number 1"


def test_daily_digest_pages(sample_site: Build) -> None:
    page = sample_site.page("de/digest/2025-12-05/")
    assert page.h1.get_text(strip=True) == "Tagesüberblick vom 5. Dezember 2025"
    items = page.select(".brief-digest-item")
    assert [i.h2.get_text(strip=True) for i in items] == ["Bundestag beschließt neuen Wehrdienst"]  # the draft is not in it
    assert len(items[0].select(".brief-digest-details li")) == 4
    index = sample_site.page("en/digest/")
    days = [a.get_text(strip=True) for a in index.select(".brief-archive a")]
    assert days[0] == "January 23, 2026" and len(days) == 7


def test_previews_show_the_desk_s_status_page_and_production_never(sample_site: Build, sample_preview: Build) -> None:
    assert not sample_site.exists("status/")
    assert "status/" not in (sample_site.site / "sitemap.xml").read_text(encoding="utf-8")
    page = sample_preview.page("status/")
    rows = {
        row["data-brief-id"]: [td.get("class", [""])[0] for td in row.select("td")[2:]]
        for row in page.select("tr[data-brief-id]")
    }
    assert rows["2025-09-18-deutschlandticket-price-rises"] == ["brief-status-ok", "brief-status-outdated"]
    assert rows["2025-02-23-bundestag-election-results"] == ["brief-status-ok", "brief-status-missing"]
    assert rows["2026-01-23-germany-italy-rome-consultations"] == ["brief-status-ok", "brief-status-ok"]
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
