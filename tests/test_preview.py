"""`briefs preview` / `make preview`: a downloaded preview, unpacked safely and served on loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.cli.preview import PreviewError, PreviewServer, check_folder, loopback, site_path, unpack
from conftest import REPO, Build

# Bytes that do not compress, the same on every run.
NOISE = bytes((n * 7919 + n // 256) % 256 for n in range(1024))
HOME = b'<html><head><link rel="canonical" href="https://previews.example.net/pr-7/"></head><body>home</body></html>'


def write_zip(path: Path, entries: list[tuple[str, bytes] | tuple[str, bytes, int]]) -> Path:
    """A zip of ``(name, data[, unix mode])`` entries, names written as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data, *mode in entries:
            info = zipfile.ZipInfo(name, (2026, 1, 23, 0, 0, 0))
            info.create_system = 3  # Unix: the mode sits in the high bits of the external attributes
            kind = stat.S_IFDIR | 0o755 if name.endswith("/") else stat.S_IFREG | 0o644
            info.external_attr = (mode[0] if mode else kind) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def good_entries() -> list[tuple[str, bytes] | tuple[str, bytes, int]]:
    return [
        ("index.html", HOME),
        ("en/", b""),
        ("en/index.html", b"<p>English home</p>"),
        ("pagefind/en/2026-01/pagefind.en_1.pf_meta", b"\x00meta"),
    ]


def files_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_a_preview_unpacks_to_its_files(tmp_path: Path) -> None:
    into = tmp_path / "site"
    into.mkdir()
    unpack(write_zip(tmp_path / "a.zip", good_entries()), into)
    assert files_below(into) == {"index.html", "en", "en/index.html", "pagefind", "pagefind/en", "pagefind/en/2026-01"} | {
        "pagefind/en/2026-01/pagefind.en_1.pf_meta"
    }
    assert (into / "en/index.html").read_bytes() == b"<p>English home</p>"
    assert (into / "pagefind/en/2026-01/pagefind.en_1.pf_meta").read_bytes() == b"\x00meta"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x", "not a plain path"),
        ("en/../../x", "not a plain path"),
        ("/tmp/x", "absolute path"),
        ("C:/x", "absolute path"),
        ("C:x", "absolute path"),
        ("en\\..\\..\\x", "backslash"),
        ("en/a:b", "colon"),
        ("en//x", "not a plain path"),
        ("./x", "not a plain path"),
        ("en/x\n.html", "control character"),
    ],
)
def test_a_name_outside_the_folder_is_refused_before_anything_is_written(tmp_path: Path, name: str, reason: str) -> None:
    into = tmp_path / "deep" / "site"
    into.mkdir(parents=True)
    with pytest.raises(PreviewError, match=reason):
        unpack(write_zip(tmp_path / "a.zip", [*good_entries(), (name, b"owned")]), into)
    assert files_below(into) == set()
    assert not any(p.name == "x" for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    "mode",
    [stat.S_IFLNK | 0o777, stat.S_IFIFO | 0o644, stat.S_IFCHR | 0o644, stat.S_IFSOCK | 0o644, stat.S_IFDIR | 0o755],
    ids=["symlink", "fifo", "device", "socket", "folder-mode-on-a-file"],
)
def test_a_link_or_special_file_is_refused(tmp_path: Path, mode: int) -> None:
    into = tmp_path / "site"
    into.mkdir()
    archive = write_zip(tmp_path / "a.zip", [*good_entries(), ("en/secrets.html", b"/home/reviewer/.ssh/id_ed25519", mode)])
    with pytest.raises(PreviewError, match=r"en/secrets\.html is not a regular file or folder"):
        unpack(archive, into)
    assert files_below(into) == set()


