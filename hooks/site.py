"""Glue specific to this site, not part of the reusable plugin.

The footer's links to the legal pages of the page's language, and, in
previews, which build a reviewer is looking at: the build date (taken from
SOURCE_DATE_EPOCH, so that rebuilds stay byte-identical) and the commit.
Published pages carry neither, so that a page changes only when what it
shows does.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

FOOTER_PAGES = ("imprint", "privacy")


def _commit() -> str | None:
    sha = os.environ.get("GITHUB_SHA")
    if sha:
        return sha[:12]
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date()


_BUILD: dict[str, Any] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    _BUILD.update(commit=_commit(), date=_build_date())


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **kwargs: Any) -> dict[str, Any]:
    lang = context.get("briefs_lang", "en")
    nav = context.get("nav")
    pages = {p.url: p for p in (nav.pages if nav else [])}
    links = []
    for name in FOOTER_PAGES:
        target = pages.get(f"{lang}/{name}/")
        if target is not None:
            links.append({"url": target.url, "label": target.title})
    context["site_footer_links"] = links
    # The plugin's context (it runs before the hooks) says whether this is a preview.
    preview = bool(context.get("briefs_preview"))
    # Previews only: a stamp on every published page would change every file of the site on
    # every deploy, and the upload would be the whole site instead of what changed.
    context["site_build"] = {"date": _BUILD.get("date"), "commit": _BUILD.get("commit")} if preview else None
    preview_label = os.environ.get("BRIEFS_PREVIEW_LABEL")
    if preview_label:
        context["briefs_preview_label"] = preview_label
    return context
