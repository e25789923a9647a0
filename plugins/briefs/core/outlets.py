"""The outlet registry (SPEC §9): who each source is, who owns it, what kind of outlet it is.

``outlets.yml`` beside ``mkdocs.yml`` maps an outlet key (the ``name`` that briefs
give their sources) to ``{name, url, owner, kind, lang}``. With a registry, a
source must name one of its outlets, so that one outlet is one outlet across
every brief, and a comparison can tell that its claims all come from one owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .findings import Finding, Severity
from .loading import BriefFile, Positions, parse_document

KINDS = ("public-broadcaster", "newspaper", "magazine", "agency", "online")
FIELDS = ("name", "url", "owner", "kind", "lang")


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    url: str
    owner: str
    kind: str
    lang: str

    @property
    def site(self) -> str:
        return site_of(self.url)


def site_of(url: str) -> str:
    """A URL's site: its host without ``www.``.

    >>> site_of("https://www.tagesschau.de/a.html"), site_of("https://br.de/b")
    ('tagesschau.de', 'br.de')
    """
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def load_outlets(path: Path, display: str) -> tuple[dict[str, Outlet], list[Finding]]:
    """The registry in ``path``, and every problem with it, located (the file is as untrusted as a brief)."""
    # Read as a brief's front-matter is read: the same limits, and every value's place.
    file = BriefFile(path, display, None, Positions())
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Finding(display, 1, 1, Severity.ERROR, "BR120", f"cannot read the outlet registry ({exc})")]
    parse_document(file, f"---\n{text}\n---\n")
    if file.findings:
        return {}, [_shifted(f) for f in file.findings]
    outlets: dict[str, Outlet] = {}
    findings: list[Finding] = []
    for key, entry in (file.fields or {}).items():
        problem = _problem(entry)
        if problem is not None:
            line, column = file.positions.of((key, *problem[0]))
            findings.append(Finding(display, line - 1, column, Severity.ERROR, "BR120", f"`{key}`: {problem[1]}"))
            continue
        outlets[str(key)] = Outlet(str(key), *(str(entry[name]).strip() for name in FIELDS))
    return outlets, findings


def _shifted(finding: Finding) -> Finding:
    """A finding of the registry read as front-matter, at its line in the file (one ``---`` above)."""
    line = max(finding.line - 1, 1)
    return Finding(finding.path, line, finding.column, finding.severity, "BR120", finding.message, finding.suggestion)


def _problem(entry: Any) -> tuple[tuple[str, ...], str] | None:
    if not isinstance(entry, dict):
        return (), "expected {name, url, owner, kind, lang}"
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if unknown:
        return (unknown[0],), f"unknown field `{unknown[0]}` (fields: {', '.join(FIELDS)})"
    for name in FIELDS:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            return (name,), f"`{name}` is required, as text"
    if entry["kind"] not in KINDS:
        return ("kind",), f"`kind` is one of {', '.join(KINDS)}"
    if urlsplit(entry["url"]).scheme not in {"http", "https"} or not site_of(entry["url"]):
        return ("url",), "`url` is an absolute http(s) URL"
    return None
