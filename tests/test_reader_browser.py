"""What a reader's browser sees: no request to another host, no CSP violation, working pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from browser import browser, serve, wait_until

from conftest import Build

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "en/",
    "de/",
    "en/2026/01/23/germany-italy-rome-consultations/",
    "de/2026/01/23/deutschland-italien-konsultationen-rom/",
    "en/topics/",
    "de/topics/defense/",
    "en/archive/",
    "de/2025/12/",
    "en/about/",
    "de/privacy/",
    "en/digest/2026-01-23/",
    "de/digest/",
    "404.html",
]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def reader(sample_site: Build) -> Iterator[tuple[str, object]]:
    with serve(sample_site.site) as base, browser() as context:
        context.add_init_script(RECORD_VIOLATIONS)
        yield base, context


@pytest.mark.parametrize("url", PAGES)
def test_page_loads_only_from_its_own_host_without_csp_violations(reader: tuple[str, object], url: str) -> None:
    base, context = reader
    page = context.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + url, wait_until="networkidle")
    page.keyboard.press("/")  # opening search loads Pagefind and its WebAssembly
    page.fill(".brief-search__input", "Merz")
    page.wait_for_selector(".brief-search__result", timeout=10_000)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    page.close()
    foreign = [r for r in requests if not r.startswith(base) and not r.startswith("data:")]
    assert foreign == [], foreign
    assert violations == [], violations
    assert errors == [], errors
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp


def test_palette_toggle_switches_to_dark_and_back(reader: tuple[str, object]) -> None:
    base, context = reader
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + "de/")
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.click("label.md-header__button[for^='__palette']:visible")
    assert page.evaluate("document.body.dataset.mdColorScheme") != scheme
    page.close()


def test_print_shows_the_brief_without_the_chrome(reader: tuple[str, object]) -> None:
    base, context = reader
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + PAGES[3])
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.md-header', '.md-tabs', '.md-footer', '.md-sidebar--primary', '.brief-translation-status']"
        ".map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none').length"
    )
    shown = page.evaluate(
        "['.brief-key-details', '.brief-comparison', '.brief-sources']"
        ".every(s => getComputedStyle(document.querySelector(s)).display !== 'none')"
    )
    source_url = page.evaluate("getComputedStyle(document.querySelector('.brief-sources a'), '::after').content")
    page.close()
    assert hidden == 0 and shown
    assert "https://www.tagesschau.de/" in source_url


def test_search_keyboard_navigation_and_newest_first(reader: tuple[str, object]) -> None:
    base, context = reader
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + "en/")
    page.keyboard.press("s")
    page.keyboard.type("Bundestag")  # at once: nothing typed is lost while the search loads
    page.wait_for_selector(".brief-search__result-link")
    assert page.input_value(".brief-search__input") == "Bundestag"
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.textContent.trim()")
    links = page.locator(".brief-search__result-link").all_text_contents()
    assert [first, second] == [links[0].strip(), links[1].strip()]
    page.check(".brief-search-newest")
    # The search is made again; its results replace the old ones when they are in.
    wait_until(page, "document.querySelector('.brief-search__results').getAttribute('aria-busy') === 'false'")
    dates = page.locator(".brief-search__result-excerpt time").all_text_contents()
    page.close()
    parsed = [dt.datetime.strptime(d, "%B %d, %Y").date() for d in dates]
    assert len(parsed) >= 3 and parsed == sorted(parsed, reverse=True)
