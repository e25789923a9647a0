"""Live preview: `mkdocs serve` picks up brief edits and survives mistakes."""

from __future__ import annotations

import io
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import wait_for
from serving import fetch, mkdocs_serve

from conftest import REPO, brief_fields, brief_text, write_brief

URL = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First version.\n")
    write_brief(root, "2025-11-03-older", "en", brief_fields(title="An older brief", date="2025-11-03"))
    log = tmp_path / "serve.log"
    scratch = tmp_path / "tmp"  # the server's temporary folders, to see that it removes them
    scratch.mkdir()
    with mkdocs_serve(REPO, root, log, scratch) as base:
        wait_for(lambda: "First version." in fetch(base + URL), timeout=60)
        yield base, path, log
    leftovers = [p.name for p in scratch.iterdir() if p.name.startswith("briefs-")]
    assert leftovers == [], leftovers


def test_edit_is_picked_up_and_a_mistake_keeps_the_last_good_site(server: tuple[str, Path, Path]) -> None:
    base, path, log = server
    path.write_text(brief_text(brief_fields(), "Second version.\n"), encoding="utf-8")
    wait_for(lambda: "Second version." in fetch(base + URL))

    path.write_text(brief_text(brief_fields(title=True), "Broken version.\n"), encoding="utf-8")
    wait_for(lambda: "[BR103 wrong-type]" in log.read_text())
    time.sleep(1)
    page = fetch(base + URL)
    assert "Second version." in page  # still serving the last good build
    output = log.read_text()
    assert "en.md:2:8: error: `title`: expected text, found a boolean" in output
    assert "Traceback" not in output

    path.write_text(brief_text(brief_fields(), "Third version.\n"), encoding="utf-8")
    wait_for(lambda: "Third version." in fetch(base + URL))


def test_live_preview_has_search(server: tuple[str, Path, Path]) -> None:
    base, _, _ = server
    wait_for(lambda: '"languages"' in fetch(base + "pagefind/en/2026-01/pagefind-entry.json"))


def test_search_is_served_throughout_and_only_the_edited_quarter_is_indexed_again(server: tuple[str, Path, Path]) -> None:
    """The preview's index lives outside the site folder (emptied on each rebuild); quarters left unchanged stay."""
    base, path, log = server
    edited, older = (base + f"pagefind/en/{shard}/pagefind-entry.json" for shard in ("2026-01", "2025-10"))
    # The list of shards is written when every shard is made (and made canonical).
    wait_for(lambda: '"2025-10"' in fetch(base + "pagefind/shards.json"), timeout=60)
    [index] = (log.parent / "tmp").glob("briefs-preview-search-*")
    unchanged = index / "pagefind/en/2025-10/pagefind-entry.json"
    before, stamp = fetch(edited), unchanged.stat()
    path.write_text(brief_text(brief_fields(), "Third version, about the Zugspitze.\n"), encoding="utf-8")
    wait_for(lambda: "Third version" in fetch(base + URL))
    # While the edited quarter is indexed again, both are served (the edited one as it was).
    assert '"languages"' in fetch(older) and '"languages"' in fetch(edited)
    wait_for(lambda: '"languages"' in fetch(edited) and fetch(edited) != before, timeout=60)
    after = unchanged.stat()
    assert (after.st_ino, after.st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)


def test_generated_pages_are_served_with_live_reload(server: tuple[str, Path, Path]) -> None:
    """Generated pages come from memory: with the reload script, and found without their closing slash."""
    base, _, _ = server
    page = fetch(base + URL.rstrip("/"))
    assert "First version." in page
    assert re.search(r'<script src="/livereload/briefs-reload.js" data-epoch="\d+" data-request="\d+"></script>', page)
    assert "livereload(" not in page  # MkDocs' inline script, which the page's policy would block
    assert fetch(base + "en/2026/01/23/no-such-brief/") == ""  # still a 404


