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

What this process keeps from one rebuild to the next (MkDocs makes a new
plugin for each) is one object, :data:`PREVIEW`; the private parts of MkDocs'
live-reload server it needs are reached through internals.py.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from ..core.memory import MEMORY
from ..search.pagefind import SearchIndexError, build_index
from ..search.shards import BUNDLE_DIR, planned_shards, shard_keys
from ..search.slim import SlimStore
from ..site.kinds import PageKind
from ..site.plan import ListMemory, PageSpec, SitePlan
from .emails import EmailEditions
from .internals import replace_reload_script, request_rebuild, shorten_build_delay, wait_for_rebuild, with_reload_script
from .page_cache import page_key, site_fingerprint
from .previous import move_content
from .reload import RELOAD_PATH, RELOAD_SCRIPT, add_to_page
from .scratch import scratch_folder
from .writing import PageWriter, groups, output_path

log = logging.getLogger("mkdocs.plugins.briefs")

#: Seconds the background work of a rebuild waits for the browsers' reload to be served.
RELOAD_GRACE = 1.5


class LivePages:
    """The generated pages of the latest build, by path below the site's root."""

    def __init__(
        self,
        page: Callable[[PageSpec], bytes],
        email: Callable[[PageSpec], bytes],
        pages: list[PageSpec],
        digests: list[PageSpec],
        files: Iterable[Mapping[str, Callable[[], bytes]]] = (),
    ) -> None:
        self._page = page
        self._email = email
        self.pages = {spec.url: spec for spec in pages}
        self.emails = {f"{spec.url}email.html": spec for spec in digests}
        self._files = tuple(files)  # feeds and sitemap, cards, images: looked up in turn, the first holding a path wins
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
        if path not in self._made:
            make = next((layer[path] for layer in self._files if path in layer), None)
            if make is None:
                return None
            self._made[path] = make()
        return self._made[path]


def serve_live_pages(server: LiveReloadServer) -> None:
    """Answer requests for generated pages before the server looks on disk.

    Every HTML page the server sends, from memory or from disk, gets the
    preview's reload script and, after a failed build, its errors (reload.py).
    """
    PREVIEW.serving = True
    files = server.application
    mount = server.mount_path
    replace_reload_script(server, lambda html, epoch: add_to_page(html, epoch, PREVIEW.errors))

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if path == RELOAD_PATH:
            headers = [("Content-Type", "text/javascript"), ("Content-Length", str(len(RELOAD_SCRIPT)))]
            start_response("200 OK", [*headers, ("Cache-Control", "no-store")])
            return [RELOAD_SCRIPT]
        if PREVIEW.pages is not None and path.startswith(mount) and not path.startswith("/livereload/"):
            # As for files: wait for a rebuild under way, so the page matches the site.
            epoch = wait_for_rebuild(server)
            live, rest = PREVIEW.pages, path[len(mount) :]
            try:
                data = PREVIEW.index.file(rest)
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
                body = with_reload_script(server, html, epoch)
                start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
                return [body]
            if live.is_folder(rest):
                start_response("302 Found", [("Location", quote(path) + "/")])
                return []
        assert files is not None  # the server's own application, set before on_serve
        answer: Iterable[bytes] = files(environ, start_response)
        return answer

    server.set_app(application)


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
            self.store = SlimStore(scratch_folder("briefs-preview-index-"))
        fingerprint = site_fingerprint(writer.config)
        briefs = [spec for spec in pages if spec.kind is PageKind.BRIEF]
        keys: dict[str, str] = {}
        for number, spec in enumerate(briefs):
            # A second of work at 10,000 pairs, in the interpreter the writer's next rebuild needs: it stops at once.
            if number % 256 == 0 and cancelled.is_set():
                return None
            keys[spec.src_uri] = page_key(fingerprint, spec)
        copies = {output_path(uri): key for uri, key in keys.items()}
        stale = self.store.stale(copies)
        writer.slim_dir = self.store.folder
        todo = pages if site_dir is not None else [spec for spec in briefs if output_path(spec.src_uri) in stale]
        written: list[str] = []
        writer.write_share(site_dir, groups(todo), 0, 1, cancelled=cancelled, written=written)
        if cancelled.is_set():
            # The copies written before the cancel stand: the next refresh goes on from them.
            self.store.vouch({output_path(uri): keys[uri] for uri in written if uri in keys})
            return None
        self.store.finish(copies)
        self.keys = keys
        return self.store.folder

    def close(self) -> None:
        if self.store is not None:
            shutil.rmtree(self.store.folder, ignore_errors=True)
        self.store, self.keys = None, {}


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
            self.folder = scratch_folder("briefs-preview-search-")
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


