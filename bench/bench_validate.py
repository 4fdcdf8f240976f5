"""Time `surveykb validate` on synthetic knowledge bases of growing size.

    .venv/bin/python bench/bench_validate.py            # N = 1,000 and 10,000
    .venv/bin/python bench/bench_validate.py 500 5000   # other sizes

For each N, writes N valid records over the repository's real taxonomy into a temporary folder,
then measures (each in a fresh process, best of --repeat runs):
  cli        `surveykb validate` end to end, interpreter start-up included;
  in-process `load_knowledge_base` alone, imports excluded.
Prints N, seconds, records per second and peak resident memory. Target: 10,000 records in under
3 s end to end, growing linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from surveykb.dump import dump_record
from surveykb.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
WORDS = "visual instruction tuning multimodal data scaling benchmark reasoning video chart caption alignment".split()


def synthetic_record(number: int, taxonomy: Taxonomy, rng: random.Random) -> dict[str, object]:
    data4model = [leaf.id for leaf in taxonomy.leaves("data4model")]
    model4data = [leaf.id for leaf in taxonomy.leaves("model4data")]
    year = rng.randint(2015, 2024)
    return {
        "id": f"author{number}{year}paper",
        "title": f"{' '.join(rng.choices(WORDS, k=6)).capitalize()} number {number}",
        "authors": [f"Given{rng.randint(1, 999)} Family{rng.randint(1, 999)}" for _ in range(rng.randint(1, 5))],
        "year": year,
        "venue": f"NeurIPS {year}",
        "arxiv": f"{year % 100:02d}{rng.randint(1, 12):02d}.{number:05d}",
        "url": f"https://example.org/papers/{number}",
        "modalities": rng.sample(taxonomy.modality_ids, 2),
        "data4model": rng.sample(data4model, rng.randint(1, 2)),
        "model4data": rng.sample(model4data, rng.randint(0, 2)),
        "sections": rng.sample(taxonomy.section_ids, rng.randint(1, 3)),
        "summary": " ".join(rng.choices(WORDS, k=40)),
        "added": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def make_knowledge_base(root: Path, count: int) -> None:
    shutil.copytree(REPO / "taxonomy", root / "taxonomy")
    taxonomy, problems = load_taxonomy(root / "taxonomy")
    if taxonomy is None:
        sys.exit(f"the taxonomy does not load: {problems}")
    rng = random.Random(count)
    papers = root / "papers"
    papers.mkdir()
    for number in range(count):
        record = synthetic_record(number, taxonomy, rng)
        (papers / f"{record['id']}.yaml").write_text(dump_record(record), encoding="utf-8")


def run_child(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall time, peak resident memory (KiB) and standard output of one child process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # the child's own rusage, unlike RUSAGE_CHILDREN
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{out.read()}{err.read()}")
        return elapsed, usage.ru_maxrss, out.read()


def measure_cli(root: Path) -> tuple[float, int]:
    beside_python = Path(sys.executable).with_name("surveykb")
    script = str(beside_python) if beside_python.exists() else shutil.which("surveykb") or "surveykb"
    elapsed, peak_kib, _ = run_child([script, "validate"], root)
    return elapsed, peak_kib


def measure_in_process(root: Path) -> tuple[float, int]:
    _, peak_kib, stdout = run_child([sys.executable, __file__, "--measure-in-process", str(root)], root)
    return json.loads(stdout)["seconds"], peak_kib


def in_process(root: Path) -> None:
    """Child mode: time load_knowledge_base alone and print the figures as JSON."""
    from surveykb.validate import load_knowledge_base

    os.chdir(root)
    started = time.perf_counter()
    kb, diagnostics = load_knowledge_base(Path("."))
    seconds = time.perf_counter() - started
    errors = [d.as_text() for d in diagnostics if d.is_error]
    if kb is None or errors:
        sys.exit("\n".join(errors[:5]) or "the knowledge base did not load")
    print(json.dumps({"seconds": seconds, "records": len(kb.records)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    parser.add_argument("--measure-in-process", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure_in_process:
        in_process(arguments.measure_in_process)
        return
    print(f"{'N':>7}  {'mode':<10} {'seconds':>8} {'records/s':>10} {'peak RSS':>9}")
    for count in arguments.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-validate-{count}-") as folder:
            root = Path(folder)
            make_knowledge_base(root, count)
            for mode, measure in (("cli", measure_cli), ("in-process", measure_in_process)):
                runs = [measure(root) for _ in range(arguments.repeat)]
                seconds = min(run[0] for run in runs)
                peak_mib = max(run[1] for run in runs) / 1024
                print(f"{count:>7,}  {mode:<10} {seconds:>8.2f} {count / seconds:>10,.0f} {peak_mib:>6.0f} MiB")


if __name__ == "__main__":
    main()
