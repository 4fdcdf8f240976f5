"""Layout of an axis as a left-to-right tree picture (an SVG drawn by the home template)."""

from __future__ import annotations

from typing import Any

from surveykb.core.taxonomy import Taxonomy

ROW_HEIGHT = 26
BOX_HEIGHT = 20
COLUMN_GAP = 18  # between the boxes of one depth and the next
MARGIN = 4
TEXT_INSET = 6
CHAR_WIDTH = 6.5  # a generous average advance of the 12px sans-serif labels
CURVE = 10  # how far an edge's control points reach out of its boxes


def axis_tree(taxonomy: Taxonomy, axis: str, by_node: dict[str, list[str]]) -> dict[str, Any]:
    """Boxes (one per node, with its paper count) and the edges between them, in pixels.

    Leaves take one row each, top to bottom; an inner node sits level with the middle of its leaves.
    Each depth is a column as wide as its longest label, so the picture is drawn at its own size.
    """
    entries = _entries(taxonomy, axis, by_node)
    widths: dict[int, int] = {}
    for entry in entries:
        widths[entry["depth"]] = max(widths.get(entry["depth"], 0), _label_width(entry))
    lefts = {depth: MARGIN + sum(widths[d] + COLUMN_GAP for d in range(depth)) for depth in sorted(widths)}
    boxes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    next_row = [0]

    def place(node_id: str) -> float:
        node = taxonomy.nodes[node_id]
        if node.children:
            child_rows = [place(child) for child in node.children]
            row = (child_rows[0] + child_rows[-1]) / 2
        else:
            row = next_row[0]
            next_row[0] += 1
        x, width = lefts[node.depth], widths[node.depth]
        y = MARGIN + row * ROW_HEIGHT
        boxes.append(
            {
                "id": node.id,
                "name": node.name,
                "color": node.color,
                "url": f"taxonomy/{node.id}/",
                "width": width,
                "count": len(by_node.get(node.id, [])),
                "x": x,
                "y": round(y),
                "text_x": x + TEXT_INSET,
                "text_y": round(y + BOX_HEIGHT * 0.7),
            }
        )
        for child in node.children:
            child_box = next(box for box in boxes if box["id"] == child)
            edges.append(_edge(x + width, round(y + BOX_HEIGHT / 2), child_box["x"], child_box["y"] + BOX_HEIGHT // 2))
        return row

    place(axis)
    deepest = max(widths)
    return {
        "axis": taxonomy.nodes[axis].name,
        "entries": entries,
        "boxes": sorted(boxes, key=lambda box: (box["x"], box["y"])),
        "edges": edges,
        "width": lefts[deepest] + widths[deepest] + MARGIN,
        "height": MARGIN * 2 + (next_row[0] - 1) * ROW_HEIGHT + BOX_HEIGHT,
        "box_height": BOX_HEIGHT,
    }


def _label_width(entry: dict[str, Any]) -> int:
    return round(len(f"{entry['name']} ({entry['count']})") * CHAR_WIDTH) + 2 * TEXT_INSET


def _edge(x1: int, y1: int, x2: int, y2: int) -> dict[str, Any]:
    """An edge from a parent's right side to a child's left side, as an SVG cubic curve."""
    return {
        "x1": x1,
        "y1": y1,
        "x2": x2,
        "y2": y2,
        "path": f"M{x1},{y1} C{x1 + CURVE},{y1} {x2 - CURVE},{y2} {x2},{y2}",
    }


def _entries(taxonomy: Taxonomy, node_id: str, by_node: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The tree as an indented list in reading order, the form that reflows on a narrow screen."""
    node = taxonomy.nodes[node_id]
    item = {
        "id": node.id,
        "name": node.name,
        "color": node.color,
        "url": f"taxonomy/{node.id}/",
        "count": len(by_node.get(node.id, [])),
        "depth": node.depth,
    }
    return [item, *(entry for child in node.children for entry in _entries(taxonomy, child, by_node))]
