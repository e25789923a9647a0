"""The MkDocs adapter: events that hand the core's pages to MkDocs.

All decisions (what is valid, which pages exist, what they show) are made by
the core modules; this file only translates them into MkDocs objects, so the
core can move to another generator when MkDocs 1.x ends.
"""

from __future__ import annotations

import gc
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .config import BriefsConfig
from .core.cache import trusted_folder
from .core.corpus import folder_assets, load_corpus
from .core.i18n import Translator
from .core.settings import Settings, settings_from_options
from .mkdocs.bytecode import keep_compiled
from .mkdocs.context import check_site_page, doc_alternates, language_links, page_context, table_of_contents
from .mkdocs.live import (
    PREVIEW_INDEX,
    SLIM_COPIES,
    LivePages,
    clear_later,
    finish_removals,
    publish,
    serve_live_pages,
    serving_from_memory,
    start_background,
    stop_background,
    stop_watching,
    watch_changes,
)
from .mkdocs.navigation import language_navs
from .mkdocs.page_cache import ALWAYS_RENDERED, PageCache, page_kind, site_fingerprint
from .mkdocs.previous import PreviousOutput
from .mkdocs.writing import PageWriter, output_path, page_meta, write_page
from .search.pagefind import LanguageIndex, SearchIndexError, build_index
from .search.shards import planned_shards, shard_keys
from .search.slim import SlimStore, write_slim
from .site.csp import add_policy
from .site.feeds import SitemapEntry
from .site.plan import PageSpec, SitePlan, plan_site, site_files
from .site.views import Alternate, absolute

log = logging.getLogger("mkdocs.plugins.briefs")

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
STYLESHEET = "assets/briefs/briefs.css"
ASSETS = {STYLESHEET: "briefs.css", "assets/briefs/search.js": "search.js", "assets/briefs/guard.js": "guard.js"}
#: Editorial notices, not build problems: logged at INFO so --strict passes.
NOTICE_CODES = {"BR401", "BR402"}


