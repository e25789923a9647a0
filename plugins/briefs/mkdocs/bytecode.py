"""Compiled templates kept for the life of the process.

MkDocs makes a new Jinja environment for every build, so ``mkdocs serve``
would parse and compile Material's templates again after each edit (about a
third of a second). Jinja's bytecode cache takes them from memory instead;
each entry is checked against its template's source, so an edited template
is compiled anew.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def keep_compiled(env: Environment, caches: dict[tuple[object, ...], Any]) -> None:
    """Give ``env`` the process's cache (from ``caches``) for environments with its syntax and options."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return  # compiled under a function of the environment's own: not shared
    # Code compiled under other delimiters or options would differ: one cache per kind.
    kind = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.autoescape,
        tuple(sorted(env.extensions)),
    )
    env.bytecode_cache = caches.setdefault(kind, MemoryBytecodeCache())
