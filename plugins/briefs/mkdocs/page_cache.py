"""Whole rendered pages, cached across builds so unchanged pages skip the theme.

Rendering Material's templates is most of the cost of a page. A page's HTML
depends on its own view (the brief, its pair, its lists) and on the site
around it: configuration, theme and overrides, hooks, site pages, the
environment and the versions of every tool. All of that goes into the key, so
an entry is found again only when the page would come out byte for byte the
same.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import subprocess
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..core.cache import DiskCache, code_fingerprint, digest
from ..core.codec import Codec
from ..core.memory import remembered
from ..site.plan import PageSpec
from ..site.views import ListItem

TOOLS = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions", "babel", "nh3", "pagefind")
#: Variables that change between shells without changing any page.
_VOLATILE_ENV = {"_", "OLDPWD", "PWD", "SHLVL", "TERM", "COLUMNS", "LINES", "PYTEST_CURRENT_TEST"}
#: The plugin's variables that say where things go or how a build is measured, never what a page shows.
_PLACES = {"BRIEFS_CACHE_DIR", "BRIEFS_CACHE_KEY_FILE", "BRIEFS_TIMINGS"}
#: A cache entry of a page: its HTML's bytes.
PAGE: Codec[bytes] = Codec(bytes)


def _versions() -> str:
    found = []
    for name in TOOLS:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def _tree(folder: Path | None) -> list[bytes | str]:
    if folder is None or not folder.is_dir():
        return []
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return parts


def _git_head(root: Path) -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def _environment(preview: bool) -> str:
    """The environment a page may depend on.

    A preview (a pull request's run, a writer's machine) may show anything of it, the commit
    and the run included: all of it counts. A published page depends only on the plugin's own
    variables (``BRIEFS_…``); what the build's moment decides, which briefs are live, is in
    the pages' views. So the next run on ``main`` (another run, another commit, another
    ``SOURCE_DATE_EPOCH``) finds every page that did not change, and leaves its file as it was.
    A site's hooks read other variables only for previews (hooks/site.py names the commit there).
    """
    if preview:
        return repr(sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV))
    return repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("BRIEFS_") and k not in _PLACES))


def site_fingerprint(config: MkDocsConfig, *, preview: bool = True) -> str:
    """Everything outside a page's own view that its HTML depends on (``preview``: see :func:`_environment`)."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    root = config_file.parent if config_file else Path.cwd()
    hooks = [Path(h) for h in (config.hooks or {})]
    parts: list[bytes | str] = [
        code_fingerprint(),
        _versions(),
        config_file.read_bytes() if config_file else b"",
        config.site_url or "",
        _environment(preview),
        _git_head(root) if preview else "",
        *_tree(Path(config.theme.custom_dir) if config.theme.custom_dir else None),
        *_tree(Path(config.docs_dir)),
    ]
    for hook in hooks:
        path = hook if hook.is_absolute() else root / hook
        parts += [str(hook), path.read_bytes() if path.is_file() else b""]
    return digest(*parts)


def _content(spec: PageSpec) -> bytes:
    """What the page's view is made of.

    A brief page's view is its pair's files (by their source digests) and its
    reading links; any other page's view is serialized whole (faster than a repr).
    """
    if spec.content_key:
        return b"pair:" + spec.content_key.encode("utf-8") + _serialized(spec.reading)
    return _serialized(spec.view)


def _serialized(value: object) -> bytes:
    """A pickle without memo references: which equal strings happen to be one
    object differs from process to process, and must not change the key.

    A brief's list item is one object in every list that shows it (home, topics, month,
    outlets, digest): it is pickled and digested once, and its digest stands for it in
    the keys of all of them (half the time of pickling every list whole).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo, so the bytes depend on values only
    pickler.dispatch_table = _ONCE
    pickler.dump(value)
    return buffer.getvalue()


def _item_bytes(item: ListItem) -> tuple[type[bytes], tuple[bytes]]:
    """A list item as the digest of its own pickle (kept on it: the item does not change once planned)."""
    return bytes, (remembered(item, "_key_digest", partial(_pickle_digest, item)),)


def _pickle_digest(value: object) -> bytes:
    return hashlib.sha256(_plain(value)).digest()


def _plain(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


_ONCE = {**copyreg.dispatch_table, ListItem: _item_bytes}


def page_key(fingerprint: str, spec: PageSpec) -> str:
    """Everything a generated page's HTML depends on, given the site's fingerprint.

    Kept on the spec, which does not change once planned: the live preview's plan keeps the pages a save
    did not touch, and its search catches up by the keys of all of them.
    """
    known = spec.__dict__.get("_page_key")
    if known is not None and known[0] == fingerprint:
        return str(known[1])
    key = digest(fingerprint, spec.url, spec.template, spec.title, _content(spec), repr(spec.alternates))
    spec.__dict__["_page_key"] = (fingerprint, key)
    return key


class PageCache:
    """The pages of one build: which come from the cache, and where the others go."""

    def __init__(self, folder: Path | None, fingerprint: str, specs: list[PageSpec]) -> None:
        self.store = DiskCache(folder, "pages", PAGE)
        self.fingerprint = fingerprint
        # Keys are computed once per build: a page's view can be large.
        self.keys = {spec.src_uri: page_key(fingerprint, spec) for spec in specs if not spec.always_rendered}

    def has(self, src_uri: str) -> bool:
        """Whether the page's entry is there (:meth:`get` checks that it reads back)."""
        key = self.keys.get(src_uri)
        return key is not None and self.store.has(key)

    def get(self, src_uri: str) -> bytes | None:
        key = self.keys.get(src_uri)
        return self.store.get(key) if key else None

    def put(self, src_uri: str, html: str) -> None:
        key = self.keys.get(src_uri)
        if key:
            self.store.put(key, html.encode("utf-8"))
