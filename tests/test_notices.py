"""The live preview's watcher tells a load what changed: it looks at those files, and at every file when in doubt."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.core import corpus
from briefs.core.corpus import load_corpus
from briefs.core.memory import MEMORY
from briefs.core.notices import Notices
from conftest import brief_fields, settings_for, write_brief

#: A watcher that sees every change.
SOUND = lambda folders: True  # noqa: E731


def test_notices_are_trusted_only_from_a_load_that_began_with_the_watcher_running() -> None:
    notices = Notices()
    assert notices.take() is None  # no watcher
    notices.watching("/site/briefs", SOUND)
    notices.changed("/site/briefs/2026/01/a/en.md")
    assert notices.take() is None  # the watcher started after the last load: it may have missed a change
    notices.changed("/site/briefs/2026/01/a/en.md")
    vouched = notices.take()
    assert vouched is not None
    assert not vouched.unchanged("/site/briefs/2026/01/a/en.md")
    # A changed file's folders are looked at too (their listing may have changed).
    assert not vouched.unchanged("/site/briefs/2026/01/a") and not vouched.unchanged("/site/briefs/2026")
    assert vouched.unchanged("/site/briefs/2026/01/b/en.md") and vouched.unchanged(Path("/site/briefs/2026/01/b"))
    assert not vouched.unchanged("/site/briefs")  # the watched folder itself: always looked at
    assert not vouched.unchanged("/site/other/en.md")  # outside the watched folder: always looked at
    assert not vouched.unchanged("/site/briefs-old/en.md")
    # Notices gather for the next load only.
    later = notices.take()
    assert later is not None and later.unchanged("/site/briefs/2026/01/a/en.md")


@pytest.mark.parametrize(
    "doubt",
    [
        lambda n: n.lost(),  # a folder came or went, or the kernel dropped notices
        lambda n: n.changed("/elsewhere/briefs/2026/01/a/en.md"),  # a path spelled otherwise than the watched folder
        lambda n: n.watching("/site/briefs", SOUND),  # the watcher started again
        lambda n: n.watching(None),  # the watcher stopped
    ],
)
def test_in_doubt_the_next_load_looks_at_every_file(doubt: object) -> None:
    notices = Notices()
    notices.watching("/site/briefs", SOUND)
    notices.take()
    doubt(notices)  # type: ignore[operator]
    assert notices.take() is None


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Path]:
    briefs = tmp_path / "briefs"
    for day in range(1, 6):
        write_brief(briefs, f"2026-01-0{day}-brief", "en", brief_fields(title=f"Brief {day}", date=f"2026-01-0{day}"))
    time.sleep(0.05)
    MEMORY.notices.watching(str(briefs), SOUND)
    yield briefs
    MEMORY.notices.watching(None)


def _looked_at(monkeypatch: pytest.MonkeyPatch, below: Path) -> list[str]:
    """The paths below ``below`` whose status the core asks for."""
    seen: list[str] = []
    real = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.fspath(path).startswith(os.fspath(below)):  # type: ignore[call-overload]
            seen.append(os.fspath(path))  # type: ignore[call-overload]
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus.os, "stat", stat)
    return seen


def _titles(briefs: Path) -> list[str]:
    settings = settings_for(briefs)
    settings.cache_dir = briefs.parent / "cache"  # as the preview has one
    loaded = load_corpus(settings)
    assert not [f for f in loaded.findings if f.is_error]
    return sorted(b.title for b in loaded.briefs(include_drafts=True))


def test_a_load_after_a_notice_looks_only_at_what_changed_and_sees_the_change(
    watched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # files written a moment ago: trusted by their status at once
    assert _titles(watched) == [f"Brief {day}" for day in range(1, 6)]  # the load that starts trusting notices
    edited = write_brief(watched, "2026-01-03-brief", "en", brief_fields(title="Brief 3, edited", date="2026-01-03"))
    MEMORY.notices.changed(str(edited))
    seen = _looked_at(monkeypatch, watched)
    assert _titles(watched) == ["Brief 1", "Brief 2", "Brief 3, edited", "Brief 4", "Brief 5"]
    files = {p for p in seen if p.endswith(".md")}
    assert files == {str(edited)}  # the four other briefs are not looked at
    assert str(watched / "2026-01-01-brief") not in seen  # nor their folders


def test_a_change_without_its_notice_is_seen_once_the_watcher_is_in_doubt(watched: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 0)
    _titles(watched)
    # A new brief folder: its files have no notices of their own, only the folder's.
    write_brief(watched, "2026-01-09-new", "en", brief_fields(title="New", date="2026-01-09"))
    edited = write_brief(watched, "2026-01-02-brief", "en", brief_fields(title="Brief 2, edited", date="2026-01-02"))
    MEMORY.notices.lost()
    titles = _titles(watched)
    assert "New" in titles and "Brief 2, edited" in titles
    # Notices trusted again: a file edited without one keeps what the last load saw of it ...
    edited.write_text(edited.read_text(encoding="utf-8").replace("Brief 2, edited", "Brief 2, unnoticed"), "utf-8")
    assert "Brief 2, unnoticed" not in _titles(watched)
    # ... and a load without a watcher looks at every file, as every build does.
    MEMORY.notices.watching(None)
    assert "Brief 2, unnoticed" in _titles(watched)


def test_the_watcher_s_notices_reach_the_load_and_an_overflow_asks_for_a_full_look_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefs.mkdocs import live

    briefs = tmp_path / "briefs"
    path = write_brief(briefs, "2026-01-01-brief", "en")
    requests: list[float] = []
    monkeypatch.setattr(live, "request_rebuild", lambda server: requests.append(time.monotonic()))
    monkeypatch.setattr(live, "shorten_build_delay", lambda server, delay: None)
    preview = live.LivePreview()
    monkeypatch.setattr(live, "PREVIEW", preview)
    live.watch_changes(object(), str(briefs))  # type: ignore[arg-type]
    try:
        assert preview.watchers, "the kernel's notices are not available here"
        MEMORY.notices.take()  # a load began
        path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not requests and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the rest of the save's notices
        vouched = MEMORY.notices.take()
        assert vouched is not None and not vouched.unchanged(path)
        assert vouched.unchanged(briefs / "2026-01-02-other" / "en.md")
        # The kernel dropped notices: watchdog only logs it.
        requests.clear()
        logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; filesystem events were lost")
        assert requests and MEMORY.notices.take() is None
    finally:
        preview.close()
    assert MEMORY.notices.take() is None  # the preview ended: no notices
    assert not logging.getLogger("watchdog.observers").handlers


def test_a_notice_is_spent_by_the_load_that_takes_it_even_where_that_load_does_not_look(
    watched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body shows a chart; the brief breaks, the chart is exported again, the brief is fixed."""
    from PIL import Image

    monkeypatch.setattr(corpus, "_RECENT_NS", 0)
    folder = watched / "2026-01-01-brief"
    brief = folder / "en.md"
    good = brief_fields(title="Brief 1", date="2026-01-01")
    write_brief(watched, folder.name, "en", good, body="The count:\n\n![A chart of the count](chart.png)\n")
    Image.new("RGB", (300, 200), (0, 90, 200)).save(folder / "chart.png")
    MEMORY.notices.lost()
    settings = settings_for(watched)
    settings.cache_dir = watched.parent / "cache"

    def chart() -> str:
        loaded = load_corpus(settings, render=True)
        parts = [p for url, p in loaded.parts.items() if "brief-1" in url or "merz" in url]
        return "".join(piece for p in parts for piece in p.body_html if "chart.png" in piece)

    assert 'width="300" height="200"' in chart()
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")  # a slip: the brief fails its checks
    MEMORY.notices.changed(str(brief))
    load_corpus(settings, render=True)
    Image.new("RGB", (600, 100), (0, 90, 200)).save(folder / "chart.png")  # exported again, while it fails
    MEMORY.notices.changed(str(folder / "chart.png"))
    load_corpus(settings, render=True)  # takes the chart's notice, and looks at nothing of the failing brief
    brief.write_text(text, encoding="utf-8")
    MEMORY.notices.changed(str(brief))
    assert 'width="600" height="100"' in chart()


