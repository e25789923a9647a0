"""The live preview (``mkdocs serve``): generated pages from memory, the rest in the background.

A rebuild after an edit must be quick however large the archive is, so the
preview does not write the thousands of generated pages before it reloads the
browser: it renders each one when a browser asks for it, like Hugo's server
renders to memory. In the background it then renders the brief pages that
changed, cut down for Pagefind, and indexes their quarters again, so that
search catches up a second or two later; the next rebuild cancels that work
first. The index lives outside the site folder (which each rebuild empties), so
search keeps working meanwhile. (The first build runs before the server
exists: it writes every page to disk, in the background.)

MkDocs 1.x gets no more releases, so the few attributes of its live-reload
server used here (the epoch and rebuild conditions, the script injection) stay
as they are.
"""

from __future__ import annotations

import logging
import mimetypes
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..search.pagefind import SearchIndexError
from ..search.shards import BUNDLE_DIR
from ..search.slim import SlimStore
from ..site.plan import PageSpec
from .page_cache import page_key, site_fingerprint
from .previous import move_content
from .writing import PageWriter, groups, output_path

log = logging.getLogger("mkdocs.plugins.briefs")


class LivePages:
    """The generated pages of the latest build, by path below the site's root."""

    def __init__(
        self,
        page: Callable[[PageSpec], bytes],
        email: Callable[[PageSpec], bytes],
        pages: list[PageSpec],
        digests: list[PageSpec],
        files: dict[str, Callable[[], bytes]] | None = None,
    ) -> None:
        self._page = page
        self._email = email
        self.pages = {spec.url: spec for spec in pages}
        self.emails = {f"{spec.url}email.html": spec for spec in digests}
        self._files = files or {}
        self._made: dict[str, bytes] = {}

    def is_folder(self, path: str) -> bool:
        """Whether ``path`` names a generated page without its closing ``/``."""
        return f"{path.lstrip('/')}/" in self.pages

    def get(self, path: str) -> bytes | None:
        """The HTML for ``path`` (``en/2026/01/23/slug/``), or None when it is not a generated page."""
        path = path.lstrip("/")
        path = path.removesuffix("index.html") if path.endswith("/index.html") or path == "index.html" else path
        if path in self.emails:
            return self._email(self.emails[path])
        spec = self.pages.get(path)
        return self._page(spec) if spec is not None else None

    def file(self, path: str) -> bytes | None:
        """A feed, the sitemap or robots.txt, made on the first request after the build."""
        path = path.lstrip("/")
        if path not in self._files:
            return None
        if path not in self._made:
            self._made[path] = self._files[path]()
        return self._made[path]


_LIVE: LivePages | None = None
_SERVING = False


def serving_from_memory() -> bool:
    """Whether a live-reload server answers with the pages of :func:`publish`."""
    return _SERVING


def publish(pages: LivePages) -> None:
    """Make a finished build's pages the ones the preview serves."""
    global _LIVE
    _LIVE = pages


def serve_live_pages(server: LiveReloadServer) -> None:
    """Answer requests for generated pages before the server looks on disk."""
    global _SERVING
    _SERVING = True
    files = server.application
    mount = server.mount_path

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if _LIVE is not None and path.startswith(mount) and not path.startswith("/livereload/"):
            # As for files: wait for a rebuild under way, so the page matches the site.
            with server._epoch_cond:
                server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
                epoch = server._visible_epoch
            live, rest = _LIVE, path[len(mount) :]
            try:
                data = PREVIEW_INDEX.file(rest)
                data = live.file(rest) if data is None else data
                html = live.get(rest) if data is None else None
            except Exception:
                log.exception(f"Could not render {path}")
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [b"500 Internal Server Error: see the terminal running mkdocs serve"]
            if data is not None:
                kind = mimetypes.guess_type(rest)[0] or "application/octet-stream"
                start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
                return [data]
            if html is not None:
                body = server._inject_js_into_html(html, epoch)
                start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
                return [body]
            if live.is_folder(rest):
                start_response("302 Found", [("Location", quote(path) + "/")])
                return []
        return files(environ, start_response)  # type: ignore[no-any-return]

    server.set_app(application)


# The background work of the latest build: it outlives the build that started it,
# and the next build stops it before it changes anything the work reads.
_BACKGROUND: tuple[threading.Thread, threading.Event] | None = None


def start_background(job: Callable[[threading.Event], None]) -> None:
    """Run ``job`` in a thread that the next build can stop (through the event it gets)."""
    global _BACKGROUND
    cancelled = threading.Event()

    def run() -> None:
        try:
            job(cancelled)
        except (SearchIndexError, OSError) as exc:
            log.warning(f"Search index not updated: {exc}")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    _BACKGROUND = (thread, cancelled)


def stop_background() -> None:
    global _BACKGROUND
    if _BACKGROUND is not None:
        thread, cancelled = _BACKGROUND
        cancelled.set()
        thread.join()
        _BACKGROUND = None


