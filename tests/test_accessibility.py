"""Accessibility: axe-core in headless Chromium on every page kind, both languages, both palettes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from browser import browser, serve, wait_until

from conftest import Build

pytestmark = pytest.mark.browser

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PAGES = {
    "en": ["en/", "en/2026/01/23/germany-italy-rome-consultations/", "en/topics/defense/", "en/digest/2026-01-23/", ""],
    "de": ["de/", "de/2026/01/23/deutschland-italien-konsultationen-rom/", "de/topics/defense/", "de/digest/2026-01-23/"],
}


@pytest.fixture(scope="module")
def site(sample_site: Build) -> Iterator[tuple[str, object]]:
    with serve(sample_site.site) as base, browser() as context:
        yield base, context


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_serious_or_critical_violations(site: tuple[str, object], lang: str, scheme: str) -> None:
    base, context = site
    problems = []
    for url in PAGES[lang]:
        page = context.new_page()  # type: ignore[attr-defined]
        page.emulate_media(color_scheme=scheme)
        page.goto(base + url)
        page.evaluate("localStorage.clear()")  # no palette remembered from an earlier page
        page.reload(wait_until="networkidle")
        expected = "slate" if scheme == "dark" else "default"
        # Material applies the palette of the reader's colour scheme once its script has run.
        wait_until(page, f"document.body.dataset.mdColorScheme === '{expected}'")
        page.evaluate(AXE)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{url} [{scheme}] {violation['id']}: {violation['help']} {targets}")
        page.close()
    assert problems == []


def test_claims_pair_quote_and_source_for_screen_readers(site: tuple[str, object]) -> None:
    base, context = site
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + PAGES["en"][1])
    figure = page.locator("figure.brief-claim").first
    snapshot = figure.aria_snapshot()
    page.close()
    assert "figure" in snapshot and "Eight agreements were signed" in snapshot and "tagesschau.de" in snapshot
