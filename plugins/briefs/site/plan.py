"""The site's pages: which pages exist, at which URL, with which view.

``plan_site`` is the single place that decides the URLs of SPEC §4. It sorts
once and groups once, so the cost of planning grows with the number of briefs,
not with its square.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from ..core.corpus import Corpus, sized_parts
from ..core.i18n import Translator, language_name
from ..core.memory import remembered
from ..core.model import Brief, Claim, Pair, as_datetime
from ..core.publishing import goes_live, live_versions
from ..core.rendering import RenderedParts, Renderer, render_parts
from ..core.settings import Settings
from ..desk.status import Schedule, desk_status, recorded_versions
from .feeds import (
    FEED_SIZE,
    NO_CHANGE,
    FeedEntry,
    SitemapEntry,
    atom_feed,
    digest_feed,
    last_change,
    news_sitemap,
    robots_txt,
    sitemap,
)
from .images import shared_image
from .kinds import PageKind
from .views import (
    Alternate,
    DigestItem,
    DigestView,
    IndexView,
    Link,
    ListItem,
    ListView,
    OutletFacts,
    QuotedClaim,
    Reading,
    StatusView,
    author_url,
    brief_alternates,
    brief_view,
    count_label,
    language_alternates,
    latest_correction,
    list_item,
    original_label,
    outlet_facts,
    outlet_url,
    topic_url,
)

PAGE_SIZE = 20


class Deferred:
    """A view made the first time it is read (see :class:`PageSpec`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _View:
    """``PageSpec.view``: made on first use when given as :class:`Deferred`.

    A brief page's view is needed only when the page is rendered: a warm build
    takes most pages from the cache and the live preview renders the page a
    browser asks for, so neither makes thousands of views it never shows.
    """

    def __set_name__(self, _owner: type, name: str) -> None:
        self.attribute = f"_{name}"

    def __get__(self, spec: Any, _owner: type | None = None) -> Any:
        if spec is None:
            return None  # the dataclass field's default
        value = spec.__dict__.get(self.attribute)
        if isinstance(value, Deferred):
            spec.__dict__[f"{self.attribute}_deferred"] = value
            value = spec.__dict__[self.attribute] = value.make()
        return value

    def __set__(self, spec: Any, value: Any) -> None:
        spec.__dict__[self.attribute] = value


@dataclass
class PageSpec:
    """One generated page: where it lives and what its template receives."""

    url: str
    lang: str
    template: str
    title: str
    kind: PageKind
    view: Any = _View()
    alternates: list[Alternate] = field(default_factory=list)
    brief: Brief | None = None
    pair: Pair | None = None
    #: For a brief page: what its view is made of besides its reading links (the
    #: source digests of its pair's published files), so that a cache key need
    #: not serialize the whole view. Empty for other pages.
    content_key: str = ""
    #: A brief page's previous, next and related briefs (also in its view).
    reading: Reading | None = None
    #: The page's number in a paginated list (1 for every other page).
    number: int = 1

    @property
    def heads_menu(self) -> bool:
        """Whether the page is in its language's menu: MkDocs must know it, so it is always rendered by MkDocs."""
        return self.kind.in_menu and self.number == 1

    @property
    def always_rendered(self) -> bool:
        """Pages rendered on every build, never taken from the cache: the menu's lists, and the root."""
        return self.heads_menu or self.kind is PageKind.CHOOSER

    def release_view(self) -> None:
        """Drop a deferred view once its page is written; it is made again if read again."""
        deferred = self.__dict__.pop("_view_deferred", None)
        if deferred is not None:
            self.__dict__["_view"] = deferred

    @cached_property
    def src_uri(self) -> str:
        """A virtual source path whose page lands at ``url`` (``en/`` -> ``en/index.md``)."""
        return f"{self.url}index.md" if self.url else "index.md"


@dataclass
class SitePlan:
    pages: list[PageSpec]
    published: list[Brief]
    settings: Settings
    #: Each published brief's rendered parts, by URL.
    parts: dict[str, RenderedParts] = field(default_factory=dict)

    def by_uri(self) -> dict[str, PageSpec]:
        return {p.src_uri: p for p in self.pages}


def published_versions(pair: Pair, settings: Settings) -> dict[str, Brief]:
    """The versions on the site: in production only those that go live (core/publishing.py); previews show all."""
    if settings.preview:
        return dict(pair.versions)
    return live_versions(pair, settings)


def newest_first(brief: Brief) -> tuple[dt.datetime, str]:
    """Sort key for newest-first lists; ties by id keep the order stable across builds."""
    return (brief.published_at, brief.id)


@dataclass
class ListMemory:
    """The lists of the last plan (and each brief's reading links), kept for the next one.

    The live preview plans the whole site again after every save. A save that
    changes only what lists do not show (a brief's body, most often) leaves
    every list, index and digest as it was: the next plan takes them from here
    instead of making thousands of them again.
    """

    key: tuple[object, ...] | None = None
    made: tuple[dict[str, Reading], list[PageSpec]] | None = None
    #: The brief pages of the last plan by URL, with what each was made of, and the settings (but the clock) they had.
    briefs: dict[str, tuple[tuple[object, ...], str, PageSpec]] = field(default_factory=dict)
    briefs_settings: Settings | None = None
    #: The feeds, sitemaps and robots.txt made from those lists, with the key and site pages they were made for.
    files: tuple[object, dict[str, Callable[[], bytes]]] | None = None


def plan_site(corpus: Corpus, settings: Settings, renderer: Renderer | None = None, memory: ListMemory | None = None) -> SitePlan:
    """Every generated page of the site, with its view."""
    renderer = renderer or Renderer(settings.markdown_extensions, settings.markdown_configs)
    entries = [(pair, versions) for pair in corpus.pairs if (versions := published_versions(pair, settings))]
    published = sorted((brief for _, versions in entries for brief in versions.values()), key=newest_first, reverse=True)
    parts = {b.url: corpus.parts.get(b.url) or sized_parts(b, render_parts(b, renderer), corpus.images) for b in published}
    lists_key = _lists_key(published, settings) if memory is not None else None
    if memory is not None and memory.made is not None and memory.key == lists_key:
        reading, lists = memory.made
    else:
        reading, lists = _lists(published, settings, parts)
        if memory is not None:
            memory.key, memory.made = lists_key, (reading, lists)
    pages: list[PageSpec] = []
    # A save changes one pair: the live preview's next plan keeps every other brief page it made (and any view made
    # for a browser), when all it is made of is the same objects. Only briefs long published: a scheduled brief's
    # page, or one held back with its original, changes with the clock alone.
    plain = dataclasses.replace(settings, now=dt.datetime.min) if memory is not None else None
    kept = memory.briefs if memory is not None and memory.briefs_settings == plain else {}
    settled = settings.now - dt.timedelta(days=2)
    made: dict[str, tuple[tuple[object, ...], str, PageSpec]] = {}
    sources = corpus.sources
    for pair, versions in entries:
        # The key is made of the pair's briefs and their files' digests: the same objects, the same key.
        shared = (
            *versions.values(),
            *pair.versions.values(),
            *(sources.get(b.url) for b in pair.versions.values()),
            corpus.image_states.get(pair.id),  # a lead image replaced under its name: other renditions
        )
        keep = memory is not None and all(not b.draft and b.published_at < settled for b in pair.versions.values())
        key = ""
        for brief in versions.values():
            links, part = reading[brief.url], parts[brief.url]
            inputs = (brief, links, part, *shared)
            known = kept.get(brief.url)
            if keep and known is not None and _same_objects(known[0], inputs):
                spec, key = known[2], known[1]
            else:
                key = key or _content_key(pair, versions, sources)
                view = Deferred(partial(brief_view, brief, pair, versions, settings, part, links))
                alternates = brief_alternates(versions, settings)
                spec = PageSpec(
                    brief.url,
                    brief.lang,
                    "briefs/brief.html",
                    brief.title,
                    PageKind.BRIEF,
                    view,
                    alternates,
                    brief,
                    pair,
                    key,
                    links,
                )
            if keep:
                made[brief.url] = (inputs, key, spec)
            pages.append(spec)
    if memory is not None:
        memory.briefs, memory.briefs_settings = made, plain
    pages += lists
    if settings.preview:
        pages.append(_status_page(corpus, settings))
    return SitePlan(pages, published, settings, parts)


def _lists(
    published: list[Brief], settings: Settings, parts: dict[str, RenderedParts]
) -> tuple[dict[str, Reading], list[PageSpec]]:
    """Each brief's reading links, and every page that lists briefs (with the root's chooser)."""
    by_lang: dict[str, list[Brief]] = defaultdict(list)
    for brief in published:
        by_lang[brief.lang].append(brief)
    # Each brief appears in many lists (home, topics, month, digest, related): one item each.
    items = {brief.url: list_item(brief, settings) for brief in published}
    reading = {url: links for briefs in by_lang.values() for url, links in reading_links(briefs, items).items()}
    pages: list[PageSpec] = []
    for lang in settings.languages:
        pages += _language_pages(lang, by_lang.get(lang, []), settings, items)
        pages += digest_pages(lang, by_lang.get(lang, []), items, parts)
    pages.append(
        PageSpec("", settings.default_language, "briefs/chooser.html", settings.site_name, PageKind.CHOOSER, _chooser(settings))
    )
    _link_alternates(pages, settings)
    return reading, pages


def _same_objects(before: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))


