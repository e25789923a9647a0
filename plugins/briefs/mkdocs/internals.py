"""Every use of a private part of MkDocs or Jinja, in one place.

The live preview waits on MkDocs' live-reload server as its own request
handler does, and has it add another reload script to the files it sends; frames render a template's
blocks one by one as Jinja's own ``render`` does. None of these are public
API. MkDocs 1.x gets no more releases, so they hold as long as the versions
below do; :func:`check_versions` refuses others with a clear message instead
of failing somewhere in the middle of a build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import version

from jinja2 import Environment, Template
from jinja2.runtime import Context
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

#: The versions these internals were written for (major.minor prefixes).
WRITTEN_FOR = {"mkdocs": "1.6.", "jinja2": "3.1."}


def check_versions() -> None:
    """Fail with a clear message on versions whose internals may differ."""
    for name, prefix in WRITTEN_FOR.items():
        found = version(name)
        if not found.startswith(prefix):
            raise PluginError(f"briefs works with {name} {prefix}x (found {found}); install the versions in constraints.txt")


# MkDocs' live-reload server ---------------------------------------------------------------------


def wait_for_rebuild(server: LiveReloadServer) -> int:
    """Wait until a rebuild under way has finished, as the server does before serving a file; its epoch."""
    with server._epoch_cond:
        server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
        return server._visible_epoch


def with_reload_script(server: LiveReloadServer, html: bytes, epoch: int) -> bytes:
    """A page as the server sends its files: with the script that reloads it after a rebuild."""
    return server._inject_js_into_html(html, epoch)


def replace_reload_script(server: LiveReloadServer, inject: Callable[[bytes, int], bytes]) -> None:
    """Have the server add ``inject(html, epoch)`` to the HTML files it sends, in place of its inline script."""
    server._inject_js_into_html = inject  # type: ignore[method-assign]


def shorten_build_delay(server: LiveReloadServer, seconds: float) -> None:
    """How long the server waits for a burst of file events to end before it rebuilds (MkDocs: 0.1 s)."""
    server.build_delay = seconds


def request_rebuild(server: LiveReloadServer) -> None:
    """Ask for a rebuild, as the server's own file watcher does."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def replace_builder(server: LiveReloadServer, builder: Callable[[], None]) -> Callable[[], None]:
    """Put ``builder`` in place of the server's build function; returns the original."""
    original: Callable[[], None] = server.builder
    server.builder = builder
    return original


# Jinja's rendering ------------------------------------------------------------------------------


def block_chains(context: Context) -> dict[str, list[Callable[[Context], Iterator[str]]]]:
    """A template context's blocks, each with its chain of overrides (``super()`` walks it)."""
    return context.blocks


def set_block_chains(context: Context, blocks: dict[str, list[Callable[[Context], Iterator[str]]]]) -> None:
    context.blocks = blocks


def render_root(env: Environment, template: Template, context: Context) -> str:
    """A template rendered in ``context`` (whose blocks may have been changed), as ``Template.render`` does."""
    return str(env.concat(template.root_render_func(context)))


def render_block(env: Environment, block: Callable[[Context], Iterator[str]], context: Context) -> str:
    return str(env.concat(block(context)))
