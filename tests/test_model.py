"""The paper schema on its own: defaults, derived values and the checks that need the taxonomy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from conftest import FIXTURE_KB, TODAY
from pydantic import ValidationError

from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy, load_taxonomy

MINIMAL = {"id": "liu2023visual", "title": "Visual Instruction Tuning", "data4model": ["acquisition"]}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    loaded, _ = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert loaded is not None
    return loaded


def validate(taxonomy: Taxonomy, today: datetime.date | None = TODAY, **fields: Any) -> Paper:
    context: dict[str, Any] = {"taxonomy": taxonomy} | ({"today": today} if today else {})
    return Paper.model_validate({**MINIMAL, **fields}, context=context)


def error_types(taxonomy: Taxonomy, **fields: Any) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        validate(taxonomy, **fields)
    return [(tuple(err["loc"]), err["type"]) for err in caught.value.errors()]


def test_defaults(taxonomy: Taxonomy) -> None:
    paper = validate(taxonomy)
    assert (paper.authors, paper.year, paper.arxiv, paper.stages, paper.sections, paper.added) == (
        [],
        None,
        None,
        None,
        [],
        None,
    )
    assert paper.tags == ["acquisition"]
    assert paper.links == []


def test_derived_values(taxonomy: Taxonomy) -> None:
    paper = validate(
        taxonomy,
        model4data=["creator"],
        url="https://llava-vl.github.io",
        code="https://github.com/haotian-liu/LLaVA",
        arxiv="2304.08485",
        doi="10.48550/arXiv.2304.08485",
        added="2024-07-12",
    )
    assert paper.tags == ["acquisition", "creator"]
    assert paper.links == [
        "https://llava-vl.github.io",
        "https://github.com/haotian-liu/LLaVA",
        "2304.08485",
        "10.48550/arXiv.2304.08485",
    ]
    assert paper.added == datetime.date(2024, 7, 12)


@pytest.mark.parametrize(
    ("fields", "stages", "own"),
    [
        pytest.param({}, ["pre-training", "fine-tuning"], False, id="from-the-tag"),
        pytest.param(
            {"data4model": ["toxicity", "prompt-design"]},
            ["pre-training", "fine-tuning", "alignment", "inference", "evaluation"],
            False,
            id="union-in-stage-order",
        ),
        pytest.param({"data4model": [], "model4data": ["creator"]}, [], False, id="model4data-tags-have-none"),
        pytest.param({"stages": ["inference"]}, ["inference"], True, id="own-stages"),
        pytest.param({"stages": []}, [], True, id="explicitly-none"),
    ],
)
def test_effective_stages(taxonomy: Taxonomy, fields: dict[str, Any], stages: list[str], own: bool) -> None:
    assert validate(taxonomy, **fields).effective_stages(taxonomy) == (stages, own)


def test_frozen_and_closed(taxonomy: Taxonomy) -> None:
    paper = validate(taxonomy)
    with pytest.raises(ValidationError):
        paper.title = "Other"  # type: ignore[misc]
    assert error_types(taxonomy, publisher="ACM") == [(("publisher",), "extra_forbidden")]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        pytest.param({"data4model": ["creator"]}, [(("data4model", 0), "unknown-tag")], id="wrong-axis"),
        pytest.param({"model4data": ["synthesis"]}, [(("model4data", 0), "group-tag")], id="group"),
        pytest.param({"stages": ["training"]}, [(("stages", 0), "unknown-stage")], id="stage"),
        pytest.param({"modalities": ["Image"]}, [(("modalities", 0), "unknown-modality")], id="modality-case"),
        pytest.param({"sections": ["3.1.1", "9"]}, [(("sections", 1), "unknown-section")], id="section"),
        pytest.param({"year": 2023.0}, [(("year",), "int_type")], id="float-year"),
        pytest.param({"year": "2023"}, [(("year",), "int_type")], id="text-year"),
        pytest.param({"year": True}, [(("year",), "int_type")], id="boolean-year"),
        pytest.param({"arxiv": 2304.08485}, [(("arxiv",), "string_type")], id="number-arxiv"),
        pytest.param({"authors": ["A B", ""]}, [(("authors", 1), "empty-string")], id="empty-author"),
        pytest.param({"title": " \t"}, [(("title",), "empty-string")], id="blank-title"),
        pytest.param({"id": "liu2023_visual"}, [(("id",), "bad-id")], id="bad-id"),
        pytest.param({"added": "12/07/2024"}, [(("added",), "bad-date")], id="slashed-date"),
        pytest.param({"added": 20240712}, [(("added",), "wrong-type")], id="number-date"),
    ],
)
def test_rejected(taxonomy: Taxonomy, fields: dict[str, Any], errors: list[tuple[tuple[str | int, ...], str]]) -> None:
    assert error_types(taxonomy, **fields) == errors


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        pytest.param("https://example.org", True, id="https"),
        pytest.param("http://example.org/a?b=c#d", True, id="http-with-query"),
        pytest.param("HTTPS://Example.org", True, id="upper-case-scheme"),
        pytest.param("https://localhost", False, id="host-without-dot"),
        pytest.param("https://exa mple.org", False, id="space"),
        pytest.param("https://example.org/\x07", False, id="control-character"),
        pytest.param("mailto:a@example.org", False, id="mailto"),
        pytest.param("//example.org", False, id="no-scheme"),
        pytest.param("data:text/html,hi", False, id="data"),
    ],
)
def test_url(taxonomy: Taxonomy, url: str, valid: bool) -> None:
    if valid:
        assert validate(taxonomy, url=url).url == url
    else:
        assert error_types(taxonomy, url=url) == [(("url",), "bad-url")]


def test_year_range_follows_today(taxonomy: Taxonomy) -> None:
    assert validate(taxonomy, today=datetime.date(2030, 1, 1), year=2031).year == 2031
    assert error_types(taxonomy, year=2026) == [(("year",), "year-range")]
    next_year = datetime.date.today().year + 1
    assert validate(taxonomy, today=None, year=next_year).year == next_year
    with pytest.raises(ValidationError, match="year-range|outside"):
        validate(taxonomy, today=None, year=next_year + 1)


def test_every_field_is_described() -> None:
    assert [name for name, field in Paper.model_fields.items() if not field.description] == []
    assert [name for name, field in Paper.model_fields.items() if field.is_required()] == ["id", "title"]
