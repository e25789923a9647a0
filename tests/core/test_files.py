"""Files beside a brief: images only, plain files only (SPEC §7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from briefs.core.files import UnsafeSvg, asset_problem, check_svg

SHAPES = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/></svg>'
)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="https://x.test/"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.test/p.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.test/p.png)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="background:url(//x.test/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="javascript:alert(1)"/></svg>',
        b'<?xml-stylesheet href="https://x.test/s.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<!DOCTYPE svg [<!ENTITY e "x">]><svg xmlns="http://www.w3.org/2000/svg">&e;</svg>',
        b"not xml at all",
        # As an outside reviewer found them: UTF-16 hides a processing instruction from a byte search,
        '<?xml-stylesheet type="text/xsl" href="chart.png"?><svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16"),
        b'<?xml version="1.0" encoding="UTF-16"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        # CSS escapes and image-set() name other hosts in any presentation attribute.
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="u\\rl(https://evil.test/f.svg#g)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="mask-image:image-set(\'//evil.test/b.png\' 1x)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect mask="url( https://evil.test/m.svg#m)"/></svg>',
    ],
)
def test_svg_that_could_run_load_or_link_is_refused(svg: bytes) -> None:
    with pytest.raises(UnsafeSvg):
        check_svg(svg)


def test_a_drawing_of_shapes_passes() -> None:
    check_svg(SHAPES)


def test_only_images_may_sit_beside_a_brief(tmp_path: Path) -> None:
    Image.new("RGB", (4, 3)).save(tmp_path / "chart.png")
    Image.new("RGB", (4, 3)).save(tmp_path / "CHART.JPG", "JPEG")
    (tmp_path / "sheet.png").write_text('<xsl:stylesheet version="1.0"/>')
    (tmp_path / "hard.png").hardlink_to(tmp_path / "chart.png")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "link.png").symlink_to(tmp_path / "chart.png")
    assert asset_problem(tmp_path / "sheet.png")[0] == "BR206"  # type: ignore[index]
    assert asset_problem(tmp_path / "hard.png")[0] == "BR207"  # type: ignore[index]
    (tmp_path / "hard.png").unlink()
    assert asset_problem(tmp_path / "chart.png") is None
    assert asset_problem(tmp_path / "CHART.JPG") is None
    assert asset_problem(tmp_path / "notes.txt")[0] == "BR206"  # type: ignore[index]
    assert asset_problem(tmp_path / "link.png")[0] == "BR207"  # type: ignore[index]


@pytest.mark.parametrize(
    "svg",
    [
        # As a second review found them: a CSS comment or string hides a remote url() from a regex.
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="/*url(#a*/url(http://evil.test/f.svg#p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="--x:\'url(#a\';cursor:url(http://evil.test/c.png),auto"/></svg>',
    ],
)
def test_comments_and_strings_cannot_hide_a_remote_url(svg: bytes) -> None:
    with pytest.raises(UnsafeSvg):
        check_svg(svg)


def test_an_avif_must_start_with_its_box_not_with_markup(tmp_path: Path) -> None:
    (tmp_path / "chart.avif").write_bytes(b"<!--ftypavif--><xsl:stylesheet/>")
    Image.new("RGB", (4, 3)).save(tmp_path / "real.avif", "AVIF")
    assert asset_problem(tmp_path / "chart.avif")[0] == "BR206"  # type: ignore[index]
    assert asset_problem(tmp_path / "real.avif") is None
