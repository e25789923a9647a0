"""Helpers for the desk's tests: a site in a real git repository, and the desk's view of it."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefs.core.corpus import Corpus, load_corpus
from briefs.core.settings import Settings
from briefs.desk.status import recorded_versions
from conftest import settings_for

#: Commit times are fixed so that ``since`` can be asserted.
DAY_ONE = "2026-01-23T10:00:00+00:00"


def isolate_git(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No system or user git configuration: only what the test sets."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class GitSite:
    """A folder with ``briefs/`` under git."""

    root: Path

    @property
    def briefs(self) -> Path:
        return self.root / "briefs"

    def git(self, *args: str, when: str = DAY_ONE) -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, when: str = DAY_ONE) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD").strip()

    def settings(self) -> Settings:
        return settings_for(self.briefs)


def git_site(root: Path) -> GitSite:
    root.mkdir(parents=True, exist_ok=True)
    site = GitSite(root)
    site.git("init", "-q", "-b", "main")
    return site


def load(settings: Settings) -> tuple[Corpus, dict[tuple[str, str], tuple[str, str]]]:
    corpus = load_corpus(settings)
    return corpus, recorded_versions(corpus.pairs)
