"""Images that may not be published (SPEC §7, §11): `briefs check` and the build refuse each one, at the writer's line.

One small tree holds every case, each in a brief folder of its own, so that one
check and one build (each well under a second) answer for all of them.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from briefs.cli.main import main
from briefs.core.images import ImageProblem, inspect
from conftest import REPO, _environ, brief_fields, build_site, write_brief

FOUND = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.*) \[(?P<code>BR\d{3}) [a-z-]+\]$")


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, pixels: bytes = b"") -> bytes:
    """A greyscale PNG written by hand: its header says ``width`` × ``height``, whatever ``pixels`` holds."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def bomb(width: int, height: int) -> bytes:
    """A PNG of zeros: a few dozen kilobytes that inflate to ``width`` × ``height`` bytes of pixels."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # a filter byte and a row of black
    return png(width, height, b"".join(packer.compress(row) for _ in range(height)) + packer.flush())


def saved(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 10, 10)).save(out, kind)
    return out.getvalue()


@dataclass(frozen=True)
class Case:
    image: dict[str, str] | None
    files: dict[str, bytes]
    code: str
    #: What the finding names: the field, and the text of the line it points at.
    field: str
    line_holds: str
    body: str = "The body.\n"


LEAD = {"alt": "A photo", "credit": "Desk"}
CASES = {
    "no-alt": Case({"src": "a.jpg", "credit": "Desk"}, {"a.jpg": saved("JPEG")}, "BR102", "image.alt", "src: a.jpg"),
    "url": Case({"src": "https://x.test/a.jpg", **LEAD}, {}, "BR119", "image.src", "src: https://x.test/a.jpg"),
    "parent": Case({"src": "../other/a.jpg", **LEAD}, {}, "BR119", "image.src", "src: ../other/a.jpg"),
    "folder": Case({"src": "sub/a.jpg", **LEAD}, {}, "BR119", "image.src", "src: sub/a.jpg"),
    "missing": Case({"src": "gone.jpg", **LEAD}, {}, "BR119", "image.src", "src: gone.jpg"),
    "text-as-jpeg": Case({"src": "a.jpg", **LEAD}, {"a.jpg": b"just some text\n"}, "BR206", "image.src", "src: a.jpg"),
    "png-as-jpeg": Case({"src": "a.jpg", **LEAD}, {"a.jpg": saved("PNG")}, "BR206", "image.src", "src: a.jpg"),
    "huge-header": Case({"src": "a.png", **LEAD}, {"a.png": png(60_000, 60_000)}, "BR210", "image.src", "src: a.png"),
    # 7000 × 7000: each side allowed, 49 megapixels not; 48 kB that inflate to 49 MB.
    "bomb": Case({"src": "a.png", **LEAD}, {"a.png": bomb(7000, 7000)}, "BR210", "image.src", "src: a.png"),
    "body-refused": Case(
        None, {"bad.jpg": b"text\n"}, "BR206", "the body", "![A chart](bad.jpg)", "Text.\n\n![A chart](bad.jpg)\n"
    ),
    "body-missing": Case(None, {}, "BR119", "the body", "![Gone](gone.png)", "Text.\n\nMore.\n\n![Gone](gone.png)\n"),
    "body-parent": Case(None, {}, "BR119", "the body", "![Up](../x/up.png)", "Text.\n\n![Up](../x/up.png)\n"),
}


def folder_of(case: str) -> str:
    return f"2026-01-23-{case}"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("refusals") / "briefs"
    for name, case in CASES.items():
        fields = brief_fields(title=f"Case {name}", image=case.image)
        folder = write_brief(root, folder_of(name), "en", fields, body=case.body).parent
        for file, data in case.files.items():
            (folder / file).write_bytes(data)
    # A refused file that no brief names is still refused, as a file of its folder.
    folder = write_brief(root, folder_of("stray"), "en", brief_fields(title="Case stray")).parent
    (folder / "notes.jpg").write_bytes(b"<html>not a photo</html>\n")
    return root


def parsed(output: str) -> list[dict[str, str]]:
    return [found.groupdict() for line in output.splitlines() if (found := FOUND.match(line.strip()))]


@pytest.fixture(scope="module")
def checked(tree: Path) -> tuple[int, list[dict[str, str]]]:
    """`briefs check` as a writer runs it in the site's folder, in this process."""
    out = io.StringIO()
    env = {"BRIEFS_DIR": str(tree), "BRIEFS_OUTLETS_FILE": "none.yml", "BRIEFS_CACHE_DIR": "false"}
    with _environ(env), contextlib.chdir(tree.parent), contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--config", str(REPO / "mkdocs.yml"), "check"])
    return code, parsed(out.getvalue())