def remove_later(folder: Path) -> None:
    """Delete a scratch folder nothing reads any more, without holding up the next rebuild.

    By a process of its own at low priority where the system has ``rm``: a thread deleting
    a site's tens of thousands of files holds the interpreter the rebuilds need for seconds.
    """
    PREVIEW.removals[:] = [removal for removal in PREVIEW.removals if removal.running()]
    PREVIEW.removals.append(_Removal(folder))


class _Removal:
    """One folder being deleted: by ``nice rm -rf``, or by a thread where there is none."""

    def __init__(self, folder: Path) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        # The system's own programs, not whatever a PATH of the moment names first.
        rm, nice = (path if os.access(path, os.X_OK) else None for path in ("/bin/rm", "/usr/bin/nice"))
        if rm is not None:
            command = [*([nice, "-n", "19"] if nice else []), rm, "-rf", "--", str(folder)]
            quiet = subprocess.DEVNULL
            self.process = subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, close_fds=True)
        else:
            self.thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True)
            self.thread.start()

    def running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return self.thread is not None and self.thread.is_alive()

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
        elif self.thread is not None:
            self.thread.join()


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


#: Where watchdog's observers log (an overflowed inotify queue among it).
_WATCHDOG_LOG = "watchdog.observers"
# Events that change what a build reads; watchdog also reports files being
# opened and read, which every build does to every brief. An attribute's change
# is one too: a file's links (a second name is refused) and who may read it.
_CHANGES = {"created", "deleted", "modified", "moved", "attrib"}
#: What the kernel is asked to report. Not opening and reading a file: each build reads every
#: brief, and at 10,000 pairs those 40,000 notices overflow the kernel's queue, whose recovery
#: (walking every folder again) reports changes, and the preview rebuilt without end.
_SUBSCRIBED = (
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    DirAttribEvent,
)


class _Changes(FileSystemEventHandler):
    def __init__(self, server: LiveReloadServer) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder's own "modified" only echoes a change of a file in it; a folder
        # created, deleted or moved (a brief moved out of briefs/) is a change itself.
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        if event.is_directory:
            MEMORY.notices.lost()  # the files of a folder that came, went or changed have no notices of their own
        else:
            MEMORY.notices.changed(*(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p))
        PREVIEW.cancel_background()  # its thread would share the interpreter with the rebuild until then
        request_rebuild(self.server)


class _Overflow(logging.Handler):
    """Watchdog's only word that the kernel dropped notices is a log record: then the next load looks at every
    file, and that load happens now (the change that overflowed the queue may have no notice left)."""

    def __init__(self, server: LiveReloadServer) -> None:
        super().__init__(logging.WARNING)
        self.server = server
        self.later: list[threading.Timer] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.look_again()
            # The watches are made again after this record: what changes meanwhile has no notice either.
            later = threading.Timer(_RECONCILED, self.look_again)
            later.daemon = True
            later.start()
            self.later.append(later)

    def look_again(self) -> None:
        MEMORY.notices.lost()
        request_rebuild(self.server)

    def close(self) -> None:
        for later in self.later:
            later.cancel()
        super().close()


#: Seconds after an overflow by which watchdog has watched every folder again (it walks them all).
_RECONCILED = 3.0


def _watches() -> int | None:
    """How many folders this process's inotify instances watch (Linux's /proc), or None where that cannot be told."""
    try:
        count = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") != "anon_inode:inotify":
                    continue
                with open(f"/proc/self/fdinfo/{fd}", "rb") as info:
                    count += sum(1 for line in info if line.startswith(b"inotify wd:"))
            except OSError:
                continue  # closed meanwhile
        return count
    except OSError:
        return None


