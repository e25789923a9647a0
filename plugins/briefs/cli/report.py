"""``briefs report --base REF``: what a pull request changes, for its comment.

The briefs folder at ``REF`` is read straight from git (``git archive``) into
a temporary folder and loaded with the same core as the working tree, so the
report compares briefs, not lines.

Everything in a brief is untrusted (SPEC §7), and the Markdown report is
posted by the repository's bot: every value from a brief or a file name is
escaped (:mod:`briefs.gfm`) and the whole report is size-limited.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..core.corpus import Corpus, load_corpus
from ..core.findings import Finding, counted
from ..core.model import Brief, Pair
from ..core.publishing import goes_live, held_back_by, is_scheduled
from ..core.settings import Settings
from ..desk.fielddiff import FieldChange, changes_json, changes_text, field_changes
from .gfm import code_span, escape_text, fence, one_line

Key = tuple[str, str]  # (brief id, language)

#: GitHub refuses a comment over 65,536 characters; the comment workflow adds its marker.
MAX_REPORT_CHARS = 60_000


class ReportError(Exception):
    pass


@dataclass
class BriefChange:
    id: str
    lang: str
    status: str  # added, changed, removed
    title: str
    page: str | None
    path: str
    fields: list[str] = field(default_factory=list)
    #: What a production build does with this version now: published, draft, scheduled …, held back ….
    state: str = ""
    #: For an added version: its sources, outlets, comparisons and key details, in a line.
    editorial: str = ""


@dataclass
class Report:
    base: str
    changes: list[BriefChange]
    outdated: list[Finding]
    findings: list[Finding]
    #: For each translation this change makes outdated: what changed in its original, field by field.
    original_changes: dict[str, list[FieldChange]] = field(default_factory=dict)
    #: Translations that were outdated before this change and are up to date after it.
    caught_up: list[str] = field(default_factory=list)
    #: Published briefs whose claims, key details or numbers changed without a new correction.
    uncorrected: list[str] = field(default_factory=list)
    #: ``(severity, message)`` about how the changed pairs publish: half a pair, a translation first.
    publishing: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "changes": [vars(c) for c in self.changes],
            "outdated": [f.as_dict() for f in self.outdated],
            "findings": [f.as_dict() for f in self.findings],
            "original_changes": {path: changes_json(found) for path, found in self.original_changes.items()},
            "caught_up": self.caught_up,
            "uncorrected": self.uncorrected,
            "publishing": [{"severity": severity, "message": message} for severity, message in self.publishing],
        }


def _git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    if result.returncode != 0:
        raise ReportError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return result.stdout


def load_base(settings: Settings, ref: str, into: Path) -> Corpus:
    """The briefs as they were at ``ref``."""
    if ref.startswith("-"):
        raise ReportError(f"not a git ref: {ref}")  # git would read it as an option
    top = Path(_git(settings.root, "rev-parse", "--show-toplevel").decode().strip())
    _git(top, "rev-parse", "--verify", f"{ref}^{{commit}}")
    # The folder's parent is resolved, not the folder: a briefs/ that is a symbolic
    # link is the head's finding (BR207), never a path to follow.
    briefs = settings.briefs_dir.absolute()
    try:
        relative = (briefs.parent.resolve() / briefs.name).relative_to(top).as_posix()
    except ValueError:
        raise ReportError(f"{settings.briefs_dir} is not inside the repository {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", ref, "--", relative)
    folder = into / relative
    folder.mkdir(parents=True, exist_ok=True)
    if listing:
        extract_regular_files(_git(top, "archive", "--format=tar", ref, "--", relative), into)
    base_settings = Settings(**{**vars(settings), "briefs_dir": folder, "root": into})
    return load_corpus(base_settings)


def extract_regular_files(archive: bytes, into: Path) -> list[str]:
    """Extract the folders and regular files of a tar archive into ``into``; return the names left out.

    The base tree is untrusted too: a symlink in it (to ``/etc/passwd``, to
    ``../../..``) is never created, so loading the base reads nothing outside
    ``into`` (SPEC §7: a symlink is never followed). Links, devices and FIFOs
    are skipped by type; ``filter="data"`` also refuses absolute names, ``..``
    and unsafe modes, and what it refuses is skipped, never a traceback.
    """
    skipped = []
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            if not (member.isreg() or member.isdir()):
                skipped.append(member.name)
                continue
            try:
                tar.extract(member, into, filter="data")
            except tarfile.FilterError:
                skipped.append(member.name)
    return skipped


def _versions(corpus: Corpus) -> dict[Key, Brief]:
    return {(b.id, b.lang): b for b in corpus.briefs(include_drafts=True)}


def _texts(corpus: Corpus) -> dict[Key, tuple[str, bytes]]:
    out = {}
    for file in corpus.files:
        out[(file.path.parent.name, file.path.stem)] = (file.display, file.path.read_bytes())
    return out


def changed_fields(old: Brief, new: Brief) -> list[str]:
    """Human words for what changed between two versions of one language file."""
    notes = []
    for name in ("title", "summary", "date", "updated", "slug", "draft"):
        if getattr(old, name) != getattr(new, name):
            notes.append(name)
    if old.topics != new.topics:
        notes.append("topics")
    added = [d for d in new.key_details if d not in old.key_details]
    removed = [d for d in old.key_details if d not in new.key_details]
    if added:
        notes.append(f"key details added ({len(added)})")
    if removed:
        notes.append(f"key details removed ({len(removed)})")
    if old.comparisons != new.comparisons:
        notes.append(f"comparisons ({len(old.comparisons)} → {len(new.comparisons)})")
    if old.sources != new.sources:
        before, after = {s.url for s in old.sources}, {s.url for s in new.sources}
        notes.append(f"sources (+{len(after - before)} −{len(before - after)})")
    if old.body != new.body:
        notes.append("body")
    return notes


def publication_state(brief: Brief, pair: Pair, settings: Settings) -> str:
    """What a production build does with ``brief``, in the reviewer's words."""
    original = held_back_by(brief, pair, settings)
    if brief.draft:
        return "draft"
    if is_scheduled(brief, settings):
        return f"scheduled for {brief.published.isoformat()}"
    if original is not None:
        return f"held back: its original ({original.lang}) is {'a draft' if original.draft else 'scheduled'}"
    return "published"


