"""`surveykb fmt`: one canonical form, every value kept, files it cannot rewrite safely left alone."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import AXES, FIXTURE_KB, REPO_ROOT, ScratchKB
from pydantic import ValidationError

from surveykb.cli import main
from surveykb.commands.fmt import comment_positions, format_file
from surveykb.core.load import Position, load_yaml_file, load_yaml_text
from surveykb.core.model import Paper
from surveykb.core.taxonomy import load_taxonomy

HEADER = "# yaml-language-server: $schema=../schema/paper.schema.json\n"
CANONICAL = HEADER + (
    "id: liu2023visual\n"
    "title: Visual Instruction Tuning\n"
    "authors:\n  - Haotian Liu\n  - Chunyuan Li\n"
    "year: 2023\n"
    'arxiv: "2304.08485"\n'
    "data4model:\n  - acquisition\n"
    'sections:\n  - 3.1.1\n  - "5.1"\n'
    "added: 2024-07-12\n"
)


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["fmt", *arguments])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(CANONICAL, id="already-canonical"),
        pytest.param(
            "{id: liu2023visual, title: 'Visual Instruction Tuning', authors: [Haotian Liu, Chunyuan Li], year: 2023,\n"
            " arxiv: '2304.08485', data4model: [acquisition], sections: [3.1.1, '5.1'], added: 2024-07-12}\n",
            id="flow-style-no-header",
        ),
        pytest.param(
            'added: 2024-07-12\nsections: [3.1.1, "5.1"]\ndata4model:\n- acquisition\narxiv: "2304.08485"\nyear: 2023\n'
            "authors:\n    - Haotian Liu\n    - Chunyuan Li\ntitle: >-\n  Visual Instruction\n  Tuning\nid: liu2023visual\n",
            id="reordered-folded-indented",
        ),
        pytest.param("\ufeff" + CANONICAL.replace("\n", "\r\n"), id="bom-crlf"),
        pytest.param(
            CANONICAL.replace("year: 2023\n", "year: 2023\nvenue:\ncode: null\n"), id="empty-optionals-dropped"
        ),
        pytest.param(
            CANONICAL.replace("title: Visual Instruction Tuning", "title:    'Visual Instruction Tuning'   "),
            id="quotes-and-spaces",
        ),
    ],
)
def test_formats_to_the_canonical_text(scratch_kb: ScratchKB, text: str) -> None:
    path = scratch_kb.write("liu2023visual.yaml", text)
    result = format_file(path, axes=AXES)
    assert (result.canonical, result.changed, result.problems) == (CANONICAL, text != CANONICAL, [])


def test_unknown_fields_are_kept_after_the_known_ones_in_their_order(scratch_kb: ScratchKB) -> None:
    text = "zeta: {b: 1, a: [x, 'y']}\nid: x\nalpha: '007'\ntitle: T\n"
    result = format_file(scratch_kb.write("x.yaml", text))
    assert result.canonical == HEADER + 'id: x\ntitle: T\nzeta:\n  b: 1\n  a:\n    - x\n    - y\nalpha: "007"\n'


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param(
            "id: x\ntitle: [unclosed\n",
            [
                "papers/x.yaml:3:1: error yaml-syntax: a `[...]` list is not closed with `]` (YAML says: did not find expected ',' or ']' (while parsing a flow sequence))"
            ],
            id="syntax",
        ),
        pytest.param(
            "id: x\ntitle: A\ntitle: B\n",
            ["papers/x.yaml:3:1: error duplicate-key: the field 'title' is given twice; keep one"],
            id="duplicate-key",
        ),
        pytest.param(
            "id: &a x\ntitle: *a\n",
            [
                "papers/x.yaml:2:1: error alias: YAML anchors and aliases are not allowed in records; write the value out"
            ],
            id="alias",
        ),
        pytest.param(
            "id: x\ntitle: T\nauthors:\ndata4model:\n",
            [
                "papers/x.yaml:3:1: error empty-field: 'authors' is empty; give it a value or delete the line (fmt will not guess)",
                "papers/x.yaml:4:1: error empty-field: 'data4model' is empty; give it a value or delete the line (fmt will not guess)",
            ],
            id="empty-list-field",
        ),
        pytest.param(
            HEADER + "# why this paper\nid: x  # the id\ntitle: 'A # in a title'\n",
            [
                "papers/x.yaml:2:1: error comment: fmt would drop this comment; move the note into `summary` or delete it (or run `surveykb fmt --force` to drop it)",
                "papers/x.yaml:3:8: error comment: fmt would drop this comment; move the note into `summary` or delete it (or run `surveykb fmt --force` to drop it)",
            ],
            id="comments",
        ),
        pytest.param(
            "- id: x\n",
            ["papers/x.yaml:1:1: error not-mapping: the top level is a list; a record is a YAML mapping of fields"],
            id="not-mapping",
        ),
    ],
)
def test_refuses_files_it_cannot_rewrite_safely(scratch_kb: ScratchKB, text: str, problems: list[str]) -> None:
    path = scratch_kb.write("x.yaml", text)
    result = format_file(path, axes=AXES)
    assert (result.canonical, result.changed) == (None, False)
    assert [problem.as_text() for problem in result.problems] == problems


@pytest.mark.parametrize(
    ("text", "positions"),
    [
        pytest.param(HEADER + "id: x\n", [], id="schema-line-only"),
        pytest.param("# yaml-language-server: $schema=other.json\nid: x\n", [], id="other-schema-line"),
        pytest.param(
            "id: x\n# yaml-language-server: $schema=../schema/paper.schema.json\n",
            [Position(2, 1)],
            id="schema-line-not-first",
        ),
        pytest.param("title: 'a#b' # c\n", [Position(1, 14)], id="after-quoted-hash"),
        pytest.param("title: a#b\nurl: https://x.org/#frag\n", [], id="hash-inside-plain"),
        pytest.param("summary: |\n  # not a comment\n  text\n", [], id="block-scalar"),
        pytest.param("authors:\n  - A   # first\n  - B\n", [Position(2, 9)], id="in-a-list"),
    ],
)
def test_comment_positions(text: str, positions: list[Position]) -> None:
    assert comment_positions(text) == positions


def test_force_drops_comments(scratch_kb: ScratchKB) -> None:
    path = scratch_kb.write("x.yaml", "# note\nid: x # why\ntitle: T\n")
    assert run("--force", "papers/x.yaml").stdout == "reformatted papers/x.yaml\n"
    assert path.read_text() == HEADER + "id: x\ntitle: T\n"


def test_check_lists_and_changes_nothing(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("a.yaml", CANONICAL.replace("liu2023visual", "a"))
    scratch_kb.write("b.yaml", "{id: b, title: B}\n")
    scratch_kb.write("c.yaml", "id: c\ntitle: C # note\n")
    result = run("--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "would reformat papers/b.yaml",
        "papers/c.yaml:2:10: error comment: fmt would drop this comment; move the note into `summary` or delete it (or run `surveykb fmt --force` to drop it)",
    ]
    assert result.stderr == "1 would be reformatted, 1 unchanged, 1 left alone\n"
    assert (scratch_kb.papers / "b.yaml").read_text() == "{id: b, title: B}\n"


def test_rewrites_then_is_idempotent(scratch_kb: ScratchKB) -> None:
    scratch_kb.write("b.yaml", "{title: B, id: b, data4model: [mixture]}\n")
    first = run()
    assert (first.exit_code, first.stdout, first.stderr) == (
        0,
        "reformatted papers/b.yaml\n",
        "1 reformatted, 0 unchanged, 0 left alone\n",
    )
    assert (scratch_kb.papers / "b.yaml").read_text() == HEADER + "id: b\ntitle: B\ndata4model:\n  - mixture\n"
    second = run("--check")
    assert (second.exit_code, second.stdout, second.stderr) == (
        0,
        "",
        "0 would be reformatted, 1 unchanged, 0 left alone\n",
    )


def fmt_problems(paths: list[Path]) -> tuple[list[str], list[str]]:
    """(records not in canonical form, records whose data fmt would not reproduce exactly)."""
    taxonomy, _ = load_taxonomy(REPO_ROOT / "taxonomy")
    context = {"taxonomy": taxonomy, "today": datetime.date.today()}
    not_canonical, altered = [], []
    for path in paths:
        result = format_file(path, axes=AXES)
        if result.changed or result.canonical is None:
            not_canonical.append(path.name)
            continue
        loaded, _ = load_yaml_file(path)
        assert loaded is not None
        if _format_restyled(loaded.data) != result.canonical or _paper(result.canonical, context) != _paper(
            path.read_text(), context
        ):
            altered.append(path.name)
    return not_canonical, altered


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param(REPO_ROOT / "papers", id="committed-papers"),
        pytest.param(FIXTURE_KB / "papers", id="fixture-papers"),
    ],
)
def test_records_are_canonical_and_fmt_keeps_their_meaning(folder: Path) -> None:
    """Runs over whatever the folder holds at test time: each record is canonical, and re-dumping its
    data in another style (flow, sorted keys) formats back to exactly the same text."""
    not_canonical, altered = fmt_problems(sorted(folder.glob("*.yaml")))
    assert not_canonical == [], "run `surveykb fmt` on these records"
    assert altered == []


def _format_restyled(data: dict[str, object]) -> str | None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "restyled.yaml"
        copy.write_text(
            yaml.safe_dump(data, default_flow_style=True, sort_keys=True, allow_unicode=True), encoding="utf-8"
        )
        return format_file(copy, axes=AXES).canonical


def _paper(text: str, context: dict[str, object]) -> Paper | None:
    loaded, _ = load_yaml_text(text, Path("x.yaml"), "x.yaml")
    try:
        return Paper.model_validate(loaded.data if loaded else None, context=context)
    except ValidationError:
        return None
