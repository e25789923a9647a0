"""The MkDocs adapter: events that hand the core's pages to MkDocs.

All decisions (what is valid, which pages exist, what they show) are made by
the core and the site plan; each event here hands off to an object with one
job (mkdocs/), so this file reads as the build's steps and the core can move
to another generator when MkDocs 1.x ends.
"""

from __future__ import annotations

import gc
import logging
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .config import BriefsConfig
from .core.cache import digest, trusted_folder
from .core.collector import collector_paused, freeze
from .core.corpus import load_corpus, worker_count
from .core.findings import NOTICES, Finding
from .core.memory import MEMORY
from .core.settings import Settings, settings_from_options
from .mkdocs.beside import PARALLEL_CARDS, PARALLEL_IMAGES, Beside, worth_it
from .mkdocs.bytecode import keep_compiled
from .mkdocs.cards import SocialCards
from .mkdocs.context import SitePages, check_site_page, language_links, page_context, table_of_contents
from .mkdocs.emails import EmailEditions
from .mkdocs.images import ImageFiles
from .mkdocs.indexing import SearchBuild
from .mkdocs.internals import check_versions, replace_builder
from .mkdocs.live import PREVIEW, LivePages, clear_later, preview_background, serve_live_pages, watch_changes
from .mkdocs.navigation import language_navs
from .mkdocs.output import GeneratedPages
from .mkdocs.theme_files import list_installed_once
from .mkdocs.timings import Timings
from .mkdocs.writing import PARALLEL_PAGES, PageWriter, page_meta
from .search.pagefind import SearchIndexError
from .site.compact import compact_html
from .site.csp import DEFAULT_POLICY, ContentPolicy
from .site.kinds import PageKind
from .site.plan import PageSpec, SiteFile, SitePlan, plan_site, site_files

log = logging.getLogger("mkdocs.plugins.briefs")

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
STYLESHEET = "assets/briefs/briefs.css"
ASSETS = {STYLESHEET: "briefs.css", "assets/briefs/search.js": "search.js", "assets/briefs/guard.js": "guard.js"}
_PREVIEW_SHOWS = {
    True: "Briefs: the preview shows drafts and scheduled briefs, marked (BRIEFS_PREVIEW=0 shows only what is published)",
    False: "Briefs: the preview shows only published briefs, no drafts or scheduled ones (BRIEFS_PREVIEW=1 shows them)",
}


