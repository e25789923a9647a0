"""Lead images in a built site (SPEC §11): upright, stripped, in widths, shared as og:image."""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import REPO, SITE_URL, Build, brief_fields, build_site, write_brief

PAGE = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"


def photo(path: Path) -> None:
    """A 2000 × 1000 JPEG, stored turned a quarter (orientation 6), with a GPS position and a camera maker."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "A camera maker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    Image.new("RGB", (2000, 1000), (180, 40, 40)).save(path, "JPEG", exif=exif.tobytes())


def test_a_lead_image_is_upright_stripped_in_widths_and_shared(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    image = {"src": "photo.jpg", "alt": "A red square", "caption": "The *square*", "credit": "CC BY 4.0 Desk"}
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image)).parent
    photo(folder / "photo.jpg")
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    page = result.page(PAGE)
    figure = page.select_one("figure.brief-image")
    img = figure.select_one("img")
    assert img["alt"] == "A red square" and "loading" not in img.attrs
    widths = []
    # Every width as WebP; the original's kind once, at the link previews' width, for what takes no WebP.
    entries = [*figure.select_one('source[type="image/webp"]')["srcset"].split(", "), f"{img['src']} {img['width']}w"]
    for entry in entries:
        name, width = entry.split(" ")
        with Image.open(result.site / posixpath.normpath(PAGE + name)) as rendition:
            assert rendition.width == int(width[:-1])
            assert rendition.format == ("JPEG" if name.endswith(".jpg") else "WEBP")
            assert rendition.height > rendition.width  # turned upright
            assert not rendition.getexif() and "xmp" not in rendition.info and "exif" not in rendition.info
        widths.append(int(width[:-1]))
    assert len(widths) >= 4 and "srcset" not in img.attrs and img["src"].endswith("/photo-1000.jpg")
    assert figure.select_one(".brief-image-credit").get_text() == "CC BY 4.0 Desk"
    assert figure.select_one("figcaption em").get_text() == "square"
    og = page.select_one('meta[property="og:image"]')["content"]
    assert og.startswith(f"{SITE_URL}images/") and og.endswith("/photo-1000.jpg")
    article = json.loads(page.select_one('script[type="application/ld+json"]').string)
    article = article if isinstance(article, dict) else article[0]
    assert article["image"]["creditText"] == "CC BY 4.0 Desk"


def test_both_languages_link_one_copy_of_the_lead_image_and_draw_no_card(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    image = {"src": "photo.jpg", "alt": "A red square", "credit": "CC BY 4.0 Desk"}
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image)).parent
    german = {**image, "alt": "Ein rotes Quadrat"}
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Merz und Meloni in Rom", image=german))
    Image.new("RGB", (1600, 900), (180, 40, 40)).save(folder / "photo.jpg")
    # A brief without a photo keeps its drawn card.
    write_brief(root, "2026-01-22-plain", "en", brief_fields(title="A brief without a photo", date="2026-01-22"))
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    shown: dict[str, set[Path]] = {}
    for url in (PAGE, "de/2026/01/23/merz-und-meloni-in-rom/"):
        page = result.page(url)
        picture = page.select_one("figure.brief-image picture")
        names = [entry.split(" ")[0] for entry in picture.select_one("source")["srcset"].split(", ")]
        names.append(picture.select_one("img")["src"])
        files = {result.site / posixpath.normpath(url + name) for name in names}
        assert all(f.is_file() and f.parent.parent == result.site / "images" for f in files)
        shown[url] = files
        # The page's own folder holds its page, no copy of the photo; link previews show the photo, not a card.
        assert sorted(p.name for p in (result.site / url).iterdir()) == ["index.html"]
        assert page.select_one('meta[property="og:image"]')["content"].startswith(f"{SITE_URL}images/")
    english, german = shown.values()
    assert english == german and len(english) == 5  # four widths as WebP, and the JPEG at 1200 px
    # Only the renditions are published: the file as it was added is not.
    assert not list((result.site / "images").rglob("photo.jpg"))
    cards = sorted(p.relative_to(result.site).as_posix() for p in (result.site / "cards").rglob("*.png"))
    assert cards == ["cards/en/2026/01/22/a-brief-without-a-photo.png"], cards


def test_a_lead_image_the_text_also_shows_is_published_by_its_name_too(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    image = {"src": "photo.jpg", "alt": "A red square", "credit": "CC BY 4.0 Desk"}
    body = "The body.\n\n![The square again](photo.jpg)\n"
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image), body=body).parent
    Image.new("RGB", (1000, 500), (180, 40, 40)).save(folder / "photo.jpg")
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    img = result.page(PAGE).select_one(".brief-body img, article img[alt='The square again']")
    assert img is not None and img["alt"] == "The square again"
    with Image.open(result.site / PAGE / img["src"]) as published:
        assert published.size == (1000, 500)
    for entry in img.find_parent("picture").select_one("source")["srcset"].split(", "):
        assert (result.site / PAGE / entry.split(" ")[0]).is_file()


ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def site_file(result: Build, url: str) -> Path:
    """The built file an absolute URL of the site names."""
    assert url.startswith(SITE_URL), url
    return result.site / url.removeprefix(SITE_URL)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A brief whose lead image is 2000 × 1000 and one whose lead image is 900 × 600 (smaller than 1200)."""
    tmp = tmp_path_factory.mktemp("shared")
    root = tmp / "briefs"
    image = {"src": "photo.jpg", "alt": "A red <square> & more", "credit": "CC BY 4.0 Desk & Co"}
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image)).parent
    Image.new("RGB", (2000, 1000), (180, 40, 40)).save(folder / "photo.jpg")
    small = {"src": "small.png", "alt": "A small chart", "credit": "Desk"}
    folder = write_brief(root, "2026-01-23-chart", "en", brief_fields(title="A chart of the talks", image=small)).parent
    Image.new("RGB", (900, 600), (0, 90, 200)).save(folder / "small.png")
    result = build_site(root, tmp / "site", extra_env={"BRIEFS_CACHE_DIR": "false"})
    assert result.ok, result.log
    return result


