"""Rules of the written text: forbidden characters, and what rendering the Markdown finds."""

from __future__ import annotations

from typing import Any

from ..chars import describe_char, first_forbidden
from ..findings import Severity
from ..loading import FieldPath, Mark, field_path
from ..rendering import Problem, rendering_problems
from ..schema import BRIEF_FIELDS
from .checker import Checker

#: Problems of rendering that keep a brief from being published; the rest are warnings.
RENDER_ERRORS = {"BR020", "BR113", "BR115", "BR116"}


def written_texts(fields: dict[str, Any] | None, name: str) -> tuple[str, ...]:
    """Each item's ``text`` of a list field, in the order written ("" where there is none).

    A finding's place is the item's as written; the brief keeps corrections newest first.
    """
    value = (fields or {}).get(name)
    items = value if isinstance(value, list) else []
    return tuple(str(item["text"]) if isinstance(item, dict) and isinstance(item.get("text"), str) else "" for item in items)


class TextRules(Checker):
    """Characters no brief may hold, and the Markdown's own problems, located."""

    def forbidden_characters(self, value: Any, path: FieldPath = ()) -> None:
        """Control characters and non-characters, in any field (YAML escapes can write them)."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.forbidden_characters(str(key), (*path, key))
                self.forbidden_characters(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.forbidden_characters(item, (*path, i))
        elif isinstance(value, str) and (offset := first_forbidden(value)) is not None:
            what = f"`{field_path(path)}`" if path else "a field name"
            message = f"{what}: character {describe_char(value[offset])} is not allowed"
            self.fail("BR114", message, path, "delete it; it is invisible in most editors")

    def body_characters(self) -> bool:
        body = self.file.body
        offset = first_forbidden(body)
        if offset is None:
            return True
        message = f"the body: character {describe_char(body[offset])} is not allowed"
        self.findings.append(
            self.file.finding("BR114", message, self._body_mark(offset), suggestion="delete it; it is invisible in most editors")
        )
        return False

    def _body_mark(self, offset: int, body: str | None = None) -> Mark:
        body = self.file.body if body is None else body
        line = self.file.body_line + body.count("\n", 0, offset)
        return Mark(line, offset - body.rfind("\n", 0, offset))

    def rendering(self, data: dict[str, Any], body_ok: bool) -> None:
        """What rendering the Markdown finds: the build renders the same texts the same way."""
        whys = tuple(c.why for c in data.get("comparisons") or ())
        # The body as the build renders it: each comparison block stands there as a placeholder.
        body = self.file.split.markdown if body_ok and self.file.split.blocks else (self.file.body if body_ok else "")
        corrections = written_texts(self.file.fields, "corrections")[: BRIEF_FIELDS["corrections"].max]
        room = max(0, (BRIEF_FIELDS["comparisons"].max or 0) - len(whys))
        blocks = self.file.blocks[:room]
        block_whys = tuple(str(b["why"]) if b and isinstance(b.get("why"), str) else "" for b in blocks)
        count = len(self.file.split.blocks) if body_ok else 0
        found = rendering_problems(self.renderer, body, data.get("key_details") or (), whys, corrections, block_whys, count)
        for place, problem in found:
            self._render_finding(place, problem)

    def _render_finding(self, place: tuple[str | int, ...], problem: Problem) -> None:
        severity = Severity.ERROR if problem.code in RENDER_ERRORS else Severity.WARNING
        hint = {
            "BR113": "no headings, lists or quotes here",
            "BR115": "put the image in the brief's folder and link it by its file name",
            "BR116": "split long paragraphs and flatten nested lists",
            "BR020": "leave a blank line before and after the block, outside any HTML",
        }.get(problem.code, "write plain Markdown")
        if place == ("body",):
            # The body as it was rendered: the text of its comparison blocks is not where a body problem is.
            body = self.file.split.markdown if self.file.split.blocks else self.file.body
            offset = body.lower().find(problem.needle.lower()) if problem.needle else -1
            at = self._body_mark(offset, body) if offset >= 0 else Mark(self.file.body_line + (problem.line or 1) - 1, 1)
            message = problem.message.replace(": ", " from the body: ", 1) if problem.code == "BR501" else problem.message
            message = message if problem.code == "BR501" else f"the body: {message}"
            self.findings.append(self.file.finding(problem.code, message, at, severity=severity, suggestion=hint))
        else:
            message = f"`{field_path(place)}`: {problem.message}"
            self.findings.append(self.file.finding(problem.code, message, place, severity=severity, suggestion=hint))
