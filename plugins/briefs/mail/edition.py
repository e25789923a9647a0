"""One day's edition, rendered from ``briefs/email.html`` and ``briefs/email-text.html`` (plain text)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from ..core.i18n import Translator
from ..core.settings import Settings
from ..site.kinds import PageKind
from ..site.plan import PageSpec, SitePlan, digest_url
from ..site.views import DigestItem, DigestView, absolute

#: The plugin's templates; a site's ``custom_dir`` comes first, as in the theme.
TEMPLATES_DIR = Path(__file__).parent.parent / "templates"


class Editions:
    """The e-mail editions of a site's digests, from the templates of ``env``."""

    def __init__(self, settings: Settings, env: Environment) -> None:
        self.settings = settings
        self.env = env

    def _context(self, spec: PageSpec, unsubscribe: str) -> dict[str, object]:
        settings = self.settings
        return {
            "digest": inert_digest(spec.view),
            "lang": spec.lang,
            "site_name": settings.site_name,
            "t": Translator(spec.lang),
            "absolute": partial(absolute, settings),
            "text": plain_text,
            "home": absolute(settings, f"{spec.lang}/"),
            "web": absolute(settings, spec.url),
            "unsubscribe": unsubscribe,
        }

    def html(self, spec: PageSpec, *, unsubscribe: str = "") -> str:
        """The HTML edition; ``unsubscribe`` is the provider's placeholder for the reader's link (none on the web)."""
        return self.env.get_template("briefs/email.html").render(self._context(spec, unsubscribe))

    def text(self, spec: PageSpec, *, unsubscribe: str = "") -> str:
        """The plain-text part of the same edition."""
        return self.env.get_template("briefs/email-text.html").render(self._context(spec, unsubscribe))


# What mailing services read as their own placeholders in what they send: Mailchimp's
# *|NAME|*, the {{ }} and {% %} of template engines, Mailgun's %recipient.name%, and
# bracketed tags such as [UNSUBSCRIBE].
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}|\*\||\|\*|%[a-z][a-z_]*(?:\.[a-z_]+)?%|\[[A-Z][A-Z_]{2,}\]")
_BREAK = "\u200b"  # a zero-width space: the reader sees the same text; a service sees no placeholder


def inert(text: str) -> str:
    """A brief's words with nothing a mailing service would fill in: a writer cannot
    personalise a link with the reader's address, or hide an unsubscribe link.

    >>> inert("Read *|UNSUB|* or {{ email }} or %recipient.email% or [UNSUBSCRIBE]") == (
    ...     "Read *\u200b|UNSUB|\u200b* or {\u200b{ email }\u200b} or %\u200brecipient.email% or [\u200bUNSUBSCRIBE]")
    True
    """
    return _PLACEHOLDER.sub(lambda m: m.group(0)[0] + _BREAK + m.group(0)[1:], text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def inert_digest(view: DigestView) -> DigestView:
    """The digest as an edition shows it: every value from a brief inert, titles and summaries on one line
    (a summary's line breaks cannot draw a footer of their own in the text part)."""
    items = [
        DigestItem(
            dataclasses.replace(
                entry.item, title=inert(_one_line(entry.item.title)), summary=inert(_one_line(entry.item.summary))
            ),
            tuple(inert(html) for html in entry.key_details_html),
            entry.image and dataclasses.replace(entry.image, alt=inert(entry.image.alt), credit=inert(entry.image.credit)),
        )
        for entry in view.items
    ]
    return dataclasses.replace(view, items=items)


def theme_environment(settings: Settings) -> Environment:
    """The templates the build would use (``custom_dir`` first), for rendering outside MkDocs."""
    folders = [str(settings.custom_dir)] if settings.custom_dir else []
    return Environment(loader=FileSystemLoader([*folders, str(TEMPLATES_DIR)]), autoescape=False, keep_trailing_newline=True)


def edition_of(plan: SitePlan, lang: str, day: dt.date) -> PageSpec | None:
    """The digest page of ``day`` in ``lang``: None when nothing was published that day."""
    url = digest_url(lang, day)
    return next((p for p in plan.pages if p.kind is PageKind.DIGEST and p.url == url), None)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http://", "https://", "mailto:")):
                self.parts.append(f" <{href}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Rendered inline Markdown as plain text, each link's address after its words.

    >>> plain_text('Rome <em>signed</em> <a href="https://x.test/a">eight</a> &amp; more')
    'Rome signed eight <https://x.test/a> & more'
    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