def test_a_zip_bomb_is_refused_by_its_size(tmp_path: Path) -> None:
    """Four MiB of zeros squeeze into a few kB; the bound is on what the entries unpack to."""
    archive = write_zip(tmp_path / "bomb.zip", [*good_entries(), ("en/zeros.html", bytes(4 << 20))])
    assert archive.stat().st_size < 64 << 10
    into = tmp_path / "site"
    into.mkdir()
    total = sum(len(entry[1]) for entry in good_entries()) + (4 << 20)
    with pytest.raises(PreviewError, match=rf"unpacks to {total:,} bytes, more than a preview may \(1,048,576\)"):
        unpack(archive, into, max_bytes=1 << 20)
    assert files_below(into) == set()
    unpack(archive, into, max_bytes=8 << 20)  # within the bound, the same zip unpacks
    assert (into / "en/zeros.html").stat().st_size == 4 << 20


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    entries = good_entries() + [(f"en/{n}.html", b"x") for n in range(20)]
    into = tmp_path / "site"
    into.mkdir()
    with pytest.raises(PreviewError, match=r"24 entries, more than a preview may hold \(10\)"):
        unpack(write_zip(tmp_path / "many.zip", entries), into, max_files=10)
    assert files_below(into) == set()


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ([("en/index.html", b"again")], "appears twice"),
        ([("en/page", b"a file"), ("en/page/index.html", b"below it")], "both a file and a folder"),
    ],
    ids=["duplicate", "file-and-folder"],
)
@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_an_ambiguous_zip_is_refused(tmp_path: Path, extra: list[tuple[str, bytes]], reason: str) -> None:
    into = tmp_path / "site"
    into.mkdir()
    with pytest.raises(PreviewError, match=reason):
        unpack(write_zip(tmp_path / "a.zip", [*good_entries(), *extra]), into)


def test_an_encrypted_entry_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "a.zip", [*good_entries(), ("en/secret.html", b"ciphertext")])
    data = bytearray(archive.read_bytes())
    record = data.rfind(b"PK\x01\x02")  # the central directory's record of the last entry
    data[record + 8] |= 0x1  # general purpose flags: encrypted
    archive.write_bytes(data)
    into = tmp_path / "site"
    into.mkdir()
    with pytest.raises(PreviewError, match="encrypted"):
        unpack(archive, into)


def test_a_corrupt_or_truncated_zip_is_refused(tmp_path: Path) -> None:
    into = tmp_path / "site"
    into.mkdir()
    noise = tmp_path / "noise.zip"
    noise.write_bytes(b"PK\x03\x04" + NOISE)
    with pytest.raises(PreviewError, match="not a readable zip file"):
        unpack(noise, into)
    whole = write_zip(tmp_path / "a.zip", [*good_entries(), ("en/big.html", NOISE * 64)]).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[:20_000] + whole[-22:])  # the end record survives; an entry's data does not
    with pytest.raises(PreviewError, match="not a readable zip file"):
        unpack(cut, into)


def test_a_zip_without_a_site_on_top_is_refused(tmp_path: Path) -> None:
    """Zipping the folder site/ instead of its files puts every page one level down."""
    into = tmp_path / "site"
    into.mkdir()
    with pytest.raises(PreviewError, match=r"no index\.html at its top"):
        unpack(write_zip(tmp_path / "a.zip", [("site/index.html", HOME)]), into)


def test_a_folder_with_a_link_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_bytes(HOME)
    check_folder(site)
    (site / "en" / "index.html").symlink_to(Path.home())
    with pytest.raises(PreviewError, match="not a regular file or folder"):
        check_folder(site)


def test_only_loopback_addresses_are_served() -> None:
    assert loopback("127.0.0.1") == "127.0.0.1"
    assert loopback("::1") == "::1"
    assert loopback("localhost") == "127.0.0.1"
    for host in ("0.0.0.0", "192.168.1.2", "::", "example.org"):
        with pytest.raises(PreviewError, match="--bind"):
            loopback(host)


# The command, as a reviewer runs it on something that is not a preview.