def _lists_key(published: list[Brief], settings: Settings) -> tuple[object, ...]:
    """What the lists are made of: the settings (but the clock) and every published brief but its body."""
    listed = tuple(remembered(b, "_listed", partial(dataclasses.replace, b, body="", body_line=0)) for b in published)
    return (dataclasses.replace(settings, now=dt.datetime.min), listed)


def _status_page(corpus: Corpus, settings: Settings) -> PageSpec:
    """The desk's table (``briefs status``, without git's counts) for reviewers of a preview.

    Made when the page is rendered: the live preview plans it after every save,
    and shows it only when a browser asks for it.
    """
    title = Translator(settings.default_language)("Translation status")
    view = Deferred(partial(_status_view, corpus, settings))
    return PageSpec("status/", settings.default_language, "briefs/status.html", title, PageKind.STATUS, view)


def _status_view(corpus: Corpus, settings: Settings) -> StatusView:
    recorded = recorded_versions(corpus.pairs)
    schedule = Schedule.of(settings)
    overview = desk_status(
        corpus.pairs, settings.languages, recorded, default_language=settings.default_language, schedule=schedule
    )
    return StatusView(overview, settings.languages)


def _content_key(pair: Pair, published: dict[str, Brief], sources: dict[str, str]) -> str:
    """The source digests of a pair's files and which of them are published ("" when a digest is unknown)."""
    digests = [f"{lang}:{sources.get(brief.url, '')}" for lang, brief in sorted(pair.versions.items())]
    if not all(brief.url in sources for brief in pair.versions.values()):
        return ""
    return "|".join([",".join(sorted(published)), *digests])


