"""The JSON Schema editors use: generated from the model, agreeing with it, and met by every record."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import AXES, FIXTURE_KB, REPO_ROOT
from jsonschema import Draft202012Validator

from surveykb.core.load import load_yaml_file
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.core.validate import check_file
from surveykb.formats.record_yaml import dump_record
from surveykb.generated.record_schema import paper_schema

VALID: dict[str, Any] = {
    "id": "liu2023visual",
    "title": "Visual Instruction Tuning",
    "authors": ["Haotian Liu"],
    "year": 2023,
    "arxiv": "2304.08485",
    "url": "https://llava-vl.github.io",
    "modalities": ["image"],
    "data4model": ["acquisition"],
    "stages": ["fine-tuning"],
    "sections": ["3.1.1", "table-2"],
    "added": "2024-07-12",
}


def load_tax(root: Path) -> Taxonomy:
    taxonomy, diagnostics = load_taxonomy(root / "taxonomy")
    assert taxonomy is not None, diagnostics
    return taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_tax(FIXTURE_KB)


def validator(taxonomy: Taxonomy) -> Draft202012Validator:
    schema = paper_schema(taxonomy)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(records: list[Path], taxonomy: Taxonomy) -> list[str]:
    check = validator(taxonomy)
    found = []
    for path in records:
        loaded, problems = load_yaml_file(path)
        assert loaded is not None, problems
        found += [f"{path.name}: {error.json_path}: {error.message}" for error in check.iter_errors(loaded.data)]
    return found


def test_committed_records_meet_the_committed_schema() -> None:
    """Runs over whatever papers/ holds at test time."""
    assert schema_errors(sorted((REPO_ROOT / "papers").glob("*.yaml")), load_tax(REPO_ROOT)) == []


def test_fixture_records_meet_the_schema(taxonomy: Taxonomy) -> None:
    assert schema_errors(sorted((FIXTURE_KB / "papers").glob("*.yaml")), taxonomy) == []


def test_a_complete_record_passes_both(taxonomy: Taxonomy) -> None:
    assert list(validator(taxonomy).iter_errors(VALID)) == []
    Paper.model_validate(VALID, context={"taxonomy": taxonomy, "today": datetime.date(2024, 7, 12)})


@pytest.mark.parametrize(
    ("change", "path"),
    [
        pytest.param({"data4model": ["acquisiton"]}, "$.data4model[0]", id="unknown-tag"),
        pytest.param({"data4model": ["scaling-up"]}, "$.data4model[0]", id="group-tag"),
        pytest.param({"data4model": ["creator"]}, "$.data4model[0]", id="tag-of-other-axis"),
        pytest.param({"data4model": ["acquisition", "acquisition"]}, "$.data4model", id="repeated-tag"),
        pytest.param({"data4model": []}, "$", id="no-tag"),
        pytest.param({"arxiv": 2304.08485}, "$.arxiv", id="unquoted-arxiv"),
        pytest.param({"arxiv": "2304.08485v2"}, "$.arxiv", id="versioned-arxiv"),
        pytest.param({"doi": "https://doi.org/10.1/x"}, "$.doi", id="doi-link"),
        pytest.param({"url": "ftp://x.org"}, "$.url", id="ftp-url"),
        pytest.param({"title": "  "}, "$.title", id="blank-title"),
        pytest.param({"id": "Liu_2023"}, "$.id", id="bad-id"),
        pytest.param({"year": "2023"}, "$.year", id="quoted-year"),
        pytest.param({"year": 1900}, "$.year", id="early-year"),
        pytest.param({"modalities": ["smell"]}, "$.modalities[0]", id="unknown-modality"),
        pytest.param({"stages": ["training"]}, "$.stages", id="unknown-stage"),
        pytest.param({"sections": [3.1]}, "$.sections[0]", id="unquoted-section"),
        pytest.param({"added": "2024-13-01"}, "$.added", id="impossible-date"),
        pytest.param({"auther": "x"}, "$", id="unknown-field"),
    ],
)
def test_schema_and_validate_reject_the_same_mistakes(
    taxonomy: Taxonomy, tmp_path: Path, change: dict[str, Any], path: str
) -> None:
    record = {**VALID, **change}
    errors = list(validator(taxonomy).iter_errors(record))
    assert {error.json_path for error in errors} == {path}
    file = tmp_path / f"{VALID['id']}.yaml"
    file.write_text(dump_record(record, AXES), encoding="utf-8")
    accepted, problems = check_file(file, {"taxonomy": taxonomy, "today": datetime.date(2024, 7, 12)})
    assert accepted is None and any(problem.is_error for problem in problems)


def test_enums_follow_the_taxonomy(taxonomy: Taxonomy) -> None:
    properties = paper_schema(taxonomy)["properties"]
    assert properties["data4model"]["items"]["enum"] == [leaf.id for leaf in taxonomy.leaves("data4model")]
    assert properties["model4data"]["items"]["enum"] == [leaf.id for leaf in taxonomy.leaves("model4data")]
    assert properties["stages"]["anyOf"][0]["items"]["enum"] == taxonomy.stage_ids
    assert properties["modalities"]["items"]["enum"] == taxonomy.modality_ids
    assert properties["sections"]["items"]["enum"] == taxonomy.section_ids
    assert properties["data4model"]["items"]["markdownEnumDescriptions"][0] == (
        "Data Acquisition (Sec. 3.1.1; Data4Model › Scaling › Scaling Up (Larger Datasets))"
    )
    assert properties["added"]["anyOf"][0] == {"type": "string", "format": "date"}
