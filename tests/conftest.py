"""Shared helpers: write brief trees into tmp_path, build them with MkDocs, parse HTML."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from briefs.core.corpus import Checked, load_corpus
from briefs.core.loading import BriefFile, Mark, Positions
from briefs.core.model import Brief, Source
from briefs.core.rendering import Heading, RenderedParts
from briefs.core.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://x.test/"
# Fixture briefs cite outlets of their own: the project's registry applies where a test asks for it.
os.environ.setdefault("BRIEFS_OUTLETS_FILE", "no-registry.yml")
WITH_REGISTRY = {"BRIEFS_OUTLETS_FILE": "outlets.yml"}


def brief_fields(**overrides: Any) -> dict[str, Any]:
    """A valid brief's front-matter; override or remove (``None``) any field."""
    fields: dict[str, Any] = {
        "title": "Merz and Meloni sign agreements in Rome",
        "summary": "Germany and Italy agree closer cooperation.",
        "date": "2026-01-23",
        "topics": ["politics", "europe"],
        "key_details": ["Eight agreements were signed.", "Defense projects are *planned*."],
        "sources": [
            {"name": "tagesschau.de", "url": "https://www.tagesschau.de/a.html"},
            {"name": "br.de", "url": "https://www.br.de/b.html"},
        ],
        "comparisons": [
            {
                "topic": "Number of agreements",
                "summary": "Sources differ on the count.",
                "claims": [
                    {"source": "tagesschau.de", "quote": "eight agreements were signed"},
                    {"source": "br.de", "quote": "two significant documents were signed"},
                ],
                "why": "It changes how *binding* the results look.",
            }
        ],
    }
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def brief_text(fields: dict[str, Any], body: str = "The body of the brief.\n") -> str:
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    # Quoted dates stay dates for the loader only when unquoted: write them bare.
    for key in ("date", "updated"):
        if isinstance(fields.get(key), str):
            front = front.replace(f"{key}: '{fields[key]}'", f"{key}: {fields[key]}")
    return f"---\n{front}---\n\n{body}"


def write_brief(
    root: Path,
    brief_id: str,
    lang: str,
    fields: dict[str, Any] | None = None,
    body: str = "The body.\n",
    text: str | None = None,
) -> Path:
    folder = root / brief_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lang}.md"
    path.write_text(text if text is not None else brief_text(fields or brief_fields(), body), encoding="utf-8")
    return path


@dataclass
class Build:
    ok: bool
    log: str
    site: Path

    def page(self, url: str) -> BeautifulSoup:
        path = self.site / url.strip("/") / "index.html" if url.strip("/") else self.site / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def exists(self, url: str) -> bool:
        return (self.site / url.strip("/") / "index.html").is_file()

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


def build_site(
    briefs_dir: Path,
    out: Path,
    *,
    preview: bool = False,
    strict: bool = True,
    extra_env: dict[str, str] | None = None,
    config_file: Path = REPO / "mkdocs.yml",
) -> Build:
    """Build ``config_file`` (the project's mkdocs.yml) over ``briefs_dir`` into ``out``, in-process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    env = {"BRIEFS_DIR": str(briefs_dir), "SITE_URL": SITE_URL, "BRIEFS_PREVIEW": "1" if preview else "false"}
    env.update(extra_env or {})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    ok = True
    with _environ(env), contextlib.chdir(config_file.parent):
        try:
            config = load_config(str(config_file), site_dir=str(out), strict=strict)
            build(config)
        except (Abort, MkDocsException, SystemExit) as exc:
            ok = False
            stream.write(f"ABORT {exc}\n")
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
    return Build(ok, stream.getvalue(), out)


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's own briefs/, built once for the session."""
    result = build_site(REPO / "briefs", tmp_path_factory.mktemp("sample") / "site", extra_env=WITH_REGISTRY)
    assert result.ok, result.log
    return result


@pytest.fixture(scope="session")
def sample_preview(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build_site(REPO / "briefs", tmp_path_factory.mktemp("preview") / "site", preview=True, extra_env=WITH_REGISTRY)
    assert result.ok, result.log
    return result


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def settings_for(root: Path) -> Settings:
    """The site's own settings (its Markdown extensions included), over ``root``."""
    settings = load_settings(REPO / "mkdocs.yml")
    settings.briefs_dir, settings.root, settings.cache_dir = root, root.parent, None
    return settings


FINDING_LINE = re.compile(r"(?:^|/)briefs/(\S+?):(\d+):(\d+): (error|warning): .*\[(BR\d+) [a-z-]+\]$")


def located(lines: str) -> set[tuple[str, int, int, str]]:
    """``(file below briefs/, line, column, code)`` of every finding printed in ``lines``."""
    found = set()
    for line in lines.splitlines():
        match = FINDING_LINE.search(line)
        if match:
            found.add((match[1], int(match[2]), int(match[3]), match[5]))
    return found


def assert_check_and_build_agree(root: Path, build: Build) -> None:
    """Every finding of ``briefs check`` (warnings included) is printed by the build, at the same place."""
    check = {(f.path.removeprefix("briefs/"), f.line, f.column, f.code) for f in load_corpus(settings_for(root)).findings}
    assert check
    assert located(build.log) == check


#: A checked brief file with a value of every kind the cache holds (codec and cache tests).
SAMPLE = Checked(
    BriefFile(Path("briefs/a/en.md"), "briefs/a/en.md", {}, Positions({("title",): Mark(2, 1)}, {("title",): Mark(2, 8)})),
    Brief(
        "a",
        "en",
        Path("briefs/a/en.md"),
        "briefs/a/en.md",
        "Title",
        "Summary",
        dt.date(2026, 1, 23),
        dt.date(2026, 1, 23),
        "title",
        ("Detail",),
        (Source("tagesschau.de", "https://www.tagesschau.de/a.html"),),
    ),
    RenderedParts(("<p>Body</p>",), (Heading(2, "h", "H"),), ("Detail",), (), ""),
)
