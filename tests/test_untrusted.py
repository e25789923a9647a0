"""SPEC §7: nothing in briefs/ reaches a reader's browser, the build machine or a feed reader.

Each class of attack has its own test, with payloads beyond the first example
found; ``briefs check`` and the build must agree on each of them.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import browser, serve
from PIL import Image

from briefs.core.corpus import load_corpus
from conftest import REPO, Build, assert_check_and_build_agree, brief_fields, build_site, settings_for, write_brief


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    return out.getvalue()


PNG = _png()
SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="#36c"/></svg>'


def codes_by_file(root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in load_corpus(settings_for(root)).findings:
        if finding.is_error:
            found.setdefault(finding.path, set()).add(finding.code)
    return found


def check_cli(root: Path) -> subprocess.CompletedProcess[str]:
    """``briefs check`` as a writer runs it, in the folder above briefs/."""
    return subprocess.run(
        [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), "check", str(root)],
        cwd=root.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def build_agrees(root: Path, out: Path, files: list[str]) -> Build:
    """The build fails, and names every file that ``briefs check`` names."""
    result = build_site(root, out)
    assert not result.ok
    for name in files:
        assert name in result.log, name
    return result


# --- 1. Files beside a brief -------------------------------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-files", "en")
    folder = path.parent
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "env.txt").symlink_to("/proc/self/environ")
    (folder / "photo.png").symlink_to("/etc/hostname")  # an image name does not make a link safe
    (folder / "evil.html").write_text("<script>alert(1)</script>")
    (folder / "x.js").write_text("alert(1)")
    (folder / "style.css").write_text("body{display:none}")
    (folder / "de.md.bak").write_text("old")
    (folder / "en.md~").write_text("old")
    (folder / ".hidden.png").write_bytes(PNG)
    (folder / "archive.zip").write_bytes(b"PK\x03\x04")
    (folder / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (folder / "hook.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')
    (folder / "far.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="https://evil.test/s.svg#a"/></svg>'
    )
    (folder / "ent.svg").write_text('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>')
    with (folder / "huge.png").open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    (folder / "linked-dir").symlink_to("/etc", target_is_directory=True)
    (root / "2026-01-24-link").mkdir()
    (root / "2026-01-24-link" / "en.md").symlink_to(path)
    return root


EXPECTED = {
    "passwd": "BR207",
    "env.txt": "BR207",
    "photo.png": "BR207",
    "linked-dir": "BR207",
    "evil.html": "BR206",
    "x.js": "BR206",
    "style.css": "BR206",
    "de.md.bak": "BR206",
    "en.md~": "BR206",
    ".hidden.png": "BR206",
    "archive.zip": "BR206",
    "huge.png": "BR208",
    "chart.svg": "BR209",
    "hook.svg": "BR209",
    "far.svg": "BR209",
    "ent.svg": "BR209",
}


def test_check_names_every_forbidden_file(hostile_folder: Path) -> None:
    found = codes_by_file(hostile_folder)
    for name, code in EXPECTED.items():
        assert found.get(f"briefs/2026-01-23-files/{name}") == {code}, name
    assert found.get("briefs/2026-01-24-link/en.md") == {"BR207"}


def test_the_build_refuses_them_and_publishes_none(hostile_folder: Path, tmp_path: Path) -> None:
    result = build_agrees(hostile_folder, tmp_path / "site", [f"briefs/2026-01-23-files/{name}" for name in EXPECTED])
    assert_check_and_build_agree(hostile_folder, result)
    published = {p.name for p in (tmp_path / "site").rglob("*")} if (tmp_path / "site").exists() else set()
    assert not published & set(EXPECTED)
    assert "Traceback" not in result.log


def test_the_command_line_reports_them_without_a_traceback(hostile_folder: Path) -> None:
    done = check_cli(hostile_folder)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert re.search(r"briefs/2026-01-23-files/env\.txt:1:1: error: .*symbolic link", done.stdout)
    assert "root:" not in done.stdout  # nothing of /etc/passwd is read


def test_images_and_plain_drawings_are_published(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    folder = write_brief(root, "2026-01-23-pictures", "en", body="![chart](chart.svg)\n\n![photo](photo.png)\n").parent
    Image.new("RGB", (3, 2), (10, 20, 30)).save(folder / "photo.png")
    (folder / "chart.svg").write_bytes(SAFE_SVG)
    result = build_site(root, tmp_path / "site")
    assert result.ok, result.log
    page = tmp_path / "site" / "en" / "2026" / "01" / "23" / "merz-and-meloni-sign-agreements-in-rome"
    assert (page / "photo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # drawn again from its pixels (SPEC §11)
    assert (page / "chart.svg").read_bytes() == SAFE_SVG


# --- 2. Markdown attributes ---------------------------------------------------------------------

ATTRIBUTE_BODIES = {
    "heading id breakout": '## Background {: id=\'"><script src="x.js"></script>\' }\n\nText.\n',
    "meta refresh id": '## Later {: id=\'"><meta http-equiv="refresh" content="0;url=https://evil.test/">\' }\n',
    "event handler": 'Click here\n{: onclick="window.__xss=1" }\n\n*hover*{: onmouseover="window.__xss=1" }\n',
    "style cover": 'Covered\n{: style="position:fixed;inset:0;background:red;z-index:9999" }\n',
    "reserved class": "Outdated\n{: .brief-outdated .md-header }\n",
    "file link": "[a file](file:///etc/passwd) and [a phone](tel:123) and [old](ftp://x.test/)\n",
    "after unclosed style": '<style>p{}\n\n<b onmouseover="window.__xss=1">x</b>\n',
    "footnote label": 'Text[^"x] more.\n\n[^"x]: A note.\n',
}


@pytest.mark.parametrize("name", ATTRIBUTE_BODIES)
def test_every_removed_attribute_is_a_located_warning(tmp_path: Path, name: str) -> None:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-attrs", "en", body=ATTRIBUTE_BODIES[name])
    findings = [f for f in load_corpus(settings_for(root)).findings if f.code == "BR501"]
    if name == "footnote label":
        assert findings == [] or all(f.line > 1 for f in findings)
        return
    assert findings, name
    body_line = path.read_text().split("\n").index("---", 1) + 3
    assert all(f.path == "briefs/2026-01-23-attrs/en.md" and f.line >= body_line for f in findings)


@pytest.fixture(scope="module")
def attribute_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attrs") / "briefs"


@pytest.fixture(scope="module")
def attribute_site(attribute_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = attribute_tree
    for i, body in enumerate(ATTRIBUTE_BODIES.values()):
        folder = write_brief(root, f"2026-01-23-attr-{i}", "en", brief_fields(slug=f"attr-{i}"), body=body).parent
        (folder / "x.png").write_bytes(PNG)
    result = build_site(root, tmp_path_factory.mktemp("out") / "site", strict=False)
    assert result.ok, result.log
    return result


def test_check_and_build_report_the_same_removals(attribute_tree: Path, attribute_site: Build) -> None:
    assert_check_and_build_agree(attribute_tree, attribute_site)


def test_ids_classes_and_styles_that_pass_are_safe(attribute_site: Build) -> None:
    for i in range(len(ATTRIBUTE_BODIES)):
        page = attribute_site.page(f"en/2026/01/23/attr-{i}/")
        for element in page.select("article.brief [id], nav [href^='#']"):
            anchor = element.get("id") or element["href"][1:]
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", anchor), anchor
        assert not page.select(".md-content [style], .md-content [onclick], .md-content [onmouseover]")
        assert not [m for m in page.select("meta[http-equiv]") if m["http-equiv"].lower() == "refresh"]
        body = page.select_one("article.brief")
        assert not body.select(".brief-outdated, .md-header")
        assert not [a for a in body.select("a[href]") if a["href"].startswith(("file:", "tel:", "ftp:"))]


def test_nothing_runs_or_navigates_in_the_browser(attribute_site: Build) -> None:
    with serve(attribute_site.site) as base, browser() as context:
        for i in range(len(ATTRIBUTE_BODIES)):
            url = f"{base}en/2026/01/23/attr-{i}/"
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
            page.goto(url, wait_until="load")
            page.mouse.move(200, 300)
            page.mouse.click(200, 300)
            page.wait_for_timeout(50)
            assert page.url == url
            assert page.evaluate("window.__xss === undefined")
            assert dialogs == []
            # The page is still the site's: its title is visible, nothing covers it.
            covered = page.evaluate(
                "(() => { const h = document.querySelector('article.brief h1').getBoundingClientRect();"
                " const top = document.elementFromPoint(h.left + 2, h.top + 2);"
                " return !top || !top.closest('article.brief, .md-header, .md-main'); })()"
            )
            assert not covered
            page.close()


# --- 3. Remote images ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        {"key_details": ["A pixel ![k](http://other.host/px.gif)"]},
        {"comparisons": None, "key_details": ["Fine."], "body": "![k](https://other.host/a.png)"},
        {"comparisons": None, "key_details": ["Fine."], "body": '<img src="//other.host/a.png">'},
        {"comparisons": None, "key_details": ["Fine."], "body": "![k][ref]\n\n[ref]: HTTPS://other.host/a.png"},
    ],
)
def test_an_image_on_another_host_is_an_error_in_check_and_build(tmp_path: Path, where: dict) -> None:
    body = where.pop("body", "Text.\n")
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-pixel", "en", brief_fields(**where), body=body)
    assert codes_by_file(root) == {"briefs/2026-01-23-pixel/en.md": {"BR115"}}
    result = build_agrees(root, tmp_path / "site", ["briefs/2026-01-23-pixel/en.md"])
    assert "BR115" in result.log or "another host" in result.log


# --- 4. Characters XML cannot hold --------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\x01", "\\uFFFE", "\\x1b[31m", "\\uFDD0", "\\U0001FFFF", "\\x85"])
def test_control_characters_are_refused_with_their_field(tmp_path: Path, escape: str) -> None:
    root = tmp_path / "briefs"
    text = f'---\ntitle: "Bad {escape} title"\nsummary: Fine.\ndate: 2026-01-23\nkey_details: [One.]\n'
    text += "sources:\n  - {name: a, url: 'https://a.test/'}\n---\n\nBody.\n"
    write_brief(root, "2026-01-23-ctl", "en", text=text)
    findings = [f for f in load_corpus(settings_for(root)).findings if f.is_error]
    assert [(f.code, f.line) for f in findings] == [("BR114", 2)]
    assert "`title`" in findings[0].message


def test_a_control_character_in_the_body_is_located(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-ctl", "en", body="Line one.\n\nTwo \x0b here.\n")
    findings = [f for f in load_corpus(settings_for(root)).findings if f.is_error]
    line = path.read_text().split("\n").index("Two \x0b here.") + 1
    assert [(f.code, f.line, f.column) for f in findings] == [("BR114", line, 5)]


def test_feeds_stay_xml_whatever_a_value_holds() -> None:
    from briefs.site.feeds import _serialize

    feed = ET.Element("feed")
    ET.SubElement(feed, "title").text = "Merz\x01 & Meloni\ufffe \ud800"
    ET.SubElement(feed, "link", href="https://x.test/?q=\x02")
    parsed = ET.fromstring(_serialize(feed))
    assert parsed.find("title").text == "Merz\ufffd & Meloni\ufffd \ufffd"


# --- 5. Pathological Markdown -------------------------------------------------------------------

PATHOLOGICAL = {
    "nested list": "".join("  " * i + "- x\n" for i in range(400)),
    "nested quotes": ">" * 400 + " deep\n",
    "brackets": "[" * 50_000 + "x" + "]" * 50_000,
    "open links": "[a](" * 30_000,
    "open images": "![a](" * 20_000,
    "angle brackets": "<a " * 30_000,
    "many paragraphs of brackets": ("[" * 190 + "\n\n") * 2_000,
    "consecutive headings": "# x\n" * 5_000,
    "dense code spans": ("` " * 9_000 + "\n\n") * 50,
    "rules without blank lines": "---\n" * 20_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_is_a_located_error_within_seconds(tmp_path: Path, name: str) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-patho", "en", body=PATHOLOGICAL[name])
    started = time.monotonic()
    findings = [f for f in load_corpus(settings_for(root)).findings if f.is_error]
    assert time.monotonic() - started < 20
    assert {f.code for f in findings} == {"BR116"}, findings
    assert all(f.path == "briefs/2026-01-23-patho/en.md" and f.line > 1 for f in findings)


BRACKETS = ["[", "]", "<", "[^1]", "{: #x }", "```", "!!! note", "#", "- ", "> ", "    "]
DENSE = ["(", ")", ">", "!", "*", "_", "`", "-", " ", "\n", "\n\n", "|", ":", "{", "}", "^", "~", "&", ";", "\\", "a", "1"]


@pytest.mark.parametrize(("seed", "size"), [(0, 1024 * 1000), (1, 1024 * 1000), (2, 190_000), (3, 190_000)])
def test_any_megabyte_of_markup_ends_with_a_page_or_located_errors(tmp_path: Path, seed: int, size: int) -> None:
    """Random bodies of the characters Markdown reacts to: as large as a brief file may be,
    or just below the size a body may have, without what the limits count (so it renders)."""
    rnd = random.Random(seed)
    alphabet = DENSE + (BRACKETS if size > 200_000 else [])
    body = "".join(rnd.choice(alphabet) for _ in range(size))
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-noise", "en", body=body)
    started = time.monotonic()
    findings = load_corpus(settings_for(root)).findings
    assert time.monotonic() - started < 60  # a bound against hangs, not a speed figure (make bench has those)
    assert {f.code for f in findings if f.is_error} <= {"BR116", "BR115", "BR003"}


def test_the_build_refuses_pathological_markdown_without_a_traceback(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-patho", "en", body=PATHOLOGICAL["nested list"])
    result = build_agrees(root, tmp_path / "site", ["briefs/2026-01-23-patho/en.md"])
    assert "RecursionError" not in result.log and "Traceback" not in result.log


# --- 9. Smaller ---------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["0001-01-01", "0999-12-31", "1899-12-31"])
def test_a_date_outside_four_digit_years_is_refused(tmp_path: Path, date: str) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-old", "en", brief_fields(date=date))
    findings = [f for f in load_corpus(settings_for(root)).findings if f.is_error]
    assert [f.code for f in findings] == ["BR105"]


def test_briefs_new_refuses_a_title_its_check_would_refuse(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "--config", str(REPO / "mkdocs.yml"), "new", "A" * 300, "--date", "2026-01-23"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "BRIEFS_DIR": str(tmp_path / "briefs")},
    )
    assert done.returncode == 2
    assert "at most 200 characters" in done.stderr
    assert list((tmp_path / "briefs").iterdir()) == []


# --- Found by an outside review, one test each --------------------------------------------------


def test_markup_hidden_from_one_parser_is_still_reported_and_removed(tmp_path: Path) -> None:
    """Parsers disagree on ``<!-->`` and CDATA; the report reads what nh3 may read."""
    root = tmp_path / "briefs"
    detail = 'Eight <!--> <img src="&#1;//evil.test/pixel.gif" alt=""> --> agreements.'
    body = '<![CDATA[ > <script>alert(1)</script><b onclick="x()" style="position:fixed">hi</b> ]]>\n'
    write_brief(root, "2026-01-23-hidden", "en", brief_fields(key_details=[detail]), body=body)
    findings = load_corpus(settings_for(root)).findings
    assert {f.code for f in findings if f.is_error} == {"BR115"}
    removed = {f.message.split(": ", 2)[-1] for f in findings if f.code == "BR501"}
    assert {"<script>", "onclick= on <b>", "style= on <b>"} <= removed


def test_explicit_yaml_tags_and_endless_numbers_are_located_errors(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    for i, line in enumerate(
        ["authors: [!!timestamp x]", "draft: !!bool maybe", "authors: [!!int '']", "authors: [!!binary aGk=]"]
    ):
        text = f"---\ntitle: T\nsummary: S.\ndate: 2026-01-23\nkey_details: [One.]\n{line}\n"
        text += "sources:\n  - {name: a, url: 'https://a.test/'}\n---\n\nBody.\n"
        write_brief(root, f"2026-01-23-tag-{i}", "en", text=text)
    text = "---\ntitle: T\nsummary: S.\ndate: 2026-01-23\nkey_details: [One.]\nauthors: [" + ":".join(["59"] * 50_000) + "]\n"
    write_brief(root, "2026-01-23-sexagesimal", "en", text=text + "sources:\n  - {name: a, url: 'https://a.test/'}\n---\n\nB.\n")
    started = time.monotonic()
    found = codes_by_file(root)
    assert time.monotonic() - started < 10  # was quadratic: 15 s for 200,000 groups
    assert {path.split("/")[1]: codes for path, codes in found.items()} == {
        **{f"2026-01-23-tag-{i}": {"BR014"} for i in range(4)},
        "2026-01-23-sexagesimal": {"BR103"},
    }


def test_authors_are_at_most_twenty(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-many", "en", brief_fields(authors=[f"A{i}" for i in range(21)]))
    assert codes_by_file(root) == {"briefs/2026-01-23-many/en.md": {"BR104"}}


def test_an_aligned_table_is_not_unsafe_and_sections_keep_their_ids(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    body = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n## Sources {#brief-sources}\n\nText.\n"
    write_brief(root, "2026-01-23-table", "en", body=body)
    findings = [f for f in load_corpus(settings_for(root)).findings if f.code == "BR501"]
    assert [f.message for f in findings] == ["removed unsafe markup from the body: id='brief-sources' on <h2>"]
    result = build_site(root, tmp_path / "site", strict=False)
    page = result.page("en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/")
    assert len(page.select("#brief-sources")) == 1
    assert page.select_one("article.brief td[align=right]") is not None


def test_a_fifo_in_place_of_a_brief_is_an_error_not_a_hang(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    (root / "2026-01-23-fifo").mkdir(parents=True)
    os.mkfifo(root / "2026-01-23-fifo" / "en.md")
    assert codes_by_file(root) == {"briefs/2026-01-23-fifo/en.md": {"BR207"}}


def test_a_tracked_cache_file_cannot_write_a_workflow_command(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-one", "en")
    cache = tmp_path / ".briefs-cache"
    cache.mkdir()
    (cache / "x\n::error file=README.md,line=1::forged").write_text("x")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    for command in (["init", "-q"], ["add", "-f", ".briefs-cache"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, env=env)
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check", "--format", "github"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "BRIEFS_DIR": str(root), "BRIEFS_CACHE_DIR": ".briefs-cache"},
    )
    lines = (done.stdout + done.stderr).splitlines()
    assert any("cache folder" in line for line in lines)
    assert not [line for line in lines if line.lstrip().startswith("::error file=README.md")]


def test_undeclared_claim_sources_do_not_multiply_the_output(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    sources = [{"name": f"source-{i:03d}-" + "x" * 80, "url": f"https://x.test/{i}"} for i in range(50)]

    def claims() -> list[dict[str, str]]:  # new objects each time: YAML would write repeats as aliases
        return [{"source": f"zq-{j}", "quote": "q"} for j in range(10)]

    comparisons = [{"topic": "t", "summary": "s", "claims": claims(), "why": "w"} for _ in range(20)]
    write_brief(root, "2026-01-23-amp", "en", brief_fields(sources=sources, comparisons=comparisons))
    done = check_cli(root)
    assert done.returncode == 1 and len(done.stdout) < 500_000  # was 408 MB before hints and lists were bounded
    assert "and 40 more" in done.stdout


def test_lists_have_bounds(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    sources = [{"name": f"s{i}", "url": f"https://x.test/{i}"} for i in range(51)]
    write_brief(root, "2026-01-23-many", "en", brief_fields(sources=sources, comparisons=None))
    assert codes_by_file(root) == {"briefs/2026-01-23-many/en.md": {"BR104"}}
