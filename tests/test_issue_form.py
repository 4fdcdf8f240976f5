"""The "Add a paper" issue form: valid GitHub issue-form shape, every taxonomy id offered once."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT

from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.generated.issue_form import ISSUE_FORM_PATH, issue_form


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    taxonomy, diagnostics = load_taxonomy(REPO_ROOT / "taxonomy")
    assert taxonomy is not None, diagnostics
    return taxonomy


@pytest.fixture(scope="module")
def form(taxonomy: Taxonomy) -> dict[str, Any]:
    return issue_form(taxonomy)


def test_committed_form_parses_to_the_generated_one(form: dict[str, Any]) -> None:
    committed = yaml.safe_load((REPO_ROOT / ISSUE_FORM_PATH).read_text(encoding="utf-8"))
    assert committed == form


def test_form_has_the_issue_form_shape(form: dict[str, Any]) -> None:
    """The rules GitHub enforces on issue forms that a generator could break."""
    assert {"name", "description", "body"} <= set(form)
    ids = [element["id"] for element in form["body"] if "id" in element]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", element_id) for element_id in ids)
    labels = [element["attributes"]["label"] for element in form["body"] if element["type"] != "markdown"]
    assert len(labels) == len(set(labels))
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if element["type"] in {"checkboxes", "dropdown"}:
            options = element["attributes"]["options"]
            assert options and len(options) == len({str(option) for option in options})


def test_every_leaf_tag_is_offered_exactly_once(form: dict[str, Any], taxonomy: Taxonomy) -> None:
    offered = Counter(
        re.match(r"`([^`]+)`", option["label"]).group(1)  # type: ignore[union-attr]
        for element in form["body"]
        if element.get("id", "").startswith("tags-")
        for option in element["attributes"]["options"]
    )
    leaves = [leaf.id for axis in taxonomy.axes for leaf in taxonomy.leaves(axis)]
    assert offered == Counter(leaves)


def test_sections_modalities_and_stages_are_offered(form: dict[str, Any], taxonomy: Taxonomy) -> None:
    elements = {element.get("id"): element for element in form["body"]}
    assert [option.split(":")[0] for option in elements["sections"]["attributes"]["options"]] == taxonomy.section_ids
    assert elements["sections"]["attributes"]["multiple"] is True
    assert len(elements["modalities"]["attributes"]["options"]) == len(taxonomy.modality_ids)
    assert len(elements["stages"]["attributes"]["options"]) == len(taxonomy.stage_ids)
    assert elements["title"]["validations"] == {"required": True}
