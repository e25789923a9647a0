"""The GitHub Actions workflows are valid and call only what exists."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from briefs.cli.main import parser
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
    if path.name == "preview-prune.yml":  # runs nothing of the pull request: see test_prune_*
        assert triggers["pull_request_target"] == {"types": ["closed"]}
    else:
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
    assert uses or "uses:" not in text
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


def test_deploy_rebuilds_warm_from_a_cache_only_main_writes() -> None:
    workflow = load("deploy.yml")
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    restore, save = uses.index("actions/cache/restore"), uses.index("actions/cache/save")
    build = next(i for i, step in enumerate(steps) if "make build" in step.get("run", ""))
    assert restore < build < save, "restored before the build, saved after it"
    for index in (restore, save):
        paths = steps[index]["with"]["path"].split()
        assert ".briefs-cache" in paths and "~/.cache/briefs" in paths, "entries and the key that seals them"
    assert steps[save]["if"] == "github.ref == 'refs/heads/main'"
    assert steps[restore]["with"]["restore-keys"] == "briefs-cache-"
    # Only main's own runs: a pull request's cache is kept under its own ref, never read here.
    assert set(workflow[True]) == {"push", "schedule"}
    assert "pull_request_target" not in workflow[True]
    for other in ("ci.yml", "preview.yml", "preview-comment.yml"):
        assert "actions/cache" not in (REPO / ".github" / "workflows" / other).read_text(), other


def test_the_comment_workflow_reads_only_the_report_from_the_artifact() -> None:
    workflow = load("preview-comment.yml")
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any("run" in step or step.get("uses", "").startswith("actions/checkout@") for step in job["steps"])
    script = comment_script()
    assert "readFileSync" not in script and script.count("fs.openSync(") == 1
    assert "fs.openSync(path," in script and "reportText(process.env.REPORT)" in script
    # The number is the lookup job's, which reads the run as GitHub describes it and no artifact.
    lookup = workflow["jobs"]["pull-request"]
    assert lookup["permissions"] == {"pull-requests": "read"}
    assert [step["uses"].split("@")[0] for step in lookup["steps"]] == ["actions/github-script"]
    assert "context.payload.workflow_run" in lookup_script() and "process.env" not in lookup_script()
    [download] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["name"] == "preview-report"
    [post] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/github-script@")]
    assert post["env"]["NUMBER"] == "${{ needs.pull-request.outputs.number }}"
    assert post["env"]["PREVIEWS_URL"] == "${{ vars.PREVIEWS_URL }}"
    assert post["env"]["PUBLISHED"] == "${{ needs.publish.result }}"
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
const core = {
  warning: (message) => calls.push(["warning", message]),
  info: () => {},
  setOutput: (name, value) => calls.push(["setOutput", name, value]),
  setFailed: (message) => calls.push(["setFailed", message]),
};
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core).then(
  () => console.log(JSON.stringify(calls)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
"""


def job_script(name: str) -> str:
    job = load("preview-comment.yml")["jobs"][name]
    return next(s["with"]["script"] for s in job["steps"] if s.get("uses", "").startswith("actions/github-script@"))


def lookup_script() -> str:
    return job_script("pull-request")


def comment_script() -> str:
    return job_script("comment")


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


