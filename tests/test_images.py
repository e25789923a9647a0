"""Lead images in a built site (SPEC §11): upright, stripped, in widths, shared as og:image."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from conftest import brief_fields, build_site, write_brief

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
    for entry in img["srcset"].split(", "):
        name, width = entry.split(" ")
        with Image.open(result.site / PAGE / name) as rendition:
            assert rendition.width == int(width[:-1])
            assert rendition.height > rendition.width  # turned upright
            assert not rendition.getexif() and "xmp" not in rendition.info and "exif" not in rendition.info
        widths.append(int(width[:-1]))
    assert len(widths) >= 3
    assert figure.select_one(".brief-image-credit").get_text() == "CC BY 4.0 Desk"
    assert figure.select_one("figcaption em").get_text() == "square"
    og = page.select_one('meta[property="og:image"]')["content"]
    assert og.endswith(f"{PAGE}photo-1000.jpg") or og.endswith("-1200.jpg")
    article = json.loads(page.select_one('script[type="application/ld+json"]').string)
    article = article if isinstance(article, dict) else article[0]
    assert article["image"]["creditText"] == "CC BY 4.0 Desk"
