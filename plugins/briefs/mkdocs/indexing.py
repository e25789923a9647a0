"""The search index of one build: shards kept, slim copies, and Pagefind runs started early.

A language's shards are indexed as soon as its brief pages are written (the
first language while the others render), so most of Pagefind's work overlaps
the build. Shards whose pages all kept their keys are taken back from the last
build instead.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ..core.settings import Settings
from ..search.pagefind import LanguageIndex, build_index
from ..search.shards import planned_shards, shard_keys
from ..search.slim import SlimStore
from ..site.kinds import PageKind
from ..site.plan import SitePlan
from .output import GeneratedPages
from .scratch import scratch_folder
from .writing import output_path

log = logging.getLogger("mkdocs.plugins.briefs")


class SearchBuild:
    """Pagefind over one build's pages: what to index, what is kept, what has started."""

    def __init__(
        self, plan: SitePlan, settings: Settings, pages: GeneratedPages, site_dir: Path, *, enabled: bool, frames: bool
    ) -> None:
        self.settings = settings
        self.site_dir = site_dir
        self.enabled = enabled
        self.planned = planned_shards(plan.pages)
        keys = pages.page_cache.keys if pages.page_cache is not None else {}
        #: Each shard's key (``pagefind/en/2025-04`` -> key): its pages' keys.
        self.shards = shard_keys(plan.pages, keys) if enabled and pages.page_cache is not None else {}
        self.kept_shards = self._take_back(pages)
        self.store: SlimStore | None = None
        #: Where slim copies of brief pages go while pages are written; None: Pagefind prepares its own.
        self.slim_dir: Path | None = None
        self.brief_keys: dict[str, str] = {}
        if enabled:
            self._choose_slim_copies(plan, settings, pages, frames)
        self.started: dict[str, LanguageIndex] = {}
        self._with_briefs = set(self.planned)

    def _take_back(self, pages: GeneratedPages) -> dict[str, set[str]]:
        """The shards (by language) whose pages are all unchanged, moved back from the last build."""
        kept: dict[str, set[str]] = {}
        for folder, key in self.shards.items():
            lang, shard = folder.split("/")[-2:]
            if pages.previous is not None and pages.previous.take_shard(folder, key):
                kept.setdefault(lang, set()).add(shard)
        if kept:
            count = sum(len(found) for found in kept.values())
            log.info(f"Briefs: {count} of {len(self.shards)} search index shards kept in place")
        return kept

    def _choose_slim_copies(self, plan: SitePlan, settings: Settings, pages: GeneratedPages, frames: bool) -> None:
        """Where brief pages cut down for Pagefind go: the cache's store (with its pages' keys), a scratch folder, or none.

        The workers that render brief pages write the copies too. With a cache,
        they are kept for the next build (SlimStore); without one, and when most
        pages come from the cache, Pagefind's own preparation (beside its run,
        see build_index) costs less than doing it here.
        """
        if not frames:
            return
        if pages.page_cache is not None and settings.cache_dir is not None:
            self.store = SlimStore(settings.cache_dir / "slim")
            self.slim_dir = self.store.folder
            keys = pages.page_cache.keys
            briefs = [spec.src_uri for spec in plan.pages if spec.kind is PageKind.BRIEF and spec.src_uri in keys]
            self.brief_keys = {output_path(uri): keys[uri] for uri in briefs}
        elif len(pages.cached) + len(pages.kept) < len(pages.framed):
            self.slim_dir = scratch_folder("briefs-index-")

    def stale(self) -> set[str] | None:
        """The brief pages whose slim copy is missing or out of date (None: every one)."""
        return self.store.stale(self.brief_keys) if self.store is not None else None

    def first_language(self) -> str | None:
        return next((lang for lang in self.settings.languages if lang in self._with_briefs), None)

    def start(self, languages: list[str]) -> None:
        """Index these languages' shards in the background: their brief pages are all written."""
        if self.slim_dir is None:
            return
        for lang in languages:
            if lang in self.started or lang not in self._with_briefs:
                continue
            shards = [shard for shard in self.planned.get(lang, ()) if shard not in self.kept_shards.get(lang, ())]
            if shards:
                self.started[lang] = LanguageIndex(self.slim_dir, self.site_dir, lang, shards)

    def start_first_language(self) -> None:
        first = self.first_language()
        self.start([first] if first is not None else [])

    def start_the_rest(self) -> None:
        self.start([lang for lang in self.settings.languages if lang in self._with_briefs])

    def finish(self) -> None:
        """Index what is left and wait for every run; keep the slim copies for the next build."""
        build_index(
            self.site_dir,
            self.settings.languages,
            self._with_briefs,
            prepared=self.slim_dir,
            started=self.started,
            kept=self.kept_shards,
            planned=self.planned,
        )
        if self.store is not None:
            self.store.finish(self.brief_keys)

    def close(self) -> None:
        """Stop runs still going (a failed build) and remove a scratch folder."""
        for run in self.started.values():
            run.stop()
        if self.slim_dir is not None and self.store is None:
            shutil.rmtree(self.slim_dir, ignore_errors=True)
