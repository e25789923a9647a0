"""What the templates of a brief page and of the lists receive.

Views are built from the model with every piece of Markdown already rendered
and sanitized and every date already written in the page's language, so
templates only place values; they never decide.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from ..core.i18n import Translator, language_name
from ..core.model import Brief, Claim, Comparison, Pair, as_datetime
from ..core.outlets import Outlet
from ..core.publishing import held_back_by, is_scheduled
from ..core.rendering import Heading, RenderedParts
from ..core.settings import Settings
from ..core.slugs import slugify
from ..core.versions import outdated_by
from ..desk.status import DeskStatus
from .cards import HEIGHT as CARD_HEIGHT
from .cards import LOGO_HEIGHT, LOGO_PATH, LOGO_WIDTH, card_alt, card_for, card_path, draws_card
from .cards import WIDTH as CARD_WIDTH
from .images import LeadImageView, SharedImage, lead_image_view


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    lang: str | None = None


@dataclass(frozen=True)
class Alternate:
    """A language version of a page: ``href`` absolute (for hreflang), ``url`` site-relative."""

    hreflang: str
    href: str
    url: str


@dataclass(frozen=True)
class CorrectionView:
    datetime: str
    date_text: str
    text_html: str


@dataclass(frozen=True)
class ComparisonView:
    comparison: Comparison
    why_html: str
    #: Its place among the brief's comparisons (1-based): its heading's id.
    number: int = 1


@dataclass(frozen=True)
class Reading:
    """Where a reader goes next: the briefs before and after by date, and related ones."""

    previous: Link | None = None
    next: Link | None = None
    related: tuple[ListItem, ...] = ()


@dataclass
class BriefView:
    """Everything a brief page shows."""

    brief: Brief
    date_text: str
    key_details_html: list[str]
    #: The body, with each comparison block where it was written: ``(html, comparison or None)``.
    body_parts: list[tuple[str, ComparisonView | None]]
    #: The comparisons of the front-matter, shown under their own heading.
    comparisons: list[ComparisonView]
    topics: list[Link]
    canonical: str
    alternates: list[Alternate]
    jsonld: str
    og_locale: str
    og_locale_alternates: list[str]
    translation: Link | None = None
    corrections: list[CorrectionView] = field(default_factory=list)
    #: Each source's language, by name: a claim's original words are in it.
    source_langs: dict[str, str] = field(default_factory=dict)
    #: By source language, the label of a claim's original words ("Original (German):"), in the page's language.
    original_labels: dict[str, str] = field(default_factory=dict)
    #: In a preview, when a brief scheduled after *now* goes live (ISO, and as the page says it).
    scheduled: tuple[str, str] | None = None
    #: In a preview: a translation held back with its original, a draft or scheduled (core/publishing.py).
    held_back: bool = False
    #: Each source's outlet page, by name; each author's page.
    outlet_urls: dict[str, str] = field(default_factory=dict)
    author_links: list[Link] = field(default_factory=list)
    outdated_by: Link | None = None
    #: When the version that makes this one outdated changed (its ``updated``, else its date).
    outdated_since: str | None = None
    missing_languages: list[str] = field(default_factory=list)
    updated_text: str | None = None
    reading_minutes: int = 1
    outline: list[Heading] = field(default_factory=list)
    #: Umlaut words spelled ae/oe/ue/ss, indexed (not shown) for search.
    search_variants: str = ""
    reading: Reading = field(default_factory=Reading)
    #: The page's social card (absolute URL) and its text alternative; None when the site draws none.
    card_url: str | None = None
    card_alt: str = ""
    #: The lead image (SPEC §11), or None.
    image: LeadImageView | None = None
    #: The lead image's rendition for link previews (``og:image``), as an absolute URL.
    image_url: str | None = None


@dataclass(frozen=True)
class ListItem:
    title: str
    url: str
    date_iso: str
    date_text: str
    summary: str
    topics: tuple[Link, ...]
    draft: bool = False
    #: The lead image's small rendition: ``(path below the site root, width, height)``.
    thumb: tuple[str, int, int] | None = None


@dataclass
class ListView:
    """A page of briefs: a language home, a topic, a month."""

    heading: str
    items: list[ListItem]
    page: int = 1
    pages: int = 1
    previous_url: str | None = None
    next_url: str | None = None
    intro: str | None = None
    #: What the page says when it lists nothing (the lists' own "No briefs yet." when empty).
    empty: str = ""
    #: The Atom feed of the list, for the pages that have one (home, topic, outlet, corrections).
    feed_url: str | None = None
    #: On an outlet's pages: who it is, from the registry (None without one).
    outlet: OutletFacts | None = None
    #: On an outlet's first page: what it said in comparisons, newest first.
    claims: list[QuotedClaim] = field(default_factory=list)


@dataclass(frozen=True)
class OutletFacts:
    """An outlet of the registry as its page introduces it, in the page's language."""

    url: str
    #: The link's text: the outlet's site without ``www.``.
    site: str
    owner: str
    kind: str
    lang: str


