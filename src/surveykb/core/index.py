"""Lookups over the validated knowledge base: papers by tag, year and section, the cross tables
(every pair of axes, and each axis against year, modality and stage), their gaps, and related
papers. Built once per build; everything the site shows comes from here, for any taxonomy."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations, islice

from surveykb.core.knowledge_base import KnowledgeBase
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Node, Taxonomy

# A cell or leaf with fewer papers than this is thin; the site's `gap_threshold` option overrides it.
DEFAULT_GAP_THRESHOLD = 3
# An axis is shown against year, modality and stage at the deepest level of its tree that has at
# most this many nodes (a stack or a table header stays legible).
MAX_COLUMNS = 8
RELATED_COUNT = 5
RECENT_COUNT = 10


@dataclass(frozen=True)
class Dimension:
    """One side of a cross table: its values in display order and the values each paper has."""

    slug: str  # an axis id, or "year", "modality", "stage"
    title: str
    values: list[tuple[str, str]]  # (key, label)
    of: Callable[[Paper], list[str]]
    node_keys: bool  # whether keys are taxonomy node ids (and so link to node pages)
    axis: str | None = None  # the axis whose nodes the keys are


@dataclass(frozen=True)
class Gap:
    """A hole of a cross table: a thin cell whose row and column are both well populated, holding
    fewer papers than the `expected` number if a paper's row and column were independent;
    `surprise` is the chance of `count` or fewer papers then (the smaller, the more surprising)."""

    row: str
    col: str
    count: int
    expected: float
    surprise: float


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

    @property
    def pairs_axes(self) -> bool:
        """Whether both sides are axes (the tables whose holes the gaps page lists)."""
        return self.rows.axis is not None and self.cols.axis is not None

    def row_papers(self, row: str) -> set[str]:
        """The papers of a row that have a value on the columns' side (the row's "Papers")."""
        return set().union(*(self.cells.get((row, col), ()) for col, _ in self.cols.values))

    def col_papers(self, col: str) -> set[str]:
        return set().union(*(self.cells.get((row, col), ()) for row, _ in self.rows.values))

    def papers(self) -> set[str]:
        """Every paper with a value on both sides."""
        return set().union(*self.cells.values())

    def gaps(self, threshold: int) -> list[Gap]:
        """The holes: cells with fewer than `threshold` papers, and fewer than expected, whose row
        and column each hold at least `threshold` papers of the table; most surprising first."""
        total = len(self.papers())
        rows = {row: len(self.row_papers(row)) for row, _ in self.rows.values}
        cols = {col: len(self.col_papers(col)) for col, _ in self.cols.values}
        found = []
        for row, col in (
            (row, col) for row in rows if rows[row] >= threshold for col in cols if cols[col] >= threshold
        ):
            count, expected = self.count(row, col), rows[row] * cols[col] / total
            if count < threshold and count < expected:
                found.append(Gap(row, col, count, round(expected, 1), poisson_at_most(count, expected)))
        return sorted(found, key=lambda gap: (gap.surprise, -gap.expected, gap.row, gap.col))


def poisson_at_most(count: int, mean: float) -> float:
    """P(X <= count) for X ~ Poisson(mean): small when `count` is surprisingly low."""
    return sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count + 1))


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
    gap_threshold: int = DEFAULT_GAP_THRESHOLD

    def leaf_gaps(self) -> list[tuple[str, int]]:
        return [
            (node.id, len(self.by_node.get(node.id, [])))
            for axis in self.taxonomy.axes
            for node in self.taxonomy.leaves(axis)
            if len(self.by_node.get(node.id, [])) < self.gap_threshold
        ]

    def table(self, slug: str) -> CrossTable:
        return next(table for table in self.tables if table.slug == slug)

    def axis_tables(self, kind: str) -> dict[str, CrossTable]:
        """The tables of each axis against `kind` ("year", "modality", "stage"), by axis."""
        return {
            table.cols.axis: table for table in self.tables if table.rows.slug == kind and table.cols.axis is not None
        }

    def pair_tables(self) -> list[CrossTable]:
        return [table for table in self.tables if table.pairs_axes]


def build_index(kb: KnowledgeBase, gap_threshold: int = DEFAULT_GAP_THRESHOLD) -> Index:
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
        gap_threshold=gap_threshold,
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


def _ranking(
    tags: list[str], by_tag: dict[str, list[str]], members: dict[str, set[str]], rank: dict[str, int], wanted: int
) -> list[str]:
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


def axis_level(taxonomy: Taxonomy, axis: str, most: int = MAX_COLUMNS) -> list[Node]:
    """The nodes an axis is summarised by: the deepest cut through its tree (the nodes at one depth,
    with the leaves above that depth) that has at most `most` nodes, and at least the axis's children."""
    below = [node for node in taxonomy.nodes.values() if node.axis == axis and node.parent is not None]
    deepest = max((node.depth for node in below), default=1)
    chosen: list[Node] = []
    for depth in range(1, deepest + 1):
        cut = [node for node in below if node.depth == depth or (node.depth < depth and not node.children)]
        if depth > 1 and len(cut) > most:
            break
        chosen = cut
    order = {node_id: position for position, node_id in enumerate(_tree_order(taxonomy, axis))}
    return sorted(chosen, key=lambda node: order[node.id])


