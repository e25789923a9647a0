"""The briefs folder as a whole: finding brief folders, loading and checking them.

A brief folder is any folder below ``briefs_dir`` that holds a file named for a
configured language (``en.md``, ``de.md``), like a Hugo page bundle. Every
other Markdown file is a mistake a writer must hear about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path

from .blocks import BodyBlock, SplitBody
from .cache import DiskCache, code_fingerprint, digest, trusted_folder
from .codec import Codec
from .digest_index import keep_digests, recall_digests
from .figures import BodyImage, body_images, file_name, sized
from .files import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, asset_problem, read_plain_file
from .findings import Finding, Severity, relative_path, sort_findings
from .images import ImageSize, inspect
from .loading import MAX_BYTES, START, BriefFile, FieldPath, InvalidScalar, Mark, Positions, load_brief_file
from .memory import MEMORY, remembered
from .model import Brief, Claim, Comparison, Correction, LeadImage, Pair, Source, TranslatedFrom
from .rendering import Heading, RenderedParts, Renderer, is_remote, render_parts
from .settings import Settings, markdown_fingerprint, settings_fingerprint
from .slugs import ID_PATTERN
from .validation import check_brief, check_pair

_LANG_LIKE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")


@dataclass
class Corpus:
    """Every brief of the site, with every finding about them."""

    pairs: list[Pair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[BriefFile] = field(default_factory=list)
    #: Rendered parts by page path, when loaded with ``render=True``.
    parts: dict[str, RenderedParts] = field(default_factory=dict)
    #: The images beside the briefs that may be published, by folder (SPEC §7).
    images: dict[Path, list[Path]] = field(default_factory=dict)
    #: By page path, the digest of everything its file's check depended on (its bytes,
    #: the settings, the code): a page made only from such files can be keyed by them.
    sources: dict[str, str] = field(default_factory=dict)
    #: By brief id, each image beside the brief with its digest: the same object while the images are the same.
    image_states: dict[str, tuple[tuple[Path, str], ...]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    def briefs(self, *, include_drafts: bool) -> list[Brief]:
        """Every language version that is published (or also drafts, for previews)."""
        return [b for p in self.pairs for b in p.versions.values() if include_drafts or not b.draft]


@dataclass
class _Entries:
    """What a walk of briefs/ found: Markdown files, other files, and what it refused to enter."""

    #: The Markdown files by the folder that holds them, sorted by name (the walk's own folder objects: no parent is made again).
    markdown: dict[Path, list[Path]] = field(default_factory=dict)
    others: set[Path] = field(default_factory=set)
    refused: list[tuple[Path, str, str, str]] = field(default_factory=list)  # path, code, message, hint
    #: How many folders the walk entered.
    folders: int = 0


def _walk(roots: Iterable[Path]) -> _Entries:
    """Every file below ``roots``, never following a symbolic link (SPEC §7)."""
    found = _Entries()
    for root in roots:
        if root.is_symlink() or root.is_file():
            _sort_file(root, found)
            continue
        _walk_folder(root, found)
    return found


@dataclass(frozen=True)
class _Walked:
    """One folder's entries, sorted out: kept while the folder is as it was, with the same Path objects."""

    markdown: tuple[Path, ...]
    others: tuple[Path, ...]
    refused: tuple[tuple[Path, str, str, str], ...]
    folders: tuple[Path, ...]


def _walk_folder(folder: Path, found: _Entries) -> None:
    found.folders += 1
    signature, listing = _listed(folder)
    known = MEMORY.walked.get(folder)
    if known is not None and known[0] == signature and signature[0] >= 0:
        walked: _Walked = known[1]
    else:
        walked = _sorted_out(folder, listing)
        MEMORY.walked[folder] = (signature, walked)
    if walked.markdown:
        found.markdown.setdefault(folder, []).extend(walked.markdown)
    found.others.update(walked.others)
    found.refused.extend(walked.refused)
    for sub in walked.folders:
        _walk_folder(sub, found)


