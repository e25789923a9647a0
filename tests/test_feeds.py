"""Atom feeds, sitemap and robots.txt: parsed as XML, checked against the briefs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import SITE_URL, Build

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feed(site: Build, path: str) -> ET.Element:
    return ET.parse(site.site / path).getroot()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_language_feed_is_valid_atom(sample_site: Build, lang: str) -> None:
    root = feed(sample_site, f"{lang}/feed.xml")
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text
    assert RFC3339.match(root.find(f"{ATOM}updated").text)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}{lang}/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        for name in ("id", "title", "updated", "summary", "content"):
            assert entry.find(f"{ATOM}{name}") is not None and entry.find(f"{ATOM}{name}").text, name
        assert RFC3339.match(entry.find(f"{ATOM}updated").text)
        link = entry.find(f"{ATOM}link[@hreflang='{lang}']")
        assert link.get("href") == entry.find(f"{ATOM}id").text
        assert f"/{lang}/" in link.get("href")
    heading = {"en": "Key details", "de": "Das Wichtigste"}[lang]
    assert f"<h2>{heading}</h2>" in entries[0].find(f"{ATOM}content").text


def test_feed_entries_newest_first_without_drafts_with_pair_links(sample_site: Build) -> None:
    entries = feed(sample_site, "en/feed.xml").findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[0].startswith("Rome consultations")
    assert not any("pension" in t for t in titles)
    published = [e.find(f"{ATOM}published").text for e in entries]
    assert published == sorted(published, reverse=True)
    rome = entries[0]
    alternates = {link.get("hreflang"): link.get("href") for link in rome.findall(f"{ATOM}link")}
    assert set(alternates) == {"en", "de"}
    content = rome.find(f"{ATOM}content").text
    assert "<h2>Key details</h2>" in content and "<strong>23 January 2026</strong>" in content


def test_topic_feeds(sample_site: Build) -> None:
    entries = feed(sample_site, "de/topics/energy/feed.xml").findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Gasspeicherumlage fällt ab Januar 2026 weg"]


def test_pages_advertise_their_language_feed(sample_site: Build) -> None:
    for url, lang in (("en/", "en"), ("de/about/", "de"), ("de/2025/12/05/bundestag-beschliesst-neuen-wehrdienst/", "de")):
        link = sample_site.page(url).select_one('link[rel="alternate"][type="application/atom+xml"]')
        assert (sample_site.site / url / link["href"]).resolve() == (sample_site.site / lang / "feed.xml").resolve()


def test_sitemap_alternates_are_reciprocal_with_lastmod_from_briefs(sample_site: Build) -> None:
    root = ET.parse(sample_site.site / "sitemap.xml").getroot()
    urls = {u.find(f"{SM}loc").text: u for u in root.findall(f"{SM}url")}
    alternates = {loc: {link.get("hreflang"): link.get("href") for link in u.findall(f"{XHTML}link")} for loc, u in urls.items()}
    base = SITE_URL
    pairs = 0
    for loc, versions in alternates.items():
        own = [k for k, v in versions.items() if v == loc and k != "x-default"]
        if not own:  # the root language chooser is only x-default
            assert loc == base
            continue
        for hreflang, href in versions.items():
            if hreflang == "x-default" or href == loc:
                continue
            # Every alternate lists this page back under this page's language.
            assert alternates[href][own[0]] == loc, (loc, href)
            assert alternates[href]["x-default"] == versions["x-default"]
            pairs += 1
    assert pairs > 10
    rome = urls[base + "en/2026/01/23/germany-italy-rome-consultations/"]
    assert rome.find(f"{SM}lastmod").text == "2026-01-23"
    ticket = urls[base + "en/2025/09/18/deutschlandticket-to-cost-63-euros-a-month-from-2026/"]
    assert ticket.find(f"{SM}lastmod").text == "2025-10-02"
    assert not any("pension" in loc for loc in urls)
    assert base + "de/about/" in urls


def test_robots_txt(sample_site: Build, sample_preview: Build) -> None:
    sitemaps = "Sitemap: https://x.test/sitemap.xml\nSitemap: https://x.test/news-sitemap.xml\n"
    assert (sample_site.site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\n{sitemaps}"
    assert (sample_preview.site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    preview_feed = (sample_preview.site / "en/feed.xml").read_text()
    assert "pension" not in preview_feed


def test_digest_feed_has_one_entry_per_day(sample_site: Build) -> None:
    root = feed(sample_site, "en/digest/feed.xml")
    entries = root.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert ids[0] == SITE_URL + "en/digest/2026-01-23/"
    assert len(ids) == len(set(ids)) == 7
    assert "Key details" not in entries[0].find(f"{ATOM}content").text
    assert "<li>" in entries[0].find(f"{ATOM}content").text


def test_digest_email_is_one_self_contained_file(sample_site: Build) -> None:
    from bs4 import BeautifulSoup

    for path in sorted(sample_site.site.glob("*/digest/*/email.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert not page.find_all("script") and not page.find_all("link") and not page.find_all("style")
        links = [a["href"] for a in page.find_all("a")]
        assert links and all(href.startswith(SITE_URL) for href in links), path
        assert all(e.get("style") for e in page.select("h1, h2, p, ul, table"))
    assert len(list(sample_site.site.glob("*/digest/*/email.html"))) == 13  # 7 English days, 6 German


def _tree_sitemap(entries: list[object], site_url: str) -> bytes:
    """The sitemap as ElementTree writes it: what the text the build writes must be, byte for byte."""
    from briefs.core.chars import xml_safe
    from briefs.core.model import as_datetime

    urlset = ET.Element("urlset", {"xmlns": SM[1:-1], "xmlns:xhtml": XHTML[1:-1]})
    for entry in sorted(entries, key=lambda e: e.path):  # type: ignore[attr-defined]
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = xml_safe(site_url + entry.path)  # type: ignore[attr-defined]
        if entry.lastmod is not None:  # type: ignore[attr-defined]
            ET.SubElement(url, "lastmod").text = as_datetime(entry.lastmod).date().isoformat()  # type: ignore[attr-defined]
        for hreflang, path in entry.alternates:  # type: ignore[attr-defined]
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=xml_safe(hreflang), href=xml_safe(site_url + path))
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_sitemap_is_the_document_elementtree_writes_whatever_its_values_hold(count: int) -> None:
    import datetime as dt

    from briefs.core.settings import Settings
    from briefs.site.feeds import SitemapEntry, sitemap

    odd = "a&b<c>\"d'e\tf\ng\rh\x01i\ufffej/ü"
    entries = [
        SitemapEntry("en/2026/01/23/rome/", (("en", "en/2026/01/23/rome/"), ("x-default", odd)), dt.date(2026, 1, 23)),
        SitemapEntry(odd, (), dt.datetime(2026, 1, 24, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
        SitemapEntry("de/", (("de", "de/"), (odd, "en/")), None),
    ][:count]
    written = sitemap(entries, Settings(site_url=SITE_URL))
    assert written == _tree_sitemap(entries, SITE_URL)
    root = ET.fromstring(written)  # well-formed, with every value as it was (but the characters XML cannot hold)
    assert len(root.findall(f"{SM}url")) == count
