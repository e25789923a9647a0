"""A writer's first steps on a copy of the sample site: ``briefs new``, ``briefs check``, the build, the preview."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from browser import browser, wait_for
from serving import fetch, mkdocs_serve

from conftest import REPO

TITLE = "Merz meets Macron in Paris"
ID = "2026-02-02-merz-meets-macron-in-paris"
PAGE = "en/2026/02/02/merz-meets-macron-in-paris/"


def sample_copy(tmp_path: Path) -> Path:
    site = tmp_path / "sample"
    for folder in ("briefs", "docs", "overrides", "hooks"):
        shutil.copytree(REPO / folder, site / folder)
    for name in ("mkdocs.yml", "outlets.yml"):
        shutil.copy(REPO / name, site / name)
    return site


def run(site: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")} | {"NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", *command], cwd=site, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = sample_copy(tmp_path_factory.mktemp("first-brief"))
    made = run(site, "briefs.cli", "new", TITLE, "--date", "2026-02-02")
    assert made.returncode == 0, made.stderr
    assert "Fill in:" in made.stderr
    return site


def test_the_scaffold_cites_outlets_of_the_registry_of_different_owners(scaffolded: Path) -> None:
    registry = yaml.safe_load((scaffolded / "outlets.yml").read_text(encoding="utf-8"))
    for lang in ("en", "de"):
        text = (scaffolded / "briefs/2026/02" / ID / f"{lang}.md").read_text(encoding="utf-8")
        sources = yaml.safe_load(text.split("---")[1])["sources"]
        assert len(sources) == 2
        assert all(source["name"] in registry for source in sources)
        assert registry[sources[0]["name"]]["owner"] != registry[sources[1]["name"]]["owner"]
        assert "# image:" in text and "#   credit:" in text


def test_the_scaffold_passes_check_and_the_strict_build_of_the_sample_site(scaffolded: Path) -> None:
    check = run(scaffolded, "briefs.cli", "check")
    assert check.returncode == 0, check.stdout
    assert ID not in check.stdout, check.stdout  # not even a notice about the new brief
    build = run(scaffolded, "mkdocs", "build", "--strict", "-d", str(scaffolded / "site"))
    assert build.returncode == 0, build.stderr[-4000:]
    assert not (scaffolded / "site" / PAGE).exists()  # a draft: not in a production build


def test_the_ready_to_uncomment_comparison_passes_too(tmp_path: Path) -> None:
    site = sample_copy(tmp_path)
    assert run(site, "briefs.cli", "new", TITLE, "--date", "2026-02-02", "--langs", "en").returncode == 0
    path = site / "briefs/2026/02" / ID / "en.md"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^# comparisons:\n(?:^#   .*\n)+", text, re.MULTILINE)
    assert block is not None
    uncommented = re.sub(r"^# ", "", block.group(0), flags=re.MULTILINE)
    path.write_text(text.replace(block.group(0), uncommented), encoding="utf-8")
    check = run(site, "briefs.cli", "check", str(path.parent))
    assert check.returncode == 0, check.stdout
    assert "error" not in check.stdout and "BR407" not in check.stdout, check.stdout


def test_unknown_source_names_the_registry_s_nearest_outlet(tmp_path: Path) -> None:
    site = sample_copy(tmp_path)
    made = run(site, "briefs.cli", "new", TITLE, "--source", "tagesschau")
    assert made.returncode == 2
    assert "--source tagesschau is not an outlet of the registry; did you mean tagesschau.de?" in made.stderr
    assert not (site / "briefs/2026/02").exists()


@pytest.mark.browser
def test_the_new_draft_is_in_the_running_preview_marked(scaffolded: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with mkdocs_serve(scaffolded, scaffolded / "briefs", tmp_path / "serve.log", scratch) as base:
        wait_for(lambda: TITLE in fetch(base + PAGE), timeout=120)
        with browser() as context:
            page = context.new_page()  # type: ignore[attr-defined]
            page.goto(base + PAGE)
            assert page.inner_text("h1") == TITLE
            assert "not published yet" in page.inner_text("p.brief-draft")
    assert "drafts" in (tmp_path / "serve.log").read_text(encoding="utf-8").lower()
