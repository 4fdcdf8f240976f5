"""Positioned YAML loading: values as plain data, every key and value with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveykb.core import load as load_module
from surveykb.core.load import MAX_FILE_BYTES, LoadedFile, Position, load_yaml_file, load_yaml_text

TEXT = """\
# comment
id: liu2023visual
authors:
  - Haotian Liu
  - Chunyuan Li
nested:
  inner: {a: 1, b: [x, "y"]}
added: 2024-07-12
"""


def load(text: str) -> LoadedFile:
    loaded, problems = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert problems == []
    assert loaded is not None
    return loaded


def test_values_are_plain_data() -> None:
    assert load(TEXT).data == {
        "id": "liu2023visual",
        "authors": ["Haotian Liu", "Chunyuan Li"],
        "nested": {"inner": {"a": 1, "b": ["x", "y"]}},
        "added": "2024-07-12",
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("v: 2024-07-12\n", "2024-07-12", id="date-stays-text"),
        pytest.param("v: 2024-07-12 10:00:00\n", "2024-07-12 10:00:00", id="timestamp-stays-text"),
        pytest.param("v: 2023\n", 2023, id="int"),
        pytest.param("v: 2304.08480\n", 2304.0848, id="float-loses-trailing-zero"),
        pytest.param('v: "2304.08480"\n', "2304.08480", id="quoted-number"),
        pytest.param("v: yes\n", True, id="yaml-1-1-boolean"),
        pytest.param("v:\n", None, id="null"),
        pytest.param("v: 'it''s'\n", "it's", id="single-quoted"),
        pytest.param("v: café ✓\n", "café ✓", id="unicode"),
    ],
)
def test_scalars(text: str, value: object) -> None:
    assert load(text).data == {"v": value}


@pytest.mark.parametrize(
    ("loc", "key", "expected"),
    [
        pytest.param((), False, (2, 1), id="root-mapping"),
        pytest.param(("id",), False, (2, 5), id="scalar-value"),
        pytest.param(("id",), True, (2, 1), id="key"),
        pytest.param(("authors",), False, (4, 3), id="block-list"),
        pytest.param(("authors", 1), False, (5, 5), id="list-item"),
        pytest.param(("nested", "inner", "b", 1), False, (7, 24), id="deep-flow-item"),
        pytest.param(("nested", "inner", "a"), True, (7, 11), id="flow-key"),
        pytest.param(("authors", 7), False, (4, 3), id="missing-item-falls-back-to-list"),
        pytest.param(("nested", "missing", "x"), True, (6, 1), id="missing-key-falls-back-to-ancestor-key"),
        pytest.param(("nowhere",), False, (2, 1), id="unknown-falls-back-to-root"),
    ],
)
def test_positions(loc: tuple[str | int, ...], key: bool, expected: tuple[int, int]) -> None:
    position = load(TEXT).position(loc, key=key)
    assert (position.line, position.col) == expected


def test_empty_location_table_gives_first_line() -> None:
    assert LoadedFile(path=Path("x"), shown="x").position(("a",)) == Position(1, 1)


def test_byte_order_mark_does_not_shift_columns() -> None:
    assert load("\ufeffid: x\n").position(("id",)) == Position(1, 5)


def test_load_yaml_file_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: Ünïcödé\n", encoding="utf-8")
    loaded, problems = load_yaml_file(path, "r.yaml")
    assert problems == []
    assert loaded is not None and loaded.data == {"title": "Ünïcödé"} and loaded.shown == "r.yaml"


def test_shown_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"- a\n")
    _, problems = load_yaml_file(path)
    assert [p.as_text() for p in problems] == [
        f"{path}:1:1: error not-mapping: the top level is a list; a record is a YAML mapping of fields"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"a: 1\nb: caf\xc3", (2, 7, "not-utf8"), id="truncated-utf8"),
        pytest.param(b"\xff", (1, 1, "not-utf8"), id="first-byte"),
        pytest.param(b"a: 1\n" + b"b: x\n" * (MAX_FILE_BYTES // 5), (1, 1, "too-large"), id="too-large"),
        pytest.param(b"a: [1,\n", (2, 1, "yaml-syntax"), id="syntax"),
        pytest.param(b"a: 1\n---\nb: 2\n---\nc: 3\n", (2, 1, "multi-document"), id="three-documents"),
        pytest.param(b"a: 1\n---\n", (2, 1, "multi-document"), id="trailing-separator"),
        pytest.param(b"a: 1\n---\n[unclosed\n", (2, 1, "multi-document"), id="broken-second-document"),
        pytest.param(b"a: &x [1]\nb: *x\n", (2, 1, "alias"), id="alias-to-list"),
        pytest.param(b"a: &x 1\nb: [*x]\n", (2, 4, "alias"), id="alias-in-flow-list"),
        pytest.param(b"? &k a\n: 1\n? *k\n: 2\n", (4, 3, "alias"), id="alias-as-key"),
    ],
)
def test_refused_files(tmp_path: Path, content: bytes, expected: tuple[int, int, str]) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(content)
    loaded, problems = load_yaml_file(path, "r.yaml")
    assert loaded is None
    assert [(p.line, p.col, p.code) for p in problems] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "a: 1\na: 2\nb: 3\nb: 4\n", [(2, 1, "duplicate-key"), (4, 1, "duplicate-key")], id="two-duplicates"
        ),
        pytest.param("a:\n  x: 1\n  x: 2\n", [(3, 3, "duplicate-key")], id="nested-duplicate"),
        pytest.param("[a, b]: 1\nc: 2\n", [(1, 1, "bad-key")], id="list-key"),
    ],
)
def test_problems_that_keep_the_rest(text: str, expected: list[tuple[int, int, str]]) -> None:
    loaded, problems = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    assert loaded is not None
    assert [(p.line, p.col, p.code) for p in problems] == expected


def test_duplicate_key_keeps_the_first_value() -> None:
    loaded, _ = load_yaml_text("a: 1\na: 2\n", Path("x.yaml"), "x.yaml")
    assert loaded is not None and loaded.data == {"a": 1}


@pytest.mark.parametrize(
    ("make", "code"),
    [
        pytest.param(lambda p: p.symlink_to(p.parent / "target.yaml"), "symlink", id="symlink"),
        pytest.param(lambda p: p.mkdir(), "not-a-file", id="directory"),
    ],
)
def test_not_regular_files(tmp_path: Path, make: object, code: str) -> None:
    (tmp_path / "target.yaml").write_text("a: 1\n")
    path = tmp_path / "r.yaml"
    make(path)  # type: ignore[operator]
    loaded, problems = load_yaml_file(path, "r.yaml")
    assert loaded is None
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 1, code)]


def test_unreadable_file_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\n")

    def refuse(descriptor: int, size: int) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(load_module.os, "read", refuse)
    loaded, problems = load_yaml_file(path, "r.yaml")
    assert loaded is None
    assert [p.as_text() for p in problems] == [
        "r.yaml:1:1: error unreadable: the file cannot be read (Permission denied)"
    ]
