"""The git history of originals: which commits touched a file, what it said then, how far it moved on.

``briefs status`` asks this of thousands of files, so the history of a whole
folder comes from one ``git log`` and old texts from one ``git cat-file
--batch`` per round of lookups, never one process per file.

Everything git prints is data a pull request may have chosen (a file name can
hold a newline or start with ``-``): output is read NUL-separated (``-z``),
paths go after ``--`` as literal pathspecs, only object ids (hex) are ever
written to git's input, and blobs larger than a brief may be are not read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cache import DiskCache, code_fingerprint, digest, trusted_folder
from ..core.checked import checked_content, checked_version
from ..core.codec import Codec
from ..core.content import Content, content_of_text, decode
from ..core.loading import MAX_BYTES
from ..core.settings import Settings, settings_fingerprint
from ..core.versions import version_of_bytes
from .files import quick_version

#: The versions of blobs read before, in one cache entry: the code and settings they were read with, and
#: each blob's version by its name (12 hex digits, or "" for a text that is not a brief).
_VERSIONS: Codec[tuple[str, dict[str, str]]] = Codec(tuple[str, dict[str, str]])

#: Seconds one git process may take; an archive's whole log takes well under one.
GIT_TIMEOUT = 60.0
_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_REGULAR_FILE = {"100644", "100755"}
#: First lookups read this many of a file's newest commits; each further round reads four times as many.
_FIRST_ROUND = 4
#: The versions' cache entry: one for the repository (the code and settings are inside it).
_VERSIONS_KEY = digest("blob versions")


class HistoryUnavailable(Exception):
    """Git cannot answer: it is missing, this is no repository, or it failed. ``str()`` is one line."""


@dataclass(frozen=True)
class Commit:
    """A commit that touched a file, and the file as that commit left it."""

    sha: str
    #: Committer time, seconds since the epoch.
    time: int
    #: The file's path at this commit, relative to the repository's root (renames followed).
    path: str
    #: The file's blob after this commit; ``None`` if the commit deleted it or it is no regular file.
    blob: str | None

    @property
    def when(self) -> dt.datetime:
        """The commit time as an aware datetime (UTC)."""
        return dt.datetime.fromtimestamp(self.time, dt.UTC)


def one_line(text: str) -> str:
    r"""The first non-empty line of ``text``, control characters escaped, for a message.

    >>> one_line("\nfatal: not a git repository\nmore")
    'fatal: not a git repository'
    """
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], line)[:300]


def run_git(repo: Path, args: Sequence[str], *, stdin: bytes | None = None, timeout: float = GIT_TIMEOUT) -> bytes:
    """Run ``git args`` in ``repo`` (no shell) and return its output, or raise :class:`HistoryUnavailable`."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1"}
    try:
        done = subprocess.run(
            ["git", "--no-pager", *args], cwd=repo, input=stdin, capture_output=True, timeout=timeout, env=env, check=False
        )
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise HistoryUnavailable(f"git {args[0]} took longer than {timeout:g} seconds") from None
    except OSError as exc:
        raise HistoryUnavailable(f"git cannot run: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = one_line(done.stderr.decode("utf-8", "replace")) or f"git {args[0]} failed (exit {done.returncode})"
        raise HistoryUnavailable(message)
    return done.stdout


def repository_root(path: Path, timeout: float = GIT_TIMEOUT) -> Path:
    """The root of the work tree that holds ``path`` (a folder or a file)."""
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        raise HistoryUnavailable(f"{folder} is not a folder")
    out = run_git(folder, ["rev-parse", "--show-toplevel"], timeout=timeout)
    return Path(os.fsdecode(out.removesuffix(b"\n"))).resolve()


def _has_commits(root: Path, timeout: float) -> bool:
    try:
        run_git(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], timeout=timeout)
    except HistoryUnavailable:
        return False
    return True


@dataclass(frozen=True)
class _Change:
    """One file in one commit of the log: ``status`` is git's letter (``M``, ``A``, ``D``, ``R``...)."""

    index: int
    status: str
    old_path: str | None
    blob: str | None


