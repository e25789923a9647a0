"""The live preview's parts: file digests, kept templates, slim copies, the emptied site folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, select_autoescape

from briefs.core import corpus
from briefs.core.corpus import file_digest
from briefs.mkdocs.bytecode import keep_compiled
from briefs.mkdocs.live import PREVIEW, LivePreview, PreviewIndex, clear_later


def test_a_file_is_read_again_when_its_status_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_RECENT_NS", 0)  # trust the status at once
    path = tmp_path / "en.md"
    path.write_text("first", encoding="utf-8")
    first = file_digest(path)
    reads: list[Path] = []
    real = corpus.read_plain_file
    monkeypatch.setattr(corpus, "read_plain_file", lambda path, limit: reads.append(path) or real(path, limit))
    assert file_digest(path) == first
    assert reads == []  # unchanged: not read
    before = path.stat()
    time.sleep(0.05)  # past the kernel's timestamp granularity
    path.write_text("other", encoding="utf-8")  # same size ...
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ... and modification time
    assert file_digest(path) != first
    assert reads == [path]


def test_a_file_changed_a_moment_ago_is_always_read(tmp_path: Path) -> None:
    path = tmp_path / "en.md"
    path.write_text("first", encoding="utf-8")
    first = file_digest(path)
    path.write_text("other", encoding="utf-8")  # within the same timestamp tick, perhaps
    assert file_digest(path) != first


def test_kept_templates_follow_their_source() -> None:
    caches: dict[tuple[object, ...], object] = {}
    old = Environment(loader=DictLoader({"page.html": "old {{ x }}"}))
    keep_compiled(old, caches)
    assert old.get_template("page.html").render(x=1) == "old 1"
    new = Environment(loader=DictLoader({"page.html": "new {{ x }}"}))
    keep_compiled(new, caches)
    assert new.bytecode_cache is old.bytecode_cache
    assert new.get_template("page.html").render(x=2) == "new 2"
    other = Environment(loader=DictLoader({"page.html": "<% x %>"}), variable_start_string="<%", variable_end_string="%>")
    keep_compiled(other, caches)
    assert other.bytecode_cache is not old.bytecode_cache
    assert other.get_template("page.html").render(x=3) == "3"
    # Escaping chosen by a function is compiled into the code: such environments keep their own.
    chosen = Environment(loader=DictLoader({"page.html": "{{ x }}"}), autoescape=select_autoescape())
    keep_compiled(chosen, caches)
    assert chosen.bytecode_cache is None
    assert chosen.get_template("page.html").render(x="<b>") == "&lt;b&gt;"


def test_clear_later_empties_the_site_at_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "en" / "2026").mkdir(parents=True)
    (site / "en" / "2026" / "index.html").write_text("old", encoding="utf-8")
    (site / "sitemap.xml").write_text("old", encoding="utf-8")
    clear_later(site)
    assert list(site.iterdir()) == []
    while PREVIEW.removals:  # the preview waits for them when it ends
        PREVIEW.removals.pop().wait()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the old content is gone too


def test_preview_index_keeps_unchanged_shards_and_serves_only_its_own_files() -> None:
    index = PreviewIndex()
    try:
        assert index.keep({"pagefind/en/2026-01": "a", "pagefind/en/2025-10": "b"}) == {}
        assert index.folder is not None
        for shard in ("2026-01", "2025-10"):
            (index.folder / "pagefind/en" / shard).mkdir(parents=True)
            (index.folder / "pagefind/en" / shard / "pagefind-entry.json").write_text(shard)
        index.done({"pagefind/en/2026-01": "a", "pagefind/en/2025-10": "b"})
        # 2026-01 changed: kept are the others; the changed one is served until it is made again.
        assert index.keep({"pagefind/en/2026-01": "c", "pagefind/en/2025-10": "b"}) == {"en": {"2025-10"}}
        assert index.file("pagefind/en/2026-01/pagefind-entry.json") == b"2026-01"
        index.done({"pagefind/en/2026-01": "c", "pagefind/en/2025-10": "b"})
        # A quarter with no briefs left goes.
        assert index.keep({"pagefind/en/2025-10": "b"}) == {"en": {"2025-10"}}
        assert not (index.folder / "pagefind/en/2026-01").exists()
        index.done({"pagefind/en/2025-10": "b"})
        assert index.file("pagefind/en/2025-10/pagefind-entry.json") == b"2025-10"
        # A job that never finished vouches for nothing: the next one indexes every shard again.
        assert index.keep({"pagefind/en/2025-10": "b"}) == {"en": {"2025-10"}}
        assert index.keep({"pagefind/en/2025-10": "b"}) == {}
        outside = index.folder.parent / f"{index.folder.name}-outside"
        outside.write_text("not the index's")
        try:
            assert index.file(f"pagefind/../../{outside.name}") is None  # it exists, beside the index
        finally:
            outside.unlink()
        assert index.file("en/index.html") is None
    finally:
        index.close()
    assert index.folder is None


def test_the_theme_s_installed_files_are_listed_once_and_the_project_s_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.config import load_config

    from briefs.mkdocs import theme_files

    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    walked: list[str] = []
    real_walk = theme_files._walk
    monkeypatch.setattr(theme_files, "_walk", lambda folder: walked.append(folder) or real_walk(folder))
    memo: dict[str, list[str]] = {}
    theme_files.list_installed_once(config, memo)

    first = config.theme.get_env().list_templates()
    assert "main.html" in first and "blog-post.html" in first  # the project's and Material's
    assert not any(name.startswith(".icons/") for name in first)  # never copied: not listed
    (overrides / "partials").mkdir()
    (overrides / "partials" / "added.html").write_text("new", encoding="utf-8")
    second = config.theme.get_env().list_templates()

    assert "partials/added.html" in second  # the project's folder is walked again
    assert set(first) | {"partials/added.html"} == set(second)
    assert memo and all(walked.count(folder) == 1 for folder in memo)  # Material's and MkDocs' folders: once
    assert any(folder.endswith(os.path.join("material", "templates")) for folder in memo)
    assert walked.count(str(overrides)) == 2


def test_slim_copies_written_before_a_cancel_are_not_written_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from briefs.mkdocs import live
    from briefs.mkdocs.live import SlimCopies
    from briefs.mkdocs.writing import output_path
    from briefs.site.kinds import PageKind
    from briefs.site.plan import PageSpec

    monkeypatch.setattr(live, "site_fingerprint", lambda config: "site")
    specs = [
        PageSpec(f"en/2026/01/0{i}/brief/", "en", "briefs/brief.html", f"Brief {i}", PageKind.BRIEF, content_key=str(i))
        for i in range(1, 5)
    ]

    class Writer:
        def __init__(self) -> None:
            self.config = None
            self.slim_dir: Path | None = None
            self.rendered: list[str] = []
            self.stop_after: int | None = 2  # pages; then the job is cancelled (the first refresh only)

        def write_share(self, site_dir, found, share, shares, cancelled, written):  # type: ignore[no-untyped-def]
            for spec in (spec for group in found for spec in group):
                if len(self.rendered) == self.stop_after:
                    self.stop_after = None
                    cancelled.set()  # the writer saved again: the next rebuild stops this job
                if cancelled.is_set():
                    return 0, 0
                assert self.slim_dir is not None
                copy = self.slim_dir / output_path(spec.src_uri)
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(spec.title, encoding="utf-8")
                self.rendered.append(spec.src_uri)
                written.append(spec.src_uri)
            return 0, 0

    copies, writer = SlimCopies(), Writer()
    try:
        assert copies.refresh(writer, specs, threading.Event()) is None  # type: ignore[arg-type]
        first = list(writer.rendered)
        assert len(first) == 2
        assert copies.refresh(writer, specs, threading.Event()) is not None  # type: ignore[arg-type]
        again = writer.rendered[2:]
        assert sorted(first + again) == sorted(spec.src_uri for spec in specs)  # each page once
        assert copies.refresh(writer, specs, threading.Event()) is not None  # type: ignore[arg-type]
        assert len(writer.rendered) == 4  # nothing changed: nothing written
    finally:
        copies.close()


def test_the_collector_waits_during_a_rebuild_and_runs_once_the_browsers_reloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from briefs.mkdocs import live
    from briefs.mkdocs.live import LivePreview

    monkeypatch.setattr(live, "RELOAD_GRACE", 30.0)  # the next save comes well before it
    preview = LivePreview()
    try:
        preview.pause_collector()
        assert not gc.isenabled()  # the rebuild runs without collector passes
        preview.collect_later()
        first = preview.collection
        assert first is not None
        preview.pause_collector()  # a save before the collection: the next rebuild waits for none
        first.join(timeout=30)  # a cancelled timer ends at once, without collecting
        assert not gc.isenabled()
        monkeypatch.setattr(live, "RELOAD_GRACE", 0.05)  # this time the browsers reload undisturbed
        preview.collect_later()
        assert preview.collection is not None
        preview.collection.join(timeout=60)  # the collection itself may take a while on a large heap
        assert gc.isenabled()  # the preview then collects as usual
    finally:
        preview.close()
        assert gc.isenabled()


def _returns_within(call: Callable[[], None], seconds: float = 5) -> bool:
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_a_rebuild_does_not_wait_for_a_cancelled_job_the_next_job_does() -> None:
    preview = LivePreview()
    preview.serving = True
    release, order = threading.Event(), []

    def winding_down(cancelled: threading.Event) -> None:
        cancelled.wait()
        release.wait()  # a Pagefind run being stopped, a partial shard deleted
        order.append("cancelled job")

    preview.start_background(winding_down)
    preview.cancel_background()  # a file changed
    assert _returns_within(preview.stop_background, 2)  # the rebuild goes on at once

    def next_job(cancelled: threading.Event) -> None:
        order.append("next job")

    preview.start_background(next_job)
    time.sleep(0.2)
    assert order == []  # it shares the slim copies and the index: it waits
    release.set()
    assert _returns_within(preview.close)
    assert order == ["cancelled job", "next job"]


def test_the_first_build_s_job_which_writes_the_site_folder_is_waited_for() -> None:
    preview = LivePreview()  # not serving yet: the first build
    order = []

    def writing_pages(cancelled: threading.Event) -> None:
        cancelled.wait()
        time.sleep(0.2)
        order.append("stopped")

    preview.start_background(writing_pages)
    preview.serving = True
    preview.stop_background()
    assert order == ["stopped"]  # before the rebuild empties the site folder
    preview.close()


def test_reading_every_brief_asks_for_no_rebuild_and_a_save_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each build reads every brief: at an archive's size those reads must not reach the watcher at all.

    40,000 reads overflow the kernel's queue of notices if the watcher asks for them, and its
    recovery reports changes: the preview then rebuilt without end (10,000 pairs).
    """
    from briefs.mkdocs import live

    files = []
    for i in range(50):
        folder = tmp_path / f"2026-01-{i:02d}-brief"
        folder.mkdir()
        (folder / "en.md").write_text(f"brief {i}\n", encoding="utf-8")
        files.append(folder / "en.md")
    requests: list[float] = []
    monkeypatch.setattr(live, "request_rebuild", lambda server: requests.append(time.monotonic()))
    monkeypatch.setattr(live, "shorten_build_delay", lambda server, delay: None)
    monkeypatch.setattr(live, "PREVIEW", LivePreview())
    live.watch_changes(object(), str(tmp_path))  # type: ignore[arg-type]
    try:
        assert live.PREVIEW.watchers, "the kernel's notices are not available here"
        # The kernel is not asked for opens and reads at all (a fast enough watcher hides an overflow
        # in a test, so the subscription itself is checked).
        from watchdog.observers.inotify_c import InotifyConstants

        quiet = InotifyConstants.IN_OPEN | InotifyConstants.IN_ACCESS | InotifyConstants.IN_CLOSE_NOWRITE
        emitters = list(live.PREVIEW.watchers[0].emitters)
        assert emitters and all(not (e.get_event_mask_from_filter() & quiet) for e in emitters)  # type: ignore[attr-defined]
        # 40,000 reads from other processes, as a build's workers of 10,000 pairs do: faster than
        # a watcher can take notices in, so the kernel's queue overflows if it gets them.
        reader = "import sys\nfor _ in range(800):\n    for name in sys.argv[1:]:\n        open(name, 'rb').read()\n"
        subprocess.run([sys.executable, "-c", reader, *map(str, files)], check=True, timeout=120)
        time.sleep(1.5)
        assert requests == []
        files[7].write_text("brief 7, edited\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not requests and time.monotonic() < deadline:
            time.sleep(0.02)
        assert requests
    finally:
        live.PREVIEW.close()
