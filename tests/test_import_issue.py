"""`surveykb import issue BODY.md`: the add-a-paper issue form's body as GitHub renders it -> a record,
filled from the sources (the replay server) where the form is silent, or diagnostics and nothing written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import DATA_DIR, ScratchKB
from replay import Replay, replay_server

from surveykb.cli import main

BODY = """\
### Title

_No response_

### Authors

_No response_

### Year

_No response_

### Venue

_No response_

### arXiv id

https://arxiv.org/abs/2401.00001v3

### DOI

_No response_

### URL

_No response_

### Code or data

https://github.com/example/fabricated

### Data4Model › Scaling › Scaling Up (Larger Datasets) (Sec. 3.1)

- [X] `acquisition`: Data Acquisition (Sec. 3.1.1)
- [ ] `augmentation`: Data Augmentation (Sec. 3.1.2)

### Model4Data › Synthesis (Sec. 5)

- [x] `creator`: Model as a Data Creator (Sec. 5.1)
- [ ] `mapper`: Model as a Data Mapper (Sec. 5.2)

### Modalities

- [X] `text`: Text
- [X] `image`: Image

### Stages

- [ ] `pre-training`: Pre-training

### Survey sections

3.1.1: Data Acquisition, 5.1: Model as a Data Creator

### Summary

Fabricates caption data at scale.
"""


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    with replay_server() as server:
        yield server


@pytest.fixture
def kb(fixture_kb: ScratchKB, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    shutil.copy(DATA_DIR / "sources" / "venues.yaml", fixture_kb.root / "taxonomy" / "venues.yaml")
    replay.serve_commands(monkeypatch)
    return fixture_kb


def run(kb: ScratchKB, body: str) -> Result:
    (kb.root / "body.md").write_text(body)
    return CliRunner().invoke(main, ["import", "issue", "body.md"])


def test_the_form_and_the_sources_make_a_record(kb: ScratchKB) -> None:
    result = run(kb, BODY.replace("\n", "\r\n"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "papers/example2024fabricated.yaml\n", "")
    data = yaml.safe_load((kb.papers / "example2024fabricated.yaml").read_text())
    assert {key: data[key] for key in ("year", "venue", "arxiv", "code", "modalities", "data4model", "model4data", "sections", "summary")} == {
        "year": 2024, "venue": "ICML 2024", "arxiv": "2401.00001", "code": "https://github.com/example/fabricated",
        "modalities": ["text", "image"], "data4model": ["acquisition"], "model4data": ["creator"], "sections": ["3.1.1", "5.1"],
        "summary": "Fabricates caption data at scale.",
    }  # fmt: skip
    assert len(data["authors"]) == 120 and data["sources"][0] == "https://arxiv.org/abs/2401.00001"


def test_the_form_wins_over_the_sources(kb: ScratchKB) -> None:
    body = BODY.replace("### Title\n\n_No response_", "### Title\n\nMy Title").replace(
        "### Year\n\n_No response_", "### Year\n\n2023"
    )
    assert run(kb, body).exit_code == 0
    data = yaml.safe_load((kb.papers / "example2023my.yaml").read_text())
    assert (data["title"], data["year"]) == ("My Title", 2023)


@pytest.mark.parametrize(
    ("body", "stdout"),
    [
        pytest.param(
            "just some text\n",
            "body.md:1:1: error not-an-issue-form: no '### ' headings: this is not the body of the add-a-paper issue form\n",
            id="not-a-form",
        ),
        pytest.param(
            BODY.replace("### Year\n\n_No response_", "### Year\n\nlast year"),
            "body.md:9:1: error bad-year: 'last year' is not a year like 2023\n",
            id="bad-year",
        ),
        pytest.param(
            BODY.replace("https://arxiv.org/abs/2401.00001v3", "2399.99999"),
            "body.md:1:1: error source-refused: arxiv: knows no paper 2399.99999; nothing written\n",
            id="unknown-arxiv",
        ),
        pytest.param(
            BODY.replace("https://arxiv.org/abs/2401.00001v3", "2304.08485"),
            "body.md:1:1: error duplicate: this paper is already in the knowledge base: papers/liu2023visual.yaml (the same arXiv id 2304.08485)\n",
            id="known-paper",
        ),
        pytest.param(
            BODY.replace("https://arxiv.org/abs/2401.00001v3", "_No response_"),
            "body.md:1:1: error no-title: the form gives no title, and no arXiv id or DOI to fetch one from\n",
            id="nothing-to-go-on",
        ),
        pytest.param(
            BODY.replace("https://github.com/example/fabricated", "ftp://example.org/x"),
            "papers/example2024fabricated.yaml:129:7: error bad-url: 'ftp://example.org/x' is not an http(s) URL\n",
            id="invalid-record",
        ),
    ],
)
def test_problems_are_reported_and_nothing_is_written(kb: ScratchKB, body: str, stdout: str) -> None:
    result = run(kb, body)
    assert (result.exit_code, result.stdout, result.stderr) == (1, stdout, "error: nothing written\n")
    assert len(list(kb.papers.glob("*.yaml"))) == 3


def test_an_unknown_heading_is_a_warning(kb: ScratchKB) -> None:
    result = run(kb, BODY + "\n### Favourite colour\n\nblue\n")
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[0]
        == "body.md:60:1: warning unknown-heading: 'Favourite colour' is not a question of the form; its answer is ignored"
    )