@dataclass(frozen=True)
class QuotedClaim:
    """One thing an outlet said in a brief's comparison, for its outlet page."""

    quote: str
    topic: str
    brief: Link
    date_iso: str
    date_text: str = ""
    #: The article it quotes, and its words in the outlet's language with their label.
    url: str | None = None
    original: str | None = None
    original_lang: str = "de"
    original_label: str = ""


@dataclass
class IndexView:
    """An index of lists (topics, months, digests), each linked with its count of briefs."""

    heading: str
    links: list[Link]
    counts: dict[str, int]
    list_class: str = "brief-archive"
    link_class: str = ""
    feed_url: str | None = None
    #: For an index shown as cards (the topics): each list's newest brief and its count in words, by URL.
    latest: dict[str, ListItem] = field(default_factory=dict)
    count_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DigestItem:
    item: ListItem
    key_details_html: tuple[str, ...]
    #: The lead image as the e-mail edition and the digest feed show it (by the site's own copy), or None.
    image: SharedImage | None = None


@dataclass
class DigestView:
    """The morning digest of one publication day."""

    heading: str
    date: dt.date
    date_text: str
    items: list[DigestItem]
    previous_url: str | None = None
    next_url: str | None = None


def absolute(settings: Settings, path: str) -> str:
    """A site path as an absolute URL.

    >>> absolute(Settings(site_url="https://x.test/news"), "en/")
    'https://x.test/news/en/'
    """
    return settings.site_url.rstrip("/") + "/" + path.lstrip("/")


def topic_url(lang: str, key: str) -> str:
    return f"{lang}/topics/{key}/"


@lru_cache(maxsize=4096)  # a few hundred outlets, named by every brief that cites them
def outlet_url(lang: str, name: str) -> str:
    """An outlet's page: by its registry key's slug, else by the source name's."""
    return f"{lang}/sources/{slugify(name) or 'outlet'}/"


def author_url(lang: str, name: str) -> str:
    return f"{lang}/authors/{slugify(name) or 'author'}/"


#: The registry's kinds of outlet (core/outlets.py), as message ids.
OUTLET_KINDS = {
    "public-broadcaster": "Public broadcaster",
    "newspaper": "Newspaper",
    "magazine": "Magazine",
    "agency": "News agency",
    "online": "Online outlet",
}


def outlet_facts(outlet: Outlet, t: Translator) -> OutletFacts:
    return OutletFacts(outlet.url, outlet.site, outlet.owner, t(OUTLET_KINDS.get(outlet.kind, outlet.kind)), outlet.lang)


def original_label(source_lang: str, t: Translator) -> str:
    """What stands above a claim's original words: the outlet's language, named in the page's.

    >>> original_label("de", Translator("en")), original_label("de", Translator("de"))
    ('Original (German):', 'Original (Deutsch):')
    """
    return t("Original ({language}):", language=language_name(source_lang, t.lang))


def count_label(n: int, t: Translator) -> str:
    """A number of briefs in words.

    >>> count_label(1, Translator("de")), count_label(3, Translator("de"))
    ('1 Meldung', '3 Meldungen')
    """
    return t("1 brief") if n == 1 else t("{n} briefs", n=n)


def latest_correction(brief: Brief) -> dt.datetime:
    return max(as_datetime(c.date) for c in brief.corrections)