RELATED = 3
#: How far along each topic's timeline to look for related briefs: keeps the
#: search per brief constant, however large the archive grows.
RELATED_WINDOW = 6


def reading_links(briefs: list[Brief], items: dict[str, ListItem]) -> dict[str, Reading]:
    """Previous/next by date and related briefs (shared topics), for one language, newest first."""
    moments = {brief.url: as_datetime(brief.published) for brief in briefs}
    by_topic: dict[str, list[Brief]] = defaultdict(list)
    position: dict[tuple[str, str], int] = {}
    for brief in briefs:
        for topic in brief.topics:
            position[(topic, brief.url)] = len(by_topic[topic])
            by_topic[topic].append(brief)
    links: dict[str, Reading] = {}
    for index, brief in enumerate(briefs):
        shared: dict[str, int] = defaultdict(int)
        candidates: dict[str, Brief] = {}
        for topic in brief.topics:
            timeline, at = by_topic[topic], position[(topic, brief.url)]
            for other in timeline[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1]:
                if other is not brief:
                    shared[other.url] += 1
                    candidates[other.url] = other
        when = moments[brief.url]
        ranked = sorted(candidates.values(), key=lambda o: (-shared[o.url], abs(moments[o.url] - when), o.url))
        older = briefs[index + 1] if index + 1 < len(briefs) else None
        newer = briefs[index - 1] if index > 0 else None
        links[brief.url] = Reading(
            previous=Link(older.url, older.title, older.lang) if older else None,
            next=Link(newer.url, newer.title, newer.lang) if newer else None,
            related=tuple(items[o.url] for o in ranked[:RELATED]),
        )
    return links


