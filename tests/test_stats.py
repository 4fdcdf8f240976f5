"""`surveykb stats` (papers per taxonomy node, gaps) and `surveykb doctor` (incomplete records)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AXES, ScratchKB

from surveykb.cli import main
from surveykb.commands.doctor import missing_parts
from surveykb.commands.stats import gaps, node_counts
from surveykb.core.knowledge_base import load_knowledge_base


def test_node_counts_count_each_paper_once_per_node(fixture_kb: ScratchKB) -> None:
    kb, _ = load_knowledge_base(fixture_kb.root)
    assert kb is not None
    counts = node_counts(kb.taxonomy, kb.papers)
    assert {node: count for node, count in counts.items() if count} == {
        "data4model": 3,
        "scaling": 2,
        "scaling-up": 1,
        "acquisition": 1,
        "scaling-effectiveness": 1,
        "cross-modal-alignment": 1,
        "usability": 2,
        "instruction-responsiveness": 1,
        "prompt-design": 1,
        "evaluation": 1,
        "eval-understanding": 1,
        "model4data": 2,
        "synthesis": 2,
        "creator": 2,
        "mapper": 1,
    }
    assert len(gaps(kb.taxonomy, counts)) == 26
    assert [node.id for node in gaps(kb.taxonomy, counts, below=2)][:3] == ["acquisition", "augmentation", "diversity"]
    assert "creator" not in [node.id for node in gaps(kb.taxonomy, counts, below=2)]


def test_stats_command(fixture_kb: ScratchKB) -> None:
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "data4model                         3  Data4Model",
        "  scaling                          2  Scaling",
        "    scaling-up                     1  Scaling Up (Larger Datasets)",
        "      acquisition                  1  Data Acquisition",
    ]
    assert "Gaps: 26 leaves with fewer than 3 papers" in lines
    assert "  creator                          2  Model as a Data Creator (Sec. 5.1)" in lines
    assert result.stderr == "3 valid records\n"


def test_stats_notes_records_it_could_not_count(fixture_kb: ScratchKB) -> None:
    fixture_kb.write("broken.yaml", "id: broken\n")
    result = CliRunner().invoke(main, ["stats"])
    assert result.stderr == "3 valid records; 1 files with errors not counted (see `surveykb validate`)\n"


def test_doctor_lists_incomplete_records_and_drafts(fixture_kb: ScratchKB) -> None:
    fixture_kb.write("draft.yaml", "id: draft\ntitle: A Draft\nyear: 2024\ndoi: 10.1/x\n")
    fixture_kb.write("unreadable.yaml", "id: [\n")
    result = CliRunner().invoke(main, ["doctor"])
    assert (result.exit_code, result.stdout.splitlines(), result.stderr) == (
        0,
        [
            "papers/chen2023sharegpt4v.yaml: no source",
            "papers/draft.yaml: no authors, tags, source",
            "papers/liu2023visual.yaml: no source",
            "papers/mm-vet-evaluating-large-multimodal-models-for-integrated.yaml: no authors, year, link, source",
        ],
        "4 incomplete records, 0 disagreements between tags, sections and venues\n",
    )


def test_missing_parts() -> None:
    complete = {
        "authors": ["A"],
        "year": 2020,
        "url": "https://x.org",
        "model4data": ["creator"],
        "sources": ["https://x.org"],
    }
    assert missing_parts(complete, AXES) == []
    assert missing_parts({"authors": [], "year": None, "arxiv": "", "data4model": []}, AXES) == [
        "authors",
        "year",
        "link",
        "tags",
        "source",
    ]
    assert missing_parts({**complete, "authors_complete": False}, AXES) == ["complete author list"]


@pytest.mark.parametrize(
    ("config", "threshold"),
    [
        pytest.param("plugins:\n  - search\n  - surveykb:\n      gap_threshold: 5\n", 5, id="option"),
        pytest.param(
            "plugins:\n  - surveykb\nmarkdown_extensions:\n  - x:\n      f: !!python/name:a.b\n",
            3,
            id="default-with-python-tags",
        ),
        pytest.param("plugins: [", 3, id="broken-yaml"),
        pytest.param(None, 3, id="no-mkdocs-yml"),
    ],
)
def test_stats_uses_the_sites_gap_threshold(tmp_path: Path, config: str | None, threshold: int) -> None:
    from surveykb.commands.stats import configured_gap_threshold

    if config is not None:
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert configured_gap_threshold(tmp_path) == threshold
