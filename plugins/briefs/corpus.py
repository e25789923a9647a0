"""The briefs folder as a whole: finding brief folders, loading and checking them.

A brief folder is any folder below ``briefs_dir`` that holds a file named for a
configured language (``en.md``, ``de.md``), like a Hugo page bundle. Every
other Markdown file is a mistake a writer must hear about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Severity, relative_path, sort_findings
from .loading import BriefFile, load_brief_file
from .model import Brief, Pair
from .rendering import Renderer
from .settings import Settings
from .slugs import ID_PATTERN
from .validation import check_brief, check_pair

_LANG_LIKE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")


@dataclass
class Corpus:
    """Every brief of the site, with every finding about them."""

    pairs: list[Pair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[BriefFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    def briefs(self, *, include_drafts: bool) -> list[Brief]:
        """Every language version that is published (or also drafts, for previews)."""
        return [b for p in self.pairs for b in p.versions.values() if include_drafts or not b.draft]


def _markdown_files(roots: Iterable[Path]) -> list[Path]:
    found: set[Path] = set()
    for root in roots:
        if root.is_file():
            found.add(root)
            continue
        for path in root.rglob("*.md"):
            if not any(part.startswith(".") for part in path.relative_to(root).parts):
                found.add(path)
    return sorted(found)


def discover(settings: Settings, paths: list[Path] | None = None) -> tuple[dict[Path, dict[str, Path]], list[Finding]]:
    """Brief folders (``folder -> {lang: file}``) and findings for stray files."""
    root = settings.briefs_dir.resolve()
    folders: dict[Path, dict[str, Path]] = {}
    findings: list[Finding] = []
    langs = settings.languages
    for path in _markdown_files(paths or [settings.briefs_dir]):
        folder = path.parent.resolve()
        display = relative_path(path, settings.root)
        is_brief_folder = folder != root and any((folder / f"{lang}.md").is_file() for lang in langs)
        if is_brief_folder and path.stem in langs:
            folders.setdefault(folder, {})[path.stem] = path
        elif _LANG_LIKE.match(path.stem) and folder != root:
            message = f"`{path.name}`: `{path.stem}` is not a configured language ({', '.join(langs)})"
            findings.append(
                Finding(display, 1, 1, Severity.ERROR, "BR202", message, "rename it or add the language to `languages`")
            )
        else:
            message = "Markdown file outside a brief folder"
            hint = f"briefs live in briefs/<brief-id>/{{{','.join(langs)}}}.md"
            findings.append(Finding(display, 1, 1, Severity.ERROR, "BR201", message, hint))
    return folders, findings


def load_corpus(settings: Settings, renderer: Renderer | None = None, paths: list[Path] | None = None) -> Corpus:
    """Load, validate and pair every brief below ``settings.briefs_dir`` (or ``paths``)."""
    renderer = renderer or Renderer(settings.markdown_extensions, settings.markdown_configs)
    folders, findings = discover(settings, paths)
    corpus = Corpus(findings=findings)
    ids: dict[str, Path] = {}
    urls: dict[str, str] = {}
    for folder, by_lang in sorted(folders.items()):
        brief_id = folder.name
        files = {lang: load_brief_file(path, relative_path(path, settings.root)) for lang, path in by_lang.items()}
        first = next(iter(files.values()))
        if not ID_PATTERN.match(brief_id):
            first.findings.append(
                first.finding(
                    "BR204",
                    f"brief folder name `{brief_id}` must match ^[a-z0-9][a-z0-9-]*$",
                    (1, 1),
                    suggestion="use lower-case letters, digits and `-`, e.g. 2026-01-23-rome-talks",
                )
            )
        elif brief_id in ids:
            other = relative_path(ids[brief_id], settings.root)
            first.findings.append(
                first.finding(
                    "BR203",
                    f"brief id `{brief_id}` is also used by {other}",
                    (1, 1),
                    suggestion="brief ids are unique across briefs/",
                )
            )
        ids.setdefault(brief_id, folder)
        pair = Pair(brief_id, folder)
        ordered = [lang for lang in settings.languages if lang in files]
        for lang in ordered:
            brief = check_brief(files[lang], brief_id, lang, settings, renderer)
            if brief is not None:
                if brief.url in urls:
                    files[lang].findings.append(
                        files[lang].finding(
                            "BR205",
                            f"page /{brief.url} is also produced by {urls[brief.url]}",
                            ("slug",),
                            suggestion="set a different `slug:`",
                        )
                    )
                    continue
                urls[brief.url] = files[lang].display
                pair.versions[lang] = brief
        corpus.files += files.values()
        for file in files.values():
            corpus.findings += file.findings
        if all(not f.is_error for file in files.values() for f in file.findings):
            corpus.findings += check_pair(pair, files, settings)
            corpus.pairs.append(pair)
    corpus.findings = sort_findings(corpus.findings)
    return corpus
