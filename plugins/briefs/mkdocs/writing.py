"""The pages the plugin renders and writes itself, outside MkDocs' page loop.

Pages outside the menus need nothing from MkDocs but a template and the
context it would give: they are filled into frames (frames.py), shared out
among worker processes forked from the build, and written with a slim copy
for search when a folder for them is given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..core.collector import freeze
from ..core.corpus import forked_pool, worker_count
from ..search.slim import write_slim
from ..site.compact import compact_html
from ..site.csp import DEFAULT_POLICY, ContentPolicy
from ..site.plan import PageSpec
from .frames import FrameRenderer, render_group
from .page_cache import PageCache

#: Below this many pages, forking workers costs more than it saves.
PARALLEL_PAGES = 400


def page_meta(spec: PageSpec) -> dict[str, Any]:
    """The front-matter MkDocs would have read for a generated page."""
    return {"template": spec.template, "hide": ["toc"] if spec.kind != "brief" else []}


def groups(specs: list[PageSpec]) -> list[list[PageSpec]]:
    """Pages by template, language, depth and section: the pages that share a frame.

    The menu's links are relative: from ``en/topics/europe/`` the topics are ``../``, from
    ``en/sources/br-de/`` (as deep) ``../../topics/``. The generated menu entries are sections
    (``en/topics/``) and the site's own pages live outside the language folders, so pages of
    one depth and one section (``topics``) link them alike. (A page of ``docs/`` placed deeper
    inside a generated section would not be; the frame's check of a group's first and last
    page then catches it only where one of them differs.)
    """
    found: dict[tuple[str, str, int, str], list[PageSpec]] = {}
    for spec in specs:
        section = spec.url.split("/", 2)[1] if spec.url.count("/") >= 2 else ""
        found.setdefault((spec.template, spec.lang, spec.url.count("/"), section), []).append(spec)
    return list(found.values())


def output_path(src_uri: str) -> str:
    """Where a generated page's HTML goes (``en/x/index.md`` -> ``en/x/index.html``)."""
    return src_uri.removesuffix(".md") + ".html"


def write_page(site_dir: Path, src_uri: str, html: bytes) -> None:
    target = site_dir / output_path(src_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)


@dataclass
class PageWriter:
    """Renders generated pages as MkDocs would, and writes them."""

    env: Environment
    config: MkDocsConfig
    nav: Navigation
    documentation: list[File]
    page_cache: PageCache | None = None
    #: Where brief pages also go, cut down for search; None: nowhere.
    slim_dir: Path | None = None
    policy: ContentPolicy = DEFAULT_POLICY

    def context(self, spec: PageSpec) -> TemplateContext:
        """The context MkDocs would give this page's template, after every plugin's page context."""
        config = self.config
        file = File.generated(config, spec.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        page = Page(spec.title, file, config)
        page.meta = page_meta(spec)
        context = get_context(self.nav, self.documentation, config, page)
        return config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)

    def render_page(self, spec: PageSpec) -> bytes:
        """One page rendered in full, as the live preview serves it."""
        html = compact_html(self.policy.add(self.env.get_template(spec.template).render(self.context(spec))))
        return html.encode("utf-8", errors="xmlcharrefreplace")

    def write_all(
        self,
        site_dir: Path,
        specs: list[PageSpec],
        *,
        first: str | None = None,
        between: Callable[[], None] | None = None,
        parallel: bool = True,
    ) -> tuple[int, int]:
        """Render and write ``specs``: (pages filled into frames, pages rendered in full).

        Pages are independent, so they are shared out among worker processes
        forked from this one (they inherit the plan and the theme). The brief
        pages of language ``first`` come first, then ``between`` runs, then the
        rest: search can index them meanwhile.
        """
        found = groups(specs)
        rounds = [[i for i, g in enumerate(found) if g[0].kind == "brief" and g[0].lang == first]]
        rounds.append([i for i in range(len(found)) if i not in rounds[0]])
        render = partial(self.write_share, site_dir, found)
        workers = worker_count()
        counts: list[tuple[int, int]] = []
        if not parallel or workers < 2 or len(specs) < PARALLEL_PAGES:
            for number, chosen in enumerate(rounds):
                counts.append(render(0, 1, chosen))
                if number == 0 and between is not None:
                    between()
        else:
            global _RENDER
            _RENDER = render
            try:
                # This process renders a share itself: each worker forked holds a copy of every page
                # of the plan it touches (a third of the build's memory at 10,000 pairs), this one none.
                with forked_pool(workers - 1) as pool:
                    for number, chosen in enumerate(rounds):
                        others = [pool.submit(_render_share, share, workers, chosen) for share in range(1, workers)]
                        counts.append(render(0, workers, chosen))
                        counts += [other.result() for other in others]
                        if number == 0 and between is not None:
                            between()
            finally:
                _RENDER = None
        filled, full = (sum(c) for c in zip(*counts, strict=True))
        return filled, full

    def write_share(
        self,
        site_dir: Path | None,
        found: list[list[PageSpec]],
        share: int,
        shares: int,
        chosen: list[int] | None = None,
        cancelled: threading.Event | None = None,
        written: list[str] | None = None,
    ) -> tuple[int, int]:
        """Every ``shares``-th page of each (chosen) group, from ``share``; no page files without ``site_dir``.

        ``written`` gets the source path of each page once its files are written,
        so that a cancelled run's work is not done again.
        """
        renderer = FrameRenderer(self.env, self.policy)
        for group in found if chosen is None else [found[i] for i in chosen]:
            specs = group[share::shares]
            if not specs:
                continue
            contexts = [partial(self.context, spec) for spec in specs]
            for spec, rendered in zip(specs, render_group(renderer, specs[0].template, contexts), strict=True):
                if cancelled is not None and cancelled.is_set():
                    return renderer.filled, renderer.full
                html = compact_html(rendered)
                if self.page_cache is not None:
                    self.page_cache.put(spec.src_uri, html)
                if site_dir is not None:
                    write_page(site_dir, spec.src_uri, html.encode("utf-8", errors="xmlcharrefreplace"))
                if self.slim_dir is not None and spec.kind == "brief":
                    write_slim(self.slim_dir / output_path(spec.src_uri), html)
                if written is not None:
                    written.append(spec.src_uri)
                spec.release_view()  # tens of thousands of views would otherwise pile up
        return renderer.filled, renderer.full


#: The build's page rendering, for the workers forked in ``PageWriter.write_all``.
_RENDER: Callable[[int, int, list[int]], tuple[int, int]] | None = None


def _render_share(share: int, shares: int, chosen: list[int]) -> tuple[int, int]:
    assert _RENDER is not None
    # The inherited plan is never garbage here: keep the collector from walking it.
    freeze()
    return _RENDER(share, shares, chosen)
