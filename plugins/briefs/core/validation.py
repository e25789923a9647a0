"""The rules of SPEC §3, one function per group, returning findings.

``check_brief`` turns a parsed :class:`~briefs.loading.BriefFile` into a
:class:`~briefs.model.Brief` (or ``None``), collecting every problem instead of
stopping at the first; ``check_pair`` holds the rules across languages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any
from urllib.parse import urlsplit

from .chars import describe_char, first_forbidden
from .findings import Finding, Severity, counted
from .i18n import language_name
from .loading import BLOCKS_PATH, START, BriefFile, FieldPath, InvalidScalar, Mark, describe, field_path
from .memory import remembered
from .model import Brief, Claim, Comparison, Correction, LeadImage, Pair, Source, TranslatedFrom, as_datetime
from .outlets import site_of
from .publishing import held_back_by, is_held
from .rendering import Problem, Renderer, rendering_problems
from .schema import (
    BRIEF_FIELDS,
    CLAIM_FIELDS,
    COMPARISON_FIELDS,
    CORRECTION_FIELDS,
    IMAGE_FIELDS,
    IMAGE_NAME,
    KEY_DETAIL_MAX,
    SOURCE_FIELDS,
    Field,
)
from .settings import Settings
from .slugs import SLUG_PATTERN, slugify
from .versions import TranslatedFromError, outdated_by, parse_translated_from

_MISSING = object()
#: Years a page URL can hold as four digits (``/en/2026/01/23/…``).
FIRST_YEAR, LAST_YEAR = 1900, 9999
#: Problems of rendering that keep a brief from being published; the rest are warnings.
_RENDER_ERRORS = {"BR020", "BR113", "BR115", "BR116"}
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


class _Checker:
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

    def kind_sources(self, value: Any, path: FieldPath, spec: Field) -> tuple[Source, ...]:
        sources: list[Source] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self._list(value, path, spec, "sources") or []):
            data = self.mapping(item, SOURCE_FIELDS, (*path, i), "a source")
            if data and data.get("name") is not None:
                self.source_names.add(data["name"])
            if not data or data.get("name") is None or data.get("url") is None:
                continue
            name = data["name"]
            if name in seen:
                self.fail(
                    "BR109",
                    f"`{field_path((*path, i, 'name'))}`: source `{name}` is declared twice (also sources[{seen[name]}])",
                    (*path, i, "name"),
                    "give each source its own name",
                )
                continue
            seen[name] = i
            sources.append(Source(name, data["url"], data.get("title"), data.get("published"), data.get("lang") or "de"))
            self.registered(name, data["url"], (*path, i))
        return tuple(sources)

    def kind_comparisons(self, value: Any, path: FieldPath, spec: Field) -> tuple[Comparison, ...]:
        comparisons = []
        for i, item in enumerate(self._list(value, path, spec, "comparisons") or []):
            data = self.mapping(item, COMPARISON_FIELDS, (*path, i), "a comparison")
            if data and all(data.get(k) is not None for k in COMPARISON_FIELDS):
                comparisons.append(Comparison(data["topic"], data["summary"], data["claims"], data["why"]))
        return tuple(comparisons)

    def body_comparisons(self, blocks: list[dict[str, Any] | None], before: int) -> Placed:
        """The body's comparison blocks, checked by the rules of ``comparisons`` (SPEC §9); ``before``: the front-matter's."""
        comparisons: Placed = []
        limit = BRIEF_FIELDS["comparisons"].max or 0
        for i, item in enumerate(blocks):
            path = (*BLOCKS_PATH, i)
            if before + i >= limit:
                self.fail("BR104", f"`{field_path(path)}`: at most {limit} comparisons in a brief, with the front-matter's", path)
                break  # the blocks after it are not checked: the brief is refused anyway
            if item is None:
                continue  # reported while loading
            data = self.mapping(item, COMPARISON_FIELDS, path, "a comparison block")
            if data and all(data.get(k) is not None for k in COMPARISON_FIELDS):
                comparison = Comparison(data["topic"], data["summary"], data["claims"], data["why"], in_body=True)
                comparisons.append((path, comparison))
        return comparisons

    def kind_claims(self, value: Any, path: FieldPath, spec: Field) -> tuple[Claim, ...] | None:
        claims = []
        for i, item in enumerate(self._list(value, path, spec, "claims") or []):
            data = self.mapping(item, CLAIM_FIELDS, (*path, i), "a claim")
            if data and data.get("source") is not None and data.get("quote") is not None:
                claims.append(Claim(data["source"], data["quote"], data.get("url"), data.get("original")))
        return tuple(claims) if len(claims) >= 2 else None

    def kind_image(self, value: Any, path: FieldPath, spec: Field) -> LeadImage | None:
        data = self.mapping(value, IMAGE_FIELDS, path, "an image")
        if not data or any(data.get(name) is None for name in ("src", "alt", "credit")):
            return None
        return LeadImage(data["src"], data["alt"], data["credit"], data.get("caption"))

    def kind_image_src(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        """A file name of the brief's folder: whether the file is there and an image is seen when loading."""
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        where = f"`{field_path(path)}`"
        if "://" in value or value.startswith(("//", "data:")):
            hint = "put the image in the brief's folder and name its file"
            self.fail("BR119", f"{where}: `{value[:80]}` is an address; a lead image is a file beside the brief", path, hint)
            return None
        if "/" in value or "\\" in value or value in {".", ".."}:
            self.fail("BR119", f"{where}: `{value[:80]}` leaves the brief's folder; name a file beside the brief", path)
            return None
        if not re.match(IMAGE_NAME, value):
            allowed = "png, jpg, jpeg, gif, webp, avif, svg"
            self.fail("BR119", f"{where}: `{value[:80]}` is not the name of an image file ({allowed})", path)
            return None
        return value

    def kind_corrections(self, value: Any, path: FieldPath, spec: Field) -> tuple[Correction, ...]:
        corrections = []
        for i, item in enumerate(self._list(value, path, spec, "corrections") or []):
            data = self.mapping(item, CORRECTION_FIELDS, (*path, i), "a correction")
            if data and data.get("date") is not None and data.get("text") is not None:
                corrections.append(Correction(data["date"], data["text"]))
        return tuple(sorted(corrections, key=lambda c: as_datetime(c.date), reverse=True))

    def claim_links(self, comparisons: Placed, sources: tuple[Source, ...]) -> None:
        """A claim's ``url`` on another site than its source's is a warning: it may quote another outlet."""
        hosts = {s.name: site_of(s.url) for s in sources}
        for at, comparison in comparisons:
            for j, claim in enumerate(comparison.claims):
                if claim.url and claim.source in hosts and site_of(claim.url) != hosts[claim.source]:
                    where = (*at, "claims", j, "url")
                    message = f"`{field_path(where)}`: on {site_of(claim.url)}, not on {hosts[claim.source]} like its source"
                    finding = self.file.finding("BR406", message, where, severity=Severity.WARNING)
                    self.findings.append(finding)

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
        corrections = _written_texts(self.file.fields, "corrections")[: BRIEF_FIELDS["corrections"].max]
        room = max(0, (BRIEF_FIELDS["comparisons"].max or 0) - len(whys))
        blocks = self.file.blocks[:room]
        block_whys = tuple(str(b["why"]) if b and isinstance(b.get("why"), str) else "" for b in blocks)
        count = len(self.file.split.blocks) if body_ok else 0
        found = rendering_problems(self.renderer, body, data.get("key_details") or (), whys, corrections, block_whys, count)
        for place, problem in found:
            self._render_finding(place, problem)

    def _render_finding(self, place: tuple[str | int, ...], problem: Problem) -> None:
        severity = Severity.ERROR if problem.code in _RENDER_ERRORS else Severity.WARNING
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

    def registered(self, name: str, url: str, path: FieldPath) -> None:
        """With an outlet registry, a source names one of its outlets, and links to that outlet's site."""
        outlets = self.settings.outlets
        if outlets is None:
            return
        outlet = outlets.get(name)
        if outlet is None:
            hint = did_you_mean(name, set(outlets)) or "add the outlet to outlets.yml"
            self.fail(
                "BR117", f"`{field_path((*path, 'name'))}`: `{name}` is not an outlet of the registry", (*path, "name"), hint
            )
            return
        site = site_of(url)
        if site != outlet.site and not site.endswith(f".{outlet.site}"):
            where = (*path, "url")
            message = f"`{field_path(where)}`: on {site}, not on {outlet.site} like {outlet.name}"
            self.findings.append(self.file.finding("BR118", message, where, severity=Severity.WARNING))

    def one_owner(self, comparisons: Placed) -> None:
        """A comparison whose claims all come from outlets of one owner compares less than it seems (a notice)."""
        outlets = self.settings.outlets
        if outlets is None:
            return
        for at, comparison in comparisons:
            owners = {outlets[c.source].owner for c in comparison.claims if c.source in outlets}
            if len(owners) == 1 and all(c.source in outlets for c in comparison.claims):
                where = (*at, "claims")
                message = f"`{field_path(where)}`: every outlet quoted here belongs to {owners.pop()}"
                hint = "compare with an outlet of another owner"
                self.findings.append(self.file.finding("BR407", message, where, severity=Severity.WARNING, suggestion=hint))

    def claim_sources(self, comparisons: Placed) -> None:
        """Each claim names a declared source, and each source speaks once per comparison."""
        declared = self.source_names
        for at, comparison in comparisons:
            used: set[str] = set()
            for j, claim in enumerate(comparison.claims):
                where = (*at, "claims", j, "source")
                if claim.source not in declared:
                    names = sorted(declared)
                    listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
                    hint = did_you_mean(claim.source, declared) or f"declared sources: {listed}"
                    self.fail("BR112", f"`{field_path(where)}`: `{claim.source}` is not a declared source", where, hint)
                elif claim.source in used:
                    self.fail(
                        "BR111",
                        f"`{field_path(where)}`: `{claim.source}` already has a claim in this comparison",
                        where,
                        "compare different sources",
                    )
                used.add(claim.source)