def topic_links(brief: Brief, settings: Settings) -> tuple[Link, ...]:
    return tuple(Link(topic_url(brief.lang, key), settings.topic_label(key, brief.lang)) for key in brief.topics)


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, no ``<!--``, nothing HTML reads.

    >>> script_json({"headline": "</script><b>"})
    '{"headline": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def news_article(brief: Brief, settings: Settings, published: dict[str, Brief]) -> dict[str, Any]:
    """schema.org ``NewsArticle`` of a brief, linked to the other side of its pair."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.summary,
        "datePublished": brief.published.isoformat(),
        "dateModified": (brief.updated or brief.published).isoformat(),
        "inLanguage": brief.lang,
        "url": absolute(settings, brief.url),
        "mainEntityOfPage": absolute(settings, brief.url),
        "isBasedOn": [s.url for s in brief.sources],
        "publisher": publisher(settings),
    }
    lead = lead_image_view(brief, "")
    if lead is not None and not lead.drawing:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute(settings, lead.share_path),
            "width": lead.share_width,
            "height": lead.share_height,
            "creditText": lead.credit,
        }
    elif draws_card(brief, settings):
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute(settings, card_path(brief)),
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
        }
    if brief.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in brief.authors]
    if brief.translators:
        data["translator"] = [{"@type": "Person", "name": a} for a in brief.translators]
    if brief.topics:
        data["keywords"] = [settings.topic_label(t, brief.lang) for t in brief.topics]
    claims = [_claim(claim, brief) for comparison in brief.comparisons for claim in comparison.claims]
    if claims:
        data["mentions"] = claims
    if brief.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": c.date.isoformat()} for c in brief.corrections
        ]
    # The default language is the original; the others are its translations.
    original = published.get(settings.default_language)
    others = [b for lang, b in published.items() if lang != brief.lang]
    if original is not None and original is brief and others:
        data["workTranslation"] = [_work(b, settings) for b in others]
    elif original is not None and original is not brief:
        data["translationOfWork"] = _work(original, settings)
    elif others:
        data["workTranslation"] = [_work(b, settings) for b in others]
    return data


def publisher(settings: Settings) -> dict[str, Any]:
    """The site as ``NewsArticle.publisher``: with its logo when the site draws cards (the logo is drawn with them)."""
    data: dict[str, Any] = {"@type": "Organization", "name": settings.site_name, "url": absolute(settings, "")}
    if settings.social_cards:
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute(settings, LOGO_PATH),
            "width": LOGO_WIDTH,
            "height": LOGO_HEIGHT,
        }
    return data


def _claim(claim: Claim, brief: Brief) -> dict[str, Any]:
    """A claim of a comparison as schema.org's ``Claim``: what the outlet said, and where."""
    data: dict[str, Any] = {"@type": "Claim", "text": claim.quote, "author": {"@type": "Organization", "name": claim.source}}
    if claim.url:
        data["appearance"] = {"@type": "CreativeWork", "url": claim.url}
    if claim.original:
        lang = next((s.lang for s in brief.sources if s.name == claim.source), "de")
        data["workExample"] = {"@type": "Quotation", "text": claim.original, "inLanguage": lang}
    return data


def _work(brief: Brief, settings: Settings) -> dict[str, str]:
    return {
        "@type": "NewsArticle",
        "@id": absolute(settings, brief.url),
        "url": absolute(settings, brief.url),
        "inLanguage": brief.lang,
    }


def language_alternates(urls: dict[str, str], settings: Settings, *, x_default: str | None = None) -> list[Alternate]:
    """A page's version in each language (``lang -> site path``), and ``x-default``.

    ``x-default`` is ``x_default`` when given, else the default language's
    version; a page without one has none.

    >>> s = Settings(site_url="https://x.test/")
    >>> [(a.hreflang, a.url) for a in language_alternates({"en": "en/a/", "de": "de/a/"}, s)]
    [('en', 'en/a/'), ('de', 'de/a/'), ('x-default', 'en/a/')]
    """
    alternates = [Alternate(code, absolute(settings, url), url) for code, url in urls.items()]
    default = x_default if x_default is not None else urls.get(settings.default_language)
    if default is not None:
        alternates.append(Alternate("x-default", absolute(settings, default), default))
    return alternates


def brief_alternates(published: dict[str, Brief], settings: Settings) -> list[Alternate]:
    """Every published version of a pair; ``x-default`` is the default language's, or the only one."""
    default = published.get(settings.default_language) or next(iter(published.values()))
    return language_alternates({code: b.url for code, b in published.items()}, settings, x_default=default.url)


