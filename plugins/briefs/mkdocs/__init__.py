"""The MkDocs side: page contexts, navigation, writing generated pages (through
frames, the page cache and the last build's output) and the live preview.

Every use of a private part of MkDocs, Jinja or watchdog is in ``internals``.
"""
