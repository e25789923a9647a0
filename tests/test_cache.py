"""The build cache: never stale, and output with or without it is byte-identical."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from test_builds import differences, mkdocs_build

import briefs.core.cache
from conftest import REPO, Build, brief_fields, build_site, write_brief

EN = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"
#: Pages in every menu, rendered by MkDocs on each build: home, topics, archive and
#: digest index of each language, and the language chooser.
ALWAYS_RENDERED_PAGES = ["en/", "en/topics/", "en/archive/", "en/digest/", "de/", "de/topics/", "de/archive/", "de/digest/", ""]


def from_cache(result: Build) -> int:
    found = re.search(r"Briefs: (\d+) of (\d+) generated pages from the cache", result.log)
    assert found, result.log
    return int(found.group(1))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First body.\n")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom auf Deutsch"))
    for day in range(1, 4):
        write_brief(root, f"2026-02-0{day}-other", "en", brief_fields(title=f"Other {day}", date=f"2026-02-0{day}"))
    return root


def build(tree: Path, out: Path, cache: Path | str, **kwargs: object) -> Build:
    env = {"BRIEFS_CACHE_DIR": str(cache), **kwargs.pop("env", {})}  # type: ignore[dict-item]
    result = build_site(tree, out, extra_env=env, **kwargs)  # type: ignore[arg-type]
    assert result.ok, result.log
    return result


def test_output_with_and_without_cache_is_identical(tree: Path, tmp_path: Path) -> None:
    cold = build(tree, tmp_path / "cold", tmp_path / "cache")
    warm = build(tree, tmp_path / "warm", tmp_path / "cache")
    none = build(tree, tmp_path / "none", "false")
    assert from_cache(cold) == 0 and from_cache(warm) > 5 and from_cache(none) == 0
    assert differences(cold.site, warm.site) == []
    assert differences(cold.site, none.site) == []


def test_a_new_process_takes_every_unchanged_page_from_the_cache(tree: Path, tmp_path: Path) -> None:
    """Keys depend on values only: a second `mkdocs build` (briefs now read from the cache) finds every page."""
    env = {"BRIEFS_DIR": str(tree), "BRIEFS_CACHE_DIR": str(tmp_path / "cache")}
    builds = [mkdocs_build(tmp_path / name, env) for name in ("one", "two")]
    assert all(b.returncode == 0 for b in builds), builds[-1].stderr
    counts = [re.search(r"Briefs: (\d+) of (\d+) generated pages from the cache", b.stderr) for b in builds]
    assert counts[0] and counts[1]
    found, planned = int(counts[1].group(1)), int(counts[1].group(2))
    assert int(counts[0].group(1)) == 0
    assert found == planned - len(ALWAYS_RENDERED_PAGES)


def test_editing_a_brief_refreshes_its_page_and_its_pair(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(tree, tmp_path / "one", cache)
    write_brief(tree, "2026-01-23-rome", "en", brief_fields(), body="Second body.\n")
    write_brief(tree, "2026-01-23-rome", "de", brief_fields(title="Neuer deutscher Titel"))
    result = build(tree, tmp_path / "two", cache)
    assert from_cache(result) > 0
    page = result.page(EN)
    assert "Second body." in page.select_one(".brief-body").get_text()
    assert "Neuer deutscher Titel" in page.select_one("a.brief-translation").get_text()


def test_a_neighbours_new_title_reaches_its_reading_links(tree: Path, tmp_path: Path) -> None:
    """A cached brief page is keyed by its own pair and by the briefs it links to."""
    cache = tmp_path / "cache"
    build(tree, tmp_path / "one", cache)
    write_brief(tree, "2026-02-02-other", "en", brief_fields(title="Renamed neighbour", date="2026-02-02"))
    result = build(tree, tmp_path / "two", cache)
    assert from_cache(result) > 0
    older = result.page("en/2026/02/01/other-1/").select_one(".brief-pagination").get_text()
    newer = result.page("en/2026/02/03/other-3/").select_one(".brief-pagination").get_text()
    assert "Renamed neighbour" in older and "Renamed neighbour" in newer


def test_environment_and_code_changes_invalidate(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    build(tree, tmp_path / "one", cache)
    labelled = build(tree, tmp_path / "two", cache, preview=True, env={"BRIEFS_PREVIEW_LABEL": "PR #9"})
    assert from_cache(labelled) == 0
    assert labelled.page(EN).select_one(".brief-preview-label").get_text() == "PR #9"
    monkeypatch.setattr(briefs.core.cache, "code_fingerprint", lambda: "another plugin version")
    monkeypatch.setattr("briefs.mkdocs.page_cache.code_fingerprint", lambda: "another plugin version")
    monkeypatch.setattr("briefs.core.corpus.code_fingerprint", lambda: "another plugin version")
    upgraded = build(tree, tmp_path / "three", cache)
    assert from_cache(upgraded) == 0


def site_copy(tmp_path: Path) -> Path:
    """A copy of the site's configuration whose theme overrides and pages can be edited."""
    site = tmp_path / "site-src"
    shutil.copytree(REPO / "overrides", site / "overrides")
    shutil.copytree(REPO / "docs", site / "docs")
    shutil.copytree(REPO / "hooks", site / "hooks")
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    return site / "mkdocs.yml"