def _sorted_out(folder: Path, listing: list[tuple[str, str]]) -> _Walked:
    markdown, others, refused, folders = [], [], [], []
    for name, kind in listing:
        path = folder / name
        if kind == "link-folder" or kind == "link":
            message = f"`{name}` is a symbolic link; briefs/ holds plain files only"
            if kind == "link-folder" or not name.endswith(".md"):
                refused.append((path, "BR207", message, "replace it with the file itself"))
            else:
                others.append(path)  # a linked .md: reported as the file beside a brief it is
        elif kind == "folder":
            if name.startswith("."):
                refused.append((path, "BR206", f"`{name}`: hidden folders have no place in briefs/", ""))
            else:
                folders.append(path)
        elif name.endswith(".md") and not name.startswith("."):
            markdown.append(path)
        else:
            others.append(path)
    return _Walked(tuple(markdown), tuple(others), tuple(refused), tuple(folders))


def _listed(folder: Path) -> tuple[tuple[int, int], list[tuple[str, str]]]:
    """A folder's entries by name, each a ``link-folder``, ``link``, ``folder`` or ``file``.

    Remembered while the folder's modification time stays as it was (adding,
    removing or renaming an entry changes it), so that the live preview's
    rebuild after an edit lists none of the archive's thousands of folders again.
    """
    known = MEMORY.listings.get(folder)
    if known is not None and _vouched(folder):
        return known
    status = os.stat(folder, follow_symlinks=False)
    signature = (status.st_mtime_ns, status.st_ino)
    if known is not None and known[0] == signature and time.time_ns() - status.st_mtime_ns > _RECENT_NS:
        return signature, known[1]
    listing = []
    # scandir tells links from folders and files without a system call per entry.
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink():
                kind = "link-folder" if entry.is_dir(follow_symlinks=True) else "link"
            else:
                kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            listing.append((entry.name, kind))
    MEMORY.listings[folder] = (signature, listing)
    if time.time_ns() - status.st_mtime_ns <= _RECENT_NS:
        return (-1, -1), listing  # changed just now: may change again within the clock's step, so not to be trusted
    return signature, listing


def _sort_file(path: Path, found: _Entries) -> None:
    if path.suffix == ".md" and not path.name.startswith(".") and not path.is_symlink():
        found.markdown.setdefault(path.parent, []).append(path)
    else:
        found.others.add(path)


@dataclass
class Discovered:
    """What is below ``briefs_dir``: brief folders, the images beside them, and what may not be there."""

    folders: dict[Path, dict[str, Path]]  # folder -> {lang: file}
    images: dict[Path, list[Path]]  # folder -> the images it may publish
    findings: list[Finding]
    #: Why each refused file beside a brief is refused: ``(code, message, hint)``.
    refused: dict[Path, tuple[str, str, str]] = field(default_factory=dict)
    #: How many folders the walk entered.
    walked: int = 0


def discover(settings: Settings, paths: list[Path] | None = None, *, assets: bool = True) -> Discovered:
    """Brief folders, their images (each checked once, here) and findings for stray and forbidden files.

    Without ``assets``, the brief folders and their Markdown files only (what the desk reads).
    """
    root = settings.briefs_dir.resolve()
    folders: dict[Path, dict[str, Path]] = {}
    findings: list[Finding] = []
    langs = settings.languages
    entries = _walk(paths or [settings.briefs_dir])
    inside = paths is None
    # A walk of the whole folder lists each folder once, its files sorted; named paths may overlap.
    groups = entries.markdown if inside else {parent: sorted(set(files)) for parent, files in entries.markdown.items()}
    # As the files sort by their parts: the folder's, then its first file's name (split as text, faster than Path.parts).
    order = sorted(groups, key=lambda parent: [*os.fspath(parent).split(os.sep), groups[parent][0].name])
    for parent in order:
        walked = MEMORY.walked.get(parent)
        key = (walked[1] if walked else None, tuple(langs), root, settings.root, inside)
        known = MEMORY.briefs_in.get(parent)
        if paths is None and walked is not None and known is not None and known[0] == key:
            by_lang, found = known[1]
        else:
            folder = _resolved(parent, root, settings.briefs_dir, inside)
            by_lang, found = _folder_files(settings, folder, groups[parent], root, paths)
            if paths is None and walked is not None:
                MEMORY.briefs_in[parent] = (key, (by_lang, found))
        if by_lang:
            folders[by_lang[0]] = dict(by_lang[1])
        findings += found
    if not assets:
        return Discovered(folders, {}, findings, walked=entries.folders)
    return _with_assets(settings, entries, folders, findings)


