"""Search with Pagefind, driven in headless Chromium against the built sample site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import browser, serve, wait_until

from conftest import Build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(sample_site: Build) -> Iterator[tuple[str, object]]:
    with serve(sample_site.site) as base, browser() as context:
        yield base, context


def wait_until_settled(page: object, timeout: float = 10) -> None:
    """The result list is busy from the first key typed until its results are shown."""
    wait_until(page, "document.querySelector('.brief-search__results').getAttribute('aria-busy') === 'false'", timeout)


def read_results(page: object) -> list[dict[str, str]]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined,no-any-return]
        ".brief-search__result",
        "els => els.map(e => ({title: e.querySelector('.brief-search__result-link').textContent.trim(),"
        " href: e.querySelector('.brief-search__result-link').href,"
        " excerpt: e.querySelector('.brief-search__result-excerpt').textContent.trim()}))",
    )


def searched(
    context: object, url: str, query: str, *, ticked: tuple[str, ...] = (), topic: str = "", requests: list[str] | None = None
) -> Any:
    """A page at ``url`` with the search dialog open and ``query`` searched (options ticked, topic chosen first)."""
    page = context.new_page()  # type: ignore[attr-defined]
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.keyboard.press("/")
    page.wait_for_selector("dialog.brief-search[open] .brief-search__input:focus")
    for option in ticked:
        page.check(option)
    if topic:
        page.select_option(".brief-search-topic", topic)
    page.fill(".brief-search__input", query)
    wait_until_settled(page)
    return page


def search(context: object, url: str, query: str, *, all_languages: bool = False) -> list[dict[str, str]]:
    requests: list[str] = []
    page = searched(context, url, query, ticked=(".brief-search-all",) if all_languages else (), requests=requests)
    results = read_results(page)
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
    page = searched(context, base + "en/", "Bundestag")
    before = read_results(page)
    # The filter lists the site's topics in the page's language.
    assert "Defense" in page.locator(".brief-search-topic option").all_text_contents()
    page.select_option(".brief-search-topic", label="Defense")
    wait_until_settled(page)
    after = [r["title"] for r in read_results(page)]
    page.close()
    assert 0 < len(after) < len(before)
    assert all("military service" in t or "debt brake" in t for t in after), after


def test_topic_filter_holds_across_languages(site: tuple[str, object]) -> None:
    """Topics are filtered by key, so the German versions match an English label too."""
    base, context = site
    page = searched(context, base + "de/", "Bundestag", ticked=(".brief-search-all",), topic="defense")
    hrefs = [r["href"] for r in read_results(page)]
    page.close()
    assert {"/de/" in h for h in hrefs} == {True, False}


def test_index_is_split_by_language_and_quarter_with_german_stemming(sample_site: Build) -> None:
    shards = json.loads((sample_site.site / "pagefind" / "shards.json").read_text())
    # Newest first, each quarter named by its first month, with its brief pages
    # (one English brief of early 2025 has no German version yet).
    assert shards == {
        "de": [["2026-01", 1], ["2025-10", 2], ["2025-07", 1], ["2025-04", 1], ["2025-01", 1]],
        "en": [["2026-01", 1], ["2025-10", 2], ["2025-07", 1], ["2025-04", 1], ["2025-01", 2]],
    }
    for lang, found in shards.items():
        for shard, count in found:
            entry = json.loads((sample_site.site / "pagefind" / lang / shard / "pagefind-entry.json").read_text())
            assert set(entry["languages"]) == {lang}  # German pages get Pagefind's German stemming
            assert entry["languages"][lang]["page_count"] == count


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

    from briefs.search.pagefind import build_index
    from briefs.search.shards import brief_pages
    from briefs.search.slim import slim_page

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
    """Each quarter is its own shard; sorted by date, the shards' results come by date, newest first."""
    base, context = site
    page = searched(context, base + "en/", "Merz", ticked=(".brief-search-newest",))
    dates = page.locator(".brief-search__result-excerpt time").all_text_contents()
    page.close()
    parsed = [dt.datetime.strptime(d, "%B %d, %Y").date() for d in dates]
    assert {d.year for d in parsed} == {2025, 2026}
    assert parsed == sorted(parsed, reverse=True)
    # the oldest brief of its quarter (the first in its shard's date order) comes last, not first
    assert parsed[-1] == dt.date(2025, 2, 23)


