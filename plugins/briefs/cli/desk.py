"""The translation desk's commands (SPEC §8): ``status``, ``translate`` and ``diff``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..core.collector import collector_paused
from ..core.corpus import Corpus, load_corpus
from ..core.model import Brief, Pair
from ..core.settings import Settings
from ..core.versions import content_version
from ..desk.fielddiff import changes_json, changes_text, field_changes
from ..desk.files import desk_files
from ..desk.history import GitHistory, HistoryUnavailable
from ..desk.status import Schedule, desk_status, original_language, recorded_versions, status_table
from ..desk.translate import record_done, still_original, write_translation

EXIT_OK = 0


class DeskError(Exception):
    """A request the desk cannot carry out: one line for the writer."""


def status(settings: Settings, paths: list[Path], form: str) -> int:
    with collector_paused():  # rows and statuses by the ten thousand, and no cycle among them
        found = desk_files(settings, paths or None)
        history = GitHistory(settings.root, settings.briefs_dir, settings=settings)
        report = desk_status(
            found.pairs,
            settings.languages,
            recorded_versions(found.pairs),
            default_language=settings.default_language,
            history=history.behind,
            schedule=Schedule.of(settings),
        )
        shown = _json_list(report.as_json()) if form == "json" else status_table(report, settings.languages)
    if form == "json":
        print(shown)
    else:
        print(shown, end="")
        if report.note:
            print(report.note, file=sys.stderr)
    if found.left_out:
        shown = ", ".join(found.left_out[:3]) + (", …" if len(found.left_out) > 3 else "")
        print(
            f"{len(found.left_out)} file(s) left out, they do not pass the checks: {shown} (run `briefs check`)", file=sys.stderr
        )
    return EXIT_OK


def _json_list(items: list[dict[str, Any]]) -> str:
    """A JSON list, one item a line: json's own indenting is pure Python, and takes 0.3 s for 10,000 briefs."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in items) + "\n]"


def _pair(settings: Settings, brief_id: str) -> tuple[Corpus, Pair]:
    corpus = load_corpus(settings)
    pair = next((p for p in corpus.pairs if p.id == brief_id), None)
    if pair is None:
        errors = [f for f in corpus.errors if f"/{brief_id}/" in f"/{f.path}"]
        detail = f" ({len(errors)} error(s): run `briefs check`)" if errors else ""
        raise DeskError(f"no brief with id {brief_id}{detail}")
    return corpus, pair


def _original(settings: Settings, corpus: Corpus, pair: Pair, lang: str) -> Brief:
    code = original_language(pair, recorded_versions(corpus.pairs), settings.languages, settings.default_language)
    if code is None or code == lang or code not in pair.versions:
        others = [c for c in pair.versions if c != lang]
        if not others:
            raise DeskError(f"{pair.id} has no version in another language to translate from")
        code = others[0]
    return pair.versions[code]


def translate(settings: Settings, brief_id: str, lang: str, done: bool) -> int:
    if lang not in settings.languages:
        raise DeskError(f"--to: {lang} is not a configured language ({', '.join(settings.languages)})")
    corpus, pair = _pair(settings, brief_id)
    if done:
        target = pair.versions.get(lang)
        if target is None:
            raise DeskError(f"{brief_id} has no {lang}.md yet: run `briefs translate {brief_id} --to {lang}` first")
        record = target.translated_from
        original = (
            pair.versions[record.lang] if record and record.lang in pair.versions else _original(settings, corpus, pair, lang)
        )
        version = content_version(original)
        text = target.path.read_bytes().decode("utf-8-sig")
        newline = "\r\n" if "\r\n" in text else "\n"
        updated = record_done(text.replace("\r\n", "\n"), original.lang, version)
        target.path.write_bytes(updated.replace("\n", newline).encode("utf-8"))
        print(f"{target.display}: recorded translated_from {original.lang} version {version} (the current {original.display})")
        _say_what_is_left(target, original)
        return EXIT_OK
    if lang in pair.versions:
        raise DeskError(_exists(pair.versions[lang], brief_id))
    original = _original(settings, corpus, pair, lang)
    path = write_translation(original, lang, content_version(original))
    print(path)
    return EXIT_OK


def _say_what_is_left(target: Brief, original: Brief) -> None:
    left = []
    if target.draft:
        left.append("`draft: true` (remove the line to publish)")
    same = still_original(target, original)
    if same:
        left.append(f"still word for word as in {original.lang}.md: {', '.join(same)}")
    if left:
        print("Still left: " + "; ".join(left) + ".", file=sys.stderr)
    else:
        print("Nothing left: the translation is up to date and will be published with its original.", file=sys.stderr)


def _exists(target: Brief, brief_id: str) -> str:
    """Why a scaffold is not written over an existing file, and what to do instead."""
    lang = target.lang
    if target.translated_from is None:
        made = f"{target.display} exists (`briefs new` writes a draft per language) and records no original"
    else:
        made = f"{target.display} exists, a translation of {target.translated_from.lang}.md"
    return (
        f"{made}. To write the translation in it, edit it and then record it with "
        f"`briefs translate {brief_id} --to {lang} --done`; to start again from the original's words, "
        "delete it and run this command again"
    )


def diff(settings: Settings, brief_id: str, lang: str, form: str) -> int:
    _, pair = _pair(settings, brief_id)
    target = pair.versions.get(lang)
    if target is None or target.translated_from is None:
        raise DeskError(f"{brief_id}: {lang}.md records no original (`translated_from`); nothing to compare")
    record = target.translated_from
    original = pair.versions.get(record.lang)
    if original is None:
        raise DeskError(f"{brief_id}: there is no {record.lang}.md to compare with")
    if content_version(original) == record.version:
        changes = []
    else:
        try:
            found = GitHistory(settings.root, settings.briefs_dir, settings=settings).content_at(original.path, record.version)
        except HistoryUnavailable as exc:
            print(f"briefs: {exc}", file=sys.stderr)
            return EXIT_OK
        if found is None:
            print(f"briefs: version {record.version} of {original.display} is not in the git history", file=sys.stderr)
            return EXIT_OK
        changes = field_changes(found[1], original)
    if form == "json":
        print(json.dumps(changes_json(changes), indent=2, ensure_ascii=False))
    else:
        print(changes_text(changes), end="")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """The desk's sub-commands, added to the command's parser (``briefs status`` …)."""
    status_cmd = sub.add_parser("status", help="each brief's languages: ok, missing, outdated (and how far), draft")
    status_cmd.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: briefs_dir)")
    status_cmd.add_argument("--format", choices=["text", "json"], default="text")
    translate_cmd = sub.add_parser("translate", help="scaffold a translation, or record it up to date (--done)")
    translate_cmd.add_argument("id", metavar="ID", help="the brief's id (its folder name)")
    translate_cmd.add_argument("--to", required=True, metavar="LANG")
    translate_cmd.add_argument("--done", action="store_true", help="record the original's current version")
    diff_cmd = sub.add_parser("diff", help="what changed in the original since a translation's recorded version")
    diff_cmd.add_argument("id", metavar="ID")
    diff_cmd.add_argument("--lang", required=True, metavar="LANG", help="the translation's language")
    diff_cmd.add_argument("--format", choices=["text", "json"], default="text")
