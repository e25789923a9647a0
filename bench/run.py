"""`make bench`: Briefs against the tools a newsroom would pick instead, at three sizes.

For N brief pairs (2N pages) it builds the same synthetic archive with Briefs,
with plain Material (the same pages as ordinary Markdown, with and without its
search) and with Material's blog plugin (English half, up to 2,000 posts), and
prints wall time, peak memory, seconds per page, growth exponent, output size,
search index time and the bytes a browser downloads for its first search.
The table goes to bench/results.md with the machine it ran on.

    python bench/run.py                   # N = 500, 2000, 10000
    python bench/run.py --sizes 200 1000  # a quicker run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests")]

from corpus import RARE_WORD, generate, write_plain_docs  # noqa: E402

PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1769126400"}
MEASURE = """
import os, subprocess, sys, time
from pathlib import Path

def tree(root):
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found

def pss_kb(pid):
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:"))

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak = 0
while process.poll() is None:
    peak = max(peak, sum(pss_kb(pid) for pid in tree(process.pid)))
    time.sleep(0.2)
stderr = process.stderr.read().decode(errors="replace")
seconds = time.perf_counter() - start
if process.returncode:
    sys.stderr.write(stderr[-3000:])
print(seconds, peak, process.returncode)
"""


@dataclass
class Run:
    tool: str
    pairs: int
    pages: int
    seconds: float
    peak_mb: float
    output_mb: float
    index_seconds: float | None = None
    first_query_kb: float | None = None
    extra: dict[str, float] = field(default_factory=dict)
    #: Files in the output, and (Briefs) seconds per phase of the cold build.
    files: int = 0
    phases: dict[str, float] = field(default_factory=dict)


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of ``command``: the most its processes held at once.

    Memory is sampled every 0.2 s as the proportional set size (PSS) summed over
    the process and all its children (worker processes, Pagefind), so that
    pages shared by forked workers count once.
    """
    out = subprocess.run([PYTHON, "-c", MEASURE, *command], cwd=cwd, env=env or ENV, capture_output=True, text=True)
    seconds, rss_kb, code = out.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{out.stderr[-3000:]}")
    return float(seconds), int(rss_kb) / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def briefs_config(work: Path) -> Path:
    """The project's own site configuration, pointed at the synthetic briefs."""
    site = work / "briefs-site"
    for name in ("docs", "overrides", "hooks"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    return site


def site_markdown_extensions() -> list[object]:
    """The Markdown extensions of the project's mkdocs.yml: the peers convert the same dialect."""
    from briefs.core.settings import load_settings

    settings = load_settings(REPO / "mkdocs.yml")
    configs = settings.markdown_configs
    return [{name: configs[name]} if configs.get(name) else name for name in settings.markdown_extensions]


def plain_config(work: Path, name: str, *, search: bool, blog: bool = False) -> Path:
    site = work / name
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Archive\n", encoding="utf-8")
    plugins: list[object] = (["search"] if search else []) + ([{"blog": {"blog_dir": "."}}] if blog else [])
    config = {
        "site_name": "Peer",
        "site_url": "https://peer.example.org/",
        "theme": {"name": "material", "font": False},
        "nav": ["index.md"],  # the briefs are pages outside the nav, as in Briefs
        "plugins": plugins,
        "markdown_extensions": site_markdown_extensions(),
    }
    (site / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return site


def blog_posts(briefs: Path, docs: Path, limit: int) -> int:
    """English briefs as blog posts (front-matter with date), for Material's blog plugin."""
    import yaml

    posts = docs / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(briefs.rglob("en.md"))[:limit]:
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        fields = yaml.safe_load(front)
        text = f"---\ndate: {fields['date']}\n---\n\n# {fields['title']}\n\n{fields['summary']}\n\n{body.strip()}\n"
        (posts / f"{path.parent.name}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


def transferred(body: bytes) -> int:
    """Bytes on the wire with the gzip compression static hosts apply (never worse than raw)."""
    return min(len(body), len(gzip.compress(body, 6)))


def first_query_bytes(site: Path, query: str) -> float:
    """kB a browser transfers for the first search on /en/, measured in Chromium."""
    from browser import browser, serve

    with serve(site) as base, browser() as context:
        page = context.new_page()
        page.goto(base + "en/", wait_until="networkidle")
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(transferred(r.body())) if r.ok else None)
        page.keyboard.press("/")
        page.fill(".brief-search__input", query)
        page.wait_for_selector(".brief-search__result-link", timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.close()
    return sum(sizes) / 1024


def page_weight_kb(site: Path, url: str) -> float:
    """kB a first visit to ``url`` transfers, each response gzip-compressed as a server would."""
    from browser import browser, serve

    with serve(site) as base, browser() as context:
        page = context.new_page()
        bodies: list[bytes] = []
        page.on("response", lambda r: bodies.append(r.body()) if r.ok else None)
        page.goto(base + url, wait_until="networkidle")
        page.close()
    return sum(transferred(b) for b in bodies) / 1024


def material_first_query_kb(site: Path) -> float:
    index = site / "search" / "search_index.json"
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return (index.stat().st_size + worker.stat().st_size) / 1024


def bench_briefs(work: Path, briefs: Path, pairs: int) -> Run:
    site = briefs_config(work)
    env = {**ENV, "BRIEFS_DIR": str(briefs), "BRIEFS_CACHE_DIR": str(work / "cache")}
    out = work / "out-briefs"
    timings = work / "timings.json"
    seconds, peak = measure(
        [PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(out)], site, {**env, "BRIEFS_TIMINGS": str(timings)}
    )
    phases = json.loads(timings.read_text(encoding="utf-8")) if timings.is_file() else {}
    # Pagefind alone, beside the site (the site's own index stays as the build left it).
    from briefs.search.pagefind import build_index

    alone = work / "index-alone"
    alone.mkdir()
    for lang in ("en", "de"):
        (alone / lang).symlink_to(out / lang, target_is_directory=True)
    index_start = time.perf_counter()
    build_index(alone, ["en", "de"], {"en", "de"})
    index_seconds = time.perf_counter() - index_start
    shutil.rmtree(alone)
    run = Run("Briefs", pairs, 2 * pairs, seconds, peak, size_mb(out), index_seconds, files=file_count(out), phases=phases)
    # A word in every brief (the most postings) and a word in the oldest brief
    # alone (search reads year after year, newest first, to find it).
    run.first_query_kb = first_query_bytes(out, "government")
    run.extra["rare_query_kb"] = first_query_bytes(out, RARE_WORD)
    # Warm rebuild: one brief edited, everything else from the cache.
    edited = sorted(briefs.rglob("en.md"))[pairs // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("\n\n", "\n\nEdited for the benchmark.\n\n", 1), encoding="utf-8"
    )
    warm, _ = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(out)], site, env)
    run.extra["warm_seconds"] = warm
    # A deploy: another brief merged, the cache of the last build restored, the site built into an empty folder.
    merged = sorted(briefs.rglob("en.md"))[pairs // 3]
    merged.write_text(
        merged.read_text(encoding="utf-8").replace("\n\n", "\n\nMerged for the benchmark.\n\n", 1), encoding="utf-8"
    )
    deployed = work / "out-deploy"
    run.extra["deploy_seconds"], run.extra["deploy_peak_mb"] = measure(
        [PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(deployed)], site, env
    )
    shutil.rmtree(deployed)
    run.extra["brief_page_kb"] = page_weight_kb(
        out, next(p for p in (out / "en").glob("20*/*/*/*/") if p.is_dir()).relative_to(out).as_posix() + "/"
    )
    shutil.rmtree(out)
    return run


def bench_peer(work: Path, briefs: Path, pairs: int, name: str, *, search: bool) -> Run:
    site = plain_config(work, name, search=search)
    pages = write_plain_docs(briefs, site / "docs")
    out = work / f"out-{name}"
    seconds, peak = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(out)], site)
    run = Run(name, pairs, pages, seconds, peak, size_mb(out), files=file_count(out))
    if search:
        run.first_query_kb = material_first_query_kb(out)
    shutil.rmtree(out)
    shutil.rmtree(site)
    return run


