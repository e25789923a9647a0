"""The ``briefs`` command: check, new, schema, report (SPEC §6)."""

from .main import main, parser

__all__ = ["main", "parser"]
