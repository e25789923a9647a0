"""What pages show of a brief's lead image (SPEC §11): its renditions as ``srcset``, its caption and credit."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.corpus import image_digest, image_size
from ..core.images import MODERN, fallback_kind, fallback_width, lead_folder, rendition_height, rendition_name, rendition_widths
from ..core.model import Brief

#: The lead image's width on a page: the content column (Material's grid is at most 61rem wide), else the screen.
SIZES = "(min-width: 76.25em) 680px, 100vw"
_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass(frozen=True)
class LeadImageView:
    """Everything a page, a list, a feed or a link preview shows of a lead image; URLs relative to the brief's page."""

    #: The rendition in the original's kind (one width: see :func:`~briefs.core.images.fallback_width`).
    src: str
    webp_srcset: str
    width: int
    height: int
    alt: str
    credit: str
    caption_html: str
    #: The rendition link previews show (``og:image``): 1200 px wide, or the widest there is.
    share: str
    share_width: int
    share_height: int
    share_type: str
    #: The same two below the site root (what feeds, lists and absolute URLs are made from).
    share_path: str
    thumb_path: str
    #: A small rendition for lists.
    thumb: str
    thumb_width: int
    thumb_height: int
    #: An SVG drawing: one file, no renditions.
    drawing: bool = False


def lead_image_view(brief: Brief, caption_html: str) -> LeadImageView | None:
    image = brief.image
    if image is None:
        return None
    if image.src.lower().endswith(".svg"):
        return LeadImageView(
            src=image.src,
            webp_srcset="",
            width=0,
            height=0,
            alt=image.alt,
            credit=image.credit,
            caption_html=caption_html,
            share="",
            share_width=0,
            share_height=0,
            share_type="",
            share_path="",
            thumb_path=brief.url + image.src,
            thumb=image.src,
            thumb_width=0,
            thumb_height=0,
            drawing=True,
        )
    source = brief.path.parent / image.src
    size = image_size(source)
    widths = rendition_widths(size.width)
    kind = fallback_kind(size)
    # The renditions are in the image's own folder below the site root, which both languages link.
    home = lead_folder(image_digest(source))
    folder = "../" * brief.url.count("/") + home

    def name(width: int, ending: str) -> str:
        return folder + rendition_name(image.src, width, ending)

    def srcset(ending: str) -> str:
        return ", ".join(f"{name(w, ending)} {w}w" for w in widths)

    smallest, share = widths[0], fallback_width(size.width)
    return LeadImageView(
        src=name(share, kind),
        webp_srcset=srcset(MODERN),
        width=share,
        height=rendition_height(size, share),
        alt=image.alt,
        credit=image.credit,
        caption_html=caption_html,
        share=name(share, kind),
        share_width=share,
        share_height=rendition_height(size, share),
        share_type=_TYPES[kind],
        share_path=home + rendition_name(image.src, share, kind),
        thumb_path=home + rendition_name(image.src, smallest, MODERN),
        thumb=name(smallest, MODERN),
        thumb_width=smallest,
        thumb_height=rendition_height(size, smallest),
    )


@dataclass(frozen=True)
class SharedImage:
    """The lead image where a reader sees it away from the site (feeds, the e-mail edition): the site's own copy.

    ``path`` is below the site root (an absolute URL once the site's address is put before it),
    the 1200-px rendition, or the widest there is of a smaller image; never the file as it was added.
    """

    path: str
    width: int
    height: int
    type: str
    alt: str
    credit: str


def shared_image(brief: Brief) -> SharedImage | None:
    """The lead image of ``brief`` for feeds and e-mail; None without one, or for a drawing (mail clients show no SVG)."""
    lead = lead_image_view(brief, "")
    if lead is None or lead.drawing:
        return None
    return SharedImage(lead.share_path, lead.share_width, lead.share_height, lead.share_type, lead.alt, lead.credit)
