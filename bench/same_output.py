"""Fingerprints of whole builds, to show that a change of code leaves the output as it was.

Builds the sample site and a synthetic archive (``--pairs``, default 2,000) with a
fixed ``SOURCE_DATE_EPOCH`` and no cache, and prints one SHA-256 per site over every
file's path and bytes. Run it before and after a change of structure; the lines
must be equal.

    python bench/same_output.py                 # sample + 2,000 pairs
    python bench/same_output.py --pairs 200     # quicker
    python bench/same_output.py --list out.txt  # also each file's digest, to find a difference
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE)]

from corpus import generate  # noqa: E402

EPOCH = "1769126400"  # 2026-01-23: any fixed moment makes builds comparable


def build(briefs: Path, site: Path) -> None:
    env = {
        **os.environ,
        "BRIEFS_DIR": str(briefs),
        "BRIEFS_CACHE_DIR": "false",
        "SOURCE_DATE_EPOCH": EPOCH,
        "SITE_URL": "https://briefs.example.org/",
        "BRIEFS_PREVIEW": "false",
        "NO_MKDOCS_2_WARNING": "1",
        # The footer names the commit built: the same name on both sides of a comparison.
        "GITHUB_SHA": "0" * 40,
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    subprocess.run(command, cwd=REPO, env=env, check=True)


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def fingerprint(files: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{name}\0{digest}\n" for name, digest in files.items()).encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--list", type=Path, help="write each file's digest here")
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="briefs-same-") as scratch:
        work = Path(scratch)
        sites = {"sample": REPO / "briefs", f"{args.pairs} pairs": generate(work / "archive", args.pairs)}
        for name, briefs in sites.items():
            site = work / name.replace(" ", "-") / "site"
            build(briefs, site)
            files = digests(site)
            print(f"{name}: {len(files)} files, {fingerprint(files)}", flush=True)
            lines += [f"{name}\t{path}\t{digest}" for path, digest in files.items()]
    if args.list:
        args.list.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