def _soundness(observer: Any, path: str) -> Callable[[int], bool]:
    """Whether ``observer`` still sees every change below ``path``, given how many folders a load walked.

    Watchdog leaves a folder unwatched without a word when the kernel's limit of
    watches is reached, and keeps watching a folder moved away (``git checkout``
    of a branch without it, ``mv briefs old``) while another takes its place.
    """
    root = os.stat(path)
    identity = (root.st_dev, root.st_ino)
    # The watches are counted again only when the walk found another number of folders: a folder
    # that comes or goes is a notice of its own (which makes a load walk them all).
    counted = [-1]

    def sound(folders: int) -> bool:
        try:
            now = os.stat(path)
        except OSError:
            return False
        if (now.st_dev, now.st_ino) != identity or not observer.is_alive():
            return False
        if not all(emitter.is_alive() for emitter in observer.emitters):
            return False
        if folders != counted[0]:
            watches = _watches()
            if watches is None or watches < folders:
                return False
            counted[0] = folders
        return True

    return sound


def watch_changes(server: LiveReloadServer, path: str) -> None:
    """Rebuild when a file below ``path`` changes, as told by the operating system.

    MkDocs polls its watched folders every half second, walking all of them:
    for thousands of briefs that delays the rebuild and slows it down. The
    kernel's notifications (inotify, FSEvents) arrive at once; where they are
    not available (too many folders for the inotify limit, say) MkDocs polls.
    """

    # An editor's save is a burst of events a few milliseconds long (write, rename):
    # a writer waiting for the page need not wait a tenth of a second more.
    shorten_build_delay(server, 0.03)
    observer = Observer()
    try:
        observer.schedule(_Changes(server), path, recursive=True, event_filter=list(_SUBSCRIBED))
        observer.start()
    except OSError as exc:
        log.info(f"Polling {path} for changes ({exc})")
        server.watch(path)
        return
    PREVIEW.watchers.append(observer)
    overflow = _Overflow(server)
    logging.getLogger(_WATCHDOG_LOG).addHandler(overflow)
    PREVIEW.log_handlers.append(overflow)
    # From the next load on, a file the observer reports no change of is not looked at again: where the
    # kernel's notices are inotify's, whose watches can be counted against the folders a load walks.
    if _watches():
        MEMORY.notices.watching(path, _soundness(observer, path))


def preview_background(
    writer: PageWriter,
    site_dir: Path,
    framed: list[PageSpec],
    emails: EmailEditions,
    plan: SitePlan,
    languages: list[str],
    search: bool,
    cancelled: threading.Event,
) -> None:
    """The live preview's pages for search (and for disk, before pages are served from memory)."""
    briefs = [spec for spec in framed if spec.kind is PageKind.BRIEF]
    copies = PREVIEW.slim_copies
    # The browsers reload now: their requests come first (this thread would hold the interpreter meanwhile).
    if PREVIEW.serving and cancelled.wait(RELOAD_GRACE):
        return
    if not PREVIEW.serving:
        # The first build runs before the server exists: every page is written,
        # and the brief pages cut down for search in the same pass.
        folder = copies.refresh(writer, framed, cancelled, site_dir)
        emails.write(site_dir, {}, None, None)  # the preview keeps nothing from build to build
    elif search:
        # Browsers get pages from memory: only search needs them, cut down, outside the site.
        folder = copies.refresh(writer, briefs, cancelled)
    else:
        return
    if folder is None or not search:
        return
    shards = shard_keys(briefs, copies.keys)
    kept = PREVIEW.index.keep(shards)
    planned = planned_shards(plan.pages)
    output = PREVIEW.index.folder
    build_index(
        site_dir, languages, set(planned), output=output, cancelled=cancelled, prepared=folder, kept=kept, planned=planned
    )
    if not cancelled.is_set():
        PREVIEW.index.done(shards)


