"""Rendering: one policy for what Markdown makes, and limits that keep it bounded."""

from __future__ import annotations

import pytest

from briefs.core.rendering import LIMITS, Policy, Renderer, TooComplex, check_complexity, inspect, sanitize

SITE_EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "admonition",
    "attr_list",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(SITE_EXTENSIONS, {"toc": {"permalink": False}})


@pytest.mark.parametrize(
    ("tag", "name", "value", "kept"),
    [
        ("h2", "id", "background", "background"),
        ("h2", "id", '"><script>', None),
        ("h2", "id", "2026", None),
        ("p", "class", "note brief-outdated md-header", "note"),
        ("a", "href", "https://x.test/", "https://x.test/"),
        ("a", "href", "tel:123", None),
        ("img", "src", "chart.png", "chart.png"),
        ("img", "src", "https://x.test/pixel.gif", None),
    ],
)
def test_the_policy_keeps_what_is_safe_and_nothing_else(tag: str, name: str, value: str, kept: str | None) -> None:
    assert Policy.attribute(tag, name, value) == kept


def test_what_is_reported_is_what_is_removed() -> None:
    fragment = '<p id="ok" onclick="x()" class="brief-draft">a <a href="ftp://x">b</a><img src="//x.test/p.gif"></p>'
    found = inspect(fragment)
    assert [r.what for r in found.removed] == ["onclick= on <p>", "class='brief-draft' on <p>", "href='ftp://x' on <a>"]
    assert found.remote_images == ["//x.test/p.gif"]  # reported as an error of its own (BR115), and removed too
    assert sanitize(fragment) == '<p id="ok">a <a rel="noopener noreferrer">b</a><img></p>'


def test_heading_ids_always_pass_and_the_outline_holds_only_those(renderer: Renderer) -> None:
    rendered = renderer.block('## 2026 in review\n\n## Über uns\n\n## Bad {: #x"y }\n')
    assert [h.id for h in rendered.outline] == ["h-2026-in-review", "uber-uns"]
    assert [p.code for p in rendered.problems] == ["BR501"]


def test_footnotes_get_ids_the_policy_keeps(renderer: Renderer) -> None:
    rendered = renderer.block("Text[^1].\n\n[^1]: A note.\n")
    assert 'id="fn-1"' in rendered.html and 'href="#fn-1"' in rendered.html
    assert rendered.problems == ()


@pytest.mark.parametrize(
    "text",
    [
        "[" * (LIMITS.brackets_per_block + 1),
        "<" * (LIMITS.brackets_per_block + 1),
        "x" * (LIMITS.chars_per_text + 1),
        "# h\n" * (LIMITS.lines_per_block + 1),
        ("# h\n\n" * (LIMITS.structures_per_text + 1)),
        "  " * (LIMITS.depth + 1) + "- deep\n",
    ],
)
def test_text_beyond_the_limits_is_refused_before_parsing(text: str) -> None:
    with pytest.raises(TooComplex):
        check_complexity(text)


def test_text_within_the_limits_renders(renderer: Renderer) -> None:
    text = "\n\n".join(f"Paragraph {i} with a [link](https://x.test/{i}) and *emphasis*." for i in range(150))
    check_complexity(text)
    assert renderer.block(text).html.count("<a ") == 150


def test_a_key_detail_must_be_one_line_of_inline_markdown(renderer: Renderer) -> None:
    assert renderer.inline("**Eight** agreements").problems == ()
    assert [p.code for p in renderer.inline("# A heading").problems] == ["BR113"]
