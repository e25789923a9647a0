"""How long the translation desk's status takes on a large archive (not a test; run by hand).

Builds N brief pairs (English originals, German translations that record the
originals' first version) in a temporary git repository, commits a few rounds
of edits to some originals (wording and `updated` alone), then times
``desk_status`` with git history: the content versions of every brief, one
``git log`` over ``briefs/`` and the batched reads of old versions that find
how far each outdated translation is behind.

    python bench/status_bench.py                 # 10,000 pairs
    python bench/status_bench.py --pairs 2000 --load   # also time load_corpus over the files
    python bench/status_bench.py --command       # also time `briefs status` itself (make bench does)
    python bench/status_bench.py --keep /tmp/archive   # leave the repository there to profile
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from briefs.core.model import Brief, Claim, Comparison, Pair, Source  # noqa: E402
from briefs.core.settings import Settings  # noqa: E402
from briefs.core.versions import content_version  # noqa: E402
from briefs.desk.history import GitHistory, VersionFinder, read_log  # noqa: E402
from briefs.desk.status import State, desk_status  # noqa: E402

WORDS = ["government", "coalition", "minister", "parliament", "budget", "energy", "prices", "border", "agreement", "industry"]


def sentence(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class Generated:
    """One language file of the archive."""

    brief_id: str
    date: dt.date
    title: str
    summary: str
    key_details: tuple[str, ...]
    sources: tuple[Source, ...]
    comparisons: tuple[Comparison, ...]
    body: str
    updated: dt.date | None = None

    def fields(self) -> dict[str, object]:
        data: dict[str, object] = {"title": self.title, "summary": self.summary, "date": self.date}
        if self.updated:
            data["updated"] = self.updated
        data["topics"] = ["politics"]
        data["key_details"] = list(self.key_details)
        data["sources"] = [{"name": s.name, "url": s.url} for s in self.sources]
        data["comparisons"] = [
            {
                "topic": c.topic,
                "summary": c.summary,
                "claims": [{"source": x.source, "quote": x.quote} for x in c.claims],
                "why": c.why,
            }
            for c in self.comparisons
        ]
        return data

    def write(self, path: Path, translated_from: tuple[str, str] | None = None) -> None:
        fields = self.fields()
        if translated_from is not None:
            fields["translated_from"] = {"lang": translated_from[0], "version": translated_from[1]}
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n\n{self.body}", encoding="utf-8")

    def brief(self, lang: str, path: Path) -> Brief:
        """The Brief that loading the file gives (built directly: loading is not what is timed)."""
        return Brief(
            id=self.brief_id,
            lang=lang,
            path=path,
            display=str(path),
            title=self.title,
            summary=self.summary,
            date=self.date,
            published=self.date,
            slug=self.brief_id,
            key_details=self.key_details,
            sources=self.sources,
            body=self.body,
            updated=self.updated,
            topics=("politics",),
            comparisons=self.comparisons,
        )


def generate(rng: random.Random, i: int, date: dt.date) -> Generated:
    sources = tuple(Source(f"outlet{k}.de", f"https://outlet{k}.de/{i}.html") for k in range(2))
    claims = tuple(Claim(s.name, sentence(rng, 8)) for s in sources)
    comparison = Comparison(sentence(rng, 4)[:-1], sentence(rng, 10), claims, sentence(rng, 15))
    body = "\n\n".join(" ".join(sentence(rng, 12) for _ in range(4)) for _ in range(4)) + "\n"
    details = tuple(sentence(rng, 9) for _ in range(4))
    brief_id = f"{date.isoformat()}-brief-{i}"
    return Generated(brief_id, date, f"{sentence(rng, 6)[:-1]} {i}", sentence(rng, 20), details, sources, (comparison,), body)


def git(root: Path, *args: str, when: str = "2026-01-01T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args], cwd=root, env=env, check=True)


def build(root: Path, pairs: int, seed: int) -> tuple[list[Pair], dict[tuple[str, str], tuple[str, str]]]:
    """The archive on disk and in git, and the pairs and records that loading it gives."""
    rng = random.Random(seed)
    briefs = root / "briefs"
    git(root, "init", "-q", "-b", "main")
    first: dict[str, Generated] = {}
    recorded: dict[tuple[str, str], tuple[str, str]] = {}
    for i in range(pairs):
        item = generate(rng, i, dt.date(2020, 1, 1) + dt.timedelta(days=i // 5))
        folder = briefs / f"{item.date:%Y}" / item.brief_id
        folder.mkdir(parents=True)
        item.write(folder / "en.md")
        first[item.brief_id] = item
        recorded[(item.brief_id, "de")] = ("en", content_version(item.brief("en", folder / "en.md")))
        item.write(folder / "de.md", recorded[(item.brief_id, "de")])  # the translation's wording does not matter here
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "archive")
    now = dict(first)
    # Rounds of edits: wording (the translation falls behind) or `updated` alone (it does not).
    rounds = [(0.05, "wording"), (0.02, "wording"), (0.03, "updated"), (0.01, "wording")]
    for day, (share, kind) in enumerate(rounds, start=2):
        for brief_id in rng.sample(sorted(now), int(pairs * share)):
            item = now[brief_id]
            if kind == "wording":
                item = replace(item, body=item.body.replace(".", " again.", 1))
            else:
                item = replace(item, updated=dt.date(2026, 1, day))
            now[brief_id] = item
            item.write(briefs / f"{item.date:%Y}" / brief_id / "en.md")
        git(root, "commit", "-q", "-am", f"edit round {day}", when=f"2026-01-0{day}T12:00:00+00:00")
    result = []
    for brief_id, item in now.items():
        folder = briefs / f"{item.date:%Y}" / brief_id
        pair = Pair(brief_id, folder)
        pair.versions["en"] = item.brief("en", folder / "en.md")
        pair.versions["de"] = first[brief_id].brief("de", folder / "de.md")
        result.append(pair)
    return result, recorded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--load", action="store_true", help="also time load_corpus over the written files")
    parser.add_argument("--command", action="store_true", help="also time `briefs status`, as a desk runs it, cold and warm")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the archive in DIR (must not exist) and leave it there")
    options = parser.parse_args()
    if options.keep:
        options.keep.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="briefs-status-") as tmp:
        root = options.keep.resolve() if options.keep else Path(tmp)
        began = time.perf_counter()
        pairs, recorded = build(root, options.pairs, options.seed)
        print(f"built {options.pairs} pairs and 5 commits in {time.perf_counter() - began:.1f} s")

        began = time.perf_counter()
        desk_status(pairs, ["en", "de"], recorded)
        without_git = time.perf_counter() - began

        began = time.perf_counter()
        status = desk_status(pairs, ["en", "de"], recorded, history=GitHistory(root, root / "briefs").behind)
        total = time.perf_counter() - began

        began = time.perf_counter()
        log = read_log(root, root / "briefs")
        log_time = time.perf_counter() - began
        outdated = [(b, s) for b in status.briefs for s in b.languages.values() if s.state is State.OUTDATED]
        began = time.perf_counter()
        VersionFinder(root).find([(log.history(s.source), s.version or "") for _, s in outdated if s.source])
        find_time = time.perf_counter() - began

        behind = ", ".join(f"{n} x {k}" for k, n in sorted(Counter(s.behind for _, s in outdated).items(), key=str))
        print(f"status of {len(pairs)} pairs: {total:.2f} s with git history, {without_git:.2f} s without")
        print(f"  {len(outdated)} outdated (count x commits behind: {behind}); note: {status.note}")
        print(f"  of which: one git log over briefs/ {log_time:.2f} s, finding the recorded versions {find_time:.2f} s")
        if options.load:
            from briefs.core.corpus import load_corpus

            settings = Settings(briefs_dir=root / "briefs", root=root, cache_dir=None)
            began = time.perf_counter()
            corpus = load_corpus(settings)
            seconds = time.perf_counter() - began
            print(f"  load_corpus over the files (not part of the above): {seconds:.1f} s, {len(corpus.pairs)} pairs")
        if options.command:
            cold, warm = time_command(root)
            print(f"  briefs status (the command, reading every file and git): {cold:.1f} s cold, {warm:.1f} s warm")
            print(f"RESULT status_cold={cold:.2f} status_warm={warm:.2f}")


def time_command(root: Path) -> tuple[float, float]:
    """``briefs status`` in the archive's repository: with an empty cache, then with the cache it left."""
    (root / "mkdocs.yml").write_text("site_name: Bench\nplugins:\n  - briefs:\n      briefs_dir: briefs\n", encoding="utf-8")
    command = [sys.executable, "-m", "briefs.cli", "status", "--format", "json"]
    # As a desk runs it: with its modules' bytecode kept (a machine may turn that off for every process),
    # written by an untimed run that imports them.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO / "plugins")
    subprocess.run([*command[:-3], "--help"], cwd=root, env=env, capture_output=True, check=True)
    # The archive was written just now: its pages go to disk first, not while the command is timed
    # (the kernel's writeback of 20,000 files took a core's share of the first run: 7.3 s against 5.5 s).
    os.sync()
    seconds = []
    for _ in range(2):
        began = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        seconds.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise SystemExit(f"briefs status failed: {done.stderr[-2000:]}")
    return seconds[0], seconds[1]


if __name__ == "__main__":
    main()
