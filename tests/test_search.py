"""Search with Pagefind, driven in headless Chromium against the built sample site."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import browser, serve, wait_until

from conftest import Build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(sample_site: Build) -> Iterator[tuple[str, object]]:
    with serve(sample_site.site) as base, browser() as context:
        yield base, context


def wait_until_settled(page: object, timeout: float = 10) -> None:
    """Pagefind's message reads "Searching…" until results are in."""
    message = page.locator(".pagefind-ui__message")  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if message.count() and not re.search(r"…|\.\.\.", message.first.text_content() or ""):
            return
        time.sleep(0.05)
    raise AssertionError("search did not finish")


def search(context: object, url: str, query: str, *, all_languages: bool = False) -> list[dict[str, str]]:
    page = context.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.keyboard.press("/")
    page.wait_for_selector("dialog.brief-search[open] .pagefind-ui__search-input")
    if all_languages:
        page.check(".brief-search-all")
    page.fill(".pagefind-ui__search-input", query)
    wait_until_settled(page)
    page.wait_for_timeout(300)
    results = page.eval_on_selector_all(
        ".pagefind-ui__result",
        "els => els.map(e => ({title: e.querySelector('.pagefind-ui__result-link').textContent.trim(),"
        " href: e.querySelector('.pagefind-ui__result-link').href,"
        " excerpt: e.querySelector('.pagefind-ui__result-excerpt').textContent.trim()}))",
    )
    page.close()
    origin = url.split("/", 3)[:3]
    foreign = [r for r in requests if r.split("/", 3)[:3] != origin and not r.startswith("data:")]
    assert not foreign, foreign
    return results


def test_typing_a_query_shows_the_right_brief_first(site: tuple[str, object]) -> None:
    base, context = site
    results = search(context, base + "en/", "Meloni")
    assert results, "no results"
    assert "Rome consultations" in results[0]["title"]
    assert results[0]["excerpt"].startswith("January 23, 2026 · At joint government consultations in Rome")


@pytest.mark.parametrize("query", ["übernehmen", "uebernehmen", "Grenzschutz", "Außengrenzen", "aussengrenzen"])
def test_german_page_finds_german_text_with_and_without_umlauts(site: tuple[str, object], query: str) -> None:
    base, context = site
    results = search(context, base + "de/", query)
    titles = [r["title"] for r in results]
    assert any("Regierungskonsultationen in Rom" in t for t in titles), (query, titles)
    assert all("/de/" in r["href"] for r in results)


def test_results_stay_in_the_reader_language_unless_asked(site: tuple[str, object]) -> None:
    base, context = site
    german = search(context, base + "de/", "Meloni")
    assert german and all("/de/" in r["href"] for r in german)
    both = search(context, base + "de/", "Meloni", all_languages=True)
    assert {"/de/" in r["href"] for r in both} == {True, False}


def test_topic_filter_narrows_results(site: tuple[str, object]) -> None:
    base, context = site
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + "en/")
    page.keyboard.press("s")
    page.fill(".pagefind-ui__search-input", "Bundestag")
    page.wait_for_selector(".pagefind-ui__result")
    before = page.locator(".pagefind-ui__result").count()
    page.click(".pagefind-ui__filter-name:has-text('Topic')")
    page.check("input[type=checkbox][id*='Defense']")
    count = "document.querySelectorAll('.pagefind-ui__result-link').length"
    wait_until(page, f"{count} > 0 && {count} < {before}")  # the filtered results are in
    titles = page.locator(".pagefind-ui__result-link").all_text_contents()
    page.close()
    assert 0 < len(titles) < before
    assert all("military service" in t or "debt brake" in t for t in titles), titles


def test_index_is_split_by_language_and_year_with_german_stemming(sample_site: Build) -> None:
    shards = json.loads((sample_site.site / "pagefind" / "shards.json").read_text())
    # Newest first, with each year's brief pages (one English brief of 2025 has no German version yet).
    assert shards == {"de": [["2026", 1], ["2025", 5]], "en": [["2026", 1], ["2025", 6]]}
    for lang, found in shards.items():
        for year, _ in found:
            entry = json.loads((sample_site.site / "pagefind" / lang / year / "pagefind-entry.json").read_text())
            assert set(entry["languages"]) == {lang}  # German pages get Pagefind's German stemming


def test_drafts_are_never_found_in_production(site: tuple[str, object]) -> None:
    base, context = site  # the sample site is a production build; it holds a draft pair
    assert search(context, base + "en/", "pension") == []
    assert search(context, base + "de/", "Rentenpaket") == []
    assert search(context, base + "de/", "Rentenpaket", all_languages=True) == []


def test_preview_builds_do_find_drafts(site: tuple[str, object], sample_preview: Build) -> None:
    _, context = site
    with serve(sample_preview.site) as base:
        results = search(context, base + "en/", "pension")
    assert [r["title"] for r in results][:1] == ["Bundestag passes pension package after dispute in the CDU's youth wing"]


def test_index_from_slim_pages_equals_index_from_full_pages(sample_site: Build, tmp_path: Path) -> None:
    """Pagefind reads brief pages cut down to their indexed part; its index comes out the same."""
    from test_builds import differences

    from briefs.search import brief_pages, build_index, slim_page

    pages = [p for lang in ("en", "de") for p in sample_site.site.glob(brief_pages(lang))]
    assert len(pages) > 5 and all(slim_page(p.read_text(encoding="utf-8")) for p in pages)
    sites = {}
    for slim in (True, False):
        site = tmp_path / f"slim-{slim}"
        shutil.copytree(sample_site.site, site, ignore=shutil.ignore_patterns("pagefind"))
        build_index(site, ["en", "de"], {"en", "de"}, slim=slim)
        sites[slim] = site / "pagefind"
    assert differences(sites[True], sites[False]) == []


def test_newest_first_runs_across_the_years(site: tuple[str, object]) -> None:
    """Each year is its own shard; sorted by date, the shards' results interleave by date, newest first."""
    base, context = site
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + "en/")
    page.keyboard.press("/")
    page.check(".brief-search-newest")
    page.fill(".pagefind-ui__search-input", "Merz")
    wait_until(page, "document.querySelectorAll('.pagefind-ui__result-excerpt time').length >= 3")
    dates = page.locator(".pagefind-ui__result-excerpt time").all_text_contents()
    page.close()
    parsed = [dt.datetime.strptime(d, "%B %d, %Y").date() for d in dates]
    assert {d.year for d in parsed} == {2025, 2026}
    assert parsed == sorted(parsed, reverse=True)
    # the oldest brief of its year (the first in its shard's date order) comes last, not first
    assert parsed[-1] == dt.date(2025, 2, 23)


def test_a_language_without_briefs_gets_an_index_of_its_site_pages(tmp_path: Path) -> None:
    from conftest import brief_fields, build_site, write_brief

    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    shards = json.loads((result.site / "pagefind" / "shards.json").read_text())
    assert shards["en"] == [["2026", 1]]
    [[name, count]] = shards["de"]
    assert name == "site" and count > 0
    entry = json.loads((result.site / "pagefind" / "de" / "site" / "pagefind-entry.json").read_text())
    assert entry["languages"]["de"]["page_count"] == count
