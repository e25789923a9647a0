"""A content-addressed disk cache for work that depends only on its inputs.

Keys are SHA-256 digests of everything a result depends on (the file's bytes,
the settings, the plugin's own source), so an entry can never be stale: when
anything changes, the key changes and the old entry is simply not found.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__

PACKAGE_DIR = Path(__file__).parent


def digest(*parts: bytes | str) -> str:
    """SHA-256 of the parts, each length-prefixed so that ("ab", "c") != ("a", "bc").

    >>> digest("ab", "c") != digest("a", "bc")
    True
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """The plugin's version and every file it ships (code, templates, catalogs, assets).

    A development checkout changes files without changing the version; hashing
    them keeps the cache honest there too.
    """
    parts: list[bytes | str] = [__version__]
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(PACKAGE_DIR).as_posix(), path.read_bytes()]
    return digest(*parts)


#: Entries already read in this process, for caches that ask for it: `mkdocs serve`
#: rebuilds in one process, so an unchanged brief is not even unpickled again.
_MEMORY: dict[tuple[str, str], Any] = {}


class DiskCache:
    """``key -> pickled value`` files under ``folder/<namespace>/``; ``None`` folder disables it."""

    def __init__(self, folder: Path | None, namespace: str, *, remember: bool = False) -> None:
        self.folder = folder / namespace if folder else None
        self.namespace = namespace
        self.remember = remember

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        if self.remember and (self.namespace, key) in _MEMORY:
            return _MEMORY[(self.namespace, key)]
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        if self.remember:
            _MEMORY[(self.namespace, key)] = value
        return value

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so that a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        if self.remember:
            _MEMORY[(self.namespace, key)] = value

    def keep(self, key: str, value: Any) -> None:
        """Keep an entry another process has written, for later builds of this one."""
        if self.folder is not None and self.remember:
            _MEMORY[(self.namespace, key)] = value

    def get_bytes(self, key: str) -> bytes | None:
        value = self.get(key)
        return value if isinstance(value, bytes) else None
