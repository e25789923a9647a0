"""The GitHub Actions workflows are valid and call only what exists."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
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


def load(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[^@\s]+)?@[0-9a-f]{40}")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_and_names_its_release(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    uses = [step["uses"] for step in steps(workflow) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    assert uses
    for ref in uses:
        assert PINNED.fullmatch(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
    lines = [line for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len(uses)
    for line in lines:
        assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: {line.strip()} needs its # vX.Y.Z"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_checkout_leaves_no_credentials_behind(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_expanded_into_a_script(path: Path) -> None:
    """`${{ … }}` is pasted into the script before it runs: a branch name would become code."""
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    for script in runs(workflow):
        assert "${{" not in script, f"{path.name}: pass it through env: instead"
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/github-script@"):
            assert "${{" not in step["with"]["script"], path.name


def test_deploy_builds_without_write_access_and_runs_every_hour() -> None:
    workflow = load("deploy.yml")
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert not any("run" in step for step in deploy["steps"]), "the job that may publish runs no code of ours"
    triggers = workflow[True]
    assert triggers["push"] == {"branches": ["main"]}
    [cron] = [entry["cron"] for entry in triggers["schedule"]]
    minute, *rest = cron.split()
    assert minute.isdigit() and rest == ["*", "*", "*", "*"], cron
    build_script = next(s for s in runs(workflow) if "make build" in s)
    assert "git log" not in build_script, "a scheduled run's *now* is its clock, not the last commit's"


def test_the_comment_workflow_reads_only_the_report_from_the_artifact() -> None:
    workflow = load("preview-comment.yml")
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any("run" in step or step.get("uses", "").startswith("actions/checkout@") for step in job["steps"])
    script = comment_script()
    assert "context.payload.workflow_run" in script
    assert "readFileSync" not in script and script.count("fs.openSync(") == 1
    assert "fs.openSync(path," in script and "reportText(process.env.REPORT)" in script
    preview = (REPO / ".github/workflows/preview.yml").read_text(encoding="utf-8")
    assert "report/number" not in preview and "pull_request.number }} >" not in preview


def test_make_test_lints_the_workflows_with_pinned_tools() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\blint\b", makefile, re.MULTILINE)
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check" in lint and "zizmor --offline .github/workflows/" in lint
    assert re.search(r"^zizmor==\d+\.\d+\.\d+$", (REPO / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE)


def test_zizmor_finds_nothing() -> None:
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", ".github/workflows/"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


# The comment script, run by Node as actions/github-script runs it, against a fake GitHub API.

MARKER = "<!-- briefs-report -->"
HEAD = "a" * 40
HARNESS = r"""
const fs = require("fs");
const scenario = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const script = fs.readFileSync(process.argv[3], "utf8");
const calls = [];
const answer = (name, data) => async (params) => {
  calls.push([name, params]);
  return { data: data(params) };
};
const github = {
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    pulls: {
      list: answer("pulls.list", () => scenario.open),
      get: async (params) => {
        calls.push(["pulls.get", params]);
        const pr = scenario.pulls[params.pull_number];
        if (!pr) throw Object.assign(new Error("Not Found"), { status: 404 });
        return { data: pr };
      },
    },
    issues: {
      listComments: answer("issues.listComments", () => scenario.comments),
      createComment: answer("issues.createComment", () => ({})),
      updateComment: answer("issues.updateComment", () => ({})),
    },
  },
};
const context = { repo: { owner: "desk", repo: "briefs" }, payload: { workflow_run: scenario.run } };
const core = { warning: (message) => calls.push(["warning", message]), info: () => {} };
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core).then(
  () => console.log(JSON.stringify(calls)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
"""


def comment_script() -> str:
    job = load("preview-comment.yml")["jobs"]["comment"]
    return next(s["with"]["script"] for s in job["steps"] if s.get("uses", "").startswith("actions/github-script@"))


def fork_run(**overrides: object) -> dict:
    run = {
        "id": 99,
        "event": "pull_request",
        "head_sha": HEAD,
        "head_branch": "patch-1",
        "head_repository": {"full_name": "stranger/briefs", "owner": {"login": "stranger"}},
        "pull_requests": [],
    }
    return run | overrides


def open_pr(number: int, sha: str = HEAD) -> dict:
    return {"number": number, "state": "open", "head": {"sha": sha}}


def run_comment(
    tmp_path: Path,
    run: dict,
    pulls: dict[int, dict],
    *,
    open_prs: list[dict] | None = None,
    comments: list[dict] | None = None,
    report: str | None = "## Briefs changed\n",
) -> list[list]:
    """The API calls the comment script makes; the artifact also holds a forged `number`."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js runs the comment script (as actions/github-script does)")
    artifact = tmp_path / "preview-report"
    artifact.mkdir(exist_ok=True)
    (artifact / "number").write_text("1\n", encoding="utf-8")
    if report is not None:
        (artifact / "report.md").write_text(report, encoding="utf-8")
    scenario = {"run": run, "pulls": pulls, "open": open_prs or [], "comments": comments or []}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    (tmp_path / "script.js").write_text(comment_script(), encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    result = subprocess.run(
        [node, "harness.js", "scenario.json", "script.js"],
        cwd=tmp_path,
        env={**os.environ, "REPORT": str(artifact / "report.md")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def writes(calls: list[list]) -> list[list]:
    return [call for call in calls if call[0] in ("issues.createComment", "issues.updateComment")]


def test_comment_on_a_fork_pull_request_found_by_its_head(tmp_path: Path) -> None:
    calls = run_comment(tmp_path, fork_run(), {7: open_pr(7), 1: open_pr(1)}, open_prs=[{"number": 7}])
    assert ["pulls.list", {"owner": "desk", "repo": "briefs", "state": "open", "head": "stranger:patch-1"}] in calls
    [(name, params)] = writes(calls)
    assert name == "issues.createComment" and params["issue_number"] == 7
    assert params["body"] == f"{MARKER}\n## Briefs changed\n"


def test_comment_on_the_pull_request_github_lists_for_the_run(tmp_path: Path) -> None:
    calls = run_comment(tmp_path, fork_run(pull_requests=[{"number": 3}]), {3: open_pr(3)}, open_prs=[{"number": 8}])
    assert not any(call[0] == "pulls.list" for call in calls)
    assert [params["issue_number"] for _, params in writes(calls)] == [3]


@pytest.mark.parametrize(
    ("run", "pulls"),
    [
        (fork_run(), {7: open_pr(7, sha="b" * 40)}),  # pushed to since: a newer run comments
        (fork_run(), {7: open_pr(7) | {"state": "closed"}}),
        (fork_run(pull_requests=[{"number": 12}]), {12: open_pr(12, sha="c" * 40)}),  # a number of another repository
        (fork_run(pull_requests=[{"number": 404}]), {}),
    ],
    ids=["head-moved", "closed", "other-repository", "unknown-number"],
)
def test_no_comment_unless_the_pull_request_head_is_the_run_commit(tmp_path: Path, run: dict, pulls: dict) -> None:
    calls = run_comment(tmp_path, run, pulls, open_prs=[{"number": 7}])
    assert writes(calls) == []
    assert any(call[0] == "warning" for call in calls)


def test_only_the_bot_comment_is_updated(tmp_path: Path) -> None:
    forged = {"id": 5, "user": {"login": "stranger"}, "body": f"{MARKER}\nforged"}
    own = {"id": 6, "user": {"login": "github-actions[bot]"}, "body": f"{MARKER}\nold"}
    calls = run_comment(tmp_path, fork_run(), {7: open_pr(7)}, open_prs=[{"number": 7}], comments=[forged, own])
    assert [(name, params.get("comment_id")) for name, params in writes(calls)] == [("issues.updateComment", 6)]
    calls = run_comment(tmp_path, fork_run(), {7: open_pr(7)}, open_prs=[{"number": 7}], comments=[forged])
    assert [name for name, _ in writes(calls)] == ["issues.createComment"]


def test_the_report_is_cut_and_pings_nobody(tmp_path: Path) -> None:
    report = "@octocat see #12 " + "é" * 70_000
    [(_, params)] = writes(run_comment(tmp_path, fork_run(), {7: open_pr(7)}, open_prs=[{"number": 7}], report=report))
    body = params["body"]
    assert body.startswith(f"{MARKER}\n@\u200boctocat see #\u200b12 é")
    assert body.count("é") == 60_000 - len("@octocat see #12 ")
    assert body.endswith("_The report is cut at 60000 characters._")


def test_a_linked_report_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    artifact = tmp_path / "preview-report"
    artifact.mkdir()
    (artifact / "report.md").symlink_to(secret)
    [(_, params)] = writes(run_comment(tmp_path, fork_run(), {7: open_pr(7)}, open_prs=[{"number": 7}], report=None))
    assert "hunter2" not in params["body"] and "no report that can be shown" in params["body"]
