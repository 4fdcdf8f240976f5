"""`field_reference`: the record format for people, from the model's field descriptions and the taxonomy."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_KB

from surveykb.core.model import Paper, record_fields
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.generated.reference import field_reference


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    taxonomy, diagnostics = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert taxonomy is not None, diagnostics
    return taxonomy


def test_one_row_per_field_in_record_order(taxonomy: Taxonomy) -> None:
    rows = field_reference(taxonomy)
    assert [row["name"] for row in rows] == record_fields(taxonomy.axes)
    assert all(
        row["description"] == Paper.model_fields[row["name"]].description
        for row in rows
        if row["name"] not in taxonomy.axes
    )


@pytest.mark.parametrize(
    ("name", "kind", "required", "allowed_count"),
    [
        pytest.param("id", "text", True, 0, id="id"),
        pytest.param("title", "text", True, 0, id="title"),
        pytest.param("authors", "list of text", False, 0, id="authors"),
        pytest.param("year", "whole number", False, 0, id="year"),
        pytest.param("url", "URL (http or https)", False, 0, id="url"),
        pytest.param("modalities", "list of ids", False, 8, id="modalities"),
        pytest.param("data4model", "list of ids", False, 18, id="data4model"),
        pytest.param("model4data", "list of ids", False, 8, id="model4data"),
        pytest.param("stages", "list of ids", False, 5, id="stages"),
        pytest.param("sections", "list of ids", False, 47, id="sections"),
        pytest.param("added", "date (YYYY-MM-DD)", False, 0, id="added"),
    ],
)
def test_row(taxonomy: Taxonomy, name: str, kind: str, required: bool, allowed_count: int) -> None:
    row = next(row for row in field_reference(taxonomy) if row["name"] == name)
    assert (row["type"], row["required"], len(row["allowed"])) == (kind, required, allowed_count)


def test_allowed_values_carry_names_and_descriptions(taxonomy: Taxonomy) -> None:
    rows = {row["name"]: row for row in field_reference(taxonomy)}
    assert rows["data4model"]["allowed"][0] == {
        "value": "acquisition",
        "label": "Data Acquisition (Sec. 3.1.1)",
        "description": taxonomy.nodes["acquisition"].description,
    }
    assert rows["stages"]["allowed"][0] == {
        "value": "pre-training",
        "label": "Pre-training",
        "description": taxonomy.stages[0].description,
    }
    assert rows["sections"]["allowed"][-1]["value"] == "table-2"
