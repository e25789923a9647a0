"""The front-matter format, declared once: validation and the JSON Schema read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .settings import Settings
from .slugs import SLUG_PATTERN


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False
    min: int | None = None
    max: int | None = None
    description: str = ""


#: Top-level fields of a brief, in the order the scaffold writes them.
BRIEF_FIELDS: dict[str, Field] = {
    "title": Field("line", True, 1, 200, "Headline, plain text on one line."),
    "summary": Field("text", True, 1, 400, "The lead: meta description and feed summary."),
    "date": Field("date", True, description="Publication date, YYYY-MM-DD or ISO datetime with offset."),
    "updated": Field("date", description="Last substantive change; marks the other language outdated."),
    "slug": Field("slug", description="URL slug; derived from the title when absent."),
    "topics": Field("topics", description="Topic keys of the site's vocabulary."),
    "key_details": Field("inline_list", True, 1, 12, "One line of inline Markdown each."),
    "sources": Field("sources", True, 1, 50, "The outlets this brief is based on."),
    "comparisons": Field("comparisons", False, 0, 20, "Where the sources disagree, and why it matters."),
    "draft": Field("bool", description="Drafts appear only in preview builds."),
    "authors": Field("string_list", False, 0, 20, "Who wrote the brief."),
    "translated_from": Field("translated_from", description="On a translation: {lang, version} of the original it follows."),
    "translators": Field("string_list", False, 0, 20, "Who translated the brief."),
    "corrections": Field("corrections", False, 0, 50, "What was wrong and what was corrected, each {date, text}."),
    "image": Field("image", description="The lead image: {src, alt, caption?, credit}, a file of the brief's folder."),
}
SOURCE_FIELDS: dict[str, Field] = {
    "name": Field("line", True, 1, 100, "Outlet name, unique within the brief."),
    "url": Field("url", True, description="Absolute http(s) URL of the article."),
    "title": Field("line", False, 1, 300, "Headline of the article."),
    "published": Field("date", description="When the article was published."),
    "lang": Field("lang", description="Language of the article; default de."),
}
COMPARISON_FIELDS: dict[str, Field] = {
    "topic": Field("line", True, 1, 200, "What the sources disagree about."),
    "summary": Field("text", True, 1, 400, "The disagreement in one sentence."),
    "claims": Field("claims", True, 2, 10, "What each source says, quoted."),
    "why": Field("text", True, 1, 2000, "Why the difference matters (inline Markdown)."),
}
CLAIM_FIELDS: dict[str, Field] = {
    "source": Field("line", True, 1, 100, "The `name` of one of the brief's sources."),
    "quote": Field("text", True, 1, 1000, "The source's words."),
    "url": Field("url", description="The exact article the claim quotes."),
    "original": Field("text", False, 1, 1000, "The claim verbatim in the outlet's language."),
}
CORRECTION_FIELDS: dict[str, Field] = {
    "date": Field("date", True, description="When the correction was made."),
    "text": Field("text", True, 1, 1000, "What was wrong and what is correct (inline Markdown)."),
}
IMAGE_FIELDS: dict[str, Field] = {
    "src": Field("image_src", True, description="The image's file name in the brief's folder (no URL, no folder)."),
    "alt": Field("line", True, 1, 250, "What the image shows, for readers who cannot see it (plain text)."),
    "caption": Field("text", False, 1, 500, "The caption under the image (inline Markdown)."),
    "credit": Field("line", True, 1, 200, "Who made it and under which licence, e.g. `Foto: dpa` or `CC BY 4.0 Jane Doe`."),
}
#: The file names a lead image may have (SPEC §7, §11).
IMAGE_NAME = (
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\.([Pp][Nn][Gg]|[Jj][Pp][Ee]?[Gg]|[Gg][Ii][Ff]|[Ww][Ee][Bb][Pp]|[Aa][Vv][Ii][Ff]|[Ss][Vv][Gg])$"
)
KEY_DETAIL_MAX = 500

_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}))?$"


def json_schema(settings: Settings) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) editors use to complete and check front-matter."""

    def obj(fields: dict[str, Field], defs: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [name for name, f in fields.items() if f.required],
            "properties": {name: _property(f, defs) for name, f in fields.items()},
        }

    defs: dict[str, Any] = {
        "topic": {"enum": sorted(settings.topics)},
        "lang": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
    }
    defs["claim"] = obj(CLAIM_FIELDS, defs)
    defs["correction"] = obj(CORRECTION_FIELDS, defs)
    defs["source"] = obj(SOURCE_FIELDS, defs)
    defs["comparison"] = obj(COMPARISON_FIELDS, defs)
    defs["image"] = obj(IMAGE_FIELDS, defs)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://briefs.example.org/schema/brief.schema.json",
        "title": "Briefs front-matter",
        "description": "Front-matter of a brief file (en.md, de.md) in briefs/.",
        **obj(BRIEF_FIELDS, defs),
        "$defs": defs,
    }
    return schema


