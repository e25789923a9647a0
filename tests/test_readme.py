"""The README's promises: the two commands first, a valid example, short; the handbook's catalogue and links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.core.corpus import load_corpus
from briefs.core.findings import CODES
from briefs.core.settings import load_settings
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
HANDBOOK = sorted((REPO / "handbook").glob("*.md"))
ERRORS = (REPO / "handbook" / "errors.md").read_text(encoding="utf-8")

#: A Markdown link or image: `](target)`, the target up to a space or the closing parenthesis.
_LINK = re.compile(r"\]\(([^)\s]+)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_CODE = re.compile(r"`[^`\n]*`")


def test_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make serve", "make test"]


def test_stays_short() -> None:
    assert len(README.splitlines()) <= 300


def test_error_catalogue_lists_every_code() -> None:
    for code, (name, _) in CODES.items():
        assert f"| `{code}` | `{name}` |" in ERRORS, code


def test_links_to_the_error_catalogue() -> None:
    assert "](handbook/errors.md)" in README


def test_every_handbook_page_links_back() -> None:
    assert HANDBOOK
    for page in HANDBOOK:
        assert "](../README.md)" in page.read_text(encoding="utf-8"), page.name


def links(text: str) -> list[str]:
    """The relative targets a Markdown text links to, outside code."""
    prose = _CODE.sub("", _FENCE.sub("", text))
    return [
        target for target in _LINK.findall(prose) if not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")
    ]


def test_links_ignore_code_and_addresses() -> None:
    text = "[a](b.md#c) `[x](y.md)` [w](https://x.test/) [top](#t)\n```\n[z](q.md)\n```\n"
    assert links(text) == ["b.md#c"]


@pytest.mark.parametrize("page", [REPO / "README.md", *HANDBOOK], ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    found = links(page.read_text(encoding="utf-8"))
    assert found or page.parent == REPO
    for target in found:
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.name}: {target}"
        assert path.is_relative_to(REPO.resolve()), f"{page.name}: {target}"


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
