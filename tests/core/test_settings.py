"""The plugin's options: one set of rules, for MkDocs and for the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefs.core.settings import OptionsError, option_problems, settings_from_options
from conftest import REPO

BAD = {
    "default_language": ({"languages": ["en", "de"], "default_language": "fr"}, "'fr' is not one of languages"),
    "topics": ({"topics": {"economy": {"en": "Economy"}}}, "topic 'economy' has no label for de"),
    "labels": ({"topics": {"economy": "Economy"}}, "needs a label per language"),
    "languages": ({"languages": "en"}, "expected a list of language codes"),
}


@pytest.mark.parametrize("case", BAD)
def test_the_core_refuses_options_that_break_a_rule(case: str) -> None:
    options, message = BAD[case]
    assert any(message in text for _, text in option_problems(options))
    with pytest.raises(OptionsError, match=message.split(" ")[0]):
        settings_from_options(options, root=Path("."))


@pytest.mark.parametrize("case", ["default_language", "topics"])
def test_mkdocs_and_the_command_line_say_the_same(tmp_path: Path, case: str) -> None:
    options, message = BAD[case]
    config = tmp_path / "mkdocs.yml"
    lines = ["site_name: X", "plugins:", "  - briefs:"]
    for name, value in options.items():
        lines.append(f"      {name}: {value!r}".replace("'", '"'))
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "briefs").mkdir()
    env = {"PATH": str(Path(sys.executable).parent), "NO_MKDOCS_2_WARNING": "1"}
    cli = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "--config", str(config), "check"], capture_output=True, text=True, env=env
    )
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], capture_output=True, text=True, env=env)
    assert cli.returncode == 2 and build.returncode != 0
    assert message in cli.stderr
    assert message in build.stderr + build.stdout


def test_the_project_s_own_options_break_no_rule() -> None:
    import yaml

    from briefs.core.settings import _ConfigLoader

    data = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    options = next(p["briefs"] for p in data["plugins"] if isinstance(p, dict) and "briefs" in p)
    assert option_problems(options) == []