def run_script(tmp_path: Path, script: str, scenario: dict, env: dict[str, str]) -> list[list]:
    """The API calls a github-script step makes against the scenario's fake GitHub."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js runs the workflow's scripts (as actions/github-script does)")
    (tmp_path / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    result = subprocess.run(
        [node, "harness.js", "scenario.json", "script.js"],
        cwd=tmp_path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_comment(
    tmp_path: Path,
    run: dict,
    pulls: dict[int, dict],
    *,
    open_prs: list[dict] | None = None,
    comments: list[dict] | None = None,
    report: str | None = "## Briefs changed\n",
    published: str = "skipped",
    previews_url: str = "",
) -> list[list]:
    """The API calls of the lookup job, then of the comment job as its needs give it the number.

    The artifact also holds a forged `number`.
    """
    artifact = tmp_path / "preview-report"
    artifact.mkdir(exist_ok=True)
    (artifact / "number").write_text("1\n", encoding="utf-8")
    if report is not None:
        (artifact / "report.md").write_text(report, encoding="utf-8")
    scenario = {"run": run, "pulls": pulls, "open": open_prs or [], "comments": comments or []}
    calls = run_script(tmp_path, lookup_script(), scenario, {})
    numbers = [call[2] for call in calls if call[:2] == ["setOutput", "number"]]
    if not numbers:  # the comment job's `if:` skips it
        return calls
    env = {"REPORT": str(artifact / "report.md"), "NUMBER": numbers[-1], "PUBLISHED": published, "PREVIEWS_URL": previews_url}
    return calls + run_script(tmp_path, comment_script(), scenario, env)


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


def test_the_comment_starts_with_the_preview_link_made_of_the_variable_and_the_number(tmp_path: Path) -> None:
    report = "**Preview:** https://forged.example/\n"
    calls = run_comment(
        tmp_path,
        fork_run(),
        {7: open_pr(7)},
        open_prs=[{"number": 7}],
        report=report,
        published="success",
        previews_url="https://previews.example.net/briefs/",
    )
    [(_, params)] = writes(calls)
    assert params["body"] == f"{MARKER}\n**Preview:** https://previews.example.net/briefs/pr-7/\n\n{report}"


@pytest.mark.parametrize(
    ("published", "first_line"),
    [
        ("skipped", "## Briefs changed"),  # no previews site, or the preview was not built
        ("failure", "_The preview could not be published: download the run's artifact `preview-site`"),
    ],
)
def test_without_a_published_preview_the_comment_has_no_link(tmp_path: Path, published: str, first_line: str) -> None:
    calls = run_comment(
        tmp_path, fork_run(), {7: open_pr(7)}, open_prs=[{"number": 7}], published=published, previews_url="https://p.example/"
    )
    [(_, params)] = writes(calls)
    assert params["body"].split("\n")[1].startswith(first_line)
    assert "https://p.example/" not in params["body"]


# Publishing: what the job that holds the previews' secret runs, and what it trusts.


def publish_job() -> dict:
    return load("preview-comment.yml")["jobs"]["publish"]


def test_the_publish_job_runs_nothing_of_the_pull_request() -> None:
    job = publish_job()
    assert job["permissions"] == {"actions": "read", "pages": "read"}
    assert job["environment"] == "previews"
    actions = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert actions == ["actions/download-artifact"], "no checkout, no script from anywhere"
    [download] = [step for step in job["steps"] if "uses" in step]
    assert download["with"] == {
        "name": "preview-site",
        "path": "${{ runner.temp }}/preview-site",
        "run-id": "${{ github.event.workflow_run.id }}",
        "github-token": "${{ github.token }}",
    }
    scripts = "\n".join(step["run"] for step in job["steps"] if "run" in step)
    for word in ("make", "python", "python3", "pip", "node", "npm", "npx", ".venv", "briefs", "source", "bash", "sh", "eval"):
        assert not re.search(rf"(?<![\w.$/-]){re.escape(word)}(?![\w.-])", scripts), word
    # The site is looked at, measured and copied, never entered, read or run: a file's name or
    # text cannot become a command.
    uses_of_site = re.findall(r'([\w-]+) "\$site[^"]*"', scripts)
    assert sorted(set(uses_of_site)) == ["-R", "-f", "-sb", "find"], uses_of_site
    assert 'cp -R "$site" "pr-${NUMBER}"' in scripts
    # The secret is in the one step that pushes, and only in its environment.
    text = (REPO / ".github/workflows/preview-comment.yml").read_text(encoding="utf-8")
    assert text.count("${{ secrets.") == 1
    [push] = [step for step in job["steps"] if "PREVIEWS_TOKEN" in step.get("env", {})]
    assert push["env"]["PREVIEWS_TOKEN"] == "${{ secrets.PREVIEWS_TOKEN }}"
    assert "PREVIEWS_TOKEN@" not in push["run"] and "extraheader" not in push["run"]


def test_the_publish_job_takes_its_number_from_github_and_only_runs_with_a_previews_site() -> None:
    job = publish_job()
    assert job["needs"] == "pull-request"
    assert job["env"]["NUMBER"] == "${{ needs.pull-request.outputs.number }}"
    assert job["env"]["PREVIEWS_REPOSITORY"] == "${{ vars.PREVIEWS_REPOSITORY }}"
    assert job["env"]["PREVIEWS_URL"] == "${{ vars.PREVIEWS_URL }}"
    condition = " ".join(job["if"].split())
    assert condition == (
        "needs.pull-request.outputs.number != '' && github.event.workflow_run.conclusion == 'success' "
        "&& vars.PREVIEWS_REPOSITORY != '' && vars.PREVIEWS_URL != ''"
    )
    # The number is checked before the artifact is downloaded, and no step reads one from it.
    names = [step.get("name", step.get("uses", "")) for step in job["steps"]]
    assert names.index("The previews are on another origin than production") < names.index(
        "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093"
    )
    text = (REPO / ".github/workflows/preview-comment.yml").read_text(encoding="utf-8")
    assert "preview-site/number" not in text and "preview-report/number" not in text
    comment = load("preview-comment.yml")["jobs"]["comment"]
    assert comment["needs"] == ["pull-request", "publish"]
    assert comment["if"] == "${{ !cancelled() && needs.pull-request.outputs.number != '' }}"


def test_the_preview_build_is_made_for_its_preview_address() -> None:
    workflow = load("preview.yml")
    [job] = workflow["jobs"].values()
    steps = {step.get("name"): step for step in job["steps"]}
    address = steps["Preview address"]
    assert address["env"] == {"PREVIEWS_URL": "${{ vars.PREVIEWS_URL }}", "NUMBER": "${{ github.event.pull_request.number }}"}
    assert 'echo "url=${PREVIEWS_URL%/}/pr-${NUMBER}/" >> "$GITHUB_OUTPUT"' in address["run"]
    assert 'if [ -n "$PREVIEWS_URL" ]' in address["run"], "without a previews site the build is as before"
    for name in ("Preview build", "Change report"):
        assert steps[name]["env"]["PREVIEW_URL"] == "${{ steps.address.outputs.url }}"
    assert 'if [ -n "$PREVIEW_URL" ]; then export SITE_URL="$PREVIEW_URL"; fi' in steps["Preview build"]["run"]
    assert '${PREVIEW_URL:+--preview-url "$PREVIEW_URL"}' in steps["Change report"]["run"]


def test_prune_reads_nothing_of_the_pull_request() -> None:
    text = (REPO / ".github/workflows/preview-prune.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {}
    assert set(workflow[True]) == {"pull_request_target", "schedule"}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"pull-requests": "read"}
    assert job["environment"] == "previews" and job["if"] == "vars.PREVIEWS_REPOSITORY != ''"
    assert all("uses" not in step for step in job["steps"]), "no checkout, no action"
    assert "github.event" not in text and "github.head_ref" not in text, "not even the number: open pull requests are asked for"


# The publish and prune scripts, run with bash against a local previews repository and a fake `gh`.

FAKE_GH = """#!/bin/sh
case "$*" in
  *"repos/desk/briefs/pages --jq .html_url") [ -n "$FAKE_PAGES_URL" ] && printf '%s\\n' "$FAKE_PAGES_URL" ;;
  *"repos/desk/briefs/pulls?state=open&per_page=100 --jq .[].number") printf '%s' "$FAKE_OPEN" ;;
  *) echo "gh: unexpected $*" >&2; exit 1 ;;
