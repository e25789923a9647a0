"""Characters that no text of a brief may hold, and XML that cannot hold them.

YAML's escapes (``"\\x01"``, ``"\\uFFFE"``) reach a field even though the file
itself has none of them; XML 1.0 cannot carry most of them at all, so one
control character in a title would make every feed that lists it unreadable.
"""

from __future__ import annotations

import re

_RANGES = [
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f",  # C0 and C1 controls but tab and newline
    "\ud800-\udfff",  # lone surrogates: no encoding writes them
    "\ufdd0-\ufdef\ufffe\uffff",  # non-characters of the first plane
    *(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)),
]
#: A character no brief text may hold.
FORBIDDEN = re.compile(f"[{''.join(_RANGES)}]")


def first_forbidden(text: str) -> int | None:
    """The offset of the first forbidden character, if any.

    >>> first_forbidden("ok\\ttab\\nline"), first_forbidden("bad \\x01"), first_forbidden("\\ufffe")
    (None, 4, 0)
    """
    found = FORBIDDEN.search(text)
    return found.start() if found else None


def describe_char(char: str) -> str:
    """``U+0001``, as editors name it."""
    return f"U+{ord(char):04X}"


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD.

    >>> xml_safe("Merz\\x01 & Meloni\\ufffe")
    'Merz\\ufffd & Meloni\\ufffd'
    """
    return FORBIDDEN.sub("\ufffd", text)
