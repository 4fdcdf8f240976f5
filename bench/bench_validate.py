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
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_child  # noqa: E402
from synthetic import make_knowledge_base  # noqa: E402


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
    from surveykb.core.knowledge_base import load_knowledge_base

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
            root = make_knowledge_base(Path(folder) / "kb", count)
            for mode, measure in (("cli", measure_cli), ("in-process", measure_in_process)):
                runs = [measure(root) for _ in range(arguments.repeat)]
                seconds = min(run[0] for run in runs)
                peak_mib = max(run[1] for run in runs) / 1024
                print(f"{count:>7,}  {mode:<10} {seconds:>8.2f} {count / seconds:>10,.0f} {peak_mib:>6.0f} MiB")


if __name__ == "__main__":
    main()