@dataclass
class CommitLog:
    """The commits of many files, read from one ``git log --raw``; paths relative to ``root``."""

    root: Path
    #: ``(sha, time)`` of every commit, newest first, as ``git log`` lists them.
    commits: list[tuple[str, int]] = field(default_factory=list)
    #: Each path's changes, newest first, by the path the change left behind.
    changes: dict[str, list[_Change]] = field(default_factory=dict)

    def relative(self, path: Path | str) -> str | None:
        """How git names ``path``: a :class:`~pathlib.Path` (absolute, or relative to the current
        folder) as relative to the root with ``/``, ``None`` when outside the work tree; a ``str``
        is taken to be git's name already."""
        if isinstance(path, str):
            return path
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def history(self, path: Path | str) -> list[Commit]:
        """The commits that touched ``path``, newest first, following it through renames."""
        name = self.relative(path)
        found: list[Commit] = []
        after = -1
        while name is not None:
            follow: str | None = None
            for change in self.changes.get(name, ()):
                if change.index <= after:
                    continue
                sha, time = self.commits[change.index]
                found.append(Commit(sha, time, name, change.blob))
                after = change.index
                if change.status.startswith("R") and change.old_path:
                    follow = change.old_path
                    break
            name = follow
        return found

    @classmethod
    def parse(cls, root: Path, output: bytes) -> CommitLog:
        """Read ``git log -z --raw --no-abbrev --format=%x01%H%x00%ct`` output."""
        log = cls(root)
        tokens = output.split(b"\0")
        i = 0
        while i < len(tokens):
            token = tokens[i].lstrip(b"\n")
            i += 1
            if not token:
                continue
            if token.startswith(b"\x01"):
                sha, time = token[1:].decode("ascii", "replace"), tokens[i].decode("ascii", "replace") if i < len(tokens) else ""
                i += 1
                if not _OBJECT_ID.match(sha) or not time.isdigit():
                    raise HistoryUnavailable("git log printed a commit this version of briefs cannot read")
                log.commits.append((sha, int(time)))
            elif token.startswith(b":") and log.commits:
                meta = token[1:].decode("ascii", "replace").split(" ")
                if len(meta) != 5:
                    raise HistoryUnavailable("git log printed a change this version of briefs cannot read")
                mode, blob, status = meta[1], meta[3], meta[4]
                count = 2 if status[:1] in {"R", "C"} else 1
                paths = [os.fsdecode(p) for p in tokens[i : i + count]]
                i += count
                if len(paths) != count:
                    raise HistoryUnavailable("git log output ended in the middle of a change")
                regular = mode in _REGULAR_FILE and _OBJECT_ID.match(blob) and status != "D"
                change = _Change(len(log.commits) - 1, status, paths[0] if count == 2 else None, blob if regular else None)
                log.changes.setdefault(paths[-1], []).append(change)
            else:
                raise HistoryUnavailable("git log printed something this version of briefs cannot read")
        return log


# Options that a user's configuration could otherwise change (colour, signatures in the output).
# A merge is read as its change to the first parent: a change made while merging is a change too.
_LOG_FORMAT = [
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-color",
    "--no-show-signature",
    "--no-ext-diff",
    "-M",
    "--diff-merges=first-parent",
]
_LOG_FORMAT.append("--format=%x01%H%x00%ct")


def read_log(repo: Path, folder: Path | None = None, *, timeout: float = GIT_TIMEOUT) -> CommitLog:
    """The history of every file below ``folder`` (default: the whole work tree), from one ``git log``.

    Renames inside ``folder`` are followed (``-M``); a file moved in from
    outside it starts its history there.
    """
    root = repository_root(repo, timeout)
    log = CommitLog(root)
    target = log.relative(folder) if folder is not None else ""
    if target is None:
        raise HistoryUnavailable(f"{folder} is outside the git work tree {root}")
    if not _has_commits(root, timeout):
        return log
    return CommitLog.parse(root, run_git(root, ["log", *_LOG_FORMAT, "--", target or "."], timeout=timeout))