def test_the_feed_carries_the_lead_image_by_the_sites_own_copy(shared: Build) -> None:
    root = ET.parse(shared.site / "en" / "feed.xml").getroot()
    entries = {e.find(f"{ATOM}title").text: e for e in root.findall(f"{ATOM}entry")}
    for title, width in (("Merz and Meloni sign agreements in Rome", 1200), ("A chart of the talks", 900)):
        entry = entries[title]
        media = entry.find(f"{MEDIA}content")
        url = media.get("url")
        with Image.open(site_file(shared, url)) as rendition:
            assert rendition.width == width == int(media.get("width")) and rendition.height == int(media.get("height"))
        assert media.get("medium") == "image" and media.get("type") in {"image/jpeg", "image/png"}
        assert entry.find(f"{MEDIA}thumbnail").get("url") == url
        content = BeautifulSoup(entry.find(f"{ATOM}content").text, "lxml")
        img = content.select_one("figure img")
        assert img["src"] == url and img["width"] == str(width)
    rome = entries["Merz and Meloni sign agreements in Rome"]
    assert rome.find(f"{MEDIA}content/{MEDIA}description").text == "A red <square> & more"
    assert rome.find(f"{MEDIA}content/{MEDIA}credit").text == "CC BY 4.0 Desk & Co"
    img = BeautifulSoup(rome.find(f"{ATOM}content").text, "lxml").select_one("figure img")
    assert img["alt"] == "A red <square> & more"
    assert "photo.jpg" not in ET.tostring(rome, encoding="unicode").replace("photo-1200.jpg", "")
    digest = ET.parse(shared.site / "en" / "digest" / "feed.xml").getroot()
    images = BeautifulSoup(digest.find(f"{ATOM}entry/{ATOM}content").text, "lxml").select("figure img")
    assert len(images) == 2 and all(site_file(shared, img["src"]).is_file() for img in images)