@pytest.fixture(scope="module")
def english_only(tmp_path_factory: pytest.TempPathFactory) -> Build:
    from conftest import brief_fields, build_site, write_brief

    root = tmp_path_factory.mktemp("english-only")
    write_brief(root, "2026-01-23-rome", "en", brief_fields())
    result = build_site(root, tmp_path_factory.mktemp("english-only-site") / "site")
    assert result.ok, result.log
    return result


def test_a_language_without_briefs_gets_an_index_of_its_site_pages(english_only: Build) -> None:
    result = english_only
    shards = json.loads((result.site / "pagefind" / "shards.json").read_text())
    assert shards["en"] == [["2026-01", 1]]
    [[name, count]] = shards["de"]
    assert name == "site" and count > 0
    entry = json.loads((result.site / "pagefind" / "de" / "site" / "pagefind-entry.json").read_text())
    assert entry["languages"]["de"]["page_count"] == count


@pytest.mark.parametrize("lang", ["en", "de"])
def test_all_languages_search_works_beside_a_language_without_briefs(
    site: tuple[str, object], english_only: Build, lang: str
) -> None:
    """The German index holds only site pages: from either language, all languages find the English brief."""
    _, context = site
    with serve(english_only.site) as base:
        results = search(context, f"{base}{lang}/", "Meloni", all_languages=True)
    assert [r["title"] for r in results] == ["Merz and Meloni sign agreements in Rome"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Six briefs of 2025 and three of 2024 that all name the Bundestag, in English only."""
    from conftest import brief_fields, build_site, write_brief

    root = tmp_path_factory.mktemp("archive")
    dates = [dt.date(2025, month, 5) for month in range(1, 7)] + [dt.date(2024, month, 5) for month in range(1, 4)]
    for date in dates:
        fields = brief_fields(title=f"Bundestag session of {date:%B %Y}", summary="The Bundestag met.", date=date.isoformat())
        write_brief(root, f"{date}-session", "en", fields, body="The Bundestag debated the budget.\n")
    result = build_site(root, tmp_path_factory.mktemp("archive-site") / "site")
    assert result.ok, result.log
    return result


def test_a_search_reads_earlier_quarters_only_when_it_needs_more(site: tuple[str, object], archive: Build) -> None:
    """The newest quarters fill the first page; "load more" goes back in time, and the count says how far."""
    _, context = site
    requests: list[str] = []
    with serve(archive.site) as base:
        page = searched(context, base + "en/", "Bundestag", requests=requests)
        first = read_results(page)
        status = page.locator(".brief-search__status").text_content()
        read_2024 = [r for r in requests if "/pagefind/en/2024-" in r]
        page.click(".brief-search__more")
        wait_until_settled(page)
        after = read_results(page)
        final = page.locator(".brief-search__status").text_content()
        more_hidden = page.locator(".brief-search__more").is_hidden()
        focused = page.evaluate("document.activeElement.textContent.trim()")
        page.close()
    assert len(first) == 5 and all("2025" in r["title"] for r in first)
    # The newest quarter (April to June) held three; the one before filled the page.
    assert status == "6 results for “Bundestag” since January 2025"
    assert read_2024 == []  # the first query did not touch the earlier year
    assert len(after) == 9 and after[:5] == first
    assert {r["title"] for r in after[5:]} >= {"Bundestag session of January 2024", "Bundestag session of March 2024"}
    assert final == "9 results for “Bundestag”" and more_hidden
    assert focused == after[5]["title"]  # the keyboard goes on where the new results start


def test_newest_first_holds_when_more_quarters_are_read(site: tuple[str, object], archive: Build) -> None:
    _, context = site
    with serve(archive.site) as base:
        page = searched(context, base + "en/", "Bundestag", ticked=(".brief-search-newest",))
        page.click(".brief-search__more")
        wait_until_settled(page)
        titles = [r["title"] for r in read_results(page)]
        page.close()
    months = [dt.datetime.strptime(t.removeprefix("Bundestag session of "), "%B %Y").date() for t in titles]
    assert len(months) == 9 and months == sorted(months, reverse=True)
