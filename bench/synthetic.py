"""Synthetic knowledge bases for the benchmarks: N valid records over the real taxonomy."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from surveykb.core.taxonomy import Taxonomy, load_taxonomy
from surveykb.formats.record_yaml import dump_record

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "visual instruction tuning multimodal data scaling benchmark reasoning video audio chart synthetic "
    "caption alignment retrieval diffusion grounding curation filter judge hallucination preference"
).split()
VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "arXiv", "TPAMI"]


def synthetic_record(number: int, taxonomy: Taxonomy, rng: random.Random) -> dict[str, object]:
    d4m = [leaf.id for leaf in taxonomy.leaves(taxonomy.axes[0])]
    m4d = [leaf.id for leaf in taxonomy.leaves(taxonomy.axes[1])]
    year = rng.randint(2018, 2025)
    venue = rng.choice(VENUES)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize() + f" {number}"
    return {
        "id": f"paper{number:05d}",
        "title": title,
        "authors": [f"Author{rng.randint(1, 5000)} Surname{rng.randint(1, 5000)}" for _ in range(rng.randint(1, 6))],
        "year": year,
        "venue": _venue(venue, year),
        "arxiv": f"{year % 100:02d}{rng.randint(1, 12):02d}.{number:05d}",
        "modalities": rng.sample(taxonomy.modality_ids, rng.randint(1, 2)),
        "data4model": rng.sample(d4m, rng.randint(1, 2)),
        "model4data": rng.sample(m4d, rng.randint(0, 2)),
        "sections": rng.sample(taxonomy.section_ids, rng.randint(1, 3)),
        "summary": " ".join(rng.choice(WORDS) for _ in range(30)),
        "added": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def _venue(name: str, year: int) -> str:
    """A canonical venue of taxonomy/venues.yaml: a preprint is `arXiv` alone, others carry the year."""
    return name if name == "arXiv" else f"{name} {year}"


def make_knowledge_base(target: Path, count: int, seed: int = 7) -> Path:
    """A copy of the repository's site set-up with `count` synthetic records in papers/."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "templates", "taxonomy"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    taxonomy, problems = load_taxonomy(target / "taxonomy")
    assert taxonomy is not None, problems
    rng = random.Random(seed)
    papers = target / "papers"
    papers.mkdir()
    for number in range(count):
        record = synthetic_record(number, taxonomy, rng)
        (papers / f"{record['id']}.yaml").write_text(dump_record(record), encoding="utf-8")
    return target


def _venue(name: str, year: int) -> str:
    """A canonical venue (taxonomy/venues.yaml): a preprint server has no year."""
    return name if name == "arXiv" else f"{name} {year}"
