"""Raster images beside a brief (SPEC §11): read with Pillow, bounded, upright, stripped, in widths.

An image is untrusted bytes. Its header is read first and its size bounded
before a single pixel is decoded, so that a 200-byte file claiming
60,000 × 60,000 pixels costs nothing; what is published is drawn again from
the decoded pixels alone, so no EXIF, XMP or IPTC block (a GPS position, a
camera's serial number, an owner's name) reaches a reader.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000
#: The widths a reader's screen picks from (``srcset``); an image is never made wider than it is.
WIDTHS = (480, 800, 1200, 1600)
#: The width of the rendition that link previews show (``og:image``).
SHARE_WIDTH = 1200
#: Bumped when renditions are made differently: cached renditions of another version are not used.
RENDITION_VERSION = "3"

#: Pillow's format for each file name ending (SPEC §7's raster images).
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP", ".avif": "AVIF"}
#: What a rendition beside the modern one is written as: the original's kind, or PNG for GIF and AVIF.
FALLBACK = {"PNG": "png", "JPEG": "jpg", "GIF": "png", "WEBP": "png", "AVIF": "png"}
MODERN = "webp"

# Pillow's own guard, tighter than its default: a bomb is refused as an error, never decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageProblem(ValueError):
    """Why an image may not be published, in the writer's words; ``code`` is its finding's."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


@dataclass(frozen=True)
class ImageSize:
    """An image's size as a reader sees it: upright, after its orientation tag."""

    width: int
    height: int
    format: str


def inspect(data: bytes, name: str) -> ImageSize:
    """Check that ``data`` is an image of the kind ``name`` says, within bounds; its upright size.

    Only the header is read, and the file's structure verified (PNG's checksums,
    JPEG's markers), without decoding its pixels.
    """
    suffix = name[name.rfind(".") :].lower()
    expected = FORMATS.get(suffix)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(set(FORMATS.values()))) as image:
                found, (width, height) = image.format, image.size
                _bounded(name, width, height)
                image.verify()  # before anything else reads the file: Pillow's rule
            with Image.open(io.BytesIO(data)) as image:
                orientation = image.getexif().get(0x0112, 1)
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        claimed = _CLAIMED.search(str(exc))  # Pillow refuses before it tells the size: its message has the count
        raise _too_large(name, 0, 0, int(claimed.group(1)) if claimed else None) from None
    except Exception:  # Pillow raises many kinds for a broken file; all mean the same to a writer
        raise ImageProblem("BR206", f"`{name}` is not a readable {suffix[1:].upper()} image", _SAVE_AGAIN) from None
    if found != expected:
        raise ImageProblem("BR206", f"`{name}` is a {found} image, not a {suffix[1:].upper()}", _SAVE_AGAIN)
    if orientation in {5, 6, 7, 8}:  # turned a quarter: the reader sees it the other way round
        width, height = height, width
    return ImageSize(width, height, found)


_SAVE_AGAIN = "save it again, in the format its name says"


def _bounded(name: str, width: int, height: int) -> None:
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise _too_large(name, width, height)


_CLAIMED = re.compile(r"Image size \((\d+) pixels\)")


def _too_large(name: str, width: int, height: int, pixels: int | None = None) -> ImageProblem:
    if width:
        size = f" is {width} × {height} pixels"
    elif pixels:
        size = f" claims {pixels:,} pixels"
    else:
        size = " claims more pixels than it may hold"
    limits = f"at most {MAX_SIDE:,} px a side and {MAX_PIXELS // 1_000_000} megapixels"
    return ImageProblem("BR210", f"`{name}`{size}; {limits}", "make it smaller before adding it")


def rendition_widths(width: int) -> tuple[int, ...]:
    """The widths an image of ``width`` pixels is published in: the standard ones below it, and itself up to the largest."""
    return (*(w for w in WIDTHS if w < width), min(width, WIDTHS[-1]))


def fallback_width(width: int) -> int:
    """The one width an image of ``width`` pixels is also published at in its own kind: the link previews' width, or its largest.

    Every browser readers use takes WebP, which comes in every width; the file in the original's kind
    is for what does not (a mail client, a link preview, an old browser), and one size serves that.
    """
    widths = rendition_widths(width)
    return next((w for w in widths if w >= SHARE_WIDTH), widths[-1])


def rendition_height(size: ImageSize, width: int) -> int:
    return max(1, round(size.height * width / size.width))


#: Where a lead image's renditions are published: one folder per image, named by its bytes, that
#: every language of the pair links (the files are the same for both, and a sync uploads them once).
LEAD_FOLDER = "images"


def lead_folder(file_digest: str) -> str:
    """The site folder of the lead image whose bytes have ``file_digest``: ``images/0123456789abcdef/``."""
    return f"{LEAD_FOLDER}/{file_digest[:16]}/"


def rendition_name(name: str, width: int, kind: str) -> str:
    """``photo.jpg`` at 800 px as WebP: ``photo-800.webp``."""
    return f"{name[: name.rfind('.')]}-{width}.{kind}"


def fallback_kind(size: ImageSize) -> str:
    return FALLBACK[size.format]


def renditions(data: bytes, name: str, *, own: bool) -> dict[str, bytes]:
    """The published files of one image, by file name: each width as WebP, and one file in the original's kind.

    Beside a brief's page (``own``) that one file is the image by its own name, which the
    text links; in a lead image's folder it is the fallback width (:func:`fallback_width`).
    Only these are made: encoding is most of an image's cost.

    The pixels are decoded once, turned upright and copied into a new image, so
    nothing of the file's metadata can follow. Widths are drawn largest first,
    each from the one before, bicubic: a third of the work of resizing the original
    each time, and within what the encoding changes anyway (Lanczos costs 40 % more).
    """
    size = inspect(data, name)
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)  # an animated GIF is published as its first frame
        upright = ImageOps.exif_transpose(opened.convert("RGBA" if _has_alpha(opened) else "RGB"))
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())  # the pixels and nothing else
    largest = min(size.width, WIDTHS[-1])
    # The one file in the original's kind: by its own name at the largest width, or the fallback width.
    single, single_name = (largest, name) if own else (fallback_width(size.width), "")
    single_kind = size.format if own else ("JPEG" if fallback_kind(size) == "jpg" else "PNG")
    made: dict[str, bytes] = {}
    scaled = pixels
    for width in sorted(rendition_widths(size.width), reverse=True):
        target = (width, rendition_height(size, width))
        if target != scaled.size:
            scaled = scaled.resize(target, Image.Resampling.BICUBIC)
        made[rendition_name(name, width, MODERN)] = _encode(scaled, "WEBP")
        if width == single:
            made[single_name or rendition_name(name, width, fallback_kind(size))] = _encode(scaled, single_kind)
    return dict(sorted(made.items()))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind in {"GIF", "AVIF"}:
        image.save(out, kind)
    elif kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
    elif kind == "WEBP":
        image.save(out, "WEBP", quality=80, method=2)  # half the time of method 4, about 5 % larger
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