def _resolved(parent: Path, root: Path, briefs_dir: Path, inside: bool) -> Path:
    """A folder the walk found, resolved: the walk never enters a link, so below briefs/ it is the resolved root and the rest."""
    if not inside:
        return parent.resolve()
    return parent if root == briefs_dir else root / parent.relative_to(briefs_dir)


def _folder_files(
    settings: Settings, folder: Path, files: list[Path], root: Path, paths: list[Path] | None
) -> tuple[tuple[Path, tuple[tuple[str, Path], ...]] | None, tuple[Finding, ...]]:
    """One folder's Markdown files: the brief's version per language (the folder resolved), and findings for the rest.

    Remembered by the walk's record of the folder: after an edit elsewhere, a folder is not looked at again.
    """
    langs = settings.languages
    versions: list[tuple[str, Path]] = []
    findings: list[Finding] = []
    # The files are one folder's, as the walk found them (by name: a Path per language would be made and hashed for every file).
    names = {path.name for path in files}
    wanted = [f"{lang}.md" for lang in langs]
    is_brief_folder = folder != root and (
        any(name in names for name in wanted) or bool(paths and any((files[0].parent / name).is_file() for name in wanted))
    )
    for path in files:
        stem = path.name[:-3]
        if is_brief_folder and stem in langs:
            versions.append((stem, path))
            continue
        display = relative_path(path, settings.root)
        if _LANG_LIKE.match(stem) and folder != root:
            message = f"`{path.name}`: `{stem}` is not a configured language ({', '.join(langs)})"
            findings.append(
                Finding(display, 1, 1, Severity.ERROR, "BR202", message, "rename it or add the language to `languages`")
            )
        else:
            message = "Markdown file outside a brief folder"
            hint = f"briefs live in briefs/<brief-id>/{{{','.join(langs)}}}.md"
            findings.append(Finding(display, 1, 1, Severity.ERROR, "BR201", message, hint))
    return ((folder, tuple(versions)) if versions else None), tuple(findings)


def _with_assets(
    settings: Settings, entries: _Entries, folders: dict[Path, dict[str, Path]], findings: list[Finding]
) -> Discovered:
    """The files beside the briefs: images that may be published, and findings for the rest."""
    # By name: a parent path is made and hashed anew for each of thousands of briefs (a preview rebuilds often).
    brief_folders = {os.path.dirname(path) for by_lang in folders.values() for path in by_lang.values()}
    refused: dict[Path, tuple[str, str, str]] = {}
    for path, code, message, hint in entries.refused:
        refused[path] = (code, message, hint)
        findings.append(Finding(relative_path(path, settings.root), 1, 1, Severity.ERROR, code, message, hint or None))
    images: dict[Path, list[Path]] = {}
    for path in sorted(entries.others):
        problem = _asset_problem(path)
        if problem is not None:
            refused[path] = problem
        if problem is None and os.path.dirname(path) not in brief_folders:
            hint = "put images in the folder of the brief that shows them"
            problem = ("BR201", f"`{path.name}` is outside a brief folder", hint)
        if problem is not None:
            code, message, hint = problem
            findings.append(Finding(relative_path(path, settings.root), 1, 1, Severity.ERROR, code, message, hint))
        else:
            images.setdefault(path.parent, []).append(path)
    return Discovered(folders, images, findings, refused, entries.folders)


