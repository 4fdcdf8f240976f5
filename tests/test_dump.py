"""Canonical record text: field order, quoting only where needed, and load(dump(x)) == x."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import AXES, FIXTURE_KB, TODAY
from hypothesis import given
from hypothesis import strategies as st

from surveykb.core.load import load_yaml_text
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.formats.record_yaml import SCHEMA_COMMENT, canonical_mapping, dump_record, field_order, paper_to_data


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, _ = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert loaded is not None
    return loaded


def load_text(text: str) -> dict[str, Any]:
    loaded, problems = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert problems == []
    assert loaded is not None
    return dict(loaded.data)


def test_golden_text() -> None:
    record = {
        "added": datetime.date(2024, 7, 12),
        "sections": ["3.1.1", "5.1", "table-2"],
        "data4model": ["acquisition"],
        "arxiv": "2304.08485",
        "year": 2023,
        "authors": ["Haotian Liu", "Chunyuan Li"],
        "title": "LLaVA: Visual Instruction Tuning",
        "id": "liu2023visual",
        "venue": None,
    }
    assert dump_record(record, AXES) == (
        f"{SCHEMA_COMMENT}\n"
        "id: liu2023visual\n"
        'title: "LLaVA: Visual Instruction Tuning"\n'
        "authors:\n"
        "  - Haotian Liu\n"
        "  - Chunyuan Li\n"
        "year: 2023\n"
        'arxiv: "2304.08485"\n'
        "data4model:\n"
        "  - acquisition\n"
        "sections:\n"
        "  - 3.1.1\n"
        '  - "5.1"\n'
        "  - table-2\n"
        "added: 2024-07-12\n"
    )


@pytest.mark.parametrize(
    ("value", "line"),
    [
        pytest.param("2304.08480", 'v: "2304.08480"', id="number-like-text-quoted"),
        pytest.param("2023", 'v: "2023"', id="year-like-text-quoted"),
        pytest.param("3.1.1", "v: 3.1.1", id="dotted-section-plain"),
        pytest.param("yes", 'v: "yes"', id="boolean-word-quoted"),
        pytest.param("null", 'v: "null"', id="null-word-quoted"),
        pytest.param("12:30", 'v: "12:30"', id="sexagesimal-quoted"),
        pytest.param("A: B", 'v: "A: B"', id="colon-space-quoted"),
        pytest.param("a #b", 'v: "a #b"', id="comment-marker-quoted"),
        pytest.param("O'Brien", "v: O'Brien", id="apostrophe-plain"),
        pytest.param('Say "hi"', 'v: Say "hi"', id="inner-double-quotes-plain"),
        pytest.param("- item", 'v: "- item"', id="leading-dash-quoted"),
        pytest.param("García ✓", "v: García ✓", id="unicode-unescaped"),
        pytest.param("one\ntwo", 'v: "one\\ntwo"', id="newline-escaped"),
        pytest.param("", 'v: ""', id="empty"),
        pytest.param("2024-07-12", "v: 2024-07-12", id="date-text-plain"),
        pytest.param(datetime.date(2024, 7, 12), "v: 2024-07-12", id="date-plain"),
        pytest.param("x " * 200, 'v: "' + "x " * 200 + '"', id="long-line-not-folded"),
    ],
)
def test_scalar_style(value: object, line: str) -> None:
    text = dump_record({"v": value}, AXES)
    assert text.splitlines()[1] == line
    expected = value.isoformat() if isinstance(value, datetime.date) else value
    assert load_text(text) == {"v": expected}


def test_field_order_is_the_model_order() -> None:
    assert field_order(AXES) == [
        "id", "title", "short_name", "listed_as", "authors", "authors_complete", "year", "venue", "arxiv", "doi",
        "url", "code", "modalities", "data4model", "model4data", "stages", "sections", "summary", "sources", "added",
    ]  # fmt: skip


def test_canonical_mapping_keeps_unknown_fields_last_in_their_order() -> None:
    data = {"zeta": 1, "title": "T", "alpha": None, "id": "x", "venue": None, "stages": []}
    assert list(canonical_mapping(data, AXES).items()) == [
        ("id", "x"),
        ("title", "T"),
        ("stages", []),
        ("zeta", 1),
        ("alpha", None),
    ]


@pytest.mark.parametrize("path", sorted((FIXTURE_KB / "papers").glob("*.yaml")), ids=lambda path: path.stem)
def test_fixture_records_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dump_record(load_text(text), AXES) == text


REPRESENTATIVE = [
    pytest.param(
        {
            "id": "liu2023visual",
            "title": "Visual Instruction Tuning",
            "authors": ["Haotian Liu"],
            "year": 2023,
            "arxiv": "2304.08480",
            "data4model": ["acquisition"],
            "sections": ["3.1.1", "5.1", "3"],
            "added": "2024-07-12",
        },
        id="numbers-as-text-and-date",
    ),
    pytest.param(
        {
            "id": "muller2021uber",
            "title": "Über Daten: Ein Überblick — «multimodal» ✓",
            "authors": ["Jürgen Müller", "Paweł Łukasz", "李明"],
            "year": 2021,
            "venue": "ACL: Findings",
            "doi": "10.18653/v1/2021.findings-acl.1",
            "url": "https://aclanthology.org/2021.findings-acl.1/?a=1#b",
            "model4data": ["creator", "filter"],
            "stages": [],
            "summary": "Key: value # not a comment\n\nSecond paragraph, with 'quotes' and \"more\".",
        },
        id="unicode-colons-and-empty-stages",
    ),
    pytest.param(
        {
            "id": "mm-vet-evaluating-large-multimodal-models-for-integrated",
            "title": "MM-Vet: Evaluating Large Multimodal Models for Integrated Capabilities",
            "data4model": ["eval-understanding"],
            "modalities": ["3d", "time-series"],
            "sections": ["table-2"],
            "venue": "yes",
        },
        id="draft-with-tricky-words",
    ),
]


@pytest.mark.parametrize("data", REPRESENTATIVE)
def test_round_trip_through_the_model(taxonomy: Taxonomy, data: dict[str, Any]) -> None:
    context = {"taxonomy": taxonomy, "today": TODAY}
    paper = Paper.model_validate(data, context=context)
    text = dump_record(paper_to_data(paper), AXES)
    assert load_text(text) == data
    assert Paper.model_validate(load_text(text), context=context) == paper
    assert dump_record(load_text(text), AXES) == text


def test_paper_to_data_leaves_out_defaults(taxonomy: Taxonomy) -> None:
    paper = Paper.model_validate(
        {"id": "x", "title": "T", "data4model": ["mixture"], "stages": [], "added": "2024-07-12"},
        context={"taxonomy": taxonomy},
    )
    assert paper_to_data(paper) == {
        "id": "x",
        "title": "T",
        "data4model": ["mixture"],
        "stages": [],
        "added": datetime.date(2024, 7, 12),
    }


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(title=TEXT, authors=st.lists(TEXT, max_size=3), summary=TEXT, extra=st.dictionaries(TEXT, TEXT, max_size=2))
def test_any_text_round_trips(title: str, authors: list[str], summary: str, extra: dict[str, str]) -> None:
    data = {
        "id": "x",
        "title": title,
        "authors": authors,
        "summary": summary,
        **{f"x-{k}": v for k, v in extra.items()},
    }
    assert load_text(dump_record(data, AXES)) == data
