"""Shared fixtures: the small fixture knowledge base and a scratch one to write records into."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from surveykb.core.diagnostics import Diagnostic
from surveykb.core.knowledge_base import load_knowledge_base

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
FIXTURE_KB = DATA_DIR / "kb"
# Records are checked as if on this day, so the year range (1950..2025) does not move.
TODAY = datetime.date(2024, 7, 12)
# The axes of the fixture taxonomy (and of this survey's): the record fields that hold tags.
AXES = ("data4model", "model4data")


@dataclass
class ScratchKB:
    """A knowledge base in a temporary working directory: the fixture taxonomy and an empty papers/."""

    root: Path

    @property
    def papers(self) -> Path:
        return self.root / "papers"

    def write(self, name: str, content: str | bytes) -> Path:
        """Write a file into papers/ (text is written byte for byte, without newline translation)."""
        path = self.papers / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    def check(self, only: list[Path] | None = None) -> list[Diagnostic]:
        """Every diagnostic for the knowledge base, sorted."""
        _, diagnostics = load_knowledge_base(Path("."), only, today=TODAY)
        return sorted(diagnostics)

    def report(self, only: list[Path] | None = None) -> list[str]:
        """The diagnostics as the text lines `surveykb validate` prints."""
        return [diagnostic.as_text() for diagnostic in self.check(only)]


@pytest.fixture
def scratch_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    shutil.copytree(FIXTURE_KB / "taxonomy", tmp_path / "taxonomy")
    (tmp_path / "papers").mkdir()
    monkeypatch.chdir(tmp_path)
    return ScratchKB(tmp_path)


@pytest.fixture
def fixture_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScratchKB:
    """A writable copy of tests/data/kb (three records, one of them incomplete) as the working directory."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, root)
    monkeypatch.chdir(root)
    return ScratchKB(root)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet: commands that would fetch metadata run offline unless a test
    points them at the replay server (tests/replay.py) and lifts this."""
    monkeypatch.setenv("SURVEYKB_OFFLINE", "1")
    monkeypatch.setenv("SURVEYKB_NO_CACHE", "1")
    for name in (
        "SURVEYKB_ARXIV_URL",
        "SURVEYKB_CROSSREF_URL",
        "SURVEYKB_OPENALEX_URL",
        "OPENALEX_API_KEY",
        "SURVEYKB_CONTACT",
        "SURVEYKB_CACHE",
    ):
        monkeypatch.delenv(name, raising=False)
