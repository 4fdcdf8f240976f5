"""`surveykb stats`: how many papers each taxonomy node has, and which leaves are thin."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from surveykb.core.index import DEFAULT_GAP_THRESHOLD
from surveykb.core.model import Paper
from surveykb.core.site_config import read_site_config
from surveykb.core.taxonomy import Node, Taxonomy

GAP_BELOW = DEFAULT_GAP_THRESHOLD


def configured_gap_threshold(root: Path) -> int:
    """The site's `gap_threshold` (the surveykb plugin option in mkdocs.yml), else the default."""
    config_file = root / "mkdocs.yml"
    try:
        config: Any = read_site_config(config_file) if config_file.is_file() else None
    except yaml.YAMLError:
        return GAP_BELOW
    plugins = config.get("plugins", []) if isinstance(config, dict) else []
    for plugin in plugins if isinstance(plugins, list) else []:
        options = plugin.get("surveykb") if isinstance(plugin, dict) else None
        if isinstance(options, dict) and isinstance(options.get("gap_threshold"), int):
            return int(options["gap_threshold"])
    return GAP_BELOW


def node_counts(taxonomy: Taxonomy, papers: Iterable[Paper]) -> dict[str, int]:
    """Papers per node: a group counts each paper tagged with any leaf beneath it once."""
    members: dict[str, set[str]] = {node_id: set() for node_id in taxonomy.nodes}
    for paper in papers:
        for tag in paper.tags:
            if tag in members:
                for node_id in [tag, *(ancestor.id for ancestor in taxonomy.ancestors(tag))]:
                    members[node_id].add(paper.id)
    return {node_id: len(ids) for node_id, ids in members.items()}


def gaps(taxonomy: Taxonomy, counts: dict[str, int], below: int = GAP_BELOW) -> list[Node]:
    """Leaves with fewer than `below` papers, in taxonomy order."""
    return [node for axis in taxonomy.axes for node in taxonomy.leaves(axis) if counts[node.id] < below]


def format_stats(taxonomy: Taxonomy, counts: dict[str, int], below: int = GAP_BELOW) -> str:
    """The node tree with counts, then the gaps."""
    width = max(2 * node.depth + len(node.id) for node in taxonomy.nodes.values())
    lines = [
        f"{'  ' * node.depth + node.id:<{width}}  {counts[node.id]:>4}  {node.name}" for node in _tree_order(taxonomy)
    ]
    thin = gaps(taxonomy, counts, below)
    lines += ["", f"Gaps: {len(thin)} leaves with fewer than {below} papers"]
    lines += [f"  {node.id:<{width}}{counts[node.id]:>4}  {node.name}{node.section_note}" for node in thin]
    return "\n".join(lines)


def _tree_order(taxonomy: Taxonomy) -> list[Node]:
    ordered: list[Node] = []

    def visit(node_id: str) -> None:
        ordered.append(taxonomy.nodes[node_id])
        for child in taxonomy.nodes[node_id].children:
            visit(child)

    for axis in taxonomy.axes:
        visit(axis)
    return ordered
