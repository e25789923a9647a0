"""Rules of trust (SPEC §9): sources and the outlet registry, corrections."""

from __future__ import annotations

from typing import Any

from ..findings import Severity
from ..loading import FieldPath, field_path
from ..model import Correction, Source, as_datetime
from ..outlets import site_of
from ..schema import CORRECTION_FIELDS, SOURCE_FIELDS, Field
from .checker import Checker, did_you_mean


class TrustRules(Checker):
    """Sources, each outlet against the registry, and corrections."""

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

    def kind_corrections(self, value: Any, path: FieldPath, spec: Field) -> tuple[Correction, ...]:
        corrections = []
        for i, item in enumerate(self._list(value, path, spec, "corrections") or []):
            data = self.mapping(item, CORRECTION_FIELDS, (*path, i), "a correction")
            if data and data.get("date") is not None and data.get("text") is not None:
                corrections.append(Correction(data["date"], data["text"]))
        return tuple(sorted(corrections, key=lambda c: as_datetime(c.date), reverse=True))
