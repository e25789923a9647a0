"""What changed between two versions of a brief, field by field (``briefs diff``).

A translator bringing a translation up to date needs to know which key detail,
which claim, which paragraph of the original changed, and which words in it;
a line diff of the YAML would show layout instead. Texts are compared as
:mod:`.content` normalizes them, so a change this module reports is exactly a
change of the content version, and an edit that keeps the version shows nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from ..core.content import Content, content_of, normalize_text, paragraphs
from ..core.model import Brief, Claim, Comparison

#: Two items are taken for one that changed (rather than one removed and one added) from this similarity on.
SIMILAR = 0.5
#: Beyond this many candidate pairs, items are paired by position, not by similarity.
_MAX_PAIRING = 2500


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class WordOp(StrEnum):
    EQUAL = "equal"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class FieldChange:
    """One field that changed: its path (``key_details[3]``), how, and its texts before and after."""

    field: str
    change: Change
    old: str | None
    new: str | None

    def words(self) -> list[tuple[WordOp, str]]:
        """The change word by word: runs of equal, removed and added words."""
        return word_diff(self.old or "", self.new or "")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form: ``{"field", "change", "old", "new", "words"}``."""
        data: dict[str, Any] = {"field": self.field, "change": self.change.value, "old": self.old, "new": self.new}
        data["words"] = [{"op": op.value, "text": text} for op, text in self.words()]
        return data


