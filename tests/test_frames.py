"""Pages filled into frames are byte for byte the pages a full render gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_builds import differences
from test_cache import site_copy

from conftest import REPO, Build, brief_fields, build_site, write_brief


def frames_used(result: Build) -> tuple[int, int]:
    found = re.search(r"Briefs: (\d+) pages filled into frames, (\d+) rendered in full", result.log)
    assert found, result.log
    return int(found.group(1)), int(found.group(2))


def without_frames(config: Path) -> Path:
    """The same site configuration with ``page_frames: false``."""
    text = config.read_text(encoding="utf-8")
    assert "      cache_dir:" in text
    off = config.with_name("mkdocs-full.yml")
    off.write_text(text.replace("      cache_dir:", "      page_frames: false\n      cache_dir:", 1), encoding="utf-8")
    return off


def both(tmp_path: Path, config: Path, *, preview: bool = False) -> tuple[Build, Build]:
    env = {"BRIEFS_CACHE_DIR": "false"}
    framed = build_site(REPO / "briefs", tmp_path / "framed", preview=preview, extra_env=env, config_file=config)
    full = build_site(REPO / "briefs", tmp_path / "full", preview=preview, extra_env=env, config_file=without_frames(config))
    assert framed.ok, framed.log
    assert full.ok, full.log
    assert not (config.parent / ".briefs-cache").exists()  # "false" turns the cache off
    return framed, full


@pytest.mark.parametrize("preview", [False, True], ids=["published", "preview"])
def test_framed_pages_equal_full_renders(tmp_path: Path, preview: bool) -> None:
    framed, full = both(tmp_path, site_copy(tmp_path), preview=preview)
    filled, _ = frames_used(framed)
    assert filled >= 10  # briefs and lists of both languages came from frames
    assert "pages filled into frames" not in full.log
    assert differences(framed.site, full.site) == []


def test_page_data_in_the_frame_makes_the_group_render_in_full(tmp_path: Path) -> None:
    """A theme that shows the page's title in its footer cannot share one footer."""
    config = site_copy(tmp_path)
    copyright = config.parent / "overrides/partials/copyright.html"
    footer = copyright.read_text().replace('<div class="md-copyright">', '<div class="md-copyright">{{ page.title }}')
    copyright.write_text(footer)
    framed, full = both(tmp_path, config)
    filled, rendered = frames_used(framed)
    assert filled == 0 and rendered > 10
    assert differences(framed.site, full.site) == []
    page = framed.page("en/2026/01/23/germany-italy-rome-consultations/")
    assert page.select_one(".md-copyright").get_text().strip().startswith(page.select_one("h1").get_text().strip()[:10])


def test_an_inline_script_in_a_slot_keeps_the_policy_exact(tmp_path: Path) -> None:
    """A script in a page's own part changes its Content-Security-Policy: such pages render in full."""
    config = site_copy(tmp_path)
    override = config.parent / "overrides/briefs/brief.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        '{% extends "main.html" %}\n{% block content %}<h1>{{ briefs_view.brief.title }}</h1>'
        "<script>window.briefId = {{ briefs_view.brief.id | tojson }};</script>{% endblock %}\n"
    )
    framed, full = both(tmp_path, config)
    assert differences(framed.site, full.site) == []
    page = framed.page("en/2026/01/23/germany-italy-rome-consultations/")
    policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert policy.count("'sha256-") == len([s for s in page.select("script:not([src])") if not s.get("type")])


def test_work_shared_among_worker_processes_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking briefs and rendering pages in forked workers changes nothing in the output."""
    import briefs.core.corpus
    import briefs.mkdocs.writing

    env = {"BRIEFS_CACHE_DIR": "false"}
    serial = build_site(REPO / "briefs", tmp_path / "serial", extra_env=env)
    pools: list[int] = []
    original = briefs.core.corpus.forked_pool

    def counted(workers: int) -> object:
        pools.append(workers)
        return original(workers)

    monkeypatch.setattr(briefs.core.corpus, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(briefs.mkdocs.writing, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(briefs.core.corpus, "forked_pool", counted)
    monkeypatch.setattr(briefs.mkdocs.writing, "forked_pool", counted)
    monkeypatch.setattr(briefs.core.corpus, "worker_count", lambda: 2)
    monkeypatch.setattr(briefs.mkdocs.writing, "worker_count", lambda: 2)
    shared = build_site(REPO / "briefs", tmp_path / "shared", extra_env=env)
    assert serial.ok and shared.ok, shared.log
    assert len(pools) == 2  # one pool checked the briefs, one rendered the pages
    assert differences(serial.site, shared.site) == []


def test_lists_of_one_depth_in_different_sections_each_get_their_own_frame(tmp_path: Path) -> None:
    """A month, a topic and an outlet page are all ``lang/x/y/``, but each links the menu its own way
    (the topics tab is ``../`` from a topic's page, ``../../topics/`` from the others'): one frame for
    all of them would give some pages another section's links."""
    tree = tmp_path / "briefs"
    topics = ["politics", "europe", "energy", "economy"]
    outlets = ["tagesschau.de", "br.de", "spiegel.de", "zeit.de"]
    for number in range(24):  # more than a page of the home list: its second page is lang/page/2/
        day = f"2025-{1 + number % 4:02d}-{1 + number:02d}"
        cited = [outlets[number % 4], outlets[(number + 1) % 4]]
        sources = [{"name": name, "url": f"https://www.{name}/{number}.html"} for name in cited]
        claims = [{"source": name, "quote": f"what {name} says"} for name in cited]
        comparison = {"topic": "A count", "summary": "They differ.", "claims": claims, "why": "It matters."}
        fields = brief_fields(
            title=f"Brief number {number}", date=day, topics=[topics[number % 4]], sources=sources, comparisons=[comparison]
        )
        write_brief(tree, f"{day}-brief-{number}", "en", fields)
    config = site_copy(tmp_path)
    env = {"BRIEFS_CACHE_DIR": "false"}
    framed = build_site(tree, tmp_path / "framed", extra_env=env, config_file=config, strict=False)
    full = build_site(tree, tmp_path / "full", extra_env=env, config_file=without_frames(config), strict=False)
    assert framed.ok and full.ok, framed.log + full.log
    assert frames_used(framed)[0] >= 3
    assert differences(framed.site, full.site) == []
