"""`surveykb new` filled from the sources (the replay server on 127.0.0.1): fetched fields, flags
over them, sources recorded, tag suggestions with their neighbours, offline and failing services."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import DATA_DIR, ScratchKB
from replay import Replay, replay_server

from surveykb.cli import main

SUGGESTED = (
    "suggested tags (from the most similar records):\n"
    "  1. creator (0.52): like liu2023visual 0.28, chen2023sharegpt4v 0.24\n"
    "  2. acquisition (0.28): like liu2023visual 0.28\n"
    "  3. prompt-design (0.28): like liu2023visual 0.28\n"
    "  4. cross-modal-alignment (0.24): like chen2023sharegpt4v 0.24\n"
)


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    with replay_server() as server:
        yield server


@pytest.fixture
def kb(fixture_kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    """The fixture knowledge base with a venue vocabulary, every service pointed at the replay server."""
    shutil.copy(DATA_DIR / "sources" / "venues.yaml", fixture_kb.root / "taxonomy" / "venues.yaml")
    monkeypatch.setattr("surveykb.commands.new.today_text", lambda today=None: "2025-03-01")
    replay.serve_commands(monkeypatch)
    replay.state.requests.clear()
    return fixture_kb


def run(*arguments: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(arguments), input=stdin)


def record(kb: ScratchKB, name: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((kb.papers / name).read_text())
    return data


def test_new_from_an_arxiv_id_fills_the_record_and_suggests_tags(kb: ScratchKB) -> None:
    result = run("new", "--no-interactive", "--arxiv", "2401.00001")
    assert (result.exit_code, result.stdout) == (0, "papers/example2024fabricated.yaml\n")
    assert result.stderr == SUGGESTED + "  (pass --tag to use them)\n" + (
        "papers/example2024fabricated.yaml:1:1: warning no-tags: written as a draft: `surveykb validate` flags it until data4model or model4data has a tag\n"
    )
    data = record(kb, "example2024fabricated.yaml")
    assert (data["title"], data["year"], data["venue"], data["doi"], data["arxiv"]) == (
        "A Fabricated Report on Synthetic Caption Data with Very Many Authors", 2024, "ICML 2024", "10.5555/fabricated.2024.1", "2401.00001",
    )  # fmt: skip
    assert isinstance(data["authors"], list) and len(data["authors"]) == 120
    assert data["sources"] == ["https://arxiv.org/abs/2401.00001", "https://doi.org/10.5555/fabricated.2024.1"]
    assert "summary" not in data and "abstract" not in data  # the abstract ranks, it is not stored


def test_flags_override_fetched_values(kb: ScratchKB) -> None:
    result = run(
        "new",
        "https://arxiv.org/abs/2401.00001v2",
        "--title",
        "My Own Title",
        "--venue",
        "NeurIPS 2024",
        "--tag",
        "creator",
        "--id",
        "mine",
    )
    assert (result.exit_code, result.stdout, result.stderr) == (0, "papers/mine.yaml\n", "")
    data = record(kb, "mine.yaml")
    assert (data["title"], data["venue"], data["model4data"], data["arxiv"]) == (
        "My Own Title",
        "NeurIPS 2024",
        ["creator"],
        "2401.00001",
    )


def test_new_from_a_doi_notes_an_unknown_venue(kb: ScratchKB) -> None:
    result = run("new", "--doi", "https://doi.org/10.5555/ONLINE-ONLY.7", "--tag", "creator")
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == "note: the venue 'IEEE Transactions on Pattern Analysis and Machine Intelligence' is not in taxonomy/venues.yaml; add it there or pass --venue\n"
    )
    data = record(kb, "hopper2025data.yaml")
    assert (data["authors"], data["year"], data["doi"], data["sources"]) == (
        ["Grace Hopper", "The Fabricated Consortium"], 2025, "10.5555/ONLINE-ONLY.7", ["https://doi.org/10.5555/online-only.7"],
    )  # fmt: skip
    assert "venue" not in data


def test_on_a_terminal_the_contributor_picks_suggestions(kb: ScratchKB) -> None:
    result = run("new", "--interactive", "2401.00001", stdin="1 3 filter\n\n\n")  # tags, modalities, sections
    assert "  4. cross-modal-alignment (0.24): like chen2023sharegpt4v 0.24\n" in result.stderr
    assert result.exit_code == 0, result.output
    data = record(kb, "example2024fabricated.yaml")
    assert (data["data4model"], data["model4data"]) == (["prompt-design"], ["creator", "filter"])


def test_a_withdrawn_paper_is_noted(kb: ScratchKB) -> None:
    result = run("new", "2302.00002", "--tag", "creator")
    assert result.exit_code == 0
    assert result.stderr == "note: https://arxiv.org/abs/2302.00002 marks the paper as withdrawn\n"


@pytest.mark.parametrize(
    ("arguments", "stderr"),
    [
        pytest.param(["2399.99999"], "error: arxiv: knows no paper 2399.99999; nothing written\n", id="unknown-arxiv"),
        pytest.param(
            ["--doi", "10.5555/nothing"],
            "error: crossref: no such work (HTTP 404); nothing written\n",
            id="unknown-doi",
        ),
        pytest.param(
            ["https://example.org/x"],
            "error: 'https://example.org/x' is not an arXiv id, a DOI, or an arXiv, doi.org, OpenReview or ACL Anthology link\n",
            id="not-a-paper",
        ),
        pytest.param(
            ["2304.08485", "--tag", "creator"],
            "error: this paper is already in the knowledge base: papers/liu2023visual.yaml (the same arXiv id 2304.08485)\n",
            id="known",
        ),
    ],
)
def test_nothing_is_written_when_the_sources_refuse(kb: ScratchKB, arguments: list[str], stderr: str) -> None:
    result = run("new", "--no-interactive", *arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)
    assert len(list(kb.papers.glob("*.yaml"))) == 3


@pytest.mark.parametrize(
    ("mode", "stderr"),
    [
        ("garbage", "error: arxiv: the answer is not an Atom feed (the XML does not parse); nothing written\n"),
        ("other", "error: arxiv: answered about 2311.12793 when asked for 2401.00001; ignoring it; nothing written\n"),
    ],
)
def test_broken_answers_write_nothing(
    kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch, mode: str, stderr: str
) -> None:
    for name, value in replay.env(mode).items():
        monkeypatch.setenv(name, value)
    result = run("new", "--no-interactive", "2401.00001", "--tag", "creator")
    assert (result.exit_code, result.stderr) == (1, stderr)


def test_offline_says_so_and_uses_the_flags(kb: ScratchKB, replay: Replay) -> None:
    result = run("new", "--offline", "--arxiv", "2401.00001", "--title", "Only Flags", "--tag", "creator")
    assert (result.exit_code, result.stdout) == (0, "papers/only-flags.yaml\n")
    assert result.stderr == "note: offline: nothing fetched for 2401.00001; the record is made from the flags alone\n"
    assert replay.state.requests == []
    assert "sources" not in record(kb, "only-flags.yaml")


def test_without_a_network_the_flag_only_path_still_works(kb: ScratchKB, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("SURVEYKB_ARXIV_URL", f"http://127.0.0.1:{closed}/query")
    monkeypatch.setattr("surveykb.sources.http.RealClock.sleep", lambda self, seconds: None)  # no backoff waits
    result = run("new", "--arxiv", "2401.00001", "--title", "Only Flags", "--tag", "creator")
    assert (result.exit_code, result.stdout) == (0, "papers/only-flags.yaml\n")
    assert (
        result.stderr
        == "note: arxiv: cannot connect (connection refused) (4 tries): working offline, the record is made from the flags alone\n"
    )


def test_new_from_an_openreview_page_takes_the_accepted_venue(kb: ScratchKB) -> None:
    result = run("new", "https://openreview.net/forum?id=Fab1cated7x", "--tag", "creator")
    assert result.exit_code == 0, result.output
    data = record(kb, "lovelace2024probing.yaml")
    assert (data["title"], data["authors"], data["year"], data["venue"], data["url"], data["sources"]) == (
        "Probing Fabricated Data Engines for Multimodal Models",
        ["Ada Lovelace", "Grace Hopper", "Alan Turing"],
        2024,
        "ICLR 2025",
        "https://openreview.net/forum?id=Fab1cated7x",
        ["https://openreview.net/forum?id=Fab1cated7x"],
    )
    assert "abstract" not in data and "made-up abstract" not in (kb.papers / "lovelace2024probing.yaml").read_text()


def test_a_paper_under_review_on_openreview_gets_no_venue(kb: ScratchKB) -> None:
    result = run("new", "https://openreview.net/forum?id=Subm1tted9y", "--tag", "creator")
    assert result.exit_code == 0, result.output
    assert "venue" not in record(kb, "lovelace2024fabricated.yaml")


def test_an_unknown_openreview_id_writes_nothing(kb: ScratchKB) -> None:
    before = sorted(kb.papers.iterdir())
    result = run("new", "https://openreview.net/forum?id=Unknown00000", "--tag", "creator")
    assert (result.exit_code, sorted(kb.papers.iterdir())) == (1, before)
    assert "openreview" in result.stderr.lower() and "Traceback" not in result.output
