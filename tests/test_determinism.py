"""Building the same commit twice gives the same bytes.

The fixture site is built in two fresh processes that differ in everything that must not matter: the
hash seed (set and dict order of strings), the order in which the file system lists directories
(the second build sees every listing reversed), and the clock (SOURCE_DATE_EPOCH, which MkDocs takes
as the build date). Every file of the two sites, and every `surveykb export` format, must then be
byte-identical, except the two files MkDocs stamps with the build date.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_DIR

TESTS = Path(__file__).resolve().parent
STAMPED_WITH_THE_BUILD_DATE = {"sitemap.xml", "sitemap.xml.gz"}
EXPORT_FORMATS = ("bibtex", "json", "csv", "awesome")

# Run in a fresh interpreter: build the fixture site into argv[1], then write each export format.
BUILD = """
import os, sys
from pathlib import Path

if os.environ.get("REVERSE_LISTINGS"):
    real_listdir, real_scandir = os.listdir, os.scandir

    class ReversedScandir:
        def __init__(self, *args):
            with real_scandir(*args) as entries:
                self.entries = iter(sorted(entries, key=lambda entry: entry.name, reverse=True))
        def __iter__(self):
            return self
        def __next__(self):
            return next(self.entries)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def close(self):
            pass

    os.listdir = lambda *args: sorted(real_listdir(*args), reverse=True)
    os.scandir = ReversedScandir

sys.path.insert(0, sys.argv[3])
from sitecheck import build_test_site
from surveykb.cli import main

workdir = Path(sys.argv[1])
build_test_site(workdir, Path(sys.argv[2]))
for fmt in sys.argv[4:]:
    main(["export", "--root", str(workdir), "--format", fmt, "-o", str(workdir / "out" / f"papers.{fmt}")], standalone_mode=False)
"""


def start_build(workdir: Path, seed: str, epoch: str, reverse: bool) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("REVERSE_LISTINGS", None)
    if reverse:
        environment["REVERSE_LISTINGS"] = "1"
    arguments = [
        sys.executable,
        "-c",
        BUILD,
        str(workdir),
        str(DATA_DIR / "site" / "papers"),
        str(TESTS),
        *EXPORT_FORMATS,
    ]
    return subprocess.Popen(arguments, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds of the same sources, run side by side."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    processes = [
        start_build(first, seed="1", epoch="946684800", reverse=False),  # 2000-01-01
        start_build(second, seed="2", epoch="1893456000", reverse=True),  # 2030-01-01
    ]
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output.decode("utf-8", "replace")
    return first, second


def files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_builds_give_byte_identical_sites(builds: tuple[Path, Path]) -> None:
    first, second = (files(build / "site") for build in builds)
    assert sorted(first) == sorted(second)
    differing = {name for name in first if first[name] != second[name]}
    assert differing <= STAMPED_WITH_THE_BUILD_DATE


def test_the_clock_reached_the_build(builds: tuple[Path, Path]) -> None:
    """The builds really ran at different 'times': the gzip header of each sitemap holds its date."""
    stamps = [int.from_bytes((build / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little") for build in builds]
    assert stamps == [946684800, 1893456000]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_two_runs_give_byte_identical_exports(builds: tuple[Path, Path], fmt: str) -> None:
    first, second = ((build / "out" / f"papers.{fmt}").read_bytes() for build in builds)
    assert first and first == second


def test_json_lists_papers_in_id_order(builds: tuple[Path, Path]) -> None:
    """The order comes from the ids, not from either listing order."""
    document = json.loads((builds[1] / "site" / "exports" / "papers.json").read_text(encoding="utf-8"))
    ids = [paper["id"] for paper in document["papers"]]
    assert ids == sorted(path.stem for path in (DATA_DIR / "site" / "papers").glob("*.yaml"))
