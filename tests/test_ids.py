"""Identifier rules: record ids, arXiv ids, DOIs, folding and id derivation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveykb.core.ids import (
    ID_MAX_LENGTH,
    ascii_fold,
    derive_id,
    is_valid_arxiv,
    is_valid_doi,
    is_valid_id,
    normalize_title,
    unique_id,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("liu2023visual", True, id="author-year-word"),
        pytest.param("3d-llm", True, id="hyphenated-starting-with-digit"),
        pytest.param("a", True, id="one-letter"),
        pytest.param("a" * ID_MAX_LENGTH, True, id="at-length-limit"),
        pytest.param("a" * (ID_MAX_LENGTH + 1), False, id="over-length-limit"),
        pytest.param("", False, id="empty"),
        pytest.param("Liu2023visual", False, id="upper-case"),
        pytest.param("liu_2023", False, id="underscore"),
        pytest.param("liu 2023", False, id="space"),
        pytest.param("-liu", False, id="leading-hyphen"),
        pytest.param("liu-", False, id="trailing-hyphen"),
        pytest.param("liu--2023", False, id="double-hyphen"),
        pytest.param("müller2021", False, id="accent"),
        pytest.param("liu2023\n", False, id="trailing-newline"),
    ],
)
def test_is_valid_id(value: str, valid: bool) -> None:
    assert is_valid_id(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("2304.08485", True, id="new-style-5-digits"),
        pytest.param("0704.0001", True, id="new-style-4-digits"),
        pytest.param("cs/0101001", True, id="old-style"),
        pytest.param("hep-th/9901001", True, id="old-style-hyphenated-archive"),
        pytest.param("math.GT/0309136", True, id="old-style-subject-class"),
        pytest.param("2304.08485v2", False, id="version"),
        pytest.param("arXiv:2304.08485", False, id="prefix"),
        pytest.param("https://arxiv.org/abs/2304.08485", False, id="url"),
        pytest.param("2304.084", False, id="too-few-digits"),
        pytest.param("2304.084851", False, id="too-many-digits"),
        pytest.param(" 2304.08485", False, id="leading-space"),
        pytest.param("CS/0101001", False, id="upper-case-archive"),
        pytest.param("cs/010100", False, id="old-style-short"),
    ],
)
def test_is_valid_arxiv(value: str, valid: bool) -> None:
    assert is_valid_arxiv(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("10.1000/xyz123", True, id="simple"),
        pytest.param("10.1145/3581783.3612345", True, id="acm"),
        pytest.param("10.48550/arXiv.2304.08485", True, id="arxiv-doi"),
        pytest.param("10.1007/978-3-031-19827-4_3", True, id="springer-chapter"),
        pytest.param("https://doi.org/10.1000/xyz123", False, id="resolver-url"),
        pytest.param("doi:10.1000/xyz123", False, id="doi-prefix"),
        pytest.param("10.123/xyz", False, id="short-registrant"),
        pytest.param("10.1000/", False, id="no-suffix"),
        pytest.param("10.1000/a b", False, id="space-in-suffix"),
        pytest.param("11.1000/xyz", False, id="not-directory-10"),
    ],
)
def test_is_valid_doi(value: str, valid: bool) -> None:
    assert is_valid_doi(value) is valid


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Müller", "muller", id="umlaut"),
        pytest.param("Łukasz Paweł", "lukasz pawel", id="polish-stroke-l"),
        pytest.param("Øresund Straße", "oresund strasse", id="o-slash-and-sharp-s"),
        pytest.param("Æsir Đặng", "aesir dang", id="ligature-and-d-stroke"),
        pytest.param("ﬁne", "fine", id="compatibility-ligature"),
        pytest.param("李明 Li", " li", id="non-latin-dropped"),
    ],
)
def test_ascii_fold(text: str, folded: str) -> None:
    assert ascii_fold(text) == folded


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        pytest.param("Visual Instruction Tuning", "visual instruction tuning", id="case"),
        pytest.param("  Visual   Instruction-Tuning!! ", "visual instruction tuning", id="punctuation-and-space"),
        pytest.param("MM-Vet: Évaluating LMMs", "mm vet evaluating lmms", id="accents-and-colon"),
        pytest.param("?!", "", id="nothing-left"),
    ],
)
def test_normalize_title(title: str, normalized: str) -> None:
    assert normalize_title(title) == normalized


@pytest.mark.parametrize(
    ("authors", "year", "title", "expected"),
    [
        pytest.param(["Haotian Liu", "Chunyuan Li"], 2023, "Visual Instruction Tuning", "liu2023visual", id="usual"),
        pytest.param(["Jürgen Müller"], 2021, "Über Daten", "muller2021uber", id="accents-folded"),
        pytest.param(["Paweł Łukasz"], 2022, "A Survey on Data for MLLMs", "lukasz2022survey", id="stop-word-skipped"),
        pytest.param(["Ann Lee"], 2024, "On the Role of Data", "lee2024role", id="several-stop-words"),
        pytest.param(["José García-Pérez"], 2020, "The Of And", "garciaperez2020the", id="only-stop-words"),
        pytest.param(
            ["Yining Hong"], 2023, "3D-LLM: Injecting the 3D World", "hong20233d", id="title-starts-with-digit"
        ),
        pytest.param(["Ann Lee"], 2023, "", "lee2023", id="empty-title"),
        pytest.param(
            [],
            None,
            "MM-Vet: Evaluating Large Multimodal Models for Integrated Capabilities",
            "mm-vet-evaluating-large-multimodal-models-for-integrated",
            id="no-author-slug-of-eight-words",
        ),
        pytest.param(["Ann Lee"], None, "Visual Instruction Tuning", "visual-instruction-tuning", id="no-year-slug"),
        pytest.param(["   "], 2023, "Visual Tuning", "visual-tuning", id="blank-author-slug"),
        pytest.param(["李明"], 2023, "Visual Tuning", "visual-tuning", id="unfoldable-name-slug"),
        pytest.param([], None, "?!", "paper", id="nothing-usable"),
        pytest.param(["Ann " + "b" * 70], 2023, "Visual", "b" * ID_MAX_LENGTH, id="cut-to-length"),
    ],
)
def test_derive_id(authors: list[str], year: int | None, title: str, expected: str) -> None:
    assert derive_id(authors, year, title) == expected


@given(
    authors=st.lists(st.text(max_size=30), max_size=3),
    year=st.one_of(st.none(), st.integers(min_value=1950, max_value=2100)),
    title=st.text(max_size=200),
)
def test_derived_ids_are_always_valid(authors: list[str], year: int | None, title: str) -> None:
    assert is_valid_id(derive_id(authors, year, title))


@pytest.mark.parametrize(
    ("base", "taken", "expected"),
    [
        pytest.param("liu2023visual", set(), "liu2023visual", id="free"),
        pytest.param("liu2023visual", {"liu2023visual"}, "liu2023visual-2", id="second"),
        pytest.param("liu2023visual", {"liu2023visual", "liu2023visual-2"}, "liu2023visual-3", id="third"),
        pytest.param("liu2023visual", {"liu2023visual-2"}, "liu2023visual", id="suffix-taken-but-base-free"),
        pytest.param("a" * 64, {"a" * 64}, "a" * 62 + "-2", id="cut-to-fit-suffix"),
        pytest.param("a" * 61 + "-bc", {"a" * 61 + "-bc"}, "a" * 61 + "-2", id="cut-at-hyphen"),
        pytest.param(
            "a" * 64,
            {"a" * 64} | {"a" * 62 + f"-{n}" for n in range(2, 10)},
            "a" * 61 + "-10",
            id="two-digit-suffix-cuts-more",
        ),
    ],
)
def test_unique_id(base: str, taken: set[str], expected: str) -> None:
    result = unique_id(base, taken)
    assert result == expected
    assert is_valid_id(result)
