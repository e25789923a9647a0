"""Publishing (SPEC §10): a brief dated after the build's *now* is scheduled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO, Build, brief_fields, build_site, write_brief


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


# Social cards, the publisher's logo and the NewsArticle fields Google News reads.


def png_size(png: Path | bytes) -> tuple[int, int]:
    """The size of a PNG (a file, or its bytes) as Pillow decodes it, all of it."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png) if isinstance(png, bytes) else png) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def card_of(site: Build, url: str) -> Path:
    """The file behind a page's og:image, which must be an absolute URL of the site."""
    page = site.page(url)
    image = page.select_one('meta[property="og:image"]')["content"]
    assert image.startswith("https://x.test/") and image.endswith(".png")
    return site.site / image.removeprefix("https://x.test/")


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    root = tmp_path_factory.mktemp("cards") / "briefs"
    write_brief(root, "2026-01-23-cards", "en", brief_fields(title="Cards & <crumbs> for everyone", date="2026-01-23"))
    write_brief(root, "2026-01-23-cards", "de", brief_fields(title="Kärtchen für Straßenbahnen", date="2026-01-23"))
    write_brief(
        root, "2026-01-24-long", "en", brief_fields(title=" ".join(["Unendlichkeitsversprechenwort"] * 6), date="2026-01-24")
    )
    cache = tmp_path_factory.mktemp("cards-cache")
    env = {"SOURCE_DATE_EPOCH": epoch(NOW), "BRIEFS_CACHE_DIR": str(cache)}
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False, extra_env=env)
    assert result.ok, result.log
    return result, cache


def test_every_brief_page_has_a_social_card_of_1200_by_630(cards: tuple[Build, Path]) -> None:
    site, _cache = cards
    pages = {"en": "en/2026/01/23/cards-crumbs-for-everyone/", "de": "de/2026/01/23/kaertchen-fuer-strassenbahnen/"}
    files = {}
    for lang, url in pages.items():
        page = site.page(url)
        assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
        alt = page.select_one('meta[property="og:image:alt"]')["content"]
        assert page.select_one("h1").get_text(strip=True) in alt and "Briefs" in alt
        files[lang] = card_of(site, url)
        assert png_size(files[lang]) == (1200, 630)
    assert files["en"].read_bytes() != files["de"].read_bytes()
    assert "23. Januar 2026" in site.page(pages["de"]).select_one('meta[property="og:image:alt"]')["content"]
    # A title too long for four lines still gets its card.
    assert png_size(card_of(site, "en/2026/01/24/" + "-".join(["unendlichkeitsversprechenwort"] * 2) + "/")) == (1200, 630)


def test_cards_are_drawn_once_and_taken_from_the_cache_by_content(cards: tuple[Build, Path], tmp_path: Path) -> None:
    site, cache = cards
    assert "3 social cards: 0 kept in place, 0 from the cache, 3 to draw" in site.log
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-cards", "en", brief_fields(title="Cards & <crumbs> for everyone", date="2026-01-23"))
    write_brief(root, "2026-01-23-cards", "de", brief_fields(title="Kärtchen für Straßenbahnen, neu", date="2026-01-23"))
    env = {"SOURCE_DATE_EPOCH": epoch(NOW), "BRIEFS_CACHE_DIR": str(cache)}
    again = build_site(root, tmp_path / "site", strict=False, extra_env=env)
    assert again.ok, again.log
    # The English card's content is unchanged: the cache has it; the German title changed: drawn again.
    assert "2 social cards: 0 kept in place, 1 from the cache, 1 to draw" in again.log
    english = "en/2026/01/23/cards-crumbs-for-everyone/"
    assert card_of(again, english).read_bytes() == card_of(site, english).read_bytes()
    assert png_size(card_of(again, "de/2026/01/23/kaertchen-fuer-strassenbahnen-neu/")) == (1200, 630)
    assert not any(p.name.startswith(".") for p in again.site.parent.iterdir())  # no workers' folder left


def test_news_article_names_its_image_and_its_publisher_with_a_logo(cards: tuple[Build, Path]) -> None:
    import json

    site, _cache = cards
    page = site.page("en/2026/01/23/cards-crumbs-for-everyone/")
    article = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert article["image"]["url"] == page.select_one('meta[property="og:image"]')["content"]
    assert (article["image"]["width"], article["image"]["height"]) == (1200, 630)
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Briefs"
    logo = site.site / publisher["logo"]["url"].removeprefix("https://x.test/")
    assert png_size(logo) == (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)


