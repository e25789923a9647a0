"""Atom feeds (RFC 4287) and the sitemap, written as XML by ElementTree (the sitemap as its text).

ElementTree escapes every value, so titles such as ``Merz & Meloni <Analysis>``
stay text in feed readers and crawlers; :func:`_serialize` replaces any
character XML cannot hold, so no value can make a feed unreadable. Dates come from the briefs, never from
the clock, so that two builds of the same content are identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..core.chars import xml_safe
from ..core.i18n import Translator
from ..core.model import Brief, as_datetime
from ..core.settings import Settings
from .images import SharedImage, shared_image
from .views import DigestView, absolute

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
#: Media RSS, which feed readers (Feedly, Inoreader, NetNewsWire) read an entry's picture from.
MEDIA = "http://search.yahoo.com/mrss/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_SIZE = 50


def rfc3339(value: dt.date | dt.datetime) -> str:
    """An RFC 3339 timestamp, as Atom wants it.

    >>> rfc3339(dt.date(2026, 1, 23))
    '2026-01-23T00:00:00Z'
    """
    moment = as_datetime(value)
    text = moment.isoformat()
    return text.replace("+00:00", "Z")


#: A feed's ``<updated>`` when it has no entries.
NO_CHANGE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedEntry:
    brief: Brief
    key_details_html: tuple[str, ...]
    translations: tuple[Brief, ...] = ()


def atom_feed(
    entries: list[FeedEntry],
    *,
    settings: Settings,
    lang: str,
    path: str,
    home: str,
    title: str,
    updated: dt.datetime | None = None,
) -> bytes:
    """An Atom feed of ``entries`` (newest first) at site path ``path``.

    Its own ``<updated>`` is ``updated``, else the newest change of its entries (all of them, shown or not).
    """
    t = Translator(lang)
    newest = updated or max((as_datetime(last_change(e.brief)) for e in entries), default=NO_CHANGE)
    feed = _feed(settings, lang, path, home, title, newest)
    for entry in entries[:FEED_SIZE]:
        feed.append(_entry(entry, settings, t))
    return _serialize(feed)


def last_change(brief: Brief) -> dt.date | dt.datetime:
    """When a feed entry last changed: ``updated``, a correction made later, else the publication."""
    moments = [brief.updated or brief.published, *(c.date for c in brief.corrections)]
    return max(moments, key=as_datetime)


def _feed(settings: Settings, lang: str, path: str, home: str, title: str, updated: dt.date | dt.datetime) -> ET.Element:
    """A feed's own elements, before its entries."""
    # Plain tag names with an xmlns attribute: ElementTree then writes the
    # conventional unprefixed namespaces that feed readers and crawlers expect.
    feed = ET.Element("feed", {"xmlns": ATOM, "xmlns:media": MEDIA, XML_LANG: lang})
    _text(feed, "id", absolute(settings, path))
    _text(feed, "title", title)
    _text(feed, "subtitle", Translator(lang)("Translated news briefs from German media"))
    _text(feed, "updated", rfc3339(updated))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=absolute(settings, path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=absolute(settings, home))
    _text(ET.SubElement(feed, "author"), "name", settings.site_name)
    ET.SubElement(feed, "generator").text = "Briefs"
    return feed


def _serialize(element: ET.Element) -> bytes:
    """The XML document: well-formed whatever its values hold (validation refuses them first)."""
    for node in element.iter():
        node.text = xml_safe(node.text) if node.text else node.text
        node.tail = xml_safe(node.tail) if node.tail else node.tail
        for name, value in node.attrib.items():
            node.attrib[name] = xml_safe(value)
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(entry: FeedEntry, settings: Settings, t: Translator) -> ET.Element:
    brief = entry.brief
    element = ET.Element("entry")
    url = absolute(settings, brief.url)
    _text(element, "id", url)
    _text(element, "title", brief.title)
    _text(element, "updated", rfc3339(last_change(brief)))
    _text(element, "published", rfc3339(brief.published))
    ET.SubElement(element, "link", rel="alternate", type="text/html", hreflang=brief.lang, href=url)
    for other in entry.translations:
        ET.SubElement(element, "link", rel="alternate", type="text/html", hreflang=other.lang, href=absolute(settings, other.url))
    for name in brief.authors or (settings.site_name,):
        _text(ET.SubElement(element, "author"), "name", name)
    for topic in brief.topics:
        ET.SubElement(element, "category", term=topic, label=settings.topic_label(topic, brief.lang))
    _text(element, "summary", brief.summary)
    image = shared_image(brief)
    if image is not None:
        _media(element, image, settings)
    content = ET.SubElement(element, "content", type="html")
    # Markup escapes the plain-text values; key details are already sanitized HTML.
    details = _items(entry.key_details_html)
    figure = _figure(image, settings)
    content.text = str(Markup("{}<p>{}</p><h2>{}</h2><ul>{}</ul>").format(figure, brief.summary, t("Key details"), details))
    return element


def _media(entry: ET.Element, image: SharedImage, settings: Settings) -> None:
    """The lead image as Media RSS: the site's own rendition by absolute URL, with its size, text and credit."""
    url = absolute(settings, image.path)
    size = {"width": str(image.width), "height": str(image.height)}
    media = ET.SubElement(entry, "media:content", {"url": url, "medium": "image", "type": image.type, **size})
    _text(media, "media:description", image.alt).set("type", "plain")
    _text(media, "media:credit", image.credit)
    ET.SubElement(entry, "media:thumbnail", {"url": url, **size})