def bench_blog(work: Path, briefs: Path, pairs: int) -> Run:
    site = plain_config(work, "material-blog", search=False, blog=True)
    posts = blog_posts(briefs, site / "docs", pairs)
    out = work / "out-blog"
    seconds, peak = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(out)], site)
    run = Run("Material blog (en)", pairs, posts, seconds, peak, size_mb(out))
    shutil.rmtree(out)
    shutil.rmtree(site)
    return run


def bench_hugo(work: Path, briefs: Path, pairs: int) -> Run | None:
    """Hugo (Debian's ``hugo``) over the same text, when it is installed (bench/hugo.py)."""
    if shutil.which("hugo") is None:
        return None
    from hugo import write_hugo_site

    site = work / "hugo-site"
    pages = write_hugo_site(briefs, site)
    out = work / "out-hugo"
    seconds, peak = measure(["hugo", "--quiet", "--destination", str(out)], site)
    run = Run("Hugo", pairs, pages, seconds, peak, size_mb(out), files=file_count(out))
    shutil.rmtree(out)
    shutil.rmtree(site)
    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_to_visible(work: Path, briefs: Path) -> float:
    """Seconds from saving a brief to Chromium showing the edit, through the page's own reload (median of five).

    The brief's page is open in headless Chromium (Debian's, as in the browser
    tests); nothing reloads it but the preview's reload script, so the figure
    is what a writer waits for with the browser beside the editor.
    """
    from browser import browser

    site = briefs_config(work / "serve")
    port = free_port()
    env = {**ENV, "BRIEFS_DIR": str(briefs), "BRIEFS_CACHE_DIR": str(work / "cache")}
    command = [PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    path = sorted(briefs.rglob("en.md"))[0]
    text = path.read_text(encoding="utf-8")
    slug_title = re.search(r"^title: (.*)$", text, re.MULTILINE)
    date = re.search(r"^date: (\d{4})-(\d{2})-(\d{2})$", text, re.MULTILINE)
    from briefs.core.slugs import slugify

    url = f"{base}en/{date.group(1)}/{date.group(2)}/{date.group(3)}/{slugify(slug_title.group(1).strip(chr(39)))}/"

    def served() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except OSError:
            return False

    def shows(page: object, marker: str) -> bool:
        try:
            return bool(page.evaluate(f"document.body.innerText.includes({marker!r})"))  # type: ignore[attr-defined]
        except Exception:  # the page is reloading
            return False

    try:
        deadline = time.monotonic() + 900
        while not served() and time.monotonic() < deadline:
            time.sleep(0.5)
        with browser() as context:
            page = context.new_page()  # type: ignore[attr-defined]
            page.goto(url, wait_until="load")
            times = []
            for attempt in range(5):  # a few seconds apart, as a writer works
                time.sleep(3)
                marker = f"Serve edit marker {attempt}."
                start = time.monotonic()
                path.write_text(text.replace("\n\n", f"\n\n{marker}\n\n", 1), encoding="utf-8")
                while not shows(page, marker):
                    if time.monotonic() - start > 300:
                        return math.inf
                    time.sleep(0.01)
                times.append(time.monotonic() - start)
        return sorted(times)[2]
    finally:
        process.terminate()
        process.wait(timeout=30)
        path.write_text(text, encoding="utf-8")


def exponent(runs: list[Run]) -> float | None:
    if len(runs) < 2:
        return None
    a, b = runs[0], runs[-1]
    return math.log(b.seconds / a.seconds) / math.log(b.pages / a.pages)


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        cpu = found.group(1) if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} GiB" if found else ""
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def status_seconds(pairs: int) -> tuple[float, float] | None:
    """``briefs status`` over an archive of ``pairs`` in git (bench/status_bench.py): cold and warm seconds."""
    done = subprocess.run(
        [sys.executable, str(HERE / "status_bench.py"), "--pairs", str(pairs), "--command"], capture_output=True, text=True
    )
    print(done.stdout, end="", flush=True)
    found = re.search(r"RESULT status_cold=([\d.]+) status_warm=([\d.]+)", done.stdout)
    return (float(found.group(1)), float(found.group(2))) if found else None