def preview_command(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    command = [sys.executable, "-m", "briefs.cli", "preview", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def hostile(tmp_path: Path) -> list[str]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "noise.zip").write_bytes(NOISE)
    write_zip(tmp_path / "escape.zip", [*good_entries(), ("../../x", b"owned")])
    write_zip(tmp_path / "link.zip", [*good_entries(), ("en/link", b"/etc/passwd", stat.S_IFLNK | 0o777)])
    return ["missing.zip", "folder", "noise.zip", "escape.zip", "link.zip"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.zip", "missing.zip: no such file"),
        ("folder", "folder: no index.html in this folder"),
        ("noise.zip", "noise.zip: not a readable zip file (File is not a zip file)"),
        ("escape.zip", "escape.zip: entry '../../x' is not a plain path below the preview (empty, . or .. part)"),
        ("link.zip", "link.zip: entry en/link is not a regular file or folder (a link or special file)"),
    ],
)
def test_the_command_says_in_one_line_why_it_serves_nothing(tmp_path: Path, name: str, message: str) -> None:
    hostile(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = preview_command(str(tmp_path / name), tmp=scratch)
    assert result.returncode == 2
    assert result.stderr == f"briefs: error: {tmp_path}/{message}\n"
    assert result.stdout == ""
    assert list(scratch.iterdir()) == []  # the temporary folder went with the refusal


def test_the_command_serves_on_loopback_only(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "a.zip", good_entries())
    result = preview_command(str(archive), "--bind", "0.0.0.0", tmp=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "briefs: error: --bind: 0.0.0.0 is not a loopback address; a preview is served to this machine only\n",
    )


def test_a_port_in_use_is_one_line_and_leaves_nothing_behind(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "a.zip", good_entries())
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = preview_command(str(archive), "--port", str(port), tmp=scratch)
    assert result.returncode == 2
    assert re.fullmatch(rf"briefs: error: cannot serve on 127\.0\.0\.1 port {port}: [^\n]+\n", result.stderr), result.stderr
    assert list(scratch.iterdir()) == []


def test_make_preview_without_an_artifact_says_how_to_call_it() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "preview"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "usage: make preview ARTIFACT=path/to/preview-site.zip [PORT=8001]" in result.stderr


def test_make_preview_runs_nothing_of_the_artifact_s_name(tmp_path: Path) -> None:
    """The name of a downloaded artifact is the pull request's to choose: neither make nor the shell runs it."""
    marks = [tmp_path / name for name in ("backticks", "shell", "dollar")]
    name = f"x`touch {marks[0]}`$(shell touch {marks[1]})$$(touch {marks[2]}).zip"
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "preview", f"ARTIFACT={name}", "PORT=1"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and f"{name}: no such file" in result.stderr
    assert not any(mark.exists() for mark in marks)


# The server, in this process, over a small site.


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "site"
    for name, data in {
        "index.html": HOME,
        "404.html": b"<h1>Page not found</h1>",
        "en/index.html": b"<p>English home</p>",
        "assets/site.css": b"body{}",
        "pagefind/en/2026-01/pagefind.en_1.pf_meta": b"meta",
        "pagefind/en/2026-01/index/en_1.pf_index": b"index",
        "pagefind/en/2026-01/fragment/en_1.pf_fragment": b"fragment",
        "pagefind/en/2026-01/wasm.en.pagefind": b"wasm",
        "pagefind/en/2026-01/pagefind.js": b"export {}",
        "raw.wasm": b"\x00asm",
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    server = PreviewServer(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


def get(url: str) -> tuple[int, str, str, bytes]:
    """Status, final URL, Content-Type and body (redirects followed)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, url, error.headers["Content-Type"], error.read()


def test_the_server_is_at_the_path_the_preview_was_built_for(served: str, tmp_path: Path) -> None:
    assert site_path(tmp_path / "site") == "/pr-7/"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/pr-7/", served)
    root = served.removesuffix("pr-7/")
    for base in (root, served):  # its own pages link below /; the 404 page links below /pr-7/
        assert get(base + "en/")[::3] == (200, b"<p>English home</p>")
        assert get(base + "assets/site.css")[2:] == ("text/css; charset=utf-8", b"body{}")


def test_a_folder_is_its_index_page_never_a_listing(served: str) -> None:
    status, url, kind, body = get(served + "en")
    assert (status, url, kind, body) == (200, served + "en/", "text/html; charset=utf-8", b"<p>English home</p>")
    for missing in ("assets/", "pagefind/", "en/nope/", "nope.html"):
        assert get(served + missing) == (404, served + missing, "text/html; charset=utf-8", b"<h1>Page not found</h1>")


def test_a_url_that_names_no_file_is_a_bad_request_not_a_traceback(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    for odd in ("%00", "index.html%00.png", "%ed%a0%80"):
        assert get(served + odd)[0] == 400, odd
    assert "Traceback" not in capsys.readouterr().err


def test_search_files_are_served_with_the_types_pagefind_reads(served: str) -> None:
    shard = served + "pagefind/en/2026-01/"
    assert get(served + "raw.wasm")[2] == "application/wasm"
    assert get(shard + "pagefind.js")[2] == "text/javascript; charset=utf-8"
    for name in ("pagefind.en_1.pf_meta", "index/en_1.pf_index", "fragment/en_1.pf_fragment", "wasm.en.pagefind"):
        assert get(shard + name)[::2] == (200, "application/octet-stream"), name
    with urllib.request.urlopen(served + "en/", timeout=10) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# `make preview`, in a browser, over the sample preview zipped as the preview workflow uploads it.


def artifact_of(site: Path, archive: Path) -> Path:
    """The site's files at the zip's top, as actions/upload-artifact writes `path: site/`."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(site).as_posix())
    return archive


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def unpacked(scratch: Path) -> list[Path]:
    return [p for p in scratch.iterdir() if p.name.startswith("briefs-artifact-")]


@pytest.mark.browser
def test_make_preview_serves_a_downloaded_preview_with_working_links_and_search(sample_preview: Build, tmp_path: Path) -> None:
    from browser import browser, free_port, wait_for

    archive = artifact_of(sample_preview.site, tmp_path / "preview-site.zip")
    port, scratch, log = free_port(), tmp_path / "tmp", tmp_path / "preview.log"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")} | {"TMPDIR": str(scratch)}
    # -o: an installed .venv is used as it is (a reinstall would reach for the package index).
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "preview", f"ARTIFACT={archive}", f"PORT={port}"]
    with log.open("w") as out:
        # its own process group, so that the interrupt reaches make and the server as Ctrl-C does
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: answers(base + "en/") or process.poll() is not None, timeout=60)
        assert process.poll() is None, log.read_text()
        assert f"Serving the preview at {base} (Ctrl-C stops it)" in log.read_text()
        assert len(unpacked(scratch)) == 1

        requests: list[str] = []
        with browser() as context:
            page = context.new_page()  # type: ignore[attr-defined]
            page.on("request", lambda r: requests.append(r.url))
            page.goto(base + "en/")
            page.click(".brief-list-title a")
            page.wait_for_selector("article.brief h1")
            assert re.fullmatch(re.escape(base) + r"en/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/", page.url)
            assert "Index of" not in page.content() and "Directory listing" not in page.title()

            page.keyboard.press("/")
            page.wait_for_selector("dialog.brief-search[open] .brief-search__input:focus")
            page.fill(".brief-search__input", "Meloni")
            page.wait_for_selector(".brief-search__result-link")
            first = page.locator(".brief-search__result-link").first
            assert "Rome consultations" in first.inner_text()
            first.click()
            page.wait_for_url(re.compile(r".*/en/2026/01/23/germany-italy-rome-consultations/$"))
            assert "Rome consultations" in page.locator("article.brief h1").inner_text()
        assert requests and all(r.startswith(base) or r.startswith("data:") for r in requests), requests
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        process.wait(timeout=30)
    output = log.read_text()
    assert "Traceback" not in output, output
    assert unpacked(scratch) == [], "the unpacked preview is removed when the server stops"
    assert not answers(base + "en/")
