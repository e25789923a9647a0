"""The site's pages: which pages exist, at which URL, with which view.

``plan_site`` is the single place that decides the URLs of SPEC §4. It sorts
once and groups once, so the cost of planning grows with the number of briefs,
not with its square.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from .corpus import Corpus
from .feeds import FeedEntry, SitemapEntry, atom_feed, robots_txt, sitemap
from .i18n import Translator
from .model import Brief, Pair, as_datetime
from .rendering import Renderer, render_parts
from .settings import Settings
from .views import Alternate, Link, ListView, absolute, brief_view, list_item, topic_url

PAGE_SIZE = 20


@dataclass
class PageSpec:
    """One generated page: where it lives and what its template receives."""

    url: str
    lang: str
    template: str
    title: str
    kind: str
    view: Any = None
    alternates: list[Alternate] = field(default_factory=list)
    brief: Brief | None = None
    pair: Pair | None = None

    @property
    def src_uri(self) -> str:
        """A virtual source path whose page lands at ``url`` (``en/`` -> ``en/index.md``)."""
        return f"{self.url}index.md" if self.url else "index.md"


@dataclass
class SitePlan:
    pages: list[PageSpec]
    published: list[Brief]
    settings: Settings

    def by_uri(self) -> dict[str, PageSpec]:
        return {p.src_uri: p for p in self.pages}


def published_versions(pair: Pair, include_drafts: bool) -> dict[str, Brief]:
    return {lang: b for lang, b in pair.versions.items() if include_drafts or not b.draft}


def plan_site(corpus: Corpus, settings: Settings, renderer: Renderer | None = None, *, render: bool = True) -> SitePlan:
    """Every generated page of the site. ``render=False`` skips brief bodies (for lists only)."""
    renderer = renderer or Renderer(settings.markdown_extensions, settings.markdown_configs)
    include_drafts = settings.preview
    pages: list[PageSpec] = []
    published: list[Brief] = []
    for pair in corpus.pairs:
        versions = published_versions(pair, include_drafts)
        for brief in versions.values():
            published.append(brief)
            if render:
                parts = corpus.parts.get(brief.url) or render_parts(brief, renderer)
                view = brief_view(brief, pair, versions, settings, parts)
            else:
                view = None
            alternates = view.alternates if view else []
            pages.append(
                PageSpec(brief.url, brief.lang, "briefs/brief.html", brief.title, "brief", view, alternates, brief, pair)
            )
    # Newest first; ties by id keep the order stable across builds.
    published.sort(key=lambda b: (as_datetime(b.published), b.id), reverse=True)
    by_lang: dict[str, list[Brief]] = defaultdict(list)
    for brief in published:
        by_lang[brief.lang].append(brief)
    for lang in settings.languages:
        pages += _language_pages(lang, by_lang.get(lang, []), settings)
    pages.append(
        PageSpec("", settings.default_language, "briefs/chooser.html", settings.site_name, "chooser", _chooser(settings))
    )
    _link_alternates(pages, settings)
    return SitePlan(pages, published, settings)


def _language_pages(lang: str, briefs: list[Brief], settings: Settings) -> list[PageSpec]:
    t = Translator(lang)
    pages = _paginated(f"{lang}/", lang, "home", t("Latest briefs"), briefs, settings)
    by_topic: dict[str, list[Brief]] = defaultdict(list)
    by_month: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for key in brief.topics:
            by_topic[key].append(brief)
        by_month[f"{brief.date:%Y/%m}"].append(brief)
    topics = [Link(topic_url(lang, key), settings.topic_label(key, lang)) for key in settings.topics if key in by_topic]
    counts = {topic_url(lang, key): len(items) for key, items in by_topic.items()}
    pages.append(
        PageSpec(f"{lang}/topics/", lang, "briefs/topics.html", t("Topics"), "topics", {"topics": topics, "counts": counts})
    )
    for key, items in by_topic.items():
        label = settings.topic_label(key, lang)
        pages += _paginated(topic_url(lang, key), lang, "topic", label, items, settings)
    months = []
    for month, items in by_month.items():
        heading = t.month(items[0].date).capitalize()
        months.append(Link(f"{lang}/{month}/", heading))
        view = ListView(heading, [list_item(b, settings) for b in items])
        pages.append(PageSpec(f"{lang}/{month}/", lang, "briefs/list.html", heading, "archive", view))
    counts.update({f"{lang}/{month}/": len(items) for month, items in by_month.items()})
    pages.append(
        PageSpec(
            f"{lang}/archive/",
            lang,
            "briefs/archive.html",
            t("Archive"),
            "archive-index",
            {"months": months, "counts": counts},
        )
    )
    return pages


def _paginated(base: str, lang: str, kind: str, heading: str, briefs: list[Brief], settings: Settings) -> list[PageSpec]:
    t = Translator(lang)
    total = max(1, math.ceil(len(briefs) / PAGE_SIZE))
    pages = []
    for number in range(1, total + 1):
        url = base if number == 1 else f"{base}page/{number}/"
        chunk = briefs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        view = ListView(
            heading=heading,
            items=[list_item(b, settings) for b in chunk],
            page=number,
            pages=total,
            previous_url=(base if number == 2 else f"{base}page/{number - 1}/") if number > 1 else None,
            next_url=f"{base}page/{number + 1}/" if number < total else None,
        )
        title = heading if number == 1 else f"{heading} – {t('Page {n} of {total}', n=number, total=total)}"
        pages.append(PageSpec(url, lang, "briefs/list.html", title, kind, view))
    return pages


def _chooser(settings: Settings) -> list[Link]:
    return [Link(f"{lang}/", Locale.parse(lang).get_display_name(lang).capitalize(), lang) for lang in settings.languages]


def _link_alternates(pages: list[PageSpec], settings: Settings) -> None:
    """Lists and indexes pair across languages by the same path after the language."""
    by_rest: dict[str, dict[str, str]] = defaultdict(dict)
    for page in pages:
        if page.kind != "brief" and page.url:
            by_rest[page.url.split("/", 1)[1]][page.lang] = page.url
    for page in pages:
        if page.kind == "brief":
            continue
        if not page.url:
            langs = {lang: f"{lang}/" for lang in settings.languages}
            page.alternates = [Alternate(lang, absolute(settings, url), url) for lang, url in langs.items()]
            page.alternates.append(Alternate("x-default", absolute(settings, ""), ""))
            continue
        versions = by_rest[page.url.split("/", 1)[1]]
        page.alternates = [Alternate(lang, absolute(settings, url), url) for lang, url in versions.items()]
        default = versions.get(settings.default_language)
        if default:
            page.alternates.append(Alternate("x-default", absolute(settings, default), default))


def site_files(plan: SitePlan, extra_pages: tuple[SitemapEntry, ...] = ()) -> dict[str, bytes]:
    """Feeds, sitemap and robots.txt: ``site path -> content``. Drafts never appear."""
    settings = plan.settings
    published = [b for b in plan.published if not b.draft]
    pairs: dict[str, list[Brief]] = defaultdict(list)
    for brief in published:
        pairs[brief.id].append(brief)
    details = {p.url: tuple(p.view.key_details_html) for p in plan.pages if p.kind == "brief" and p.view is not None}
    entries = {b.url: FeedEntry(b, details.get(b.url, ()), tuple(o for o in pairs[b.id] if o is not b)) for b in published}
    files: dict[str, bytes] = {}
    for lang in settings.languages:
        mine = [entries[b.url] for b in published if b.lang == lang]
        files[f"{lang}/feed.xml"] = atom_feed(
            mine,
            settings=settings,
            lang=lang,
            path=f"{lang}/feed.xml",
            home=f"{lang}/",
            title=settings.site_name,
        )
        for key in settings.topics:
            topical = [e for e in mine if key in e.brief.topics]
            if topical:
                path = f"{topic_url(lang, key)}feed.xml"
                title = f"{settings.site_name}: {settings.topic_label(key, lang)}"
                files[path] = atom_feed(topical, settings=settings, lang=lang, path=path, home=topic_url(lang, key), title=title)
    files["sitemap.xml"] = sitemap([*_sitemap_entries(plan, published), *extra_pages], settings)
    files["robots.txt"] = robots_txt(settings).encode("utf-8")
    return files


def _sitemap_entries(plan: SitePlan, published: list[Brief]) -> list[SitemapEntry]:
    visible = {b.url for b in published}
    newest: dict[str, Brief] = {}
    for brief in published:  # newest first
        newest.setdefault(brief.lang, brief)
    entries = []
    for page in plan.pages:
        if page.kind == "brief" and page.url not in visible:
            continue
        alternates = tuple((a.hreflang, a.url) for a in page.alternates if a.url in visible or page.kind != "brief")
        if page.brief is not None:
            lastmod = page.brief.updated or page.brief.published
        else:
            latest = newest.get(page.lang)
            lastmod = latest.last_change if latest and page.kind in {"home", "chooser"} else None
        entries.append(SitemapEntry(page.url, alternates, lastmod))
    return entries