def _property(f: Field, defs: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any]
    if f.kind in {"line", "text"}:
        prop = {"type": "string", "minLength": f.min or 1}
        if f.max:
            prop["maxLength"] = f.max
        if f.kind == "line":
            prop["pattern"] = "^[^\\n]*$"
    elif f.kind == "date":
        prop = {"type": "string", "pattern": _DATE_PATTERN}
    elif f.kind == "slug":
        prop = {"type": "string", "pattern": SLUG_PATTERN.pattern, "maxLength": 80}
    elif f.kind == "url":
        prop = {"type": "string", "format": "uri", "pattern": "^https?://"}
    elif f.kind == "lang":
        prop = {"$ref": "#/$defs/lang"}
    elif f.kind == "bool":
        prop = {"type": "boolean", "default": False}
    elif f.kind == "topics":
        prop = {"type": "array", "items": {"$ref": "#/$defs/topic"}, "uniqueItems": True}
    elif f.kind == "string_list":
        prop = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200}, "maxItems": f.max}
    elif f.kind == "translated_from":
        version = {"type": "string", "pattern": "^[0-9a-f]{12}$", "description": "12 hex digits: briefs translate --done"}
        prop = {
            "type": "object",
            "properties": {"lang": {"type": "string", "pattern": "^[a-z]{2,3}$"}, "version": version},
            "required": ["lang", "version"],
            "additionalProperties": False,
        }
    elif f.kind == "image":
        prop = {"$ref": "#/$defs/image"}
    elif f.kind == "image_src":
        prop = {"type": "string", "pattern": IMAGE_NAME}
    elif f.kind == "inline_list":
        item = {"type": "string", "minLength": 1, "maxLength": KEY_DETAIL_MAX, "pattern": "^[^\\n]*$"}
        prop = {"type": "array", "items": item, "minItems": f.min, "maxItems": f.max}
    elif f.kind in {"sources", "comparisons", "claims", "corrections"}:
        ref = {"sources": "source", "comparisons": "comparison", "claims": "claim", "corrections": "correction"}[f.kind]
        prop = {"type": "array", "items": {"$ref": f"#/$defs/{ref}"}}
        if f.min:
            prop["minItems"] = f.min
    else:  # pragma: no cover - a new kind must be added above
        raise ValueError(f.kind)
    if f.description:
        prop["description"] = f.description
    return prop


def outlets_schema() -> dict[str, Any]:
    """The JSON Schema of ``outlets.yml``, for editors."""
    from .outlets import KINDS

    outlet = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "The outlet's name as readers know it."},
            "url": {"type": "string", "pattern": "^https?://", "description": "Its home page: sources link to this site."},
            "owner": {"type": "string", "minLength": 1, "description": "Who owns it: comparisons of one owner are flagged."},
            "kind": {"enum": list(KINDS)},
            "lang": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "The language it publishes in."},
        },
        "required": ["name", "url", "owner", "kind", "lang"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Briefs outlet registry",
        "description": "outlets.yml: each key is the `name` briefs give a source.",
        "type": "object",
        "additionalProperties": outlet,
    }