def test_search_is_rebuilt_after_an_edit(server: tuple[str, Path, Path]) -> None:
    """After a rebuild, search is indexed again in the background (from slim copies outside the site)."""
    base, path, log = server
    path.write_text(brief_text(brief_fields(), "Third version.\n"), encoding="utf-8")
    wait_for(lambda: "Third version." in fetch(base + URL))
    wait_for(lambda: '"languages"' in fetch(base + "pagefind/en/2026-01/pagefind-entry.json"), timeout=60)
    # One edit, one rebuild: the build reading every brief is not taken for a change.
    assert log.read_text().count("Detected file changes") == 1


def test_feeds_and_sitemap_follow_an_edit(server: tuple[str, Path, Path]) -> None:
    """The preview makes feeds and the sitemap from memory when they are asked for, after each rebuild."""
    base, path, _ = server
    assert "Germany and Italy agree closer cooperation." in fetch(base + "en/feed.xml")
    path.write_text(brief_text(brief_fields(summary="A changed summary."), "Second version.\n"), encoding="utf-8")
    wait_for(lambda: "Second version." in fetch(base + URL))
    with urllib.request.urlopen(base + "en/feed.xml", timeout=5) as response:
        feed = response.read().decode("utf-8")
        assert response.headers["Content-Type"] == "application/xml"
    assert "A changed summary." in feed
    assert "livereload" not in feed  # no reload script in XML
    assert f"{URL}</loc>" in fetch(base + "sitemap.xml")


def test_a_brief_folder_moved_out_of_briefs_is_no_longer_served(server: tuple[str, Path, Path], tmp_path: Path) -> None:
    base, path, _ = server
    path.parent.rename(tmp_path / "moved-away")
    wait_for(lambda: fetch(base + URL) == "")
    assert "An older brief" in fetch(base + "en/")


def test_the_preview_draws_a_brief_s_card_when_it_is_asked_for_and_again_after_a_new_title(
    server: tuple[str, Path, Path],
) -> None:
    from PIL import Image

    base, path, _ = server

    def card(url: str) -> bytes:
        found = re.search(r'<meta property="og:image" content="http://127\.0\.0\.1:\d+/([^"]+)"', fetch(base + url))
        assert found, "no og:image"
        with urllib.request.urlopen(base + found.group(1), timeout=5) as response:
            assert response.headers["Content-Type"] == "image/png"
            return response.read()

    first = card(URL)
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (1200, 630)
    renamed = "en/2026/01/23/a-new-title-for-the-card/"
    path.write_text(brief_text(brief_fields(title="A new title for the card"), "Second version.\n"), encoding="utf-8")
    wait_for(lambda: "Second version." in fetch(base + renamed))
    second = card(renamed)
    assert second != first
    with Image.open(io.BytesIO(second)) as image:
        assert image.size == (1200, 630)


def test_a_lead_image_added_while_serving_is_served_in_every_width_its_page_names(server: tuple[str, Path, Path]) -> None:
    from html.parser import HTMLParser

    from PIL import Image

    base, path, _ = server
    Image.new("RGB", (2000, 1125), (120, 60, 30)).save(path.parent / "photo.jpg", quality=80)
    image = {"src": "photo.jpg", "alt": "Two leaders at a lectern", "credit": "Photo: Desk"}
    path.write_text(brief_text(brief_fields(image=image), "With a picture.\n"), encoding="utf-8")
    wait_for(lambda: "With a picture." in fetch(base + URL))

    class Sources(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            for name in ("srcset", "src") if tag in ("img", "source") else ():
                self.urls += [part.split()[0] for part in (found.get(name) or "").split(",") if part.strip()]

    parser = Sources()
    parser.feed(fetch(base + URL))
    photos = sorted({u for u in parser.urls if "photo" in u})
    assert len(photos) >= 4, photos  # the original's copy and at least three widths
    for url in photos:
        with urllib.request.urlopen(urllib.parse.urljoin(base + URL, url), timeout=10) as response:
            data = response.read()
        with Image.open(io.BytesIO(data)) as served:
            assert served.width <= 2000
    with pytest.raises(urllib.error.HTTPError):  # a name the image is not published under
        urllib.request.urlopen(base + URL + "photo-9999.webp", timeout=10)
