"""The social cards of one build: kept from the last build, read from the cache, or drawn.

A card the last build left unchanged is moved back into the site, like a
page; the others are read from the cache or drawn straight into the site
folder, by the workers of :class:`~.beside.Beside` while the pages are rendered
when there are many.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, partial
from pathlib import Path

from ..core.cache import DiskCache
from ..core.codec import Codec
from ..core.model import Brief
from ..core.settings import Settings
from ..site.cards import LOGO_PATH, Card, card_for, card_key, card_path, draws_card, render_card, render_logo
from ..site.kinds import PageKind
from ..site.plan import SitePlan
from .beside import Beside, chunks
from .previous import PreviousOutput

log = logging.getLogger("mkdocs.plugins.briefs")

CARD: Codec[bytes] = Codec(bytes)
#: Cards a worker draws per job (a few milliseconds each).
CARDS_A_JOB = 100


class SocialCards:
    """Every brief page's card, and the publisher's logo: ``site path -> key``, and how each gets there."""

    def __init__(self, plan: SitePlan, settings: Settings, site_dir: Path, *, enabled: bool = True) -> None:
        self.settings = settings
        self.site_dir = site_dir.resolve()
        self.cache = DiskCache(settings.cache_dir, "cards", CARD)
        self.plan = plan
        self.enabled = enabled
        self._cards: dict[str, tuple[Card, str]] = {}
        self._drawn: list[str] = []

    @cached_property
    def briefs(self) -> dict[str, Brief]:
        """Each card's brief by the card's site path, listed when first asked for; what a card shows and its key are
        made when it is first asked for (the live preview, rebuilt on every save, asks for the few a browser shows)."""
        if not self.enabled:
            return {}
        return {
            card_path(s.brief): s.brief
            for s in self.plan.pages
            if s.kind is PageKind.BRIEF and s.brief and draws_card(s.brief, self.settings)
        }

    def card(self, path: str) -> tuple[Card, str]:
        """What the card at ``path`` shows, and its key."""
        found = self._cards.get(path)
        if found is None:
            card = card_for(self.briefs[path], self.settings)
            found = self._cards[path] = (card, card_key(card))
        return found

    @property
    def keys(self) -> dict[str, str]:
        """What the build leaves in the site folder, for the next build's record."""
        found = {path: f"card {self.card(path)[1]}" for path in self.briefs}
        if self.briefs:
            found[LOGO_PATH] = f"logo {self.settings.site_name}"
        return found

    def start(self, previous: PreviousOutput | None) -> None:
        """See which cards the last build left unchanged (before MkDocs cleans the site folder)."""
        keys = self.keys
        self._drawn = [path for path in self.briefs if not (previous and previous.has_page(path, keys[path]))]
        cached = sum(self.cache.has(self.card(path)[1]) for path in self._drawn)
        log.info(
            f"Briefs: {len(self.briefs)} social cards: {len(self.briefs) - len(self._drawn)} kept in place, "
            f"{cached} from the cache, {len(self._drawn) - cached} to draw"
        )

    def to_draw(self) -> int:
        """How many cards are neither kept in place nor in the cache."""
        return sum(not self.cache.has(self.card(path)[1]) for path in self._drawn)

    def write(self, previous: PreviousOutput | None, beside: Beside | None = None) -> None:
        """Every card in the site folder: taken back from the last build, or drawn (or read from the cache).

        Drawn here, or by the workers of ``beside`` while the pages are rendered.
        """
        drawn = set(self._drawn)
        taken = previous.take_pages(path for path in self.briefs if path not in drawn) if previous else set()
        missing = [path for path in self.briefs if path not in taken]
        if self.briefs:
            target = self.site_dir / LOGO_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.logo())
        jobs = [(path, *self.card(path)) for path in missing]
        cache_dir = str(self.settings.cache_dir) if self.settings.cache_dir else None
        if beside is None:
            draw_cards(str(self.site_dir), cache_dir, jobs)
            return
        for part in chunks(jobs, CARDS_A_JOB):
            beside.submit(draw_cards, str(self.site_dir), cache_dir, part)

    def png(self, path: str) -> bytes:
        """One card's bytes: from the cache when it has them, else drawn (and kept there)."""
        return _card_bytes(self.cache, *self.card(path))

    def logo(self) -> bytes:
        return render_logo(self.settings.site_name)

    def live_files(self) -> Mapping[str, Callable[[], bytes]]:
        """For the live preview: each card made when a browser asks for it."""
        return _LiveCards(self)


class _LiveCards(Mapping[str, Callable[[], bytes]]):
    """The preview's cards by path, looked up when asked for: a rebuild makes no entry per brief."""

    def __init__(self, cards: SocialCards) -> None:
        self.cards = cards

    def __getitem__(self, path: str) -> Callable[[], bytes]:
        if path in self.cards.briefs:
            return partial(self.cards.png, path)
        if path == LOGO_PATH and self.cards.briefs:
            return self.cards.logo
        raise KeyError(path)

    def __iter__(self) -> Iterator[str]:
        yield from self.cards.briefs
        if self.cards.briefs:
            yield LOGO_PATH

    def __len__(self) -> int:
        return len(self.cards.briefs) + bool(self.cards.briefs)


def _card_bytes(cache: DiskCache[bytes], card: Card, key: str) -> bytes:
    data = cache.get(key)
    if data is None:
        data = render_card(card)
        cache.put(key, data)
    return data


def draw_cards(site_dir: str, cache_dir: str | None, jobs: list[tuple[str, Card, str]]) -> None:
    """Cards into the site folder, each ``(site path, what it shows, its key)``: a job for a worker of :class:`Beside`."""
    cache = DiskCache(Path(cache_dir) if cache_dir else None, "cards", CARD)
    made: set[Path] = set()
    for path, card, key in jobs:
        target = Path(site_dir, path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(_card_bytes(cache, card, key))
