"""The social cards of one build: kept from the last build, read from the cache, or drawn.

Cards are drawn while the rest of the build runs: worker processes forked
once the site is planned, at the lowest priority, so they take the time the
build leaves idle (MkDocs' own steps, feeds, a Pagefind run on one core) and
yield whenever pages are being rendered. They write into a folder beside the
site, which MkDocs does not clean; the build moves their cards in at its end.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from functools import partial
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..core.cache import DiskCache, discard
from ..core.codec import Codec
from ..core.corpus import worker_count
from ..core.settings import Settings
from ..site.cards import Card, card_for, card_key, card_path, logo_path, render_card, render_logo
from ..site.kinds import PageKind
from ..site.plan import SitePlan
from .previous import PreviousOutput

log = logging.getLogger("mkdocs.plugins.briefs")

CARD: Codec[bytes] = Codec(bytes)
#: Below this many cards to draw, a worker process costs more than it saves.
PARALLEL_CARDS = 200


class SocialCards:
    """Every brief page's card, and the publisher's logo: ``site path -> key``, and how each gets there."""

    def __init__(self, plan: SitePlan, settings: Settings, site_dir: Path, *, enabled: bool = True) -> None:
        self.settings = settings
        self.site_dir = site_dir.resolve()
        self.cache = DiskCache(settings.cache_dir, "cards", CARD)
        self.cards: dict[str, tuple[Card, str]] = {}
        if enabled:
            for spec in plan.pages:
                if spec.kind is PageKind.BRIEF and spec.brief is not None:
                    card = card_for(spec.brief, settings)
                    self.cards[card_path(spec.brief)] = (card, card_key(card))
        self.scratch = self.site_dir.parent / f".{self.site_dir.name}.cards"
        self._workers: list[BaseProcess] = []
        self._drawn: list[str] = []

    @property
    def keys(self) -> dict[str, str]:
        """What the build leaves in the site folder, for the next build's record."""
        found = {path: f"card {key}" for path, (_card, key) in self.cards.items()}
        if self.cards:
            found[logo_path()] = f"logo {self.settings.site_name}"
        return found

    def start(self, previous: PreviousOutput | None) -> None:
        """Draw (or read from the cache) every card the last build did not leave unchanged, in the background."""
        keys = self.keys
        self._drawn = [path for path in self.cards if not (previous and previous.has_page(path, keys[path]))]
        cached = sum(self.cache.has(self.cards[path][1]) for path in self._drawn)
        log.info(
            f"Briefs: {len(self.cards)} social cards: {len(self.cards) - len(self._drawn)} kept in place, "
            f"{cached} from the cache, {len(self._drawn) - cached} to draw"
        )
        discard(self.scratch)
        if not self._drawn:
            return
        self.scratch.mkdir(parents=True, exist_ok=True)
        workers = worker_count() if len(self._drawn) >= PARALLEL_CARDS else 1
        context = multiprocessing.get_context("fork")
        for share in range(workers):
            worker = context.Process(target=self._draw_share, args=(share, workers), daemon=True)
            worker.start()
            self._workers.append(worker)

    def _draw_share(self, share: int, shares: int) -> None:
        os.nice(19)  # only the time nothing else of the build wants
        gc.freeze()  # the inherited plan is never garbage here
        made: set[Path] = set()
        for path in self._drawn[share::shares]:
            target = self.scratch / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(self.png(path))

    def png(self, path: str) -> bytes:
        """One card's bytes: from the cache when it has them, else drawn (and kept there)."""
        card, key = self.cards[path]
        data = self.cache.get(key)
        if data is None:
            data = render_card(card)
            self.cache.put(key, data)
        return data

    def logo(self) -> bytes:
        return render_logo(self.settings.site_name)

    def live_files(self) -> dict[str, Callable[[], bytes]]:
        """For the live preview: each card made when a browser asks for it."""
        files: dict[str, Callable[[], bytes]] = {path: partial(self.png, path) for path in self.cards}
        if self.cards:
            files[logo_path()] = self.logo
        return files

    def write(self, previous: PreviousOutput | None) -> None:
        """Every card in the site folder: taken back from the last build, or moved in from the workers'."""
        for worker in self._workers:
            worker.join()
        self._workers = []
        drawn = set(self._drawn)
        taken = 0
        for path in self.cards:
            if path in drawn:
                continue
            if previous and previous.take_page(path):
                taken += 1
            else:
                drawn.add(path)  # changed since it was checked: drawn now
        if self.cards:
            target = self.site_dir / logo_path()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.logo())
        folder = self.site_dir / "cards"
        if not taken and not folder.exists() and (self.scratch / "cards").is_dir():
            os.rename(self.scratch / "cards", folder)  # a cold build: all its cards in one move
        for path in sorted(drawn):
            target, source = self.site_dir / path, self.scratch / path
            if not taken and target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(source, target)
            except OSError:  # a worker that did not get to it (or failed): drawn here
                target.write_bytes(self.png(path))
        shutil.rmtree(self.scratch, ignore_errors=True)

    def abandon(self) -> None:
        """A failed build: stop drawing, and leave nothing beside the site."""
        for worker in self._workers:
            worker.terminate()
            worker.join()
        self._workers = []
        shutil.rmtree(self.scratch, ignore_errors=True)
