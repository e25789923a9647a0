"""The live preview's plan keeps its lists from one save to the next only while no list would change."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.core.corpus import load_corpus
from briefs.site.kinds import PageKind
from briefs.site.plan import ListMemory, plan_site, site_files
from conftest import brief_fields, settings_for, write_brief


def plan(root: Path, memory: ListMemory):  # type: ignore[no-untyped-def]
    settings = settings_for(root)
    corpus = load_corpus(settings, render=True)
    assert not corpus.errors, corpus.errors
    return plan_site(corpus, settings, memory=memory)


def home(plan) -> object:  # type: ignore[no-untyped-def]
    return next(p for p in plan.pages if p.kind is PageKind.HOME and p.lang == "en")


def brief_page(plan) -> object:  # type: ignore[no-untyped-def]
    return next(p for p in plan.pages if p.kind is PageKind.BRIEF and p.brief.id == "2026-01-23-rome")


def test_a_body_edit_keeps_the_lists_and_a_title_edit_makes_them_again(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First body.\n")
    write_brief(root, "2025-11-03-older", "en", brief_fields(title="An older brief", date="2025-11-03"))
    memory = ListMemory()
    first = plan(root, memory)
    files = site_files(first, (), memory)

    write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="Second body.\n")
    second = plan(root, memory)
    assert home(second) is home(first)  # the same list, not one made again
    assert "Second body." in "".join(html for html, _ in brief_page(second).view.body_parts)  # type: ignore[attr-defined]
    assert site_files(second, (), memory) is files

    write_brief(root, "2026-01-23-rome", "en", brief_fields(title="A new title"), body="Second body.\n")
    third = plan(root, memory)
    assert home(third) is not home(second)
    assert "A new title" in [item.title for item in home(third).view.items]  # type: ignore[attr-defined]
    assert site_files(third, (), memory) is not files
    assert path.is_file()


def test_without_memory_every_plan_makes_its_lists(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    settings = settings_for(root)
    corpus = load_corpus(settings, render=True)
    assert home(plan_site(corpus, settings)) is not home(plan_site(corpus, settings))


def test_the_remembered_walk_sees_added_removed_and_stray_files(tmp_path: Path) -> None:
    import os

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    write_brief(root, "2026-01-24-paris", "en", brief_fields(title="Paris talks", date="2026-01-24"))

    def settled() -> None:  # as if the folders were written minutes ago: their listings may be remembered
        for folder in (root, *(p for p in root.iterdir() if p.is_dir())):
            os.utime(folder, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000 + len(os.listdir(folder))))

    settled()
    settings = settings_for(root)
    assert [len(p.versions) for p in load_corpus(settings).pairs] == [1, 1]
    assert [len(p.versions) for p in load_corpus(settings).pairs] == [1, 1]  # remembered
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    (root / "2026-01-24-paris" / "notes.txt").write_text("x", encoding="utf-8")
    settled()
    corpus = load_corpus(settings)
    assert sorted(len(p.versions) for p in corpus.pairs) == [1, 2]
    assert [f.code for f in corpus.findings if f.is_error] == ["BR206"]
    (root / "2026-01-23-rome" / "de.md").unlink()
    (root / "2026-01-24-paris" / "notes.txt").unlink()
    (root / "stray.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    settled()
    corpus = load_corpus(settings)
    assert [len(p.versions) for p in corpus.pairs] == [1, 1]
    assert [f.code for f in corpus.findings if f.is_error] == ["BR201"]


def test_a_pair_is_compared_again_when_one_of_its_versions_changes_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from briefs.core import corpus, validation

    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # trust a file's status at once, as minutes later

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    de = write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    write_brief(root, "2025-11-03-older", "en", brief_fields(title="An older brief", date="2025-11-03"))
    settings = settings_for(root)
    settings.cache_dir = tmp_path / "cache"  # checked briefs are remembered through the cache, as in a preview
    compared: list[str] = []
    real = validation._compare_versions

    def counting(pair, files, settings):  # type: ignore[no-untyped-def]
        compared.append(pair.id)
        return real(pair, files, settings)

    monkeypatch.setattr(validation, "_compare_versions", counting)
    assert "BR301" not in [f.code for f in load_corpus(settings).findings]
    before = len(compared)
    assert "BR301" not in [f.code for f in load_corpus(settings).findings]
    assert len(compared) == before  # nothing changed: no pair compared again
    time.sleep(0.05)  # past the file system's timestamp step
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom", date="2026-01-24"))
    [finding] = [f for f in load_corpus(settings).findings if f.code == "BR301"]
    assert finding.path.endswith("de.md") and compared[before:] == ["2026-01-23-rome"]
    time.sleep(0.05)
    de.write_text(de.read_text(encoding="utf-8").replace("2026-01-24", "2026-01-23"), encoding="utf-8")
    assert "BR301" not in [f.code for f in load_corpus(settings).findings]


def test_a_save_keeps_the_other_brief_pages_and_remakes_the_saved_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    import datetime as dt

    from briefs.core import corpus

    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # trust a file's status at once, as minutes later
    root = tmp_path / "briefs"
    rome = write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First body.\n")
    write_brief(root, "2025-11-03-older", "en", brief_fields(title="An older brief", date="2025-11-03"))
    write_brief(root, "2026-03-01-later", "en", brief_fields(title="A scheduled brief", date="2026-03-01"))
    settings = settings_for(root)
    settings.cache_dir = tmp_path / "cache"  # checked briefs are remembered through the cache, as in a preview
    settings.preview = True  # the scheduled brief is shown, as the live preview shows it
    settings.now = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    memory = ListMemory()

    def pages() -> dict[str, object]:
        planned = plan_site(load_corpus(settings, render=True), settings, memory=memory)
        return {p.brief.id: p for p in planned.pages if p.kind is PageKind.BRIEF}  # type: ignore[union-attr]

    first = pages()
    older_view = first["2025-11-03-older"].view  # type: ignore[attr-defined]
    import time

    time.sleep(0.05)  # past the file system's timestamp step
    rome.write_text(rome.read_text(encoding="utf-8").replace("First body.", "Second body."), encoding="utf-8")
    second = pages()
    assert second["2025-11-03-older"] is first["2025-11-03-older"]
    assert second["2025-11-03-older"].view is older_view  # type: ignore[attr-defined]  # not made again
    assert second["2026-01-23-rome"] is not first["2026-01-23-rome"]
    assert "Second body." in "".join(html for html, _ in second["2026-01-23-rome"].view.body_parts)  # type: ignore[attr-defined]
    # A scheduled brief's page says when it goes live, which the clock alone changes: made on every plan.
    assert second["2026-03-01-later"] is not first["2026-03-01-later"]
    assert second["2026-03-01-later"].view.scheduled is not None  # type: ignore[attr-defined]
    settings.now = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert pages()["2026-03-01-later"].view.scheduled is None  # type: ignore[attr-defined]
    # Other settings make every page again.
    settings = dataclasses.replace(settings, site_name="Another site")
    assert pages()["2025-11-03-older"] is not second["2025-11-03-older"]


def test_a_load_after_a_save_takes_each_other_folder_from_the_last_and_sees_what_changed_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from PIL import Image

    from briefs.core import corpus

    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # trust a file's status at once, as minutes later
    root = tmp_path / "briefs"
    rome = write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First body.\n")
    body = "An image.\n\n![A chart](chart.png)\n"
    paris = write_brief(root, "2026-01-24-paris", "en", brief_fields(title="Paris talks", date="2026-01-24"), body=body)
    Image.new("RGB", (400, 200), (10, 20, 30)).save(paris.parent / "chart.png")
    settings = settings_for(root)
    settings.cache_dir = tmp_path / "cache"  # checked briefs are remembered through the cache, as in a preview

    def pairs() -> dict[str, object]:
        loaded = load_corpus(settings, render=True)
        return {p.id: p for p in loaded.pairs} | {"findings": [f.code for f in loaded.findings if f.is_error]}

    first = pairs()
    time.sleep(0.05)  # past the file system's timestamp step
    rome.write_text(rome.read_text(encoding="utf-8").replace("First body.", "Second body."), encoding="utf-8")
    second = pairs()
    assert second["2026-01-24-paris"] is first["2026-01-24-paris"]  # the same pair: its folder was not worked out again
    assert second["2026-01-23-rome"] is not first["2026-01-23-rome"]
    # An image replaced under the same name: its folder is loaded again, and the page gets the new size.
    Image.new("RGB", (300, 300), (10, 20, 30)).save(paris.parent / "chart.png")
    loaded = load_corpus(settings, render=True)
    assert next(p for p in loaded.pairs if p.id == "2026-01-24-paris") is not second["2026-01-24-paris"]
    [html] = [p for url, p in loaded.parts.items() if "paris" in url]
    assert 'width="300" height="300"' in "".join(html.body_html)
    # A folder that now claims the same page as a kept one: both are looked at, and the clash is reported.
    write_brief(root, "2026-02-01-paris", "en", brief_fields(title="Paris talks", date="2026-01-24"))
    assert "BR205" in pairs()["findings"]


def test_a_lead_image_replaced_under_its_name_remakes_its_page_and_a_linked_archive_sees_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from PIL import Image

    from briefs.core import corpus

    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # trust a file's status at once, as minutes later
    real = tmp_path / "real" / "briefs"
    image = {"src": "photo.jpg", "alt": "A square", "credit": "Desk"}
    folder = write_brief(real, "2026-01-23-rome", "en", brief_fields(image=image)).parent
    Image.new("RGB", (800, 400), (10, 20, 30)).save(folder / "photo.jpg")
    (tmp_path / "via").symlink_to(real.parent, target_is_directory=True)  # briefs_dir reached through a link
    settings = settings_for(tmp_path / "via" / "briefs")
    settings.cache_dir = tmp_path / "cache"
    memory = ListMemory()

    def page() -> object:
        loaded = load_corpus(settings, render=True)
        assert not loaded.errors, loaded.errors
        return brief_page(plan_site(loaded, settings, memory=memory))

    first = page()
    before = first.view.image.src  # type: ignore[attr-defined]
    time.sleep(0.05)
    Image.new("RGB", (400, 400), (200, 20, 30)).save(folder / "photo.jpg")
    second = page()
    assert second is not first
    assert second.view.image.src != before and second.view.image.height == second.view.image.width  # type: ignore[attr-defined]
    (folder / "photo.jpg").unlink()
    assert "BR119" in [f.code for f in load_corpus(settings, render=True).findings]
