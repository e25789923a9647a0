"""A content-addressed disk cache for work that depends only on its inputs.

Keys are SHA-256 digests of everything a result depends on (the file's bytes,
the settings, the plugin's own source), so an entry can never be stale: when
anything changes, the key changes and the old entry is simply not found.

Keys are computed from the repository, which anyone can write to through a
pull request, and the cache folder sits in the work tree. So nothing read from
it is trusted for what it is: an entry is data (see codec.py), never code; it
is sealed with an HMAC under a secret key kept outside the work tree (see
:func:`secret_key`), and read only when the seal verifies; and a cache folder
that git tracks (one that came with the checkout) is not used at all. Whatever
is unreadable, forged or of the wrong shape is a miss, and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from .. import __version__
from .codec import Codec, CodecError
from .findings import printable
from .memory import MEMORY

PACKAGE_DIR = Path(__file__).parent.parent
#: The plugin's logger (the ``briefs`` command has no handler for it: Python prints its warnings).
log = logging.getLogger("mkdocs.plugins.briefs")

T = TypeVar("T")


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


# The secret key.

KEY_BYTES = 32
#: Keys by the file they came from (None: there is no place for one), read once per process.
_KEYS: dict[Path | None, bytes] = {}


def key_file() -> Path | None:
    """Where the secret key lives: ``$BRIEFS_CACHE_KEY_FILE``, else ``$XDG_CACHE_HOME/briefs/key``,
    else ``~/.cache/briefs/key``: the user's, never the work tree's."""
    explicit = os.environ.get("BRIEFS_CACHE_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):  # the XDG rule: a relative value is ignored
        return Path(base) / "briefs" / "key"
    try:
        return Path.home() / ".cache" / "briefs" / "key"
    except RuntimeError:  # no home folder
        return None


def secret_key() -> bytes:
    """The key that seals cache entries: made on first use, then read once per process.

    Without a usable key file the process makes a key of its own: its cache
    works within the process (the live preview), and what it reads from disk
    never verifies, so it is written again.
    """
    path = key_file()
    if path not in _KEYS:
        _KEYS[path] = _load_key(path)
    return _KEYS[path]


def _load_key(path: Path | None) -> bytes:
    """The key in ``path``, else (none can be had, or it came with the checkout) a key of this process alone."""
    if path is not None and tracked_files(path):
        log.warning(
            f"Briefs: git tracks the cache key {path}; a key that comes with the checkout is no secret, so it is not used"
        )
        return secrets.token_bytes(KEY_BYTES)
    try:
        return _read_key(path)
    except OSError as error:
        # INFO, not a warning: the build is right all the same, and --strict must pass.
        log.info(f"Briefs: no cache key at {path} ({error}): this run cannot read what earlier runs cached")
        return secrets.token_bytes(KEY_BYTES)


def _read_key(path: Path | None) -> bytes:
    """The key in ``path``, made there when there is none; OSError when there is no usable one."""
    if path is None:
        raise OSError("there is no home folder")
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _create_key(path)
    if len(key) < KEY_BYTES:
        raise OSError(f"it holds {len(key)} bytes, fewer than {KEY_BYTES}")
    return key


def _create_key(path: Path) -> bytes:
    """Write a new random key to ``path``, readable by its owner only, unless another process was first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        # A link appears whole, and never replaces a key another process made first.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_bytes()


# Sealed files.

MAGIC = b"BRC1"
MAC_BYTES = 32
#: No entry is larger (a page is at most a few MiB): a huge file is not read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


def seal(key: bytes, label: str, payload: bytes) -> bytes:
    """``payload`` with an HMAC-SHA256 of it and of ``label`` (where it belongs: an entry cannot move)."""
    return MAGIC + _mac(key, label, payload) + payload


def unseal(key: bytes, label: str, blob: bytes) -> bytes | None:
    """The payload of a sealed ``blob``, or None when its seal does not verify."""
    start = len(MAGIC) + MAC_BYTES
    if not blob.startswith(MAGIC) or len(blob) < start:
        return None
    payload = blob[start:]
    return payload if hmac.compare_digest(blob[len(MAGIC) : start], _mac(key, label, payload)) else None


def _mac(key: bytes, label: str, payload: bytes) -> bytes:
    # The label has no NUL: label and payload cannot be cut apart differently.
    return hmac.digest(key, label.encode("utf-8") + b"\0" + payload, "sha256")


