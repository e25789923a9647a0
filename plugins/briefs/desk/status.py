"""The desk's overview (``briefs status``): per brief, which language is the original and which translations need work.

A translation is **outdated** when the version its ``translated_from`` records
differs from its original's current content version (SPEC §8); a file without
that record falls back to the date rule of SPEC §3 (the original's ``updated``,
else ``date``, is later). How many commits behind an outdated translation is
comes from git, and git is asked only when something is outdated, once for all
of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ..core.model import Brief
from ..core.settings import DEFAULT_LANGUAGE, Settings
from ..core.versions import TranslatedFrom, content_version
from .files import DeskFile
from .history import Behind, HistoryUnavailable, one_line

#: A language version as the overview reads it: a checked brief (the build's), or a file's facts (the command's).
DeskBrief = Brief | DeskFile


class PairLike(Protocol):
    """A brief folder's versions by language: a corpus's :class:`Pair` or a :class:`~.files.DeskPair`."""

    @property
    def id(self) -> str: ...

    @property
    def versions(self) -> Mapping[str, DeskBrief]: ...


def version_of(brief: DeskBrief) -> str:
    return brief.version if isinstance(brief, DeskFile) else content_version(brief)


#: ``(brief id, language) -> (original's language, version)``: what each translation's ``translated_from`` records.
Recorded = Mapping[tuple[str, str], tuple[str, str]]
#: Given ``(original's path, recorded version)`` pairs, how far each original moved on since (see ``GitHistory.behind``).
BehindLookup = Callable[[Sequence[tuple[Path, str]]], Mapping[tuple[Path, str], Behind]]


class State(StrEnum):
    OK = "ok"
    MISSING = "missing"
    OUTDATED = "outdated"
    DRAFT = "draft"


#: What needs work first.
_URGENCY = {State.OUTDATED: 0, State.MISSING: 1, State.DRAFT: 2, State.OK: 3}


class Basis(StrEnum):
    """How a translation was found outdated."""

    VERSION = "version"  # its translated_from.version differs from the original's version
    DATE = "date"  # it has no translated_from: the original's updated (else date) is later


@dataclass(frozen=True)
class LanguageStatus:
    """One language of one brief, as the desk sees it."""

    state: State
    #: The original's current version (for the original), or the version a translation records.
    version: str | None = None
    #: A draft that is outdated stays ``outdated``: the change matters more than the draft.
    draft: bool = False
    basis: Basis | None = None
    #: Commits of the original since the recorded version, where git knows.
    behind: int | None = None
    #: When the original first changed after the recorded version (or, by date, when it last changed).
    since: dt.datetime | None = None
    #: One line when a figure needs a word (unknown, not committed).
    note: str | None = None
    #: When this version goes live, if that is after *now* (SPEC §10): it is scheduled.
    scheduled: dt.datetime | None = None
    #: The original this translation was compared with (where git is asked how far it moved on).
    source: Path | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """``{"state", …}``: the state and whatever else is known, without empty keys."""
        data: dict[str, Any] = {"state": self.state.value}
        if self.version is not None:
            data["version"] = self.version
        if self.draft and self.state is not State.DRAFT:
            data["draft"] = True
        if self.basis is not None:
            data["basis"] = self.basis.value
        if self.state is State.OUTDATED and self.basis is Basis.VERSION:
            data["behind"] = self.behind
        if self.since is not None:
            data["since"] = self.since.isoformat()
        if self.note:
            data["note"] = self.note
        if self.scheduled is not None:
            data["scheduled"] = self.scheduled.isoformat()
        return data


@dataclass
class BriefStatus:
    """One brief: its original language and each configured language's state."""

    id: str
    original: str | None
    date: dt.date
    languages: dict[str, LanguageStatus]

    @property
    def urgency(self) -> tuple[int, int, int, str]:
        """Sort key: outdated (most commits behind first), missing, draft, ok; then newest first."""
        worst = min((_URGENCY[s.state] for s in self.languages.values()), default=_URGENCY[State.OK])
        behind = [s.behind for s in self.languages.values() if s.state is State.OUTDATED]
        most = max((b + 1 for b in behind if b is not None), default=0)  # unknown after every known figure
        return (worst, -most, -self.date.toordinal(), self.id)

    def as_dict(self) -> dict[str, Any]:
        """SPEC §8: ``{"id", "original", "languages": {"en": {"state", …}, …}}`` (plus ``date``)."""
        languages = {lang: status.as_dict() for lang, status in self.languages.items()}
        return {"id": self.id, "original": self.original, "date": self.date.isoformat(), "languages": languages}


