"""``briefs new``: a brief folder whose drafts pass ``briefs check`` as they are."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ..core.chars import first_forbidden
from ..core.rules.checker import FIRST_YEAR, LAST_YEAR
from ..core.schema import BRIEF_FIELDS
from ..core.settings import Settings
from ..core.slugs import slugify
from ..desk.translate import yaml_scalar

MAX_ID_WORDS = 60

_TEMPLATE = """\
---
# Headline, plain text on one line (at most 200 characters).
title: {title}
# The lead: one or two sentences, plain text. Used as meta description and feed summary.
summary: >-
  {summary}
# Publication date, YYYY-MM-DD (or 2026-01-23T09:30:00+01:00). Both languages share it.
date: {date}
# Set when the brief changes substantially; the other language is then marked outdated.
# updated: {date}
# URL slug; derived from the title when left out.
# slug: {slug}
# Topic keys: {topics}
topics: []
# Drafts appear only in preview builds. Remove this line to publish.
draft: true
# 1 to 12 facts, one line of inline Markdown each.
key_details:
  - {detail}
# The outlets this brief is based on, one entry per article; `lang` defaults to de.
{outlets}sources:
{sources}# Where the sources disagree: at least two claims from different sources.
# comparisons:
#   - topic: What the sources disagree about
#     summary: The disagreement in one sentence.
#     claims:
#       - source: {first}
#         quote: "What the first source says."
#         # original: "The outlet's own words, in its language."
#         # url: https://… the article's address
#       - source: {second}
#         quote: "What the second source says."
#     why: Why the difference matters for readers.
# Or put a comparison where it belongs in the text, as a block in the body:
#   /// comparison | What the sources disagree about
#       summary: The disagreement in one sentence.
#       claims:
#         - source: {first}
#           quote: "What the first source says."
#         - source: {second}
#           quote: "What the second source says."
#
#   Why the difference matters for readers.
#   ///
# A lead image: a file in this folder, with what it shows and who made it under which licence.
# image:
#   src: photo.jpg
#   alt: {alt}
#   caption: {caption}
#   credit: "Photo: Jane Doe, CC BY 4.0"
# authors: [Your name]
---

{body}
"""

_WORDS = {
    "en": {
        "summary": "What happened, in one or two sentences.",
        "detail": "The most important fact.",
        "body": "Write the brief here: what the German outlets report, in your own words.",
        "alt": "What the image shows, for readers who cannot see it.",
        "caption": "The caption under the image.",
    },
    "de": {
        "summary": "Was geschehen ist, in ein oder zwei Sätzen.",
        "detail": "Der wichtigste Fakt.",
        "body": "Hier steht die Meldung: was deutsche Medien berichten, in eigenen Worten.",
        "alt": "Was das Bild zeigt, für alle, die es nicht sehen.",
        "caption": "Die Bildunterschrift.",
    },
}


def brief_id(title: str, date: dt.date) -> str:
    """The folder name of a new brief: its date and title words.

    >>> brief_id("Merz meets Meloni in Rome", dt.date(2026, 1, 23))
    '2026-01-23-merz-meets-meloni-in-rome'
    """
    words = slugify(title, MAX_ID_WORDS)
    if not words:
        raise ValueError(f"the title {title!r} gives no brief id; use Latin letters or digits")
    return f"{date.isoformat()}-{words}"


@dataclass(frozen=True)
class _Sources:
    """The scaffold's sources: outlets of the site's registry when it has one, so the draft passes its checks."""

    yaml: str
    note: str
    first: str
    second: str


def _registry_sources(settings: Settings, chosen: list[str], slug: str) -> _Sources:
    outlets = settings.outlets
    if not outlets:
        if chosen:
            raise ValueError("--source names an outlet of the registry, and this site has no outlets.yml")
        entries = [("example.org", f"https://example.org/{slug}", "de"), ("other.example", f"https://other.example/{slug}", "de")]
        return _Sources(_source_yaml(entries[:1]), "", "example.org", "other.example")
    unknown = [key for key in chosen if key not in outlets]
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(outlets), n=1)
        hint = f"; did you mean {near[0]}?" if near else f"; the registry has {', '.join(sorted(outlets))}"
        raise ValueError(f"--source {unknown[0]} is not an outlet of the registry{hint}")
    keys = list(dict.fromkeys(chosen))
    if not keys:
        # Two outlets of different owners: a comparison between them passes the one-owner notice.
        first = next(iter(outlets.values()))
        other = next((o for o in outlets.values() if o.owner != first.owner), None)
        keys = [first.key] + ([other.key] if other else [])
    second = keys[1] if len(keys) > 1 else next((k for k in outlets if k != keys[0]), keys[0])
    entries = [(key, outlets[key].url, outlets[key].lang) for key in keys]
    listed = textwrap.wrap("Outlets of the registry (outlets.yml): " + ", ".join(sorted(outlets)), 98)
    note = "".join(f"# {line}\n" for line in listed)
    note += "# Each `url` is the outlet's home page until you put the article's address there.\n"
    return _Sources(_source_yaml(entries), note, keys[0], second)


def _source_yaml(entries: list[tuple[str, str, str]]) -> str:
    lines = []
    for name, url, lang in entries:
        lines += [f"  - name: {yaml_scalar(name)}", f"    url: {yaml_scalar(url) if _PLAIN_URL.match(url) else json.dumps(url)}"]
        lines += ["    # title: Headline of the article", "    # published: YYYY-MM-DD", f"    lang: {yaml_scalar(lang)}"]
    return "".join(f"{line}\n" for line in lines)


_PLAIN_URL = re.compile(r"^https?://[A-Za-z0-9./_~%:-]+$")


def create_brief(settings: Settings, title: str, date: dt.date, langs: list[str], sources: list[str] | None = None) -> Path:
    """Create ``briefs/YYYY/MM/<id>/`` with one draft per language; return the folder.

    ``sources`` are keys of the outlet registry (default: two outlets of different owners).
    """
    if not title.strip() or "\n" in title:
        raise ValueError("the title must be one non-empty line")
    longest = BRIEF_FIELDS["title"].max or 0
    if len(title.strip()) > longest:
        raise ValueError(f"the title has {len(title.strip())} characters; a title may have at most {longest} characters")
    if first_forbidden(title) is not None:
        raise ValueError("the title holds a control character")
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"the date must lie between the years {FIRST_YEAR} and {LAST_YEAR}")
    identifier = brief_id(title, date)
    cited = _registry_sources(settings, sources or [], slugify(title))
    folder = settings.briefs_dir / f"{date:%Y}" / f"{date:%m}" / identifier
    existing = list(settings.briefs_dir.rglob(identifier)) if settings.briefs_dir.is_dir() else []
    if existing:
        raise FileExistsError(f"a brief with id {identifier} already exists: {existing[0]}")
    folder.mkdir(parents=True)
    for lang in langs:
        words = _WORDS.get(lang, _WORDS["en"])
        text = _TEMPLATE.format(
            title=json.dumps(title.strip(), ensure_ascii=False),
            date=date.isoformat(),
            slug=slugify(title),
            topics=", ".join(settings.topics),
            outlets=cited.note,
            sources=cited.yaml,
            first=cited.first,
            second=cited.second,
            **words,
        )
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")
    return folder
