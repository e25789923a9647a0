"""What the theme's templates receive, and the MkDocs objects built for them.

Helpers of the MkDocs adapter (``plugin.py``): per-page context (language,
translations, labels), the language switch, a brief's table of contents, and
the pairing of the site's own pages by relative path.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..core.i18n import Translator, language_name
from ..core.loading import BriefFile, Positions, parse_document
from ..core.rendering import Heading
from ..core.settings import Settings
from ..site.feeds import SitemapEntry
from ..site.views import Alternate, Link, language_alternates


def table_of_contents(outline: list[Heading]) -> TableOfContents:
    """The brief's outline as MkDocs' TOC (Material's sidebar and skip link read it)."""

    def link(heading: Heading) -> AnchorLink:
        item = AnchorLink(escape(heading.title), heading.id, heading.level)
        item.children = [link(child) for child in heading.children]
        return item

    return TableOfContents([link(h) for h in outline])


def check_site_page(page: Page, markdown: str) -> None:
    """MkDocs shows a page whose front-matter does not parse as text; refuse it instead."""
    if page.file.abs_src_path is None or not markdown.lstrip("\ufeff").startswith("---"):
        return
    source = BriefFile(Path(page.file.abs_src_path), f"docs/{page.file.src_uri}", None, Positions())
    parse_document(source, markdown)
    if source.findings:
        raise PluginError("\n".join(f.format() for f in source.findings))


def page_context(settings: Settings, lang: str) -> dict[str, Any]:
    """Context every page gets, whatever made it."""
    t = Translator(lang)
    names = {code: language_name(code, lang) for code in settings.languages}
    return {
        "briefs_lang": lang,
        "t": t,
        "briefs_language_names": names,
        "briefs_og_locale": t.og_locale,
        "briefs_preview": settings.preview,
        "briefs_newsletter": settings.newsletter,
        "briefs_taglines": {code: Translator(code)("Translated news briefs from German media") for code in settings.languages},
        # The search dialog's topic filter: (key, label), in the site's order (as on its topics page).
        "briefs_topics": [(key, settings.topic_label(key, lang)) for key in settings.topics],
    }


def language_links(settings: Settings, alternates: list[Alternate]) -> list[Link]:
    """The header's language switch: this page's translation, else that language's home."""
    urls = {a.hreflang: a.url for a in alternates}
    return [Link(urls.get(code, f"{code}/"), language_name(code, code).capitalize(), code) for code in settings.languages]


def doc_alternates(files: Files, doc_langs: dict[str, str], settings: Settings) -> dict[str, list[Alternate]]:
    """Site pages pair by relative path: docs/en/about.md with docs/de/about.md."""
    by_rest: dict[str, dict[str, str]] = {}
    for uri, lang in doc_langs.items():
        file = files.get_file_from_path(uri)
        if file is not None:
            by_rest.setdefault(uri.split("/", 1)[1], {})[lang] = file.url
    return {uri: language_alternates(by_rest.get(uri.split("/", 1)[1], {}), settings) for uri in doc_langs}


class SitePages:
    """The site's own pages (``docs/en/about.md``): their languages, and their versions in the others."""

    def __init__(self, files: Files, settings: Settings) -> None:
        self.langs: dict[str, str] = {}
        for file in files.documentation_pages():
            first = file.src_uri.split("/", 1)[0]
            if first in settings.languages:
                self.langs[file.src_uri] = first
            file.inclusion = InclusionLevel.NOT_IN_NAV
        self.alternates = doc_alternates(files, self.langs, settings)

    def sitemap_entries(self) -> tuple[SitemapEntry, ...]:
        """Each page in a language, with its versions in the others."""
        entries = []
        for uri, alternates in self.alternates.items():
            own = next((a.url for a in alternates if a.hreflang == self.langs[uri]), None)
            if own is not None:
                entries.append(SitemapEntry(own, tuple((a.hreflang, a.url) for a in alternates)))
        return tuple(entries)
