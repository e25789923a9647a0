"""Pins install the same on every machine: `name==version` from the package index, nothing else."""

from __future__ import annotations

import re

import pytest

from conftest import REPO

# A requirement name (PEP 508) and an exact version: no `@`, URL, path or extras.
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9][A-Za-z0-9.+!_-]*$")


def bad_pins(text: str) -> list[str]:
    """Lines of a constraints file that are not a plain `name==version` pin.

    >>> bad_pins("# comment\\nbabel==2.18.0\\n\\ncbor2 @ file:///tmp/cbor2.whl\\n")
    ['cbor2 @ file:///tmp/cbor2.whl']
    """
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#") and not PIN.fullmatch(line)]


@pytest.mark.parametrize(
    "line",
    [
        "cbor2 @ file:///tmp/cb/cbor2-6.3.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "axe-playwright-python @ https://example.org/axe.whl",
        "./wheels/nh3-0.3.8.whl",
        "-e .",
        "babel>=2.18",
        "babel==2.18.0 --hash=sha256:abc",
    ],
)
def test_anything_but_a_plain_pin_is_refused(line: str) -> None:
    assert bad_pins(f"ok==1.0\n{line}\n") == [line]


def test_constraints_pin_every_package_from_the_index() -> None:
    text = (REPO / "constraints.txt").read_text(encoding="utf-8")
    assert bad_pins(text) == []
    assert len([line for line in text.splitlines() if PIN.fullmatch(line)]) > 20


def test_the_makefile_regenerates_constraints_without_paths() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nconstraints:", 1)[1].split("\n\n", 1)[0]
    assert "--format=freeze" in recipe and "pip freeze" not in recipe
