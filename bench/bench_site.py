"""Time `surveykb build` on synthetic knowledge bases and report peak memory.

    python bench/bench_site.py            # 1,000 and 10,000 records
    python bench/bench_site.py 2000 5000  # other sizes

Each build runs in a fresh process (`surveykb build --root DIR`); peak memory is that process's
own maximum resident set size.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_child  # noqa: E402
from synthetic import make_knowledge_base  # noqa: E402

SURVEYKB = Path(sys.executable).with_name("surveykb")


def build_once(root: Path) -> tuple[float, float, int]:
    """Seconds, peak MiB and number of HTML pages of one `surveykb build`."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    seconds, peak_kib, _ = run_child([str(SURVEYKB), "build", "--root", str(root)], root)
    pages = sum(1 for _ in (root / "site").rglob("*.html"))
    return seconds, peak_kib / 1024, pages


def main(sizes: list[int]) -> None:
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            root = make_knowledge_base(Path(scratch) / f"kb{size}", size)
            seconds, peak_mib, pages = build_once(root)
            site_mib = sum(f.stat().st_size for f in (root / "site").rglob("*") if f.is_file()) / 2**20
            results.append((size, seconds, peak_mib, pages, site_mib))
            print(
                f"{size:>6} records  {seconds:7.1f} s  peak {peak_mib:7.0f} MiB  {pages:>6} pages  {site_mib:6.0f} MiB of site",
                flush=True,
            )
    if len(results) >= 2:
        (small, t_small, *_), (large, t_large, *_) = results[0], results[-1]
        print(f"time ratio {large}/{small}: {t_large / t_small:.1f} (linear would be {large / small:.0f})")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