def read_file(path: str | Path) -> bytes | None:
    """A regular file's bytes, or None: never through a symlink, never waiting on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        data = os.read(fd, status.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == status.st_size else None


def write_file(path: Path, data: bytes, root: Path) -> None:
    """Write ``data`` at ``path`` (below the folder ``root``) whole or not at all: a reader never sees half a file.

    Whatever is in the way (a file where a folder belongs, a folder or symlink
    where the file belongs) is removed; a failure only loses the entry, which
    is made again next time.
    """
    try:
        real_folders(root, path.parent)
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.replace(temporary, path)  # replaces a symlink itself, never its target
        except IsADirectoryError:
            discard(path)
            os.replace(temporary, path)
    except OSError:
        discard(Path(temporary))


def real_folders(root: Path, folder: Path) -> None:
    """Make ``folder`` and every folder between it and ``root`` a real folder, not a file or a symlink."""
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        try:
            if stat.S_ISDIR(os.lstat(current).st_mode):
                continue
            discard(current)
        except FileNotFoundError:
            pass
        current.mkdir(exist_ok=True)


def discard(path: Path) -> None:
    """Remove whatever is at ``path`` (a file, a symlink, a folder), following no symlink."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def read_sealed(path: str | Path, label: str, codec: Codec[T], key: bytes | None = None) -> T | None:
    """The value sealed at ``path``, or None: unreadable, forged, or not a value of the codec's type."""
    blob = read_file(path)
    payload = None if blob is None else unseal(key or secret_key(), label, blob)
    if payload is None:
        return None
    try:
        return codec.decode(payload)
    except CodecError:
        return None


def write_sealed(path: Path, root: Path, label: str, codec: Codec[T], value: T, key: bytes | None = None) -> None:
    """Seal ``value`` at ``path`` (below ``root``) for :func:`read_sealed`."""
    try:
        payload = codec.encode(value)
    except CodecError:  # a value the codec cannot write (nothing YAML makes): not kept
        return
    write_file(path, seal(key or secret_key(), label, payload), root)


# A cache folder that came with the checkout.


def tracked_files(folder: Path) -> list[str]:
    """The files under ``folder`` (or the file itself) that git tracks: none where there is no git or no repository."""
    where = folder.parent
    while not where.is_dir() and where != where.parent:
        where = where.parent
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", os.path.abspath(folder)], cwd=where, capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if listed.returncode != 0:  # not in a repository, or the folder is outside it
        return []
    return [name for name in listed.stdout.decode("utf-8", "replace").split("\0") if name]


def trusted_folder(folder: Path | None) -> Path | None:
    """``folder``, or None when git tracks files in it (they came with the checkout, and may be anyone's)
    or it is not a folder: the cache is then not used at all, and a warning says why."""
    if folder is None:
        return None
    if os.path.lexists(folder) and not folder.is_dir():
        log.warning(f"Briefs: the cache folder {folder} is not a folder, so this run does not use it")
        return None
    tracked = tracked_files(folder)
    if tracked:
        log.warning(
            f"Briefs: git tracks {len(tracked)} file(s) in the cache folder {folder} (such as {printable(tracked[0])}); "
            "a cache that comes with the checkout is not trusted, so this run does not use it. "
            f"Remove them from the repository: git rm -r --cached {folder}"
        )
        return None
    return folder


# The cache.


class DiskCache(Generic[T]):
    """``key -> value`` files under ``folder/<namespace>/``, sealed data of ``codec``'s type; ``None`` folder disables it."""

    def __init__(self, folder: Path | None, namespace: str, codec: Codec[T], *, remember: bool = False) -> None:
        self.root = folder
        self.folder = folder / namespace if folder else None
        self._base = os.fspath(self.folder) if self.folder else ""
        self.namespace = namespace
        self.codec = codec
        self.remember = remember
        # Read now, so that worker processes forked later share it.
        self.key = secret_key() if folder else b""

    def _path(self, key: str) -> str:
        # Joined as text, not as Paths: this runs for every entry a warm build reads.
        return os.path.join(self._base, key[:2], f"{key}.cbor")

    def _label(self, key: str) -> str:
        return f"{self.namespace}/{key}"

    def get(self, key: str) -> T | None:
        if self.folder is None:
            return None
        if self.remember and (self.namespace, key) in MEMORY.entries:
            return MEMORY.entries[(self.namespace, key)]
        value = read_sealed(self._path(key), self._label(key), self.codec, self.key)
        if value is not None and self.remember:
            MEMORY.entries[(self.namespace, key)] = value
        return value

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not whether it would read back: :meth:`get` checks that)."""
        return self.folder is not None and os.path.isfile(self._path(key))

    def put(self, key: str, value: T) -> None:
        if self.root is None:
            return
        write_sealed(Path(self._path(key)), self.root, self._label(key), self.codec, value, self.key)
        if self.remember:
            MEMORY.entries[(self.namespace, key)] = value

    def keep(self, key: str, value: T) -> None:
        """Keep an entry another process has written, for later builds of this one."""
        if self.folder is not None and self.remember:
            MEMORY.entries[(self.namespace, key)] = value
