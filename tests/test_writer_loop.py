"""The writer's loop in Chromium on a real ``mkdocs serve``: save, and the open page shows it by itself.

Nothing here reloads a page: each change reaches the browser through the
page's own reload script, under the page's own Content-Security-Policy, or
the test fails.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser import browser, wait_for
from serving import fetch, mkdocs_serve

from conftest import REPO, brief_fields, brief_text, write_brief

pytestmark = pytest.mark.browser

BRIEF = "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/"


@dataclass
class Preview:
    base: str
    site: Path  # the copy of the site's configuration and pages
    brief: Path  # the brief's en.md
    briefs: Path
    console: list[str] = field(default_factory=list)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    site = tmp_path / "site-src"
    for folder in ("overrides", "docs", "hooks"):
        shutil.copytree(REPO / folder, site / folder)
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    briefs = tmp_path / "briefs"
    brief = write_brief(briefs, "2026-01-23-rome", "en", brief_fields(), body="First version.\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with mkdocs_serve(site, briefs, tmp_path / "serve.log", scratch) as base:
        wait_for(lambda: "First version." in fetch(base + BRIEF), timeout=60)
        yield Preview(base, site, brief, briefs)


@pytest.fixture
def page(preview: Preview) -> Iterator[object]:
    with browser() as context:
        tab = context.new_page()  # type: ignore[attr-defined]
        tab.on("console", lambda message: preview.console.append(message.text))
        yield tab


def shows(page: object, expression: str, timeout: float = 20) -> None:
    """Wait until ``expression`` is true in the page, which may reload meanwhile (by itself)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.evaluate(expression):  # type: ignore[attr-defined]
                return
        except Exception:  # the page is reloading: its context went away
            pass
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout}s without a manual reload: {expression}")


def text_shown(text: str) -> str:
    return f"document.body.innerText.includes({text!r})"


def open_page(page: object, url: str) -> None:
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    # The reload script polls the server once the page has loaded: give it that moment.
    shows(page, "document.readyState === 'complete'")


def no_policy_violation(preview: Preview) -> None:
    blocked = [m for m in preview.console if "Content Security Policy" in m]
    assert blocked == [], blocked


def test_a_saved_edit_an_error_and_its_fix_reach_the_open_brief_page(preview: Preview, page: object) -> None:
    open_page(page, preview.base + BRIEF)
    assert page.evaluate(text_shown("First version."))  # type: ignore[attr-defined]

    preview.brief.write_text(brief_text(brief_fields(), "Second version.\n"), encoding="utf-8")
    shows(page, text_shown("Second version."))
    assert page.evaluate("document.querySelector('.brief-build-error') === null")  # type: ignore[attr-defined]

    preview.brief.write_text(brief_text(brief_fields(title=True), "Broken version.\n"), encoding="utf-8")
    shows(page, "document.querySelector('.brief-build-error[role=alert]') !== null")
    banner = page.inner_text(".brief-build-error")  # type: ignore[attr-defined]
    assert "en.md:2:8: error: `title`: expected text, found a boolean" in banner
    assert "2026-01-23-rome" in banner  # the file, as the terminal names it
    assert page.evaluate(text_shown("Second version."))  # type: ignore[attr-defined]  # over the last good page

    preview.brief.write_text(brief_text(brief_fields(), "Third version.\n"), encoding="utf-8")
    shows(page, text_shown("Third version."))
    assert page.evaluate("document.querySelector('.brief-build-error') === null")  # type: ignore[attr-defined]
    no_policy_violation(preview)


def test_a_docs_page_and_a_list_page_reload_and_show_the_error_too(preview: Preview, page: object) -> None:
    about = preview.site / "docs" / "en" / "about.md"
    open_page(page, preview.base + "en/about/")
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added while the page was open.\n", encoding="utf-8")
    shows(page, text_shown("A sentence added while the page was open."))

    open_page(page, preview.base + "en/")
    preview.brief.write_text(brief_text(brief_fields(title="A retitled brief"), "Second.\n"), encoding="utf-8")
    shows(page, text_shown("A retitled brief"))
    preview.brief.write_text(brief_text(brief_fields(titel="A typo"), "Second.\n"), encoding="utf-8")
    shows(page, "document.querySelector('.brief-build-error') !== null")
    assert "unknown field `titel`; did you mean `title`?" in page.inner_text(".brief-build-error")  # type: ignore[attr-defined]

    page.goto(preview.base + "en/about/")  # type: ignore[attr-defined]  # every page shows it while it lasts
    assert "unknown field `titel`" in page.inner_text(".brief-build-error")  # type: ignore[attr-defined]
    preview.brief.write_text(brief_text(brief_fields(title="A retitled brief"), "Fixed.\n"), encoding="utf-8")
    shows(page, "document.querySelector('.brief-build-error') === null")
    no_policy_violation(preview)


def test_a_new_draft_brief_is_served_and_marked(preview: Preview, page: object) -> None:
    open_page(page, preview.base + "en/")
    fields = brief_fields(title="A draft in the works", date="2026-01-24", draft=True)
    write_brief(preview.briefs, "2026-01-24-draft", "en", fields)
    shows(page, text_shown("A draft in the works"))  # the home page lists it, marked
    assert "Draft" in page.inner_text(".brief-draft")  # type: ignore[attr-defined]
    open_page(page, preview.base + "en/2026/01/24/a-draft-in-the-works/")
    assert "not published yet" in page.inner_text("p.brief-draft")  # type: ignore[attr-defined]
    no_policy_violation(preview)
