"""A brief page carries every element of SPEC §4 "A brief page"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_URL, Build, brief_fields, build_site, write_brief

MARKUP = 'Merz & Meloni: "Europe" <Analysis>'
PAIR_EN = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"
PAIR_DE = "de/2026/01/23/merz-und-meloni-unterzeichnen-abkommen-in-rom/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("briefs")
    write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="## Defense\n\nJoint **projects**.\n")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Merz und Meloni unterzeichnen Abkommen in Rom"))
    write_brief(root, "2026-02-01-english-only", "en", brief_fields(title="Only in English", date="2026-02-01"))
    write_brief(root, "2026-02-02-outdated", "en", brief_fields(title="Newer English", date="2026-02-02", updated="2026-02-05"))
    write_brief(root, "2026-02-02-outdated", "de", brief_fields(title="Ältere deutsche Fassung", date="2026-02-02"))
    write_brief(root, "2026-02-03-draft", "en", brief_fields(title="Secret draft", date="2026-02-03", draft=True))
    markup = brief_fields(
        title=MARKUP,
        summary=MARKUP,
        date="2026-02-04",
        slug="markup",
        key_details=["<b>bold</b> & <script>alert(1)</script>"],
        authors=[MARKUP],
    )
    markup["sources"][0]["name"] = MARKUP
    markup["comparisons"][0]["claims"][0]["source"] = MARKUP
    markup["comparisons"][0]["topic"] = MARKUP
    markup["comparisons"][0]["summary"] = MARKUP
    markup["comparisons"][0]["claims"][1]["quote"] = '</script><script>alert("x")</script>'
    write_brief(root, "2026-02-04-markup", "en", markup)
    # The <script> in a key detail is removed with a warning, so this build is not strict.
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False)
    assert result.ok, result.log
    assert "2026-02-04-markup/en.md:9:3: warning: `key_details[0]`: removed unsafe markup: <script>" in result.log
    return result


def alternates(page: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.select('head link[rel="alternate"][hreflang]')}


def test_article_wraps_the_brief_with_id_and_language(site: Build) -> None:
    page = site.page(PAIR_EN)
    assert page.html["lang"] == "en"
    article = page.select_one("article.brief")
    assert article["data-brief-id"] == "2026-01-23-rome"
    assert article["data-lang"] == "en"
    assert article.h1.get_text(strip=True) == "Merz and Meloni sign agreements in Rome"
    assert site.page(PAIR_DE).html["lang"] == "de"


def test_canonical_and_reciprocal_hreflang_with_x_default(site: Build) -> None:
    en, de = site.page(PAIR_EN), site.page(PAIR_DE)
    assert en.select_one('link[rel="canonical"]')["href"] == SITE_URL + PAIR_EN
    expected = {"en": SITE_URL + PAIR_EN, "de": SITE_URL + PAIR_DE, "x-default": SITE_URL + PAIR_EN}
    assert alternates(en) == expected
    assert alternates(de) == expected


def test_single_language_brief_points_x_default_at_itself(site: Build) -> None:
    url = "en/2026/02/01/only-in-english/"
    page = site.page(url)
    assert alternates(page) == {"en": SITE_URL + url, "x-default": SITE_URL + url}
    missing = page.select_one("p.brief-translation-missing")
    assert missing is not None and "German" in missing.get_text()
    assert page.select_one("a.brief-translation") is None


def test_dates_are_written_by_babel_in_the_page_language(site: Build) -> None:
    en = site.page(PAIR_EN).select_one("time.brief-date")
    de = site.page(PAIR_DE).select_one("time.brief-date")
    assert en["datetime"] == de["datetime"] == "2026-01-23"
    assert en.get_text(strip=True) == "January 23, 2026"
    assert de.get_text(strip=True) == "23. Januar 2026"


def test_summary_key_details_body_in_order(site: Build) -> None:
    article = site.page(PAIR_EN).select_one("article.brief")
    assert article.select_one("p.brief-summary").get_text(strip=True) == "Germany and Italy agree closer cooperation."
    details = article.select_one("section.brief-key-details")
    assert details.find(["h2", "h3"]).get_text(strip=True) == "Key details"
    items = [li.decode_contents().strip() for li in details.select("li")]
    assert items == ["Eight agreements were signed.", "Defense projects are <em>planned</em>."]
    assert article.select_one("h2#defense") is not None
    assert "Joint <strong>projects</strong>." in str(article)
    de_details = site.page(PAIR_DE).select_one("section.brief-key-details")
    assert de_details.find(["h2", "h3"]).get_text(strip=True) == "Das Wichtigste"


def test_comparisons_quote_sources_side_by_side(site: Build) -> None:
    page = site.page(PAIR_EN)
    comparison = page.select_one("section.brief-comparison")
    assert comparison.find_previous(["h2"]).get_text(strip=True) == "Source comparison"
    assert comparison.find(["h3"]).get_text(strip=True) == "Number of agreements"
    assert comparison.select_one("p.brief-comparison-summary").get_text(strip=True) == "Sources differ on the count."
    claims = comparison.select("figure.brief-claim")
    assert [c["data-source"] for c in claims] == ["tagesschau.de", "br.de"]
    assert claims[0].blockquote.get_text(strip=True) == "eight agreements were signed"
    assert claims[0].figcaption.get_text(strip=True) == "tagesschau.de"
    why = comparison.select_one("div.brief-comparison-why")
    assert why.find(["h3", "h4"]).get_text(strip=True) == "Why this matters"
    assert "<em>binding</em>" in str(why)
    de_why = site.page(PAIR_DE).select_one("div.brief-comparison-why")
    assert de_why.find(["h3", "h4"]).get_text(strip=True) == "Warum das wichtig ist"
    assert site.page(PAIR_DE).select_one("section.brief-comparisons h2").get_text(strip=True) == "Quellenvergleich"


def test_sources_link_with_hreflang(site: Build) -> None:
    links = site.page(PAIR_EN).select("section.brief-sources a:not(.brief-outlet)")
    assert [(a["href"], a["hreflang"]) for a in links] == [
        ("https://www.tagesschau.de/a.html", "de"),
        ("https://www.br.de/b.html", "de"),
    ]


def test_translation_links_go_both_ways(site: Build) -> None:
    to_de = site.page(PAIR_EN).select_one("a.brief-translation")
    to_en = site.page(PAIR_DE).select_one("a.brief-translation")
    assert to_de["hreflang"] == "de" and to_en["hreflang"] == "en"
    assert (site.site / PAIR_EN / to_de["href"]).resolve() == (site.site / PAIR_DE).resolve()
    assert (site.site / PAIR_DE / to_en["href"]).resolve() == (site.site / PAIR_EN).resolve()
    assert site.page(PAIR_EN).select_one("p.brief-outdated") is None


def test_outdated_side_says_so_and_links_to_the_newer(site: Build) -> None:
    old = site.page("de/2026/02/02/aeltere-deutsche-fassung/")
    notice = old.select_one("p.brief-outdated")
    assert notice is not None
    link = notice.find("a")
    assert (site.site / "de/2026/02/02/aeltere-deutsche-fassung/" / link["href"]).resolve() == (
        site.site / "en/2026/02/02/newer-english"
    ).resolve()
    assert site.page("en/2026/02/02/newer-english/").select_one("p.brief-outdated") is None


def test_translated_from_german_note_in_page_language(site: Build) -> None:
    assert "translated and synthesized from German sources" in site.page(PAIR_EN).select_one("article.brief").get_text()
    assert "aus deutschsprachigen Quellen übersetzt" in site.page(PAIR_DE).select_one("article.brief").get_text()


def test_json_ld_news_article_links_the_pair(site: Build) -> None:
    en = json.loads(site.page(PAIR_EN).select_one('script[type="application/ld+json"]').string)
    de = json.loads(site.page(PAIR_DE).select_one('script[type="application/ld+json"]').string)
    assert en["@type"] == "NewsArticle"
    assert en["headline"] == "Merz and Meloni sign agreements in Rome"
    assert en["description"] == "Germany and Italy agree closer cooperation."
    assert en["datePublished"] == "2026-01-23" and en["dateModified"] == "2026-01-23"
    assert en["inLanguage"] == "en" and de["inLanguage"] == "de"
    assert en["url"] == SITE_URL + PAIR_EN
    assert en["isBasedOn"] == ["https://www.tagesschau.de/a.html", "https://www.br.de/b.html"]
    assert [w["url"] for w in en["workTranslation"]] == [SITE_URL + PAIR_DE]
    assert de["translationOfWork"]["url"] == SITE_URL + PAIR_EN


def test_opengraph(site: Build) -> None:
    page = site.page(PAIR_DE)

    def og(name: str) -> list[str]:
        return [m["content"] for m in page.select(f'meta[property="{name}"]')]

    assert og("og:title") == ["Merz und Meloni unterzeichnen Abkommen in Rom"]
    assert og("og:description") == ["Germany and Italy agree closer cooperation."]
    assert og("og:type") == ["article"]
    assert og("og:url") == [SITE_URL + PAIR_DE]
    assert og("og:locale") == ["de_DE"]
    assert og("og:locale:alternate") == ["en_US"]


def test_drafts_are_absent_from_a_production_build(site: Build) -> None:
    assert not site.exists("en/2026/02/03/secret-draft/")
    for path in site.html_files():
        assert "Secret draft" not in path.read_text(encoding="utf-8"), path


def test_front_matter_is_text_everywhere(site: Build) -> None:
    html = (site.site / "en/2026/02/04/markup/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "lxml")
    assert page.title.get_text() == f"{MARKUP} - Briefs"
    assert page.h1.get_text() == MARKUP
    assert page.select_one('meta[name="description"]')["content"] == MARKUP
    assert page.select_one('meta[property="og:title"]')["content"] == MARKUP
    assert page.select_one("p.brief-summary").get_text() == MARKUP
    assert page.select_one("section.brief-comparison h3").get_text() == MARKUP
    assert page.select_one("figure.brief-claim")["data-source"] == MARKUP
    assert page.select_one("section.brief-sources a").get_text() == MARKUP
    assert page.select_one(".md-header__topic:last-child .md-ellipsis").get_text(strip=True) == MARKUP
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["headline"] == MARKUP
    assert data["author"][0]["name"] == MARKUP
    # No element came out of the values: the only <analysis> would be a parsed tag.
    assert page.find("analysis") is None
    # Inline Markdown keeps <b> but never a script; the JSON-LD never closes early.
    scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert not any("alert" in (s.string or "") for s in scripts)
    assert html.count("</script>") == len(page.find_all("script"))
    assert page.select_one("section.brief-key-details li").decode_contents() == "<b>bold</b> &amp; "


def test_page_requests_nothing_from_other_hosts(site: Build) -> None:
    page = site.page(PAIR_EN)
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in page.find_all(tag):
            url = element.get(attr)
            if not url or (tag == "link" and element.get("rel") in (["alternate"], ["canonical"])):
                continue
            assert not url.startswith(("http:", "https:", "//")), f"{tag} loads {url}"


def test_images_beside_a_brief_are_published_beside_its_pages(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="![Map](map.png)\n")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    from PIL import Image

    Image.new("RGB", (40, 30), (1, 2, 3)).save(root / "2026-01-23-rome" / "map.png", pnginfo=None)
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    with Image.open(result.site / PAIR_EN / "map.png") as published:  # drawn again from its pixels (SPEC §11)
        assert published.format == "PNG" and published.size == (40, 30)
    assert (result.site / "de/2026/01/23/rom/map.png").is_file()
    assert result.page(PAIR_EN).select_one(".brief-body img")["src"] == "map.png"
