"""Diagnostics as data: ordering, the three output formats, --strict and "did you mean"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveykb.core.diagnostics import (
    Diagnostic,
    Severity,
    did_you_mean,
    error,
    format_diagnostics,
    promote_warnings,
    warning,
)

UNSORTED = [
    warning("papers/b.yaml", 1, 1, "incomplete", "the record has no year"),
    error("papers/b.yaml", 10, 3, "unknown-tag", "unknown data4model tag 'x'"),
    error("papers/a.yaml", 2, 5, "bad-id", "the id 'A' is bad"),
    error("papers/b.yaml", 2, 1, "unknown-field", "unknown field 'z'"),
]


def test_sorted_by_path_then_line_then_column() -> None:
    assert [(d.path, d.line) for d in sorted(UNSORTED)] == [
        ("papers/a.yaml", 2),
        ("papers/b.yaml", 1),
        ("papers/b.yaml", 2),
        ("papers/b.yaml", 10),
    ]


def test_text_format() -> None:
    assert format_diagnostics(UNSORTED, "text") == (
        "papers/a.yaml:2:5: error bad-id: the id 'A' is bad\n"
        "papers/b.yaml:1:1: warning incomplete: the record has no year\n"
        "papers/b.yaml:2:1: error unknown-field: unknown field 'z'\n"
        "papers/b.yaml:10:3: error unknown-tag: unknown data4model tag 'x'"
    )


def test_github_format() -> None:
    assert format_diagnostics(UNSORTED[:2], "github").splitlines() == [
        "::warning file=papers/b.yaml,line=1,col=1::incomplete: the record has no year",
        "::error file=papers/b.yaml,line=10,col=3::unknown-tag: unknown data4model tag 'x'",
    ]


@pytest.mark.parametrize(
    ("path", "message", "line"),
    [
        pytest.param("a,b:c.yaml", "m", "::error file=a%2Cb%3Ac.yaml,line=1,col=1::c: m", id="comma-and-colon-in-path"),
        pytest.param(
            "x.yaml",
            "50% done\nnext\r",
            "::error file=x.yaml,line=1,col=1::c: 50%25 done\\nnext\\r",
            id="percent-and-newlines",
        ),
        pytest.param(
            "x.yaml", "a, b: c", "::error file=x.yaml,line=1,col=1::c: a, b: c", id="message-keeps-commas-and-colons"
        ),
    ],
)
def test_github_escaping(path: str, message: str, line: str) -> None:
    assert error(path, 1, 1, "c", message).as_github() == line


def test_json_format() -> None:
    assert json.loads(format_diagnostics(UNSORTED[:2], "json")) == [
        {
            "path": "papers/b.yaml",
            "line": 1,
            "col": 1,
            "severity": "warning",
            "code": "incomplete",
            "message": "the record has no year",
        },
        {
            "path": "papers/b.yaml",
            "line": 10,
            "col": 3,
            "severity": "error",
            "code": "unknown-tag",
            "message": "unknown data4model tag 'x'",
        },
    ]


def test_json_keeps_unicode_and_empty_is_a_list() -> None:
    assert format_diagnostics([error("ü.yaml", 1, 1, "c", "Müller")], "json") == (
        '[\n  {\n    "path": "ü.yaml",\n    "line": 1,\n    "col": 1,\n'
        '    "severity": "error",\n    "code": "c",\n    "message": "Müller"\n  }\n]'
    )
    assert format_diagnostics([], "json") == "[]"
    assert format_diagnostics([], "text") == ""


def test_promote_warnings() -> None:
    promoted = promote_warnings(UNSORTED)
    assert all(d.severity is Severity.ERROR and d.is_error for d in promoted)
    assert [(d.path, d.line, d.col, d.code, d.message) for d in promoted] == [
        (d.path, d.line, d.col, d.code, d.message) for d in UNSORTED
    ]
    assert not UNSORTED[0].is_error


def test_constructors_take_paths_and_are_frozen() -> None:
    diagnostic = error(Path("papers") / "x.yaml", 3, 4, "c", "m")
    assert diagnostic == Diagnostic("papers/x.yaml", 3, 4, Severity.ERROR, "c", "m")
    with pytest.raises(AttributeError):
        diagnostic.line = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "choices", "hint"),
    [
        pytest.param("aquisition", ["acquisition", "augmentation"], "; did you mean 'acquisition'?", id="typo"),
        pytest.param("Image", ["image", "video"], "; did you mean 'image'?", id="case-folded"),
        pytest.param("publisher", ["id", "title", "authors"], "", id="nothing-close"),
        pytest.param(3.1, ["3.1.1", "8.1"], "; did you mean '3.1.1'?", id="non-text-value"),
        pytest.param("x", (), "", id="no-choices"),
    ],
)
def test_did_you_mean(value: object, choices: list[str], hint: str) -> None:
    assert did_you_mean(value, choices) == hint
