"""``briefs preview ARTIFACT``: a pull request's preview, served on this machine.

Opened from disk, a preview lists folders instead of opening their pages and
its search cannot load; served over HTTP it works as published. The artifact
(``preview-site.zip``) was made by a run that the pull request controls, so
every name and byte in it is untrusted: it is unpacked into a fresh temporary
folder only if each entry is a plain file or folder below it, within bounds on
size and count, and the folder is served on a loopback address only, then
removed when the server stops.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import ipaddress
import os
import re
import shutil
import signal
import socket
import socketserver
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import IO, Any, cast
from urllib.parse import urlsplit

#: A preview of this site is a few MB; GitHub Pages publishes at most 1 GB.
MAX_BYTES = 1 << 30
MAX_FILES = 50_000
DEFAULT_PORT = 8001
EXIT_OK, EXIT_USAGE = 0, 2

# Types by suffix, the same on every machine (the system's table varies).
# Pagefind reads its index files as bytes and its WebAssembly only as application/wasm.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".wasm": "application/wasm",
}
OCTETS = "application/octet-stream"  # .pagefind, .pf_meta, .pf_index, .pf_fragment, .pf_filter, anything else

_DRIVE = re.compile(r"^[A-Za-z]:")
# Backslashes and colons are separators or drive letters elsewhere; control characters garble messages.
_REFUSED_CHAR = re.compile(r"[\x00-\x1f\x7f\\:]")
_SITE_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")
_CANONICAL = re.compile(r"""<link\s+rel=["']?canonical["']?\s+href=["']([^"']+)["']""", re.IGNORECASE)


class PreviewError(Exception):
    """Why an artifact is not served, in one line."""


def member_path(name: str) -> PurePosixPath:
    """The path below the preview's folder that an entry's name stands for.

    >>> member_path("en/2026/index.html")
    PurePosixPath('en/2026/index.html')
    >>> member_path("pagefind/")
    PurePosixPath('pagefind')
    """
    shown = ascii(name)  # quoted, with any control character escaped
    if not name.strip("/"):
        raise PreviewError(f"an entry has no name ({shown})")
    if name.startswith("/") or _DRIVE.match(name):
        raise PreviewError(f"entry {shown} is an absolute path")
    if _REFUSED_CHAR.search(name):
        raise PreviewError(f"entry {shown} has a backslash, colon or control character in its name")
    parts = name.removesuffix("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise PreviewError(f"entry {shown} is not a plain path below the preview (empty, . or .. part)")
    return PurePosixPath(*parts)


def _is_folder(info: zipfile.ZipInfo, path: PurePosixPath) -> bool:
    """A folder entry or a regular file's; anything else (a link, a device, a pipe) is refused.

    The high 16 bits of the external attributes are the Unix mode, when the
    zip was made on a Unix system: that is where a zip records a symlink.
    """
    kind = stat.S_IFMT(info.external_attr >> 16)
    folder = info.filename.endswith("/")
    if kind and kind != (stat.S_IFDIR if folder else stat.S_IFREG):
        raise PreviewError(f"entry {path} is not a regular file or folder (a link or special file)")
    if info.flag_bits & 0x1:
        raise PreviewError(f"entry {path} is encrypted")
    return folder


Entry = tuple[zipfile.ZipInfo, PurePosixPath, bool]  # the entry, its path, whether it is a folder


def plan(infos: list[zipfile.ZipInfo], *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> list[Entry]:
    """Each entry with its path, all checked before anything is written."""
    if len(infos) > max_files:
        raise PreviewError(f"{len(infos):,} entries, more than a preview may hold ({max_files:,})")
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise PreviewError(f"unpacks to {declared:,} bytes, more than a preview may ({max_bytes:,})")
    entries: list[Entry] = []
    files: set[PurePosixPath] = set()
    folders: set[PurePosixPath] = set()
    for info in infos:
        path = member_path(info.filename)
        folder = _is_folder(info, path)
        if path in files or (path in folders and not folder):
            raise PreviewError(f"entry {path} appears twice")
        (folders if folder else files).add(path)
        folders.update(path.parents)
        entries.append((info, path, folder))
    clash = files & folders
    if clash:
        raise PreviewError(f"entry {min(clash)} is both a file and a folder")
    if PurePosixPath("index.html") not in files:
        raise PreviewError("no index.html at its top: is it the preview-site artifact as downloaded?")
    return entries


def unpack(archive: Path, into: Path, *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> None:
    """Unpack ``archive`` into the empty folder ``into``, or raise PreviewError having written nothing unsafe."""
    try:
        with zipfile.ZipFile(archive) as zf:
            budget = max_bytes
            for info, path, folder in plan(zf.infolist(), max_bytes=max_bytes, max_files=max_files):
                target = into.joinpath(*path.parts)
                if folder:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                # "x": never through anything already there; sizes are counted as written, not as declared.
                with zf.open(info) as source, open(target, "xb") as out:
                    budget = _copy(source, out, budget, path)
    # NotImplementedError: a compression method zipfile lacks.
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise PreviewError(f"not a readable zip file ({exc})") from None
    except OSError as exc:
        raise PreviewError(f"cannot unpack it: {exc.strerror or exc}") from None


def _copy(source: IO[bytes], out: IO[bytes], budget: int, path: PurePosixPath) -> int:
    while chunk := source.read(1 << 16):
        budget -= len(chunk)
        if budget < 0:
            raise PreviewError(f"entry {path} unpacks past the preview's size limit")
        out.write(chunk)
    return budget


@contextlib.contextmanager
def site_folder(artifact: Path) -> Iterator[Path]:
    """The preview's folder: a folder as given, or a zip unpacked into a temporary folder removed afterwards."""
    if artifact.is_dir():
        check_folder(artifact)
        yield artifact.resolve()
        return
    if not artifact.exists():
        raise PreviewError(f"{artifact}: no such file")
    scratch = Path(tempfile.mkdtemp(prefix="briefs-artifact-"))
    try:
        site = scratch / "site"
        site.mkdir()
        try:
            unpack(artifact, site)
        except PreviewError as exc:
            raise PreviewError(f"{artifact}: {exc}") from None
        yield site
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_folder(root: Path) -> None:
    """A folder is served as it is, if it holds what a zip may: regular files and folders, index.html on top.

    An archive tool may have unpacked the artifact and made its links: one could point anywhere on this machine.
    """
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder, name)
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                raise PreviewError(f"{path}: not a regular file or folder (a link or special file)")
    if not (root / "index.html").is_file():
        raise PreviewError(f"{root}: no index.html in this folder")


def site_path(root: Path) -> str:
    """The path of the URL the preview was built for (``/pr-7/``), read from its home's canonical link; ``/`` if none."""
    with contextlib.suppress(OSError):
        with open(root / "index.html", encoding="utf-8", errors="replace") as home:
            match = _CANONICAL.search(home.read(1 << 16))
        if match:
            path = urlsplit(match.group(1)).path
            if _SITE_PATH.fullmatch(path):
                return path
    return "/"


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int) -> None:
        self.root = os.path.realpath(root)
        # The site's 404 page links its styles below the path it was built for: that path serves the site too.
        self.base = site_path(root)
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer's own looks the host's name up in DNS, which can take seconds; nothing uses it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if self.address_family == socket.AF_INET6 else host
        return f"http://{shown}:{port}{self.base}"


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: a folder is its index.html, never a listing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=cast(PreviewServer, args[2]).root, **kwargs)

    @property
    def site(self) -> PreviewServer:
        return cast(PreviewServer, self.server)

    def translate_path(self, path: str) -> str:
        base = self.site.base
        if base != "/" and urlsplit(path).path.startswith(base):
            path = path[len(base) - 1 :]
        return super().translate_path(path)

    def send_head(self) -> Any:
        try:
            return super().send_head()
        except (ValueError, UnicodeError):  # a NUL or a lone surrogate in the URL names no file
            self.send_error(400)
            return None

    def list_directory(self, path: Any) -> None:
        self.send_error(404)

    def guess_type(self, path: Any) -> str:
        return TYPES.get(os.path.splitext(str(path))[1].lower(), OCTETS)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = os.path.join(self.site.root, "404.html")
        if code != 404 or not os.path.isfile(page):
            super().send_error(code, message, explain)
            return
        with open(page, "rb") as file:
            body = file.read()
        self.send_response(404)
        self.send_header("Content-Type", TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")  # a newer artifact on the same port shows at once
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def loopback(host: str) -> str:
    """``host`` if it is a loopback address (``localhost`` is 127.0.0.1), else PreviewError."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise PreviewError(f"--bind: {host!r} is not an IP address") from None
    if not address.is_loopback:
        raise PreviewError(f"--bind: {host} is not a loopback address; a preview is served to this machine only")
    return host


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    try:
        host = loopback(args.bind)
        if not 0 <= args.port <= 65535:
            raise PreviewError(f"--port: {args.port} is not a port number")
        # Closing the terminal or `kill` stops it as Ctrl-C does, and the unpacked files go; Ctrl-C
        # itself is set again, as a shell starting a command in the background ignores it.
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop)
        with site_folder(Path(args.artifact).expanduser()) as root:
            try:
                server = PreviewServer(root, host, args.port)
            except OSError as exc:
                raise PreviewError(f"cannot serve on {host} port {args.port}: {exc.strerror or exc}") from None
            with server, contextlib.suppress(KeyboardInterrupt):
                print(f"Serving the preview at {server.url} (Ctrl-C stops it)", flush=True)
                server.serve_forever()
    except PreviewError as exc:
        print(f"briefs: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # while unpacking: the temporary folder is already gone
        pass
    return EXIT_OK


def add_command(sub: Any) -> None:
    """``briefs preview``, added to the command's parser."""
    cmd = sub.add_parser("preview", help="serve a downloaded preview (preview-site.zip, or its folder) on this machine")
    cmd.add_argument("artifact", metavar="ARTIFACT", help="the preview-site artifact as downloaded: a zip, or a folder")
    cmd.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default: {DEFAULT_PORT})")
    cmd.add_argument("--bind", default="127.0.0.1", help="loopback address to serve on (default: 127.0.0.1)")
    cmd.set_defaults(run=run)
