"""Content-Security-Policy for every page, as a ``<meta http-equiv>``.

Scripts may come only from the site itself, plus the theme's few inline
scripts, allowed by the SHA-256 of their exact text. Writers' HTML is
sanitized before it reaches a page, so no inline script of theirs can exist to
be hashed; the policy is the second line of defence.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_EXECUTABLE = {"", "text/javascript", "module", "application/javascript"}
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)

POLICY = {
    "default-src": ["'self'"],
    # Pagefind runs its search in WebAssembly.
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    # Material sets inline styles; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for the executable inline scripts of ``html``.

    >>> inline_script_hashes('<script>1</script><script type="application/json">{}</script><script src="a.js"></script>')
    ["'sha256-a4ayc/80/OGda4BO/1o/V0etpOqiLx1JwB5S3beHW0s='"]
    """
    hashes = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs.lower():
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") not in _EXECUTABLE:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode()}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


@dataclass(frozen=True)
class ContentPolicy:
    """The site's policy: :data:`POLICY`, with the newsletter's form (SPEC §10) as the only place a form may post.

    >>> ContentPolicy.for_form("https://mail.example/subscribe?list=1").form_action
    ('https://mail.example/subscribe',)
    """

    form_action: tuple[str, ...] = ("'self'",)

    @classmethod
    def for_form(cls, action: str | None) -> ContentPolicy:
        if not action:
            return cls()
        # A source expression has no query or fragment: it names the endpoint itself.
        return cls((action.split("#", 1)[0].split("?", 1)[0],))

    def policy_for(self, html: str) -> str:
        directives = {
            **POLICY,
            "script-src": POLICY["script-src"] + inline_script_hashes(html),
            "form-action": list(self.form_action),
        }
        return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())

    def add(self, html: str) -> str:
        """Insert the policy right after ``<meta charset>``, before any script can run."""
        meta = f'<meta http-equiv="Content-Security-Policy" content="{self.policy_for(html)}">'
        found = _CHARSET.search(html)
        if found is None:
            return html.replace("<head>", f"<head>{meta}", 1)
        return html[: found.end()] + meta + html[found.end() :]


#: The policy of a site without a newsletter form.
DEFAULT_POLICY = ContentPolicy()