def digest_pages(lang: str, briefs: list[Brief], items: dict[str, ListItem], parts: dict[str, RenderedParts]) -> list[PageSpec]:
    """One digest per publication day (``/{lang}/digest/{yyyy}-{mm}-{dd}/``) and their index."""
    t = Translator(lang)
    days: dict[dt.date, list[Brief]] = defaultdict(list)
    for brief in briefs:
        if not brief.draft:
            days[brief.date].append(brief)
    ordered = sorted(days, reverse=True)
    pages = []
    for i, day in enumerate(ordered):
        entries = [DigestItem(items[b.url], parts[b.url].key_details_html, shared_image(b)) for b in days[day]]
        newer = ordered[i - 1] if i > 0 else None
        older = ordered[i + 1] if i + 1 < len(ordered) else None
        view = DigestView(
            heading=t("Daily digest: {date}", date=t.date(day)),
            date=day,
            date_text=t.date(day),
            items=entries,
            previous_url=digest_url(lang, older) if older else None,
            next_url=digest_url(lang, newer) if newer else None,
        )
        pages.append(PageSpec(digest_url(lang, day), lang, "briefs/digest.html", view.heading, PageKind.DIGEST, view))
    latest = ordered[:DIGEST_INDEX]
    index = IndexView(
        t("Daily digest"),
        [Link(digest_url(lang, day), t.date(day)) for day in latest],
        {digest_url(lang, day): len(days[day]) for day in latest},
        feed_url=f"{lang}/digest/feed.xml",
    )
    pages.append(PageSpec(f"{lang}/digest/", lang, "briefs/index.html", index.heading, PageKind.DIGEST_INDEX, index))
    return pages


DIGEST_INDEX = 60


def digest_url(lang: str, day: dt.date) -> str:
    return f"{lang}/digest/{day.isoformat()}/"


def _language_pages(lang: str, briefs: list[Brief], settings: Settings, items: dict[str, ListItem]) -> list[PageSpec]:
    t = Translator(lang)
    pages = _paginated(f"{lang}/", lang, PageKind.HOME, t("Latest briefs"), briefs, items, feed=True)
    by_topic: dict[str, list[Brief]] = defaultdict(list)
    by_month: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for key in brief.topics:
            by_topic[key].append(brief)
        by_month[f"{brief.date:%Y/%m}"].append(brief)
    topics = [Link(topic_url(lang, key), settings.topic_label(key, lang)) for key in settings.topics if key in by_topic]
    counts = {topic_url(lang, key): len(listed) for key, listed in by_topic.items()}
    index = IndexView(t("Topics"), topics, counts, list_class="brief-topics", link_class="brief-topic")
    # Topic cards: each topic's newest brief (lists are newest first) and its count in words.
    index.latest = {topic_url(lang, key): items[listed[0].url] for key, listed in by_topic.items()}
    index.count_labels = {url: count_label(n, t) for url, n in counts.items()}
    pages.append(PageSpec(f"{lang}/topics/", lang, "briefs/index.html", index.heading, PageKind.TOPICS, index))
    for key, topical in by_topic.items():
        label = settings.topic_label(key, lang)
        pages += _paginated(topic_url(lang, key), lang, PageKind.TOPIC, label, topical, items, feed=True)
    months = []
    for month, monthly in by_month.items():
        heading = t.month(monthly[0].date).capitalize()
        months.append(Link(f"{lang}/{month}/", heading))
        view = ListView(heading, [items[b.url] for b in monthly])
        pages.append(PageSpec(f"{lang}/{month}/", lang, "briefs/list.html", heading, PageKind.ARCHIVE, view))
    archive = IndexView(t("Archive"), months, {f"{lang}/{month}/": len(listed) for month, listed in by_month.items()})
    pages.append(PageSpec(f"{lang}/archive/", lang, "briefs/index.html", archive.heading, PageKind.ARCHIVE_INDEX, archive))
    pages += _trust_pages(lang, briefs, settings, items)
    return pages


