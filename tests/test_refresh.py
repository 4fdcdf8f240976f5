"""`surveykb refresh` against the replay server: findings at the record's line, nothing written
without --write, and with it only the changed fields, comments and canonical form kept."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from conftest import DATA_DIR, ScratchKB
from replay import Replay, replay_server

from surveykb.cli import main

WITHDRAWN = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: withdrawn2023fabricated
# kept from the survey's list
title: A Fabricated Paper That Was Withdrawn
authors:
  - Ada Withdrawn
year: 2023
arxiv: "2302.00002"
model4data:
  - creator
"""
RENAMED = """\
# yaml-language-server: $schema=../schema/paper.schema.json
id: hopper2025data
title: An Older Title of the Journal Article  # as the preprint had it
authors:
  - Grace Hopper
  # the consortium joined later
  - The Fabricated Consortium
year: 2025
doi: 10.5555/online-only.7
model4data:
  - creator
"""
SHAREGPT_CHANGED = """\
venue: ECCV 2024
arxiv: "2311.12793"
doi: 10.1007/978-3-031-72643-9_22
"""
FINDINGS = [
    "papers/chen2023sharegpt4v.yaml:2:1: warning published: the sources give the DOI 10.1007/978-3-031-72643-9_22",
    "papers/chen2023sharegpt4v.yaml:4:1: warning authors-changed: the author list changed: 3 -> 4 authors",
    "papers/chen2023sharegpt4v.yaml:9:1: warning published: the preprint is now published: venue ECCV 2024",
    "papers/hopper2025data.yaml:3:1: warning title-changed: the title is now 'Data-Centric Evaluation of Multimodal Models: A Fabricated Journal Article'",
    "papers/withdrawn2023fabricated.yaml:2:1: warning withdrawn: https://arxiv.org/abs/2302.00002 marks the paper as withdrawn",
]


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    with replay_server() as server:
        yield server


@pytest.fixture
def kb(fixture_kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    shutil.copy(DATA_DIR / "sources" / "venues.yaml", fixture_kb.root / "taxonomy" / "venues.yaml")
    replay.serve_commands(monkeypatch)
    fixture_kb.write("withdrawn2023fabricated.yaml", WITHDRAWN)
    fixture_kb.write("hopper2025data.yaml", RENAMED)
    replay.state.requests.clear()
    return fixture_kb


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def snapshot(kb: ScratchKB) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(kb.papers.iterdir())}


def test_refresh_reports_and_writes_nothing(kb: ScratchKB, replay: Replay) -> None:
    before = snapshot(kb)
    result = run("refresh")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == FINDINGS
    assert (
        result.stderr
        == "4 records compared with the sources; 4 changes in 2 records; nothing written (pass --write); 0 errors, 5 warnings\n"
    )
    assert snapshot(kb) == before
    assert sum("/arxiv/" in request for request in replay.state.requests) == 1  # one batched arXiv request


def test_refresh_write_changes_only_the_fields_and_keeps_comments(kb: ScratchKB) -> None:
    before = snapshot(kb)
    result = run("refresh", "--write")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "updated papers/chen2023sharegpt4v.yaml",
        "updated papers/hopper2025data.yaml",
    ]
    assert (
        result.stderr.splitlines()[-1]
        == "4 records compared with the sources; 4 changes in 2 records; 2 written; 0 errors, 5 warnings"
    )
    after = snapshot(kb)
    assert after["liu2023visual.yaml"] == before["liu2023visual.yaml"]
    assert after["withdrawn2023fabricated.yaml"] == WITHDRAWN
    assert after["chen2023sharegpt4v.yaml"] == before["chen2023sharegpt4v.yaml"].replace(
        "  - Xiaoyi Dong\n", "  - Xiaoyi Dong\n  - Pan Zhang\n"
    ).replace('venue: arXiv\narxiv: "2311.12793"\n', SHAREGPT_CHANGED)
    assert after["hopper2025data.yaml"] == RENAMED.replace(
        "An Older Title of the Journal Article  # as the preprint had it",
        '"Data-Centric Evaluation of Multimodal Models: A Fabricated Journal Article"  # as the preprint had it',
    )
    assert run("fmt", "--check", "papers/chen2023sharegpt4v.yaml").exit_code == 0
    assert (
        run("refresh").stderr
        == "4 records compared with the sources; 0 changes in 0 records; nothing written (pass --write); 0 errors, 1 warning\n"
    )


def test_refresh_of_named_records(kb: ScratchKB, replay: Replay) -> None:
    result = run("refresh", "liu2023visual")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        result.stderr
        == "1 records compared with the sources; 0 changes in 0 records; nothing written (pass --write); 0 errors, 0 warnings\n"
    )
    assert run("refresh", "nobody2020").stderr == "error: no valid record with the id 'nobody2020'\n"


def test_a_failing_source_is_one_warning_per_record(
    kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch
) -> None:
    replay.serve_commands(monkeypatch, "garbage")
    before = snapshot(kb)
    result = run("refresh", "--write", "liu2023visual", "hopper2025data")
    assert result.stdout.splitlines() == [
        "papers/hopper2025data.yaml:2:1: warning source-failed: crossref: the answer is not JSON",
        "papers/liu2023visual.yaml:2:1: warning source-failed: arxiv: the answer is not an Atom feed (the XML does not parse)",
    ]
    assert snapshot(kb) == before
