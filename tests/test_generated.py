"""Committed files generated from the model and the taxonomy are current; `surveykb schema` rewrites them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT

from surveykb.cli import main
from surveykb.core.errors import MissingMarkers
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.generated.contributing import BEGIN, END, with_field_reference
from surveykb.generated.files import GENERATED_FILES, REGENERATE_COMMAND, GeneratedFile, expected_text, stale_files


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    taxonomy, diagnostics = load_taxonomy(REPO_ROOT / "taxonomy")
    assert taxonomy is not None, diagnostics
    return taxonomy


@pytest.mark.parametrize("generated", [pytest.param(g, id=g.path) for g in GENERATED_FILES])
def test_committed_file_is_current(taxonomy: Taxonomy, generated: GeneratedFile) -> None:
    current, expected = expected_text(REPO_ROOT, generated, taxonomy)
    assert current == expected, f"{generated.path} is out of date; run `{REGENERATE_COMMAND}` and commit the result"


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The taxonomy, an empty papers/ and the generated files, as the working directory."""
    shutil.copytree(REPO_ROOT / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "papers").mkdir()
    for generated in GENERATED_FILES:
        (tmp_path / generated.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / generated.path, tmp_path / generated.path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_schema_command_finds_and_fixes_drift(repo_copy: Path, taxonomy: Taxonomy) -> None:
    modalities = repo_copy / "taxonomy" / "modalities.yaml"
    modalities.write_text(modalities.read_text() + "  - id: smell\n    name: Smell\n    description: Odours.\n")
    check = CliRunner().invoke(main, ["schema", "--check"])
    assert (check.exit_code, check.stdout) == (
        1,
        "out of date: schema/paper.schema.json\nout of date: .github/ISSUE_TEMPLATE/add-paper.yml\nout of date: CONTRIBUTING.md\n",
    )
    assert check.stderr == "error: run `surveykb schema` to regenerate them\n"
    fix = CliRunner().invoke(main, ["schema"])
    assert fix.exit_code == 0
    assert "- `smell`: Smell: Odours." in (repo_copy / "CONTRIBUTING.md").read_text()
    assert '"smell"' in (repo_copy / "schema" / "paper.schema.json").read_text()
    again = CliRunner().invoke(main, ["schema", "--check"])
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")


def test_contributing_prose_outside_the_markers_is_kept(taxonomy: Taxonomy) -> None:
    document = f"# Title\n\nIntro.\n\n{BEGIN}\nstale\n{END}\n\nAfter.\n"
    updated = with_field_reference(document, taxonomy)
    assert updated.startswith(f"# Title\n\nIntro.\n\n{BEGIN}\n| Field | Type | Required | Description |\n")
    assert updated.endswith(f"\n{END}\n\nAfter.\n")
    assert "stale" not in updated
    assert with_field_reference(updated, taxonomy) == updated


def test_contributing_without_markers_is_an_error(repo_copy: Path, taxonomy: Taxonomy) -> None:
    with pytest.raises(MissingMarkers):
        with_field_reference("# no markers\n", taxonomy)
    (repo_copy / "CONTRIBUTING.md").write_text("# no markers\n")
    result = CliRunner().invoke(main, ["schema", "--check"])
    assert (result.exit_code, result.stderr) == (1, f"error: CONTRIBUTING.md must contain the lines\n{BEGIN}\n{END}\n")


def test_stale_files_is_empty_for_the_repository(taxonomy: Taxonomy) -> None:
    assert stale_files(REPO_ROOT, taxonomy) == []