def _figure(image: SharedImage | None, settings: Settings) -> Markup:
    """The lead image at the top of an entry's HTML, where every reader shows it; nothing without one."""
    if image is None:
        return Markup("")
    return Markup('<figure><img src="{}" width="{}" height="{}" alt="{}"><figcaption>{}</figcaption></figure>').format(
        absolute(settings, image.path), image.width, image.height, image.alt, image.credit
    )


def _items(html_items: tuple[str, ...]) -> Markup:
    """``<li>`` for each already-sanitized HTML fragment."""
    return Markup("").join(Markup("<li>{}</li>").format(Markup(html)) for html in html_items)


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, name)
    child.text = value
    return child


def digest_feed(days: list[DigestView], urls: list[str], *, settings: Settings, lang: str, path: str, home: str) -> bytes:
    """One entry per publication day: the day's briefs, their summaries and key details."""
    title = f"{settings.site_name}: {Translator(lang)('Daily digest')}"
    feed = _feed(settings, lang, path, home, title, max((d.date for d in days), default=dt.date(2000, 1, 1)))
    for day, url in list(zip(days, urls, strict=True))[:FEED_SIZE]:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", absolute(settings, url))
        _text(entry, "title", day.heading)
        _text(entry, "updated", rfc3339(day.date))
        ET.SubElement(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=absolute(settings, url))
        _text(entry, "summary", " · ".join(item.item.title for item in day.items))
        content = ET.SubElement(entry, "content", type="html")
        blocks = Markup("").join(
            Markup("<h2>{}</h2>{}<p>{}</p><ul>{}</ul>").format(
                item.item.title,
                _figure(item.image, settings),
                item.item.summary,
                Markup("").join(Markup("<li>{}</li>").format(Markup(d)) for d in item.key_details_html),
            )
            for item in day.items
        )
        content.text = str(blocks)
    return _serialize(feed)


@dataclass(frozen=True)
class SitemapEntry:
    """One URL with its language versions (``hreflang -> site path``) and last change."""

    path: str
    alternates: tuple[tuple[str, str], ...] = ()
    lastmod: dt.date | dt.datetime | None = None


#: What an attribute's value escapes beyond ``& < >``, as ElementTree does.
_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def sitemap(entries: Iterable[SitemapEntry], settings: Settings) -> bytes:
    """``sitemap.xml`` with ``xhtml:link`` hreflang alternates for every language version.

    Written as text, each value escaped, in the very bytes ElementTree writes
    (:func:`_serialize`): at 20,000 pages its tree of 100,000 elements was the
    largest thing a build made after the pages, about 90 MB at its peak.
    """

    def text(value: str) -> str:
        return escape(xml_safe(value))

    def attribute(value: str) -> str:
        return escape(xml_safe(value), _ATTRIBUTE)

    def url(entry: SitemapEntry) -> bytes:
        lines = [f"  <url>\n    <loc>{text(absolute(settings, entry.path))}</loc>\n"]
        if entry.lastmod is not None:
            lines.append(f"    <lastmod>{as_datetime(entry.lastmod).date().isoformat()}</lastmod>\n")
        for hreflang, path in entry.alternates:
            href = attribute(absolute(settings, path))
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{attribute(hreflang)}" href="{href}" />\n')
        lines.append("  </url>\n")
        return "".join(lines).encode()

    # Each URL's bytes, joined once: the document is made a single time, never copied whole again.
    urls = [url(entry) for entry in sorted(entries, key=lambda e: e.path)]
    root = f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\" xmlns:xhtml=\"{XHTML}\""
    if not urls:
        return f"{root} />\n".encode()
    return b"".join([f"{root}>\n".encode(), *urls, b"</urlset>\n"])


NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
#: How far back a news sitemap reaches (Google News reads the last two days).
NEWS_WINDOW = dt.timedelta(days=2)


def news_sitemap(briefs: Iterable[Brief], settings: Settings) -> bytes:
    """``news-sitemap.xml``: the briefs of the two days before the build's *now*, every language."""
    zone = ZoneInfo(settings.timezone)
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:news": NEWS})
    recent = [b for b in briefs if settings.now - NEWS_WINDOW < b.goes_live(zone) <= settings.now]
    for brief in sorted(recent, key=lambda b: (b.goes_live(zone), b.url), reverse=True):
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute(settings, brief.url)
        news = ET.SubElement(url, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = settings.site_name
        ET.SubElement(publication, "news:language").text = brief.lang
        ET.SubElement(news, "news:publication_date").text = brief.goes_live(zone).isoformat()
        ET.SubElement(news, "news:title").text = brief.title
    return _serialize(urlset)


def robots_txt(settings: Settings) -> str:
    """Previews must never be indexed; the published site points crawlers at its sitemap."""
    if settings.preview:
        return "User-agent: *\nDisallow: /\n"
    sitemaps = "".join(f"Sitemap: {absolute(settings, name)}\n" for name in ("sitemap.xml", "news-sitemap.xml"))
    return f"User-agent: *\nAllow: /\n\n{sitemaps}"
