"""The kinds of generated page, and what each kind asks of a build."""

from __future__ import annotations

from enum import StrEnum


class PageKind(StrEnum):
    BRIEF = "brief"
    HOME = "home"
    TOPIC = "topic"
    TOPICS = "topics"
    ARCHIVE = "archive"
    ARCHIVE_INDEX = "archive-index"
    DIGEST = "digest"
    DIGEST_INDEX = "digest-index"
    CHOOSER = "chooser"
    SOURCES = "sources"
    OUTLET = "outlet"
    CORRECTIONS = "corrections"
    AUTHOR = "author"
    #: The desk's overview of translations, in previews only.
    STATUS = "status"

    @property
    def in_menu(self) -> bool:
        """Whether a page of this kind (its first page) heads its language's menu."""
        return self in MENU


#: The lists that head each language's menu, in the menu's order.
MENU = (PageKind.HOME, PageKind.TOPICS, PageKind.ARCHIVE_INDEX, PageKind.DIGEST_INDEX)
