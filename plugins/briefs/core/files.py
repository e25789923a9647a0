"""Files beside a brief (SPEC §7): images only, plain files only, each checked.

Whatever sits in a brief folder is published at the brief's URL, on the site's
own origin, so a folder may hold only what cannot run there: raster images,
and SVG drawings made of shapes and text alone.
"""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

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
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[^)]*\)", re.IGNORECASE)


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
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    declaration = re.match(rb"<\?xml\s[^?]*\?>", head)
    rest = head[declaration.end() :] if declaration else head
    if b"<!" in rest.replace(b"<!--", b"") or b"<?" in rest:
        raise UnsafeSvg("a DOCTYPE, entity or processing instruction is not allowed in an SVG")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"not a well-formed SVG drawing ({exc})") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg("the drawing must start with <svg>")
    for element in root.iter():
        namespace, name = _split(element.tag)
        if namespace not in {"", _SVG_NS} or name not in SVG_ELEMENTS:
            raise UnsafeSvg(f"<{name}> is not allowed in an SVG; only shapes and text")
        for attribute, value in element.attrib.items():
            _check_attribute(name, attribute, value)


def _check_attribute(element: str, attribute: str, value: str) -> None:
    namespace, name = _split(attribute)
    if name.lower().startswith("on"):
        raise UnsafeSvg(f"the event handler {name}= on <{element}> is not allowed in an SVG")
    if (name == "href" or namespace == _XLINK_NS) and not value.strip().startswith("#"):
        raise UnsafeSvg(f"{name}= on <{element}> may only point inside the drawing (#id)")
    if "url(" in _LOCAL_URL.sub("", value).lower():
        raise UnsafeSvg(f"{name}= on <{element}> refers outside the drawing")
    if name == "style" and re.search(r"@import|expression\s*\(|\\", value, re.IGNORECASE):
        raise UnsafeSvg(f"style= on <{element}> may hold plain properties only")


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
    if path.suffix.lower() == ".svg":
        try:
            check_svg(data)
        except UnsafeSvg as exc:
            return "BR209", f"`{name}`: {exc}", "export the drawing as plain shapes, or as PNG"
    return None


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
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "not a regular file")
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(len(data))
    return data
