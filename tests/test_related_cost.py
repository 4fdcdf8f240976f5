"""Related papers cost time linear in a paper's tags: a record with every leaf is ranked by counting
shared tags, in the same order the subset walk gives for few tags."""

from __future__ import annotations

import time

from conftest import FIXTURE_KB, TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from surveykb.core import index as index_module
from surveykb.core.index import _ranking, _ranking_by_count
from surveykb.core.model import Paper
from surveykb.core.taxonomy import load_taxonomy

TAGS = [f"t{number}" for number in range(8)]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    tag_sets=st.lists(st.sets(st.sampled_from(TAGS), min_size=1, max_size=5), min_size=1, max_size=40),
    query=st.sets(st.sampled_from(TAGS), min_size=1, max_size=6),
    wanted=st.integers(1, 8),
)
def test_counting_ranks_as_the_subset_walk_does(tag_sets: list[set[str]], query: set[str], wanted: int) -> None:
    ranked = [f"p{number:03d}" for number in range(len(tag_sets))]
    by_tag: dict[str, list[str]] = {}
    for paper_id, tags in zip(ranked, tag_sets):
        for tag in sorted(tags):
            by_tag.setdefault(tag, []).append(paper_id)
    members = {tag: set(ids) for tag, ids in by_tag.items()}
    for tag in query:
        by_tag.setdefault(tag, [])
        members.setdefault(tag, set())
    rank = {paper_id: position for position, paper_id in enumerate(ranked)}
    tags = sorted(query)
    assert _ranking_by_count(tags, by_tag, rank, wanted) == _ranking(tags, by_tag, members, rank, wanted)


def test_papers_with_every_leaf_are_ranked_in_bounded_time() -> None:
    taxonomy, _ = load_taxonomy(FIXTURE_KB / "taxonomy")
    assert taxonomy is not None
    leaves = {axis: [leaf.id for leaf in taxonomy.leaves(axis)] for axis in taxonomy.axes}
    context = {"taxonomy": taxonomy, "today": TODAY}
    papers = {}
    for number in range(400):
        every = number % 40 == 0  # ten papers carry every leaf of both axes
        d4m = leaves["data4model"] if every else leaves["data4model"][number % 5 : number % 5 + 2]
        m4d = leaves["model4data"] if every else leaves["model4data"][number % 3 : number % 3 + 1]
        data = {
            "id": f"p{number:03d}",
            "title": f"Paper {number}",
            "year": 2020 + number % 5,
            "data4model": d4m,
            "model4data": m4d,
        }
        papers[data["id"]] = Paper.model_validate(data, context=context)
    assert len(leaves["data4model"]) + len(leaves["model4data"]) > index_module.MAX_SUBSET_TAGS + 10
    started = time.perf_counter()
    related = index_module._related(papers, taxonomy)
    assert time.perf_counter() - started < 2.0
    assert len(related["p000"]) == index_module.RELATED_COUNT
    assert related["p000"] == ["p040", "p080", "p120", "p160", "p200"]  # papers with every leaf first
