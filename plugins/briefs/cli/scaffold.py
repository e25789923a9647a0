"""``briefs new``: a brief folder whose drafts pass ``briefs check`` as they are."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..core.chars import first_forbidden
from ..core.schema import BRIEF_FIELDS
from ..core.settings import Settings
from ..core.slugs import slugify
from ..core.validation import FIRST_YEAR, LAST_YEAR

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
# The outlets this brief is based on; `lang` defaults to de.
sources:
  - name: example.org
    url: https://example.org/{slug}
    # title: Headline of the article
    # published: {date}
# Where the sources disagree: at least two claims from different sources.
# comparisons:
#   - topic: What the sources disagree about
#     summary: The disagreement in one sentence.
#     claims:
#       - source: example.org
#         quote: "What the first source says."
#       - source: other.example
#         quote: "What the second source says."
#     why: Why the difference matters for readers.
# Or put a comparison where it belongs in the text, as a block in the body:
#   /// comparison | What the sources disagree about
#       summary: The disagreement in one sentence.
#       claims:
#         - source: example.org
#           quote: "What the first source says."
#         - source: other.example
#           quote: "What the second source says."
#
#   Why the difference matters for readers.
#   ///
# authors: [Your name]
---

{body}
"""

_WORDS = {
    "en": {
        "summary": "What happened, in one or two sentences.",
        "detail": "The most important fact.",
        "body": "Write the brief here: what the German outlets report, in your own words.",
    },
    "de": {
        "summary": "Was geschehen ist, in ein oder zwei Sätzen.",
        "detail": "Der wichtigste Fakt.",
        "body": "Hier steht die Meldung: was deutsche Medien berichten, in eigenen Worten.",
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


def create_brief(settings: Settings, title: str, date: dt.date, langs: list[str]) -> Path:
    """Create ``briefs/YYYY/MM/<id>/`` with one draft per language; return the folder."""
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
            **words,
        )
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")
    return folder
