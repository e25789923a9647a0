"""The published images of one build (SPEC §11): each raster image's renditions, from the cache or made.

Renditions are a pure function of the image's bytes, so they are cached by
its digest, like the cards: a warm rebuild makes none. They are made straight
into the site folder, by the workers of :class:`~.beside.Beside` while the pages
are rendered when there are many; the live preview makes an image's files when
a browser asks for one.
SVG drawings, checked as SPEC §7 says, are published as they are.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, partial
from pathlib import Path

from ..core.cache import DiskCache, digest
from ..core.codec import Codec
from ..core.corpus import image_digest, image_size
from ..core.figures import linked_files
from ..core.files import MAX_IMAGE_BYTES, read_plain_file
from ..core.images import (
    MODERN,
    RENDITION_VERSION,
    fallback_kind,
    fallback_width,
    lead_folder,
    rendition_name,
    rendition_widths,
    renditions,
)
from ..core.rendering import RenderedParts
from ..site.plan import SitePlan
from .beside import Beside, chunks
from .previous import PreviousOutput

log = logging.getLogger("mkdocs.plugins.briefs")

RENDITIONS: Codec[dict[str, bytes]] = Codec(dict[str, bytes])
#: Images a worker makes per job (a tenth of a second each).
IMAGES_A_JOB = 4


class ImageFiles:
    """Every published raster image: ``site folder -> its source file``, and how its files get there."""

    def __init__(self, plan: SitePlan, images: dict[Path, list[Path]], cache_dir: Path | None) -> None:
        self.cache = DiskCache(cache_dir, "images", RENDITIONS)
        #: (page folder in the site, source image) for each published brief's raster images.
        self.sources: list[tuple[str, Path]] = []
        #: The SVG drawings, published as they are: site path -> source.
        self.drawings: dict[str, Path] = {}
        #: The lead images' files, each once (see :attr:`leads`).
        self._leads: dict[Path, None] = {}
        #: Those the last build left in place (see :meth:`write`).
        self.kept: set[str] = set()
        # By the folder's name: a brief's folder as a path is made and hashed anew each time (a preview saves often).
        by_folder = {str(folder): found for folder, found in images.items()}
        for brief in plan.published:
            lead = brief.image.src if brief.image else None
            for image in by_folder.get(os.path.dirname(brief.path), ()):
                if image.suffix.lower() == ".svg":
                    self.drawings[f"{brief.url}{image.name}"] = image
                elif image.name != lead:
                    self.sources.append((brief.url, image))
                else:
                    self._leads[image] = None
                    if _in_body(plan.parts.get(brief.url), image.name):  # shown in the text too, by its own name
                        self.sources.append((brief.url, image))

    @cached_property
    def leads(self) -> dict[str, Path]:
        """The lead images' folders (``images/<digest>/``): their renditions only, linked by every language.

        Named by each file's digest when first asked for: the live preview, rebuilt on every save, asks when a
        browser wants an image.
        """
        found: dict[str, Path] = {}
        for image in self._leads:
            found.setdefault(lead_folder(image_digest(image)), image)
        return found

    @property
    def count(self) -> int:
        return len(self.sources) + len(self.leads)

    def jobs(self) -> list[tuple[str, Path, bool]]:
        """Each folder's image: ``(site folder, source, whether its own name is published too)``."""
        return [
            *((url, source, True) for url, source in self.sources),
            *((url, source, False) for url, source in self.leads.items()),
        ]

    def key(self, source: Path, own: bool) -> str:
        return digest(RENDITION_VERSION, image_digest(source), source.name, "own" if own else "lead")

    def files(self, source: Path, own: bool) -> dict[str, bytes]:
        """One image's files for one folder (:func:`_names`): from the cache when it has them, else made (and kept there)."""
        return _files(self.cache, source, own, self.key(source, own))

    @property
    def folders(self) -> dict[str, str]:
        """The lead images' folders below the site, by what their files are made from: for the next build's record."""
        return {url.rstrip("/"): f"image {RENDITION_VERSION}" for url in self.leads}

    def take_back(self, previous: PreviousOutput | None) -> None:
        """Move back the lead images' folders that the last build left as they are (before :meth:`to_make`)."""
        folders = self.folders
        self.kept = {url for url in self.leads if previous and previous.take_shard(url.rstrip("/"), folders[url.rstrip("/")])}

    def todo(self) -> list[tuple[str, Path, bool]]:
        """What :meth:`write` writes: each job but the lead images' folders taken back."""
        return [(url, source, own) for url, source, own in self.jobs() if own or url not in self.kept]

    def to_make(self) -> int:
        """How many of those are not in the cache: made from their pixels."""
        return sum(not self.cache.has(self.key(source, own)) for _url, source, own in self.todo())

    def write(self, site_dir: Path, beside: Beside | None = None) -> None:
        """Every image's files (after :meth:`take_back`): here, or by the workers of ``beside`` while the pages are rendered."""
        jobs = [(url, str(source), own, self.key(source, own)) for url, source, own in self.todo()]
        cache_dir = str(self.cache.root) if self.cache.root else None
        if beside is None:
            write_images(str(site_dir), cache_dir, jobs)
        else:
            for part in chunks(jobs, IMAGES_A_JOB):
                beside.submit(write_images, str(site_dir), cache_dir, part)
        log.info(f"Briefs: {self.count} images published in their widths ({len(self.kept)} lead images' folders kept in place)")

    def live_files(self) -> Mapping[str, Callable[[], bytes]]:
        """For the live preview: an image's files made when a browser first asks for one of them."""
        return _LiveImages(self)


