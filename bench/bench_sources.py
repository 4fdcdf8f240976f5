"""Benchmarks of the metadata commands against the replay server of tests/replay.py (127.0.0.1).

    .venv/bin/python bench/bench_sources.py discover   # 10,000 candidate works, 1,000 records
    .venv/bin/python bench/bench_sources.py refresh    # 1,000 records, arXiv's real 3 s interval

discover: OpenAlex answers 10,000 works citing the survey (50 cursor pages of 200); the figure is
`discover()` end to end (requests, parsing, the identity check and the ranking), and the ranking
alone. Target: ranking under 5 s.
refresh: 1,000 records with arXiv ids; arXiv is asked in 10 batches of 100, 3 s apart as arXiv asks
(27 s of waiting), OpenAlex once per record. Target: under 10 % over the 27 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from replay import replay_server
from synthetic import WORDS, synthetic_record

from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.taxonomy import load_taxonomy
from surveykb.formats.record_yaml import dump_record

REPO = HERE.parent
# Text with a realistic spread of words: a 6,000-word vocabulary drawn by Zipf's law (a few words
# in most texts, most words in few), so the similarity index does real work.
VOCABULARY = [*WORDS, *(f"term{n}" for n in range(6000 - len(WORDS)))]
ZIPF = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]


def text(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, weights=ZIPF, k=count))


def knowledge_base(target: Path, count: int) -> Path:
    """`count` valid synthetic records over the real taxonomy, each venue canonical."""
    import shutil

    shutil.copytree(REPO / "taxonomy", target / "taxonomy")
    (target / "papers").mkdir()
    taxonomy, _ = load_taxonomy(target / "taxonomy")
    assert taxonomy is not None
    rng = random.Random(7)
    for number in range(count):
        record = synthetic_record(number, taxonomy, rng)
        record["venue"] = f"NeurIPS {record['year']}"
        record["title"] = f"{text(rng, 9).capitalize()} {number}"
        record["summary"] = text(rng, 40)
        (target / "papers" / f"{record['id']}.yaml").write_text(dump_record(record), encoding="utf-8")
    return target


def openalex_work(number: int, rng: random.Random, references: list[str], doi: str) -> dict[str, object]:
    abstract = text(rng, 150).split()
    index: dict[str, list[int]] = {}
    for position, word in enumerate(abstract):
        index.setdefault(word, []).append(position)
    return {
        "id": f"https://openalex.org/W9{number:07d}", "doi": f"https://doi.org/{doi}",
        "title": text(rng, 9).capitalize(), "publication_year": 2025,
        "authorships": [{"author": {"display_name": f"Author {number}"}}], "abstract_inverted_index": index,
        "referenced_works": [f"https://openalex.org/{ref}" for ref in references], "cited_by_count": rng.randint(0, 50),
    }  # fmt: skip


def bench_discover() -> None:
    from surveykb.commands.discover import discover, rank_candidates
    from surveykb.sources.http import Fetcher
    from surveykb.sources.openalex import citing_works

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as scratch, replay_server() as replay:
        kb, _ = load_knowledge_base(knowledge_base(Path(scratch), 1000))
        assert kb is not None and len(kb.records) == 1000, "the synthetic knowledge base must be valid"
        replay.state.citing = [openalex_work(n, rng, ["W4400SURVEY"], f"10.5555/candidate.{n}") for n in range(10_000)]
        replay.state.page_size = 200
        config = replay.config(timeout=30.0)
        started = time.perf_counter()
        found = discover(kb, Fetcher(config), limit=50)
        total = time.perf_counter() - started
        works = list(citing_works(Fetcher(config), ["W4400SURVEY"]))
        started = time.perf_counter()
        ranked = rank_candidates(works, kb, {}, "W4400SURVEY", 2)
        ranking = time.perf_counter() - started
    print(
        f"discover: {found.examined} works examined, {len(ranked)} ranked; end to end {total:.2f} s, ranking alone {ranking:.2f} s (target < 5 s)"
    )


def bench_refresh() -> None:
    from surveykb.commands.refresh import refresh, refreshable
    from surveykb.sources.http import Fetcher

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as scratch, replay_server() as replay:
        kb, _ = load_knowledge_base(knowledge_base(Path(scratch), 1000))
        assert kb is not None
        records = refreshable(kb)
        for record in records:
            paper = record.paper
            authors = "".join(f"<author><name>{name}</name></author>" for name in paper.authors)
            replay.state.entries[paper.arxiv or ""] = (
                f'<entry xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/abs/{paper.arxiv}v1</id>'
                f"<published>{paper.year}-01-01T00:00:00Z</published><title>{paper.title}</title>{authors}</entry>"
            )
        replay.state.citing = [
            openalex_work(n, rng, [], f"10.48550/arxiv.{record.paper.arxiv}") for n, record in enumerate(records)
        ]
        fetcher = Fetcher(replay.config(arxiv_interval=3.0, timeout=30.0))
        started = time.perf_counter()
        result = refresh(records, fetcher, kb.taxonomy.venues)
        total = time.perf_counter() - started
    batches = -(-len(records) // 100)
    implied = 3.0 * (batches - 1)
    print(
        f"refresh: {len(result.reports)} records, {fetcher.requests} requests, {total:.2f} s against {implied:.0f} s of arXiv waits "
        f"implied: +{100 * (total - implied) / implied:.1f} % (target < 10 %)"
    )


if __name__ == "__main__":
    which = sys.argv[1:] or ["discover", "refresh"]
    if "discover" in which:
        bench_discover()
    if "refresh" in which:
        bench_refresh()