def _lead_image_findings(brief: Brief, file: BriefFile, discovered: Discovered, named: set[Path]) -> list[Finding]:
    """The lead image's file, as its brief names it: there, and an image that may be published.

    Checked here, not with the brief's file (whose check is cached by its own
    bytes): the image may come, go or change while the brief stays as it is.
    A refused file is reported where the brief names it (and added to ``named``),
    the line a writer edits, instead of once more as a file of the folder.
    """
    assert brief.image is not None
    path = brief.path.parent / brief.image.src
    where = ("image", "src")
    problem = discovered.refused.get(path)
    if problem is not None:
        named.add(path)
        code, message, hint = problem
        return [file.finding(code, f"`image.src`: {message}", where, suggestion=hint or None)]
    if path not in discovered.images.get(brief.path.parent, ()):
        message = f"`image.src`: there is no file `{brief.image.src}` beside the brief"
        return [file.finding("BR119", message, where, suggestion=_ADD_IMAGE)]
    return []


_ADD_IMAGE = "add the image to the brief's folder, or correct its name"
_BESIDE = "put the image in the brief's folder and link it by its file name"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _body_image_findings(checked: Checked, file: BriefFile, discovered: Discovered, named: set[Path]) -> list[Finding]:
    """Each image the body shows is a file of the brief's folder that may be published, reported at its line.

    An address is reported while rendering (another host, or a scheme the policy removes).
    """
    assert checked.brief is not None
    folder = checked.brief.path.parent
    found = []
    for image in checked.body_images:
        if not image.src or is_remote(image.src) or _SCHEME.match(image.src):
            continue
        at = Mark(image.line, image.column)
        if not image.alt.strip():
            # Readers who cannot see it learn nothing of it (SPEC §11: a warning in the body, an error for the lead).
            message = f"the body: image `{image.src[:80]}` has no alt text"
            hint = f"say what it shows: ![A chart of …]({image.src[:80]})"
            found.append(file.finding("BR121", message, at, severity=Severity.WARNING, suggestion=hint))
        name = file_name(image.src)
        if name is None:
            message = f"the body: image `{image.src[:80]}` leaves the brief's folder; name a file beside the brief"
            found.append(file.finding("BR119", message, at, suggestion=_BESIDE))
        elif (problem := discovered.refused.get(folder / name)) is not None:
            named.add(folder / name)
            code, message, hint = problem
            found.append(file.finding(code, f"the body: image {message}", at, suggestion=hint or None))
        elif not name.lower().endswith(IMAGE_SUFFIXES):
            # Not an image's name (raw HTML such as `<img src=x>`): nothing of the folder is published for it.
            message = f"the body: image `{name[:80]}` names no image file (.png .jpg .jpeg .gif .webp .avif .svg)"
            found.append(file.finding("BR119", message, at, severity=Severity.WARNING, suggestion=_ADD_IMAGE))
        elif folder / name not in discovered.images.get(folder, ()):
            message = f"the body: there is no file `{name}` beside the brief"
            found.append(file.finding("BR119", message, at, suggestion=_ADD_IMAGE))
    return found


def sized_parts(brief: Brief, parts: RenderedParts, images: dict[Path, list[Path]]) -> RenderedParts:
    """``parts`` with the body's images sized from the files beside ``brief`` (see figures.py)."""
    if not remembered(parts, "_has_images", lambda: any("<img" in piece for piece in parts.body_html)):
        return parts  # first: a new Path's hash costs more than looking at the text (once per parts)
    files = images.get(brief.path.parent, ())
    if not files:
        return parts
    sizes = {path.name: None if path.suffix.lower() == ".svg" else image_size(path) for path in files}
    return dataclasses.replace(parts, body_html=tuple(sized(piece, sizes) for piece in parts.body_html))


def image_digest(path: Path) -> str:
    """:func:`file_digest` of a checked image: what its renditions are cached and published by."""
    return file_digest(path, MAX_IMAGE_BYTES)


