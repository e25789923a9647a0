"""The rules of SPEC §3, one function per group, returning findings.

``check_brief`` turns a parsed :class:`~briefs.loading.BriefFile` into a
:class:`~briefs.model.Brief` (or ``None``), collecting every problem instead of
stopping at the first; ``check_pair`` holds the rules across languages.
"""

from __future__ import annotations

import datetime as dt
import re

from .findings import Finding, Severity, counted
from .i18n import language_name
from .loading import BLOCKS_PATH, START, BriefFile
from .memory import MEMORY, remembered
from .model import Brief, Pair
from .publishing import held_back_by, is_held
from .rendering import Renderer
from .rules.checker import Placed
from .rules.comparisons import ComparisonRules
from .rules.images import ImageRules
from .rules.text import TextRules
from .rules.trust import TrustRules
from .rules.values import ValueRules
from .schema import (
    BRIEF_FIELDS,
)
from .settings import Settings
from .slugs import slugify
from .versions import outdated_by


class _Checker(ValueRules, TrustRules, ComparisonRules, ImageRules, TextRules):
    """Every rule group over one file's fields (see :mod:`briefs.core.rules`)."""


def check_brief(file: BriefFile, brief_id: str, lang: str, settings: Settings, renderer: Renderer) -> Brief | None:
    """Validate one parsed file; findings are appended to ``file.findings``."""
    if file.fields is None:
        return None
    checker = _Checker(file, settings, renderer)
    data = checker.mapping(file.fields, BRIEF_FIELDS, (), "the brief's fields") or {}
    written = data.get("comparisons") or ()
    in_body = checker.body_comparisons(file.blocks, len(written))
    blocks = tuple(comparison for _, comparison in in_body)
    placed: Placed = [(("comparisons", i), c) for i, c in enumerate(written)] + in_body
    if placed and "sources" in data:
        checker.claim_sources(placed)
        checker.claim_links(placed, data["sources"] or ())
        checker.one_owner(placed)
    slug = data.get("slug")
    if not slug and data.get("title") and "slug" not in file.fields:
        slug = slugify(data["title"])
        if not slug:
            checker.fail("BR106", "`title`: gives no URL slug (no Latin letters or digits)", ("title",), "set `slug:`")
    checker.forbidden_characters(file.fields)
    for i, block in enumerate(file.blocks):
        if block is not None:
            checker.forbidden_characters({k: v for k, v in block.items() if k not in ("topic", "why")}, (*BLOCKS_PATH, i))
    checker.rendering(data, checker.body_characters())
    file.findings += checker.findings
    if any(f.is_error for f in file.findings) or not slug:
        return None
    published = data["date"]
    return Brief(
        id=brief_id,
        lang=lang,
        path=file.path,
        display=file.display,
        title=data["title"],
        summary=data["summary"],
        date=published.date() if isinstance(published, dt.datetime) else published,
        published=published,
        slug=slug,
        key_details=data["key_details"],
        sources=data["sources"],
        body=file.body,
        body_line=file.body_line,
        updated=data.get("updated"),
        topics=data.get("topics", ()),
        comparisons=(*written, *blocks),
        draft=data.get("draft", False),
        authors=data.get("authors", ()),
        translated_from=data.get("translated_from"),
        translators=data.get("translators", ()),
        corrections=data.get("corrections", ()),
        image=data.get("image"),
    )


