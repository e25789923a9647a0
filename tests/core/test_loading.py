"""Loading and checking: mutated briefs either pass or fail with located errors, never a traceback.

Mutations are what a hurried edit does to a file: lines deleted, duplicated or
swapped, characters typed in the wrong place, values retyped. Examples are
derandomized so that CI runs the same cases every time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.core.corpus import load_corpus
from briefs.core.settings import Settings
from conftest import REPO, brief_fields, brief_text, build_site

SEEDS = [
    brief_text(brief_fields()),
    (REPO / "briefs/2026/01/2026-01-23-germany-italy-rome-consultations/en.md").read_text(encoding="utf-8"),
    (REPO / "briefs/2025/02/2025-02-23-bundestag-election-results/en.md").read_text(encoding="utf-8"),
]
CHARACTERS = [*":-\t\"'#[]{}&*!|>%@`,\n ä\r\ufeff", "\x00", "---", "- ", ": "]
RETYPED = ["yes", "1.10", "2026-02-30", "[a, b]", "{a: 1}", '""', "null", "~", "12", "&a x", "*a", "'unterminated"]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "retype"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            position = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:position] + draw(st.sampled_from(CHARACTERS)) + lines[i][position:]
        elif kind == "retype" and ": " in lines[i]:
            lines[i] = lines[i].split(": ", 1)[0] + ": " + draw(st.sampled_from(RETYPED))
    return "\n".join(lines)


def check(text: str, root: Path) -> tuple[list, int]:
    folder = root / "2026-01-23-mutant"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "en.md"
    path.write_text(text, encoding="utf-8")
    corpus = load_corpus(Settings(briefs_dir=root, root=root.parent))
    return corpus.findings, text.count("\n") + 1


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_pass_or_fail_with_file_and_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        findings, line_count = check(text, Path(tmp) / "briefs")
    for finding in findings:
        assert finding.path == "briefs/2026-01-23-mutant/en.md"
        assert 1 <= finding.line <= line_count + 1, finding
        assert finding.column >= 1
        assert finding.message


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_build_agrees_with_check(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "briefs"
        findings, _ = check(text, root)
        errors = [f for f in findings if f.is_error]
        result = build_site(root, Path(tmp) / "site")
    assert result.ok == (not errors), (errors, result.log)
    assert "Traceback" not in result.log
    for error in errors:
        assert f"2026-01-23-mutant/en.md:{error.line}:{error.column}: error:" in result.log


# Text near the edge of what Markdown treats as markup: ordinary words and
# punctuation, with a few characters that may start a block, emphasise, link,
# escape or quote put anywhere, including first.
_ORDINARY = st.text(alphabet=st.sampled_from(list("ab1. -#>+=|():;!?,'\"~%€üß")), max_size=16)
_MARKUP = st.sampled_from([*"*_`[]<>&\\\t\n\u00a0\u2028\x02", "**", "1. ", "- ", "# ", "&amp;", "<b>", "[x](y)", "  "])


@st.composite
def near_markup(draw: st.DrawFn) -> str:
    text = draw(_ORDINARY)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(_MARKUP) + text[at:]
    return text


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.one_of(near_markup(), st.text(max_size=24)))
def test_plain_text_shortcut_agrees_with_markdown(text: str) -> None:
    """Key details that need no parsing render exactly as Python-Markdown renders them."""
    import markdown

    from briefs.core.rendering import _PLAIN_LINE

    if _PLAIN_LINE.fullmatch(text):
        assert markdown.Markdown().convert(text).strip() == f"<p>{text}</p>"