def test_the_email_edition_shows_the_lead_image_by_absolute_url(shared: Build) -> None:
    email = BeautifulSoup((shared.site / "en" / "digest" / "2026-01-23" / "email.html").read_text(encoding="utf-8"), "lxml")
    images = {img["alt"]: img for img in email.select("img")}
    for alt, width, height in (("A red <square> & more", 1200, 600), ("A small chart", 900, 600)):
        img = images[alt]
        with Image.open(site_file(shared, img["src"])) as rendition:
            assert (rendition.width, rendition.height) == (width, height)
        shown = min(width, 544)
        assert (int(img["width"]), int(img["height"])) == (shown, round(height * shown / width))
    assert "CC BY 4.0 Desk &amp; Co" in str(email)
    command = ["newsletter", "2026-01-23", "--format", "text"]
    text = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), *command],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BRIEFS_DIR": str(shared.site.parent / "briefs"), "SITE_URL": SITE_URL, "BRIEFS_CACHE_DIR": "false"},
    )
    assert text.returncode == 0, text.stderr
    assert "A chart of the talks" in text.stdout and ".jpg" not in text.stdout and ".png" not in text.stdout


def test_a_body_image_is_sized_from_its_renditions_and_lazy(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    image = {"src": "photo.jpg", "alt": "A red square", "credit": "Desk"}
    body = "The body.\n\nThe count, drawn:\n\n![A chart of the count](chart.jpg)\n"
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image), body=body).parent
    photo(folder / "photo.jpg")
    Image.new("RGB", (1000, 500), (0, 90, 200)).save(folder / "chart.jpg")
    result = build_site(root, tmp_path / "site", extra_env={"BRIEFS_CACHE_DIR": "false"})
    assert result.ok, result.log
    page = result.page(PAGE)
    lead = page.select_one("figure.brief-image img")
    assert "loading" not in lead.attrs
    img = page.select_one('img[alt="A chart of the count"]')
    assert img["loading"] == "lazy" and img["decoding"] == "async" and "srcset" not in img.attrs
    assert (img["width"], img["height"]) == ("1000", "500")
    with Image.open(result.site / PAGE / img["src"]) as own:
        assert own.size == (1000, 500)
    assert "srcset" not in img.attrs  # the file's own name serves what takes no WebP
    for srcset in [img.find_parent("picture").select_one('source[type="image/webp"]')["srcset"]]:
        widths = []
        for entry in srcset.split(", "):
            name, width = entry.split(" ")
            with Image.open(result.site / PAGE / name) as rendition:
                assert rendition.width == int(width[:-1])
            widths.append(int(width[:-1]))
        assert widths == [480, 800, 1000]
    # Beside the page: the page, the file by its own name and its WebP widths, nothing unused.
    chart = img["src"].rsplit(".", 1)[0]
    expected = {"index.html", img["src"], *(f"{chart}-{w}.webp" for w in (480, 800, 1000))}
    assert {p.name for p in (result.site / PAGE).iterdir() if p.name.startswith(chart) or p.name == "index.html"} == expected


@pytest.mark.parametrize("link", ["photo.jpg", "./photo.jpg", "ph%6Fto.jpg"])  # the last: a letter escaped
def test_a_lead_image_the_body_shows_too_is_published_beside_the_page_by_its_own_name(tmp_path: Path, link: str) -> None:
    root = tmp_path / "briefs"
    image = {"src": "photo.jpg", "alt": "A red square", "credit": "Desk"}
    body = f"The body.\n\nThe square again:\n\n![The square]({link})\n"
    folder = write_brief(root, "2026-01-23-rome", "en", brief_fields(image=image), body=body).parent
    photo(folder / "photo.jpg")
    result = build_site(root, tmp_path / "site", extra_env={"BRIEFS_CACHE_DIR": "false"})
    assert result.ok, result.log
    img = result.page(PAGE).select_one('img[alt="The square"]')
    assert img["src"] == link
    with Image.open(result.site / PAGE / "photo.jpg") as own:
        assert own.size == (1000, 2000)  # upright, as wide as it is