esac
"""

needs_bash_and_git = pytest.mark.skipif(
    sys.platform != "linux" or not (shutil.which("bash") and shutil.which("git")), reason="the runner's bash and GNU tools"
)


class Runner:
    """A runner's temporary folder, a previews repository (bare, on disk) and the steps' environment."""

    def __init__(self, tmp_path: Path) -> None:
        self.temp = tmp_path / "runner"
        self.site = self.temp / "preview-site"
        self.site.mkdir(parents=True)
        self.remote = tmp_path / "previews.git"
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
        (bin_dir / "gh").chmod(0o755)
        (tmp_path / "home").mkdir()
        self.env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "HOME": str(tmp_path / "home"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_REPOSITORY": "desk/briefs",
            "NUMBER": "7",
            "HEAD_SHA": HEAD,
            "PREVIEWS_REPOSITORY": "desk/briefs-previews",
            "PREVIEWS_URL": "https://desk.github.io/briefs-previews",
            "PREVIEWS_TOKEN": "token",
            "FAKE_PAGES_URL": "https://briefs.example.org/",
            "FAKE_OPEN": "",
        }
        self.git("init", "--quiet", "--bare", "--initial-branch=main", str(self.remote))
        seed = tmp_path / "seed"
        self.git("clone", "--quiet", str(self.remote), str(seed))
        (seed / "README.md").write_text("Previews of pull requests.\n", encoding="utf-8")
        self.git("-C", str(seed), "add", "README.md")
        self.git("-C", str(seed), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "Start")
        self.git("-C", str(seed), "push", "--quiet", "origin", "HEAD:main")

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], env=self.env, capture_output=True, text=True, timeout=60, check=True)
        return result.stdout

    def files(self) -> list[str]:
        return self.git("--git-dir", str(self.remote), "ls-tree", "-r", "--name-only", "main").split()

    def run(self, workflow: str, job: str, step: str, **env: str) -> subprocess.CompletedProcess[str]:
        [found] = [s for s in load(workflow)["jobs"][job]["steps"] if s.get("name") == step]
        shutil.rmtree(self.temp / "previews", ignore_errors=True)  # each job starts on a fresh runner
        script = self.temp.parent / "step.sh"
        script.write_text(found["run"], encoding="utf-8")
        values = {**self.env, **{k: v for k, v in found.get("env", {}).items() if "${{" not in v}, **env}
        # The clone of github.com/desk/briefs-previews is the bare repository on disk.
        count = int(values.get("GIT_CONFIG_COUNT", "0"))
        values |= {"GIT_CONFIG_COUNT": str(count + 1), f"GIT_CONFIG_KEY_{count}": f"url.{self.remote}.insteadOf"}
        values[f"GIT_CONFIG_VALUE_{count}"] = "https://github.com/desk/briefs-previews.git"
        # as GitHub runs a `run:` step
        command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        return subprocess.run(command, cwd=self.temp.parent, env=values, capture_output=True, text=True, timeout=120)

    def publish(self, **env: str) -> list[subprocess.CompletedProcess[str]]:
        """The publish job's steps in order (the download is the site already in place), up to the first to fail."""
        results = []
        for step in ("The previews are on another origin than production", "Regular files and folders only, within bounds"):
            results.append(self.run("preview-comment.yml", "publish", step, **env))
            if results[-1].returncode:
                return results
        results.append(self.run("preview-comment.yml", "publish", "Push it under pr-N/ of the previews repository", **env))
        return results