def build_config(config: Path, tree: Path, out: Path, cache: Path) -> Build:
    result = build_site(tree, out, extra_env={"BRIEFS_CACHE_DIR": str(cache)}, config_file=config)
    assert result.ok, result.log
    return result


def test_templates_config_and_site_pages_invalidate(tree: Path, tmp_path: Path) -> None:
    config = site_copy(tmp_path)
    cache = tmp_path / "cache"
    build_config(config, tree, tmp_path / "one", cache)
    again = build_config(config, tree, tmp_path / "two", cache)
    assert from_cache(again) > 0

    copyright = config.parent / "overrides/partials/copyright.html"
    copyright.write_text(copyright.read_text().replace('<div class="md-copyright">', '<div class="md-copyright">Changed footer'))
    result = build_config(config, tree, tmp_path / "three", cache)
    assert "Changed footer" in result.page(EN).select_one(".md-copyright").get_text()

    data = config.read_text().replace("site_name: Briefs", "site_name: Other Name")
    config.write_text(data)
    result = build_config(config, tree, tmp_path / "four", cache)
    assert result.page(EN).title.get_text().endswith(" - Other Name")

    about = config.parent / "docs/en/about.md"
    about.write_text(about.read_text().replace("title: About", "title: About us"))
    result = build_config(config, tree, tmp_path / "five", cache)
    assert "About us" in [a.get_text(strip=True) for a in result.page(EN).select(".md-tabs__link")]


def test_a_rebuild_in_place_keeps_unchanged_pages_and_search_shards(tree: Path, tmp_path: Path) -> None:
    """Rebuilding into the same folder moves unchanged pages and index shards back instead of writing them."""
    write_brief(tree, "2025-12-01-older", "en", brief_fields(title="An older brief", date="2025-12-01"))
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    older = site / "en/2025/12/01/an-older-brief/index.html"
    neighbour = site / "en/2026/02/02/other-2/index.html"
    shard = site / "pagefind/en/2025-10/pagefind-entry.json"
    email = site / "en/digest/2025-12-01/email.html"
    before = {path: path.stat().st_ino for path in (older, neighbour, shard, email)}
    write_brief(tree, "2026-01-23-rome", "en", brief_fields(), body="Second body.\n")
    result = build(tree, site, cache)
    assert re.search(r"\((\d+) kept in place\)", result.log) and "(0 kept in place)" not in result.log
    # en/2026-01 and de/2026-01 hold the edited pair; en/2025-10 is as it was
    assert "1 of 3 search index shards kept in place" in result.log
    assert {path: path.stat().st_ino for path in before} == before  # the same files, not copies
    assert "Second body." in result.page(EN).select_one(".brief-body").get_text()
    assert not (tmp_path / ".site.previous").exists()
    fresh = build(tree, tmp_path / "fresh", "false")
    assert differences(site, fresh.site) == []


