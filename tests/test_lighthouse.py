"""Lighthouse on a brief with a lead image, mobile and desktop: accessibility 100 and no layout shift (CLS 0).

Lighthouse is installed by ``make test`` into tests/lighthouse/ (``npm ci`` from its
package-lock.json). The performance score is not asserted: it depends on the machine's
speed. Cumulative Layout Shift does not, for this page.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM_FLAGS, chromium_path, serve
from PIL import Image
from test_lead_image_browser import BODY, PAGE

from conftest import brief_fields, build_site, write_brief

pytestmark = pytest.mark.browser

LIGHTHOUSE = Path(__file__).parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
TIMEOUT = 180


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("lighthouse")
    root = tmp / "briefs"
    for lang, title, alt, caption, credit in (
        ("en", None, "Two leaders at a lectern", "The press conference in *Rome*.", "Photo: Desk, CC BY 4.0"),
        (
            "de",
            "Merz und Meloni in Rom",
            "Zwei Regierungschefs am Pult",
            "Die Pressekonferenz in *Rom*.",
            "Foto: Desk, CC BY 4.0",
        ),
    ):
        image = {"src": "photo.jpg", "alt": alt, "caption": caption, "credit": credit}
        fields = brief_fields(image=image, **({"title": title} if title else {}))
        folder = write_brief(root, "2026-01-23-rome", lang, fields, body=BODY).parent
    Image.new("RGB", (2400, 1350), (120, 60, 30)).save(folder / "photo.jpg", quality=80)
    Image.new("RGB", (1000, 600), (20, 90, 160)).save(folder / "chart.png")
    built = build_site(root, tmp / "site")
    assert built.ok, built.log
    with serve(built.site) as base:
        yield base


def lighthouse(url: str, form_factor: str, tmp: Path) -> dict[str, Any]:
    """Lighthouse's report (its JSON) of ``url`` in Debian's Chromium, with an empty profile."""
    if not LIGHTHOUSE.exists():
        pytest.fail(f"Lighthouse is not installed at {LIGHTHOUSE}: run `make test` (it runs npm ci in tests/lighthouse)")
    chromium = chromium_path()
    profile = tmp / "profile"
    profile.mkdir()
    report = tmp / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chromium}",
        "--chrome-flags=" + " ".join([*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]),
        "--only-categories=accessibility,performance",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        *(["--preset=desktop"] if form_factor == "desktop" else []),
    ]
    try:
        run = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chromium},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"Lighthouse did not finish within {TIMEOUT}s on {url}: {exc.stderr!r}")
    assert run.returncode == 0 and report.exists(), f"Lighthouse failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def failing_accessibility_audits(report: dict[str, Any]) -> list[str]:
    """The accessibility audits that failed: id, title and the first elements they name."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"]["accessibility"]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit["scoreDisplayMode"] == "binary" and (audit["score"] or 0) < 1:
            items = (audit.get("details") or {}).get("items") or []
            nodes = [item["node"].get("selector") for item in items[:3] if isinstance(item.get("node"), dict)]
            failing.append(f"{audit['id']}: {audit['title']} {nodes}")
    return failing


def layout_shifts(report: dict[str, Any]) -> list[str]:
    """The elements Lighthouse saw shift, with each shift's score."""
    items = (report["audits"].get("layout-shifts", {}).get("details") or {}).get("items") or []
    return [f"{(item.get('node') or {}).get('selector')}: {item.get('score')}" for item in items]


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_lighthouse_scores_accessibility_100_and_no_layout_shift(site: str, lang: str, form_factor: str, tmp_path: Path) -> None:
    url = site + PAGE[lang]
    report = lighthouse(url, form_factor, tmp_path)
    assert report.get("runtimeError") is None, report["runtimeError"]
    assert report["configSettings"]["formFactor"] == form_factor
    assert report["finalDisplayedUrl"] == url, report["finalDisplayedUrl"]
    accessibility = report["categories"]["accessibility"]["score"]
    assert accessibility == 1, f"accessibility {accessibility}: {failing_accessibility_audits(report)}"
    cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
    assert cls == 0, f"CLS {cls}: {layout_shifts(report)}"
