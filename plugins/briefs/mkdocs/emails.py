"""The e-mail edition beside each daily digest (``email.html``), from the theme's email template.

An edition shows what its digest page shows, so it has the digest page's key:
one the last build left unchanged is taken back instead of rendered again.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from ..core.cache import digest
from ..core.settings import Settings
from ..mail.edition import Editions
from ..site.kinds import PageKind
from ..site.plan import PageSpec, SitePlan
from .page_cache import PageCache
from .previous import PreviousOutput


def edition_path(digest: PageSpec) -> str:
    """Where a digest's edition goes: in its page's folder."""
    return f"{digest.url}email.html"


def edition_key(page_key: str) -> str:
    """An edition's key: its digest page's, as it shows what the page shows."""
    return f"email {page_key}"


class EmailEditions:
    def __init__(self, plan: SitePlan, settings: Settings, env: Environment) -> None:
        self.editions = Editions(settings, env)
        self.digests = [spec for spec in plan.pages if spec.kind is PageKind.DIGEST]

    def keys(self, page_cache: PageCache | None) -> dict[str, str]:
        """Each edition's path and key: its digest page's key."""
        keys = page_cache.keys if page_cache else {}
        return {edition_path(spec): edition_key(keys[spec.src_uri]) for spec in self.digests if spec.src_uri in keys}

    def write(self, site_dir: Path, keys: dict[str, str], previous: PreviousOutput | None, cache: PageCache | None) -> None:
        """Every edition, but those ``previous`` holds unchanged under their key (or gave back with their page).

        The others come from the page cache where it has them (a deploy builds into an empty folder), else
        are rendered and kept there.
        """
        for spec in self.digests:
            path = edition_path(spec)
            key = keys.get(path)
            if key and previous and (previous.taken(path) or (previous.has_page(path, key) and previous.take_page(path))):
                continue
            stored = digest(key) if key and cache is not None else None
            html = cache.store.get(stored) if cache is not None and stored else None
            if html is None:
                html = self.render_bytes(spec)
                if cache is not None and stored:
                    cache.store.put(stored, html)
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)

    def render(self, spec: PageSpec) -> str:
        return self.editions.html(spec)

    def render_bytes(self, spec: PageSpec) -> bytes:
        return self.render(spec).encode("utf-8")
