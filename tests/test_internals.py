"""The one module that touches private parts of MkDocs and Jinja refuses versions it was not written for."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from briefs.mkdocs import internals


def test_the_installed_versions_are_the_ones_written_for() -> None:
    internals.check_versions()


@pytest.mark.parametrize(("package", "found"), [("mkdocs", "2.0.0"), ("jinja2", "3.2.0")])
def test_another_version_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, package: str, found: str) -> None:
    real = internals.version
    monkeypatch.setattr(internals, "version", lambda name: found if name == package else real(name))
    with pytest.raises(PluginError, match=f"briefs works with {package} .*found {found}"):
        internals.check_versions()