def _trust_pages(lang: str, briefs: list[Brief], settings: Settings, items: dict[str, ListItem]) -> list[PageSpec]:
    """Who said what, and what was corrected (SPEC §9): outlets, corrections, authors."""
    t = Translator(lang)
    cited: dict[str, list[Brief]] = defaultdict(list)
    compared: dict[str, int] = defaultdict(int)
    by_author: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for source in brief.sources:
            cited[source.name].append(brief)
        for comparison in brief.comparisons:
            for claim in comparison.claims:
                compared[claim.source] += 1
        for name in brief.authors:
            by_author[name].append(brief)
    # Every outlet of the registry has its page, cited or not; without one, every outlet cited.
    names = sorted(settings.outlets or cited, key=lambda n: (-len(cited.get(n, [])), n))
    labels = {n: settings.outlets[n].name if settings.outlets and n in settings.outlets else n for n in names}
    links = [Link(outlet_url(lang, n), labels[n]) for n in names]
    counts = {outlet_url(lang, n): len(cited.get(n, [])) for n in names}
    index = IndexView(t("Sources"), links, counts, list_class="brief-outlets", link_class="brief-outlet")
    pages = [PageSpec(f"{lang}/sources/", lang, "briefs/index.html", index.heading, PageKind.SOURCES, index)]
    for name in names:
        n, m = len(cited.get(name, [])), compared.get(name, 0)
        heading = t(
            "{outlet}: {cited}, {quoted}",
            outlet=labels[name],
            cited=t("cited in 1 brief") if n == 1 else t("cited in {n} briefs", n=n),
            quoted=t("quoted in 1 comparison") if m == 1 else t("quoted in {m} comparisons", m=m),
        )
        registered = settings.outlets.get(name) if settings.outlets else None
        facts = outlet_facts(registered, t) if registered else None
        outlet_pages = _paginated(
            outlet_url(lang, name), lang, PageKind.OUTLET, heading, cited.get(name, []), items, feed=True, outlet=facts
        )
        # Each page quotes the outlet from the briefs it lists: all of them on the first page made it
        # grow with the archive (1.5 MB for an outlet of 10,000 pairs).
        for number, page in enumerate(outlet_pages):
            page.view.claims = [
                _quoted(claim, comparison.topic, brief, t)
                for brief in cited.get(name, [])[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
                for comparison in brief.comparisons
                for claim in comparison.claims
                if claim.source == name
            ]
        pages += outlet_pages
    corrected = sorted((b for b in briefs if b.corrections), key=latest_correction, reverse=True)
    pages += _paginated(
        f"{lang}/corrections/",
        lang,
        PageKind.CORRECTIONS,
        t("Corrections"),
        corrected,
        items,
        feed=True,
        # What a reader of a corrections page wants first: the policy, then what was corrected, or that nothing was.
        intro=t(
            "When a brief gets something wrong, we correct it and say so on the brief: what was wrong, "
            "what is right and when it was corrected. Every corrected brief is listed here, newest correction first."
        ),
        empty=t("No corrections have been published so far."),
    )
    for name, written in sorted(by_author.items()):
        pages += _paginated(author_url(lang, name), lang, PageKind.AUTHOR, t("Briefs by {name}", name=name), written, items)
    return pages


def _quoted(claim: Claim, topic: str, brief: Brief, t: Translator) -> QuotedClaim:
    """A claim as its outlet's page quotes it: with its date written out, its original words and its article."""
    source_lang = next((s.lang for s in brief.sources if s.name == claim.source), "de")
    return QuotedClaim(
        claim.quote,
        topic,
        Link(brief.url, brief.title),
        brief.date.isoformat(),
        t.date(brief.date),
        claim.url,
        claim.original,
        source_lang,
        original_label(source_lang, t),
    )


def _paginated(
    base: str,
    lang: str,
    kind: PageKind,
    heading: str,
    briefs: list[Brief],
    items: dict[str, ListItem],
    *,
    feed: bool = False,
    intro: str | None = None,
    empty: str = "",
    outlet: OutletFacts | None = None,
) -> list[PageSpec]:
    """A list's pages; ``feed``: the list has its own feed, ``{base}feed.xml`` (site_files makes it)."""
    t = Translator(lang)
    total = max(1, math.ceil(len(briefs) / PAGE_SIZE))
    pages = []
    for number in range(1, total + 1):
        url = base if number == 1 else f"{base}page/{number}/"
        chunk = briefs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        view = ListView(
            heading=heading,
            items=[items[b.url] for b in chunk],
            page=number,
            pages=total,
            previous_url=(base if number == 2 else f"{base}page/{number - 1}/") if number > 1 else None,
            next_url=f"{base}page/{number + 1}/" if number < total else None,
            intro=intro if number == 1 else None,
            empty=empty,
            feed_url=f"{base}feed.xml" if feed else None,
            outlet=outlet,
        )
        title = heading if number == 1 else f"{heading} – {t('Page {n} of {total}', n=number, total=total)}"
        pages.append(PageSpec(url, lang, "briefs/list.html", title, kind, view, number=number))
    return pages


def _chooser(settings: Settings) -> list[Link]:
    return [Link(f"{lang}/", language_name(lang, lang).capitalize(), lang) for lang in settings.languages]


def _link_alternates(pages: list[PageSpec], settings: Settings) -> None:
    """Lists and indexes pair across languages by the same path after the language."""
    by_rest: dict[str, dict[str, str]] = defaultdict(dict)
    for page in pages:
        if page.kind not in {PageKind.BRIEF, PageKind.STATUS} and page.url:
            by_rest[page.url.split("/", 1)[1]][page.lang] = page.url
    for page in pages:
        if page.kind in {PageKind.BRIEF, PageKind.STATUS}:
            continue
        if not page.url:
            languages = {lang: f"{lang}/" for lang in settings.languages}
            page.alternates = language_alternates(languages, settings, x_default="")
            continue
        page.alternates = language_alternates(by_rest[page.url.split("/", 1)[1]], settings)


def site_files(
    plan: SitePlan, extra_pages: tuple[SitemapEntry, ...] = (), memory: ListMemory | None = None
) -> dict[str, Callable[[], bytes]]:
    """Feeds, sitemap and robots.txt: ``site path -> its content, made when called``. Drafts never appear.

    Which files exist is known at once; their content is made on demand, so the
    live preview can serve a feed when it is asked for instead of on every rebuild.
    With the ``memory`` the plan was made with, files made from the same lists
    (feeds and sitemaps show no brief's body) are taken from there.
    """
    if memory is None:
        return _site_files(plan, extra_pages)
    made_for = (memory.key, extra_pages)
    if memory.files is None or memory.files[0] != made_for:
        memory.files = (made_for, _site_files(plan, extra_pages))
    return memory.files[1]


@dataclass(frozen=True)
class SiteFile:
    """A site file's content, made when called; ``inputs()`` (``None``: not known) says all it is
    made of besides the site's configuration and code: the same inputs, the same bytes."""

    make: Callable[[], bytes]
    inputs: Callable[[], str | None]

    def __call__(self) -> bytes:
        return self.make()


def _site_files(plan: SitePlan, extra_pages: tuple[SitemapEntry, ...]) -> dict[str, Callable[[], bytes]]:
    settings = plan.settings
    content_keys = {page.url: page.content_key for page in plan.pages if page.content_key}
    # Feeds never hold drafts or scheduled briefs, in previews either.
    pair_of = {page.url: page.pair for page in plan.pages if page.kind is PageKind.BRIEF and page.pair is not None}
    published = [b for b in plan.published if goes_live(b, pair_of[b.url], settings)]
    pairs: dict[str, list[Brief]] = defaultdict(list)
    for brief in published:
        pairs[brief.id].append(brief)
    parts = plan.parts

    def entries(briefs: list[Brief]) -> list[FeedEntry]:
        return [
            FeedEntry(b, parts[b.url].key_details_html if b.url in parts else (), tuple(o for o in pairs[b.id] if o is not b))
            for b in briefs
        ]

    def feed_inputs(briefs: list[Brief], options: dict[str, str]) -> str | None:
        # A feed shows its newest entries: each one's pair (by its files' digests) and the languages it links.
        shown = [(b.url, content_keys.get(b.url), tuple(o.url for o in pairs[b.id] if o is not b)) for b in briefs[:FEED_SIZE]]
        # The feed's own <updated> is the newest change of all its briefs, shown or not.
        newest = max(briefs, default=None, key=_changed_at)
        changed = last_change(newest) if newest is not None else None
        return repr((sorted(options.items()), shown, changed)) if all(key for _, key, _ in shown) else None

    def feed(briefs: list[Brief], **options: str) -> SiteFile:
        return SiteFile(partial(_feed, entries, briefs, settings=settings, **options), partial(feed_inputs, briefs, options))

    files: dict[str, Callable[[], bytes]] = {}
    trust_pages = [p for p in plan.pages if p.number == 1 and p.kind in {PageKind.OUTLET, PageKind.CORRECTIONS}]
    for lang in settings.languages:
        mine = [b for b in published if b.lang == lang]
        home = f"{lang}/"
        files[f"{lang}/feed.xml"] = feed(mine, lang=lang, path=f"{lang}/feed.xml", home=home, title=settings.site_name)
        # Every topic page links its feed: one with drafts only (in a preview) has an empty feed.
        paged = {key for b in plan.published if b.lang == lang for key in b.topics}
        by_topic: dict[str, list[Brief]] = defaultdict(list)
        for brief in mine:  # one pass, not one per topic
            for key in dict.fromkeys(brief.topics):
                by_topic[key].append(brief)
        for key in settings.topics:
            topical = by_topic.get(key, [])
            if key in paged:
                path = f"{topic_url(lang, key)}feed.xml"
                title = f"{settings.site_name}: {settings.topic_label(key, lang)}"
                files[path] = feed(topical, lang=lang, path=path, home=topic_url(lang, key), title=title)
        listed = _trust_lists(lang, mine)
        for page in trust_pages:
            if page.lang == lang:
                path = f"{page.url}feed.xml"
                title = f"{settings.site_name}: {page.title}"
                briefs = listed.get(page.url, [])
                files[path] = feed(briefs, lang=lang, path=path, home=page.url, title=title)
    for lang in settings.languages:
        digests = [p for p in plan.pages if p.kind is PageKind.DIGEST and p.lang == lang]
        path = f"{lang}/digest/feed.xml"
        files[path] = partial(
            digest_feed,
            [p.view for p in digests],
            [p.url for p in digests],
            settings=settings,
            lang=lang,
            path=path,
            home=f"{lang}/digest/",
        )
    mapped = _Once(lambda: [*_sitemap_entries(plan, published), *extra_pages])
    files["sitemap.xml"] = SiteFile(lambda: sitemap(mapped(), settings), lambda: repr(mapped()))
    files["news-sitemap.xml"] = lambda: news_sitemap(published, settings)
    files["robots.txt"] = lambda: robots_txt(settings).encode("utf-8")
    return files


def _trust_lists(lang: str, briefs: list[Brief]) -> dict[str, list[Brief]]:
    """By page path, the briefs of each outlet's feed (newest first) and of the corrections' feed, in one pass."""
    lists: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for source in brief.sources:
            lists[outlet_url(lang, source.name)].append(brief)
    lists[f"{lang}/corrections/"] = sorted((b for b in briefs if b.corrections), key=latest_correction, reverse=True)
    return lists


def _changed_at(brief: Brief) -> dt.datetime:
    """When a brief last changed, comparable across dates and datetimes: worked out once, for every feed it is in."""
    return remembered(brief, "_changed_at", lambda: as_datetime(last_change(brief)))


class _Once:
    """A value made the first time it is asked for."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make: Callable[[], Any] | None = make
        self.value: Any = None

    def __call__(self) -> Any:
        if self.make is not None:
            self.value, self.make = self.make(), None
        return self.value


def _feed(entries: Callable[[list[Brief]], list[FeedEntry]], briefs: list[Brief], **options: Any) -> bytes:
    # Entries for the briefs it shows; its <updated> from all (a home feed's are the whole archive).
    updated = max(map(_changed_at, briefs), default=NO_CHANGE)
    return atom_feed(entries(briefs[:FEED_SIZE]), updated=updated, **options)


def _sitemap_entries(plan: SitePlan, published: list[Brief]) -> list[SitemapEntry]:
    visible = {b.url for b in published}
    newest: dict[str, Brief] = {}
    for brief in published:  # newest first
        newest.setdefault(brief.lang, brief)
    entries = []
    for page in plan.pages:
        if (page.kind is PageKind.BRIEF and page.url not in visible) or page.kind is PageKind.STATUS:
            continue
        alternates = tuple((a.hreflang, a.url) for a in page.alternates if a.url in visible or page.kind is not PageKind.BRIEF)
        lastmod: dt.date | dt.datetime | None
        if page.brief is not None:
            lastmod = page.brief.updated or page.brief.published
        else:
            latest = newest.get(page.lang)
            lastmod = latest.last_change if latest and page.kind in {PageKind.HOME, PageKind.CHOOSER} else None
        entries.append(SitemapEntry(page.url, alternates, lastmod))
    return entries