def test_a_site_can_turn_cards_off(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-plain", "en", brief_fields(title="Plain", date="2026-01-23"))
    config = tmp_path / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("      languages:", "      social_cards: false\n      languages:", 1), encoding="utf-8")
    for folder in ("docs", "overrides", "hooks"):
        (tmp_path / folder).symlink_to(REPO / folder)
    result = build_site(root, tmp_path / "site", strict=False, config_file=config, extra_env={"BRIEFS_OUTLETS_FILE": "none.yml"})
    assert result.ok, result.log
    page = result.page("en/2026/01/23/plain/")
    assert page.select_one('meta[property="og:image"]') is None
    assert not (result.site / "cards").exists()


def test_the_sitemaps_are_valid_against_their_schemas(tmp_path: Path) -> None:
    from lxml import etree

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-24-recent", "en", brief_fields(title="Recent", date="2026-01-24"))
    write_brief(root, "2026-01-24-recent", "de", brief_fields(title="Neu & <frisch>", date="2026-01-24"))
    write_brief(root, "2026-01-25-today", "en", brief_fields(title="Today", date="2026-01-25T08:30:00+01:00"))
    result = build_site(root, tmp_path / "site", strict=False, extra_env={"SOURCE_DATE_EPOCH": epoch(NOW)})
    assert result.ok, result.log
    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))
    for name in ("news-sitemap.xml", "sitemap.xml"):
        document = etree.parse(str(result.site / name))
        assert schema.validate(document), (name, schema.error_log)
    news = etree.parse(str(result.site / "news-sitemap.xml"))
    assert len(news.getroot()) == 3
    broken = etree.fromstring(etree.tostring(news).replace(b"<news:title>Today</news:title>", b""))
    assert not schema.validate(broken)  # the schema does check what Google News requires


def test_briefs_status_lists_what_is_scheduled_and_when(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    root = tree(tmp_path / "briefs")
    env = {**os.environ, "BRIEFS_DIR": str(root), "SOURCE_DATE_EPOCH": epoch(NOW), "BRIEFS_OUTLETS_FILE": "none.yml"}
    command = [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), "status"]
    found = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, env=env, timeout=60)
    assert found.returncode == 0, found.stderr
    scheduled = {b["id"]: b["languages"]["en"].get("scheduled") for b in json.loads(found.stdout)}
    assert scheduled == {
        "2026-01-30-future": "2026-01-30T00:00:00+01:00",
        "2026-01-25-later-today": "2026-01-25T10:00:00+01:00",
        "2026-01-25-earlier-today": None,
        "2026-01-23-past": None,
    }
    text = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60).stdout
    assert "2 scheduled; the next goes live 2026-01-25 10:00 +0100 (2026-01-25-later-today)" in text
    row = next(line for line in text.splitlines() if line.startswith("2026-01-30-future"))
    assert "scheduled 2026-01-30 00:00 +0100" in row


def strict_png(data: bytes) -> tuple[int, int, bytes]:
    """A PNG read by its specification: every chunk's CRC, and the image data's own check (zlib's Adler-32)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and at == len(data)
    width, height, depth, _colour = struct.unpack(">IIBB", chunks[0][1][:10])
    rows = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))  # raises on a bad check
    assert len(rows) == height * (1 + (width * depth + 7) // 8)
    return width, height, rows


@pytest.mark.parametrize(
    "title",
    ["Kurz", "Cards & <crumbs> for everyone, with a title long enough to take three lines on the card", "Ä" * 200],
)
def test_a_card_is_a_valid_png_whatever_its_title(title: str) -> None:
    from briefs.site.cards import Card, render_card

    card = Card(title, "23. Januar 2026", "Deutsch", "Politik", "Briefs", "de")
    data = render_card(card)
    width, height, rows = strict_png(data)
    assert (width, height) == (1200, 630)
    assert png_size(data) == (1200, 630)
    assert render_card(card) == data  # the same card, the same bytes
    other = render_card(Card(title, "24. Januar 2026", "Deutsch", "Politik", "Briefs", "de"))
    assert strict_png(other)[2] != rows  # the date is drawn
