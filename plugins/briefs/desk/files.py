"""What the desk knows of each brief file: its version, dates, draft flag and ``translated_from``.

``briefs status`` asks this of every file of an archive, so it is read from the
front-matter alone, with libyaml, not through the build's checks (which locate
every value for their messages and render the Markdown): a file is read again
only when its bytes changed, and its facts are kept in the cache. A file the
quick reading cannot take as it is (an unusual date, a malformed field) goes
through the build's checks instead, which decide; a file that fails them is
left out of the overview and counted, so that nothing disappears unseen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from ..core.cache import DiskCache, code_fingerprint, digest, trusted_folder
from ..core.checked import checked_brief
from ..core.codec import Codec
from ..core.content import content_of_fields, decode
from ..core.corpus import discover, file_digest, file_signature, forked_pool, worker_count
from ..core.files import read_plain_file
from ..core.findings import relative_path
from ..core.loading import MAX_BYTES, split_document
from ..core.model import Brief, Pair, TranslatedFrom, as_datetime
from ..core.rules.checker import FIRST_YEAR, LAST_YEAR
from ..core.settings import Settings, settings_fingerprint
from ..core.versions import TranslatedFromError, content_version, fingerprint, parse_translated_from

#: Below this many files to read, worker processes cost more than they save.
PARALLEL_FILES = 256


@dataclass(frozen=True)
class DeskFile:
    """One language version of a brief as the desk sees it."""

    id: str
    lang: str
    path: Path
    #: The content version (SPEC §8) of the file as it is.
    version: str
    date: dt.date
    published: dt.date | dt.datetime
    updated: dt.date | dt.datetime | None
    draft: bool
    translated_from: TranslatedFrom | None

    @classmethod
    def of(cls, brief: Brief) -> DeskFile:
        return cls(
            brief.id,
            brief.lang,
            brief.path,
            content_version(brief),
            brief.date,
            brief.published,
            brief.updated,
            brief.draft,
            brief.translated_from,
        )

    def goes_live(self, zone: dt.tzinfo) -> dt.datetime:
        """As :meth:`Brief.goes_live`: its datetime, or its day at midnight in the site's zone."""
        if isinstance(self.published, dt.datetime):
            return self.published
        return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=zone)

    @property
    def last_change(self) -> dt.datetime:
        return as_datetime(self.updated or self.published)


@dataclass
class DeskPair:
    """A brief folder's files, by language."""

    id: str
    versions: dict[str, DeskFile] = field(default_factory=dict)

    @classmethod
    def of(cls, pair: Pair) -> DeskPair:
        return cls(pair.id, {lang: DeskFile.of(brief) for lang, brief in pair.versions.items()})


#: One file's row of the desk's index: its status when read (``"mtime ctime size inode"``), its bytes'
#: digest, and its facts: version ("" for a file that fails the checks), date, when it goes out,
#: updated, draft, and ``translated_from``'s language and version.
Row = tuple[str, str, str, str, str, str | None, bool, str | None, str | None]
#: The index: the code and settings it was made with, and each file's row by its path as shown.
_INDEX: Codec[tuple[str, dict[str, Row]]] = Codec(tuple[str, dict[str, Row]])


@dataclass
class DeskFiles:
    """Every brief folder's files, and the files that fail the checks (their paths as shown; their briefs are left out)."""

    pairs: list[DeskPair]
    left_out: list[str]


