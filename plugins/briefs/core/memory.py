"""What this process remembers from one load of the briefs to the next.

``mkdocs serve`` rebuilds in one process, with a new plugin each time: what
lets a rebuild after one edit read only that file lives here, in one object,
rather than in module globals spread over the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .notices import Notices, Vouched

T = TypeVar("T")

#: A file's status when it was read: modification and change time (ns), size, inode.
FileStatus = tuple[int, int, int, int]


@dataclass
class ProcessMemory:
    #: Markdown renderers by the options they were made with (making one loads every extension).
    renderers: dict[str, Any] = field(default_factory=dict)
    #: Digests of brief files and images by path, with the file's status when read and whether it was settled then.
    digests: dict[Path, tuple[FileStatus, str, bool]] = field(default_factory=dict)
    #: Cache entries already decoded, by ``(namespace, key)``, for caches that ask for it.
    entries: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: Why a file beside a brief may not be published (or None), by path, with the file's status when checked.
    assets: dict[Path, tuple[FileStatus, tuple[str, str, str] | None]] = field(default_factory=dict)
    #: Each checked raster image's upright size, by path, with the file's status when read.
    sizes: dict[Path, tuple[FileStatus, Any]] = field(default_factory=dict)
    #: What a folder below briefs/ held, by path, with the folder's modification time and inode when listed.
    listings: dict[Path, tuple[tuple[int, int], list[tuple[str, str]]]] = field(default_factory=dict)
    #: What a walk found in each folder (its Markdown files, other files, refusals, subfolders), by path, as ``listings``.
    walked: dict[Path, tuple[tuple[int, int], Any]] = field(default_factory=dict)
    #: Each folder's brief versions and findings, by path, with what they were worked out from.
    briefs_in: dict[Path, tuple[Any, Any]] = field(default_factory=dict)
    #: What each pair's versions said of each other, by folder, with the briefs and options they were checked with.
    pair_checks: dict[Path, tuple[Any, Any, Any]] = field(default_factory=dict)
    #: What each brief folder gave the last load, by folder, with the options it was loaded under (corpus.py).
    folder_loads: dict[Path, tuple[Any, Any]] = field(default_factory=dict)
    #: Each checked file's cache key, by what it is made of (the check's context, the file's place and digest).
    file_keys: dict[tuple[str, str, str, str, str], str] = field(default_factory=dict)
    #: What the live preview's watcher reported since the last load began (notices.py).
    notices: Notices = field(default_factory=Notices)
    #: During a load: the files and folders it may take as the last load saw them, without looking.
    vouched: Vouched | None = None

    def forget_paths(self, paths: Iterable[str]) -> None:
        """Drop what is known of files and folders that changed (their paths as text)."""
        for path in map(Path, paths):
            for known in (self.digests, self.assets, self.sizes, self.listings):
                known.pop(path, None)

    def forget_loads(self) -> None:
        """Drop what only the next load would use: checked files (their YAML positions, their findings) and
        what each folder gave. A build that loads once frees them for the rest of its work."""
        self.entries.clear()
        self.pair_checks.clear()
        self.folder_loads.clear()
        self.file_keys.clear()


MEMORY = ProcessMemory()


def remembered(owner: object, name: str, make: Callable[[], T]) -> T:
    """``make()``, worked out once per ``owner`` (a frozen brief) and kept on it, as ``cached_property`` does.

    The live preview reuses checked briefs from one rebuild to the next (the
    cache's memory): what is derived from a brief alone is derived once.
    """
    state = owner.__dict__
    if name not in state:
        state[name] = make()
    value: T = state[name]
    return value
