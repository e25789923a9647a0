"""Rules for one value: a line, a text, a date, a slug, a URL, a language, lists of texts, topics, translated_from."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from ..loading import FieldPath, describe, field_path
from ..model import TranslatedFrom
from ..schema import KEY_DETAIL_MAX, Field
from ..slugs import SLUG_PATTERN, slugify
from ..versions import TranslatedFromError, parse_translated_from
from .checker import FIRST_YEAR, LAST_YEAR, Checker, did_you_mean


class ValueRules(Checker):
    """One value by its kind; each method records findings and returns the clean value (or None)."""

    def kind_line(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        if "\n" in value.strip():
            self.fail("BR104", f"`{field_path(path)}`: must be one line", path, "remove the line break")
        self._length(value, path, spec)
        return value.strip()

    def kind_text(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        self._length(value, path, spec)
        return value.strip()

    def kind_bool(self, value: Any, path: FieldPath, spec: Field) -> bool:
        hint = "write true or false without quotes" if isinstance(value, str) else None
        if not isinstance(value, bool):
            self.fail("BR103", f"`{field_path(path)}`: expected true or false, found {describe(value)}", path, hint)
            return False
        return value

    def kind_date(self, value: Any, path: FieldPath, spec: Field) -> dt.date | dt.datetime | None:
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
            except ValueError:
                self.fail("BR105", f"`{field_path(path)}`: {value!r} is not a date", path, "write YYYY-MM-DD")
                return None
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            message = f"`{field_path(path)}`: {value.isoformat()} is out of range ({FIRST_YEAR} to {LAST_YEAR})"
            self.fail("BR105", message, path, "write the real date as YYYY-MM-DD")
            return None
        if isinstance(value, dt.datetime):
            offset = value.utcoffset()
            if offset is None:
                self.fail("BR105", f"`{field_path(path)}`: a time needs a UTC offset", path, "add one, e.g. +01:00")
                return None
            if offset.seconds % 60 or offset.microseconds:
                self.fail("BR105", f"`{field_path(path)}`: a UTC offset is whole minutes", path, "write it as +01:00")
                return None
            return value
        if isinstance(value, dt.date):
            return value
        self.fail("BR103", f"`{field_path(path)}`: expected a date (YYYY-MM-DD), found {describe(value)}", path)
        return None

    def kind_slug(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        if not SLUG_PATTERN.match(value) or len(value) > 80:
            hint = f"e.g. `{slugify(value)}`" if slugify(value) else None
            self.fail("BR106", f"`{field_path(path)}`: expected lower-case words joined by `-`, found {value!r}", path, hint)
            return None
        return value

    def kind_url(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            self.fail(
                "BR108",
                f"`{field_path(path)}`: expected an absolute http(s) URL, found {value!r}",
                path,
                "write the full address, starting with https://",
            )
            return None
        return value.strip()

    def kind_lang(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        if not value.isascii() or not value.replace("-", "").isalnum() or not 2 <= len(value.split("-")[0]) <= 3:
            self.fail("BR103", f"`{field_path(path)}`: expected a language code such as `de`, found {value!r}", path)
            return None
        return value

    def kind_string_list(self, value: Any, path: FieldPath, spec: Field) -> tuple[str, ...]:
        items = self._list(value, path, spec, "names") or []
        line = Field("line", True, 1, 200)
        return tuple(v for i, item in enumerate(items) if (v := self.kind_line(item, (*path, i), line)))

    def kind_translated_from(self, value: Any, path: FieldPath, spec: Field) -> TranslatedFrom | None:
        try:
            record = parse_translated_from(value, field_path(path))
        except TranslatedFromError as exc:
            where = tuple(int(p) if p.isdigit() else p for p in exc.field.split(".")) if exc.field else path
            self.fail("BR103", str(exc), where, exc.suggestion)
            return None
        if record.lang not in self.settings.languages:
            known = ", ".join(self.settings.languages)
            self.fail("BR103", f"`{field_path((*path, 'lang'))}`: `{record.lang}` is not a configured language ({known})", path)
            return None
        return record

    def kind_topics(self, value: Any, path: FieldPath, spec: Field) -> tuple[str, ...]:
        topics = []
        for i, item in enumerate(self._list(value, path, spec, "topic keys") or []):
            if not self._type(item, (*path, i), "a topic key", isinstance(item, str)):
                continue
            if item not in self.settings.topics:
                hint = did_you_mean(item, set(self.settings.topics)) or f"known topics: {', '.join(sorted(self.settings.topics))}"
                self.fail("BR107", f"`{field_path((*path, i))}`: unknown topic `{item}`", (*path, i), hint)
            elif item not in topics:
                topics.append(item)
        return tuple(topics)

    def kind_inline_list(self, value: Any, path: FieldPath, spec: Field) -> tuple[str, ...]:
        details = []
        item_spec = Field("line", True, 1, KEY_DETAIL_MAX)
        for i, item in enumerate(self._list(value, path, spec, "items") or []):
            text = self.kind_line(item, (*path, i), item_spec)
            if text is not None:
                details.append(text)
        return tuple(details)