class LivePreview:
    """Everything the live preview keeps in this process from one rebuild to the next.

    ``mkdocs serve`` makes a new plugin instance on every rebuild, so what must
    outlive a build (the pages being served, the background job, the slim
    copies and index search reads, compiled templates) lives here.
    """

    def __init__(self) -> None:
        #: The generated pages of the latest build, served from memory.
        self.pages: LivePages | None = None
        #: Whether a live-reload server answers with :attr:`pages`.
        self.serving = False
        #: The findings of the last build when it failed (as the terminal prints them); shown over every page.
        self.errors: list[str] = []
        #: The latest build's background job, its cancel flag, and whether it writes into the site folder.
        self.background: tuple[threading.Thread, threading.Event, bool] | None = None
        #: A cancelled job still winding down; the next job waits for it (they share the slim copies and the index).
        self.stopping: threading.Thread | None = None
        self.slim_copies = SlimCopies()
        self.index = PreviewIndex()
        #: Scratch folders being deleted, and the file-system observers.
        self.removals: list[_Removal] = []
        self.watchers: list[Any] = []
        #: What listens for the observers' word that notices were lost.
        self.log_handlers: list[logging.Handler] = []
        #: The last plan's lists, for a rebuild after a save that changes none of them.
        self.lists = ListMemory()
        #: Compiled templates by the options they were compiled under (bytecode.py).
        self.templates: dict[tuple[object, ...], Any] = {}
        #: The theme's files in installed packages, listed once (theme_files.py).
        self.theme_files: dict[str, list[str]] = {}
        #: The collection that follows a rebuild, once its browsers have reloaded.
        self.collection: threading.Timer | None = None

    def pause_collector(self) -> None:
        """Before a rebuild: no collector passes while it runs.

        A rebuild makes hundreds of thousands of objects, and the collector's
        passes over them took a third of its time at 2,000 pairs; the writer
        waits for none of that if it runs after the reload (see :meth:`collect_later`).
        """
        if self.collection is not None:
            self.collection.cancel()
            self.collection = None
        gc.disable()

    def collect_later(self) -> None:
        """After a rebuild: collect once the browsers have reloaded, then let the collector run as usual again."""

        def collect() -> None:
            gc.collect()
            gc.enable()

        self.collection = threading.Timer(RELOAD_GRACE, collect)
        self.collection.daemon = True
        self.collection.start()

    def publish(self, pages: LivePages) -> None:
        """Make a finished build's pages the ones the preview serves."""
        self.pages = pages

    def start_background(self, job: Callable[[threading.Event], None]) -> None:
        """Run ``job`` in a thread that the next build can stop (through the event it gets)."""
        cancelled = threading.Event()
        previous, self.stopping = self.stopping, None

        def run() -> None:
            if previous is not None:
                previous.join()
            try:
                job(cancelled)
            except (SearchIndexError, OSError) as exc:
                log.warning(f"Search index not updated: {exc}")

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.background = (thread, cancelled, not self.serving)

    def cancel_background(self) -> None:
        """Tell the last build's background job to stop, as soon as a file changes (:meth:`stop_background` follows)."""
        if self.background is not None:
            self.background[1].set()

    def stop_background(self) -> None:
        """Cancel the last build's background job.

        Only the first build's job, which writes pages into the site folder, is
        waited for here: a later one writes outside it, so the rebuild a writer
        waits for goes on while it winds down (up to a tenth of a second while
        Pagefind is stopped), and the next job waits for it instead.
        """
        if self.background is None:
            return
        thread, cancelled, writes_site = self.background
        cancelled.set()
        if writes_site:
            thread.join()
        else:
            self.stopping = thread
        self.background = None

    def close(self) -> None:
        """The preview ends: stop watching and background work, remove scratch folders."""
        MEMORY.notices.watching(None)
        while self.watchers:
            observer = self.watchers.pop()
            observer.stop()
            observer.join()
        while self.log_handlers:
            handler = self.log_handlers.pop()
            logging.getLogger(_WATCHDOG_LOG).removeHandler(handler)
            handler.close()
        self.stop_background()
        if self.stopping is not None:
            self.stopping.join()
            self.stopping = None
        if self.collection is not None:
            self.collection.cancel()
        gc.enable()
        self.slim_copies.close()
        self.index.close()
        while self.removals:
            self.removals.pop().wait()


PREVIEW = LivePreview()