class _LiveImages(Mapping[str, Callable[[], bytes]]):
    """The preview's image files by path, looked up when asked for: a rebuild reads no image header."""

    def __init__(self, images: ImageFiles) -> None:
        self.images = images
        self.made: dict[tuple[Path, bool], _Once] = {}

    @cached_property
    def folders(self) -> dict[str, list[tuple[Path, bool]]]:
        found: dict[str, list[tuple[Path, bool]]] = {}
        for url, source, own in self.images.jobs():
            found.setdefault(url, []).append((source, own))
        return found

    def __getitem__(self, path: str) -> Callable[[], bytes]:
        folder, _, name = path.rpartition("/")
        for source, own in self.folders.get(f"{folder}/", ()):
            if name in _names(source, own):
                made = self.made.setdefault((source, own), _Once(partial(self.images.files, source, own)))
                return partial(made.file, name)
        raise KeyError(path)

    def __iter__(self) -> Iterator[str]:
        for url, sources in self.folders.items():
            for source, own in sources:
                yield from (f"{url}{name}" for name in _names(source, own))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Once:
    def __init__(self, make: Callable[[], dict[str, bytes]]) -> None:
        self.make = make
        self.made: dict[str, bytes] | None = None

    def file(self, name: str) -> bytes:
        if self.made is None:
            self.made = self.make()
        return self.made.get(name, b"")


def _in_body(parts: RenderedParts | None, name: str) -> bool:
    """Whether a brief's text shows or links the file ``name`` itself, which then is published by that name too.

    A piece that holds neither the name nor an escape (``%``, ``&``) cannot link it: most are not searched.
    """
    if parts is None:
        return False
    return any(name in linked_files(piece) for piece in parts.body_html if name in piece or "%" in piece or "&" in piece)


def _names(source: Path, own: bool = True) -> list[str]:
    """The names an image is published under in one folder, known from its header alone.

    Every width as WebP; beside a brief's page (``own``), the file's own name, which its text
    shows to what takes no WebP; in a lead image's folder, the one copy in the original's kind.
    """
    size = image_size(source)
    names = [rendition_name(source.name, width, MODERN) for width in rendition_widths(size.width)]
    if own:
        return [source.name, *names]
    return [*names, rendition_name(source.name, fallback_width(size.width), fallback_kind(size))]


def _files(cache: DiskCache[dict[str, bytes]], source: Path, own: bool, key: str) -> dict[str, bytes]:
    made = cache.get(key)
    if made is None:
        made = renditions(read_plain_file(source, MAX_IMAGE_BYTES), source.name, own=own)
        cache.put(key, made)
    return made


def write_images(site_dir: str, cache_dir: str | None, jobs: list[tuple[str, str, bool, str]]) -> None:
    """Images' files into the site folder, each ``(site folder, source, own name too, key)``: a job for :class:`Beside`."""
    cache = DiskCache(Path(cache_dir) if cache_dir else None, "images", RENDITIONS)
    for url, source, own, key in jobs:
        folder = Path(site_dir, url)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in _files(cache, Path(source), own, key).items():
            (folder / name).write_bytes(data)