def editorial_line(brief: Brief, settings: Settings) -> str:
    """An added version's substance: sources and their outlets, comparisons, key details."""
    registry = settings.outlets or {}
    outlets = sorted({registry[s.name].name if s.name in registry else s.name for s in brief.sources})
    owners = sorted({registry[s.name].owner for s in brief.sources if s.name in registry})
    parts = [
        f"{counted(len(brief.sources), 'source')} ({', '.join(s.name for s in brief.sources)})",
        f"outlets: {', '.join(outlets)}" + (f" (owners: {', '.join(owners)})" if owners else ""),
    ]
    if brief.comparisons:
        topics = "; ".join(f"“{c.topic}”" for c in brief.comparisons)
        parts.append(f"{counted(len(brief.comparisons), 'comparison')}: {topics}")
    else:
        parts.append("no comparison")
    parts.append(counted(len(brief.key_details), "key detail"))
    return "; ".join(parts)


def pair_publishing(pair: Pair, settings: Settings) -> list[tuple[str, str]]:
    """Half a pair that would go live (or is held back) and translations that go live before their original."""
    found = []
    zone = ZoneInfo(settings.timezone)
    for brief in pair.versions.values():
        record = brief.translated_from
        original_lang = record.lang if record else settings.default_language
        original = pair.versions.get(original_lang)
        if original is None or original is brief or goes_live(original, pair, settings):
            continue
        name = f"{pair.id}/{brief.lang}.md"
        state = "a draft" if original.draft else "scheduled"
        if held_back_by(brief, pair, settings) is not None and not brief.draft and not is_scheduled(brief, settings):
            message = f"{name} is ready to publish, but its original {original.lang}.md is {state}: neither goes live"
            found.append(("error", f"{message}; publish both (remove `draft` from {original.lang}.md) or keep both drafts"))
        elif not brief.draft and (original.draft or brief.goes_live(zone) < original.goes_live(zone)):
            message = f"{name} goes live before its original {original.lang}.md, which is {state}"
            found.append(("warning", f"{message}; set `translated_from` so that it waits for its original"))
    return found