def brief_view(
    brief: Brief, pair: Pair, published: dict[str, Brief], settings: Settings, parts: RenderedParts, reading: Reading
) -> BriefView:
    """The view of one language version; ``published`` are the versions on the site."""
    t = Translator(brief.lang)
    lang = brief.lang
    alternates = brief_alternates(published, settings)
    other = next((b for code, b in published.items() if code != lang), None)
    newer = outdated_by(brief, published)
    words = len((brief.body + " ".join(brief.key_details)).split())
    outline = [Heading(2, "brief-key-details", t("Key details")), *parts.outline]
    compared = [
        ComparisonView(c, why, number)
        for number, (c, why) in enumerate(zip(brief.comparisons, parts.why_html, strict=True), start=1)
    ]
    if any(not c.in_body for c in brief.comparisons):
        outline.append(Heading(2, "brief-comparisons", t("Source comparison")))
    outline.append(Heading(2, "brief-sources", t("Sources")))
    lead = lead_image_view(brief, parts.image_caption_html)
    carded = draws_card(brief, settings)
    return BriefView(
        brief=brief,
        date_text=t.date(brief.date),
        updated_text=t.date(as_datetime(brief.updated).date()) if brief.updated else None,
        key_details_html=list(parts.key_details_html),
        body_parts=_body_parts(parts.body_html, [v for v in compared if v.comparison.in_body]),
        outline=outline,
        search_variants=parts.search_variants,
        comparisons=[v for v in compared if not v.comparison.in_body],
        corrections=[
            CorrectionView(c.date.isoformat(), t.date(as_datetime(c.date).date()), html)
            for c, html in zip(brief.corrections, parts.corrections_html, strict=True)
        ],
        source_langs={s.name: s.lang for s in brief.sources},
        original_labels={code: original_label(code, t) for code in sorted({"de", *(s.lang for s in brief.sources)})},
        outlet_urls={s.name: outlet_url(lang, s.name) for s in brief.sources},
        scheduled=_scheduled(brief, settings, t),
        held_back=held_back_by(brief, pair, settings) is not None,
        author_links=[Link(author_url(lang, name), name) for name in brief.authors],
        topics=list(topic_links(brief, settings)),
        canonical=absolute(settings, brief.url),
        alternates=alternates,
        jsonld=script_json(news_article(brief, settings, published)),
        og_locale=t.og_locale,
        og_locale_alternates=[Translator(code).og_locale for code in published if code != lang],
        translation=Link(other.url, other.title, other.lang) if other else None,
        outdated_by=Link(newer.url, newer.title, newer.lang) if newer else None,
        outdated_since=t.date(newer.last_change.date()) if newer else None,
        missing_languages=[code for code in settings.languages if code not in published],
        reading_minutes=max(1, round(words / 220)),
        reading=reading,
        image=lead,
        image_url=absolute(settings, lead.share_path) if lead and not lead.drawing else None,
        card_url=absolute(settings, card_path(brief)) if carded else None,
        card_alt=card_alt(card_for(brief, settings)) if carded else "",
    )


def _body_parts(pieces: tuple[str, ...], in_body: list[ComparisonView]) -> list[tuple[str, ComparisonView | None]]:
    """The body's pieces of HTML, each but the last followed by the comparison block written there."""
    return [(html, in_body[i] if i < len(in_body) else None) for i, html in enumerate(pieces)]


def _scheduled(brief: Brief, settings: Settings, t: Translator) -> tuple[str, str] | None:
    if not is_scheduled(brief, settings):
        return None
    live = brief.goes_live(ZoneInfo(settings.timezone))
    return live.isoformat(), f"{t.date(live.date())} {live:%H:%M}"


def list_item(brief: Brief, settings: Settings) -> ListItem:
    t = Translator(brief.lang)
    return ListItem(
        brief.title,
        brief.url,
        brief.date.isoformat(),
        t.date(brief.date),
        brief.summary,
        topic_links(brief, settings),
        brief.draft,
        _thumb(brief),
    )


def _thumb(brief: Brief) -> tuple[str, int, int] | None:
    lead = lead_image_view(brief, "")
    if lead is None or lead.drawing:
        return None
    return lead.thumb_path, lead.thumb_width, lead.thumb_height


@dataclass
class StatusView:
    """The desk's overview for a preview's ``/status/`` page: one row per brief, a column per language."""

    status: DeskStatus
    languages: list[str]

    @property
    def rows(self) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
        """``(brief id, original language, [(state, since, scheduled), …])`` in the order of ``languages``."""
        found = []
        for brief in self.status.briefs:
            cells = []
            for lang in self.languages:
                state = brief.languages[lang]
                since = state.since.date().isoformat() if state.since else ""
                scheduled = state.scheduled.isoformat() if state.scheduled else ""
                cells.append((state.state.value, since, scheduled))
            found.append((brief.id, brief.original or "", cells))
        return found