def image_size(path: Path) -> ImageSize:
    """A checked raster image's upright size, from its header; read again only when the file's status changed."""
    known = MEMORY.sizes.get(path)
    if known is not None and _vouched(path):
        return known[1]
    status = os.stat(path, follow_symlinks=False)
    signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
    if known is not None and known[0] == signature and time.time_ns() - status.st_ctime_ns > _RECENT_NS:
        return known[1]
    size = inspect(read_plain_file(path, MAX_IMAGE_BYTES), path.name)
    MEMORY.sizes[path] = (signature, size)
    return size


def _asset_problem(path: Path) -> tuple[str, str, str] | None:
    """:func:`asset_problem`, worked out again only when the file's status has changed (see :func:`file_digest`)."""
    known = MEMORY.assets.get(path)
    if known is not None and _vouched(path):
        return known[1]
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return asset_problem(path)
    signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
    if known is not None and known[0] == signature and time.time_ns() - status.st_ctime_ns > _RECENT_NS:
        return known[1]
    problem = asset_problem(path)
    MEMORY.assets[path] = (signature, problem)
    return problem


@dataclass(frozen=True)
class _Task:
    path: Path
    display: str
    brief_id: str
    lang: str


@dataclass
class Checked:
    """One file after loading, validation and (optionally) rendering."""

    file: BriefFile
    brief: Brief | None
    parts: RenderedParts | None = None
    #: The images the body shows, where the file names them (checked against the folder by the corpus).
    body_images: tuple[BodyImage, ...] = ()


def _renderer(settings: Settings) -> Renderer:
    key = markdown_fingerprint(settings)
    if key not in MEMORY.renderers:
        MEMORY.renderers[key] = Renderer(settings.markdown_extensions, settings.markdown_configs)
    return MEMORY.renderers[key]


def _check(settings: Settings, render: bool, task: _Task) -> Checked:
    file = load_brief_file(task.path, task.display)
    renderer = _renderer(settings)
    brief = check_brief(file, task.brief_id, task.lang, settings, renderer)
    parts = render_parts(brief, renderer) if render and brief is not None else None
    shown: tuple[BodyImage, ...] = ()
    if brief is not None:
        raw = renderer.block(file.split.markdown if file.split.blocks else file.body).raw
        shown = body_images(raw, file.body, file.body_line) if "<img" in raw else ()
        # The brief holds what was read; the file keeps its name, places and findings.
        # Results cross from worker processes and into the cache: half the size is half the time.
        # Only the top-level places are read again (by the rules across a pair).
        places = file.positions
        kept = Positions(_top_level(places.keys), _top_level(places.values))
        file = dataclasses.replace(file, fields={}, body="", positions=kept, split=SplitBody((), ""), blocks=[])
    return Checked(file, brief, parts, shown)


def _top_level(places: dict[FieldPath, Mark]) -> dict[FieldPath, Mark]:
    return {path: mark for path, mark in places.items() if len(path) <= 1 or path[0] in {"translated_from", "image"}}


def worker_count() -> int:
    return min(os.cpu_count() or 1, 8)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked from this one: they inherit the imported modules and
    everything built so far, so they start at once and need nothing sent to them."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64


#: A file whose status changed this recently is read again: a second change
#: within the file system's timestamp granularity leaves the status as it was.
_RECENT_NS = 2_000_000_000


def file_signature(path: Path) -> str | None:
    """A file's status as text (modification and change time, size, inode), or ``None`` if it changed just now or is gone.

    What a kept record of the file's bytes is checked against: a file whose status is as it was has
    the same bytes (no tool sets the change time back), except within the file system's clock step.
    """
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if time.time_ns() - status.st_ctime_ns <= _RECENT_NS:
        return None
    return f"{status.st_mtime_ns} {status.st_ctime_ns} {status.st_size} {status.st_ino}"


def _vouched(path: Path) -> bool:
    """Whether the live preview's watcher vouches that ``path`` is as this process last saw it (notices.py)."""
    vouched = MEMORY.vouched
    return vouched is not None and vouched.unchanged(path)


