"""Social cards and images made beside the pages, by processes that hold none of the archive.

A worker forked from the build shares the build's memory only until either side
writes to it, and rendering pages writes to every object it reads (reference
counts): a page worker forked at 10,000 pairs ends up with its own copy of the
plan, half the build's peak memory. A card or an image needs a few fields and a
file, so both are made by workers started from a fork server (a fresh
interpreter that imported only the modules they need), while this process
renders the pages alone. With enough of them to make, the second core is as
busy as a page worker kept it, and the plan is in memory once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

#: What each costs, roughly, in milliseconds of one core (the bench machine): a page rendered from its
#: frame, a card drawn, an image made in its widths. Only their ratios matter, for :func:`worth_it`.
PAGE_MS, CARD_MS, IMAGE_MS = 6.5, 2.5, 130.0
#: Below this many cards to draw or images to make, starting the workers costs more than it saves.
PARALLEL_CARDS, PARALLEL_IMAGES = 200, 8
#: The modules the workers need, imported once by the fork server.
_MODULES = ["briefs.mkdocs.cards", "briefs.mkdocs.images"]


def worth_it(pages: int, cards: int, images: int) -> bool:
    """Whether the cards and images to make keep the second core busy while one process renders ``pages`` pages.

    Below that, pages rendered on both cores and the rest after them is faster; the
    threshold costs an archive without photos at most an eighth of its time.
    """
    return cards * CARD_MS + images * IMAGE_MS >= 0.75 * pages * PAGE_MS


class Beside:
    """A pool of fork-server workers, given jobs that name what to make (files, keys, texts), never the plan."""

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_MODULES)
        self.pool = ProcessPoolExecutor(workers, mp_context=context)
        self.jobs: list[Future[None]] = []

    def submit(self, job: Callable[..., None], *args: Any) -> None:
        self.jobs.append(self.pool.submit(job, *args))

    def finish(self) -> None:
        """Wait for every job; the first one that failed raises here."""
        try:
            for job in self.jobs:
                job.result()
        finally:
            self.close()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    """``items`` in runs of ``size``: jobs long enough to be worth sending, short enough to share out evenly."""
    return [items[start : start + size] for start in range(0, len(items), size)]
