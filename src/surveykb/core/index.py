"""Lookups over the validated knowledge base: papers by tag, year and section, the cross tables
(which also group them by modality and development stage) and related papers. Built once per build; everything the site shows comes from here."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import combinations, islice
from dataclasses import dataclass
from typing import Callable, Iterable

from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.knowledge_base import KnowledgeBase

GAP_THRESHOLD = 3
RELATED_COUNT = 5
RECENT_COUNT = 10


@dataclass(frozen=True)
class Dimension:
    """One side of a cross table: its values in display order and the values each paper has."""

    slug: str
    title: str
    values: list[tuple[str, str]]  # (key, label)
    of: Callable[[Paper], list[str]]
    node_keys: bool  # whether keys are taxonomy node ids (and so link to node pages)


@dataclass(frozen=True)
class CrossTable:
    slug: str
    title: str
    description: str
    rows: Dimension
    cols: Dimension
    cells: dict[tuple[str, str], list[str]]  # (row key, col key) -> paper ids

    def count(self, row: str, col: str) -> int:
        return len(self.cells.get((row, col), ()))


@dataclass(frozen=True)
class Index:
    taxonomy: Taxonomy
    papers: dict[str, Paper]  # by id, in id order
    shown_paths: dict[str, str]  # paper id -> record path relative to the knowledge base root
    by_node: dict[str, list[str]]  # node id (any depth) -> paper ids
    by_year: dict[int, list[str]]
    by_section: dict[str, list[str]]
    stages: dict[str, tuple[list[str], bool]]  # paper id -> (stages, stated by the record)
    related: dict[str, list[str]]
    tables: list[CrossTable]
    recent: list[str]

    def leaf_gaps(self) -> list[tuple[str, int]]:
        return [
            (node.id, len(self.by_node.get(node.id, [])))
            for axis in self.taxonomy.axes
            for node in self.taxonomy.leaves(axis)
            if len(self.by_node.get(node.id, [])) < GAP_THRESHOLD
        ]


def build_index(kb: KnowledgeBase) -> Index:
    taxonomy = kb.taxonomy
    papers = {record.paper.id: record.paper for record in sorted(kb.records, key=lambda r: r.paper.id)}
    shown_paths = {record.paper.id: record.path.relative_to(kb.root).as_posix() for record in kb.records}
    stages = {paper.id: paper.effective_stages(taxonomy) for paper in papers.values()}
    return Index(
        taxonomy=taxonomy,
        papers=papers,
        shown_paths=shown_paths,
        by_node=_by_node(taxonomy, papers),
        by_year=_group(papers, lambda p: [p.year] if p.year is not None else []),
        by_section=_group(papers, lambda p: list(p.sections)),
        stages=stages,
        related=_related(papers, taxonomy),
        tables=_tables(taxonomy, papers, stages),
        recent=_recent(papers),
    )


def _group(papers: dict[str, Paper], keys_of: Callable[[Paper], list]) -> dict:
    groups: dict = defaultdict(list)
    for paper in papers.values():
        for key in dict.fromkeys(keys_of(paper)):
            groups[key].append(paper.id)
    return dict(groups)


def _by_node(taxonomy: Taxonomy, papers: dict[str, Paper]) -> dict[str, list[str]]:
    """Each paper counts once for every node at or above its tags."""
    chains = {node_id: [node_id, *(a.id for a in taxonomy.ancestors(node_id))] for node_id in taxonomy.nodes}
    return _group(papers, lambda p: [node for tag in p.tags for node in chains[tag]])


def _related(papers: dict[str, Paper], taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Most shared tags, then the newest year, then id. Papers with the same tag set share one
    ranking, found without counting every paper that shares a tag (see `_ranking`)."""
    ranked = sorted(papers, key=lambda i: (-(papers[i].year or 0), i))
    by_tag = _group({paper_id: papers[paper_id] for paper_id in ranked}, lambda p: p.tags)
    members = {tag: set(ids) for tag, ids in by_tag.items()}
    rank = {paper_id: position for position, paper_id in enumerate(ranked)}
    ranking_of: dict[frozenset[str], list[str]] = {}
    related: dict[str, list[str]] = {}
    for paper in papers.values():
        tag_set = frozenset(paper.tags)
        if tag_set not in ranking_of:
            ranking_of[tag_set] = _ranking(sorted(tag_set), by_tag, members, rank, RELATED_COUNT + 1)
        related[paper.id] = [other for other in ranking_of[tag_set] if other != paper.id][:RELATED_COUNT]
    return related


# Walking subsets costs 2^tags set operations; past this many tags, counting shared tags is cheaper.
MAX_SUBSET_TAGS = 6