def desk_files(settings: Settings, paths: list[Path] | None = None) -> DeskFiles:
    """The desk's facts of every brief file below ``settings.briefs_dir`` (or ``paths``).

    They are kept in one cache entry, as git keeps its index: a file whose
    status is as it was is not read at all; one whose status changed is read,
    and parsed again only if its bytes changed too.
    """
    found = discover(settings, paths, assets=False)
    shown = _shown(settings)
    tasks = [
        (folder.name, lang, path, shown(path))
        for folder, by_lang in sorted(found.folders.items())
        for lang in settings.languages
        if (path := by_lang.get(lang)) is not None
    ]
    store = DiskCache(trusted_folder(settings.cache_dir), "desk", _INDEX)
    context = digest(code_fingerprint(), settings_fingerprint(settings))
    key = digest("index", relative_path(settings.briefs_dir, settings.root))
    kept = store.get(key)
    index = kept[1] if kept is not None and kept[0] == context else {}
    rows: list[Row | None] = []
    digests: dict[int, str] = {}
    for number, (_, _, path, display) in enumerate(tasks):
        signature = file_signature(path)
        row = index.get(display)
        if row is not None and signature is not None and row[0] == signature:
            rows.append(row)
            continue
        if row is None:  # read once, where it is parsed
            rows.append(None)
            continue
        digests[number] = file_digest(path)
        if row[1] == digests[number]:
            rows.append((signature or "", *row[1:]))
        else:
            rows.append(None)
    missing = [i for i, row in enumerate(rows) if row is None]
    read = partial(_read, settings)
    todo = [tasks[i] for i in missing]
    if len(todo) >= PARALLEL_FILES and worker_count() > 1:
        with forked_pool(worker_count()) as pool:
            fresh = list(pool.map(read, todo, chunksize=256))
    else:
        fresh = [read(task) for task in todo]
    for i, (file, data_digest) in zip(missing, fresh, strict=True):
        rows[i] = _row(file_signature(tasks[i][2]) or "", data_digest, file)
    written = {display: row for (_, _, _, display), row in zip(tasks, rows, strict=True) if row is not None}
    if paths is not None:  # a part of the archive: the rows of the rest stay
        written = {**index, **written}
    if written != index:
        store.put(key, (context, written))
    pairs: dict[str, DeskPair] = {}
    left_out = []
    broken: set[str] = set()  # a brief with a file that fails is left out whole, as the build leaves it out
    for (brief_id, lang, path, display), row in zip(tasks, rows, strict=True):
        assert row is not None
        pair = pairs.setdefault(brief_id, DeskPair(brief_id))
        file = _file(row, brief_id, lang, path)
        if file is None:
            left_out.append(display)
            broken.add(brief_id)
        else:
            pair.versions[lang] = file
    return DeskFiles([pair for pair in pairs.values() if pair.id not in broken], left_out)


def _shown(settings: Settings) -> Callable[[Path], str]:
    """How a file's path is shown (:func:`relative_path`), by text for the files the walk found below briefs/."""
    base = os.fspath(settings.briefs_dir) + os.sep
    prefix = relative_path(settings.briefs_dir, settings.root)

    def shown(path: Path) -> str:
        text = os.fspath(path)
        if text.startswith(base):
            return f"{prefix}/{text[len(base) :]}".replace(os.sep, "/")
        return relative_path(path, settings.root)

    return shown


def _row(signature: str, file_digest: str, file: DeskFile | None) -> Row:
    if file is None:
        return (signature, file_digest, "", "", "", None, False, None, None)
    record = file.translated_from
    return (
        signature,
        file_digest,
        file.version,
        file.date.isoformat(),
        file.published.isoformat(),
        file.updated.isoformat() if file.updated is not None else None,
        file.draft,
        record.lang if record else None,
        record.version if record else None,
    )


def _file(row: Row, brief_id: str, lang: str, path: Path) -> DeskFile | None:
    """A row read back: sealed by this machine's key, and still parsed as data (a bad value is a file to read again)."""
    _, _, version, day, published, updated, draft, origin, recorded = row
    if not version:
        return None
    try:
        record = TranslatedFrom(origin, recorded) if origin is not None and recorded is not None else None
        return DeskFile(
            brief_id, lang, path, version, dt.date.fromisoformat(day), _moment_of(published), _moment_of(updated), draft, record
        )
    except ValueError:
        return None


def _moment_of(text: str | None) -> Any:
    if text is None:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _read(settings: Settings, task: tuple[str, str, Path, str]) -> tuple[DeskFile | None, str]:
    """One file's facts (``None``: it fails the checks) and the digest of its bytes, as :func:`file_digest` gives it."""
    brief_id, lang, path, display = task
    try:
        data = read_plain_file(path, MAX_BYTES)
    except OSError:
        return None, file_digest(path)
    text = decode(data)
    quick = None if text is None else quick_file(text, brief_id, lang, path, settings.languages)
    if quick is not None:
        return quick, digest(data)
    brief = checked_brief(path, display, brief_id, lang, settings)
    return (None if brief is None else DeskFile.of(brief)), file_digest(path)


