"""Pages without their templates' indentation: the same document in fewer bytes.

A page of the theme is about a seventh indentation and blank lines, repeated on
twenty thousand pages of an archive. Whitespace that starts a line is dropped
and runs of lines become one line break; a line break stays wherever there was
one, so the text reads as it did (between two words, a space is a space).
Elements whose text is taken as written keep every byte: ``pre`` and
``textarea``, and ``script`` and ``style``, whose hashes the page's
Content-Security-Policy names.
"""

from __future__ import annotations

import re

_KEPT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_LINE_START = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """``html`` with the whitespace that begins its lines removed, outside the elements that keep it.

    >>> compact_html("<ul>\\n    <li>a\\n\\n    b</li>\\n  </ul>\\n<pre>  x\\n    y</pre>\\n  <script>\\n  f()</script>")
    '<ul>\\n<li>a\\nb</li>\\n</ul>\\n<pre>  x\\n    y</pre>\\n<script>\\n  f()</script>'
    """
    pieces: list[str] = []
    end = 0
    for kept in _KEPT.finditer(html):
        pieces.append(_LINE_START.sub("\n", html[end : kept.start()]))
        pieces.append(kept.group(0))
        end = kept.end()
    pieces.append(_LINE_START.sub("\n", html[end:]))
    return "".join(pieces)
