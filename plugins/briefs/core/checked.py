"""A brief file's text, as git history holds it, checked as the build checks it: its content and version.

This stands above validation, which reads versions (a pair's rules), which
read the content of a text: so the content and version modules need not know
of validation.
"""

from __future__ import annotations

from pathlib import Path

from .content import Content, content_of, decode, parsed_file
from .loading import load_brief_file
from .model import Brief
from .rendering import Renderer
from .settings import Settings, markdown_fingerprint
from .validation import check_brief
from .versions import fingerprint

_RENDERERS: dict[str, Renderer] = {}


def _renderer(settings: Settings) -> Renderer:
    key = markdown_fingerprint(settings)
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(settings.markdown_extensions, settings.markdown_configs)
    return _RENDERERS[key]


def checked_content(text: str, display: str, settings: Settings) -> Content | None:
    """The content of a text that passes every check of :func:`~briefs.core.validation.check_brief`, else ``None``."""
    file = parsed_file(text, display)
    if file is None:
        return None
    brief = check_brief(file, "brief", settings.default_language, settings, _renderer(settings))
    return None if brief is None else content_of(brief)


def checked_brief(path: Path, display: str, brief_id: str, lang: str, settings: Settings) -> Brief | None:
    """One brief file read and checked as the build checks it (its pair's rules aside), else ``None``."""
    return check_brief(load_brief_file(path, display), brief_id, lang, settings, _renderer(settings))


def checked_version(data: bytes, display: str, settings: Settings) -> str | None:
    """The version of a file's bytes (as git stores them) that pass the build's checks, else ``None``."""
    text = decode(data)
    content = None if text is None else checked_content(text, display, settings)
    return None if content is None else fingerprint(content)
