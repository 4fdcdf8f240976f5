"""Time `surveykb build` and `surveykb export` with the worst valid records added to a synthetic
knowledge base: every leaf tag, every modality and section, and each text field at its length limit.

    python bench/bench_worst_record.py          # 200 ordinary records, then 5 worst ones added
    python bench/bench_worst_record.py 1000 10

Each command runs in a fresh process; the cost per record must stay bounded (before related papers
were ranked by counting, one record with all 26 leaves made the build take minutes).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_child
from synthetic import make_knowledge_base

from surveykb.core.load import MAX_FILE_BYTES
from surveykb.core.model import MAX_NAME_LENGTH, MAX_SUMMARY_LENGTH
from surveykb.core.taxonomy import load_taxonomy
from surveykb.formats.record_yaml import dump_record

SURVEYKB = Path(sys.executable).with_name("surveykb")


def worst_record(number: int, root: Path) -> dict[str, object]:
    taxonomy, _ = load_taxonomy(root / "taxonomy")
    assert taxonomy is not None
    name = ("Worst Case " * 60)[: MAX_NAME_LENGTH - 6].strip()
    record: dict[str, object] = {
        "id": f"worst{number:03d}",
        "title": f"{name} {number}",
        "short_name": name,
        "listed_as": name,
        "authors": [],
        "year": 2024,
        "venue": "arXiv",
        "arxiv": f"2401.{90000 + number:05d}",
        "modalities": list(taxonomy.modality_ids),
        "data4model": [leaf.id for leaf in taxonomy.leaves(taxonomy.axes[0])],
        "model4data": [leaf.id for leaf in taxonomy.leaves(taxonomy.axes[1])],
        "sections": list(taxonomy.section_ids),
        "summary": ("x" * MAX_SUMMARY_LENGTH),
    }
    author = ("Author " * 80)[: MAX_NAME_LENGTH - 8].strip()
    while len(dump_record(record).encode()) < MAX_FILE_BYTES - 2 * MAX_NAME_LENGTH:
        record["authors"].append(f"{author} {len(record['authors'])}")  # type: ignore[union-attr]
    return record


def timed(arguments: list[str], root: Path) -> tuple[float, float]:
    seconds, peak_kib, _ = run_child([str(SURVEYKB), *arguments, "--root", str(root)], root)
    return seconds, peak_kib / 1024


def measure(root: Path, label: str) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build, build_mib = timed(["build"], root)
    export, _ = timed(["export", "--format", "bibtex"], root)
    site_mib = sum(f.stat().st_size for f in (root / "site").rglob("*") if f.is_file()) / 2**20
    print(
        f"{label:<28} build {build:6.1f} s  peak {build_mib:5.0f} MiB  site {site_mib:5.0f} MiB  export {export:5.1f} s",
        flush=True,
    )


def main(ordinary: int, worst: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = make_knowledge_base(Path(scratch) / "kb", ordinary)
        measure(root, f"{ordinary} records")
        for number in range(worst):
            record = worst_record(number, root)
            (root / "papers" / f"{record['id']}.yaml").write_text(dump_record(record), encoding="utf-8")
        measure(root, f"+ {worst} worst valid records")


if __name__ == "__main__":
    arguments = [int(arg) for arg in sys.argv[1:]]
    main(*(arguments + [200, 5][len(arguments) :]))
