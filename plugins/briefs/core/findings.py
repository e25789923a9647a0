"""One finding type that travels from validation to every output.

The terminal, GitHub annotations, JSON and the build's failure all print the
same :class:`Finding`, so a writer sees the same words wherever a mistake shows.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Stable codes: ``code -> (name, example message)``. handbook/errors.md lists
#: every code of this table (a test keeps them in step), and tests assert on the codes.
CODES: dict[str, tuple[str, str]] = {
    "BR001": ("not-utf8", "file is not valid UTF-8 (byte 0xe4 at offset 57)"),
    "BR002": ("empty-file", "file is empty"),
    "BR003": ("too-large", "file is 1.2 MiB; a brief may be at most 1 MiB"),
    "BR010": ("no-front-matter", "file does not start with a `---` front-matter block"),
    "BR011": ("unterminated-front-matter", "front-matter opened on line 1 is never closed"),
    "BR012": ("empty-front-matter", "front-matter is empty"),
    "BR013": ("not-a-mapping", "front-matter must be a mapping of fields, found a list"),
    "BR014": ("yaml-syntax", "YAML syntax error: mapping values are not allowed here"),
    "BR015": ("tab-indent", "tab character in indentation; use spaces"),
    "BR016": ("duplicate-key", "field `title` is given twice (first on line 2)"),
    "BR017": ("yaml-alias", "YAML anchors and aliases are not allowed in briefs"),
    "BR018": ("too-deep", "value is nested deeper than the brief format allows"),
    "BR019": ("unclosed-block", "the comparison block opened on line 12 is never closed"),
    "BR020": ("misplaced-block", "`body.comparisons[0]`: stands inside other markup (HTML, a comment, a list or a quote)"),
    "BR101": ("unknown-field", "unknown field `key_detail`; did you mean `key_details`?"),
    "BR102": ("missing-field", "required field `summary` is missing"),
    "BR103": ("wrong-type", "`title`: expected text, found a boolean (quote the value)"),
    "BR104": ("out-of-range", "`key_details`: expected 1 to 12 items, found 13"),
    "BR105": ("invalid-date", "`date`: 2026-02-30 is not a calendar date"),
    "BR106": ("invalid-slug", "`slug`: expected lower-case words joined by `-`"),
    "BR107": ("unknown-topic", "`topics[0]`: unknown topic `economics`; did you mean `economy`?"),
    "BR108": ("invalid-url", "`sources[1].url`: expected an absolute http(s) URL"),
    "BR109": ("duplicate-source", "`sources[2].name`: source `tagesschau.de` is declared twice"),
    "BR110": ("too-few-claims", "`comparisons[0].claims`: a comparison needs at least 2 claims"),
    "BR111": ("repeated-claim-source", "`comparisons[0].claims[1].source`: `br.de` already has a claim"),
    "BR112": ("undeclared-source", "`comparisons[0].claims[1].source`: `br` is not a declared source"),
    "BR113": ("invalid-markdown", "`key_details[2]`: expected one line of inline Markdown"),
    "BR114": ("control-character", "`title`: character U+0001 is not allowed"),
    "BR115": ("remote-image", "the body: image on another host: 'https://example.org/pixel.gif'"),
    "BR116": ("too-complex", "the body: Markdown too complex to render: 300 `[` in one paragraph (at most 200)"),
    "BR117": ("unknown-outlet", "`sources[0].name`: `tagesschau` is not an outlet of the registry"),
    "BR118": ("outlet-url-elsewhere", "`sources[0].url`: on example.org, not on tagesschau.de like tagesschau.de"),
    "BR119": ("image-src", "`image.src`: `../other/photo.jpg` leaves the brief's folder; name a file beside the brief"),
    "BR120": ("invalid-registry", "`br.de`: `kind` is one of public-broadcaster, newspaper, magazine, agency, online"),
    "BR121": ("image-without-alt", "the body: image `chart.png` has no alt text; say what it shows: ![A chart of …](chart.png)"),
    "BR201": ("stray-file", "Markdown file outside a brief folder"),
    "BR202": ("unknown-language", "`fr.md`: `fr` is not a configured language (en, de)"),
    "BR203": ("duplicate-id", "brief id `2026-01-23-rome` is also used by briefs/other/2026-01-23-rome"),
    "BR204": ("invalid-id", "brief folder name must match ^[a-z0-9][a-z0-9-]*$"),
    "BR205": ("duplicate-url", "page /en/2026/01/23/rome/ is also produced by another brief"),
    "BR206": ("forbidden-file", "`notes.html`: only images may sit beside a brief (.png .jpg .jpeg .gif .webp .avif .svg)"),
    "BR207": ("symlink", "`passwd` is a symbolic link; briefs/ holds plain files only"),
    "BR208": ("image-too-large", "`chart.png` is 6.2 MiB; an image may be at most 5 MiB"),
    "BR209": ("unsafe-svg", "`chart.svg`: <script> is not allowed in an SVG; only shapes and text"),
    "BR210": ("image-too-large-in-pixels", "`huge.png` is 60000 × 60000 pixels; at most 10,000 px a side and 40 megapixels"),
    "BR301": ("pair-date-mismatch", "`date`: 2026-01-24 differs from the German version's 2026-01-23"),
    "BR302": ("missing-pair", "no German version (required by `require_pairs`)"),
    "BR401": ("missing-translation", "no German version of this brief yet"),
    "BR402": ("outdated-translation", "the English version was updated after this one"),
    "BR403": ("pair-sources-differ", "sources differ from the German version's"),
    "BR404": ("pair-comparisons-differ", "2 comparisons here, 1 in the German version"),
    "BR405": ("pair-facts-differ", "numbers in key details and claims differ from the English version's (8)"),
    "BR406": ("claim-link-elsewhere", "`comparisons[0].claims[1].url`: on spiegel.de, not on br.de like its source"),
    "BR407": ("one-owner", "`comparisons[0].claims`: every outlet quoted here belongs to ARD"),
    "BR408": ("held-back", "held back: its English original is a draft, so this translation is not published either"),
    "BR501": ("unsafe-markup", "removed unsafe markup from the body: <script>"),
}


#: Editorial notices, not problems of a file: a translation missing, lagging behind or held back
#: with its original, quotes of one owner. They never fail a build, ``--strict`` included (SPEC §3).
NOTICES = frozenset({"BR401", "BR402", "BR404", "BR407", "BR408"})


#: What a terminal or a CI log would act on: line breaks, escapes, other controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    r"""``text`` on one line, its control characters escaped: safe in a log a CI service reads.

    >>> printable("a\n::error::b")
    'a\\n::error::b'
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Finding:
    """A problem (or notice) located in a file, ready to print."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    suggestion: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def name(self) -> str:
        return CODES[self.code][0]

    def text(self) -> str:
        """The message with its suggestion, as one sentence.

        >>> Finding("a.md", 1, 1, Severity.ERROR, "BR101", "unknown field `x`", "remove it").text()
        'unknown field `x`; remove it'
        """
        return f"{self.message}; {self.suggestion}" if self.suggestion else self.message

    def format(self) -> str:
        r"""``PATH:LINE:COL: severity: MESSAGE [CODE]``, the compilers' convention, on one line.

        File names and messages can hold what a brief's writer chose; control
        characters are shown escaped, so no finding can start a line of its own
        (a CI log reads a line that starts with ``::`` as a command).

        >>> Finding("x\n::error::y.md", 1, 1, Severity.ERROR, "BR201", "stray").format()
        'x\\n::error::y.md:1:1: error: stray [BR201 stray-file]'
        """
        line = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.text()} [{self.code} {self.name}]"
        return printable(line)

    def format_github(self) -> str:
        r"""A GitHub Actions workflow command that annotates the diff.

        File names and messages come from the pull request: escaped as GitHub's
        toolkit does, a name cannot end the command, add a property or start a
        command of its own (``::add-mask::``) on a new line.

        >>> hostile = Finding("a,line=1::x\n::add-mask::%0A.md", 2, 3, Severity.ERROR, "BR201", "50%\r\nnew")
        >>> print(hostile.format_github())
        ::error file=a%2Cline=1%3A%3Ax%0A%3A%3Aadd-mask%3A%3A%250A.md,line=2,col=3,title=BR201 stray-file::50%25%0D%0Anew
        """
        kind = "error" if self.is_error else ("warning" if self.severity is Severity.WARNING else "notice")
        properties = f"file={_command_property(self.path)},line={self.line},col={self.column}"
        properties += f",title={_command_property(f'{self.code} {self.name}')}"
        return f"::{kind} {properties}::{_command_data(self.text())}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["name"] = self.name
        return data


def _command_data(value: str) -> str:
    """A workflow command's message, escaped as ``escapeData`` in GitHub's toolkit (``@actions/core``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(value: str) -> str:
    """A workflow command's property value (``file=``, ``title=``), escaped as ``escapeProperty`` in the toolkit."""
    return _command_data(value).replace(":", "%3A").replace(",", "%2C")


def relative_path(path: Path, root: Path | None = None) -> str:
    """A path as a writer would type it: relative to ``root`` (default: cwd) when below it.

    >>> relative_path(Path("/site/briefs/a/en.md"), Path("/site"))
    'briefs/a/en.md'
    """
    return _relative(path, root or Path.cwd())


@lru_cache(maxsize=1 << 16)
def _relative(path: Path, root: Path) -> str:
    """Cached: every build of the live preview names each brief's files again."""
    folder = _relative_folder(str(path.parent), str(root))
    if folder is None:
        return path.as_posix()
    return f"{folder}/{path.name}" if folder != "." else path.name


@lru_cache(maxsize=4096)
def _relative_folder(folder: str, root: str) -> str | None:
    """A folder relative to ``root``, or None when outside it (cached: a brief folder holds two files)."""
    base = _resolved(root)
    full = os.path.abspath(folder)
    if full == base or full.startswith(base.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(full, base)).as_posix()
    return None


@lru_cache(maxsize=64)
def _resolved(root: str) -> str:
    return str(Path(root).resolve())


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def findings_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False)


def counted(count: int, noun: str) -> str:
    """A count with its English noun (messages to writers are English).

    >>> counted(1, "comparison"), counted(2, "comparison")
    ('1 comparison', '2 comparisons')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"
