"""Python's cycle collector, paused while large graphs of data that hold no cycles are built.

Each full pass walks every object alive: reading an archive's tens of thousands
of rows and briefs, the passes that allocation triggers cost more than the
reading itself (at 10,000 pairs, a third of ``briefs status``). What is built
there is released by reference counting all the same.

What was made during the pause then goes straight to the collector's oldest
generation: otherwise the first pass after it walks every object made since
(0.15 s of ``briefs status`` at 10,000 pairs), only to find no garbage.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether :func:`freeze` has moved objects out of the collector's view (counting them walks them all).
_frozen = False


def freeze() -> None:
    """Move every object alive out of the collector's view for good: data that lives as long as the process."""
    global _frozen
    gc.freeze()
    _frozen = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collector pass inside; as it was after (enabled again only if it was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not _frozen:  # unfreeze moves every frozen object: only when none was frozen on purpose
            gc.freeze()  # the youngest generation and all, moved aside without a pass
            gc.unfreeze()  # into the oldest, which only full passes walk
        if enabled:
            gc.enable()
