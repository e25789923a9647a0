"""One small navigation per language, in place of MkDocs' single global one.

MkDocs builds one nav for the whole site; a bilingual site needs the German
pages to show a German menu. Briefs are never in a nav: a menu of every brief
on every page is what makes large MkDocs sites slow.
"""

from __future__ import annotations

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core.settings import Settings
from ..site.kinds import MENU
from ..site.plan import PageSpec


def language_navs(files: Files, settings: Settings, doc_langs: dict[str, str], menu: list[PageSpec]) -> dict[str, Navigation]:
    """``lang -> Navigation``: the language's lists (``menu``, in the order of :data:`MENU`), then its site pages.

    Site pages are ordered by an ``order`` field in their front-matter, then
    by title.
    """
    navs: dict[str, Navigation] = {}
    for lang in settings.languages:
        items: list[Page] = []
        for spec in sorted((s for s in menu if s.lang == lang), key=lambda s: MENU.index(s.kind)):
            file = files.get_file_from_path(spec.src_uri)
            if file is not None and file.page is not None:
                items.append(file.page)
        docs = [files.get_file_from_path(uri) for uri, code in doc_langs.items() if code == lang]
        pages = [f.page for f in docs if f is not None and f.page is not None]
        pages.sort(key=lambda p: (p.meta.get("order", 100), p.title or ""))
        items += pages
        nav = Navigation(items, items)
        nav.homepage = items[0] if items else None
        navs[lang] = nav
    return navs
