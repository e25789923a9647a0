"""What a watcher of briefs/ says changed, so that the live preview's load looks only at that.

After a save the preview loads the whole archive again. Its memory of each
file (digest, listing, image size) is checked against the file's status, and at
10,000 pairs those 30,000 ``stat`` calls were a quarter of a rebuild. The
preview's file-system watcher already reports every file created, changed,
moved or deleted; between two loads, a file it did not report is as it was.

A notice is trusted only while it can be complete: from a load that began with
the watcher running, with every notice below the watched folder's own path,
no folder created, moved or deleted (whose files arrive without notices of
their own), and while the watcher says it is sound (it runs, watches the
folder that is there now, and every folder the last load walked). Otherwise,
and whenever the watcher may have missed something (the kernel's queue
overflowed), the next load looks at every file as a build does. Builds have no
watcher: they always look at every file.

What no watch of a folder reports: a second name made for a file from outside
briefs/ (a hard link, which the check refuses), and writes through that name. The
preview sees those at the file's next change; a build refuses the file at once.

What a load remembers of a changed path is forgotten when the load takes the
notice (:meth:`Notices.take`), whether or not that load asks about the path:
a notice is spent once, and a path a load did not look at (an image of a brief
that failed its checks) must not be vouched for later with what was known
before the change.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
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
        #: Whether the watcher is sound, given how many folders the last load walked.
        self._sound: Callable[[int], bool] = lambda folders: False
        self._folders = 0

    def watching(self, folder: str | None, sound: Callable[[int], bool] | None = None) -> None:
        """The watcher of ``folder`` started (or, with ``None``, stopped); ``sound`` says whether it still sees every change."""
        with self._lock:
            self._prefix = None if folder is None else os.path.join(os.fspath(folder), "")
            self._changed.clear()
            self._complete = False
            self._sound = sound or (lambda folders: False)
            self._folders = 0

    def walked(self, folders: int) -> None:
        """How many folders a load of the whole watched folder walked (each needs a watch of its own)."""
        self._folders = folders

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
            prefix, complete, changed, sound = self._prefix, self._complete, self._changed, self._sound
            self._changed = set()
            self._complete = prefix is not None
        if prefix is None:
            return None
        if not sound(self._folders):
            self.lost()
            return None
        if not complete:
            return None
        touched: set[str] = set()
        for path in changed:
            while path.startswith(prefix) and path not in touched:
                touched.add(path)
                path = os.path.dirname(path)
        return Vouched(prefix, frozenset(touched))