@pytest.fixture(scope="module")
def built(tree: Path) -> tuple[bool, list[dict[str, str]]]:
    result = build_site(tree, tree.parent / "site", extra_env={"BRIEFS_CACHE_DIR": "false"})
    return result.ok, parsed(result.log)


def expected_line(tree: Path, name: str) -> int:
    lines = (tree / folder_of(name) / "en.md").read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, start=1) if CASES[name].line_holds in text)


def of_case(findings: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    return [f for f in findings if f"/{folder_of(name)}/" in f["path"].replace("\\", "/")]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("where", ["check", "build"])
def test_an_image_that_may_not_be_published_is_refused_at_the_writers_line(
    name: str, where: str, tree: Path, checked: tuple[int, list[dict[str, str]]], built: tuple[bool, list[dict[str, str]]]
) -> None:
    refused, findings = checked if where == "check" else built
    assert refused == 1 if where == "check" else refused is False
    case = CASES[name]
    # One finding per problem: a refused file is named where the brief names it, not once more on its own.
    [finding] = of_case(findings, name)
    assert finding["path"].endswith(f"{folder_of(name)}/en.md")
    assert int(finding["line"]) == expected_line(tree, name)
    assert finding["code"] == case.code
    assert case.field in finding["message"]
    for file in case.files:
        assert file in finding["message"] or case.code == "BR102"


def test_a_refused_file_no_brief_names_is_refused_as_a_file(
    checked: tuple[int, list[dict[str, str]]], built: tuple[bool, list[dict[str, str]]]
) -> None:
    for _, findings in (checked, built):
        [finding] = of_case(findings, "stray")
        assert finding["path"].endswith(f"{folder_of('stray')}/notes.jpg") and finding["code"] == "BR206"


@pytest.mark.parametrize(
    ("data", "name", "claim"),
    [(png(60_000, 60_000), "huge.png", "3,600,000,000 pixels"), (bomb(7000, 7000), "bomb.png", "49,000,000 pixels")],
)
def test_a_bomb_is_refused_from_its_header_without_decoding(data: bytes, name: str, claim: str) -> None:
    assert len(data) < 64_000
    started = time.perf_counter()
    with pytest.raises(ImageProblem) as refused:
        inspect(data, name)
    assert refused.value.code == "BR210" and time.perf_counter() - started < 0.5
    assert claim in str(refused.value)  # the writer hears how large the file says it is


def test_a_body_image_without_alt_text_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    path = write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="Text.\n\n![](chart.png)\n\n![A chart](chart.png)\n")
    (path.parent / "chart.png").write_bytes(saved("PNG"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--config", str(REPO / "mkdocs.yml"), "check", str(root)])
    assert code == 0  # a warning: the brief is published, and the writer told
    line = path.read_text(encoding="utf-8").splitlines().index("![](chart.png)") + 1
    warnings = [text for text in out.getvalue().splitlines() if "BR121" in text]
    assert warnings == [
        f"{path.as_posix()}:{line}:1: warning: the body: image `chart.png` has no alt text; "
        "say what it shows: ![A chart of …](chart.png) [BR121 image-without-alt]"
    ]