def test_an_unsound_watcher_is_trusted_for_nothing() -> None:
    notices = Notices()
    sound = [True]
    notices.watching("/site/briefs", lambda folders: sound[0] and folders <= 3)
    notices.take()
    assert notices.take() is not None
    notices.walked(4)  # a folder more than it watches (the kernel's limit of watches was reached)
    assert notices.take() is None and notices.take() is None
    notices.walked(3)
    notices.take()  # the load that looks at every file again
    assert notices.take() is not None
    sound[0] = False  # the watcher stopped, or watches a folder moved away
    assert notices.take() is None


def test_the_watcher_is_sound_while_it_watches_every_folder_of_the_folder_that_is_there(tmp_path: Path) -> None:
    from watchdog.observers import Observer

    from briefs.mkdocs import live

    briefs = tmp_path / "briefs"
    for day in range(1, 4):
        write_brief(briefs, f"2026-01-0{day}-brief", "en")
    observer = Observer()
    observer.schedule(live.FileSystemEventHandler(), str(briefs), recursive=True)
    observer.start()
    try:
        sound = live._soundness(observer, str(briefs))
        assert sound(4)  # the folder and its three brief folders
        assert not sound(5)  # a folder the walk found that nothing watches
        (briefs / "2026-01-01-brief").rename(tmp_path / "aside")
        assert sound(3)
        briefs.rename(tmp_path / "old")  # git checkout of a branch without it, and back
        write_brief(briefs, "2026-01-01-brief", "en")
        assert not sound(1)
    finally:
        observer.stop()
        observer.join()


def test_a_change_of_who_may_read_a_file_is_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``chmod`` changes no byte of the file, and may make it unreadable: the check must look again."""
    from briefs.mkdocs import live

    briefs = tmp_path / "briefs"
    path = write_brief(briefs, "2026-01-01-brief", "en")
    requests: list[float] = []
    monkeypatch.setattr(live, "request_rebuild", lambda server: requests.append(time.monotonic()))
    monkeypatch.setattr(live, "shorten_build_delay", lambda server, delay: None)
    preview = live.LivePreview()
    monkeypatch.setattr(live, "PREVIEW", preview)
    live.watch_changes(object(), str(briefs))  # type: ignore[arg-type]
    try:
        MEMORY.notices.take()
        os.chmod(path, 0o600)
        deadline = time.monotonic() + 10
        while not requests and time.monotonic() < deadline:
            time.sleep(0.02)
        vouched = MEMORY.notices.take()
        assert requests and vouched is not None and not vouched.unchanged(path)
    finally:
        preview.close()
