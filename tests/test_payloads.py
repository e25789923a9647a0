"""Hostile input: classic XSS payloads in every front-matter field and in the body.

Every payload would set ``window.__xss`` (or open a dialog) if it ran. The
built pages are parsed for anything executable, then loaded in Chromium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import browser, serve
from bs4 import BeautifulSoup

from briefs.core.corpus import load_corpus
from briefs.core.loading import load_brief_file
from briefs.core.settings import Settings
from conftest import Build, assert_check_and_build_agree, build_site, write_brief

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "payloads.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
THEME_INLINE_SCRIPTS = (
    "__md_scope=new URL(",
    'var palette=__md_get("__palette")',
    "var target=document.getElementById(location.hash",
)
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster")


def test_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 30


def hostile_fields(i: int, payload: str) -> dict[str, object]:
    return {
        "title": f"P{i} {payload}",
        "summary": f"Summary {payload}",
        "date": "2026-01-23",
        "slug": f"payload-{i}",
        "topics": ["politics"],
        "key_details": [f"Detail {payload}", f"**{payload}**"],
        "sources": [
            {"name": payload[:100], "url": f"https://x.test/a?q={payload}", "title": payload},
            {"name": "second", "url": "https://x.test/b"},
        ],
        "comparisons": [
            {
                "topic": payload,
                "summary": payload,
                "claims": [{"source": payload[:100], "quote": payload}, {"source": "second", "quote": f"Quote {payload}"}],
                "why": f"Why {payload}",
            }
        ],
        "authors": [payload],
    }


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "briefs"


@pytest.fixture(scope="module")
def hostile(hostile_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = hostile_tree
    for i, payload in enumerate(PAYLOADS):
        body = f"{payload}\n\nText with {payload} inline.\n\n- item {payload}\n\n> {payload}\n"
        write_brief(root, f"2026-01-23-payload-{i}", "en", hostile_fields(i, payload), body=body)
        write_brief(root, f"2026-01-23-payload-{i}", "de", hostile_fields(i, payload) | {"slug": f"nutzlast-{i}"}, body=body)
    # Unsafe markup is a warning (so --strict refuses it); the page must still be safe.
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False)
    assert result.ok, result.log
    return result


def executable_parts(page: BeautifulSoup) -> list[str]:
    found = []
    for script in page.find_all("script"):
        kind = (script.get("type") or "").lower()
        text = script.string or ""
        if script.get("src"):
            if script["src"].startswith(("http:", "https:", "//", "data:")):
                found.append(f"external script {script['src']}")
        elif kind in ("application/json", "application/ld+json"):
            json.loads(text)  # data, and still valid: nothing closed it early
        elif not text.startswith(THEME_INLINE_SCRIPTS):
            found.append(f"inline script {text[:60]!r}")
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"{name} on <{element.name}>")
            if name.lower() in URL_ATTRIBUTES and UNSAFE_URL.match(value or ""):
                found.append(f"{name}={value[:40]} on <{element.name}>")
            if name.lower() == "style" and re.search(r"url\(|expression\(", value or "", re.IGNORECASE):
                found.append(f"style {value[:40]}")
    for tag in ("iframe", "object", "embed", "base", "frame", "applet"):
        found += [f"<{tag}>" for _ in page.find_all(tag)]
    # The site's own newsletter form (SPEC §10) is chrome, not a brief's content: it is not counted.
    for own in page.select("form.brief-newsletter"):
        own.decompose()
    found += [f"<{t.name}> in the content" for t in page.select(".md-content form, .md-content input, .md-content button")]
    found += ["meta refresh" for m in page.find_all("meta") if (m.get("http-equiv") or "").lower() == "refresh"]
    found += [f"<{t.name}> in the brief" for t in page.select("article.brief svg, article.brief math, article.brief style")]
    found += [f"stylesheet {link['href']}" for link in page.select('link[rel~="stylesheet"]') if "//" in link["href"]]
    return found


def test_no_built_page_contains_anything_executable(hostile: Build) -> None:
    problems = {}
    for path in hostile.html_files():
        if path.parent.name == "pagefind":
            continue
        found = executable_parts(BeautifulSoup(path.read_text(encoding="utf-8"), "lxml"))
        if found:
            problems[str(path.relative_to(hostile.site))] = found
    assert problems == {}


def test_check_and_build_report_the_same_findings(hostile_tree: Path, hostile: Build) -> None:
    assert_check_and_build_agree(hostile_tree, hostile)


def test_payload_text_survives_as_text(hostile: Build) -> None:
    page = hostile.page("en/2026/01/23/payload-0/")
    assert page.h1.get_text() == f"P0 {PAYLOADS[0]}"
    assert page.select_one("p.brief-summary").get_text() == f"Summary {PAYLOADS[0]}"
    jinja = PAYLOADS.index("{{ config.site_name }} {% raw %}jinja{% endraw %}")
    assert hostile.page(f"en/2026/01/23/payload-{jinja}/").h1.get_text() == f"P{jinja} {PAYLOADS[jinja]}"


def test_check_warns_about_dropped_markup_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    fields = hostile_fields(0, "<b onclick=x()>bold</b>")
    path = write_brief(root, "2026-01-23-one", "en", fields, body="Fine.\n\n<script>window.__xss=1</script>\n")
    body_line = load_brief_file(path).body_line
    findings = [f for f in load_corpus(Settings(briefs_dir=root, root=tmp_path)).findings if f.code == "BR501"]
    located = {(f.path, f.line, f.column, f.message) for f in findings}
    assert ("briefs/2026-01-23-one/en.md", body_line + 2, 1, "removed unsafe markup from the body: <script>") in located
    detail = next(f for f in findings if f.message == "`key_details[0]`: removed unsafe markup: onclick= on <b>")
    assert (detail.line, detail.column) == (path.read_text().splitlines().index("- Detail <b onclick=x()>bold</b>") + 1, 3)
    assert all(not f.is_error for f in findings)


@pytest.fixture(scope="module")
def hostile_browser(hostile: Build) -> Iterator[tuple[str, object]]:
    with serve(hostile.site) as base, browser() as context:
        yield base, context


def test_no_payload_runs_in_the_browser(hostile_browser: tuple[str, object]) -> None:
    base, context = hostile_browser
    ran: list[str] = []
    for i in range(len(PAYLOADS)):
        for url in (f"en/2026/01/23/payload-{i}/", f"de/2026/01/23/nutzlast-{i}/"):
            page = context.new_page()  # type: ignore[attr-defined]
            page.on("dialog", lambda d, url=url: (ran.append(f"dialog on {url}"), d.dismiss()))
            page.goto(base + url, wait_until="load")
            page.mouse.click(5, 5)
            if page.evaluate("window.__xss !== undefined"):
                ran.append(url)
            page.close()
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(base + "en/")
    assert page.evaluate("window.__xss === undefined")
    page.close()
    assert ran == []