class BriefsPlugin(BasePlugin[BriefsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.plan: SitePlan | None = None
        self.specs: dict[str, PageSpec] = {}
        self.pages: GeneratedPages | None = None
        self.cards: SocialCards | None = None
        self.policy: ContentPolicy = DEFAULT_POLICY
        self.images: dict[Path, list[Path]] = {}
        self.image_files: ImageFiles | None = None
        self.site_pages: SitePages | None = None
        self.navs: dict[str, Navigation] = {}
        self.env: Environment | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.serving = False
        self.dirty = False
        self.timings = Timings()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        check_versions()
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self) -> None:
        """The live preview ends: stop its background work, which removes its scratch folders."""
        PREVIEW.close()
        if not self.serving:
            # The process ends: its millions of objects need no collector passes
            # at exit (seconds for a large archive); memory is freed all the same.
            freeze()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the options into core settings; put our templates under custom_dir."""
        PREVIEW.stop_background()  # a live preview's last pages and index are redone by this build
        self.timings.start()
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        names = [e if isinstance(e, str) else next(iter(e)) for e in config.markdown_extensions]
        options = dict(self.config)
        # Unset, the preview shows what a writer works on while serving (SPEC §12), the published site otherwise.
        options["preview"] = self.serving if options["preview"] is None else options["preview"]
        if self.serving and not PREVIEW.serving:  # once, at the first build
            log.info(_PREVIEW_SHOWS[bool(options["preview"])])
        self.settings = settings_from_options(
            options,
            root=root,
            site_url=config.site_url or "http://127.0.0.1:8000/",
            site_name=config.site_name,
            markdown_extensions=names,
            markdown_configs=dict(config.mdx_configs),
            custom_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
        )
        self.settings.cache_dir = trusted_folder(self.settings.cache_dir)
        self.policy = ContentPolicy.for_form(self.settings.newsletter.action if self.settings.newsletter else None)
        # After custom_dir (index 0 when set) so sites can override any template.
        position = 1 if config.theme.custom_dir else 0
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(position, str(TEMPLATES_DIR))
        if STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, STYLESHEET)
        if self.serving:
            list_installed_once(config, PREVIEW.theme_files)
        return config

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load and check every brief, plan the site, and see which pages need rendering.

        All of it before MkDocs cleans the output folder: failing here keeps the
        last good site in place, which is what ``mkdocs serve`` shows while a
        writer fixes a mistake.
        """
        assert self.settings is not None
        if not self.settings.briefs_dir.is_dir():
            raise PluginError(f"briefs_dir '{self.settings.briefs_dir}' is not a folder")
        # Loading and planning make millions of objects and no garbage cycles:
        # the collector's passes over them would only cost time.
        with collector_paused():
            with self.timings.phase("load and check the briefs, render their Markdown"):
                corpus = load_corpus(self.settings, render=True)
            if not self.serving:
                # One load a process: what only a next load would read goes now, and the plan and the pages reuse
                # its memory (at 10,000 pairs the files' YAML positions alone are 80 MB, here and in each worker).
                MEMORY.forget_loads()
                corpus.files.clear()
            memory = PREVIEW.lists if self.serving else None
            with self.timings.phase("plan the site (lists, views)"):
                plan = plan_site(corpus, self.settings, memory=memory) if not corpus.errors else None
        _report(corpus.findings)
        assert plan is not None
        if not self.serving:
            # The archive and its plan live until the build ends: frozen, no collector pass walks their
            # millions of objects again (at 2,000 pairs those passes were a fifth of a warm build).
            freeze()
        if self.serving and PREVIEW.serving and not self.dirty:
            clear_later(Path(config.site_dir))  # before MkDocs cleans it, file by file
        self.plan, self.specs = plan, plan.by_uri()
        self.images = corpus.images
        live = self.serving and self.config.page_frames
        with self.timings.phase("the last build's output: each page's key, what can stay"):
            self.pages = GeneratedPages.prepare(
                plan, config, self.settings, live=live, dirty=self.dirty, frames=self.config.page_frames
            )
            self.cards = SocialCards(plan, self.settings, Path(config.site_dir), enabled=self.settings.social_cards)
            if not live:  # the live preview draws a card when a browser asks for it
                self.cards.start(self.pages.previous)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the pages MkDocs renders, the plugin's assets and the briefs' images."""
        assert self.plan is not None and self.settings is not None and self.pages is not None
        self.site_pages = SitePages(files, self.settings)
        with self.timings.phase("the last build's output: each page's key, what can stay"):
            self.pages.add_files(files, config)
        for uri, name in ASSETS.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(ASSETS_DIR / name)))
        self.image_files = ImageFiles(self.plan, self.images, self.settings.cache_dir)
        for path, drawing in self.image_files.drawings.items():  # raster images are written after the pages
            files.append(File.generated(config, path, abs_src_path=str(drawing)))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Build one navigation per language, now that every page has its title."""
        assert self.settings is not None and self.plan is not None and self.site_pages is not None
        keep_compiled(env, PREVIEW.templates)
        self.env, self.files = env, files
        menu = [spec for spec in self.plan.pages if spec.heads_menu]
        self.navs = language_navs(files, self.settings, self.site_pages.langs, menu)
        # Theme pages rendered without a page (404.html) speak the default language.
        env.globals.update(page_context(self.settings, self.settings.default_language))
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            check_site_page(page, markdown)
            return markdown
        page.title = spec.title  # plain text; templates escape it
        page.meta.update(page_meta(spec))
        return ""  # the core renders brief parts itself; MkDocs converts nothing

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any) -> TemplateContext:
        """Give templates the page's language, its translations and its view."""
        assert self.settings is not None and self.site_pages is not None
        spec = self.specs.get(page.file.src_uri)
        lang = spec.lang if spec else self.site_pages.langs.get(page.file.src_uri, self.settings.default_language)
        extra: dict[str, Any] = page_context(self.settings, lang)
        if lang in self.navs:
            extra["nav"] = self.navs[lang]
        alternates = spec.alternates if spec else self.site_pages.alternates.get(page.file.src_uri, [])
        extra["briefs_alternates"] = alternates
        extra["briefs_languages"] = language_links(self.settings, alternates)
        extra["briefs_kind"] = spec.kind.value if spec else None
        if spec is not None and spec.kind is PageKind.BRIEF:
            page.toc = table_of_contents(spec.view.outline)
            extra["briefs_view"] = spec.view
            extra["briefs_description"] = spec.brief.summary if spec.brief else None
            extra["briefs_og_locale_alternates"] = spec.view.og_locale_alternates
        elif spec is not None:
            extra["briefs_view_list"] = spec.view
        context.update(extra)  # type: ignore[typeddict-item]  # the theme's context takes any key
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Every page gets its Content-Security-Policy; generated pages go to the cache."""
        output = compact_html(self.policy.add(output))
        if self.pages is not None and self.pages.page_cache is not None:
            self.pages.page_cache.put(page.file.src_uri, output)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Theme pages without a source (404.html) get the same policy."""
        return compact_html(self.policy.add(output_content)) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the generated pages, feeds, sitemap and e-mail editions; index the site with Pagefind."""
        assert self.plan is not None and self.settings is not None and self.pages is not None and self.env is not None
        assert self.cards is not None
        site_dir = Path(config.site_dir)
        live = self.serving and self.config.page_frames
        emails = EmailEditions(self.plan, self.settings, self.env)
        if live:  # pages are rendered when a browser asks; search catches up in the background
            with self.timings.phase("the preview's pages published, search's catch-up started"):
                self._publish_preview(self._writer(config, None), site_dir, emails)
            self.timings.write()  # the last rebuild's
            return
        search = SearchBuild(
            self.plan,
            self.settings,
            self.pages,
            site_dir,
            enabled=self.config.search,
            frames=self.config.page_frames,
        )
        writer = self._writer(config, search.slim_dir)
        phase = self.timings.phase
        previous = self.pages.previous
        beside: Beside | None = None
        try:
            with phase("social cards and images: what to make"):
                images = self.image_files
                if images is not None:
                    images.take_back(previous)
                pages, cards, made = len(self.pages.framed), self.cards.to_draw(), images.to_make() if images else 0
                if pages >= PARALLEL_PAGES and worth_it(pages, cards, made):
                    # Made beside the pages, by workers that hold none of the plan: see beside.py.
                    beside = Beside(worker_count())
                    self.cards.write(previous, beside)
                    if images is not None:
                        images.write(site_dir, beside)
            with phase("pages: templates and writing"):
                self.pages.write_cached(site_dir, search.slim_dir, search.stale())
                if self.pages.framed:
                    first = search.first_language()
                    filled, full = writer.write_all(
                        site_dir, self.pages.framed, first=first, between=search.start_first_language, parallel=beside is None
                    )
                    log.info(f"Briefs: {filled} pages filled into frames, {full} rendered in full")
            search.start_the_rest()
            with phase("feeds, sitemaps"):
                file_keys = self._write_site_files(site_dir, self._site_files())
            with phase("e-mail editions"):
                email_keys = emails.keys(self.pages.page_cache)
                emails.write(site_dir, email_keys, previous, self.pages.page_cache)
            with phase("social cards and images (made here, or the wait for those made beside the pages)"):
                if beside is None:  # not made beside the pages: made now, on both cores when there are many
                    if cards >= PARALLEL_CARDS or made >= PARALLEL_IMAGES:
                        beside = Beside(worker_count())
                    self.cards.write(previous, beside)
                    if images is not None:
                        images.write(site_dir, beside)
                if beside is not None:
                    beside.finish()
            self.pages.discard_previous()  # what was not taken back goes, while the rest is made
            with phase("search index (the wait for Pagefind, which runs beside the rest)"):
                if self.config.search:
                    search.finish()
            folders = self.image_files.folders if self.image_files is not None else {}
            self.pages.record(email_keys | self.cards.keys | file_keys, search.shards | folders)
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        finally:
            if beside is not None:
                beside.close()
            search.close()
        self.timings.write()

    def on_build_error(self, *, error: Exception) -> None:
        if self.pages is not None:
            self.pages.abandon()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch briefs/ and keep serving the last good site when a brief is broken."""
        assert self.settings is not None
        watch_changes(server, str(self.settings.briefs_dir))
        # What the first build left (the checked archive, compiled templates) lives as long as the preview:
        # frozen, the collector's full passes during each rebuild no longer walk its millions of objects.
        gc.collect()
        freeze()

        def keep_serving() -> None:
            # The server reloads its browsers after a failed build too: they show the errors over the last good site.
            PREVIEW.errors = []
            PREVIEW.pause_collector()
            try:
                builder()
            except Abort as exc:
                PREVIEW.errors = PREVIEW.errors or [f"error: {exc}; see the terminal running mkdocs serve"]
                log.error("The site was not rebuilt; it shows the last good build until the errors above are fixed.")
            except Exception as exc:  # a fault of the build itself, not of a brief: reported, and the preview goes on
                log.exception("The site was not rebuilt")
                PREVIEW.errors = [f"error: the build failed ({type(exc).__name__}: {exc}); see the terminal running mkdocs serve"]
            finally:
                PREVIEW.collect_later()

        replace_builder(server, keep_serving)
        serve_live_pages(server)
        return server

    def _writer(self, config: MkDocsConfig, slim_dir: Path | None) -> PageWriter:
        assert self.env is not None and self.files is not None and self.nav is not None and self.pages is not None
        documentation = list(self.files.documentation_pages())
        return PageWriter(self.env, config, self.nav, documentation, self.pages.page_cache, slim_dir, self.policy)

    def _site_files(self) -> dict[str, Any]:
        assert self.plan is not None and self.site_pages is not None
        memory = PREVIEW.lists if self.serving else None
        return site_files(self.plan, self.site_pages.sitemap_entries(), memory)

    def _write_site_files(self, site_dir: Path, files: dict[str, Any]) -> dict[str, str]:
        """Feeds, the sitemaps and robots.txt; the keys of those made from known inputs, for the next build.

        Such a file the last build left, made from the same inputs, stays as it was: a brief
        edited changes the feeds that show it, not the other topics' feeds.
        """
        previous = self.pages.previous if self.pages is not None else None
        page_cache = self.pages.page_cache if self.pages is not None else None
        keys: dict[str, str] = {}
        with collector_paused():
            for path, make in files.items():
                inputs = make.inputs() if isinstance(make, SiteFile) and page_cache is not None else None
                if inputs is not None:
                    assert page_cache is not None
                    key = keys[path] = f"file {digest(page_cache.fingerprint, path, inputs)}"
                    if previous is not None and previous.has_page(path, key) and previous.take_page(path):
                        continue
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(make())
        # MkDocs wrote its own sitemap (without alternates); keep one.
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
        return keys

    def _publish_preview(self, writer: PageWriter, site_dir: Path, emails: EmailEditions) -> None:
        """The edited page is served at once from memory; search catches up in the background."""
        assert self.pages is not None and self.plan is not None and self.settings is not None and self.cards is not None
        files = self._site_files()
        if not PREVIEW.serving:
            self._write_site_files(site_dir, files)  # the first build runs before the server exists
        else:
            (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
        images = self.image_files.live_files() if self.image_files else {}
        live_files = (images, self.cards.live_files(), files)  # the first holding a path wins
        PREVIEW.publish(LivePages(writer.render_page, emails.render_bytes, self.pages.framed, emails.digests, live_files))
        job = partial(
            preview_background,
            writer,
            site_dir,
            self.pages.framed,
            emails,
            self.plan,
            self.settings.languages,
            self.config.search,
        )
        PREVIEW.start_background(job)


def _report(findings: list[Finding]) -> None:
    """Warnings and notices to the log; errors end the build, all of them listed."""
    for finding in findings:
        if not finding.is_error:
            level = logging.INFO if finding.code in NOTICES else logging.WARNING  # --strict passes notices
            log.log(level, finding.format())
    errors = [f for f in findings if f.is_error]
    if errors:
        PREVIEW.errors = [f.format() for f in errors]  # shown over the preview's pages while serving
        lines = "\n".join(PREVIEW.errors)
        raise PluginError(f"{len(errors)} error{'s' if len(errors) > 1 else ''} in briefs:\n{lines}")
