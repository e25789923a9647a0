"""Where a build's time goes, phase by phase: written as JSON when ``BRIEFS_TIMINGS`` names a file.

``make bench`` reads it to print the breakdown at 10,000 pairs; a desk that
wonders why its build is slow can set it too. The phases are the plugin's
own; what is left of the build's wall time is MkDocs' (its configuration, its
files and navigation, the site's own pages).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The environment variable that names the file the timings go to.
TIMINGS_VARIABLE = "BRIEFS_TIMINGS"


class Timings:
    """Seconds per phase of one build, in the order the phases first ran."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.phases: dict[str, float] = {}

    def start(self) -> None:
        self.began = time.perf_counter()
        self.phases = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - began

    def report(self) -> dict[str, float]:
        """Each phase, then the rest of the build (MkDocs' own work) and the total, in seconds."""
        total = time.perf_counter() - self.began
        return {
            **self.phases,
            "MkDocs itself (configuration, files, navigation, site pages)": total - sum(self.phases.values()),
            "total": total,
        }

    def write(self) -> None:
        """To the file ``BRIEFS_TIMINGS`` names, if it names one."""
        target = os.environ.get(TIMINGS_VARIABLE)
        if target:
            Path(target).write_text(
                json.dumps({k: round(v, 3) for k, v in self.report().items()}, indent=1) + "\n", encoding="utf-8"
            )