@dataclass
class DeskStatus:
    """Every brief's status, what needs work first, and why commit counts are missing if they are."""

    briefs: list[BriefStatus] = field(default_factory=list)
    note: str | None = None

    def as_json(self) -> list[dict[str, Any]]:
        return [brief.as_dict() for brief in self.briefs]


def recorded_versions(pairs: Iterable[PairLike]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each translation's ``translated_from``, by ``(brief id, language)``: what :func:`desk_status` compares."""
    return {
        (pair.id, lang): brief.translated_from
        for pair in pairs
        for lang, brief in pair.versions.items()
        if brief.translated_from is not None
    }


def original_language(pair: PairLike, recorded: Recorded, languages: Sequence[str], default_language: str) -> str | None:
    """The language a brief was written in.

    The one its translations' ``translated_from.lang`` names (the most named,
    if they disagree); else the default language, if the brief has it; else
    the only (or first configured) language it has.
    """
    named: dict[str, int] = {}  # a Counter costs more than the rest of the status of a brief
    for lang in pair.versions:
        if (record := recorded.get((pair.id, lang))) is not None and (origin := record[0]) != lang and origin in languages:
            named[origin] = named.get(origin, 0) + 1
    if named:
        most = max(named.values())
        return next(lang for lang in languages if named.get(lang) == most)
    if default_language in pair.versions:
        return default_language
    return next((lang for lang in languages if lang in pair.versions), None)


class _Versions:
    """Each language version's content version, computed once: status compares every translation with its original."""

    def __init__(self, pair: PairLike) -> None:
        self.pair = pair
        self.known: dict[str, str] = {}

    def __getitem__(self, lang: str) -> str:
        if lang not in self.known:
            self.known[lang] = version_of(self.pair.versions[lang])
        return self.known[lang]


def _translation(
    brief: DeskBrief, pair: PairLike, versions: _Versions, original: str | None, record: TranslatedFrom | None
) -> LanguageStatus:
    source = pair.versions.get(record.lang if record else original or "")
    plain = State.DRAFT if brief.draft else State.OK
    if source is None or source is brief:
        return LanguageStatus(plain, record.version if record else None, brief.draft)
    if record is not None:
        if versions[source.lang] == record.version:
            return LanguageStatus(plain, record.version, brief.draft, Basis.VERSION)
        return LanguageStatus(State.OUTDATED, record.version, brief.draft, Basis.VERSION, source=source.path)
    if source.last_change > brief.last_change:
        return LanguageStatus(State.OUTDATED, None, brief.draft, Basis.DATE, since=source.last_change)
    return LanguageStatus(plain, None, brief.draft)


@dataclass(frozen=True)
class Schedule:
    """The build's *now* and the site's zone: what tells a scheduled brief (SPEC §10)."""

    now: dt.datetime
    zone: dt.tzinfo

    @classmethod
    def of(cls, settings: Settings) -> Schedule:
        return cls(settings.now, ZoneInfo(settings.timezone))

    def goes_live(self, brief: DeskBrief) -> dt.datetime | None:
        live = brief.goes_live(self.zone)
        return live if live > self.now else None


def brief_status(
    pair: PairLike, languages: Sequence[str], recorded: Recorded, default_language: str, schedule: Schedule | None = None
) -> BriefStatus:
    """One brief's status, without git (``behind`` is filled in by :func:`desk_status`)."""
    original = original_language(pair, recorded, languages, default_language)
    states: dict[str, LanguageStatus] = {}
    versions = _Versions(pair)
    for lang in languages:
        brief = pair.versions.get(lang)
        if brief is None:
            states[lang] = LanguageStatus(State.MISSING)
        elif lang == original:
            states[lang] = LanguageStatus(State.DRAFT if brief.draft else State.OK, versions[lang], brief.draft)
        else:
            record = recorded.get((pair.id, lang))
            states[lang] = _translation(brief, pair, versions, original, None if record is None else TranslatedFrom(*record))
        if brief is not None and schedule is not None and (live := schedule.goes_live(brief)) is not None:
            states[lang] = replace(states[lang], scheduled=live)
    first = pair.versions.get(original or "") or next(iter(pair.versions.values()), None)
    date = first.date if first else dt.date.min
    return BriefStatus(pair.id, original, date, states)


def desk_status(
    pairs: Iterable[PairLike],
    languages: Sequence[str],
    recorded: Recorded,
    *,
    default_language: str = DEFAULT_LANGUAGE,
    history: BehindLookup | None = None,
    schedule: Schedule | None = None,
) -> DeskStatus:
    """The status of every brief, what needs work first.

    ``history`` (e.g. ``GitHistory(root, briefs_dir).behind``) is called once,
    with every outdated translation's original and recorded version, and only
    if there is one; when git cannot answer, the counts stay unknown and
    ``note`` says why in one line.
    """
    status = DeskStatus([brief_status(pair, languages, recorded, default_language, schedule) for pair in pairs])
    if history is not None:
        status.note = _fill_behind(status.briefs, history)
    status.briefs.sort(key=lambda brief: brief.urgency)
    return status


def _fill_behind(briefs: list[BriefStatus], history: BehindLookup) -> str | None:
    wanted: set[tuple[Path, str]] = set()
    for brief in briefs:
        for state in brief.languages.values():
            if state.state is State.OUTDATED and state.source is not None and state.version is not None:
                wanted.add((state.source, state.version))
    if not wanted:
        return None
    try:
        found = history(sorted(wanted))
    except HistoryUnavailable as exc:
        return f"commit counts unavailable: {one_line(str(exc))}"
    for brief in briefs:
        for lang, state in brief.languages.items():
            result = found.get((state.source, state.version)) if state.source and state.version else None
            if result is not None:
                brief.languages[lang] = replace(state, behind=result.commits, since=result.since, note=result.note)
    return None


def _cell(status: LanguageStatus) -> str:
    scheduled = f", scheduled {status.scheduled:%Y-%m-%d %H:%M %z}" if status.scheduled else ""
    return _state_cell(status) + scheduled


def _state_cell(status: LanguageStatus) -> str:
    if status.state is not State.OUTDATED:
        return status.state.value
    since = f" since {status.since:%Y-%m-%d}" if status.since else ""
    if status.basis is Basis.DATE:
        return f"outdated (by date){since}"
    if status.behind is None:
        return "outdated"
    if status.behind == 0:
        return "outdated (not committed)"
    return f"outdated: {status.behind} commit{'s' if status.behind != 1 else ''}{since}"


def status_table(status: DeskStatus, languages: Sequence[str]) -> str:
    """The terminal's form: one row per brief, a column per language, and a count of what needs work."""
    header = ["brief", "original", *languages]
    rows = [[b.id, b.original or "-", *(_cell(b.languages[lang]) for lang in languages)] for b in status.briefs]
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    counts = Counter(
        s.state for b in status.briefs for lang, s in b.languages.items() if lang != b.original and s.state is not State.OK
    )
    needs = ", ".join(f"{counts[state]} {state.value}" for state in (State.OUTDATED, State.MISSING, State.DRAFT) if counts[state])
    lines.append(f"{len(status.briefs)} brief{'s' if len(status.briefs) != 1 else ''}; translations: {needs or 'all up to date'}")
    scheduled = sorted((s.scheduled, b.id) for b in status.briefs for s in b.languages.values() if s.scheduled)
    if scheduled:
        first, brief = scheduled[0]
        lines.append(f"{len(scheduled)} scheduled; the next goes live {first:%Y-%m-%d %H:%M %z} ({brief})")
    if status.note:
        lines.append(status.note)
    return "\n".join(lines) + "\n"