def build_report_data(settings: Settings, base: str) -> Report:
    current = load_corpus(settings)
    with tempfile.TemporaryDirectory() as tmp:
        before = load_base(settings, base, Path(tmp))
        old_texts = _texts(before)
        old_versions = _versions(before)
        old_outdated = {(Path(f.path).parent.name, Path(f.path).stem) for f in before.findings if f.code == "BR402"}
    new_texts, new_versions = _texts(current), _versions(current)
    pairs = {pair.id: pair for pair in current.pairs}
    changes: list[BriefChange] = []
    touched: set[str] = set()
    for key in sorted(set(old_texts) | set(new_texts)):
        brief_id, lang = key
        if key not in old_texts:
            status = "added"
        elif key not in new_texts:
            status = "removed"
        elif old_texts[key][1] != new_texts[key][1]:
            status = "changed"
        else:
            continue
        version = new_versions.get(key) or old_versions.get(key)
        path = (new_texts.get(key) or old_texts[key])[0]
        change = BriefChange(
            brief_id, lang, status, version.title if version else brief_id, version.url if version else None, path
        )
        if status == "changed" and key in old_versions and key in new_versions:
            change.fields = changed_fields(old_versions[key], new_versions[key])
        if key in new_versions and brief_id in pairs:
            change.state = publication_state(new_versions[key], pairs[brief_id], settings)
            if status == "added":
                change.editorial = editorial_line(new_versions[key], settings)
        changes.append(change)
        if status != "removed":
            touched.add(path)
    now_outdated = {(Path(f.path).parent.name, Path(f.path).stem) for f in current.findings if f.code == "BR402"}
    outdated = [
        f for f in current.findings if f.code == "BR402" and (Path(f.path).parent.name, Path(f.path).stem) not in old_outdated
    ]
    report = Report(base, changes, outdated, [f for f in current.findings if f.path in touched])
    for brief_id in sorted({c.id for c in changes if c.id in pairs}):
        report.publishing += pair_publishing(pairs[brief_id], settings)
    for finding in outdated:
        key = (Path(finding.path).parent.name, Path(finding.path).stem)
        record = new_versions[key].translated_from if key in new_versions else None
        original = (key[0], record.lang) if record else None
        if original and original in old_versions and original in new_versions:
            report.original_changes[finding.path] = field_changes(old_versions[original], new_versions[original])
    report.uncorrected = sorted(
        new_texts[key][0]
        for key in set(old_versions) & set(new_versions)
        if needs_correction(old_versions[key], new_versions[key])
    )
    report.caught_up = sorted(
        new_texts[key][0] for key in old_outdated - now_outdated if key in new_texts and key in new_versions
    )
    return report


def needs_correction(old: Brief, new: Brief) -> bool:
    """A published brief whose facts changed (claims, key details, numbers) owes its readers a correction entry."""
    if old.draft:
        return False
    facts = [key_details_and_claims(b) for b in (old, new)]
    return facts[0] != facts[1] and len(new.corrections) <= len(old.corrections)


def key_details_and_claims(brief: Brief) -> tuple[tuple[str, ...], tuple[str, ...]]:
    claims = tuple(f"{claim.source}: {claim.quote}" for c in brief.comparisons for claim in c.claims)
    return brief.key_details, claims


def _page_cell(change: BriefChange, preview_url: str | None) -> str:
    if not change.page:
        return "–"
    path = code_span(f"/{change.page}", in_table=True)
    if preview_url and change.status != "removed":
        return f"[{path}]({preview_url.rstrip('/')}/{quote(change.page, safe='/')})"
    return path


def _change_row(change: BriefChange, preview_url: str | None) -> str:
    what = ", ".join(change.fields) if change.fields else ("new" if change.status == "added" else "–")
    brief = f"{escape_text(change.title)} ({code_span(change.id, in_table=True)})"
    state = escape_text(change.state) if change.state else "–"
    return f"| {brief} | {escape_text(change.lang)} | {state} | {_page_cell(change, preview_url)} | {escape_text(what)} |"


def _findings_block(findings: list[Finding]) -> list[str]:
    """The findings as compilers print them, in a fence that no finding can close."""
    body = [one_line(f.format()) for f in findings]
    mark = fence(body)
    return [f"{mark}text", *body, mark]


