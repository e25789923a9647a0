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
# The pages of SPEC §9: outlets, one outlet, corrections.
for _lang in ("en", "de"):
    PAGES[_lang] += [f"{_lang}/sources/", f"{_lang}/sources/tagesschau-de/", f"{_lang}/corrections/"]


@pytest.fixture(scope="module")
def site(sample_site: Build) -> Iterator[tuple[str, object]]:
    with serve(sample_site.site) as base, browser() as context:
        yield base, context


def opened(context: object, url: str, scheme: str) -> object:
    """``url`` in the reader's colour scheme, with Material's palette applied."""
    page = context.new_page()  # type: ignore[attr-defined]
    page.emulate_media(color_scheme=scheme)
    # No palette remembered from an earlier page: storage is emptied before any of
    # the page's own scripts run (a clear after loading raced Material's own write).
    page.add_init_script("localStorage.clear()")
    page.goto(url, wait_until="networkidle")
    expected = "slate" if scheme == "dark" else "default"
    # Material applies the palette of the reader's colour scheme once its script has run.
    wait_until(page, f"document.body.dataset.mdColorScheme === '{expected}'", timeout=20)
    return page


def violations(page: object, label: str, within: str = "document") -> list[str]:
    """axe-core's serious and critical findings on ``page`` (or the element ``within`` selects)."""
    page.evaluate(AXE)  # type: ignore[attr-defined]
    script = f"async () => await axe.run({within}, {{resultTypes: ['violations']}})"
    result = page.evaluate(script)  # type: ignore[attr-defined]
    return [
        f"{label} {v['id']}: {v['help']} {[node['target'] for node in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_serious_or_critical_violations(site: tuple[str, object], lang: str, scheme: str) -> None:
    base, context = site
    problems = []
    for url in PAGES[lang]:
        page = opened(context, base + url, scheme)
        problems += violations(page, f"{url} [{scheme}]")
        page.close()  # type: ignore[attr-defined]
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_search_dialog_with_results_has_no_serious_violations(site: tuple[str, object], lang: str, scheme: str) -> None:
    base, context = site
    page = opened(context, f"{base}{lang}/", scheme)
    page.keyboard.press("/")  # type: ignore[attr-defined]
    page.fill(".brief-search__input", "Merz")  # type: ignore[attr-defined]
    page.wait_for_selector(".brief-search__result-link")  # type: ignore[attr-defined]
    wait_until(page, "document.querySelector('.brief-search__results').getAttribute('aria-busy') === 'false'")
    problems = violations(page, f"search [{scheme}]", "document.querySelector('dialog.brief-search')")
    page.close()  # type: ignore[attr-defined]
    assert problems == []


def test_claims_pair_quote_and_source_for_screen_readers(site: tuple[str, object]) -> None:
    base, context = site
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + PAGES["en"][1])
    figure = page.locator("figure.brief-claim").first
    snapshot = figure.aria_snapshot()
    page.close()
    assert "figure" in snapshot and "Eight agreements were signed" in snapshot and "tagesschau.de" in snapshot