def _ranking(tags: list[str], by_tag: dict[str, list[str]], members: dict[str, set[str]], rank: dict[str, int], wanted: int) -> list[str]:
    """The first `wanted` papers by (tags shared with `tags` descending, rank). For each subset of the
    tags, largest first, the papers carrying exactly that subset come from set operations; when
    there are many, walking the subset's shortest tag list in rank order finds the first ones early.
    A paper with many tags is ranked by counting instead, in time linear in its tags' papers."""
    if len(tags) > MAX_SUBSET_TAGS:
        return _ranking_by_count(tags, by_tag, rank, wanted)
    found: list[str] = []
    for size in range(len(tags), 0, -1):
        level: list[str] = []
        for subset in combinations(tags, size):
            exact = set.intersection(*(members[tag] for tag in subset))
            exact.difference_update(*(members[tag] for tag in tags if tag not in subset))
            if len(exact) <= 4 * wanted:
                level += exact
            else:
                shortest = min(subset, key=lambda tag: len(by_tag[tag]))
                level += islice((paper_id for paper_id in by_tag[shortest] if paper_id in exact), wanted)
        found += sorted(level, key=rank.__getitem__)[: wanted - len(found)]
        if len(found) >= wanted:
            break
    return found


def _ranking_by_count(tags: list[str], by_tag: dict[str, list[str]], rank: dict[str, int], wanted: int) -> list[str]:
    """The same order as `_ranking`, from the number of tags each paper shares with `tags`."""
    shared: Counter[str] = Counter()
    for tag in tags:
        shared.update(by_tag.get(tag, ()))
    return heapq.nsmallest(wanted, shared, key=lambda paper_id: (-shared[paper_id], rank[paper_id]))


def recently_added(papers: Iterable[Paper]) -> list[str]:
    """The dated papers' ids, newest `added` first; papers added the same day by year (newest
    first), then title, then id, so that the order never depends on file names or authors."""
    dated = [paper for paper in papers if paper.added is not None]
    dated.sort(key=lambda p: (-p.added.toordinal() if p.added else 0, -(p.year or 0), p.title.casefold(), p.id))
    return [paper.id for paper in dated]


def _recent(papers: dict[str, Paper]) -> list[str]:
    return recently_added(papers.values())[:RECENT_COUNT]


def _dimensions(taxonomy: Taxonomy, papers: dict[str, Paper], stages: dict[str, tuple[list[str], bool]]) -> dict[str, Dimension]:
    parent = {node_id: node.parent or node_id for node_id, node in taxonomy.nodes.items()}
    years = sorted({paper.year for paper in papers.values() if paper.year is not None})
    d4m, m4d = taxonomy.axes[0], taxonomy.axes[1]

    def node_values(nodes: list) -> list[tuple[str, str]]:
        return [(node.id, node.short) for node in nodes]

    def groups_of(paper: Paper, axis: str) -> list[str]:
        return list(dict.fromkeys(parent[tag] for tag in getattr(paper, axis)))

    return {
        "d4m-leaves": Dimension("d4m-leaves", f"{taxonomy.nodes[d4m].name} leaves", node_values(taxonomy.leaves(d4m)), lambda p: list(getattr(p, d4m)), True),
        "m4d-leaves": Dimension("m4d-leaves", f"{taxonomy.nodes[m4d].name} roles", node_values(taxonomy.leaves(m4d)), lambda p: list(getattr(p, m4d)), True),
        "d4m-groups": Dimension("d4m-groups", f"{taxonomy.nodes[d4m].name} capability groups", node_values(taxonomy.groups(d4m)), lambda p: groups_of(p, d4m), True),
        "all-groups": Dimension(
            "all-groups",
            "Groups of both axes",
            node_values(taxonomy.groups(d4m) + taxonomy.groups(m4d)),
            lambda p: groups_of(p, d4m) + groups_of(p, m4d),
            True,
        ),
        "year": Dimension("year", "Year", [(str(year), str(year)) for year in years], lambda p: [str(p.year)] if p.year is not None else [], False),
        "modality": Dimension("modality", "Modality", [(t.id, t.name) for t in taxonomy.modalities], lambda p: list(p.modalities), False),
        "stage": Dimension("stage", "Development stage", [(t.id, t.name) for t in taxonomy.stages], lambda p: stages[p.id][0], False),
    }


TABLE_SPECS = [
    ("co-development", "Co-development matrix", "d4m-leaves", "m4d-leaves",
     "Where data helps models and models help data at once: each cell counts the papers tagged with both a Data4Model technique and a Model4Data role."),
    ("year-capability", "Papers per year and capability", "year", "d4m-groups",
     "Papers per publication year for each Data4Model capability group."),
    ("year-role", "Papers per year and model role", "year", "m4d-leaves",
     "Papers per publication year for each role a model plays for data."),
    ("modality-group", "Modalities and groups", "modality", "all-groups",
     "Papers per modality for the groups of both axes."),
    ("stage-capability", "Development stages and capabilities", "stage", "d4m-groups",
     "Papers per development stage (stated by the record or the taxonomy default) for each Data4Model capability group."),
]


def _tables(taxonomy: Taxonomy, papers: dict[str, Paper], stages: dict[str, tuple[list[str], bool]]) -> list[CrossTable]:
    dimensions = _dimensions(taxonomy, papers, stages)
    tables = []
    for slug, title, row_slug, col_slug, description in TABLE_SPECS:
        rows, cols = dimensions[row_slug], dimensions[col_slug]
        cells: dict[tuple[str, str], list[str]] = defaultdict(list)
        for paper in papers.values():
            for row in rows.of(paper):
                for col in cols.of(paper):
                    cells[(row, col)].append(paper.id)
        tables.append(CrossTable(slug, title, description, rows, cols, dict(cells)))
    return tables
