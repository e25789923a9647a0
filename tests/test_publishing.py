"""Publishing (SPEC §10): a brief dated after the build's *now* is scheduled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import Build, brief_fields, build_site, write_brief


def epoch(moment: str) -> str:
    return str(int(dt.datetime.fromisoformat(moment).timestamp()))


NOW = "2026-01-25T08:00:00+00:00"  # 09:00 in Berlin


def tree(root: Path) -> Path:
    write_brief(root, "2026-01-23-past", "en", brief_fields(title="Past brief", date="2026-01-23"))
    write_brief(root, "2026-01-30-future", "en", brief_fields(title="Future brief", date="2026-01-30"))
    write_brief(root, "2026-01-25-later-today", "en", brief_fields(title="Later today", date="2026-01-25T10:00:00+01:00"))
    write_brief(root, "2026-01-25-earlier-today", "en", brief_fields(title="Earlier today", date="2026-01-25T08:30:00+01:00"))
    return root


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tree(tmp_path_factory.mktemp("sched") / "briefs")
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False, extra_env={"SOURCE_DATE_EPOCH": epoch(NOW)})
    assert result.ok, result.log
    return result


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tree(tmp_path_factory.mktemp("sched-preview") / "briefs")
    env = {"SOURCE_DATE_EPOCH": epoch(NOW)}
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", preview=True, strict=False, extra_env=env)
    assert result.ok, result.log
    return result


def everything(site: Build) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.site.rglob("*") if p.is_file())


def test_nothing_scheduled_leaks_into_production(production: Build) -> None:
    assert production.exists("en/2026/01/23/past-brief/")
    assert production.exists("en/2026/01/25/earlier-today/")
    assert not production.exists("en/2026/01/30/future-brief/")
    assert not production.exists("en/2026/01/25/later-today/")
    text = everything(production)
    assert "Future brief" not in text and "future-brief" not in text
    assert "Later today" not in text and "later-today" not in text


def test_previews_show_scheduled_briefs_marked_but_feeds_never(preview: Build) -> None:
    page = preview.page("en/2026/01/30/future-brief/")
    mark = page.select_one("p.brief-scheduled time")
    assert mark["datetime"] == "2026-01-30T00:00:00+01:00"
    assert preview.page("en/2026/01/25/later-today/").select_one("p.brief-scheduled") is not None
    assert preview.page("en/2026/01/23/past-brief/").select_one("p.brief-scheduled") is None
    feed = (preview.site / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "Future brief" not in feed and "Past brief" in feed


def test_a_day_goes_live_at_midnight_in_the_site_s_zone(tmp_path: Path) -> None:
    root = tree(tmp_path / "briefs")
    just_after = epoch("2026-01-29T23:30:00+00:00")  # 00:30 on the 30th in Berlin
    result = build_site(root, tmp_path / "site", strict=False, extra_env={"SOURCE_DATE_EPOCH": just_after})
    assert result.ok, result.log
    assert result.exists("en/2026/01/30/future-brief/")


def test_the_news_sitemap_holds_the_last_two_days_in_both_languages(tmp_path: Path) -> None:
    from lxml import etree

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-20-old", "en", brief_fields(title="Too old", date="2026-01-20"))
    write_brief(root, "2026-01-24-recent", "en", brief_fields(title="Recent", date="2026-01-24"))
    write_brief(root, "2026-01-24-recent", "de", brief_fields(title="Neu & <frisch>", date="2026-01-24"))
    write_brief(root, "2026-01-26-future", "en", brief_fields(title="Not yet", date="2026-01-26"))
    result = build_site(root, tmp_path / "site", strict=False, extra_env={"SOURCE_DATE_EPOCH": epoch(NOW)})
    assert result.ok, result.log
    news = etree.fromstring((result.site / "news-sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    entries = [
        (
            u.findtext("s:loc", namespaces=ns),
            u.findtext("n:news/n:title", namespaces=ns),
            u.findtext("n:news/n:publication/n:language", namespaces=ns),
        )
        for u in news.findall("s:url", ns)
    ]
    assert sorted(entries) == [
        ("https://x.test/de/2026/01/24/neu-frisch/", "Neu & <frisch>", "de"),
        ("https://x.test/en/2026/01/24/recent/", "Recent", "en"),
    ]
    for url in news.findall("s:url", ns):
        assert url.findtext("n:news/n:publication/n:name", namespaces=ns) == "Briefs"
        dt.datetime.fromisoformat(url.findtext("n:news/n:publication_date", namespaces=ns))
    assert "news-sitemap.xml" in (result.site / "robots.txt").read_text(encoding="utf-8")
