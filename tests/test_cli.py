"""`surveykb validate` through click's CliRunner: output formats, exit codes and path arguments."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURE_KB, REPO_ROOT, ScratchKB

from surveykb.cli import main

INCOMPLETE = "papers/mm-vet-evaluating-large-multimodal-models-for-integrated.yaml"
WARNING_TEXT = (
    f"{INCOMPLETE}:2:1: warning incomplete: the record has no authors, no year and no link (arxiv, doi or url)"
)


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["validate", *arguments])


def break_liu(kb: ScratchKB) -> None:
    path = kb.papers / "liu2023visual.yaml"
    text = path.read_text().replace("  - prompt-design\n", "  - prompt-designs\n")
    path.write_text(text + "auther: Someone\n")


def test_warnings_alone_exit_zero(fixture_kb: ScratchKB) -> None:
    result = run()
    assert result.exit_code == 0
    assert result.stdout == WARNING_TEXT + "\n"
    assert result.stderr == "3 valid records; 0 errors, 1 warning\n"


def test_strict_promotes_warnings(fixture_kb: ScratchKB) -> None:
    result = run("--strict")
    assert result.exit_code == 1
    assert result.stdout == WARNING_TEXT.replace("warning incomplete", "error incomplete") + "\n"
    assert (
        result.stderr == "2 valid records, 1 with errors; 1 error, 0 warnings\n"
    )  # the record with the error is not counted


def test_errors_exit_one_in_text(fixture_kb: ScratchKB) -> None:
    break_liu(fixture_kb)
    result = run()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "papers/liu2023visual.yaml:19:5: error unknown-tag: unknown data4model tag 'prompt-designs'; did you mean 'prompt-design'?",
        "papers/liu2023visual.yaml:28:1: error unknown-field: unknown field 'auther'; did you mean 'authors'?",
        WARNING_TEXT,
    ]
    assert result.stderr == "2 valid records, 1 with errors; 2 errors, 1 warning\n"


def test_github_format(fixture_kb: ScratchKB) -> None:
    break_liu(fixture_kb)
    result = run("--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=papers/liu2023visual.yaml,line=19,col=5::unknown-tag: unknown data4model tag 'prompt-designs'; did you mean 'prompt-design'?",
        "::error file=papers/liu2023visual.yaml,line=28,col=1::unknown-field: unknown field 'auther'; did you mean 'authors'?",
        f"::warning file={INCOMPLETE},line=2,col=1::incomplete: the record has no authors, no year and no link (arxiv, doi or url)",
    ]


def test_json_format(fixture_kb: ScratchKB) -> None:
    break_liu(fixture_kb)
    result = run("--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "papers/liu2023visual.yaml",
            "line": 19,
            "col": 5,
            "severity": "error",
            "code": "unknown-tag",
            "message": "unknown data4model tag 'prompt-designs'; did you mean 'prompt-design'?",
        },
        {
            "path": "papers/liu2023visual.yaml",
            "line": 28,
            "col": 1,
            "severity": "error",
            "code": "unknown-field",
            "message": "unknown field 'auther'; did you mean 'authors'?",
        },
        {
            "path": INCOMPLETE,
            "line": 2,
            "col": 1,
            "severity": "warning",
            "code": "incomplete",
            "message": "the record has no authors, no year and no link (arxiv, doi or url)",
        },
    ]


@pytest.mark.parametrize(
    ("fmt", "stdout"),
    [
        pytest.param("text", "", id="text-prints-nothing"),
        pytest.param("github", "", id="github-prints-nothing"),
        pytest.param("json", "[]\n", id="json-prints-empty-list"),
    ],
)
def test_clean_knowledge_base(fixture_kb: ScratchKB, fmt: str, stdout: str) -> None:
    (fixture_kb.papers / f"{INCOMPLETE.removeprefix('papers/')}").unlink()
    result = run("--format", fmt)
    assert (result.exit_code, result.stdout, result.stderr) == (0, stdout, "2 valid records; 0 errors, 0 warnings\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(
            ["--format", "xml"],
            "Invalid value for '--format': 'xml' is not one of 'text', 'github', 'json'.",
            id="bad-format",
        ),
        pytest.param(["--strictly"], "No such option '--strictly'. Did you mean '--strict'?", id="unknown-option"),
        pytest.param(["--root", "papers/liu2023visual.yaml"], "is a file.", id="root-is-a-file"),
    ],
)
def test_usage_errors_exit_two(fixture_kb: ScratchKB, arguments: list[str], message: str) -> None:
    result = run(*arguments)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_named_files_only(fixture_kb: ScratchKB) -> None:
    break_liu(fixture_kb)
    result = run("papers/chen2023sharegpt4v.yaml", "papers/missing.yaml")
    assert result.exit_code == 1
    assert result.stdout == "papers/missing.yaml:1:1: error not-found: no such file\n"
    assert result.stderr == "2 files checked; 1 error, 0 warnings\n"


def test_directory_argument_expands_to_its_records(fixture_kb: ScratchKB) -> None:
    result = run("papers")
    assert (result.exit_code, result.stdout) == (0, WARNING_TEXT + "\n")
    assert result.stderr == "3 files checked; 0 errors, 1 warning\n"


def test_root_option_and_root_found_from_a_subdirectory(fixture_kb: ScratchKB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture_kb.root.parent)
    result = run("--root", "kb")
    assert result.stdout == WARNING_TEXT.replace("papers/", "kb/papers/") + "\n"
    monkeypatch.chdir(fixture_kb.papers)
    result = run()
    assert result.exit_code == 0
    assert result.stdout == WARNING_TEXT.removeprefix("papers/") + "\n"


def test_broken_taxonomy(fixture_kb: ScratchKB) -> None:
    shutil.rmtree(fixture_kb.root / "taxonomy")
    (fixture_kb.root / "taxonomy").mkdir()
    (fixture_kb.root / "taxonomy" / "stages.yaml").write_text("stages: [\n")
    result = run()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "taxonomy/modalities.yaml:1:1: error missing-file: this taxonomy file is required",
        "taxonomy/stages.yaml:2:1: error yaml-syntax: a value is missing where YAML expects one, often after `[`, `,` or `- ` (YAML says: did not find expected node content (while parsing a flow node))",
    ]
    assert result.stderr == "0 valid records; 2 errors, 0 warnings\n"


def test_no_traceback_for_unreadable_input(fixture_kb: ScratchKB) -> None:
    fixture_kb.write("liu2023visual.yaml", b"\xff\xfe\x00garbage")
    fixture_kb.write("chen2023sharegpt4v.yaml", "- [\n")
    result = run()
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "papers/chen2023sharegpt4v.yaml:2:1: error yaml-syntax: a value is missing where YAML expects one, often after `[`, `,` or `- ` (YAML says: did not find expected node content (while parsing a flow node))",
        "papers/liu2023visual.yaml:1:1: error not-utf8: the file is not UTF-8 text (byte 0xff)",
    ]


def test_help_mentions_the_formats() -> None:
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    assert "[text|github|json]" in result.stdout


def test_build_prints_each_diagnostic_once(tmp_path: Path) -> None:
    """`surveykb build` loads and checks the knowledge base once and hands it to the plugin."""
    for name in ("mkdocs.yml", "docs", "templates"):
        source = REPO_ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    shutil.copytree(FIXTURE_KB / "papers", tmp_path / "papers")
    command = [str(Path(sys.executable).with_name("surveykb")), "build", "--site-dir", str(tmp_path / "out")]
    done = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    warning = "papers/mm-vet-evaluating-large-multimodal-models-for-integrated.yaml:2:1: warning incomplete:"
    assert output.count(warning) == 1, output
    assert "surveykb: the knowledge base has 1 warning (listed above)" in output
