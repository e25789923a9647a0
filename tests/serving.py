"""A real ``mkdocs serve`` in a child process, stopped with Ctrl-C as a writer stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from browser import free_port


def fetch(url: str) -> str:
    """A page's text, or "" when the server answers with an error or not at all."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


@contextmanager
def mkdocs_serve(cwd: Path, briefs: Path, log: Path, scratch: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``mkdocs serve`` of the site in ``cwd`` over ``briefs``; yields its base URL once it answers.

    ``scratch`` is the server's TMPDIR, so that a test can see it removes its
    temporary folders on the way out.
    """
    port = free_port()
    env = {**os.environ, "BRIEFS_DIR": str(briefs), "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch), **(env or {})}
    # faulthandler: a server that does not stop prints where each thread is (see below)
    command = [sys.executable, "-X", "faulthandler", "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        # Ctrl-C reaches the server even when the tests run as a background job (which ignores it)
        default_interrupt = partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=default_interrupt)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=20)
            raise AssertionError("mkdocs serve did not stop on Ctrl-C:\n" + log.read_text()[-8000:]) from None
