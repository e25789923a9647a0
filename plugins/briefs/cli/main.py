"""The command line: its parser and one function per command."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..core.collector import freeze
from ..core.corpus import load_corpus
from ..core.findings import Finding, Severity, counted, findings_json
from ..core.schema import json_schema, outlets_schema
from ..core.settings import OptionsError, Settings, find_config, load_settings
from . import desk, newsletter, preview
from .report import ReportError, build_report
from .scaffold import create_brief

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"briefs: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _settings(args: argparse.Namespace) -> Settings:
    config = Path(args.config) if args.config else find_config()
    if args.config and (config is None or not config.is_file()):
        raise _Usage(f"no such config file: {args.config}")
    try:
        return load_settings(config)
    except OptionsError as exc:
        raise _Usage(f"{config}: plugin briefs: {exc}") from None


class _Usage(Exception):
    pass


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise _Usage(f"no such file or folder: {missing[0]}")
    if not paths and not settings.briefs_dir.is_dir():
        raise _Usage(f"briefs folder not found: {settings.briefs_dir}")
    # A file is judged with its pair: its folder is read, and what is said of the file is printed.
    named = {_absolute(p) for p in paths if p.is_file()}
    folders = list(dict.fromkeys(p.parent if p.is_file() else p for p in paths))
    corpus = load_corpus(settings, paths=folders or None)
    shown = [f for f in corpus.findings if _reported(f, named, folders)]
    findings = [f for f in shown if args.warnings or f.is_error]
    print_findings(findings, args.format)
    errors = sum(f.is_error for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if args.format == "text":
        files = sum(_reported_file(f.path, named, folders) for f in corpus.files)
        print(
            f"{counted(files, 'file')} checked: {counted(errors, 'error')}, {counted(warnings, 'warning')}",
            file=sys.stderr,
        )
    return EXIT_ERRORS if errors else EXIT_OK


def _absolute(path: Path) -> Path:
    """``path`` from the root, links not followed: a symbolic link is reported where it lies."""
    return Path(os.path.abspath(path))


def _reported_file(path: Path, named: set[Path], folders: list[Path]) -> bool:
    """Whether ``path`` was asked for: named itself, or below a folder that was named (not only read for a pair)."""
    resolved = _absolute(path)
    if resolved in named:
        return True
    asked = [_absolute(f) for f in folders if _absolute(f) not in {n.parent for n in named}]
    return not folders or any(resolved.is_relative_to(folder) for folder in asked)


def _reported(finding: Finding, named: set[Path], folders: list[Path]) -> bool:
    return _reported_file(Path(finding.path), named, folders)


def print_findings(findings: list[Finding], form: str) -> None:
    if form == "json":
        print(findings_json(findings))
        return
    for finding in findings:
        print(finding.format_github() if form == "github" else finding.format())


def cmd_new(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise _Usage(f"--date: expected YYYY-MM-DD, found {args.date!r}") from None
    langs = [code.strip() for code in args.langs.split(",") if code.strip()] if args.langs else settings.languages
    unknown = [code for code in langs if code not in settings.languages]
    if unknown:
        raise _Usage(f"--langs: {', '.join(unknown)} not among the configured languages ({', '.join(settings.languages)})")
    try:
        folder = create_brief(settings, args.title, date, langs, args.sources)
    except (FileExistsError, ValueError) as exc:
        raise _Usage(str(exc)) from None
    for lang in langs:
        print(folder / f"{lang}.md")
    print(
        "Fill in: summary, topics, key_details, each source's article address and the body;\n"
        "a comparison, a lead image and authors are ready to uncomment. The drafts pass `briefs check`\n"
        "as they are, and `make serve` shows them (marked as drafts) while you write.\n"
        "Remove `draft: true` to publish.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    schema = outlets_schema() if args.outlets else json_schema(_settings(args))
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        print(build_report(settings, args.base, preview_url=args.preview_url, form=args.format), end="")
    except ReportError as exc:
        raise _Usage(f"report: {exc}") from None
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    settings = _settings(args)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise _Usage(f"no such file or folder: {missing[0]}")
    return desk.status(settings, [Path(p) for p in args.paths], args.format)


def cmd_translate(args: argparse.Namespace) -> int:
    try:
        return desk.translate(_settings(args), args.id, args.to, args.done)
    except (desk.DeskError, FileExistsError, ValueError) as exc:
        raise _Usage(f"translate: {exc}") from None


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        return desk.diff(_settings(args), args.id, args.lang, args.format)
    except desk.DeskError as exc:
        raise _Usage(f"diff: {exc}") from None


def cmd_newsletter(args: argparse.Namespace) -> int:
    try:
        return newsletter.newsletter(_settings(args), args)
    except newsletter.NewsletterError as exc:
        raise _Usage(f"newsletter: {exc}") from None


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog="briefs", description="Write, check and review translated news briefs.")
    main.add_argument("--config", help="mkdocs.yml to read (default: the nearest one)")
    sub = main.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="validate briefs; one line per finding")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: briefs_dir)")
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    check.add_argument("--no-warnings", dest="warnings", action="store_false", help="print errors only")
    check.set_defaults(run=cmd_check)

    new = sub.add_parser("new", help="create a brief folder with a draft per language")
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--date", help="publication date, YYYY-MM-DD (default: today)")
    new.add_argument("--langs", help="comma-separated languages (default: all configured)")
    new.add_argument(
        "--source",
        dest="sources",
        action="append",
        metavar="OUTLET",
        help="an outlet of outlets.yml the brief cites; repeat for more (default: two of different owners)",
    )
    new.set_defaults(run=cmd_new)

    schema = sub.add_parser("schema", help="print the JSON Schema of the front-matter")
    schema.add_argument("--outlets", action="store_true", help="the schema of outlets.yml instead")
    schema.set_defaults(run=cmd_schema)

    report = sub.add_parser("report", help="Markdown report of what changed since a git ref")
    report.add_argument("--base", required=True, metavar="REF")
    report.add_argument("--preview-url", help="base URL of the preview build, to link pages")
    report.add_argument("--format", choices=["markdown", "json"], default="markdown")
    report.set_defaults(run=cmd_report)

    desk.add_commands(sub)
    newsletter.add_command(sub).set_defaults(run=cmd_newsletter)
    sub.choices["status"].set_defaults(run=cmd_status)
    sub.choices["translate"].set_defaults(run=cmd_translate)
    sub.choices["diff"].set_defaults(run=cmd_diff)
    preview.add_command(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except _Usage as exc:
        print(f"briefs: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if argv is None:
            # Run as the command, the process ends now: the collector's pass at exit would walk every
            # brief and row it made (0.4 s of `briefs status` at 10,000 pairs) to find no garbage.
            freeze()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
