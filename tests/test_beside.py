"""Social cards and images made by fork-server workers, beside the pages or after them: the same site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_builds import differences

import briefs.mkdocs.beside
import briefs.plugin
from briefs.mkdocs.cards import draw_cards
from briefs.mkdocs.images import write_images
from conftest import REPO, build_site


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the jobs handed to workers, in the order given; the workers do them all the same."""
    given: list[str] = []
    submit = briefs.mkdocs.beside.Beside.submit

    def counted(self: briefs.mkdocs.beside.Beside, job: Any, *args: Any) -> None:
        given.append(job.__name__)
        submit(self, job, *args)

    monkeypatch.setattr(briefs.mkdocs.beside.Beside, "submit", counted)
    monkeypatch.setattr(briefs.plugin, "worker_count", lambda: 2)
    return given


def test_cards_and_images_made_beside_the_pages_are_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: list[str]
) -> None:
    env = {"BRIEFS_CACHE_DIR": "false"}
    here = build_site(REPO / "briefs", tmp_path / "here", extra_env=env)
    assert here.ok, here.log
    assert jobs == []  # a small site makes its few cards and images in the build's process
    # As at an archive's size: the pages in this process alone, cards and images in workers meanwhile.
    monkeypatch.setattr(briefs.plugin, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(briefs.plugin, "worth_it", lambda pages, cards, images: True)
    beside = build_site(REPO / "briefs", tmp_path / "beside", extra_env=env)
    assert beside.ok, beside.log
    assert set(jobs) == {draw_cards.__name__, write_images.__name__}
    assert differences(here.site, beside.site) == []
    assert list((beside.site / "cards").rglob("*.png")) and list((beside.site / "images").rglob("*.webp"))


def test_cards_and_images_made_after_the_pages_on_both_cores_are_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: list[str]
) -> None:
    env = {"BRIEFS_CACHE_DIR": "false"}
    here = build_site(REPO / "briefs", tmp_path / "here", extra_env=env)
    monkeypatch.setattr(briefs.plugin, "PARALLEL_CARDS", 1)
    monkeypatch.setattr(briefs.plugin, "PARALLEL_IMAGES", 1)
    after = build_site(REPO / "briefs", tmp_path / "after", extra_env=env)
    assert here.ok and after.ok, after.log
    assert set(jobs) == {draw_cards.__name__, write_images.__name__}
    assert differences(here.site, after.site) == []


def test_a_job_that_fails_in_a_worker_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: list[str]) -> None:
    monkeypatch.setattr(briefs.plugin, "PARALLEL_CARDS", 1)
    monkeypatch.setattr(briefs.plugin, "PARALLEL_IMAGES", 1)
    site = tmp_path / "site"
    # A card's folder that is a file: the worker cannot write there, and the build must not pass over it.
    original = briefs.mkdocs.cards.SocialCards.write

    def blocked(self: Any, previous: Any, beside: Any = None) -> None:
        (self.site_dir / "cards").mkdir(parents=True, exist_ok=True)
        (self.site_dir / "cards" / "en").write_text("in the way", encoding="utf-8")
        original(self, previous, beside)

    monkeypatch.setattr(briefs.mkdocs.cards.SocialCards, "write", blocked)
    with pytest.raises(OSError):
        build_site(REPO / "briefs", site, extra_env={"BRIEFS_CACHE_DIR": "false"})
    assert draw_cards.__name__ in jobs


def test_worth_it_weighs_the_second_core() -> None:
    from briefs.mkdocs.beside import worth_it

    assert worth_it(20_000, 16_000, 2_000)  # an archive with photos: cards and images outweigh the pages
    assert not worth_it(20_000, 100, 0)  # a template changed: pages alone, on both cores
