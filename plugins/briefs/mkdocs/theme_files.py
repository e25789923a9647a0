"""The theme's file listing, walked once per preview for the folders of installed packages.

Each build, MkDocs lists every file of the theme to copy its assets; Material
alone holds some 14,000 (mostly icons), a twentieth of a second of every
live-preview rebuild. Installed packages do not change while the preview
runs, so their listing is kept; the project's own theme folders (``custom_dir``,
the plugin's templates) are walked every time, as MkDocs does. The kept listing
leaves out names in dot folders (Material's ``.icons``): the theme's files are
listed only for MkDocs to copy them, and it never copies a dot file or folder.
"""

from __future__ import annotations

import os
import sysconfig
from collections.abc import Callable

import jinja2
from mkdocs.config.defaults import MkDocsConfig

_INSTALLED = tuple(os.path.realpath(p) + os.sep for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})


def list_installed_once(config: MkDocsConfig, memo: dict[str, list[str]]) -> None:
    """Make the theme's environments list installed folders from ``memo`` (filled on first use)."""
    theme = config.theme
    make_env: Callable[[], jinja2.Environment] = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        if isinstance(env.loader, jinja2.FileSystemLoader):
            env.loader = _ListedLoader(env.loader.searchpath, memo)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class _ListedLoader(jinja2.FileSystemLoader):
    def __init__(self, searchpath: list[str], memo: dict[str, list[str]]) -> None:
        super().__init__(searchpath)
        self.memo = memo

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if os.path.realpath(folder).startswith(_INSTALLED):
                if folder not in self.memo:
                    self.memo[folder] = [name for name in _walk(folder) if not _hidden(name)]
                found.update(self.memo[folder])
            else:
                found.update(_walk(folder))
        return sorted(found)


def _walk(folder: str) -> list[str]:
    """The templates below ``folder`` as Jinja's FileSystemLoader lists them."""
    return jinja2.FileSystemLoader([folder]).list_templates()


def _hidden(name: str) -> bool:
    """Whether a listed name is in a dot folder or a dot file, which MkDocs' theme-file filter leaves out."""
    return any(part.startswith(".") for part in name.split("/"))
