"""A brief with a lead image and a body image, as a reader's Chromium shows it: accessible, and nothing shifts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser import browser, serve, wait_until
from PIL import Image
from test_accessibility import AXE, opened

from conftest import brief_fields, build_site, write_brief

pytestmark = pytest.mark.browser

PAGE = {
    "en": "en/2026/01/23/merz-and-meloni-sign-agreements-in-rome/",
    "de": "de/2026/01/23/merz-und-meloni-in-rom/",
}
BODY = "Merz met Meloni in Rome.\n\n" + "A paragraph of the brief that fills the screen. " * 40 + "\n\n![A chart](chart.png)\n"

#: Every layout shift the page makes without a reader's input, summed (Cumulative Layout Shift).
CLS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 300);
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    tmp = tmp_path_factory.mktemp("lead-image")
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
    with serve(built.site) as base, browser() as context:
        yield base, context


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_page_does_not_shift_as_its_images_load(site: tuple[str, object], lang: str, width: int) -> None:
    base, context = site
    page = context.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base + PAGE[lang], wait_until="load")
    wait_until(page, "document.querySelector('figure.brief-image img').complete", timeout=20)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy body image loads now
    wait_until(page, "[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=20)
    lead = page.evaluate(
        "(() => { const i = document.querySelector('figure.brief-image img'); return [i.currentSrc, i.loading]; })()"
    )
    assert ".webp" in lead[0] and lead[1] != "lazy"
    assert page.evaluate("document.querySelector('.brief-body img').loading") == "lazy"
    assert page.evaluate(CLS) == 0
    page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_axe_finds_nothing_on_the_page_with_a_lead_image(site: tuple[str, object], lang: str, scheme: str) -> None:
    base, context = site
    page = opened(context, base + PAGE[lang], scheme)
    page.evaluate(AXE)  # type: ignore[attr-defined]
    # Every impact, not only serious ones: the page is to have no violation at all.
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    assert found == []
    figure = page.inner_text("figure.brief-image figcaption")  # type: ignore[attr-defined]
    assert ("Rome" if lang == "en" else "Rom") in figure and "CC BY 4.0" in figure
    page.close()  # type: ignore[attr-defined]
