"""`surveykb diff BASE`: papers added, removed and changed field by field, and the taxonomy counts
and cross-table cells that move, against a git revision or another knowledge base folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURE_KB, ScratchKB

from surveykb.cli import main
from surveykb.commands.diff import escape

NEW_PAPER = """\
id: doe2024data
title: "Data [click](https://evil.example) @everyone <img src=x>"
authors:
  - Jane Doe
year: 2024
data4model:
  - acquisition
model4data:
  - creator
"""


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True)


@pytest.fixture
def repo(fixture_kb: ScratchKB) -> ScratchKB:
    git(fixture_kb.root, "init", "-q")
    git(fixture_kb.root, "add", ".")
    git(fixture_kb.root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return fixture_kb


def change(kb: ScratchKB) -> None:
    kb.write("doe2024data.yaml", NEW_PAPER)
    (kb.papers / "mm-vet-evaluating-large-multimodal-models-for-integrated.yaml").unlink()
    path = kb.papers / "chen2023sharegpt4v.yaml"
    path.write_text(path.read_text().replace("venue: arXiv\n", "venue: ECCV 2024\n"))


EXPECTED = """\
### Knowledge base changes against HEAD

**1 added, 1 removed, 1 changed.**

#### Added

- **doe2024data**: Data \\[click\\]\\(https://evil.example\\) @\u200beveryone \\<img src=x\\>

#### Removed

- **mm-vet-evaluating-large-multimodal-models-for-integrated**: MM-Vet: Evaluating Large Multimodal Models for Integrated Capabilities

#### Changed

- **chen2023sharegpt4v**
  - venue: arXiv → ECCV 2024
"""

COUNTS = """\

#### Taxonomy counts

- Scaling: 2 → 3
- Scaling Up \\(Larger Datasets\\): 1 → 2
- Data Acquisition: 1 → 2
- Usability: 2 → 1
- Evaluation: 1 → 0
- Benchmarks for Multi-Modal Understanding: 1 → 0
- Model4Data: 2 → 3
- Synthesis: 2 → 3
- Model as a Data Creator: 2 → 3

#### Cross-table cells

- Data4Model × Model4Data: Data Acquisition × Model as a Data Creator: 1 → 2
- Data4Model by year: 2024 × Scaling Up \\(Larger Datasets\\): 0 → 1
- Model4Data by year: 2024 × Model as a Data Creator: 0 → 1
- Data4Model by stage: Pre-training × Scaling Up \\(Larger Datasets\\): 1 → 2
- Data4Model by stage: Fine-tuning × Scaling Up \\(Larger Datasets\\): 1 → 2
- Data4Model by stage: Evaluation × Evaluation: 1 → 0
- Model4Data by stage: Pre-training × Model as a Data Creator: 2 → 3
- Model4Data by stage: Fine-tuning × Model as a Data Creator: 2 → 3
"""


def test_diff_against_a_revision(repo: ScratchKB) -> None:
    change(repo)
    result = run("diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED + COUNTS


def test_diff_against_a_folder(repo: ScratchKB, tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(FIXTURE_KB, base)
    assert (
        run("diff", str(base)).stdout
        == f"### Knowledge base changes against {escape(base)}\n\nNo paper, taxonomy count or cross-table cell changes.\n"
    )


def test_unknown_revision_is_one_line(repo: ScratchKB) -> None:
    result = run("diff", "no-such-branch")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 'no-such-branch' is not a revision with taxonomy/ and papers/ (")
    assert len(result.stderr.splitlines()) == 1