def render_markdown(report: Report, preview_url: str | None = None, *, limit: int = MAX_REPORT_CHARS) -> str:
    """The report as GitHub-flavoured Markdown for the pull-request comment, at most ``limit`` characters."""
    lines = [f"## Briefs changed since {code_span(report.base)}", ""]
    if not report.changes:
        lines += ["No brief changed.", ""]
    for status in ("added", "changed", "removed"):
        group = [c for c in report.changes if c.status == status]
        if not group:
            continue
        lines += [
            f"### {status.capitalize()} ({len(group)})",
            "",
            "| brief | lang | state | page | what changed |",
            "| --- | --- | --- | --- | --- |",
            *(_change_row(change, preview_url) for change in group),
            "",
        ]
        added = [c for c in group if c.editorial]
        if added:
            lines += [f"- {code_span(c.id)} ({escape_text(c.lang)}): {escape_text(c.editorial)}" for c in added]
            lines.append("")
    if report.publishing:
        lines += ["### Publishing", ""]
        lines += [f"- **{severity}**: {escape_text(message)}" for severity, message in report.publishing]
        lines.append("")
    if report.outdated:
        lines += ["### Translations now outdated", ""]
        for finding in report.outdated:
            lines.append(f"- {code_span(finding.path)}: {escape_text(finding.message)}")
            changed = report.original_changes.get(finding.path)
            if changed:
                body = changes_text(changed).rstrip("\n").split("\n")
                mark = fence(body)
                lines += ["", f"  {mark}diff", *(f"  {line}" for line in body), f"  {mark}"]
        lines.append("")
    if report.uncorrected:
        lines += ["### Published briefs whose facts changed without a correction", ""]
        lines += [f"- {code_span(path)}: add an entry to `corrections` saying what was wrong" for path in report.uncorrected]
        lines.append("")
    if report.caught_up:
        lines += ["### Translations brought up to date", ""]
        lines += [f"- {code_span(path)}" for path in report.caught_up]
        lines.append("")
    errors = sum(f.is_error for f in report.findings)
    lines += [f"### Findings in changed files ({errors} errors, {len(report.findings) - errors} other)", ""]
    lines += _findings_block(report.findings) if report.findings else ["None."]
    return "\n".join(within_limit(lines, limit)) + "\n"


def within_limit(lines: list[str], limit: int) -> list[str]:
    """The first of ``lines`` that fit in ``limit`` characters, then a note saying the rest was cut.

    A fence left open by the cut is closed first, so that the note is read as
    text. Only fences the report opens (a line of backticks and ``text``)
    count: every other line starts with escaped text, a table or a heading.

    >>> within_limit(["# A", "```text", "x" * 50, "y" * 50, "```"], 110)[1:]
    ['```text', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '```', '', '**The report is cut here: 2 more lines.**']
    """
    if sum(len(line) + 1 for line in lines) <= limit:
        return lines
    reserve = len(_cut_note(len(lines))) + 2  # the note and the blank line before it
    kept: list[str] = []
    size, open_fence = 0, ""
    for line in lines:
        fence_after = _fence_after(open_fence, line)
        if size + len(line) + 1 + (len(fence_after) + 1 if fence_after else 0) + reserve > limit:
            break
        kept.append(line)
        size += len(line) + 1
        open_fence = fence_after
    return [*kept, *([open_fence] if open_fence else []), "", _cut_note(len(lines) - len(kept))]


def _fence_after(open_fence: str, line: str) -> str:
    """The fence still open after ``line``: the report's fences are a run of backticks, then ``text`` to open."""
    if not open_fence and line.startswith("```"):
        return line[: len(line) - len(line.lstrip("`"))]
    return "" if line == open_fence else open_fence


def _cut_note(left_out: int) -> str:
    return f"**The report is cut here: {left_out} more lines.**"


def build_report(settings: Settings, base: str, *, preview_url: str | None = None, form: str = "markdown") -> str:
    report = build_report_data(settings, base)
    if form == "json":
        data = report.as_dict()
        if preview_url:
            for change in data["changes"]:
                change["preview"] = f"{preview_url.rstrip('/')}/{change['page']}" if change["page"] else None
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return render_markdown(report, preview_url)