def _tree_order(taxonomy: Taxonomy, node_id: str) -> list[str]:
    return [node_id, *(n for child in taxonomy.nodes[node_id].children for n in _tree_order(taxonomy, child))]


def _leaf_dimension(taxonomy: Taxonomy, axis: str) -> Dimension:
    name = taxonomy.nodes[axis].name
    leaves = [(node.id, node.short) for node in taxonomy.leaves(axis)]
    return Dimension(axis, name, leaves, lambda p: list(p.tags_of(axis)), True, axis)


def _level_dimension(taxonomy: Taxonomy, axis: str) -> Dimension:
    level = axis_level(taxonomy, axis)
    keys = {node.id for node in level}
    # A tag counts for the node of the level at or above it (a tag above the level has none).
    above = {}
    for node_id, node in taxonomy.nodes.items():
        chain = [node_id, *(a.id for a in taxonomy.ancestors(node_id))]
        if node.axis == axis:
            above[node_id] = next((n for n in chain if n in keys), None)

    def of(paper: Paper) -> list[str]:
        return [key for key in dict.fromkeys(above[tag] for tag in paper.tags_of(axis)) if key is not None]

    return Dimension(axis, taxonomy.nodes[axis].name, [(node.id, node.short) for node in level], of, True, axis)


def _other_dimensions(
    taxonomy: Taxonomy, papers: dict[str, Paper], stages: dict[str, tuple[list[str], bool]]
) -> list[Dimension]:
    years = sorted({paper.year for paper in papers.values() if paper.year is not None})
    return [
        Dimension(
            "year",
            "Year",
            [(str(year), str(year)) for year in years],
            lambda p: [str(p.year)] if p.year is not None else [],
            False,
        ),
        Dimension(
            "modality", "Modality", [(t.id, t.name) for t in taxonomy.modalities], lambda p: list(p.modalities), False
        ),
        Dimension("stage", "Stage", [(t.id, t.name) for t in taxonomy.stages], lambda p: stages[p.id][0], False),
    ]


def _table_specs(
    taxonomy: Taxonomy, papers: dict[str, Paper], stages: dict[str, tuple[list[str], bool]]
) -> list[tuple[str, str, str, Dimension, Dimension]]:
    """(slug, title, description, rows, columns) of every table: each pair of axes (the axis with
    more leaves down the side, so the header stays short), then each axis against each other dimension."""
    specs = []
    for first, second in combinations(taxonomy.axes, 2):
        rows, cols = _leaf_dimension(taxonomy, first), _leaf_dimension(taxonomy, second)
        if len(cols.values) > len(rows.values):
            rows, cols = cols, rows
        description = f"Each cell counts the papers tagged with both its {rows.title} leaf (row) and its {cols.title} leaf (column)."
        specs.append((f"{rows.slug}-{cols.slug}", f"{rows.title} × {cols.title}", description, rows, cols))
    for other in _other_dimensions(taxonomy, papers, stages):
        for axis in taxonomy.axes:
            cols = _level_dimension(taxonomy, axis)
            what = {
                "year": "publication year",
                "modality": "modality",
                "stage": "stage (the record's own, else the taxonomy default of its tags)",
            }[other.slug]
            description = f"Each cell counts the papers of one {what} (row) with a tag in one {cols.title} node (column); a paper counts once in every cell it belongs to."
            specs.append((f"{other.slug}-{axis}", f"{cols.title} by {other.title.lower()}", description, other, cols))
    return specs


def _tables(
    taxonomy: Taxonomy, papers: dict[str, Paper], stages: dict[str, tuple[list[str], bool]]
) -> list[CrossTable]:
    tables = []
    for slug, title, description, rows, cols in _table_specs(taxonomy, papers, stages):
        cells: dict[tuple[str, str], list[str]] = defaultdict(list)
        for paper in papers.values():
            for row in rows.of(paper):
                for col in cols.of(paper):
                    cells[(row, col)].append(paper.id)
        tables.append(CrossTable(slug, title, description, rows, cols, dict(cells)))
    return tables
