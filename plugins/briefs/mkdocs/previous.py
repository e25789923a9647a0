"""The last build's output, taken back where nothing it depends on has changed.

MkDocs empties the site folder before each build, so a rebuild after one
edit would delete and write again tens of thousands of unchanged pages and
search-index files. Instead, before MkDocs cleans, the folder's content is
moved aside (one rename per entry); a page or index shard whose key is the
one it was written under, and whose files are as they were written (size,
modification time, inode, and no other name), is moved back; the rest is deleted in the
background. The keys are the page cache's, so a page is taken back exactly
when the cache would have served it.

The record of what was written lives in the cache folder, sealed like a cache
entry (see cache.py): one that does not verify, or is not of its shape, is as
if there were none, and the last build's output is simply not taken back.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cache import digest, discard, read_sealed, write_sealed
from ..core.codec import Codec

#: A file as it was written: size, modification time (ns), inode.
Status = tuple[int, int, int]


@dataclass(frozen=True)
class Written:
    """What a build wrote: page path -> (key, status); search shard folder -> (key, {file: status})."""

    pages: dict[str, tuple[str, Status]] = field(default_factory=dict)
    shards: dict[str, tuple[str, dict[str, Status]]] = field(default_factory=dict)


WRITTEN: Codec[Written] = Codec(Written, Written)


def _status(path: Path) -> Status | None:
    try:
        found = os.lstat(path)  # a link is never a page the build wrote
    except OSError:
        return None
    # A second name for the file (a hard link) would let whoever holds it change the page unseen. (The
    # change time is not compared: moving the folder aside and back, as each build does, sets it.)
    if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def _files(folder: Path) -> dict[str, Status]:
    found: dict[str, Status] = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = Path(base) / name
            status = _status(path)
            if status is not None:
                found[path.relative_to(folder).as_posix()] = status
    return found


def _label(manifest: Path) -> str:
    """What a record is sealed with: its place (named for its site folder), so that it vouches for that folder only."""
    return f"output/{manifest.name}"


def _within(path: str, folders: set[str]) -> bool:
    """Whether ``path`` lies inside one of ``folders`` (site paths, ``a/b``)."""
    folder = path.rpartition("/")[0]
    while folder:
        if folder in folders:
            return True
        folder = folder.rpartition("/")[0]
    return False


def move_content(folder: Path, aside: Path) -> bool:
    """Move everything in ``folder`` into ``aside`` (on the same file system): one rename per entry.

    False when an entry could not be moved (another file system); the rest stays.
    """
    try:
        for entry in os.scandir(folder):
            os.rename(entry.path, aside / entry.name)
    except OSError:
        return False
    return True


class PreviousOutput:
    """What a build found in its site folder, set aside, and what it leaves for the next."""

    def __init__(self, site_dir: Path, cache_dir: Path, manifest: Path, aside: Path | None, known: Written) -> None:
        self.site_dir = site_dir
        self.cache_dir = cache_dir
        self.manifest = manifest
        self.aside = aside
        self._pages = known.pages
        self._shards = known.shards
        self._discarding: threading.Thread | None = None
        # Moved back by a rename, so as they were recorded (the next record needs no stat).
        self._taken_pages: set[str] = set()
        self._taken_shards: set[str] = set()
        self._folders: set[Path] = set()  # folders made in the site

    @classmethod
    def set_aside(cls, site_dir: Path, cache_dir: Path) -> PreviousOutput:
        """Move ``site_dir``'s content next to it, keyed by the manifest in ``cache_dir``."""
        site_dir = site_dir.resolve()
        manifest = cache_dir / "output" / f"{digest(str(site_dir))[:32]}.cbor"
        aside = site_dir.parent / f".{site_dir.name}.previous"
        discard(aside)  # a failed build's leftovers
        known = read_sealed(manifest, _label(manifest), WRITTEN)
        # Written again at the end of a successful build: until then nothing is known.
        discard(manifest)
        if known is None or not site_dir.is_dir():
            return cls(site_dir, cache_dir, manifest, None, Written())
        try:
            aside.mkdir()
        except OSError:
            return cls(site_dir, cache_dir, manifest, None, Written())
        if not move_content(site_dir, aside):
            return cls(site_dir, cache_dir, manifest, aside, Written())  # MkDocs deletes what is left
        return cls(site_dir, cache_dir, manifest, aside, known)

    def has_page(self, path: str, key: str) -> bool:
        """Whether the page at ``path`` (below the site) was written under ``key`` and is untouched."""
        known = self._pages.get(path)
        if self.aside is None or known is None or known[0] != key:
            return False
        return _status(self.aside / path) == known[1]

    def take_page(self, path: str) -> bool:
        """Move a page checked with :meth:`has_page` back into the site.

        A page alone in its folder (``…/slug/index.html``, as most are) goes back
        with its folder: one rename, and no empty folder left to delete.
        """
        assert self.aside is not None
        source, target = self.aside / path, self.site_dir / path
        try:
            if source.name == "index.html" and os.listdir(source.parent) == ["index.html"]:
                self._make(target.parent.parent)
                try:
                    os.rename(source.parent, target.parent)
                except OSError:  # the folder is there already (another page's, or the build's)
                    os.rename(source, target)
            else:
                self._make(target.parent)
                os.rename(source, target)
        except OSError:
            return False
        self._taken_pages.add(path)
        return True

    def taken(self, path: str) -> bool:
        """Whether the file at ``path`` was moved back into the site, checked with :meth:`has_page`."""
        return path in self._taken_pages

    def take_pages(self, paths: Iterable[str]) -> set[str]:
        """Move the pages at ``paths``, each checked with :meth:`has_page`, back into the site: those moved.

        A folder holding nothing but such pages (a day's briefs or cards, and so up
        to a year's) goes back whole: one rename, where each page would need its own
        and its folder made (a tenth of a millisecond each, thousands a rebuild). A
        folder holding anything else (a page that changed or is gone, a file no build
        recorded, a link) is looked into instead, so nothing else comes back with it.
        """
        if self.aside is None:
            return set()
        ready = list(paths)
        names: dict[str, set[str]] = {}
        for path in ready:
            folder, _, name = path.rpartition("/")
            names.setdefault(folder, set()).add(name)
        above: set[str] = set()
        for folder in names:
            while folder and folder not in above:
                above.add(folder)
                folder = folder.rpartition("/")[0]
        whole: set[str] = set()
        for folder in sorted(above, key=lambda f: f.count("/"), reverse=True):  # deepest first
            if self._holds_only(folder, names.get(folder, set()), whole):
                whole.add(folder)
        moved: set[str] = set()
        for folder in sorted(whole):
            if _within(folder, whole):
                continue  # goes with the folder above
            target = self.site_dir / folder
            if os.path.lexists(target):
                continue  # this build made it already: its pages go back one by one
            self._make(target.parent)
            try:
                os.rename(self.aside / folder, target)
            except OSError:
                continue
            moved.add(folder)
        taken = {path for path in ready if _within(path, moved)}
        self._taken_pages |= taken
        taken |= {path for path in ready if path not in taken and self.take_page(path)}
        return taken

    def _holds_only(self, folder: str, files: set[str], whole: set[str]) -> bool:
        """Whether the set-aside ``folder`` holds ``files`` and folders of ``whole``, and nothing else."""
        assert self.aside is not None
        try:
            if not stat.S_ISDIR(os.lstat(self.aside / folder).st_mode):
                return False  # a link to a folder elsewhere: never moved into the site
            with os.scandir(self.aside / folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if f"{folder}/{entry.name}" not in whole:
                            return False
                    elif not (entry.is_file(follow_symlinks=False) and entry.name in files):
                        return False
        except OSError:
            return False
        return True

    def _make(self, folder: Path) -> None:
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def take_shard(self, folder: str, key: str) -> bool:
        """Move an index shard (``pagefind/en/2025-04``) back when it was made under ``key`` and is untouched."""
        known = self._shards.get(folder)
        if self.aside is None or known is None or known[0] != key:
            return False
        source = self.aside / folder
        if not source.is_dir() or _files(source) != known[1]:
            return False
        target = self.site_dir / folder
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        try:
            os.rename(source, target)
        except OSError:
            return False
        self._taken_shards.add(folder)
        return True

    def discard(self) -> None:
        """Delete what was not taken back, in the background (see :meth:`finish`)."""
        if self.aside is not None and self._discarding is None:
            self._discarding = threading.Thread(target=shutil.rmtree, args=(self.aside,), kwargs={"ignore_errors": True})
            self._discarding.start()

    def finish(self, pages: dict[str, str], shards: dict[str, str]) -> None:
        """Record what this build wrote (page path -> key, shard folder -> key) for the next one."""
        self.discard()
        record = Written(
            pages={path: (key, status) for path, key in pages.items() if (status := self._page_status(path))},
            shards={folder: (key, self._shard_files(folder)) for folder, key in shards.items()},
        )
        write_sealed(self.manifest, self.cache_dir, _label(self.manifest), WRITTEN, record)
        self.wait()

    def _page_status(self, path: str) -> Status | None:
        return self._pages[path][1] if path in self._taken_pages else _status(self.site_dir / path)

    def _shard_files(self, folder: str) -> dict[str, Status]:
        return self._shards[folder][1] if folder in self._taken_shards else _files(self.site_dir / folder)

    def wait(self) -> None:
        if self._discarding is not None:
            self._discarding.join()
