"""The social cards of one build: kept from the last build, read from the cache, or drawn.

A card the last build left unchanged is moved back into the site, like a
page; the others are read from the cache or drawn, by worker processes forked
once the pages are written, straight into the site folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, partial
from pathlib import Path

from ..core.cache import DiskCache
from ..core.codec import Codec
from ..core.collector import freeze
from ..core.corpus import forked_pool, worker_count
from ..core.model import Brief
from ..core.settings import Settings
from ..site.cards import LOGO_PATH, Card, card_for, card_key, card_path, draws_card, render_card, render_logo
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

    def write(self, previous: PreviousOutput | None) -> None:
        """Every card in the site folder: taken back from the last build, or drawn (or read from the cache)."""
        drawn = set(self._drawn)
        taken = previous.take_pages(path for path in self.briefs if path not in drawn) if previous else set()
        missing = [path for path in self.briefs if path not in taken]
        if self.briefs:
            target = self.site_dir / LOGO_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.logo())
        if missing:
            self._draw(missing)

    def _draw(self, paths: list[str]) -> None:
        """Cards into the site folder, in worker processes forked once the pages are written.

        Forked then, they share the machine with search alone, and no process
        lives beside the whole build (whose memory every forked process would
        make the build copy as it changes it).
        """
        workers = worker_count() if len(paths) >= PARALLEL_CARDS else 1
        if workers == 1:
            self._draw_share(paths, 0, 1)
            return
        global _DRAW
        _DRAW = partial(self._draw_share, paths)
        try:
            with forked_pool(workers) as pool:
                list(pool.map(_draw_share, range(workers), [workers] * workers))
        finally:
            _DRAW = None

    def _draw_share(self, paths: list[str], share: int, shares: int) -> None:
        made: set[Path] = set()
        for path in paths[share::shares]:
            target = self.site_dir / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(self.png(path))

    def png(self, path: str) -> bytes:
        """One card's bytes: from the cache when it has them, else drawn (and kept there)."""
        card, key = self.card(path)
        data = self.cache.get(key)
        if data is None:
            data = render_card(card)
            self.cache.put(key, data)
        return data

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


#: The build's card drawing, for the workers forked in ``SocialCards._draw`` (they inherit it; nothing is sent).
_DRAW: Callable[[int, int], None] | None = None


def _draw_share(share: int, shares: int) -> None:
    assert _DRAW is not None
    freeze()  # the inherited plan is never garbage here
    _DRAW(share, shares)