def file_digest(path: Path, limit: int = MAX_BYTES) -> str:
    """The digest of a file's bytes (at most ``limit``: a brief's, or an image's), read again only when its status has changed.

    The live preview loads every brief after each edit; reading only the
    changed files keeps that quick. The change time is in the status because
    no tool can set it back, unlike the modification time.
    """
    known = MEMORY.digests.get(path)
    if known is not None and _vouched(path):
        return known[1]
    status = os.stat(path, follow_symlinks=False)
    signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
    if known is not None and known[0] == signature and known[2]:
        return known[1]
    # Read while its status may still change unseen (within the clock's step), a digest is not kept as settled:
    # the file is read again once its status is older.
    settled = time.time_ns() - status.st_ctime_ns > _RECENT_NS
    try:
        # As the check reads it: a regular file, never through a link, never more than a brief may hold.
        value = digest(read_plain_file(path, limit + 1))
    except OSError as exc:
        value = digest("unreadable", type(exc).__name__, repr(signature))  # the check says why
        settled = False
    MEMORY.digests[path] = (signature, value, settled)
    return value


#: What a cache entry of a checked file may hold: these classes, and nothing else.
CHECKED: Codec[Checked] = Codec(
    Checked,
    Checked,
    BodyImage,
    TranslatedFrom,
    BriefFile,
    Positions,
    Mark,
    InvalidScalar,
    Finding,
    Brief,
    Source,
    Comparison,
    Claim,
    Correction,
    LeadImage,
    RenderedParts,
    Heading,
    SplitBody,
    BodyBlock,
)


def check_files(settings: Settings, tasks: list[_Task], *, render: bool) -> tuple[list[Checked], list[str]]:
    """Check (and render) files, from the cache where possible, on every core otherwise.

    Returns each file's result and its cache key.
    """
    folder = trusted_folder(settings.cache_dir)
    store = DiskCache(folder, "files", CHECKED, remember=True)
    context = digest(code_fingerprint(), settings_fingerprint(settings), str(render))
    keys = [_file_key(context, t) for t in tasks]
    results: list[Checked | None] = [_placed(store.get(key), task) for key, task in zip(keys, tasks, strict=True)]
    missing = [i for i, result in enumerate(results) if result is None]
    work = partial(_check_and_store, settings, render, folder)
    todo = [(tasks[i], keys[i]) for i in missing]
    workers = worker_count()
    if len(missing) >= PARALLEL_THRESHOLD and workers > 1:
        with forked_pool(workers) as pool:
            fresh = list(pool.map(work, todo, chunksize=16))
    else:
        fresh = [work(item) for item in todo]
    for i, result in zip(missing, fresh, strict=True):
        results[i] = result
        store.keep(keys[i], result)
    return results, keys  # type: ignore[return-value]


def _file_key(context: str, task: _Task) -> str:
    """A checked file's cache key: worked out once per process for each version of the file (a preview loads often)."""
    made_of = (context, task.display, task.brief_id, task.lang, file_digest(task.path))
    key = MEMORY.file_keys.get(made_of)
    if key is None:
        key = MEMORY.file_keys[made_of] = digest(*made_of)
    return key


def _placed(result: Checked | None, task: _Task) -> Checked | None:
    """A cached result at the file's own place: the cache may come from another checkout (a restored CI cache)."""
    if result is None or result.file.path is task.path or result.file.path == task.path:
        return result
    brief = dataclasses.replace(result.brief, path=task.path) if result.brief is not None else None
    return dataclasses.replace(result, file=dataclasses.replace(result.file, path=task.path), brief=brief)


def _check_and_store(settings: Settings, render: bool, folder: Path | None, item: tuple[_Task, str]) -> Checked:
    """Check one file and write its cache entry where the work was done (a worker, on its own core)."""
    task, key = item
    result = _check(settings, render, task)
    DiskCache(folder, "files", CHECKED).put(key, result)
    return result


#: Findings that compare a folder with the others: a folder that has one is loaded again each time.
_ACROSS_FOLDERS = {"BR203", "BR205"}