class BriefsPlugin(BasePlugin[BriefsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.plan: SitePlan | None = None
        self.specs: dict[str, PageSpec] = {}
        self.doc_langs: dict[str, str] = {}
        self.doc_alternates: dict[str, list[Alternate]] = {}
        self.navs: dict[str, Any] = {}
        self.page_cache: PageCache | None = None
        self.env: Environment | None = None
        self.serving = False
        self.dirty = False
        #: Pages served from the cache this build: ``src_uri -> HTML``.
        self.cached: dict[str, bytes] = {}
        #: Pages the last build left in the site folder, unchanged (see previous.py).
        self.kept: set[str] = set()
        self.previous: PreviousOutput | None = None
        #: Pages this plugin renders into frames after MkDocs' own pages (see frames.py).
        self.framed: list[PageSpec] = []
        self.nav: Navigation | None = None
        self.files: Files | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self) -> None:
        """The live preview ends: stop its background work, which removes its scratch folders."""
        stop_watching()
        stop_background()
        SLIM_COPIES.close()
        PREVIEW_INDEX.close()
        finish_removals()
        if not self.serving:
            # The process ends: its millions of objects need no collector passes
            # at exit (seconds for a large archive); memory is freed all the same.
            gc.freeze()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the options into core settings; put our templates under custom_dir."""
        stop_background()  # a live preview's last pages and index are redone by this build
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        names = [e if isinstance(e, str) else next(iter(e)) for e in config.markdown_extensions]
        self.settings = settings_from_options(
            dict(self.config),
            root=root,
            site_url=config.site_url or "http://127.0.0.1:8000/",
            site_name=config.site_name,
            markdown_extensions=names,
            markdown_configs=dict(config.mdx_configs),
        )
        # A cache folder that came with the checkout is not used by this build (the warning says so).
        self.settings.cache_dir = trusted_folder(self.settings.cache_dir)
        # After custom_dir (index 0 when set) so sites can override any template.
        position = 1 if config.theme.custom_dir else 0
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(position, str(TEMPLATES_DIR))
        if STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, STYLESHEET)
        return config

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load and check every brief before MkDocs cleans the output folder.

        Failing here keeps the last good site in place, which is what
        ``mkdocs serve`` shows while a writer fixes a mistake.
        """
        assert self.settings is not None
        if not self.settings.briefs_dir.is_dir():
            raise PluginError(f"briefs_dir '{self.settings.briefs_dir}' is not a folder")
        # Loading and planning make millions of objects and no garbage cycles:
        # the collector's passes over them would only cost time.
        with _collector_paused():
            corpus = load_corpus(self.settings, render=True)
            plan = plan_site(corpus, self.settings) if not corpus.errors else None
        for finding in corpus.findings:
            if not finding.is_error:
                level = logging.INFO if finding.code in NOTICE_CODES else logging.WARNING
                log.log(level, finding.format())
        if corpus.errors:
            count = len(corpus.errors)
            lines = "\n".join(f.format() for f in corpus.errors)
            raise PluginError(f"{count} error{'s' if count > 1 else ''} in briefs:\n{lines}")
        assert plan is not None
        if self.serving and serving_from_memory() and not self.dirty:
            clear_later(Path(config.site_dir))  # before MkDocs cleans it, file by file
        self.plan = plan
        self.specs = self.plan.by_uri()
        self.cached = {}
        self.kept = set()
        live = self.serving and self.config.page_frames
        # The live preview renders a page when a browser asks for it: no cache needed.
        self.page_cache = None if live else PageCache(self.settings.cache_dir, site_fingerprint(config), self.plan.pages)
        cache_dir = self.settings.cache_dir
        self.previous = None
        if self.page_cache is not None and cache_dir is not None and not self.dirty:
            self.previous = PreviousOutput.set_aside(Path(config.site_dir), cache_dir)
        for spec in self.plan.pages if self.page_cache else []:
            key = self.page_cache.keys.get(spec.src_uri)
            if key and self.previous and self.previous.has_page(output_path(spec.src_uri), key):
                self.kept.add(spec.src_uri)  # taken back after MkDocs has cleaned the site folder
                continue
            html = self.page_cache.get(spec.src_uri)
            if html is not None:
                self.cached[spec.src_uri] = html
        # Pages outside every menu need nothing from MkDocs but a template: they
        # are rendered into frames after the build, unless the site turns that off.
        self.framed = [
            spec
            for spec in self.plan.pages
            if self.config.page_frames
            and spec.src_uri not in self.cached
            and spec.src_uri not in self.kept
            and page_kind(spec) not in ALWAYS_RENDERED
        ]
        reused = len(self.cached) + len(self.kept)
        log.info(f"Briefs: {reused} of {len(self.plan.pages)} generated pages from the cache ({len(self.kept)} kept in place)")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add each planned page as a generated file, kept out of the global nav."""
        assert self.plan is not None and self.settings is not None
        languages = self.settings.languages
        self.doc_langs = {}
        for file in files.documentation_pages():
            first = file.src_uri.split("/", 1)[0]
            if first in languages:
                self.doc_langs[file.src_uri] = first
            file.inclusion = InclusionLevel.NOT_IN_NAV
        self.doc_alternates = doc_alternates(files, self.doc_langs, self.settings)
        self._take_back_pages()
        framed = {spec.src_uri for spec in self.framed}
        for spec in self.plan.pages:
            if spec.src_uri in self.cached or spec.src_uri in framed or spec.src_uri in self.kept:
                continue  # written by on_post_build, or kept from the last build
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri} clashes with a generated page at /{spec.url}; move or rename it")
            files.append(File.generated(config, spec.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        for uri, name in ASSETS.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(ASSETS_DIR / name)))
        assets = folder_assets(self.settings.briefs_dir)
        for brief in self.plan.published:
            for asset in assets.get(brief.path.parent, ()):
                files.append(File.generated(config, f"{brief.url}{asset.name}", abs_src_path=str(asset)))
        return files

    def _take_back_pages(self) -> None:
        """Move the unchanged pages of the last build back into the (now clean) site folder."""
        if self.previous is None:
            return
        for uri in sorted(self.kept):
            if self.previous.take_page(output_path(uri)):
                continue
            self.kept.discard(uri)  # changed since it was checked: from the cache, or rendered
            html = self.page_cache.get(uri) if self.page_cache else None
            if html is not None:
                self.cached[uri] = html
            elif self.config.page_frames:
                self.framed.append(self.specs[uri])

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Build one navigation per language, now that every page has its title."""
        assert self.settings is not None
        keep_compiled(env)
        self.env = env
        self.files = files
        self.navs = language_navs(files, self.settings, self.doc_langs)
        # Theme pages rendered without a page (404.html) speak the default language.
        env.globals.update(page_context(self.settings, self.settings.default_language))
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            check_site_page(page, markdown)
            return markdown
        page.title = spec.title  # type: ignore[misc]  # plain text; templates escape it
        page.meta.update(page_meta(spec))
        return ""  # the core renders brief parts itself; MkDocs converts nothing

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """Give templates the page's language, its translations and its view."""
        assert self.settings is not None
        spec = self.specs.get(page.file.src_uri)
        lang = spec.lang if spec else self.doc_langs.get(page.file.src_uri, self.settings.default_language)
        context.update(page_context(self.settings, lang))
        if lang in self.navs:
            context["nav"] = self.navs[lang]
        alternates = spec.alternates if spec else self.doc_alternates.get(page.file.src_uri, [])
        context["briefs_alternates"] = alternates
        context["briefs_languages"] = language_links(self.settings, alternates)
        if spec is None:
            return context
        if spec.kind == "brief":
            page.toc = table_of_contents(spec.view.outline)
            context["briefs_view"] = spec.view
            context["briefs_description"] = spec.brief.summary if spec.brief else None
            context["briefs_og_locale_alternates"] = spec.view.og_locale_alternates
        else:
            context["briefs_view_list"] = spec.view
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Every page gets its Content-Security-Policy; generated pages go to the cache."""
        output = add_policy(output)
        if self.page_cache is not None:
            self.page_cache.put(page.file.src_uri, output)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Theme pages without a source (404.html) get the same policy."""
        return add_policy(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the generated pages, feeds, sitemap and robots.txt; then index the site with Pagefind."""
        assert self.plan is not None and self.settings is not None
        site_dir = Path(config.site_dir)
        live = self.serving and self.config.page_frames
        indexing = self.config.search and not live
        planned = planned_shards(self.plan.pages)
        shards = self._shard_keys() if indexing else {}
        kept = self._take_back_shards(shards)
        store, slim_dir, brief_keys = self._slim_copies() if indexing else (None, None, {})
        started: dict[str, LanguageIndex] = {}
        try:
            stale = store.stale(brief_keys) if store is not None else None
            self._write_pages(self._writer(config, slim_dir), site_dir, live, started, planned, kept, stale)
            if live:
                return
            emails = self._email_keys()
            self._write_emails(site_dir, emails)
            if self.previous is not None:
                self.previous.discard()  # what was not taken back goes, while the rest is made
            if self.config.search:
                self._index(site_dir, prepared=slim_dir, started=started, kept=kept, planned=planned)
            if store is not None:
                store.finish(brief_keys)
            if self.previous is not None and self.page_cache is not None:
                pages = {output_path(uri): key for uri, key in self.page_cache.keys.items()}
                self.previous.finish(pages | emails, shards)
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        finally:
            for run in started.values():
                run.stop()
            if slim_dir is not None and store is None:
                shutil.rmtree(slim_dir, ignore_errors=True)

    def _take_back_shards(self, shards: dict[str, str]) -> dict[str, set[str]]:
        """The search shards (by language) whose pages are all unchanged, moved back from the last build."""
        kept: dict[str, set[str]] = {}
        for folder, key in shards.items():
            lang, shard = folder.split("/")[-2:]
            if self.previous is not None and self.previous.take_shard(folder, key):
                kept.setdefault(lang, set()).add(shard)
        if kept:
            count = sum(len(found) for found in kept.values())
            log.info(f"Briefs: {count} of {len(shards)} search index shards kept in place")
        return kept

    def _slim_copies(self) -> tuple[SlimStore | None, Path | None, dict[str, str]]:
        """Where brief pages cut down for Pagefind go: the cache's store (with its pages' keys), a scratch folder, or none.

        The workers that render brief pages write the copies too. With a cache,
        they are kept for the next build (SlimStore); without one, and when most
        pages come from the cache, Pagefind's own preparation (beside its run,
        see build_index) costs less than doing it here.
        """
        assert self.plan is not None and self.settings is not None
        if not self.config.page_frames:
            return None, None, {}
        if self.page_cache is not None and self.settings.cache_dir is not None:
            store = SlimStore(self.settings.cache_dir / "slim")
            keys = self.page_cache.keys
            briefs = [spec.src_uri for spec in self.plan.pages if spec.kind == "brief" and spec.src_uri in keys]
            return store, store.folder, {output_path(uri): keys[uri] for uri in briefs}
        if len(self.cached) + len(self.kept) < len(self.framed):
            return None, Path(tempfile.mkdtemp(prefix="briefs-index-")), {}
        return None, None, {}

    def on_build_error(self, *, error: Exception) -> None:
        if self.previous is not None:
            self.previous.discard()
            self.previous.wait()

    def _shard_keys(self) -> dict[str, str]:
        assert self.plan is not None
        return shard_keys(self.plan.pages, self.page_cache.keys) if self.page_cache else {}

    def _writer(self, config: MkDocsConfig, slim_dir: Path | None = None) -> PageWriter:
        assert self.env is not None and self.files is not None and self.nav is not None
        return PageWriter(self.env, config, self.nav, self.files.documentation_pages(), self.page_cache, slim_dir)

    def _write_pages(
        self,
        writer: PageWriter,
        site_dir: Path,
        live: bool,
        started: dict[str, LanguageIndex],
        planned: dict[str, dict[str, int]],
        kept: dict[str, set[str]],
        stale: set[str] | None,
    ) -> None:
        """Write the pages not kept in place; ``stale``: the brief pages whose cut-down copy is missing (None: all)."""
        assert self.plan is not None and self.settings is not None
        with_briefs = set(planned)
        first = next((lang for lang in self.settings.languages if lang in with_briefs), None)
        slim_dir = writer.slim_dir

        def start_indexing(languages: list[str]) -> None:
            # Their brief pages are all written: Pagefind indexes the shards it has
            # to while the build goes on (the first language while the others
            # render, the others while feeds and the sitemap are written).
            for lang in languages if slim_dir is not None else ():
                shards = [shard for shard in planned.get(lang, ()) if shard not in kept.get(lang, ())]
                if shards:
                    started[lang] = LanguageIndex(slim_dir, site_dir, lang, shards)

        def index_first_language() -> None:
            start_indexing([first] if first is not None else [])

        def copy_needed(uri: str) -> bool:
            return slim_dir is not None and self.specs[uri].kind == "brief" and (stale is None or output_path(uri) in stale)

        for uri, html in self.cached.items():
            write_page(site_dir, uri, html)
            if copy_needed(uri):
                write_slim(slim_dir / output_path(uri), html.decode("utf-8"))
        for uri in self.kept:
            if copy_needed(uri):
                path = output_path(uri)
                write_slim(slim_dir / path, (site_dir / path).read_text(encoding="utf-8"))
        if not live and self.framed:
            filled, full = writer.write_all(site_dir, self.framed, first=first, between=index_first_language)
            log.info(f"Briefs: {filled} pages filled into frames, {full} rendered in full")
        if not live:
            start_indexing([lang for lang in self.settings.languages if lang in with_briefs and lang not in started])
        docs = [
            SitemapEntry(uri_url, tuple((a.hreflang, a.url) for a in alternates)) for uri_url, alternates in self._doc_pages()
        ]
        files = site_files(self.plan, tuple(docs))
        # A preview served from memory makes feeds and sitemap when they are asked for.
        from_memory = live and serving_from_memory()
        with _collector_paused():
            for path, make in files.items() if not from_memory else ():
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(make())
        # MkDocs wrote its own sitemap (without alternates); keep one.
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
        if live:
            # The edited page is served at once from memory (live.py); search
            # catches up in the background (see _background).
            publish(LivePages(writer.render_page, self._live_email, self.framed, self._digests(), files))
            start_background(partial(self._background, writer, site_dir))

    def _background(self, writer: PageWriter, site_dir: Path, cancelled: threading.Event) -> None:
        """The live preview's pages for search (and for disk, before pages are served from memory)."""
        briefs = [spec for spec in self.framed if spec.kind == "brief"]
        if not serving_from_memory():
            # The first build runs before the server exists: every page is written,
            # and the brief pages cut down for search in the same pass.
            folder = SLIM_COPIES.refresh(writer, self.framed, cancelled, site_dir)
            self._write_emails(site_dir, {})  # the preview keeps nothing from build to build
        elif self.config.search:
            # Browsers get pages from memory: only search needs them, cut down, outside the site.
            folder = SLIM_COPIES.refresh(writer, briefs, cancelled)
        else:
            return
        if folder is None or not self.config.search:
            return
        shards = shard_keys(briefs, SLIM_COPIES.keys)
        kept = PREVIEW_INDEX.keep(shards)
        self._index(site_dir, output=PREVIEW_INDEX.folder, cancelled=cancelled, prepared=folder, kept=kept)
        if not cancelled.is_set():
            PREVIEW_INDEX.done(shards)

    def _index(self, site_dir: Path, **options: Any) -> None:
        assert self.settings is not None and self.plan is not None
        planned = options.setdefault("planned", planned_shards(self.plan.pages))
        build_index(site_dir, self.settings.languages, set(planned), **options)

    def _live_email(self, spec: PageSpec) -> bytes:
        return self._email(spec).encode("utf-8")

    def _digests(self) -> list[PageSpec]:
        assert self.plan is not None
        return [spec for spec in self.plan.pages if spec.kind == "digest"]

    def _write_emails(self, site_dir: Path, keys: dict[str, str]) -> None:
        """The email edition of each digest, from the theme's (overridable) email template.

        An edition depends on what its digest page does (``keys``, see
        :meth:`_email_keys`): one the last build left unchanged (see previous.py)
        is kept.
        """
        assert self.plan is not None and self.settings is not None and self.env is not None
        for spec in self._digests():
            path = f"{spec.url}email.html"
            key = keys.get(path)
            if key and self.previous and self.previous.has_page(path, key) and self.previous.take_page(path):
                continue
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._email(spec), encoding="utf-8")

    def _email_keys(self) -> dict[str, str]:
        """Each email edition's path and key: its digest page's key."""
        keys = self.page_cache.keys if self.page_cache else {}
        return {f"{spec.url}email.html": f"email {keys[spec.src_uri]}" for spec in self._digests() if spec.src_uri in keys}

    def _email(self, spec: PageSpec) -> str:
        assert self.settings is not None and self.env is not None
        settings = self.settings
        return self.env.get_template("briefs/email.html").render(
            digest=spec.view,
            lang=spec.lang,
            site_name=settings.site_name,
            t=Translator(spec.lang),
            absolute=partial(absolute, settings),
            home=absolute(settings, f"{spec.lang}/"),
            web=absolute(settings, spec.url),
        )

    def _doc_pages(self) -> list[tuple[str, list[Alternate]]]:
        pages = []
        for uri, alternates in self.doc_alternates.items():
            own = next((a.url for a in alternates if a.hreflang == self.doc_langs[uri]), None)
            if own is not None:
                pages.append((own, alternates))
        return pages

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch briefs/ and keep serving the last good site when a brief is broken."""
        assert self.settings is not None
        watch_changes(server, str(self.settings.briefs_dir))

        def keep_serving() -> None:
            try:
                builder()
            except Abort:
                log.error("The site was not rebuilt; it shows the last good build until the errors above are fixed.")

        server.builder = keep_serving
        serve_live_pages(server)
        return server


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
