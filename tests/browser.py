"""Headless Chromium (Debian's) driven by Playwright, against a site served on 127.0.0.1; the servers' helpers."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is required for browser tests: apt-get install chromium (.ci/run does)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def running(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server of ``handler`` on a free port of 127.0.0.1, in a thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serve(directory: Path) -> AbstractContextManager[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL."""
    return running(functools.partial(_QuietHandler, directory=str(directory)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll ``condition`` (a server starting, a rebuild showing) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@contextmanager
def browser() -> Iterator[object]:
    """A Playwright browser on Debian's chromium with an empty profile."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="briefs-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_FLAGS,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def wait_until(page: object, expression: str, timeout: float = 10) -> None:
    """Poll a JavaScript expression until it is true.

    Playwright's own ``wait_for_function`` evaluates strings with ``eval``,
    which the site's Content-Security-Policy rightly forbids.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):  # type: ignore[attr-defined]
            return
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout}s: {expression}")