class SlimCopies:
    """The preview's brief pages cut down for Pagefind, kept from one rebuild to the next.

    After an edit only the pages whose key changed are rendered again, so that
    search catches up in a few seconds without taking the processor from the
    writer's next rebuild. The copies are a :class:`SlimStore` in a scratch folder.
    """

    def __init__(self) -> None:
        self.store: SlimStore | None = None
        self.keys: dict[str, str] = {}  # src_uri -> page key, of the copies the last refresh left

    def refresh(
        self, writer: PageWriter, pages: list[PageSpec], cancelled: threading.Event, site_dir: Path | None = None
    ) -> Path | None:
        """Render again the brief pages whose key changed: the folder, or None when cancelled.

        With ``site_dir``, every page of ``pages`` is written there as well, in
        the same pass (the first build, before pages are served from memory).
        """
        if self.store is None:
            self.store = SlimStore(Path(tempfile.mkdtemp(prefix="briefs-preview-index-")))
        fingerprint = site_fingerprint(writer.config)
        briefs = [spec for spec in pages if spec.kind == "brief"]
        keys = {spec.src_uri: page_key(fingerprint, spec) for spec in briefs}
        copies = {output_path(uri): key for uri, key in keys.items()}
        stale = self.store.stale(copies)
        writer.slim_dir = self.store.folder
        todo = pages if site_dir is not None else [spec for spec in briefs if output_path(spec.src_uri) in stale]
        writer.write_share(site_dir, groups(todo), 0, 1, cancelled=cancelled)
        if cancelled.is_set():
            return None
        self.store.finish(copies)
        self.keys = keys
        return self.store.folder

    def close(self) -> None:
        if self.store is not None:
            shutil.rmtree(self.store.folder, ignore_errors=True)
        self.store, self.keys = None, {}


SLIM_COPIES = SlimCopies()


class PreviewIndex:
    """The preview's search index, outside the site folder, kept from one rebuild to the next.

    After an edit only the shards (quarters) whose pages changed are indexed
    again; the preview serves ``pagefind/`` from here (see :func:`serve_live_pages`).
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.keys: dict[str, str] = {}  # shard folder (pagefind/en/2025-04) -> key it was made under

    def keep(self, shards: dict[str, str]) -> dict[str, set[str]]:
        """The shards (by language) of ``shards`` (folder -> key) made under the same key.

        The others are indexed again, and served as they were until then (see
        PagefindRun); shards no longer in ``shards`` are deleted.
        """
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="briefs-preview-search-"))
        kept: dict[str, set[str]] = {}
        for folder, key in self.keys.items():
            if shards.get(folder) == key and (self.folder / folder).is_dir():
                lang, shard = folder.split("/")[-2:]
                kept.setdefault(lang, set()).add(shard)
            elif folder not in shards:
                shutil.rmtree(self.folder / folder, ignore_errors=True)
        self.keys = {}  # until done(): a cancelled job leaves nothing vouched for
        return kept

    def done(self, shards: dict[str, str]) -> None:
        self.keys = dict(shards)

    def file(self, path: str) -> bytes | None:
        """A file of the index (``pagefind/…``), or None."""
        if self.folder is None or not path.startswith(f"{BUNDLE_DIR}/"):
            return None
        root = self.folder.resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target.read_bytes()

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.keys = None, {}


PREVIEW_INDEX = PreviewIndex()
_REMOVALS: list[threading.Thread] = []


def remove_later(folder: Path) -> None:
    """Delete a scratch folder nothing reads any more, without holding up the next rebuild."""
    _REMOVALS[:] = [t for t in _REMOVALS if t.is_alive()]
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _REMOVALS.append(thread)


def clear_later(site_dir: Path) -> None:
    """Empty ``site_dir`` now and delete what it held in the background.

    MkDocs empties the site folder before each build; in the preview it holds
    the last search index and, after the first build, every page, which takes
    a while to delete. Moving it aside is one rename per entry.
    """
    if not site_dir.is_dir():
        return
    trash = Path(tempfile.mkdtemp(prefix="briefs-old-site-", dir=site_dir.parent))
    move_content(site_dir, trash)  # what stays (another file system), MkDocs deletes itself
    remove_later(trash)


def finish_removals() -> None:
    """Wait for the folders of :func:`remove_later` to be gone (the preview is ending)."""
    while _REMOVALS:
        _REMOVALS.pop().join()


# Events that change what a build reads; watchdog also reports files being
# opened and read, which every build does to every brief.
_CHANGES = {"created", "deleted", "modified", "moved"}
_WATCHERS: list[Any] = []


def watch_changes(server: LiveReloadServer, path: str) -> None:
    """Rebuild when a file below ``path`` changes, as told by the operating system.

    MkDocs polls its watched folders every half second, walking all of them:
    for thousands of briefs that delays the rebuild and slows it down. The
    kernel's notifications (inotify, FSEvents) arrive at once; where they are
    not available (too many folders for the inotify limit, say) MkDocs polls.
    """

    def changed(event: FileSystemEvent) -> None:
        # A folder's own "modified" only echoes a change of a file in it; a folder
        # created, deleted or moved (a brief moved out of briefs/) is a change itself.
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    observer = Observer()
    try:
        observer.schedule(handler, path, recursive=True)
        observer.start()
    except OSError as exc:
        log.info(f"Polling {path} for changes ({exc})")
        server.watch(path)
        return
    _WATCHERS.append(observer)


def stop_watching() -> None:
    while _WATCHERS:
        observer = _WATCHERS.pop()
        observer.stop()
        observer.join()
