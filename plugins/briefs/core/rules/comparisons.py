"""Rules of source comparisons, in the front-matter and as blocks in the body: claims, their sources and links, owners."""

from __future__ import annotations

from typing import Any

from ..findings import Severity
from ..loading import BLOCKS_PATH, FieldPath, field_path
from ..model import Claim, Comparison, Source
from ..outlets import site_of
from ..schema import BRIEF_FIELDS, CLAIM_FIELDS, COMPARISON_FIELDS, Field
from .checker import Checker, Placed, did_you_mean


class ComparisonRules(Checker):
    """Comparisons and their claims, wherever they are written."""

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
