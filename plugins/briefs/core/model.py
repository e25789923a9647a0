"""The brief and its parts, as plain data.

Nothing here knows about files, YAML or MkDocs: a :class:`Brief` is what a
valid ``en.md`` or ``de.md`` says, and a :class:`Pair` is one brief folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    title: str | None = None
    published: dt.date | dt.datetime | None = None
    lang: str = "de"


@dataclass(frozen=True)
class Claim:
    source: str
    quote: str
    #: The exact article the claim quotes.
    url: str | None = None
    #: The claim verbatim in the outlet's language (its source's ``lang``).
    original: str | None = None


@dataclass(frozen=True)
class Correction:
    """What the desk got wrong in a brief, and what it corrected: ``text`` is inline Markdown."""

    date: dt.date | dt.datetime
    text: str


@dataclass(frozen=True)
class LeadImage:
    """A brief's lead image (SPEC §11): a file of its folder, with what a reader and a licence need."""

    src: str
    alt: str
    credit: str
    #: Inline Markdown.
    caption: str | None = None


@dataclass(frozen=True)
class Comparison:
    topic: str
    summary: str
    claims: tuple[Claim, ...]
    why: str
    #: Written as a block in the body (SPEC §9), and shown there, rather than in the front-matter.
    in_body: bool = False


class TranslatedFrom(NamedTuple):
    """A translation's record of its original: the original's language and the version it was made from.

    A tuple, so that ``("en", "0123456789ab")`` serves wherever a record is expected.
    """

    lang: str
    version: str


@dataclass(frozen=True)
class Brief:
    """One language version of a brief."""

    id: str
    lang: str
    path: Path
    display: str
    title: str
    summary: str
    date: dt.date
    #: ``date`` as written: a date, or a datetime with its offset.
    published: dt.date | dt.datetime
    slug: str
    key_details: tuple[str, ...]
    sources: tuple[Source, ...]
    body: str = ""
    body_line: int = 1
    updated: dt.date | dt.datetime | None = None
    topics: tuple[str, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    draft: bool = False
    authors: tuple[str, ...] = ()
    #: On a translation: which version of which original it follows (SPEC §8).
    translated_from: TranslatedFrom | None = None
    translators: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    image: LeadImage | None = None

    @cached_property
    def url(self) -> str:
        """The page's path below the site root, e.g. ``en/2026/01/23/rome-talks/``."""
        return f"{self.lang}/{self.date:%Y/%m/%d}/{self.slug}/"

    def goes_live(self, zone: dt.tzinfo) -> dt.datetime:
        """When the brief is published: its datetime, or its day at midnight in the site's zone."""
        if isinstance(self.published, dt.datetime):
            return self.published
        return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=zone)

    @cached_property  # sorted by on every rebuild of a preview
    def published_at(self) -> dt.datetime:
        """``published`` as an aware datetime for comparisons (:func:`as_datetime`)."""
        return as_datetime(self.published)

    @cached_property  # compared for every pair on every rebuild of a preview
    def last_change(self) -> dt.datetime:
        """``updated``, else ``date``, as an aware datetime for comparisons."""
        return as_datetime(self.updated or self.published)


@dataclass
class Pair:
    """A brief folder: the language versions of one brief."""

    id: str
    folder: Path
    versions: dict[str, Brief] = field(default_factory=dict)


def newer_version(brief: Brief, versions: Iterable[Brief]) -> Brief | None:
    """The most recently changed of ``versions`` if it changed after ``brief``: ``brief`` is outdated."""
    newest = max(versions, key=lambda b: b.last_change)
    return newest if newest.last_change > brief.last_change else None


def as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    """Dates become midnight UTC so that dates and datetimes compare.

    >>> as_datetime(dt.date(2026, 1, 23)).isoformat()
    '2026-01-23T00:00:00+00:00'
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
