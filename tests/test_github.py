"""The GitHub and pre-commit set-up: the files parse, and the surveykb commands they call exist and pass."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO_ROOT

from surveykb.cli import main

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
HOOK_FILES = [REPO_ROOT / ".pre-commit-hooks.yaml", REPO_ROOT / ".pre-commit-config.yaml"]


def load(path: Path) -> Any:
    # PyYAML reads a bare `on:` key as the boolean true, as YAML 1.1 says.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def surveykb_commands(text: str) -> list[list[str]]:
    """The argument lists of every `surveykb ...` command line in a shell snippet."""
    return [shlex.split(line.strip())[1:] for line in text.splitlines() if re.match(r"\s*surveykb\s", line)]


def resolve(arguments: list[str]) -> click.Command | None:
    """The click command the arguments name (following groups), or None."""
    command: click.Command = main
    for word in arguments:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        found = command.commands.get(word)
        if found is None:
            return None
        command = found
    return command if command is not main else None


def hooks(path: Path) -> list[dict[str, Any]]:
    """The hooks a hook definition file (a list) or a pre-commit config (repos of hooks) declares."""
    data = load(path)
    return data if isinstance(data, list) else [hook for repo in data["repos"] for hook in repo["hooks"]]


def workflow_runs(path: Path) -> list[str]:
    workflow = load(path)
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in WORKFLOWS])
def test_workflow_shape(path: Path) -> None:
    workflow = load(path)
    assert {"name", True, "jobs"} <= set(workflow), "a workflow needs name, on and jobs"
    for job in workflow["jobs"].values():
        assert "runs-on" in job and job["steps"]


def test_expected_workflows_and_triggers() -> None:
    triggers = {path.name: load(path)[True] for path in WORKFLOWS}
    assert "pull_request" in triggers["validate.yml"]
    assert triggers["pages.yml"]["push"] == {"branches": ["main"]}


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(args, id=f"{path.name}:{' '.join(args)}")
        for path in WORKFLOWS
        for run in workflow_runs(path)
        for args in surveykb_commands(run)
    ]
    + [
        pytest.param(shlex.split(hook["entry"])[1:], id=f"{path.name}:{hook['id']}")
        for path in HOOK_FILES
        for hook in hooks(path)
        if hook["entry"].startswith("surveykb ")
    ],
)
def test_called_commands_exist(arguments: list[str]) -> None:
    assert resolve(arguments) is not None, f"`surveykb {' '.join(arguments)}` is not a command"


def test_validate_workflow_runs_the_checks_and_the_tests() -> None:
    runs = workflow_runs(REPO_ROOT / ".github" / "workflows" / "validate.yml")
    assert [args for run in runs for args in surveykb_commands(run)] == [
        ["validate", "--format", "github"],
        ["fmt", "--check"],
        ["schema", "--check"],
        ["diff", "$BASE", ">", "kb-diff.md"],
    ]
    assert "pytest -q" in runs


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["validate", "--format", "github"], id="validate"),
        pytest.param(["fmt", "--check"], id="fmt-check"),
        pytest.param(["schema", "--check"], id="schema-check"),
    ],
)
def test_ci_checks_pass_on_the_repository(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = CliRunner().invoke(main, arguments)
    errors = [line for line in result.stdout.splitlines() if not line.startswith("::warning")]
    assert (result.exit_code, errors) == (0, [])


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in HOOK_FILES])
def test_hooks_run_on_changed_records_only(path: Path) -> None:
    record_hooks = [hook for hook in hooks(path) if hook["id"].startswith("surveykb-")]
    assert [hook["id"] for hook in record_hooks] == ["surveykb-validate", "surveykb-fmt"]
    for hook in record_hooks:
        assert re.search(hook["files"], "papers/liu2023visual.yaml")
        assert not re.search(hook["files"], "taxonomy/stages.yaml")


def test_the_code_hooks_are_what_ci_runs() -> None:
    code_hooks = {
        hook["id"]: hook["entry"]
        for hook in hooks(REPO_ROOT / ".pre-commit-config.yaml")
        if not hook["id"].startswith("surveykb-")
    }
    assert code_hooks == {"ruff-check": "ruff check", "ruff-format": "ruff format --check", "mypy": "mypy"}
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all(f".venv/bin/{entry}" in ci for entry in code_hooks.values())


def test_pull_request_template_names_existing_commands() -> None:
    text = (REPO_ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    commands = re.findall(r"`surveykb ([a-z]+(?: [a-z]+)?)", text)
    assert commands
    assert all(resolve(command.split()) is not None for command in commands)


def test_the_pages_workflow_publishes_with_the_site_and_repository_urls() -> None:
    """Without them the sitemap is empty, feeds carry relative links and no page links to the sources."""
    steps = load(REPO_ROOT / ".github" / "workflows" / "pages.yml")["jobs"]["build"]["steps"]
    pages = next(step for step in steps if step.get("uses", "").startswith("actions/configure-pages@"))
    build = next(step for step in steps if step.get("run") == "surveykb build")
    assert build["env"] == {
        "SURVEYKB_SITE_URL": f"${{{{ steps.{pages['id']}.outputs.base_url }}}}/",
        "SURVEYKB_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
    }
