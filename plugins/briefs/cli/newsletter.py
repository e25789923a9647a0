"""``briefs newsletter DATE --lang LANG --format html|text``: one day's edition, for a mailing service to send (SPEC §10)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any
from zoneinfo import ZoneInfo

from ..core.corpus import load_corpus
from ..core.settings import Settings
from ..mail.edition import Editions, edition_of, theme_environment
from ..site.plan import plan_site

EXIT_OK, EXIT_NO_EDITION = 0, 1


class NewsletterError(Exception):
    """A request that cannot be answered: one line for the desk."""


def add_command(sub: Any) -> argparse.ArgumentParser:
    command = sub.add_parser("newsletter", help="print one day's e-mail edition (exit 1 when nothing was published that day)")
    command.add_argument("date", metavar="DATE", help="YYYY-MM-DD, or today / yesterday in the site's time zone")
    command.add_argument("--lang", help="the edition's language (default: the default language)")
    command.add_argument("--format", choices=["html", "text"], default="html")
    return command


def edition_day(value: str, settings: Settings) -> dt.date:
    """The day ``value`` names; ``today`` and ``yesterday`` are the build's *now* in the site's zone.

    >>> import datetime as dt; from briefs.core.settings import Settings
    >>> s = Settings(now=dt.datetime(2026, 1, 24, 23, 30, tzinfo=dt.UTC))
    >>> edition_day("today", s), edition_day("yesterday", s), edition_day("2026-01-02", s)
    (datetime.date(2026, 1, 25), datetime.date(2026, 1, 24), datetime.date(2026, 1, 2))
    """
    today = settings.now.astimezone(ZoneInfo(settings.timezone)).date()
    named = {"today": today, "yesterday": today - dt.timedelta(days=1)}
    if value in named:
        return named[value]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NewsletterError(f"DATE: expected YYYY-MM-DD, today or yesterday, found {value!r}") from None


def newsletter(settings: Settings, args: argparse.Namespace) -> int:
    lang = args.lang or settings.default_language
    if lang not in settings.languages:
        raise NewsletterError(f"--lang: {lang} is not among the configured languages ({', '.join(settings.languages)})")
    day = edition_day(args.date, settings)
    corpus = load_corpus(settings, render=True)
    errors = [f for f in corpus.findings if f.is_error]
    if errors:
        raise NewsletterError(f"the briefs have {len(errors)} error(s); `briefs check` lists them")
    spec = edition_of(plan_site(corpus, settings), lang, day)
    if spec is None:
        print(f"briefs: no briefs were published on {day.isoformat()} in {lang}: no edition", file=sys.stderr)
        return EXIT_NO_EDITION
    editions = Editions(settings, theme_environment(settings))
    unsubscribe = settings.newsletter.unsubscribe if settings.newsletter else ""
    render = editions.text if args.format == "text" else editions.html
    sys.stdout.write(render(spec, unsubscribe=unsubscribe))
    return EXIT_OK
