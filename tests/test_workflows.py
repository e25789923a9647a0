"""The GitHub Actions workflows are valid and call only what exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefs.cli import parser
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
MAKE_TARGETS = set(re.findall(r"^([A-Za-z0-9_./-]+):", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))


def briefs_commands() -> set[str]:
    sub = next(a for a in parser()._actions if a.dest == "command")
    return set(sub.choices)


def runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_the_three_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "preview.yml", "deploy.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_and_calls_existing_commands(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in triggers, "fork code must never run with secrets"
    for script in runs(workflow):
        for target in re.findall(r"\bmake\s+([^\s;&|]+)", script):
            assert target in MAKE_TARGETS, f"{path.name}: make {target}"
        for command in re.findall(r"\bbriefs\s+([a-z]+)", script):
            assert command in briefs_commands(), f"{path.name}: briefs {command}"


def test_ci_runs_make_test_on_push_and_pull_request() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(workflow[True])
    assert any("make test" in script for script in runs(workflow))


def test_preview_checks_builds_and_reports() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/preview.yml").read_text(encoding="utf-8"))
    scripts = "\n".join(runs(workflow))
    assert "briefs check --format github" in scripts
    assert "make build" in scripts and "briefs report --base" in scripts
    assert workflow["permissions"] == {"contents": "read"}