#: The goals of the archive's speed (pairs -> goal), as the project sets them.
COLD_VERSUS_MATERIAL = {2000: 0.6, 10_000: 0.5}
WARM_VERSUS_COLD = {2000: 0.10, 10_000: 0.05}
SERVE_GOALS = {2000: 0.5, 10_000: 1.0}
STATUS_GOALS = (5.0, 2.0)  # empty cache, warm cache (seconds, 10,000 pairs)
PEAK_GOAL_MB = OUTPUT_GOAL_MB = 1024


def _goal(value: float | None, goal: float | None, unit: str = "", digits: int = 2) -> list[str]:
    """A figure's cells: its value, the goal, and whether it holds."""
    shown = fmt(value, digits) + unit if value is not None else "–"
    if goal is None:
        return [shown, "printed", ""]
    held = "yes" if value is not None and value <= goal else "no"
    return [shown, f"≤ {goal:g}{unit}", held]


def table(runs: list[Run], serve_seconds: dict[int, float], status: tuple[float, float] | None = None) -> str:
    lines = [
        "| tool | pairs | pages | build s | s/page (ms) | peak MB | output MB | files | index s | first query kB "
        "| Briefs ÷ tool |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ours = {r.pairs: r for r in runs if r.tool == "Briefs"}
    for run in runs:
        ratio = ours[run.pairs].seconds / run.seconds if run.pairs in ours and run.tool != "Briefs" else None
        cells = [run.tool, run.pairs, run.pages, f"{run.seconds:.1f}", f"{1000 * run.seconds / run.pages:.2f}"]
        cells += [f"{run.peak_mb:.0f}", f"{run.output_mb:.0f}", run.files or "–", fmt(run.index_seconds)]
        cells += [fmt(run.first_query_kb, 0), fmt(ratio, 2)]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    lines += ["", "| figure | Briefs | goal | holds |", "| --- | ---: | ---: | :---: |"]

    def row(name: str, cells: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    briefs_runs = [r for r in runs if r.tool == "Briefs"]
    biggest = briefs_runs[-1]
    for run in briefs_runs:
        peer = next((r for r in runs if r.tool == "material+search" and r.pairs == run.pairs), None)
        versus = run.seconds / peer.seconds if peer else None
        row(f"cold build ÷ plain Material with search, {run.pairs:,} pairs", _goal(versus, COLD_VERSUS_MATERIAL.get(run.pairs)))
    for run in briefs_runs:
        hugo = next((r for r in runs if r.tool == "Hugo" and r.pairs == run.pairs), None)
        if hugo is not None and run.pairs == 2000:
            row(
                f"cold build ÷ Hugo, {run.pairs:,} pairs ({run.seconds:.1f} s vs {hugo.seconds:.1f} s)",
                _goal(run.seconds / hugo.seconds, None),
            )
    row(f"growth exponent, {briefs_runs[0].pages} → {biggest.pages} pages", _goal(exponent(briefs_runs), 1.1))
    for run in briefs_runs:
        warm = run.extra["warm_seconds"]
        row(
            f"one brief edited, warm cache ÷ cold, {run.pairs:,} pairs ({warm:.1f} s)",
            _goal(warm / run.seconds, WARM_VERSUS_COLD.get(run.pairs)),
        )
    for run in briefs_runs:
        if "deploy_seconds" in run.extra:
            deploy, peak = run.extra["deploy_seconds"], run.extra["deploy_peak_mb"]
            row(
                f"a deploy: one brief merged, the cache restored, into an empty folder ÷ cold, {run.pairs:,} pairs "
                f"({deploy:.1f} s, peak {peak:.0f} MB)",
                _goal(deploy / run.seconds, None),
            )
    for pairs, seconds in sorted(serve_seconds.items()):
        row(
            f"edit-to-visible in Chromium, `mkdocs serve`, {pairs:,} pairs (median of 5)",
            _goal(seconds, SERVE_GOALS.get(pairs), " s"),
        )
    if status is not None:
        row("`briefs status`, 10,000 pairs in git, empty cache", _goal(status[0], STATUS_GOALS[0], " s", 1))
        row("`briefs status`, 10,000 pairs in git, warm cache", _goal(status[1], STATUS_GOALS[1], " s", 1))
    row(f"peak memory, {biggest.pairs:,} pairs", _goal(biggest.peak_mb, PEAK_GOAL_MB, " MB", 0))
    row(f"output, {biggest.pairs:,} pairs", _goal(biggest.output_mb, OUTPUT_GOAL_MB, " MB", 0))
    row(f"files per page, {biggest.pairs:,} pairs", _goal(biggest.files / biggest.pages, None))
    row(f"first search query, {biggest.pages} pages, a word in every brief", _goal(biggest.first_query_kb, 300, " kB", 0))
    row(
        f"first search query, {biggest.pages} pages, a word in the oldest brief only",
        _goal(biggest.extra.get("rare_query_kb"), 300, " kB", 0),
    )
    row("brief page, first load, gzip", _goal(biggest.extra.get("brief_page_kb"), 150, " kB", 0))
    if biggest.phases:
        total = biggest.phases.get("total") or biggest.seconds
        lines += [
            "",
            f"Where the cold build's time goes, {biggest.pairs:,} pairs:",
            "",
            "| phase | s | share |",
            "| --- | ---: | ---: |",
        ]
        for name, seconds in biggest.phases.items():
            lines.append(f"| {name} | {seconds:.1f} | {100 * seconds / total:.0f} % |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--blog-max", type=int, default=2000)
    parser.add_argument("--no-serve", action="store_true", help="skip the live-preview measurement")
    parser.add_argument("--no-status", action="store_true", help="skip timing `briefs status` at 10,000 pairs")
    parser.add_argument("--serve-only", action="store_true", help="only edit-to-visible, at each size")
    args = parser.parse_args()
    runs: list[Run] = []
    serve_seconds: dict[int, float] = {}
    started = time.perf_counter()
    for pairs in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"briefs-bench-{pairs}-") as tmp:
            work = Path(tmp)
            briefs = generate(work / "briefs", pairs)
            os.sync()  # the corpus on disk before any build is timed: no build pays the kernel's writeback of it
            print(f"{pairs} pairs: corpus ready", flush=True)
            if args.serve_only:
                serve_seconds[pairs] = edit_to_visible(work, briefs)
                print(f"  edit-to-visible in Chromium {serve_seconds[pairs]:.2f}s", flush=True)
                continue
            runs.append(bench_briefs(work, briefs, pairs))
            print(f"  Briefs {runs[-1].seconds:.1f}s", flush=True)
            for name, search in (("material+search", True), ("material", False)):
                runs.append(bench_peer(work, briefs, pairs, name, search=search))
                print(f"  {name} {runs[-1].seconds:.1f}s", flush=True)
            hugo = bench_hugo(work, briefs, pairs)
            if hugo is not None:
                runs.append(hugo)
                print(f"  Hugo {hugo.seconds:.1f}s", flush=True)
            else:
                print("  Hugo: not installed (apt-get install hugo), no figure", flush=True)
            if pairs <= args.blog_max:
                runs.append(bench_blog(work, briefs, pairs))
                print(f"  blog {runs[-1].seconds:.1f}s", flush=True)
            if pairs >= 2000 and not args.no_serve:
                serve_seconds[pairs] = edit_to_visible(work, briefs)
                print(f"  edit-to-visible in Chromium {serve_seconds[pairs]:.2f}s", flush=True)
    if args.serve_only:
        return
    status = None if args.no_status else status_seconds(10_000)
    runs.sort(key=lambda r: (r.tool != "Briefs", r.tool, r.pairs))
    report = table(runs, serve_seconds, status)
    total = time.perf_counter() - started
    header = (
        f"# Benchmark results\n\nRun on {dt.date.today().isoformat()} on {machine()}, in {total / 60:.1f} minutes, "
        f"with `make bench` (sizes: {', '.join(map(str, args.sizes))} pairs).\n\n"
        "The peers convert the same Markdown, with the site's Markdown extensions. "
        "Peak MB is the most memory (proportional set size) the build's processes held at once, "
        "workers and Pagefind included. First query kB is what a browser transfers, gzip-compressed, "
        "for its first search. Edit-to-visible is the median of five edits, timed in Chromium through the page's own reload.\n\n"
    )
    (HERE / "results.md").write_text(header + report + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