def _written_texts(fields: dict[str, Any] | None, name: str) -> tuple[str, ...]:
    """Each item's ``text`` of a list field, in the order written ("" where there is none).

    A finding's place is the item's as written; the brief keeps corrections newest first.
    """
    value = (fields or {}).get(name)
    items = value if isinstance(value, list) else []
    return tuple(str(item["text"]) if isinstance(item, dict) and isinstance(item.get("text"), str) else "" for item in items)


def check_brief(file: BriefFile, brief_id: str, lang: str, settings: Settings, renderer: Renderer) -> Brief | None:
    """Validate one parsed file; findings are appended to ``file.findings``."""
    if file.fields is None:
        return None
    checker = _Checker(file, settings, renderer)
    data = checker.mapping(file.fields, BRIEF_FIELDS, (), "the brief's fields") or {}
    written = data.get("comparisons") or ()
    in_body = checker.body_comparisons(file.blocks, len(written))
    blocks = tuple(comparison for _, comparison in in_body)
    placed: Placed = [(("comparisons", i), c) for i, c in enumerate(written)] + in_body
    if placed and "sources" in data:
        checker.claim_sources(placed)
        checker.claim_links(placed, data["sources"] or ())
        checker.one_owner(placed)
    slug = data.get("slug")
    if not slug and data.get("title") and "slug" not in file.fields:
        slug = slugify(data["title"])
        if not slug:
            checker.fail("BR106", "`title`: gives no URL slug (no Latin letters or digits)", ("title",), "set `slug:`")
    checker.forbidden_characters(file.fields)
    for i, block in enumerate(file.blocks):
        if block is not None:
            checker.forbidden_characters({k: v for k, v in block.items() if k not in ("topic", "why")}, (*BLOCKS_PATH, i))
    checker.rendering(data, checker.body_characters())
    file.findings += checker.findings
    if any(f.is_error for f in file.findings) or not slug:
        return None
    published = data["date"]
    return Brief(
        id=brief_id,
        lang=lang,
        path=file.path,
        display=file.display,
        title=data["title"],
        summary=data["summary"],
        date=published.date() if isinstance(published, dt.datetime) else published,
        published=published,
        slug=slug,
        key_details=data["key_details"],
        sources=data["sources"],
        body=file.body,
        body_line=file.body_line,
        updated=data.get("updated"),
        topics=data.get("topics", ()),
        comparisons=(*written, *blocks),
        draft=data.get("draft", False),
        authors=data.get("authors", ()),
        translated_from=data.get("translated_from"),
        translators=data.get("translators", ()),
        corrections=data.get("corrections", ()),
        image=data.get("image"),
    )


