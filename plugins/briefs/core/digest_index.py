"""The digest of every brief file and image, kept from one process to the next as git keeps its index.

A cache entry of a checked file is found by the digest of the file's bytes, so
a build in a new process read and hashed all of them (at 10,000 pairs 20,000
briefs and 2,000 photos: about a second) before it could take a single entry.
The digests of the last full load are kept in one sealed entry, each with the
file's status when it was read: a file whose status is as it was, the change
time included (no tool can set it back), has the same bytes, so it is not read.
Only digests read when the status was already settled are kept (see
:func:`~briefs.core.corpus.file_digest`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .cache import DiskCache, digest, trusted_folder
from .codec import Codec
from .memory import MEMORY
from .settings import Settings

#: Path -> modification and change time (ns), size, inode, digest.
Index = dict[str, tuple[int, int, int, int, str]]
INDEX: Codec[Index] = Codec(Index)


def _store(settings: Settings) -> tuple[DiskCache[Index], str] | None:
    folder = trusted_folder(settings.cache_dir)
    if folder is None:
        return None
    return DiskCache(folder, "digests", INDEX), digest("file digests", os.fspath(settings.briefs_dir))


def recall_digests(settings: Settings) -> Index | None:
    """At a process's first load: the digests the last one kept, taken into this one's memory (None: no cache)."""
    found = _store(settings)
    if found is None:
        return None
    store, key = found
    kept = store.get(key) or {}
    for name, (mtime, ctime, size, inode, value) in kept.items():
        MEMORY.digests.setdefault(Path(name), ((mtime, ctime, size, inode), value, True))
    return kept


def keep_digests(settings: Settings, paths: Iterable[Path], recalled: Index) -> None:
    """After that load: the settled digests of ``paths`` (the archive's files), for the next process."""
    found = _store(settings)
    if found is None:
        return
    store, key = found
    index: Index = {}
    for path in paths:
        known = MEMORY.digests.get(path)
        if known is not None and known[2]:
            index[os.fspath(path)] = (*known[0], known[1])
    if index != recalled:
        store.put(key, index)