def write_site(site: Path, pages: dict[str, str]) -> None:
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


@needs_bash_and_git
def test_publish_pushes_the_site_under_the_pull_request_number(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    write_site(runner.site, {"index.html": "home", "en/index.html": "en", "pagefind/en/x.pf_meta": "m"})
    results = runner.publish()
    assert [r.returncode for r in results] == [0, 0, 0], results[-1].stderr
    assert runner.files() == [
        ".nojekyll",
        "README.md",
        "pr-7/en/index.html",
        "pr-7/index.html",
        "pr-7/pagefind/en/x.pf_meta",
        "robots.txt",
    ]
    assert runner.git("--git-dir", str(runner.remote), "log", "-1", "--format=%s", "main").strip() == (
        f"Preview of pull request #7 at {HEAD}"
    )
    robots = runner.git("--git-dir", str(runner.remote), "show", "main:robots.txt")
    assert robots == "User-agent: *\nDisallow: /\n"
    # The next push's preview replaces this one whole: a page it no longer has is gone.
    shutil.rmtree(runner.site / "en")
    assert [r.returncode for r in runner.publish()] == [0, 0, 0]
    assert "pr-7/en/index.html" not in runner.files() and "pr-7/index.html" in runner.files()


@needs_bash_and_git
def test_publish_starts_again_when_another_preview_was_pushed_first(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    write_site(runner.site, {"index.html": "home"})
    # The first push is refused, as when another pull request's preview got in first.
    hook = runner.remote / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\n[ -e {tmp_path}/refused ] && exit 0\ntouch {tmp_path}/refused\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    results = runner.publish()
    assert results[-1].returncode == 0, results[-1].stderr
    assert (tmp_path / "refused").exists() and "pr-7/index.html" in runner.files()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"FAKE_PAGES_URL": "https://desk.github.io/briefs/", "PREVIEWS_URL": "https://DESK.github.io/briefs-previews/"},
            "production's origin",
        ),
        ({"FAKE_PAGES_URL": ""}, "Pages address is unknown"),
        ({"PREVIEWS_URL": "http://previews.example.net/"}, "is not an https:// address"),
        ({"NUMBER": "7; touch owned"}, "not a pull request number"),
        ({"PREVIEWS_REPOSITORY": "desk/x.git --upload-pack=touch"}, "is not owner/name"),
    ],
    ids=["production-origin", "no-pages", "http", "number", "repository"],
)
@needs_bash_and_git
def test_publish_refuses_before_downloading_anything(tmp_path: Path, env: dict[str, str], message: str) -> None:
    runner = Runner(tmp_path)
    write_site(runner.site, {"index.html": "home"})
    [result] = runner.publish(**env)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr
    assert runner.files() == ["README.md"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda site: (site / "en").mkdir() or (site / "en" / "index.html").symlink_to("/etc/passwd"), "a link or special file"),
        (lambda site: (site / "en").symlink_to("/", target_is_directory=True), "a link or special file"),
        (lambda site: os.mkfifo(site / "pipe"), "a link or special file"),
        (lambda site: (site / "en").mkdir() or (site / "en" / ".gitattributes").write_text("* filter=x\n"), "a .git file"),
        (lambda site: (site / "index.html").unlink(), "no index.html"),
    ],
    ids=["file-link", "folder-link", "fifo", "gitattributes", "no-index"],
)
@needs_bash_and_git
def test_publish_refuses_a_site_that_is_not_plain_files(tmp_path: Path, make: Callable[[Path], object], message: str) -> None:
    runner = Runner(tmp_path)
    write_site(runner.site, {"index.html": "home"})
    make(runner.site)
    results = runner.publish()
    assert [r.returncode for r in results] == [0, 1]
    assert results[-1].stdout.startswith("::error::The preview is not published: ") and message in results[-1].stdout
    assert "passwd" not in results[-1].stdout + results[-1].stderr, "names from the artifact are not printed"
    assert runner.files() == ["README.md"]


@needs_bash_and_git
def test_prune_keeps_the_previews_of_open_pull_requests_only(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    for number in ("3", "7", "12"):
        write_site(runner.site, {"index.html": number})
        assert runner.publish(NUMBER=number)[-1].returncode == 0
    step = "Remove the previews of pull requests that are not open"
    result = runner.run("preview-prune.yml", "prune", step, FAKE_OPEN="1\n7\n")
    assert result.returncode == 0, result.stderr
    assert runner.files() == [".nojekyll", "README.md", "pr-7/index.html", "robots.txt"]
    head = runner.git("--git-dir", str(runner.remote), "rev-parse", "main")
    assert runner.run("preview-prune.yml", "prune", step, FAKE_OPEN="7\n").returncode == 0
    assert runner.git("--git-dir", str(runner.remote), "rev-parse", "main") == head, "nothing to remove, nothing pushed"
