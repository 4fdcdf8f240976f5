"""A record as RIS, as a plain-text reference and as the links built from its identifiers; the
paper page's Highwire tags; the site's paper search index."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURE_KB, TODAY

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.model import Paper
from surveykb.core.paper_links import pdf_url
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.formats.reference_write import reference_text
from surveykb.formats.ris_write import ris_entry
from surveykb.site.pages import citation_meta, paper_columns, shared_reason
from surveykb.site.search_index import paper_search_index


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, diagnostics = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert loaded is not None, diagnostics
    return loaded


@pytest.fixture(scope="module")
def index() -> Index:
    kb, _ = load_knowledge_base(FIXTURE_KB, today=TODAY)
    assert kb is not None
    return build_index(kb)


def make_paper(taxonomy: Taxonomy, **fields: Any) -> Paper:
    data = {"id": "doe2024test", "title": "A Test", "data4model": ["acquisition"], **fields}
    return Paper.model_validate(data, context={"taxonomy": taxonomy, "today": TODAY})


def test_ris_of_a_journal_article(taxonomy: Taxonomy) -> None:
    paper = make_paper(
        taxonomy, authors=["Ann Doe", "Bo Roe"], year=2024, venue="TPAMI", doi="10.1000/x1", summary="Two\nlines."
    )
    assert ris_entry(paper).splitlines() == [
        "TY  - JOUR",
        "ID  - doe2024test",
        "TI  - A Test",
        "AU  - Ann Doe",
        "AU  - Bo Roe",
        "PY  - 2024",
        "JO  - TPAMI",
        "DO  - 10.1000/x1",
        "AB  - Two lines.",
        "ER  -",
    ]


def test_ris_of_a_preprint_names_arxiv_and_its_pdf(taxonomy: Taxonomy) -> None:
    paper = make_paper(taxonomy, authors=["Ann Doe"], year=2024, venue="arXiv", arxiv="2401.00001")
    assert ris_entry(paper).splitlines() == [
        "TY  - GEN",
        "ID  - doe2024test",
        "TI  - A Test",
        "AU  - Ann Doe",
        "PY  - 2024",
        "PB  - arXiv",
        "L1  - https://arxiv.org/pdf/2401.00001",
        "N1  - arXiv:2401.00001",
        "ER  -",
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"authors": ["Ann Doe"], "year": 2024, "venue": "CVPR 2024"},
            "Ann Doe. 2024. A Test. CVPR 2024.",
            id="one-author",
        ),
        pytest.param(
            {"authors": ["Ann Doe", "Bo Roe"], "venue": "arXiv", "arxiv": "2401.00001"},
            "Ann Doe and Bo Roe. A Test. arXiv:2401.00001.",
            id="preprint",
        ),
        pytest.param(
            {"authors": ["A B", "C D", "E F"], "year": 2023, "doi": "10.1000/x2"},
            "A B, C D, and E F. 2023. A Test. doi:10.1000/x2.",
            id="three-authors-doi",
        ),
        pytest.param({"title": "Why?", "arxiv": "2401.00001"}, "Why? arXiv:2401.00001.", id="no-authors-question"),
    ],
)
def test_plain_text_reference(taxonomy: Taxonomy, fields: dict[str, Any], expected: str) -> None:
    assert reference_text(make_paper(taxonomy, **fields)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"arxiv": "2401.00001", "url": "https://x.org/a.pdf"}, "https://arxiv.org/pdf/2401.00001", id="arxiv-first"
        ),
        pytest.param({"url": "https://x.org/paper.PDF?download=1"}, "https://x.org/paper.PDF?download=1", id="pdf-url"),
        pytest.param({"url": "https://x.org/paper"}, None, id="web-page-only"),
    ],
)
def test_pdf_url(taxonomy: Taxonomy, fields: dict[str, Any], expected: str | None) -> None:
    assert pdf_url(make_paper(taxonomy, **fields)) == expected


def test_a_preprint_is_a_report_of_arxiv_for_reference_managers(taxonomy: Taxonomy) -> None:
    paper = make_paper(taxonomy, authors=["Ann Doe"], year=2024, venue="arXiv", arxiv="2401.00001", doi="10.1000/x2")
    assert citation_meta(paper) == [
        {"name": "citation_title", "content": "A Test"},
        {"name": "citation_author", "content": "Ann Doe"},
        {"name": "citation_publication_date", "content": "2024"},
        {"name": "citation_technical_report_institution", "content": "arXiv"},
        {"name": "citation_technical_report_number", "content": "arXiv:2401.00001"},
        {"name": "citation_arxiv_id", "content": "2401.00001"},
        {"name": "citation_doi", "content": "10.1000/x2"},
        {"name": "citation_pdf_url", "content": "https://arxiv.org/pdf/2401.00001"},
    ]


def test_a_journal_paper_names_its_journal(taxonomy: Taxonomy) -> None:
    meta = citation_meta(make_paper(taxonomy, venue="TPAMI", year=2025))
    assert {"name": "citation_journal_title", "content": "TPAMI"} in meta
    assert not [tag for tag in meta if tag["name"].startswith(("citation_technical", "citation_pdf"))]


def test_the_reason_names_the_shared_tags_by_their_short_names(index: Index) -> None:
    liu, chen = index.papers["liu2023visual"], index.papers["chen2023sharegpt4v"]
    shared = [index.taxonomy.nodes[tag].short for tag in index.taxonomy.nodes if tag in liu.tags and tag in chen.tags]
    assert shared and shared_reason(index, liu, chen) == "shares " + (
        " and ".join(shared) if len(shared) < 3 else f"{', '.join(shared[:-1])} and {shared[-1]}"
    )
    assert shared_reason(index, liu, liu.model_copy(update={"data4model": [], "model4data": []})) == ""


def test_paper_tables_show_only_columns_that_hold_something() -> None:
    row = {"year": 2024, "venue": "", "modalities": [], "tags": [{"id": "acquisition"}]}
    assert paper_columns([row]) == {"year": True, "venue": False, "modalities": False, "tags": True}
    assert paper_columns([row], current="acquisition")["tags"] is False
    assert paper_columns([]) == {"year": False, "venue": False, "modalities": False, "tags": False}


def test_the_search_index_holds_each_paper_once_with_trailing_blanks_left_off(index: Index) -> None:
    document = json.loads(paper_search_index(index))
    assert document["fields"] == ["id", "title", "authors", "year", "venue", "arxiv", "short_name", "listed_as", "doi"]
    rows = {row[0]: row for row in document["papers"]}
    assert list(rows) == list(index.papers)
    for paper_id, row in rows.items():
        paper = index.papers[paper_id]
        assert row[1] == paper.title and row[2] == "; ".join(paper.authors)
        assert (document["venues"][row[4] - 1] if row[4] else None) == paper.venue
        assert row[-1] != ""
