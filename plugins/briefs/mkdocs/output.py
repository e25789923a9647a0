"""The generated pages of one build: from the cache, kept in place, or rendered.

A page whose key the last build wrote it under is taken back from the site
folder that build left (previous.py); one found in the page cache is written
from there; the others are rendered, by MkDocs (the pages that head a menu,
which MkDocs must know) or by the plugin into frames (frames.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..core.settings import Settings
from ..search.slim import write_slim
from ..site.kinds import PageKind
from ..site.plan import SitePlan
from .emails import edition_key, edition_path
from .page_cache import PageCache, site_fingerprint
from .previous import PreviousOutput
from .writing import output_path, write_page

log = logging.getLogger("mkdocs.plugins.briefs")


class GeneratedPages:
    """Which of a plan's pages come from where, and writing those that need no template."""

    def __init__(self, plan: SitePlan, page_cache: PageCache | None, previous: PreviousOutput | None, *, frames: bool) -> None:
        self.plan = plan
        self.specs = plan.by_uri()
        self.page_cache = page_cache
        self.previous = previous
        self.frames = frames
        #: Pages whose HTML the page cache holds: read and written one at a time after the build (at
        #: 10,000 pairs a build into an empty folder, as a deploy's, takes 780 MB of pages from there).
        self.cached: set[str] = set()
        #: Pages the last build left in the site folder, unchanged (see previous.py).
        self.kept: set[str] = set()
        for spec in plan.pages if page_cache is not None else []:
            assert page_cache is not None
            key = page_cache.keys.get(spec.src_uri)
            if key and previous is not None and previous.has_page(output_path(spec.src_uri), key):
                self.kept.add(spec.src_uri)  # taken back after MkDocs has cleaned the site folder
                continue
            if self._in_cache(spec.src_uri):
                self.cached.add(spec.src_uri)
        # Pages outside every menu need nothing from MkDocs but a template: they
        # are rendered into frames after the build, unless the site turns that off.
        self.framed = [
            spec
            for spec in plan.pages
            if frames and spec.src_uri not in self.cached and spec.src_uri not in self.kept and not spec.always_rendered
        ]

    @classmethod
    def prepare(
        cls, plan: SitePlan, config: MkDocsConfig, settings: Settings, *, live: bool, dirty: bool, frames: bool
    ) -> GeneratedPages:
        """Before MkDocs cleans the site folder: look up the cache, set the last build's output aside."""
        # The live preview renders a page when a browser asks for it: no cache needed.
        page_cache = (
            None if live else PageCache(settings.cache_dir, site_fingerprint(config, preview=settings.preview), plan.pages)
        )
        previous = None
        if page_cache is not None and settings.cache_dir is not None and not dirty:
            previous = PreviousOutput.set_aside(Path(config.site_dir), settings.cache_dir)
        return cls(plan, page_cache, previous, frames=frames)

    def add_files(self, files: Files, config: MkDocsConfig) -> None:
        """The pages MkDocs renders itself, as generated files out of the global nav."""
        self._take_back()
        framed = {spec.src_uri for spec in self.framed}
        for spec in self.plan.pages:
            if spec.src_uri in self.cached or spec.src_uri in framed or spec.src_uri in self.kept:
                continue  # written after the build, or kept from the last build
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri} clashes with a generated page at /{spec.url}; move or rename it")
            files.append(File.generated(config, spec.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))

    def _take_back(self) -> None:
        """Move the unchanged pages of the last build back into the (now clean) site folder."""
        if self.previous is None:
            return
        paths = {output_path(uri): uri for uri in self.kept}
        # A digest's e-mail edition lives in its page's folder under its page's key: unchanged, it goes
        # back with the page, so that the folder goes back whole (one rename, not one for each file).
        editions = [
            edition_path(spec)
            for spec in map(self.specs.__getitem__, self.kept)
            if spec.kind is PageKind.DIGEST
            and self.page_cache is not None
            and self.previous.has_page(edition_path(spec), edition_key(self.page_cache.keys[spec.src_uri]))
        ]
        taken = self.previous.take_pages([*paths, *editions])
        for path, uri in sorted(paths.items()):
            if path in taken:
                continue
            self.kept.discard(uri)  # changed since it was checked: from the cache, or rendered
            if self._in_cache(uri):
                self.cached.add(uri)
            elif self.frames:
                self.framed.append(self.specs[uri])

    def _in_cache(self, uri: str) -> bool:
        """Whether the page can come from the cache: rendered into a frame if its entry then fails to read
        back; without frames, MkDocs renders it, so it must read back now."""
        if self.page_cache is None:
            return False
        return self.page_cache.has(uri) if self.frames else self.page_cache.get(uri) is not None

    def write_cached(self, site_dir: Path, slim_dir: Path | None, stale: set[str] | None) -> None:
        """Pages from the cache, and slim copies of brief pages that search lacks (``stale``; None: all).

        A page whose entry does not read back (changed since it was found) is rendered with the framed pages.
        """

        def copy_needed(uri: str) -> bool:
            return self.specs[uri].kind is PageKind.BRIEF and (stale is None or output_path(uri) in stale)

        assert self.page_cache is not None or not self.cached
        for uri in sorted(self.cached):
            html = self.page_cache.get(uri) if self.page_cache is not None else None
            if html is None:
                if not self.frames:
                    raise PluginError(f"the page cache's entry of /{self.specs[uri].url} changed during the build; build again")
                self.framed.append(self.specs[uri])
                continue
            write_page(site_dir, uri, html)
            if slim_dir is not None and copy_needed(uri):
                write_slim(slim_dir / output_path(uri), html.decode("utf-8"))
        self.cached.difference_update(spec.src_uri for spec in self.framed)
        reused = len(self.cached) + len(self.kept)
        log.info(f"Briefs: {reused} of {len(self.plan.pages)} generated pages from the cache ({len(self.kept)} kept in place)")
        if slim_dir is None:
            return
        for uri in self.kept:
            if copy_needed(uri):
                path = output_path(uri)
                write_slim(slim_dir / path, (site_dir / path).read_text(encoding="utf-8"))

    def record(self, extra: dict[str, str], shards: dict[str, str]) -> None:
        """What this build leaves in the site folder, for the next to take back."""
        if self.previous is not None and self.page_cache is not None:
            pages = {output_path(uri): key for uri, key in self.page_cache.keys.items()}
            self.previous.finish(pages | extra, shards)

    def discard_previous(self) -> None:
        """Delete what was not taken back (in the background)."""
        if self.previous is not None:
            self.previous.discard()

    def abandon(self) -> None:
        """A failed build: nothing of the last output is kept."""
        if self.previous is not None:
            self.previous.discard()
            self.previous.wait()