def test_a_folder_of_unchanged_pages_goes_back_whole_and_nothing_else_with_it(tree: Path, tmp_path: Path) -> None:
    """A day whose pages are all as they were is moved back in one piece; one that holds anything else is not."""
    write_brief(tree, "2025-12-01-older", "en", brief_fields(title="An older brief", date="2025-12-01"))
    # The newest, on another topic: no unchanged page but its neighbour's links it.
    gone = brief_fields(title="A brief that goes", date="2026-03-01", topics=["energy"])
    write_brief(tree, "2026-03-01-gone", "en", gone)
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    quiet_day, planted_day = site / "en/2025/12/01", site / "en/2026/02/02"
    quiet_folder, quiet_page = quiet_day.stat().st_ino, (quiet_day / "an-older-brief/index.html").stat().st_ino
    # Left in the site folder between builds: no build wrote it, so none may publish it.
    (planted_day / "planted.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (planted_day / "other-2" / "planted.txt").write_text("not ours", encoding="utf-8")
    shutil.rmtree(tree / "2026-03-01-gone")
    write_brief(tree, "2026-01-23-rome", "en", brief_fields(), body="Second body.\n")
    result = build(tree, site, cache)
    assert (quiet_day.stat().st_ino, (quiet_day / "an-older-brief/index.html").stat().st_ino) == (quiet_folder, quiet_page)
    assert not (planted_day / "planted.html").exists() and not (planted_day / "other-2" / "planted.txt").exists()
    assert (planted_day / "other-2/index.html").is_file()  # its own page comes back
    assert not (site / "en/2026/03/01").exists()  # a removed brief's page does not
    assert "Second body." in result.page(EN).select_one(".brief-body").get_text()
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_a_digest_goes_back_whole_with_its_email_edition_and_a_changed_edition_is_written_again(
    tree: Path, tmp_path: Path
) -> None:
    """An unchanged day's digest folder (its page, its e-mail edition) is one rename; an edition changed by hand is made again."""
    write_brief(tree, "2025-12-01-older", "en", brief_fields(title="An older brief", date="2025-12-01"))
    write_brief(tree, "2025-12-02-old", "en", brief_fields(title="An old brief", date="2025-12-02"))
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    quiet, touched = site / "en/digest/2025-12-01", site / "en/digest/2025-12-02"
    before = {path: path.stat().st_ino for path in (quiet, quiet / "index.html", quiet / "email.html", touched / "index.html")}
    edition = (touched / "email.html").read_bytes()
    (touched / "email.html").write_bytes(edition.replace(b"An old brief", b"Changed by hand"))
    write_brief(tree, "2026-01-23-rome", "en", brief_fields(), body="Second body.\n")
    build(tree, site, cache)
    assert {path: path.stat().st_ino for path in before} == before  # moved back, folder and all, not written
    assert (touched / "email.html").read_bytes() == edition
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_a_page_changed_in_the_site_folder_is_written_again(tree: Path, tmp_path: Path) -> None:
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    page = site / EN / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"First body.", b"Changed by hand."))
    shard = site / "pagefind/en/2026-01/pagefind-entry.json"
    shard.write_text(shard.read_text(encoding="utf-8") + " ", encoding="utf-8")
    result = build(tree, site, cache)
    assert page.read_bytes() == original
    assert "1 of 2 search index shards kept in place" in result.log  # de/2026-01; the touched en/2026-01 is made again
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_a_failed_rebuild_in_place_leaves_nothing_aside(tree: Path, tmp_path: Path) -> None:
    config = site_copy(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "out"
    build_config(config, tree, out, cache)
    override = config.parent / "overrides/briefs/brief.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('{% extends "main.html" %}\n{% block content %}{{ no_such_thing() }}{% endblock %}\n')
    with pytest.raises(UndefinedError):  # a theme's mistake reaches its author as it is
        build_site(tree, out, extra_env={"BRIEFS_CACHE_DIR": str(cache)}, config_file=config)
    assert not (tmp_path / ".out.previous").exists()


def test_a_brief_removed_between_rebuilds_leaves_the_index(tree: Path, tmp_path: Path) -> None:
    """Pagefind reads kept cut-down copies of brief pages (SlimStore): a removed brief's copy goes with it."""
    write_brief(tree, "2025-12-01-older", "en", brief_fields(title="An older brief", date="2025-12-01"))
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    shutil.rmtree(tree / "2025-12-01-older")
    write_brief(tree, "2025-11-01-other", "en", brief_fields(title="Another older brief", date="2025-11-01"))
    build(tree, site, cache)
    assert not list((cache / "slim").rglob("an-older-brief"))
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_cut_down_copies_are_trusted_only_after_a_build_that_finished(tmp_path: Path) -> None:
    from briefs.search.slim import SlimStore

    folder = tmp_path / "slim"
    store = SlimStore(folder)
    assert store.stale({"a/index.html": "1", "b/index.html": "1"}) == {"a/index.html", "b/index.html"}
    for name in ("a", "b"):
        (folder / name).mkdir()
        (folder / name / "index.html").write_text(name)
    store.finish({"a/index.html": "1", "b/index.html": "1"})

    store = SlimStore(folder)  # the next build: a changed, b gone, c new
    assert store.stale({"a/index.html": "2", "c/index.html": "1"}) == {"a/index.html", "c/index.html"}
    assert not (folder / "b" / "index.html").exists() and (folder / "a" / "index.html").exists()
    # Its copy of a may be half rewritten (a preview job cancelled): back at key 1, a is still stale.
    assert store.stale({"a/index.html": "1"}) == {"a/index.html"}
    (folder / "a" / "index.html").unlink()  # a copy lost by hand is written again
    store.finish({"a/index.html": "2"})
    assert SlimStore(folder).stale({"a/index.html": "2"}) == {"a/index.html"}

    # That store never finished (a failed build): nothing in the folder is trusted, or kept.
    store = SlimStore(folder)
    assert not any(folder.iterdir())
    assert store.stale({"a/index.html": "2"}) == {"a/index.html"}


def test_a_cache_from_another_checkout_places_briefs_where_they_are(tmp_path: Path) -> None:
    from PIL import Image

    from briefs.core.corpus import load_corpus
    from conftest import settings_for

    first = tmp_path / "first" / "briefs"
    image = {"src": "photo.png", "alt": "A chart", "credit": "Desk"}
    folder = write_brief(first, "2026-01-23-rome", "en", brief_fields(image=image)).parent
    Image.new("RGB", (40, 20), (1, 2, 3)).save(folder / "photo.png")
    settings = settings_for(first)
    settings.cache_dir = tmp_path / "cache"
    assert load_corpus(settings).errors == []
    # A second checkout elsewhere (a CI runner's workspace) restores the first one's cache.
    second = tmp_path / "second" / "briefs"
    shutil.copytree(first, second)
    shutil.rmtree(first)
    moved = settings_for(second)
    moved.cache_dir = tmp_path / "cache"
    corpus = load_corpus(moved)
    assert corpus.errors == []
    assert corpus.pairs[0].versions["en"].path == second / "2026-01-23-rome" / "en.md"


def test_a_folder_replaced_by_a_link_between_builds_is_not_published(tree: Path, tmp_path: Path) -> None:
    """Pages moved elsewhere and linked back keep their status; the link still never enters the site."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    day, elsewhere = site / "en/2026/02/02", tmp_path / "elsewhere"
    day.rename(elsewhere)
    day.symlink_to(elsewhere, target_is_directory=True)
    build(tree, site, cache)
    assert not day.is_symlink() and (day / "other-2/index.html").is_file()
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_a_page_with_a_second_name_is_written_again(tree: Path, tmp_path: Path) -> None:
    """A hard link planted between builds would let its holder change the published page unseen: not taken back."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(tree, site, cache)
    page, other = site / "en/2026/02/02/other-2/index.html", site / "en/2026/02/01/other-1/index.html"
    linked = tmp_path / "second-name.html"
    os.link(page, linked)
    kept = other.stat().st_ino
    build(tree, site, cache)
    assert page.stat().st_nlink == 1 and not os.path.samefile(page, linked)
    assert other.stat().st_ino == kept  # the others stay as they were
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []


def test_a_list_pages_key_follows_every_item_it_lists() -> None:
    """A brief's list item is digested once for all the lists that show it: the keys still follow its every field."""
    from briefs.mkdocs.page_cache import page_key
    from briefs.site.kinds import PageKind
    from briefs.site.plan import PageSpec
    from briefs.site.views import Link, ListItem, ListView

    def item(**change: object) -> ListItem:
        fields: dict[str, object] = {
            "title": "Rome",
            "url": "en/2026/01/23/rome/",
            "date_iso": "2026-01-23",
            "date_text": "23 January 2026",
            "summary": "Two governments sign agreements.",
            "topics": (Link("en/topics/europe/", "Europe"),),
        }
        return ListItem(**{**fields, **change})  # type: ignore[arg-type]

    def key(*items: ListItem, url: str = "en/topics/europe/page/2/") -> str:
        view = ListView("Europe", list(items), page=2, pages=2)
        return page_key("site", PageSpec(url, "en", "briefs/list.html", "Europe", PageKind.TOPIC, view, number=2))

    shared, other = item(), item(title="Berlin", url="en/2026/01/24/berlin/")
    first = key(shared, other)
    assert key(shared, other, url="en/page/2/") != first  # the same items on another page
    assert key(item(), item(title="Berlin", url="en/2026/01/24/berlin/")) == first  # equal items, new objects
    assert key(other, shared) != first  # their order
    assert key(shared) != first
    for change in ({"summary": "Two governments sign one agreement."}, {"draft": True}, {"thumb": ("images/a.webp", 480, 270)}):
        assert key(item(**change), other) != first, change
    assert key(item(topics=(Link("en/topics/italy/", "Italy"),)), other) != first
