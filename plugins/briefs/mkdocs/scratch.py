"""Scratch folders in the system's temporary folder, and what killed processes left there.

A preview keeps its search copies and index outside the site folder and removes
them when it stops; one that is killed cannot. Each folder's name carries the
process that made it, so the next one to start removes those of processes that
are gone, instead of leaving a writer's disk to fill preview after preview.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path


def scratch_folder(prefix: str) -> Path:
    """A new, private folder ``<tmp>/<prefix><pid>-<random>``; first, those of ``prefix`` whose process is gone go."""
    base = Path(tempfile.gettempdir())
    for found in base.glob(f"{prefix}*-*"):
        pid = found.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)) and _ours(found):
            shutil.rmtree(found, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def _ours(path: Path) -> bool:
    """A real folder (not a link to one) of this user: nothing else is removed."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
