"""The README's promises: the two commands first, a valid example, every error code."""

from __future__ import annotations

import re
from pathlib import Path

from briefs.core.corpus import load_corpus
from briefs.core.findings import CODES
from briefs.core.settings import load_settings
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make serve", "make test"]


def test_error_catalogue_lists_every_code() -> None:
    for code, (name, _) in CODES.items():
        assert f"| `{code}` | `{name}` |" in README, code


def test_example_brief_is_valid(tmp_path: Path) -> None:
    example = re.search(r"```markdown\n(---\n.*?)```", README, re.DOTALL)
    assert example is not None
    path = tmp_path / "briefs" / "2026-01-23-rome" / "en.md"
    path.parent.mkdir(parents=True)
    path.write_text(example.group(1), encoding="utf-8")
    settings = load_settings(REPO / "mkdocs.yml")
    settings.briefs_dir = tmp_path / "briefs"
    corpus = load_corpus(settings)
    assert corpus.errors == []
    assert len(corpus.pairs) == 1
