"""Reader pages that look finished, in both languages: the built HTML (and, in Chromium, how it renders).

Claims' original words labelled with their language, quotation marks and article
links; a corrections page that says there are none; outlet pages with their
owner, site and written dates; no build stamp on published pages (previews name theirs); visible
feed links; the topics index and the root chooser as cards.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, WITH_REGISTRY, Build, brief_fields, build_site, write_brief

PAGE = {"en": "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/", "de": "de/2026/01/23/rom/"}
ARTICLE = "https://www.tagesschau.de/rom-100.html"
LANGS = ["en", "de"]


def comparison(lang: str) -> dict[str, object]:
    quote = "Eight agreements were signed." if lang == "en" else "Acht Abkommen wurden unterzeichnet."
    return {
        "topic": "How many",
        "summary": "They count differently.",
        "claims": [
            {"source": "tagesschau.de", "quote": quote, "original": "Acht Abkommen wurden unterzeichnet.", "url": ARTICLE},
            {"source": "zdf.de", "quote": "Two significant documents were signed."},
        ],
        "why": "It *matters*.",
    }


def sources() -> list[dict[str, str]]:
    return [
        {"name": "tagesschau.de", "url": "https://www.tagesschau.de/a.html"},
        {"name": "zdf.de", "url": "https://www.zdf.de/b.html"},
    ]


@pytest.fixture(scope="module")
def claims_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A pair whose first claim has its original words and its article, with the project's outlet registry."""
    root = tmp_path_factory.mktemp("claims") / "briefs"
    corrections = [{"date": "2026-01-24", "text": "The meeting was in Rome, not Milan."}]
    common = {"sources": sources(), "topics": ["politics"]}
    write_brief(root, "2026-01-23-rome", "en", brief_fields(comparisons=[comparison("en")], corrections=corrections, **common))
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom", comparisons=[comparison("de")], **common))
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", extra_env=WITH_REGISTRY)
    assert result.ok, result.log
    return result


def words(element: object) -> str:
    return " ".join(element.get_text(" ").split())  # type: ignore[attr-defined]


# 1. A claim's original words are labelled with the outlet's language, in the page's language.