def read_blobs(repo: Path, blobs: Iterable[str], *, max_bytes: int = MAX_BYTES, timeout: float = GIT_TIMEOUT) -> dict[str, bytes]:
    """The contents of blobs by id, from one ``git cat-file --batch``; missing and oversized blobs are left out."""
    wanted = sorted({b for b in blobs if _OBJECT_ID.match(b)})
    if not wanted:
        return {}
    sizes = run_git(repo, ["cat-file", "--batch-check"], stdin="".join(f"{b}\n" for b in wanted).encode(), timeout=timeout)
    small = []
    for line in sizes.decode("ascii", "replace").splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit() and int(parts[2]) <= max_bytes:
            small.append(parts[0])
    if not small:
        return {}
    out = run_git(repo, ["cat-file", "--batch"], stdin="".join(f"{b}\n" for b in small).encode(), timeout=timeout)
    found: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        end = out.find(b"\n", at)
        if end < 0:
            raise HistoryUnavailable("git cat-file output ended in the middle of an object")
        parts = out[at:end].decode("ascii", "replace").split(" ")
        at = end + 1
        if len(parts) != 3 or not parts[2].isdigit():
            continue  # "<id> missing": nothing follows
        size = int(parts[2])
        found[parts[0]] = out[at : at + size]
        at += size + 1
    return found


class VersionFinder:
    """Finds the newest commit at which a file had a given version, for many files at once.

    A translation is usually only a few commits behind, so each round reads
    the next few commits of every file still searched, in one ``git
    cat-file``; a blob's version never changes, so each is computed once,
    and kept in one cache entry for the next run (one file, not one per blob:
    an archive's first run reads thousands of blobs).
    """

    def __init__(self, repo: Path, settings: Settings | None = None, *, timeout: float = GIT_TIMEOUT) -> None:
        self.repo = repo
        self.settings = settings
        self.timeout = timeout
        self.versions: dict[str, str | None] = {}
        self.cache = DiskCache(trusted_folder(settings.cache_dir) if settings else None, "versions", _VERSIONS)
        self.context = digest(code_fingerprint(), settings_fingerprint(settings)) if settings else ""
        self._kept: dict[str, str] | None = None  # the cache entry's versions, read at the first lookup
        self._new: dict[str, str] = {}

    def version(self, blob: str | None) -> str | None:
        """The version of a blob already read (``None``: not read, not a brief, or no file)."""
        return self.versions.get(blob) if blob else None

    def find(self, searches: Sequence[tuple[Sequence[Commit], str]]) -> list[int | None]:
        """For each ``(commits, version)``, the index of the newest commit holding ``version``, else ``None``."""
        found: list[int | None] = [None] * len(searches)
        depth = [0] * len(searches)
        pending = [i for i, (commits, _) in enumerate(searches) if commits]
        size = _FIRST_ROUND
        while pending:
            window = {i: searches[i][0][depth[i] : depth[i] + size] for i in pending}
            self._read(c.blob for commits in window.values() for c in commits)
            still = []
            for i in pending:
                target = searches[i][1]
                hit = next((k for k, c in enumerate(window[i]) if self.version(c.blob) == target), None)
                if hit is not None:
                    found[i] = depth[i] + hit
                elif depth[i] + size < len(searches[i][0]):
                    depth[i] += size
                    still.append(i)
            pending, size = still, size * 4
        self.save()
        return found

    def _version(self, data: bytes, display: str) -> str | None:
        if self.settings is None:
            return version_of_bytes(data, display)
        # Most old texts read quickly; the build's checks decide for the rest. A version is only ever
        # compared with one recorded from a checked brief, so reading it quickly finds the same commit.
        text = decode(data)
        quick = None if text is None else quick_version(text)
        return quick if quick is not None else checked_version(data, display, self.settings)

    def _read(self, blobs: Iterable[str | None]) -> None:
        todo = {b for b in blobs if b and b not in self.versions}
        if not todo:
            return
        kept = self._kept_versions()
        for blob in list(todo):
            if (version := kept.get(blob)) is not None:
                self.versions[blob] = version or None
                todo.discard(blob)
        if not todo:
            return
        texts = read_blobs(self.repo, todo, timeout=self.timeout)
        for blob in todo:
            data = texts.get(blob)
            self.versions[blob] = version = None if data is None else self._version(data, f"<{blob[:12]}>")
            if data is not None:
                self._new[blob] = version or ""

    def _kept_versions(self) -> dict[str, str]:
        if self._kept is None:
            entry = self.cache.get(_VERSIONS_KEY)
            self._kept = entry[1] if entry is not None and entry[0] == self.context else {}
        return self._kept

    def save(self) -> None:
        """Keep the versions read since the last save (with those kept before) for the next run."""
        if self._new:
            kept = {**self._kept_versions(), **self._new}
            self.cache.put(_VERSIONS_KEY, (self.context, kept))
            self._kept, self._new = kept, {}