def word_diff(old: str, new: str) -> list[tuple[WordOp, str]]:
    """Runs of words, as ``git diff --word-diff`` finds them.

    >>> word_diff("Eight agreements were signed", "Two agreements were signed today")
    [(<WordOp.REMOVED: 'removed'>, 'Eight'), (<WordOp.ADDED: 'added'>, 'Two'), \
(<WordOp.EQUAL: 'equal'>, 'agreements were signed'), (<WordOp.ADDED: 'added'>, 'today')]
    """
    a, b = old.split(), new.split()
    runs: list[tuple[WordOp, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append((WordOp.EQUAL, " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append((WordOp.REMOVED, " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append((WordOp.ADDED, " ".join(b[j1:j2])))
    return runs


def similarity(old: str, new: str) -> float:
    """How alike two texts are by their words, from 0 to 1.

    >>> similarity("Eight agreements were signed", "Eight agreements were signed in Rome")
    0.8
    """
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


Pairs = list[tuple[int | None, int | None]]


def align(old: Sequence[str], new: Sequence[str]) -> Pairs:
    """Pair the items of two lists: ``(i, j)`` the same item (maybe changed), ``(i, None)`` removed, ``(None, j)`` added.

    >>> align(["a b", "c d", "e f"], ["a b", "x y", "c d e", "e f"])
    [(0, 0), (None, 1), (1, 2), (2, 3)]
    """
    pairs: Pairs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            pairs += [(None if i is None else i1 + i, None if j is None else j1 + j) for i, j in _pair(old[i1:i2], new[j1:j2])]
    return pairs


def _pair(old: Sequence[str], new: Sequence[str]) -> Pairs:
    """Ordered pairing of two runs that differ, keeping the most alike pairs (a small dynamic programme)."""
    n, m = len(old), len(new)
    if n * m > _MAX_PAIRING:
        return [(i if i < n else None, i if i < m else None) for i in range(max(n, m))]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    alike = [[similarity(old[i], new[j]) for j in range(m)] for i in range(n)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if alike[i][j] >= SIMILAR:
                best = max(best, alike[i][j] + score[i + 1][j + 1])
            score[i][j] = best
    pairs: Pairs = []
    i = j = 0
    while i < n and j < m:
        if alike[i][j] >= SIMILAR and score[i][j] == alike[i][j] + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


def _texts(field: str, old: str | None, new: str | None) -> list[FieldChange]:
    """A change of one text field, if its normalized words differ."""
    a = None if old is None else normalize_text(old)
    b = None if new is None else normalize_text(new)
    if a == b:
        return []
    change = Change.ADDED if a is None else Change.REMOVED if b is None else Change.CHANGED
    return [FieldChange(field, change, a, b)]


def _lists(name: str, old: Sequence[str], new: Sequence[str]) -> list[FieldChange]:
    """Changes of a list of texts: added and changed items are named by their new index, removed by their old."""
    a, b = [normalize_text(t) for t in old], [normalize_text(t) for t in new]
    changes: list[FieldChange] = []
    for i, j in align(a, b):
        where = f"{name}[{i if j is None else j}]"
        changes += _texts(where, None if i is None else a[i], None if j is None else b[j])
    return changes


def _claim_text(claim: Claim) -> str:
    return f"{normalize_text(claim.source)}: {normalize_text(claim.quote)}"


def _claims(name: str, old: tuple[Claim, ...], new: tuple[Claim, ...]) -> list[FieldChange]:
    # A claim is its source's: align by source, so that a changed quote reads as changed.
    changes: list[FieldChange] = []
    for i, j in align([normalize_text(c.source) for c in old], [normalize_text(c.source) for c in new]):
        if i is not None and j is not None:
            changes += _texts(f"{name}[{j}].source", old[i].source, new[j].source)
            changes += _texts(f"{name}[{j}].quote", old[i].quote, new[j].quote)
        else:
            where = f"{name}[{i if j is None else j}]"
            changes += _texts(where, None if i is None else _claim_text(old[i]), None if j is None else _claim_text(new[j]))
    return changes


def _comparison_key(c: Comparison) -> str:
    return normalize_text(f"{c.topic} {c.summary} {c.why}")


def _comparisons(old: tuple[Comparison, ...], new: tuple[Comparison, ...]) -> list[FieldChange]:
    # A removed comparison is named by its topic; an added one shows every text a translator must write.
    changes: list[FieldChange] = []
    for i, j in align([_comparison_key(c) for c in old], [_comparison_key(c) for c in new]):
        if j is None:
            assert i is not None
            changes.append(FieldChange(f"comparisons[{i}]", Change.REMOVED, normalize_text(old[i].topic), None))
            continue
        before, after, name = (None if i is None else old[i]), new[j], f"comparisons[{j}]"
        changes += _texts(f"{name}.topic", before.topic if before else None, after.topic)
        changes += _texts(f"{name}.summary", before.summary if before else None, after.summary)
        changes += _claims(f"{name}.claims", before.claims if before else (), after.claims)
        changes += _texts(f"{name}.why", before.why if before else None, after.why)
    return changes


def field_changes(old: Brief | Content, new: Brief | Content) -> list[FieldChange]:
    """Every change of translatable content from ``old`` to ``new``, in the order of the brief.

    The body is compared paragraph by paragraph (``body.paragraphs[2]``).
    Fields that are not translated (``updated``, ``sources``...) are not looked at.
    """
    a = old if isinstance(old, Content) else content_of(old)
    b = new if isinstance(new, Content) else content_of(new)
    changes = _texts("title", a.title, b.title) + _texts("summary", a.summary, b.summary)
    changes += _lists("key_details", a.key_details, b.key_details)
    changes += _comparisons(a.comparisons, b.comparisons)
    changes += _lists("body.paragraphs", paragraphs(a.body), paragraphs(b.body))
    return changes


# Controls, and the marks that reorder text on screen (a diff must show what is there).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """Texts from history were never checked: a control character is shown, not sent to the terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _shorten(words: str, context: int, *, after_change: bool, before_change: bool) -> str:
    """An unchanged run of words, cut to ``context`` words beside the changes around it."""
    parts = words.split(" ")
    keep_start, keep_end = (context if after_change else 0), (context if before_change else 0)
    if context <= 0 or len(parts) <= keep_start + keep_end + 1:
        return words
    return " ".join([*parts[:keep_start], "…", *parts[len(parts) - keep_end :]]).strip()


def marked_words(change: FieldChange, context: int = 0) -> str:
    """The change as one line, words marked as ``git diff --word-diff`` marks them.

    With ``context``, unchanged runs keep that many words beside each change.

    >>> marked_words(FieldChange("title", Change.CHANGED, "Merz and Meloni sign deals", "Merz and Meloni signed deals"))
    'Merz and Meloni [-sign-]{+signed+} deals'
    """
    runs = change.words()
    out = ""
    for k, (op, text) in enumerate(runs):
        if op is WordOp.EQUAL:
            text = _shorten(text, context, after_change=k > 0, before_change=k + 1 < len(runs))
        else:
            text = f"[-{text}-]" if op is WordOp.REMOVED else f"{{+{text}+}}"
        # A replacement reads as one: [-old-]{+new+}, with no space between.
        joined = k > 0 and not (op is WordOp.ADDED and runs[k - 1][0] is WordOp.REMOVED)
        out += f" {text}" if joined else text
    return _printable(out)


def changes_text(changes: Sequence[FieldChange], context: int = 8) -> str:
    """The terminal's form: one heading line per field, its words marked on the next line."""
    if not changes:
        return "No change of the translatable content.\n"
    lines = []
    for change in changes:
        lines += [f"{change.field} ({change.change.value})", f"    {marked_words(change, context)}"]
    return "\n".join(lines) + "\n"


def changes_json(changes: Sequence[FieldChange]) -> list[dict[str, Any]]:
    """The JSON form: a list of :meth:`FieldChange.as_dict`."""
    return [change.as_dict() for change in changes]
