"""The checker every rule group extends: findings, mappings of fields by their kinds, lists."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from ..findings import Finding, counted
from ..loading import BriefFile, FieldPath, InvalidScalar, describe, field_path
from ..model import Comparison
from ..rendering import Renderer
from ..schema import Field
from ..settings import Settings

_MISSING = object()
#: Years a page URL can hold as four digits (``/en/2026/01/23/…``).
FIRST_YEAR, LAST_YEAR = 1900, 9999
#: Comparisons with the field path each was written at: ``("comparisons", 0)`` or ``("body", "comparisons", 0)``.
Placed = list[tuple[FieldPath, Comparison]]


def did_you_mean(word: str, choices: list[str] | set[str]) -> str | None:
    """A suggestion for a near miss.

    >>> did_you_mean("key_detail", ["key_details", "title"])
    'did you mean `key_details`?'
    """
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    # Short names typed without their domain ("br" for "br.de") are near misses too.
    match = match or sorted(c for c in choices if len(word) >= 2 and c.startswith(word))[:1]
    return f"did you mean `{match[0]}`?" if match else None


class Checker:
    """Checks one file's fields; every method records findings and returns a clean value."""

    def __init__(self, file: BriefFile, settings: Settings, renderer: Renderer) -> None:
        self.file = file
        self.settings = settings
        self.renderer = renderer
        self.findings: list[Finding] = []
        #: Names of declared sources, even those with another mistake, so that
        #: one bad URL does not also make every claim of that source an error.
        self.source_names: set[str] = set()

    def fail(self, code: str, message: str, path: FieldPath, hint: str | None = None, key: bool = False) -> None:
        self.findings.append(self.file.finding(code, message, path, suggestion=hint, key=key))

    def mapping(self, data: Any, fields: dict[str, Field], path: FieldPath, what: str) -> dict[str, Any] | None:
        """Unknown and missing fields of a mapping, then each field by its kind."""
        if not isinstance(data, dict):
            if not isinstance(data, InvalidScalar):
                self.fail("BR103", f"`{field_path(path)}`: expected a mapping ({what}), found {describe(data)}", path)
            return None
        for name in data:
            if name not in fields:
                where = f"`{field_path((*path, name))}`" if path else f"`{name}`"
                hint = did_you_mean(str(name), set(fields)) or f"allowed fields: {', '.join(fields)}"
                self.fail("BR101", f"unknown field {where}", (*path, name), hint, key=True)
        clean: dict[str, Any] = {}
        for name, spec in fields.items():
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if spec.required:
                    where = f"`{field_path((*path, name))}`" if path else f"`{name}`"
                    self.fail("BR102", f"required field {where} is missing", path, f"add `{name}:`")
                continue
            if isinstance(value, InvalidScalar):
                continue  # reported while loading
            clean[name] = getattr(self, f"kind_{spec.kind}")(value, (*path, name), spec)
        return clean

    def _type(self, value: Any, path: FieldPath, expected: str, ok: bool) -> bool:
        if ok:
            return True
        hint = None
        if expected == "text" and isinstance(value, bool | int | float | dt.date | list):
            hint = "quote the value"
        self.fail("BR103", f"`{field_path(path)}`: expected {expected}, found {describe(value)}", path, hint)
        return False

    def _length(self, value: str, path: FieldPath, spec: Field) -> None:
        low, high = spec.min or 0, spec.max
        if len(value.strip()) < low:
            self.fail("BR104", f"`{field_path(path)}`: must not be empty", path)
        elif high is not None and len(value) > high:
            self.fail("BR104", f"`{field_path(path)}`: at most {high} characters, found {len(value)}", path)

    def _list(self, value: Any, path: FieldPath, spec: Field, what: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.fail(
                "BR103",
                f"`{field_path(path)}`: expected a list of {what}, found {describe(value)}",
                path,
                "start each item with `- `",
            )
            return None
        count = len(value)
        if spec.min is not None and count < spec.min:
            code = "BR110" if spec.kind == "claims" else "BR104"
            self.fail(code, f"`{field_path(path)}`: expected at least {counted(spec.min, what[:-1])}, found {count}", path)
        if spec.max is not None and count > spec.max:
            self.fail("BR104", f"`{field_path(path)}`: expected {spec.min} to {spec.max} {what}, found {count}", path)
            return value[: spec.max]  # the rest is not checked: the list is refused anyway, and checks take time
        return value