@dataclass(frozen=True)
class _FolderLoad:
    """What one brief folder gave a load: taken again while its checked files and images are the same.

    A live preview loads the whole archive after every save; all but the saved folder give what they gave.
    """

    pair: Pair
    found: list[Finding]
    files: dict[str, BriefFile]
    #: Each page of the pair, and the file shown as producing it.
    urls: dict[str, str]
    parts: dict[str, RenderedParts]
    sources: dict[str, str]
    #: What the pair's versions say of each other; None when the folder has errors (its brief is left out).
    paired: list[Finding] | None
    #: Each image beside the brief with its digest.
    images: tuple[tuple[Path, str], ...]


def _image_states(images: list[Path] | tuple[Path, ...]) -> tuple[tuple[Path, str], ...] | None:
    """Each image with its digest; None when one went since the walk (the folder is then loaded again)."""
    try:
        return tuple((image, image_digest(image)) for image in images)
    except OSError:
        return None


def _same_load(folder: Path, options: object, inputs: tuple[object, ...], ids: dict[str, Path], urls: dict[str, str]) -> bool:
    """Whether the last load of ``folder`` stands: the same options, checked files (the same objects) and images,
    and no other folder that now claims its id or a page of it."""
    known = MEMORY.folder_loads.get(folder)
    if known is None or known[0][0] != options:
        return False
    before = known[0][1]
    if len(before) != len(inputs):
        return False
    # The checked files by identity (the cache's memory gives the same objects for the same bytes); images by digest.
    if not all(a is b or (isinstance(a, tuple) and a == b) for a, b in zip(before, inputs, strict=True)):
        return False
    made: _FolderLoad = known[1]
    return folder.name not in ids and not any(b.url in urls for b in made.pair.versions.values())


def _apply_load(
    made: _FolderLoad, corpus: Corpus, ids: dict[str, Path], urls: dict[str, str], settings: Settings, settled: dt.datetime
) -> None:
    ids.setdefault(made.pair.id, made.pair.folder)
    corpus.image_states[made.pair.id] = made.images
    urls.update(made.urls)
    corpus.parts.update(made.parts)
    corpus.sources.update(made.sources)
    corpus.files += made.files.values()
    corpus.findings += made.found
    if made.paired is not None:
        # A translation held back with its original changes with the clock: checked again unless long published.
        steady = all(not b.draft and b.published_at < settled for b in made.pair.versions.values())
        corpus.findings += made.paired if steady else check_pair(made.pair, made.files, settings)
        corpus.pairs.append(made.pair)


def load_corpus(settings: Settings, paths: list[Path] | None = None, *, render: bool = False) -> Corpus:
    """Load, validate and pair every brief below ``settings.briefs_dir`` (or ``paths``).

    With ``render``, each brief's parts are also rendered to HTML (``Corpus.parts``).
    """
    # The live preview's watcher may vouch for the files it saw no change to; a load of named paths takes no notices.
    MEMORY.vouched = MEMORY.notices.take() if paths is None else None
    if MEMORY.vouched is not None:
        MEMORY.forget_paths(MEMORY.vouched.touched)  # spent here, whether or not this load asks about them
    try:
        return _load_corpus(settings, paths, render=render)
    finally:
        MEMORY.vouched = None