ORIGINAL_LABEL = {"en": "Original (German):", "de": "Original (Deutsch):"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_claim_s_original_is_labelled_with_the_outlet_s_language(claims_site: Build, lang: str) -> None:
    first, second = claims_site.page(PAGE[lang]).select("figure.brief-claim")
    original = first.select_one("blockquote.brief-claim-original")
    label = original.find_previous_sibling()
    assert "brief-claim-original-label" in label["class"] and label.get_text(strip=True) == ORIGINAL_LABEL[lang]
    # The label speaks the page's language; only the words under it are the outlet's.
    assert label.find_parent(attrs={"lang": lambda v: v and v != lang}) is None
    assert not label.has_attr("lang") and original["lang"] == "de"
    assert original.get_text(strip=True) == "Acht Abkommen wurden unterzeichnet."
    assert second.select_one(".brief-claim-original-label") is None


@pytest.mark.parametrize("lang", LANGS)
def test_an_outlet_page_quotes_the_original_and_links_the_article(claims_site: Build, lang: str) -> None:
    card = claims_site.page(f"{lang}/sources/tagesschau-de/").select_one("section.brief-outlet-claims figure.brief-claim")
    assert card.select_one(".brief-claim-original-label").get_text(strip=True) == ORIGINAL_LABEL[lang]
    assert (
        card.select_one("blockquote.brief-claim-original[lang=de]").get_text(strip=True) == "Acht Abkommen wurden unterzeichnet."
    )
    link = card.select_one("a.brief-claim-link")
    assert link["href"] == ARTICLE and link.get_text(strip=True) == ARTICLE_LINK[lang]
    # A claim without its original or article shows neither.
    other = claims_site.page(f"{lang}/sources/zdf-de/").select_one("section.brief-outlet-claims figure.brief-claim")
    assert other.select_one(".brief-claim-original, .brief-claim-original-label, .brief-claim-link") is None


# 2. The corrections page of a site without corrections says so, under the policy.

NO_CORRECTIONS = {"en": "No corrections have been published so far.", "de": "Bisher wurden keine Korrekturen veröffentlicht."}
POLICY_START = {"en": "When a brief gets something wrong, we correct it", "de": "Enthält eine Meldung einen Fehler"}


@pytest.fixture(scope="module")
def uncorrected_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A pair without any correction."""
    root = tmp_path_factory.mktemp("uncorrected") / "briefs"
    write_brief(root, "2026-01-23-rome", "en")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    result = build_site(root, tmp_path_factory.mktemp("out") / "site")
    assert result.ok, result.log
    return result


@pytest.mark.parametrize("lang", LANGS)
def test_corrections_page_without_corrections_says_there_are_none(uncorrected_site: Build, lang: str) -> None:
    page = uncorrected_site.page(f"{lang}/corrections/")
    main = page.select_one("main")
    assert page.select_one(".brief-list-empty").get_text(strip=True) == NO_CORRECTIONS[lang]
    assert "No briefs yet." not in words(main) and "Noch keine Meldungen." not in words(main)
    assert page.select_one(".brief-list-intro").get_text(strip=True).startswith(POLICY_START[lang])


SAMPLE_CORRECTED = {
    "en": "Merz elected chancellor only in a second round of voting",
    "de": "Merz erst im zweiten Wahlgang zum Kanzler gewählt",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_sample_corrections_page_lists_its_corrected_brief(sample_site: Build, lang: str) -> None:
    page = sample_site.page(f"{lang}/corrections/")
    assert page.select_one(".brief-list-empty") is None
    assert SAMPLE_CORRECTED[lang] in [a.get_text(strip=True) for a in page.select(".brief-list-title a")]


@pytest.mark.parametrize("lang", LANGS)
def test_corrections_page_with_a_correction_lists_it_under_the_policy(claims_site: Build, lang: str) -> None:
    page = claims_site.page(f"{lang}/corrections/")
    assert page.select_one(".brief-list-intro").get_text(strip=True).startswith(POLICY_START[lang])
    if lang == "en":  # only the English version was corrected
        assert page.select_one(".brief-list-empty") is None
        assert [a.get_text(strip=True) for a in page.select(".brief-list-title a")] == ["Merz and Meloni sign agreements in Rome"]
    else:
        assert page.select_one(".brief-list-empty").get_text(strip=True) == NO_CORRECTIONS["de"]


# 3. An outlet page names its owner and kind, links its site, and writes its dates out.

KIND = {"en": "Public broadcaster", "de": "Öffentlich-rechtlicher Rundfunk"}
DATE = {"en": "January 23, 2026", "de": "23. Januar 2026"}


@pytest.mark.parametrize("lang", LANGS)
def test_outlet_page_shows_owner_kind_and_site_from_the_registry(sample_site: Build, lang: str) -> None:
    page = sample_site.page(f"{lang}/sources/br-de/")
    facts = page.select_one("dl.brief-outlet-facts")
    terms = {term.get_text(strip=True): term.find_next_sibling("dd") for term in facts.select("dt")}
    owner, kind, site = ("Owner", "Type", "Website") if lang == "en" else ("Eigentümer", "Art", "Website")
    assert terms[owner].get_text(strip=True) == "ARD" and terms[kind].get_text(strip=True) == KIND[lang]
    link = terms[site].select_one("a.brief-outlet-site")
    assert (link["href"], link.get_text(strip=True), link["hreflang"]) == ("https://www.br.de/", "br.de", "de")
    assert "noopener" in link["rel"]


def test_an_outlet_without_a_registry_shows_no_facts(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en")
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    page = result.page("en/sources/tagesschau-de/")
    assert page.select_one(".brief-outlet-facts") is None and page.select_one("figure.brief-claim") is not None


@pytest.mark.parametrize("lang", LANGS)
def test_outlet_page_writes_its_dates_as_the_lists_do(sample_site: Build, lang: str) -> None:
    page = sample_site.page(f"{lang}/sources/tagesschau-de/")
    times = page.select("section.brief-outlet-claims time")
    assert times and times[0]["datetime"] == "2026-01-23" and times[0].get_text(strip=True) == DATE[lang]
    iso = [t.get_text(strip=True) for t in page.select("main time") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.get_text(strip=True))]
    assert iso == []


# 4. Published pages carry no build stamp (a page changes only when what it shows does); previews name the build.


def commit() -> str:
    """The commit the hook names, as it finds it (hooks/site.py)."""
    if os.environ.get("GITHUB_SHA"):
        return os.environ["GITHUB_SHA"][:12]
    return subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


BUILT = {"en": "Built", "de": "Erstellt am"}


@pytest.mark.parametrize("lang", LANGS)
def test_published_pages_carry_no_build_stamp(sample_site: Build, lang: str) -> None:
    sha = commit()
    for url in (f"{lang}/", PAGE_OF_SAMPLE[lang], f"{lang}/about/", f"{lang}/sources/tagesschau-de/"):
        page = sample_site.page(url)
        assert page.select_one(".md-copyright") is not None, url
        assert page.select_one(".site-build") is None and sha not in str(page), url
    assert sha not in (sample_site.site / "404.html").read_text(encoding="utf-8")


def test_preview_footer_names_the_build_date_and_commit(sample_preview: Build) -> None:
    for lang in LANGS:
        build = sample_preview.page(f"{lang}/").select_one(".md-copyright .site-build")
        assert build.select_one("code").get_text() == commit()
        time = build.select_one("time")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", time["datetime"])
        assert words(build).startswith(f"{BUILT[lang]} {time.get_text(strip=True)}")
        assert not re.fullmatch(r"\d{4}-\d\d-\d\d", time.get_text(strip=True)), "the date is written out, not ISO"


def test_the_preview_build_date_follows_source_date_epoch_in_each_language(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom"))
    result = build_site(root, tmp_path / "site", preview=True, extra_env={"SOURCE_DATE_EPOCH": "1769212800"})  # 2026-01-24
    assert result.ok, result.log
    for lang, text in (("en", "January 24, 2026"), ("de", "24. Januar 2026")):
        time = result.page(f"{lang}/").select_one(".site-build time")
        assert (time["datetime"], time.get_text(strip=True)) == ("2026-01-24", text)


def test_the_next_deploy_leaves_every_unchanged_page_as_it_was(tmp_path: Path) -> None:
    """Another run on main: another moment, another run id and commit in the environment, one brief added."""
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-22-rome", "en", brief_fields(date="2026-01-22"))
    write_brief(root, "2026-01-23-paris", "en", brief_fields(title="Talks in Paris", date="2026-01-23", topics=["energy"]))
    cache, site = tmp_path / "cache", tmp_path / "site"
    first_env = {"BRIEFS_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1769212800", "GITHUB_RUN_ID": "1", "GITHUB_SHA": "a" * 40}
    first = build_site(root, site, extra_env=first_env)
    assert first.ok, first.log
    page = site / "en/2026/01/22/merz-and-meloni-sign-agreements-in-rome/index.html"
    before = page.read_bytes()
    # A brief on other topics: the Rome page lists it nowhere (its related briefs share a topic).
    berlin = brief_fields(title="Talks in Berlin", date="2026-01-24", topics=["energy"])
    write_brief(root, "2026-01-24-berlin", "en", berlin)
    second_env = {**first_env, "SOURCE_DATE_EPOCH": "1769299200", "GITHUB_RUN_ID": "2", "GITHUB_SHA": "b" * 40}
    second = build_site(root, site, extra_env=second_env)
    assert second.ok, second.log
    assert page.read_bytes() == before
    reused = re.search(r"Briefs: (\d+) of (\d+) generated pages from the cache", second.log)
    assert reused is not None and int(reused.group(1)) > 0, second.log
    assert (site / "en/2026/01/24/talks-in-berlin/index.html").is_file()


def test_a_rebuild_rewrites_the_feeds_that_show_an_edit_and_leaves_the_others(tmp_path: Path) -> None:
    """A brief edited: its language's feed and its topic's change; another topic's feed stays as the last build left it."""
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-22-rome", "en", brief_fields(date="2026-01-22"))
    write_brief(root, "2026-01-23-paris", "en", brief_fields(title="Talks in Paris", date="2026-01-23", topics=["energy"]))
    cache, site = tmp_path / "cache", tmp_path / "site"
    env = {"BRIEFS_CACHE_DIR": str(cache)}
    assert (first := build_site(root, site, extra_env=env)).ok, first.log
    other, shown, home = site / "en/topics/politics/feed.xml", site / "en/topics/energy/feed.xml", site / "en/feed.xml"
    untouched = os.stat(other)
    assert "Talks in Paris" not in other.read_text(encoding="utf-8")
    edited = brief_fields(title="Talks in Paris", date="2026-01-23", topics=["energy"], summary="Edited.")
    write_brief(root, "2026-01-23-paris", "en", edited)
    assert (second := build_site(root, site, extra_env=env)).ok, second.log
    for feed in (shown, home):
        assert "Edited." in feed.read_text(encoding="utf-8"), feed
    now = os.stat(other)
    assert (now.st_ino, now.st_mtime_ns, now.st_size) == (untouched.st_ino, untouched.st_mtime_ns, untouched.st_size)
    # A build without the cache makes the same bytes: what stayed is what would have been made.
    fresh = build_site(root, tmp_path / "fresh")
    assert fresh.ok, fresh.log
    for path in ("en/topics/politics/feed.xml", "en/topics/energy/feed.xml", "en/feed.xml", "sitemap.xml"):
        assert (site / path).read_bytes() == (tmp_path / "fresh" / path).read_bytes(), path


# 5. Home, topic, outlet and corrections pages link their feed where readers see it.

FEED_TEXT = {"en": "Subscribe via RSS/Atom", "de": "Per RSS/Atom abonnieren"}
PAGE_OF_SAMPLE = {
    "en": "en/2026/01/23/germany-italy-rome-consultations/",
    "de": "de/2026/01/23/deutschland-italien-konsultationen-rom/",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", ["{lang}/", "{lang}/topics/defense/", "{lang}/sources/tagesschau-de/", "{lang}/corrections/"])
def test_lists_with_a_feed_link_it_visibly(sample_site: Build, lang: str, url: str) -> None:
    url = url.format(lang=lang)
    page = sample_site.page(url)
    link = page.select_one("main a.brief-feed-link")
    assert link["type"] == "application/atom+xml"
    assert link.get_text(strip=True) == FEED_TEXT[lang]  # its accessible name: the text, in the page's language
    assert link.select_one("svg").find_parent(attrs={"aria-hidden": "true"}) is not None
    feed = (sample_site.site / url / link["href"]).resolve()
    assert feed == (sample_site.site / url / "feed.xml").resolve() and feed.is_file()
    # Feed readers find the same feed from the page's head.
    heads = {(sample_site.site / url / a["href"]).resolve() for a in page.select('head link[type="application/atom+xml"]')}
    assert feed in heads


@pytest.mark.parametrize("lang", LANGS)
def test_pages_without_a_feed_of_their_own_show_no_feed_link(sample_site: Build, lang: str) -> None:
    for url in (f"{lang}/2026/01/", PAGE_OF_SAMPLE[lang], f"{lang}/about/"):
        assert sample_site.page(url).select_one("a.brief-feed-link") is None, url


# 6. The topics index as cards (count, newest brief), the root chooser as cards in each language.

COUNT = {"en": ("1 brief", "{n} briefs"), "de": ("1 Meldung", "{n} Meldungen")}


@pytest.mark.parametrize("lang", LANGS)
def test_topics_index_shows_a_card_per_topic_with_count_and_latest_brief(sample_site: Build, lang: str) -> None:
    index = sample_site.page(f"{lang}/topics/")
    cards = index.select("ul.brief-topics.brief-cards > li.brief-card")
    assert len(cards) >= 5
    for card in cards:
        link = card.select_one("a.brief-topic")
        topic = sample_site.page(f"{lang}/topics/{link['href'].strip('/')}/")
        titles = [a.get_text(strip=True) for a in topic.select(".brief-list-title a")]
        one, many = COUNT[lang]
        assert card.select_one(".brief-card-count").get_text(strip=True) == (
            one if len(titles) == 1 else many.format(n=len(titles))
        )
        latest = card.select_one(".brief-card-latest")
        assert latest.select_one("a").get_text(strip=True) == titles[0]
        newest = topic.select_one(".brief-list-item time.brief-date")
        assert latest.select_one("time")["datetime"] == newest["datetime"]
        assert latest.select_one("time").get_text(strip=True) == newest.get_text(strip=True)


def test_the_root_chooser_names_each_language_in_itself_with_a_line_about_the_site(sample_site: Build) -> None:
    cards = sample_site.page("").select("ul.brief-language-chooser > li.brief-language-card")
    found = {
        card["lang"]: (
            card.select_one("a.brief-language-name").get_text(strip=True),
            card.select_one(".brief-language-tagline").get_text(strip=True),
        )
        for card in cards
    }
    assert found == {
        "en": ("English", "Translated news briefs from German media"),
        "de": ("Deutsch", "Übersetzte Kurzmeldungen aus deutschen Medien"),
    }


# 7. Quotes: a link to the article, in the page's language, when the claim has one.

ARTICLE_LINK = {"en": "to the article", "de": "zum Artikel"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_claim_with_an_article_links_it_in_the_page_s_language(claims_site: Build, lang: str) -> None:
    first, second = claims_site.page(PAGE[lang]).select("figure.brief-claim")
    link = first.select_one("figcaption a.brief-claim-link")
    assert (link["href"], link["hreflang"], link.get_text(strip=True)) == (ARTICLE, "de", ARTICLE_LINK[lang])
    assert second.select_one("a.brief-claim-link") is None


# In Chromium: what the markup cannot show (quotation marks, styles, layout), in both palettes and widths.


@pytest.fixture(scope="module")
def chromium(sample_site: Build, claims_site: Build) -> Iterator[tuple[str, str, object]]:
    from browser import browser, serve

    with serve(sample_site.site) as sample, serve(claims_site.site) as claims, browser() as context:
        yield sample, claims, context


def opened(context: object, url: str, *, width: int = 1280, scheme: str = "light") -> object:
    from browser import wait_until

    page = context.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.add_init_script("localStorage.clear()")
    page.goto(url, wait_until="networkidle")
    wait_until(page, f"document.body.dataset.mdColorScheme === '{'slate' if scheme == 'dark' else 'default'}'", timeout=20)
    return page


QUOTES = {"en": ("\u201c", "\u201d"), "de": ("\u201e", "\u201c")}

MARKS = """(selector) => [...document.querySelectorAll(selector)].map((quote) => {
  const p = quote.querySelector("p");
  const marks = getComputedStyle(quote).quotes.match(/"[^"]*"/g).map((q) => q.slice(1, -1));
  return [getComputedStyle(p, "::before").content, getComputedStyle(p, "::after").content, marks[0], marks[1],
          getComputedStyle(quote).fontStyle];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_quotes_carry_the_quotation_marks_of_their_language(chromium: tuple[str, str, object], lang: str) -> None:
    _, claims, context = chromium
    for url in (PAGE[lang], f"{lang}/sources/tagesschau-de/"):
        page = opened(context, claims + url)
        translated = page.evaluate(MARKS, "figure.brief-claim > blockquote:not(.brief-claim-original)")  # type: ignore[attr-defined]
        original = page.evaluate(MARKS, "blockquote.brief-claim-original")  # type: ignore[attr-defined]
        page.close()  # type: ignore[attr-defined]
        assert translated and all(q[:4] == ["open-quote", "close-quote", *QUOTES[lang]] for q in translated), url
        # The outlet's words: German marks whatever the page's language, and set apart in italics.
        assert original and all(q == ["open-quote", "close-quote", *QUOTES["de"], "italic"] for q in original), url
        assert all(q[4] == "normal" for q in translated), url


CARD_WIDTHS = "(s) => [...document.querySelectorAll(s)].map((e) => Math.round(e.getBoundingClientRect().width))"
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_cards_are_even_and_nothing_overflows_a_phone(chromium: tuple[str, str, object], width: int) -> None:
    sample, claims, context = chromium
    for base, url, cards in (
        (sample, "en/sources/tagesschau-de/", ".brief-outlet-claims figure.brief-claim"),
        (sample, "de/topics/", "li.brief-card"),
        (sample, "", "li.brief-language-card"),
        (claims, PAGE["de"], ".brief-comparison figure.brief-claim"),
    ):
        page = opened(context, base + url, width=width)
        widths = page.evaluate(CARD_WIDTHS, cards)  # type: ignore[attr-defined]
        overflow = page.evaluate(OVERFLOW)  # type: ignore[attr-defined]
        tops = page.evaluate(  # type: ignore[attr-defined]
            "(s) => [...document.querySelectorAll(s)].map((e) => Math.round(e.getBoundingClientRect().top))", cards
        )
        page.close()  # type: ignore[attr-defined]
        assert len(widths) >= 2 and len(set(widths)) == 1, (url, widths)
        assert not overflow, url
        if width == 1280:  # side by side on a wide screen, one under the other on a phone
            assert tops[0] == tops[1], url
        else:
            assert tops[1] > tops[0], url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_labelled_originals_and_feed_links_pass_axe(chromium: tuple[str, str, object], scheme: str) -> None:
    from test_accessibility import violations

    sample, claims, context = chromium
    problems = []
    for base, url in ((claims, PAGE["en"]), (claims, PAGE["de"]), (claims, "de/sources/tagesschau-de/"), (sample, "de/topics/")):
        page = opened(context, base + url, scheme=scheme)
        problems += violations(page, f"{url} [{scheme}]")
        page.close()  # type: ignore[attr-defined]
    assert problems == []


def test_every_message_of_these_pages_is_in_both_catalogs() -> None:
    from briefs.core.i18n import catalog
    from briefs.site.views import OUTLET_KINDS

    templates = REPO / "plugins/briefs/templates/briefs"
    used = {*OUTLET_KINDS.values(), "1 brief", "{n} briefs", "Original ({language}):", "Built"}
    for name in ("list.html", "index.html", "partials/feed-link.html", "partials/comparison.html"):
        used |= set(re.findall(r't\("([^"]+)"', (templates / name).read_text(encoding="utf-8")))
    assert "Subscribe via RSS/Atom" in used and "to the article" in used
    english = set(
        re.findall(r'^msgid "(.+)"$', (REPO / "plugins/briefs/locales/en/LC_MESSAGES/briefs.po").read_text("utf-8"), re.M)
    )
    assert sorted(used - set(catalog("de"))) == [] and sorted(used - english) == []


def test_each_page_of_an_outlet_quotes_it_from_the_briefs_it_lists(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    for day in range(1, 23):  # 22 briefs: a full first page and two on the second
        comparison = brief_fields()["comparisons"][0]
        claims = [{**comparison["claims"][0], "quote": f"claim of day {day}"}, comparison["claims"][1]]
        fields = brief_fields(
            title=f"Brief of January {day}", date=f"2026-01-{day:02d}", comparisons=[{**comparison, "claims": claims}]
        )
        write_brief(root, f"2026-01-{day:02d}-brief", "en", fields)
    result = build_site(root, tmp_path / "site", strict=False)
    assert result.ok, result.log
    quoted = {}
    for url in ("en/sources/tagesschau-de/", "en/sources/tagesschau-de/page/2/"):
        page = result.page(url)
        listed = {a.get_text(strip=True) for a in page.select(".brief-list-title a")}
        said = [q.get_text(" ", strip=True) for q in page.select("section.brief-outlet-claims figure.brief-claim blockquote")]
        assert len(said) == len(listed)
        assert {f"Brief of January {s.split()[-1]}" for s in (q.rstrip(".").rstrip("”").strip("“") for q in said)} == listed
        quoted[url] = said
    assert len(quoted["en/sources/tagesschau-de/page/2/"]) == 2
