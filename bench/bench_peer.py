"""`surveykb build` side by side with a plain Material site of the same records.

    .venv/bin/python bench/bench_peer.py                 # 1,000 and 10,000 records, 3 runs each
    .venv/bin/python bench/bench_peer.py 2000 --runs 5   # other sizes and run counts

The peer is the site a maintainer would hand-roll without surveykb: one Markdown page per paper
(its metadata, links to its tags and its BibTeX in a fenced block), one page per tag with a Markdown
table of its papers, paper pages left out of the navigation, the same theme, Markdown extensions
and `search` plugin as this repository's mkdocs.yml. Both are built from the same synthetic records
(bench/synthetic.py), each build in a fresh process, runs alternating; the table shows medians of
wall time and of the process's peak resident memory, and `surveykb validate` on the same records.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_child
from synthetic import REPO, make_knowledge_base

from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.site_config import read_site_config
from surveykb.formats.bibtex_write import bibtex_entry

BIN = Path(sys.executable).parent


def make_plain_site(kb_root: Path, target: Path) -> Path:
    """The hand-rolled Material site of the records under `kb_root`."""
    kb, problems = load_knowledge_base(kb_root)
    assert kb is not None and not any(d.is_error for d in problems), problems[:3]
    taxonomy = kb.taxonomy
    papers = sorted((record.paper for record in kb.records), key=lambda paper: paper.id)
    (target / "docs" / "papers").mkdir(parents=True)
    (target / "docs" / "tags").mkdir()
    (target / "docs" / "index.md").write_text(
        "# Papers\n\nBrowse the papers by [tag](tags/index.md).\n", encoding="utf-8"
    )
    by_tag: dict[str, list] = {}
    for paper in papers:
        for tag in paper.tags:
            by_tag.setdefault(tag, []).append(paper)
        tags = ", ".join(f"[{taxonomy.nodes[tag].name}](../tags/{tag}.md)" for tag in paper.tags)
        lines = [
            f"# {paper.title}",
            "",
            f"- Authors: {', '.join(paper.authors)}",
            f"- Year: {paper.year}",
            f"- Venue: {paper.venue}",
        ]
        lines += [
            f"- arXiv: [{paper.arxiv}](https://arxiv.org/abs/{paper.arxiv})",
            f"- Tags: {tags}",
            "",
            paper.summary or "",
            "",
        ]
        lines += ["## BibTeX", "", "```bibtex", bibtex_entry(paper).rstrip(), "```", ""]
        (target / "docs" / "papers" / f"{paper.id}.md").write_text("\n".join(lines), encoding="utf-8")
    listing = ["# Tags", ""] + [
        f"- [{taxonomy.nodes[tag].name}]({tag}.md) ({len(by_tag[tag])})" for tag in sorted(by_tag)
    ]
    (target / "docs" / "tags" / "index.md").write_text("\n".join(listing) + "\n", encoding="utf-8")
    for tag, tagged in by_tag.items():
        rows = [
            f"| [{p.title}](../papers/{p.id}.md) | {p.year} | {p.venue} |"
            for p in sorted(tagged, key=lambda p: (-(p.year or 0), p.id))
        ]
        text = [
            f"# {taxonomy.nodes[tag].name}",
            "",
            taxonomy.nodes[tag].description,
            "",
            "| Title | Year | Venue |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
        (target / "docs" / "tags" / f"{tag}.md").write_text("\n".join(text), encoding="utf-8")
    _write_config(target, sorted(by_tag), taxonomy)
    return target


def _write_config(target: Path, tags: list[str], taxonomy: object) -> None:
    ours = read_site_config(REPO / "mkdocs.yml")
    config = {
        "site_name": ours["site_name"],
        "theme": {key: value for key, value in ours["theme"].items() if key != "custom_dir"},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
        "not_in_nav": "/papers/",
        "nav": ["index.md", {"Tags": ["tags/index.md", *[f"tags/{tag}.md" for tag in tags]]}],
    }
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one fresh process."""
    seconds, peak_kib, _ = run_child(command, cwd)
    return seconds, peak_kib / 1024


def bench(size: int, runs: int, scratch: Path) -> dict[str, tuple[float, float]]:
    kb = make_knowledge_base(scratch / f"kb{size}", size)
    plain = make_plain_site(kb, scratch / f"plain{size}")
    commands = {
        "surveykb build": ([str(BIN / "surveykb"), "build", "--root", str(kb)], kb),
        "plain Material": ([str(BIN / "mkdocs"), "build", "--quiet"], plain),
        "surveykb validate": ([str(BIN / "surveykb"), "validate"], kb),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for run in range(runs):
        order = list(commands) if run % 2 == 0 else list(reversed(commands))
        for name in order:
            samples[name].append(measure(*commands[name]))
    return {
        name: (statistics.median(s for s, _ in runs_), statistics.median(m for _, m in runs_))
        for name, runs_ in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each build; medians are shown")
    arguments = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    print(
        "| records | `surveykb build` | plain Material | time ratio | peak memory, surveykb | peak memory, plain | memory ratio | `surveykb validate` |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as folder:
        for size in arguments.sizes:
            result = bench(size, arguments.runs, Path(folder))
            (ours, ours_mib), (plain, plain_mib), (validate, _) = (
                result["surveykb build"],
                result["plain Material"],
                result["surveykb validate"],
            )
            print(
                f"| {size:,} | {ours:.1f} s | {plain:.1f} s | {ours / plain:.2f}× | {ours_mib:.0f} MiB | {plain_mib:.0f} MiB | {ours_mib / plain_mib:.2f}× | {validate:.2f} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
