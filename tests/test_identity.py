"""The one rule for "the same paper": arXiv ids in every accepted spelling, DOIs without case or
resolver, titles folded by Unicode NFKC in every script."""

from __future__ import annotations

import pytest

from surveykb.core.identity import KnownPapers, arxiv_key, doi_key, identity_keys, title_key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        pytest.param("2304.08485", "2304.08485", id="bare"),
        pytest.param("2304.08485v3", "2304.08485", id="versioned"),
        pytest.param("arXiv:2304.08485", "2304.08485", id="prefix"),
        pytest.param("arxiv: 2304.08485", "2304.08485", id="prefix-with-space"),
        pytest.param("https://arxiv.org/abs/2304.08485", "2304.08485", id="abs-url"),
        pytest.param("https://arxiv.org/pdf/2304.08485v1.pdf", "2304.08485", id="pdf-url"),
        pytest.param("http://export.arxiv.org/abs/2304.08485/", "2304.08485", id="export-mirror"),
        pytest.param("10.48550/arXiv.2304.08485", "2304.08485", id="arxiv-doi"),
        pytest.param("cs/0101001v2", "cs/0101001", id="old-style"),
        pytest.param("2304.084", None, id="too-short"),
        pytest.param("https://example.org/abs/2304.08485", None, id="other-host"),
        pytest.param(2304.08485, None, id="a-number"),
    ],
)
def test_arxiv_key(written: object, key: str | None) -> None:
    assert arxiv_key(written) == key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        pytest.param("10.1007/978-3-031-72643-9_22", "10.1007/978-3-031-72643-9_22", id="bare"),
        pytest.param(
            "https://doi.org/10.18653/V1/2023.ACL-LONG.360", "10.18653/v1/2023.acl-long.360", id="resolver-and-case"
        ),
        pytest.param("doi:10.1109/CVPR.2024.1", "10.1109/cvpr.2024.1", id="doi-prefix"),
        pytest.param("10.48550/arXiv.2304.08485", None, id="arxiv-doi-is-an-arxiv-id"),
        pytest.param("not a doi", None, id="text"),
    ],
)
def test_doi_key(written: object, key: str | None) -> None:
    assert doi_key(written) == key


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        pytest.param("Visual Instruction Tuning", "visual  instruction-tuning!", True, id="case-punctuation-space"),
        pytest.param("Ｖｉｓｕａｌ Instruction Tuning", "Visual Instruction Tuning", True, id="nfkc-fullwidth"),
        pytest.param("Müller's Data", "Muller s data", True, id="accents"),
        pytest.param("Data\u200b Diets", "Data Diets", True, id="zero-width"),
        pytest.param("视觉指令微调", "视觉指令微调", True, id="cjk"),
        pytest.param("视觉指令微调", "视觉指令", False, id="other-cjk"),
        pytest.param("Visual Instruction Tuning", "Visual Instruction Tuning 2", False, id="other-title"),
    ],
)
def test_title_key(one: str, other: str, same: bool) -> None:
    assert (title_key(one) == title_key(other)) is same
    assert title_key(one)


def test_a_title_of_invisible_characters_has_no_key() -> None:
    assert title_key("\u200b\u200d ") is None


def test_the_keys_of_a_record_name_the_field_they_came_from() -> None:
    keys = identity_keys({"title": "T", "doi": "10.48550/arXiv.2304.08485"})
    assert [(key.kind, key.key, key.field) for key in keys] == [("arxiv", "2304.08485", "doi"), ("title", "t", "title")]


def test_known_papers_find_the_same_paper_in_another_spelling() -> None:
    known = KnownPapers.of(
        [
            (
                "papers/liu2023visual.yaml",
                {"id": "liu2023visual", "arxiv": "2304.08485", "title": "Visual Instruction Tuning"},
            )
        ]
    )
    assert (
        known.duplicate_of({"arxiv": "https://arxiv.org/abs/2304.08485v2"})
        == "papers/liu2023visual.yaml (the same arXiv id 2304.08485)"
    )
    assert known.duplicate_of({"title": "VISUAL instruction tuning."}) == "papers/liu2023visual.yaml (the same title)"
    assert known.duplicate_of({"title": "Visual Instruction Tuning"}, ignored="papers/liu2023visual.yaml") is None
    assert known.ids == {"liu2023visual"}