@dataclass(frozen=True)
class Behind:
    """How far an original moved on since the version a translation records."""

    #: Commits of the original after the newest one holding that version; ``None`` when git does not know.
    commits: int | None
    #: When the first of them was committed (the original's first change since).
    since: dt.datetime | None = None
    #: The newest commit holding the recorded version.
    matched: Commit | None = None
    #: One line for the reader when the figure needs a word: unknown, or changed but not committed.
    note: str | None = None


def behind(commits: Sequence[Commit], index: int | None, version: str = "") -> Behind:
    """What a found (or not found) version means for the original with ``commits`` (newest first)."""
    if not commits:
        return Behind(None, note="the original has no commits in git")
    if index is None:
        recorded = f"version {version}" if version else "the recorded version"
        return Behind(None, note=f"no commit of {commits[0].path} holds {recorded} (a shallow clone?)")
    if index == 0:
        return Behind(0, matched=commits[0], note="the original changed after its last commit")
    return Behind(index, commits[index - 1].when, commits[index])


class GitHistory:
    """The history of the originals below one folder, read once and on first use.

    This is what ``briefs status`` hands to :func:`~.status.desk_status`: the
    log is read only if some translation is outdated, and then for all of
    them at once.
    """

    def __init__(
        self, repo: Path, folder: Path | None = None, *, settings: Settings | None = None, timeout: float = GIT_TIMEOUT
    ) -> None:
        self.repo = repo
        self.folder = folder
        self.settings = settings
        self.timeout = timeout
        self._log: CommitLog | None = None
        self._finder: VersionFinder | None = None

    @property
    def log(self) -> CommitLog:
        if self._log is None:
            self._log = read_log(self.repo, self.folder, timeout=self.timeout)
            self._finder = VersionFinder(self._log.root, self.settings, timeout=self.timeout)
        return self._log

    @property
    def finder(self) -> VersionFinder:
        _ = self.log
        assert self._finder is not None
        return self._finder

    def commits(self, path: Path) -> list[Commit]:
        """The commits of one file (newest first)."""
        return self.log.history(path)

    def behind(self, lookups: Sequence[tuple[Path, str]]) -> dict[tuple[Path, str], Behind]:
        """For each ``(original's path, recorded version)``: how far the original moved on since."""
        histories = [self.commits(path) for path, _ in lookups]
        found = self.finder.find([(commits, version) for commits, (_, version) in zip(histories, lookups, strict=True)])
        return {
            lookup: behind(commits, index, lookup[1]) for lookup, commits, index in zip(lookups, histories, found, strict=True)
        }

    def content_at(self, path: Path, version: str) -> tuple[Commit, Content] | None:
        """The newest commit at which ``path`` had ``version``, with its content then (for ``briefs diff``)."""
        commits = self.commits(path)
        index = self.finder.find([(commits, version)])[0]
        if index is None:
            return None
        commit = commits[index]
        data = read_blobs(self.log.root, [commit.blob] if commit.blob else [], timeout=self.timeout).get(commit.blob or "")
        text = None if data is None else decode(data)
        display = f"{commit.path}@{commit.sha[:12]}"
        if text is None:
            content = None
        elif self.settings is None:
            content = content_of_text(text, display)
        else:
            content = checked_content(text, display, self.settings)
        return None if content is None else (commit, content)