def _load_corpus(settings: Settings, paths: list[Path] | None, *, render: bool) -> Corpus:
    # A process's first load of the whole archive takes the files' digests the last one kept.
    recalled = recall_digests(settings) if paths is None and not MEMORY.digests else None
    discovered = discover(settings, paths)
    if paths is None:
        MEMORY.notices.walked(discovered.walked)
    folders = discovered.folders
    corpus = Corpus(findings=[*settings.outlet_findings, *discovered.findings], images=discovered.images)
    ordered = sorted(folders.items())
    tasks = [
        _Task(path, relative_path(path, settings.root), folder.name, lang)
        for folder, by_lang in ordered
        for lang in settings.languages
        if (path := by_lang.get(lang)) is not None
    ]
    checked = iter(zip(*check_files(settings, tasks, render=render), strict=True))
    ids: dict[str, Path] = {}
    urls: dict[str, str] = {}
    named: set[Path] = set()  # refused files reported where a brief names them
    # A refused file may be named from another folder: then no folder's load is taken from the last.
    options = (tuple(settings.languages), settings.require_pairs, settings.root, render) if not discovered.refused else None
    settled = settings.now - dt.timedelta(days=2)
    for folder, by_lang in ordered:
        brief_id = folder.name
        results: dict[str, Checked] = {}
        keys: dict[str, str] = {}
        for lang in settings.languages:
            if lang in by_lang:
                results[lang], keys[lang] = next(checked)
        # The images as the walk keyed them: by the folder it found, which ``folder`` is resolved from.
        images = _image_states(discovered.images.get(next(iter(by_lang.values())).parent, ()))
        inputs = (*results.values(), *keys.values(), images)
        if options is not None and images is not None and _same_load(folder, options, inputs, ids, urls):
            _apply_load(MEMORY.folder_loads[folder][1], corpus, ids, urls, settings, settled)
            continue
        corpus.image_states[brief_id] = images or ()
        files = {lang: result.file for lang, result in results.items()}
        first = next(iter(files.values()))
        # Findings across files go here: checked files may be shared with other
        # builds of this process (the cache's memory) and are never changed.
        found = [f for file in files.values() for f in file.findings]
        if not ID_PATTERN.match(brief_id):
            found.append(
                first.finding(
                    "BR204",
                    f"brief folder name `{brief_id}` must match ^[a-z0-9][a-z0-9-]*$",
                    START,
                    suggestion="use lower-case letters, digits and `-`, e.g. 2026-01-23-rome-talks",
                )
            )
        elif brief_id in ids:
            other = relative_path(ids[brief_id], settings.root)
            found.append(
                first.finding(
                    "BR203",
                    f"brief id `{brief_id}` is also used by {other}",
                    START,
                    suggestion="brief ids are unique across briefs/",
                )
            )
        ids.setdefault(brief_id, folder)
        pair = Pair(brief_id, folder)
        for lang, result in results.items():
            brief = result.brief
            if brief is not None:
                if brief.url in urls:
                    found.append(
                        files[lang].finding(
                            "BR205",
                            f"page /{brief.url} is also produced by {urls[brief.url]}",
                            ("slug",),
                            suggestion="set a different `slug:`",
                        )
                    )
                    continue
                urls[brief.url] = files[lang].display
                pair.versions[lang] = brief
                if result.parts is not None:
                    corpus.parts[brief.url] = sized_parts(brief, result.parts, discovered.images)
                corpus.sources[brief.url] = keys[lang]
        for lang, result in results.items():
            if result.brief is not None and result.brief.image is not None:
                found += _lead_image_findings(result.brief, files[lang], discovered, named)
            if result.brief is not None and result.body_images:
                found += _body_image_findings(result, files[lang], discovered, named)
        corpus.files += files.values()
        corpus.findings += found
        ok = not any(f.is_error for f in found)
        paired = check_pair(pair, files, settings) if ok else []
        if ok:
            corpus.findings += paired
            corpus.pairs.append(pair)
        if options is not None and images is not None and not any(f.code in _ACROSS_FOLDERS for f in found):
            parts = {b.url: corpus.parts[b.url] for b in pair.versions.values() if b.url in corpus.parts}
            sources = {b.url: corpus.sources[b.url] for b in pair.versions.values()}
            pages = {b.url: files[lang].display for lang, b in pair.versions.items()}
            made = _FolderLoad(pair, found, files, pages, parts, sources, paired if ok else None, images)
            MEMORY.folder_loads[folder] = ((options, inputs), made)
    if recalled is not None:
        keep_digests(settings, [*(task.path for task in tasks), *chain.from_iterable(discovered.images.values())], recalled)
    if named:
        shown = {relative_path(path, settings.root) for path in named}
        corpus.findings = [f for f in corpus.findings if not (f.line == 1 and f.column == 1 and f.path in shown)]
    corpus.findings = sort_findings(corpus.findings)
    return corpus