def check_pair(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    """Rules across the language versions of one brief folder (SPEC §3 "Pairs")."""
    findings: list[Finding] = []
    if not pair.versions:
        return findings
    for lang in settings.languages:
        if lang in pair.versions:
            continue
        here = next(iter(pair.versions.values()))
        code, severity = ("BR302", Severity.ERROR) if settings.require_pairs else ("BR401", Severity.WARNING)
        message = f"no {language_name(lang)} version of this brief yet"
        hint = f"add {lang}.md beside this file"
        findings.append(files[here.lang].finding(code, message, START, severity=severity, suggestion=hint))
    versions = list(pair.versions.values())
    first = versions[0]
    for other in versions[1:]:
        file = files[other.lang]
        if other.date != first.date:
            message = f"`date`: {other.date} differs from the {language_name(first.lang)} version's {first.date}"
            findings.append(file.finding("BR301", message, ("date",), suggestion="a pair is published on one day"))
        if {s.url for s in other.sources} != {s.url for s in first.sources}:
            message = f"sources differ from the {language_name(first.lang)} version's"
            findings.append(file.finding("BR403", message, ("sources",), severity=Severity.WARNING, key=True))
        if len(other.comparisons) != len(first.comparisons):
            counts = f"{counted(len(other.comparisons), 'comparison')} here, {len(first.comparisons)}"
            message = f"{counts} in the {language_name(first.lang)} version"
            findings.append(file.finding("BR404", message, ("comparisons",), severity=Severity.WARNING, key=True))
    outdated: set[str] = set()
    for brief in versions:
        record = brief.translated_from
        if record is not None and record.lang not in pair.versions:
            message = f"`translated_from.lang`: there is no {language_name(record.lang)} version to follow"
            findings.append(files[brief.lang].finding("BR103", message, ("translated_from", "lang")))
            continue
        if record is not None and record.lang == brief.lang:
            message = "`translated_from.lang`: a translation follows another language's version"
            findings.append(files[brief.lang].finding("BR103", message, ("translated_from", "lang")))
            continue
        newer = outdated_by(brief, pair.versions)
        if newer is None:
            continue
        outdated.add(brief.lang)
        if record is not None:
            message = f"the {language_name(newer.lang)} original changed since this translation was made"
            where: tuple[str, ...] = ("translated_from",)
            hint = f"see `briefs diff {pair.id} --lang {brief.lang}`, then `briefs translate {pair.id} --to {brief.lang} --done`"
        else:
            message = f"the {language_name(newer.lang)} version was updated after this one ({newer.last_change.date()})"
            where = ("updated",) if brief.updated else ("date",)
            hint = "bring this translation up to date and set `updated:`"
        finding = files[brief.lang].finding("BR402", message, where, severity=Severity.WARNING, suggestion=hint, key=True)
        findings.append(finding)
    findings += pair_facts(pair, files, outdated)
    findings += _held_back(pair, files, settings)
    return findings


def _held_back(pair: Pair, files: dict[str, BriefFile], settings: Settings) -> list[Finding]:
    """A translation ready to publish whose original is not: both wait (core/publishing.py), and the writer hears why."""
    findings = []
    for brief in pair.versions.values():
        original = held_back_by(brief, pair, settings)
        if original is None or is_held(brief, settings):
            continue
        name = language_name(original.lang)
        if original.draft:
            state, hint = "a draft", f"remove `draft: true` from {original.lang}.md to publish both"
        else:
            state, hint = f"scheduled for {original.published}", "both go live then"
        message = f"held back: its {name} original is {state}, so this translation is not published either"
        where = ("translated_from",)
        findings.append(files[brief.lang].finding("BR408", message, where, severity=Severity.WARNING, suggestion=hint))
    return findings


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*")
_URL = re.compile(r"https?://[^\s)\]>\"']+")


def _facts(brief: Brief) -> tuple[list[str], list[str]]:
    """Numbers written in digits and URLs in a brief's key details and claims: what a translation keeps."""
    return remembered(brief, "_facts", lambda: _find_facts(brief))


def _find_facts(brief: Brief) -> tuple[list[str], list[str]]:
    texts = [*brief.key_details, *(claim.quote for c in brief.comparisons for claim in c.claims)]
    numbers = sorted(re.sub(r"[.,:]", "", n) for text in texts for n in _NUMBER.findall(_URL.sub("", text)))
    urls = sorted(url for text in texts for url in _URL.findall(text))
    return numbers, urls


def pair_facts(pair: Pair, files: dict[str, BriefFile], outdated: set[str]) -> list[Finding]:
    """Numbers and URLs in key details and claims that differ between the languages of a pair (warnings).

    Digits are compared without their separators (``1,000`` and ``1.000`` are one number).
    An outdated translation is already reported: its facts may lag behind.
    """
    versions = [b for b in pair.versions.values() if b.lang not in outdated]
    if len(versions) < 2:
        return []
    findings: list[Finding] = []
    first_numbers, first_urls = _facts(versions[0])
    for other in versions[1:]:
        numbers, urls = _facts(other)
        name = language_name(versions[0].lang)
        if numbers != first_numbers:
            missing = sorted(set(first_numbers) ^ set(numbers))[:3]
            message = f"numbers in key details and claims differ from the {name} version's ({', '.join(missing) or 'counts'})"
            findings.append(files[other.lang].finding("BR405", message, ("key_details",), severity=Severity.WARNING, key=True))
        if urls != first_urls:
            message = f"links in key details and claims differ from the {name} version's"
            findings.append(files[other.lang].finding("BR405", message, ("key_details",), severity=Severity.WARNING, key=True))
    return findings
