"""Which language versions of a brief go live (SPEC §3, §10): drafts, schedules, and a pair's two halves.

A translation (a file with ``translated_from``) follows its original: while
the original is a draft or scheduled, the translation is held back with it,
so that a reader never meets half a pair that says "not available in English
yet" about a brief the desk has not published.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .model import Brief, Pair
from .settings import Settings


def is_scheduled(brief: Brief, settings: Settings) -> bool:
    """Whether ``brief`` goes live after the build's *now* (SPEC §10)."""
    return brief.goes_live(ZoneInfo(settings.timezone)) > settings.now


def is_held(brief: Brief, settings: Settings) -> bool:
    """Whether the brief itself says it is not live yet: a draft, or scheduled."""
    return brief.draft or is_scheduled(brief, settings)


def held_back_by(brief: Brief, pair: Pair, settings: Settings) -> Brief | None:
    """The original that holds translation ``brief`` back (a draft or scheduled), if any."""
    record = brief.translated_from
    original = pair.versions.get(record.lang) if record is not None else None
    if original is None or original is brief or not is_held(original, settings):
        return None
    return original


def goes_live(brief: Brief, pair: Pair, settings: Settings) -> bool:
    """Whether a production build publishes ``brief``."""
    return not is_held(brief, settings) and held_back_by(brief, pair, settings) is None


def live_versions(pair: Pair, settings: Settings) -> dict[str, Brief]:
    """The versions of ``pair`` that a production build publishes."""
    return {lang: b for lang, b in pair.versions.items() if goes_live(b, pair, settings)}
