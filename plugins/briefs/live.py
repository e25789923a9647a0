"""The live preview (``mkdocs serve``): generated pages from memory, the rest in the background.

A rebuild after an edit must be quick however large the archive is, so the
preview does not write the thousands of generated pages before it reloads the
browser: it renders each one when a browser asks for it, like Hugo's server
renders to memory. In the background it then writes every page to disk and
indexes them with Pagefind, so that search catches up a few seconds later;
the next rebuild cancels that work first.

MkDocs 1.x gets no more releases, so the few attributes of its live-reload
server used here (the epoch condition and the script injection) stay as they are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from mkdocs.livereload import LiveReloadServer

from .search import SearchIndexError
from .site import PageSpec

log = logging.getLogger("mkdocs.plugins.briefs")


class LivePages:
    """The generated pages of the latest build, by path below the site's root."""

    def __init__(
        self,
        page: Callable[[PageSpec], bytes],
        email: Callable[[PageSpec], bytes],
        pages: list[PageSpec],
        digests: list[PageSpec],
    ) -> None:
        self._page = page
        self._email = email
        self.pages = {spec.url: spec for spec in pages}
        self.emails = {f"{spec.url}email.html": spec for spec in digests}

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
                html = live.get(rest)
            except Exception:
                log.exception(f"Could not render {path}")
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [b"500 Internal Server Error: see the terminal running mkdocs serve"]
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
