"""`surveykb discover` against the replay server: works citing the survey or the knowledge base's
papers, minus the papers it has (any spelling of the same arXiv id, DOI or title), ranked by
similarity, with suggested tags and evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import ScratchKB
from replay import Replay, replay_server

from surveykb.cli import main


def work(key: str, title: str, references: list[str], abstract: str = "", **extra: Any) -> dict[str, Any]:
    index = {word: [position] for position, word in enumerate(abstract.split())}
    return {
        "id": f"https://openalex.org/{key}", "title": title, "publication_year": 2025, "publication_date": "2025-01-15",
        "authorships": [{"author": {"display_name": "Ann Author"}}], "abstract_inverted_index": index or None,
        "referenced_works": [f"https://openalex.org/{ref}" for ref in references], **extra,
    }  # fmt: skip


CITING = [
    work(
        "W10",
        "Caption Data Engines for Vision Instruction Tuning",
        ["W4400SURVEY"],
        "synthetic instruction data from image captions with GPT-4",
        doi="https://doi.org/10.5555/engine.1",
    ),
    work(
        "W11",
        "Scaling Visual Instruction Data",
        ["W4366statedLLaVA"],
        "more visual instruction following data improves multimodal models",
        doi="https://doi.org/10.48550/arxiv.2501.00011",
    ),
    work(
        "W12",
        "ShareGPT4V: improving large multi-modal models with better captions",
        ["W4400SURVEY"],
        locations=[{"landing_page_url": "http://arxiv.org/abs/2311.12793v2"}],
    ),
    work("W13", "Visual instruction-tuning", ["W4400SURVEY"], doi="https://doi.org/10.5555/another.copy"),
    work("W14", "An Unrelated Paper on Protein Folding", ["W999"]),
]


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    with replay_server() as server:
        server.state.citing = CITING
        yield server


@pytest.fixture
def kb(fixture_kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    replay.serve_commands(monkeypatch)
    # The survey whose citing works are replayed.
    (fixture_kb.root / "taxonomy" / "survey.yaml").write_text(
        'survey:\n  title: A Survey\n  arxiv: "2407.08583"\n', encoding="utf-8"
    )
    return fixture_kb


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def test_discover_as_json(kb: ScratchKB) -> None:
    result = run("discover", "--format", "json", "--min-cited", "1")
    assert (result.exit_code, result.stderr) == (0, "2 candidates of 4 citing works\n")
    found = json.loads(result.stdout)
    assert found["notes"] == [
        "1 records are not in OpenAlex (or could not be looked up); works citing them are not counted"
    ]
    assert [(c["openalex"], c["cites_survey"], c["cites"], c["arxiv"], c["doi"]) for c in found["candidates"]] == [
        ("W10", True, [], None, "10.5555/engine.1"),
        ("W11", False, ["liu2023visual"], "2501.00011", None),
    ]
    first = found["candidates"][0]
    assert first["resembles"][0]["id"] == "liu2023visual"
    assert first["suggested_tags"][0] == {
        "tag": "creator",
        "score": first["suggested_tags"][0]["score"],
        "because_of": ["liu2023visual", "chen2023sharegpt4v"],
    }


def test_discover_needs_more_citations_by_default(kb: ScratchKB) -> None:
    found = json.loads(run("discover", "--format", "json").stdout)
    assert [c["openalex"] for c in found["candidates"]] == ["W10"]


def test_discover_as_markdown(kb: ScratchKB) -> None:
    result = run("discover", "--min-cited", "1", "--limit", "1")
    lines = result.stdout.splitlines()
    assert lines[1] == "1 candidates of 4 citing works. Add one with `surveykb new <arXiv id or DOI>`."
    assert lines[3:] == [
        "> 1 records are not in OpenAlex \\(or could not be looked up\\); works citing them are not counted",
        "",
        "1. **Caption Data Engines for Vision Instruction Tuning** (2025; DOI 10.5555/engine.1), score 0.26",
        "   - evidence: cites the survey",
        "   - resembles: liu2023visual 0.62, chen2023sharegpt4v 0.15",
        "   - suggested tags: creator (like liu2023visual, chen2023sharegpt4v), acquisition (like liu2023visual), prompt-design (like liu2023visual)",
        "",
    ]


def test_since_is_passed_to_openalex(kb: ScratchKB, replay: Replay) -> None:
    replay.state.requests.clear()
    found = json.loads(run("discover", "--format", "json", "--since", "2025-06-01").stdout)
    assert found["candidates"] == []
    assert any("from_publication_date%3A2025-06-01" in request for request in replay.state.requests)
    assert run("discover", "--since", "June").stderr.endswith(
        "Error: Invalid value for '--since': 'June' is not a date written YYYY-MM-DD\n"
    )


def test_without_a_key_discover_says_so(kb: ScratchKB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENALEX_API_KEY")
    result = run("discover")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr
        == "error: openalex: refused without credentials (HTTP 401); set OPENALEX_API_KEY; no candidates listed\n"
    )


def test_without_a_configured_survey_only_works_citing_records_are_listed(
    kb: ScratchKB, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kb.root / "taxonomy" / "survey.yaml").unlink()
    found = json.loads(run("discover", "--format", "json", "--min-cited", "1").stdout)
    assert (
        found["notes"][0]
        == "taxonomy/survey.yaml names no arXiv id or DOI of the survey: only works citing the records are listed"
    )
    assert [(c["openalex"], c["cites_survey"]) for c in found["candidates"]] == [("W11", False)]
