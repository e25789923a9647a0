"""What a watcher of briefs/ says changed, so that the live preview's load looks only at that.

After a save the preview loads the whole archive again. Its memory of each
file (digest, listing, image size) is checked against the file's status, and at
10,000 pairs those 30,000 ``stat`` calls were a quarter of a rebuild. The
preview's file-system watcher already reports every file created, changed,
moved or deleted; between two loads, a file it did not report is as it was.

A notice is trusted only while it can be complete: from a load that began with
the watcher running, with every notice below the watched folder's own path,
and no folder created, moved or deleted (whose files arrive without notices of
their own). Otherwise, and whenever the watcher may have missed something (the
kernel's queue overflowed), the next load looks at every file as a build does.
Builds have no watcher: they always look at every file.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Vouched:
    """For one load: the paths below ``prefix`` that are as the last load saw them (all but ``touched``)."""

    prefix: str
    #: The changed paths and every folder above them (a folder's listing changes with its files).
    touched: frozenset[str]

    def unchanged(self, path: Path | str) -> bool:
        name = os.fspath(path)
        return name.startswith(self.prefix) and name not in self.touched


class Notices:
    """The watcher's notices since the last load began; written from the watcher's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prefix: str | None = None
        self._changed: set[str] = set()
        #: Whether every change since the last load began has a notice.
        self._complete = False

    def watching(self, folder: str | None) -> None:
        """The watcher of ``folder`` started (or, with ``None``, stopped)."""
        with self._lock:
            self._prefix = None if folder is None else os.path.join(os.fspath(folder), "")
            self._changed.clear()
            self._complete = False

    def changed(self, *paths: str) -> None:
        """Files created, changed, moved (both paths) or deleted."""
        with self._lock:
            for path in paths:
                if self._prefix is None or not path.startswith(self._prefix):
                    # Not a path the load builds (a resolved link, another spelling): no notice is to be trusted.
                    self._complete = False
                self._changed.add(path)

    def lost(self) -> None:
        """Something may have changed without a notice per file: the next load looks at everything."""
        with self._lock:
            self._complete = False

    def take(self) -> Vouched | None:
        """At the start of a load: what it may take as unchanged, or ``None`` to look at every file.

        From here on, notices gather for the next load.
        """
        with self._lock:
            prefix, complete, changed = self._prefix, self._complete, self._changed
            self._changed = set()
            self._complete = prefix is not None
        if prefix is None or not complete:
            return None
        touched: set[str] = set()
        for path in changed:
            while path.startswith(prefix) and path not in touched:
                touched.add(path)
                path = os.path.dirname(path)
        return Vouched(prefix, frozenset(touched))
