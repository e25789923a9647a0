"""What the live preview adds to each page it serves: its reload script and the build's errors.

MkDocs injects an inline script, which the site's own Content-Security-Policy
blocks (as it should: production pages keep their policy byte for byte). The
preview links a script file of the same origin instead, which ``'self'``
allows, and while the last save left errors it puts them over the page
(SPEC §12), so that a writer who looks only at the browser sees them.
"""

from __future__ import annotations

import re
import time
from html import escape
from pathlib import Path

#: Where the preview serves its reload script: below MkDocs' own /livereload/, never a page of the site.
RELOAD_PATH = "/livereload/briefs-reload.js"
RELOAD_SCRIPT = (Path(__file__).parent.parent / "assets" / "live" / "reload.js").read_bytes()

_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def reload_tag(epoch: int) -> bytes:
    """The script element that reloads a page once a build newer than ``epoch`` is served."""
    request = round(time.monotonic() * 1000)  # tells MkDocs' log one open page from another
    return f'<script src="{RELOAD_PATH}" data-epoch="{epoch}" data-request="{request}"></script>'.encode()


def error_banner(errors: list[str]) -> bytes:
    """SPEC §12's banner: each finding as the terminal prints it."""
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in errors)
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    return (
        '<div class="brief-build-error" role="alert">'
        f"<p><strong>The last save was not built ({count}).</strong> "
        "This is the last good build; fix the file and save again.</p>"
        f"<ul>{items}</ul></div>"
    ).encode()


def add_to_page(html: bytes, epoch: int, errors: list[str]) -> bytes:
    """``html`` with the reload script before ``</body>`` and, when there are errors, the banner first in the body."""
    end = html.rfind(b"</body>")
    end = len(html) if end < 0 else end
    html = html[:end] + reload_tag(epoch) + html[end:]
    if errors:
        body = _BODY.search(html)
        at = body.end() if body else 0
        html = html[:at] + error_banner(errors) + html[at:]
    return html
