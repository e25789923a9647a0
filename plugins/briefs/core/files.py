"""Files beside a brief (SPEC §7): images only, plain files only, each checked.

Whatever sits in a brief folder is published at the brief's URL, on the site's
own origin, so a folder may hold only what cannot run there: raster images,
and SVG drawings made of shapes and text alone.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from .images import ImageProblem, inspect

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
MAX_IMAGE_BYTES = 5 * 1024 * 1024

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
#: Shapes, text and paint: nothing that scripts, links, embeds or animates.
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "pattern", "symbol", "use", "marker",
}  # fmt: skip
#: The only url() an SVG may hold: a reference inside the drawing, unquoted.
_LOCAL_URL = re.compile(r"url\(#[A-Za-z0-9_.:-]*\)", re.IGNORECASE)


class UnsafeSvg(Exception):
    """Why an SVG drawing may not be published."""


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run, load or link anything.

    >>> check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5" fill="url(#g)"/></svg>')
    >>> check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    Traceback (most recent call last):
    ...
    briefs.core.files.UnsafeSvg: <script> is not allowed in an SVG; only shapes and text
    """
    # Only UTF-8: a check that reads bytes in one encoding must not pass a file
    # that a browser reads in another (a UTF-16 processing instruction is invisible to it).
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise UnsafeSvg("an SVG must be saved as UTF-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeSvg("an SVG must be saved as UTF-8") from None
    declaration = re.match(rb"\s*<\?xml\s[^?]*\?>", data.removeprefix(b"\xef\xbb\xbf"))
    if declaration and re.search(rb"encoding\s*=\s*[\"'](?!utf-8[\"'])", declaration.group(), re.IGNORECASE):
        raise UnsafeSvg("an SVG must be saved as UTF-8")
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_: object) -> NoReturn:
        raise UnsafeSvg("a DOCTYPE, entity or processing instruction is not allowed in an SVG")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ProcessingInstructionHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    elements: list[tuple[str, dict[str, str]]] = []
    parser.StartElementHandler = lambda name, attributes: elements.append((name, attributes))
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnsafeSvg(f"not a well-formed SVG drawing ({exc})") from None
    if not elements or _local(_tag(elements[0][0])) != "svg":
        raise UnsafeSvg("the drawing must start with <svg>")
    for tag, attributes in elements:
        namespace, name = _split(_tag(tag))
        if namespace not in {"", _SVG_NS} or name not in SVG_ELEMENTS:
            raise UnsafeSvg(f"<{name}> is not allowed in an SVG; only shapes and text")
        for attribute, value in attributes.items():
            _check_attribute(name, _tag(attribute), value)


def _tag(name: str) -> str:
    """expat's ``namespace}local`` as ElementTree's ``{namespace}local``."""
    return "{" + name if "}" in name else name


def _check_attribute(element: str, attribute: str, value: str) -> None:
    namespace, name = _split(attribute)
    if name.lower().startswith("on"):
        raise UnsafeSvg(f"the event handler {name}= on <{element}> is not allowed in an SVG")
    if (name == "href" or namespace == _XLINK_NS) and not value.strip().startswith("#"):
        raise UnsafeSvg(f"{name}= on <{element}> may only point inside the drawing (#id)")
    # Any presentation attribute is CSS: escapes, comments, strings, image-set() and url() can
    # all hide another host from a check that does not tokenize CSS as a browser does.
    if re.search(r"[\\'\"]|/\*|image-set\s*\(|@import|expression\s*\(", value, re.IGNORECASE):
        raise UnsafeSvg(f"{name}= on <{element}> may hold plain values only")
    if "url(" in _LOCAL_URL.sub("", value).lower():
        raise UnsafeSvg(f"{name}= on <{element}> refers outside the drawing")


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]


def asset_problem(path: Path) -> tuple[str, str, str] | None:
    """Why a file beside a brief may not be published: ``(code, message, hint)``, or ``None``.

    The file is opened without following links, so what is checked is what is published.
    """
    name = path.name
    if path.is_symlink():
        return "BR207", f"`{name}` is a symbolic link; briefs/ holds plain files only", "replace it with the file itself"
    if name.startswith(".") or path.suffix.lower() not in IMAGE_SUFFIXES:
        allowed = " ".join(IMAGE_SUFFIXES)
        return "BR206", f"`{name}`: only images may sit beside a brief ({allowed})", "remove it from briefs/"
    try:
        data = read_plain_file(path, MAX_IMAGE_BYTES)
    except FileTooLarge as exc:
        return "BR208", f"`{name}` is {exc.size / 2**20:.1f} MiB; an image may be at most 5 MiB", "make it smaller"
    except OSError as exc:
        return "BR206", f"`{name}` cannot be read as a plain file ({exc.strerror})", "remove it from briefs/"
    suffix = path.suffix.lower()
    if suffix == ".svg":
        try:
            check_svg(data)
        except UnsafeSvg as exc:
            return "BR209", f"`{name}`: {exc}", "export the drawing as plain shapes, or as PNG"
    elif not _looks_like(suffix, data):
        # Served by its name, a file of other content could be read as something else (an XSL sheet, HTML).
        return "BR206", f"`{name}` is not a {suffix[1:].upper()} image", "save it in the format its name says"
    else:
        try:
            inspect(data, name)  # its header and structure, within bounds (SPEC §11)
        except ImageProblem as exc:
            return exc.code, str(exc), exc.hint
    if os.stat(path, follow_symlinks=False).st_nlink > 1:
        return "BR207", f"`{name}` is a hard link; briefs/ holds plain files only", "replace it with a copy of the file"
    return None


def _looks_like(suffix: str, data: bytes) -> bool:
    """Whether ``data`` starts as an image of that kind starts.

    >>> _looks_like(".png", b"\\x89PNG\\r\\n\\x1a\\n..."), _looks_like(".png", b"<xsl:stylesheet")
    (True, False)
    """
    if suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in {".jpg", ".jpeg"}:
        return data.startswith(b"\xff\xd8\xff")
    if suffix == ".gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if suffix == ".avif":
        # The first box's size leads: bytes that a parser of markup would read as text cannot.
        size = int.from_bytes(data[:4], "big")
        brand = data[8:12] in {b"avif", b"avis", b"mif1", b"msf1"}
        return data[4:8] == b"ftyp" and brand and 16 <= size <= min(len(data), 4096) and size % 4 == 0
    return False


class FileTooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_plain_file(path: Path, limit: int) -> bytes:
    """A regular file's bytes, never through a symbolic link, refusing more than ``limit`` bytes.

    ``/proc/self/environ`` and devices report a size of 0 and then stream: the
    read itself is bounded, not only the size the file claims.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "not a regular file")
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        # Reads of the size the file claims (one, and the one that finds its end), not of the limit:
        # a buffer of the limit is made and cleared for every file, a second of 20,000 files' reading.
        chunks, total = [], 0
        while chunk := os.read(fd, min(limit + 1 - total, max(status.st_size - total + 1, _STEP))):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total)
    finally:
        os.close(fd)
    return b"".join(chunks)


_STEP = 1 << 16