def quick_file(text: str, brief_id: str, lang: str, path: Path, languages: list[str] | tuple[str, ...]) -> DeskFile | None:
    """The facts of a brief file's text as a well-formed brief writes them, else ``None`` (the checks decide).

    >>> text = "---\\ntitle: Rome\\nsummary: Talks.\\ndate: 2026-01-23\\nkey_details: [Eight.]\\n---\\nBody.\\n"
    >>> facts = quick_file(text, "2026-01-23-rome", "en", Path("en.md"), ["en", "de"])
    >>> facts.date, facts.draft, facts.translated_from, len(facts.version)
    (datetime.date(2026, 1, 23), False, None, 12)
    >>> quick_file(text.replace("2026-01-23", "23.01.2026"), "x", "en", Path("en.md"), ["en"]) is None
    True
    """
    read = _fields(text)
    if read is None:
        return None
    fields, body = read
    content = content_of_fields(fields, body)
    published = _moment(fields.get("date"))
    updated = _moment(fields["updated"]) if "updated" in fields else None
    draft = fields.get("draft", False)
    if content is None or published is None or ("updated" in fields and updated is None) or not isinstance(draft, bool):
        return None
    record = None
    if "translated_from" in fields:
        try:
            record = parse_translated_from(fields["translated_from"])
        except TranslatedFromError:
            return None
        if record.lang not in languages:
            return None
    day = published.date() if isinstance(published, dt.datetime) else published
    return DeskFile(brief_id, lang, path, fingerprint(content), day, published, updated, draft, record)


def quick_version(text: str) -> str | None:
    """The version of a brief file's text read as :func:`quick_file` reads it, else ``None`` (the checks decide)."""
    read = _fields(text)
    content = None if read is None else content_of_fields(*read)
    return None if content is None else fingerprint(content)


def _fields(text: str) -> tuple[dict[Any, Any], str] | None:
    """The front-matter's fields (libyaml's safe loader, in C) and the body, or ``None``."""
    document = split_document(text)
    if document is None:
        return None
    try:
        fields = load_front(document.front)
    except yaml.YAMLError:
        return None
    return (fields, document.body) if isinstance(fields, dict) else None


_STR, _MAP, _SEQ, _MERGE, _VALUE = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq", "merge", "value"))


class _Unusual(Exception):
    """A document :func:`_plain` leaves to PyYAML's own constructor."""


def load_front(front: str) -> Any:
    """What ``yaml.load(front, Loader=yaml.CSafeLoader)`` gives, about twice as fast for front-matter.

    libyaml composes the nodes in C; PyYAML's constructor then walks them in
    Python, two generator steps a mapping, most of the reading's time. Maps,
    sequences and strings are made here directly (each node once: an alias is
    the same object, as there); other scalars through the constructor itself;
    anything else (merge keys, a recursive alias, ``!!set``) through its whole.
    """
    loader = yaml.CSafeLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(loader, node, {}, 0)
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


_BUSY = object()


def _plain(loader: yaml.CSafeLoader, node: yaml.Node, made: dict[int, Any], depth: int) -> Any:
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    known = made.get(id(node))
    if known is _BUSY or depth > 100:
        raise _Unusual
    if known is not None:
        return known
    made[id(node)] = _BUSY
    result: Any
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if key_node.tag in {_MERGE, _VALUE}:
                raise _Unusual
            key = _plain(loader, key_node, made, depth + 1)
            try:
                result[key] = _plain(loader, value_node, made, depth + 1)
            except TypeError:  # a list or a map as a key: the constructor says so
                raise _Unusual from None
    elif tag == _SEQ and isinstance(node, yaml.SequenceNode):
        result = [_plain(loader, item, made, depth + 1) for item in node.value]
    else:
        raise _Unusual
    made[id(node)] = result
    return result


def _moment(value: Any) -> dt.date | dt.datetime | None:
    """A date, or a datetime with a whole-minute UTC offset, as YAML gives them; anything else is for the checks."""
    if not isinstance(value, dt.date) or not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        return value if offset is not None and not offset.seconds % 60 and not offset.microseconds else None
    return value
