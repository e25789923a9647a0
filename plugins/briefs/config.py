"""The ``briefs`` plugin's options (SPEC §5), declared and validated in one place."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .core.settings import (
    DEFAULT_BRIEFS_DIR,
    DEFAULT_CACHE_DIR,
    DEFAULT_LANGUAGE,
    DEFAULT_LANGUAGES,
    DEFAULT_OUTLETS_FILE,
    DEFAULT_TOPICS,
    as_bool,
    cache_off,
    option_problems,
)


class _Flag(c.Type):
    """A boolean that also accepts ``!ENV`` text such as ``"1"`` or ``"false"``."""

    def __init__(self, default: bool | None = False) -> None:
        super().__init__((bool, str, int), default=default)

    def run_validation(self, value: object) -> bool:
        return as_bool(super().run_validation(value))


class _CacheDir(c.Type):
    """A folder, or ``false`` for no cache (``!ENV`` turns an empty variable into the default)."""

    def __init__(self) -> None:
        super().__init__((str, bool), default=DEFAULT_CACHE_DIR)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if isinstance(value, bool):
            return DEFAULT_CACHE_DIR if value else ""
        return "" if cache_off(value) else str(value)


class _Topics(c.Type):
    """``key: {lang: label}``; every configured language needs a label."""

    def __init__(self) -> None:
        super().__init__(dict, default=DEFAULT_TOPICS)

    def run_validation(self, value: object) -> dict[str, dict[str, str]]:
        topics: dict[str, dict[str, str]] = super().run_validation(value)
        return topics


class BriefsConfig(base.Config):
    briefs_dir = c.Type(str, default=DEFAULT_BRIEFS_DIR)
    languages = c.ListOfItems(c.Type(str), default=list(DEFAULT_LANGUAGES))
    default_language = c.Type(str, default=DEFAULT_LANGUAGE)
    require_pairs = _Flag(default=False)
    #: Drafts and scheduled briefs shown, marked; unset: while serving (SPEC §12), not in builds.
    preview = c.Optional(_Flag(default=None))
    topics = _Topics()
    #: Run Pagefind over the built site (off for builds that need no search).
    search = _Flag(default=True)
    #: Where rendered brief parts are cached between builds ("" turns caching off).
    cache_dir = _CacheDir()  # relative to mkdocs.yml
    #: Render pages outside the menus from a frame per template, language and depth
    #: (the same HTML as rendering each page in full, many times faster).
    page_frames = _Flag(default=True)
    #: Where a brief dated a day (no time) goes live at midnight (SPEC §10).
    timezone = c.Type(str, default="Europe/Berlin")
    #: A 1200×630 card per brief page for link previews (og:image), drawn at build time.
    social_cards = _Flag(default=True)
    #: The newsletter's subscription form: {action, email_field, extra_fields, unsubscribe} (SPEC §10).
    newsletter = c.Type(dict, default={})
    #: The outlet registry (SPEC §9), relative to mkdocs.yml; none when the file does not exist.
    outlets_file = c.Type(str, default=DEFAULT_OUTLETS_FILE)

    def validate(self) -> tuple[list[Any], list[Any]]:
        """Each option's type here; the rules across options are the core's, shared with the command line."""
        failed, warnings = super().validate()
        if not failed:
            failed += [(name, base.ValidationError(message)) for name, message in option_problems(dict(self))]
        return failed, warnings