def check_pair(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    """Rules across the language versions of one brief folder (SPEC §3 "Pairs")."""
    if not pair.versions:
        return []
    return [*_versions_checked(pair, files, settings), *_held_back(pair, files, settings)]


def _versions_checked(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    """What the pair's versions say of each other, remembered while they stay the same brief objects.

    A preview checks every pair after each save; unchanged files give back the
    same (frozen) briefs, so only the edited pair is compared again. What depends
    on the clock (a translation held back with its original) is not remembered.
    """
    versions = tuple(pair.versions.items())
    options = (tuple(settings.languages), settings.require_pairs, settings.root)
    known = MEMORY.pair_checks.get(pair.folder)
    if known is not None and known[1] == options and _same_briefs(known[0], versions):
        return known[2]
    findings = _compare_versions(pair, files, settings)
    MEMORY.pair_checks[pair.folder] = (versions, options, findings)
    return findings


def _same_briefs(old: tuple[tuple[str, Brief], ...], new: tuple[tuple[str, Brief], ...]) -> bool:
    return len(old) == len(new) and all(a == c and b is d for (a, b), (c, d) in zip(old, new, strict=True))


def _compare_versions(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    for lang in settings.languages:
        if lang in pair.versions:
            continue
        here = next(iter(pair.versions.values()))
        code, severity = ("BR302", Severity.ERROR) if settings.require_pairs else ("BR401", Severity.WARNING)
        message = f"no {language_name(lang)} version of this brief yet"
        hint = f"add {lang}.md beside this file"
        findings.append(files[here.lang].finding(code, message, START, severity=severity, suggestion=hint))
    versions = list(pair.versions.values())
    first = versions[0]
    for other in versions[1:]:
        file = files[other.lang]
        if other.date != first.date:
            message = f"`date`: {other.date} differs from the {language_name(first.lang)} version's {first.date}"
            findings.append(file.finding("BR301", message, ("date",), suggestion="a pair is published on one day"))
        if {s.url for s in other.sources} != {s.url for s in first.sources}:
            message = f"sources differ from the {language_name(first.lang)} version's"
            findings.append(file.finding("BR403", message, ("sources",), severity=Severity.WARNING, key=True))
        if len(other.comparisons) != len(first.comparisons):
            counts = f"{counted(len(other.comparisons), 'comparison')} here, {len(first.comparisons)}"
            message = f"{counts} in the {language_name(first.lang)} version"
            findings.append(file.finding("BR404", message, ("comparisons",), severity=Severity.WARNING, key=True))
    outdated: set[str] = set()
    for brief in versions:
        record = brief.translated_from
        if record is not None and record.lang not in pair.versions:
            message = f"`translated_from.lang`: there is no {language_name(record.lang)} version to follow"
            findings.append(files[brief.lang].finding("BR103", message, ("translated_from", "lang")))
            continue
        if record is not None and record.lang == brief.lang:
            message = "`translated_from.lang`: a translation follows another language's version"
            findings.append(files[brief.lang].finding("BR103", message, ("translated_from", "lang")))
            continue
        newer = outdated_by(brief, pair.versions)
        if newer is None:
            continue
        outdated.add(brief.lang)
        if record is not None:
            message = f"the {language_name(newer.lang)} original changed since this translation was made"
            where: tuple[str, ...] = ("translated_from",)
            hint = f"see `briefs diff {pair.id} --lang {brief.lang}`, then `briefs translate {pair.id} --to {brief.lang} --done`"
        else:
            message = f"the {language_name(newer.lang)} version was updated after this one ({newer.last_change.date()})"
            where = ("updated",) if brief.updated else ("date",)
            hint = "bring this translation up to date and set `updated:`"
        finding = files[brief.lang].finding("BR402", message, where, severity=Severity.WARNING, suggestion=hint, key=True)
        findings.append(finding)
    findings += pair_facts(pair, files, outdated)
    return findings


def _held_back(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    """A translation ready to publish whose original is not: both wait (core/publishing.py), and the writer hears why."""
    findings = []
    for brief in pair.versions.values():
        original = held_back_by(brief, pair, settings)
        if original is None or is_held(brief, settings):
            continue
        name = language_name(original.lang)
        if original.draft:
            state, hint = "a draft", f"remove `draft: true` from {original.lang}.md to publish both"
        else:
            state, hint = f"scheduled for {original.published}", "both go live then"
        message = f"held back: its {name} original is {state}, so this translation is not published either"
        where = ("translated_from",)
        findings.append(files[brief.lang].finding("BR408", message, where, severity=Severity.WARNING, suggestion=hint))
    return findings


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*")
_URL = re.compile(r"https?://[^\s)\]>\"']+")


def _facts(brief: Brief) -> tuple[list[str], list[str]]:
    """Numbers written in digits and URLs in a brief's key details and claims: what a translation keeps."""
    return remembered(brief, "_facts", lambda: _find_facts(brief))


def _find_facts(brief: Brief) -> tuple[list[str], list[str]]:
    texts = [*brief.key_details, *(claim.quote for c in brief.comparisons for claim in c.claims)]
    numbers = sorted(re.sub(r"[.,:]", "", n) for text in texts for n in _NUMBER.findall(_URL.sub("", text)))
    urls = sorted(url for text in texts for url in _URL.findall(text))
    return numbers, urls


def pair_facts(pair: Pair, files: dict[str, BriefFile], outdated: set[str]) -> list[Finding]:
    """Numbers and URLs in key details and claims that differ between the languages of a pair (warnings).

    Digits are compared without their separators (``1,000`` and ``1.000`` are one number).
    An outdated translation is already reported: its facts may lag behind.
    """
    versions = [b for b in pair.versions.values() if b.lang not in outdated]
    if len(versions) < 2:
        return []
    findings: list[Finding] = []
    first_numbers, first_urls = _facts(versions[0])
    for other in versions[1:]:
        numbers, urls = _facts(other)
        name = language_name(versions[0].lang)
        if numbers != first_numbers:
            missing = sorted(set(first_numbers) ^ set(numbers))[:3]
            message = f"numbers in key details and claims differ from the {name} version's ({', '.join(missing) or 'counts'})"
            findings.append(files[other.lang].finding("BR405", message, ("key_details",), severity=Severity.WARNING, key=True))
        if urls != first_urls:
            message = f"links in key details and claims differ from the {name} version's"
            findings.append(files[other.lang].finding("BR405", message, ("key_details",), severity=Severity.WARNING, key=True))
    return findings
