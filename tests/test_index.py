"""The index of the fixture knowledge base: papers by node, related and recent papers, cross tables."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_KB, TODAY

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.formats.data_files import short_authors, tag_ancestors, venue_name

LIU, CHEN, MMVET = "liu2023visual", "chen2023sharegpt4v", "mm-vet-evaluating-large-multimodal-models-for-integrated"


@pytest.fixture(scope="module")
def index() -> Index:
    kb, _ = load_knowledge_base(FIXTURE_KB, today=TODAY)
    assert kb is not None
    return build_index(kb)


@pytest.mark.parametrize(
    ("node", "papers"),
    [
        pytest.param("acquisition", [LIU], id="leaf"),
        pytest.param("scaling-up", [LIU], id="group"),
        pytest.param("scaling", [CHEN, LIU], id="branch"),
        pytest.param("data4model", [CHEN, LIU, MMVET], id="axis"),
        pytest.param("creator", [CHEN, LIU], id="other-axis"),
        pytest.param("augmentation", [], id="empty"),
    ],
)
def test_a_node_holds_the_papers_at_or_below_it_once(index: Index, node: str, papers: list[str]) -> None:
    assert sorted(index.by_node.get(node, [])) == papers


def test_related_papers_share_tags_and_leave_the_paper_out(index: Index) -> None:
    assert index.related[LIU] == [CHEN]
    assert LIU not in index.related[LIU]


def test_recent_papers_are_the_dated_ones_newest_first(index: Index) -> None:
    assert index.recent == [CHEN, LIU]


def test_co_development_cells_hold_papers_with_both_tags(index: Index) -> None:
    matrix = index.tables[0]
    assert matrix.slug == "data4model-model4data"
    assert matrix.cells[("acquisition", "creator")] == [LIU]
    assert matrix.count("acquisition", "mapper") == 0


@pytest.mark.parametrize(
    ("authors", "short"),
    [
        pytest.param([], "", id="none"),
        pytest.param(["Haotian Liu"], "Liu", id="one"),
        pytest.param(["Haotian Liu", "Chunyuan Li"], "Liu et al.", id="several"),
        pytest.param(["  "], "  ", id="blank-name"),
    ],
)
def test_short_authors(authors: list[str], short: str) -> None:
    assert short_authors(authors) == short


@pytest.mark.parametrize(
    ("venue", "name"),
    [
        pytest.param("NeurIPS 2023", "NeurIPS", id="with-year"),
        pytest.param("arXiv", "arXiv", id="preprint"),
        pytest.param(None, "", id="none"),
        pytest.param("CVPR  2024 Workshops", "CVPR Workshops", id="year-inside"),
    ],
)
def test_venue_name_drops_the_year(venue: str | None, name: str) -> None:
    assert venue_name(venue) == name


def test_tag_ancestors_are_the_tags_and_the_nodes_above_in_taxonomy_order(index: Index) -> None:
    assert tag_ancestors(index, index.papers[LIU]) == [
        "data4model",
        "scaling",
        "scaling-up",
        "acquisition",
        "usability",
        "instruction-responsiveness",
        "prompt-design",
        "model4data",
        *[node for node in index.taxonomy.nodes if node in {"synthesis", "creator"}],
    ]
