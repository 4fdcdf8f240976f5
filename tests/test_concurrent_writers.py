"""Writers at the same time and large imports: one record per paper whatever the timing, and
`import bibtex` reads papers/ once, not once per entry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ScratchKB

from surveykb.cli import main

SURVEYKB = Path(sys.executable).with_name("surveykb")


def test_eight_new_commands_at_once_write_one_record(scratch_kb: ScratchKB) -> None:
    command = [
        str(SURVEYKB),
        "new",
        "--no-interactive",
        "--title",
        "Visual Instruction Tuning",
        "--author",
        "Haotian Liu",
        "--year",
        "2023",
        "--arxiv",
        "2304.08485",
        "--tag",
        "acquisition",
    ]
    children = [
        subprocess.Popen(command, cwd=scratch_kb.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    outcomes = [(child.returncode, *child.communicate(timeout=60)) for child in children]
    outcomes = [(child.returncode, out, err) for child, (_, out, err) in zip(children, outcomes)]
    assert sorted(path.name for path in scratch_kb.papers.iterdir()) == ["liu2023visual.yaml"]
    assert sorted(code for code, _, _ in outcomes) == [0] + [1] * 7
    refused = [
        "".join(line for line in err.splitlines(keepends=True) if not line.startswith("note: "))
        for code, _, err in outcomes
        if code == 1
    ]
    assert all(
        err.startswith("error: this paper is already in the knowledge base: papers/liu2023visual.yaml")
        for err in refused
    ), refused


def _bib(count: int) -> str:
    return "".join(
        f"@article{{key{n}, title={{A Paper Numbered {n}}}, author={{Doe, Jane}}, year={{2023}}, eprint={{2301.{n:05d}}}}}\n"
        for n in range(count)
    )


@pytest.mark.parametrize("count", [pytest.param(10, id="10-entries"), pytest.param(200, id="200-entries")])
def test_import_bibtex_lists_papers_once(scratch_kb: ScratchKB, monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    (scratch_kb.root / "refs.bib").write_text(_bib(count), encoding="utf-8")
    listings: list[str] = []
    original_glob, original_iterdir, original_scandir = Path.glob, Path.iterdir, os.scandir

    def counted_glob(self: Path, pattern: str, **kwargs: object):  # type: ignore[no-untyped-def]
        listings.append(str(self))
        return original_glob(self, pattern, **kwargs)

    def counted_iterdir(self: Path):  # type: ignore[no-untyped-def]
        listings.append(str(self))
        return original_iterdir(self)

    monkeypatch.setattr(Path, "glob", counted_glob)
    monkeypatch.setattr(Path, "iterdir", counted_iterdir)
    result = CliRunner().invoke(main, ["import", "bibtex", "refs.bib", "--tag", "creator"])
    assert result.exit_code == 0, result.output
    assert len(list(original_iterdir(scratch_kb.papers))) == count
    # papers/ is listed by the loader and once more under the lock (to see another writer's records):
    # a fixed number of listings however many entries, where each entry used to list it again.
    assert sorted(listings) == [str(scratch_kb.root / "papers")] * 2 + [str(scratch_kb.root / "taxonomy")], listings
    assert os.scandir is original_scandir
