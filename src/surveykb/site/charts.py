"""Layouts of the Charts page: bars, segments and cells in pixels, with the counts behind them.

Each chart's data table is built from the same counts as its shapes, so the table shows exactly the
numbers drawn. Colours are "#rrggbb"; links are relative to the site root, like every page context.
"""

from __future__ import annotations

import colorsys
from collections import Counter
from itertools import count
from typing import Any

from surveykb.core.index import CrossTable, Index
from surveykb.core.taxonomy import Node
from surveykb.core.urls import cell_url, node_url

CHAR_WIDTH = 6.5  # a generous average advance of the 12px sans-serif labels
TICK_LABEL_WIDTH = 44
DARKEST_SHADE = 0.35  # lightness of the last of several series sharing one taxonomy colour
HEAT_LIGHT, HEAT_DARK = "#dde3f7", "#3949ab"  # the dark end stays visible on the slate scheme too

YEAR_PLOT_HEIGHT = 240
YEAR_BAR_WIDTH = 40
YEAR_BAR_GAP = 24
NARROW_BAR_WIDTH, NARROW_BAR_GAP = 28, 10  # the year charts on a phone
YEAR_TOP = 24  # room for the totals above the bars
YEAR_BOTTOM = 30  # room for the year labels
LEGEND_GAP = 28
LEGEND_ROW = 20
SWATCH = 12

HEAT_CELL_HEIGHT = 24
HEAT_MIN_CELL_WIDTH = 56
HEAT_HEADER = 28
HEAT_LEGEND = 36
HEAT_SWATCH_WIDTH, HEAT_SWATCH_HEIGHT = 40, 18
# On a phone: cells share this width, each row's label sits above its cells, column labels turn.
HEAT_NARROW_GRID, HEAT_NARROW_MIN_CELL, HEAT_NARROW_ROW = 330, 26, 42
HEAT_LEGEND_LABEL = 12  # room left of the narrow legend's first swatch for its "Papers" label

FREQ_PLOT_WIDTH = 260
FREQ_NARROW_PLOT_WIDTH, FREQ_NARROW_ROW = 280, 36  # on a phone: each label above its bar
FREQ_ROW = 22
FREQ_BAR_HEIGHT = 16
FREQ_HEADING = 30
FREQ_COUNT_ROOM = 32
FREQ_BOTTOM = 30


def all_charts(index: Index) -> dict[str, Any]:
    """Every chart of the Charts page: papers per year for each axis, a heat map for each pair of
    axes, and the tag frequency."""
    names = index.taxonomy.nodes
    return {
        "years": [year_chart(index, table.slug, names[axis].name) for axis, table in index.axis_tables("year").items()],
        "heat_maps": [heat_map(index, table.slug) for table in index.pair_tables()],
        "tag_frequency": tag_frequency(index),
    }


# Shared pieces ---------------------------------------------------------------------------------


def cross_table(index: Index, slug: str) -> CrossTable:
    return index.table(slug)


def text_width(text: str) -> int:
    return round(len(text) * CHAR_WIDTH)


def axis_ticks(maximum: int, most: int = 6) -> list[int]:
    """Evenly spaced ticks from 0 to the first multiple of a 1-2-5 step that reaches `maximum`
    (at least 1), with at most `most` steps."""
    top = max(maximum, 1)
    for magnitude in count():
        for multiple in (1, 2, 5):
            step = multiple * 10**magnitude
            steps = -(-top // step)
            if steps <= most:
                return [step * i for i in range(steps + 1)]
    raise AssertionError("unreachable")


def distinct_shades(colors: list[str]) -> list[str]:
    """One fill per series: series that share a taxonomy colour (hex without '#') step from that
    colour towards a darker one of the same hue, so stacked neighbours stay distinguishable."""
    totals = Counter(colors)
    seen: Counter[str] = Counter()
    shades = []
    for color in colors:
        shades.append(_shade(color, seen[color], totals[color]))
        seen[color] += 1
    return shades


def _shade(color: str, step: int, steps: int) -> str:
    if steps == 1:
        return f"#{color}"
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(color))
    darkest = min(DARKEST_SHADE, lightness)
    return _hex(colorsys.hls_to_rgb(hue, lightness - (lightness - darkest) * step / (steps - 1), saturation))


def heat_fill(value: int, maximum: int) -> str:
    """The heat map's colour of a count: from light (1) to dark (the largest count)."""
    fraction = 0.0 if maximum <= 1 else (value - 1) / (maximum - 1)
    light, dark = _rgb(HEAT_LIGHT.lstrip("#")), _rgb(HEAT_DARK.lstrip("#"))
    return _hex(tuple(a + (b - a) * fraction for a, b in zip(light, dark)))


def is_dark(fill: str) -> bool:
    """Whether text on this fill should be light (relative luminance below one half)."""
    red, green, blue = _rgb(fill.lstrip("#"))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5


def _rgb(color: str) -> tuple[float, float, float]:
    return (int(color[0:2], 16) / 255, int(color[2:4], 16) / 255, int(color[4:6], 16) / 255)


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def _papers(number: int) -> str:
    return f"{number} paper" if number == 1 else f"{number} papers"


# Papers per year, stacked ----------------------------------------------------------------------


def year_chart(index: Index, table_slug: str, series_title: str) -> dict[str, Any]:
    """Vertical bars per publication year (every year from the first to the last, empty ones too),
    stacked by the columns of a year cross table, first column at the bottom. A paper counts once
    in every column it belongs to, so a bar's stack can exceed its papers: the papers of that year
    with a tag in one of the columns, each counted once, the number the cross table shows.

    The layout has the legend beside the bars; `narrow` is the same chart for a phone, with thinner
    bars and the legend below them, its text as large."""
    table = cross_table(index, table_slug)
    years = list(range(min(index.by_year), max(index.by_year) + 1)) if index.by_year else []
    series = _year_series(index, table)
    counts = {year: [table.count(str(year), s["key"]) for s in series] for year in years}
    totals = {year: sum(row) for year, row in counts.items()}
    wide = _year_layout(index, table, series, counts, YEAR_BAR_WIDTH, YEAR_BAR_GAP, legend_below=False)
    return {
        "slug": table.slug,
        "series_title": series_title,
        "table_url": f"tables/{table.slug}/",
        "empty": not years,
        "title": f"Papers per year by {series_title}",
        "alt": _year_alt(index, table, series, series_title, counts, totals),
        **wide,
        "narrow": _year_layout(index, table, series, counts, NARROW_BAR_WIDTH, NARROW_BAR_GAP, legend_below=True),
        "swatch": SWATCH,
        "undated": sum(paper.year is None for paper in index.papers.values()),
        "table": _year_table(series, wide["bars"]),
    }


def _year_layout(
    index: Index,
    table: CrossTable,
    series: list[dict[str, Any]],
    counts: dict[int, list[int]],
    bar_width: int,
    bar_gap: int,
    *,
    legend_below: bool,
) -> dict[str, Any]:
    ticks = axis_ticks(max((sum(row) for row in counts.values()), default=0))
    unit = YEAR_PLOT_HEIGHT / ticks[-1]
    baseline = YEAR_TOP + YEAR_PLOT_HEIGHT
    lefts = [TICK_LABEL_WIDTH + bar_gap + i * (bar_width + bar_gap) for i in range(len(counts) + 1)]
    bars = [
        _year_bar(index, table, series, year, counts[year], x, bar_width, unit, baseline)
        for year, x in zip(counts, lefts)
    ]
    plot_right = lefts[-1]
    legend_width = SWATCH + 6 + max((text_width(s["label"]) for s in series), default=0)
    if legend_below:
        top = baseline + YEAR_BOTTOM + 8
        legend = [_legend_entry(s, TICK_LABEL_WIDTH, top + row * LEGEND_ROW) for row, s in enumerate(reversed(series))]
        width, height = max(plot_right, TICK_LABEL_WIDTH + legend_width) + 8, top + len(series) * LEGEND_ROW
    else:
        legend = [
            _legend_entry(s, plot_right + LEGEND_GAP, YEAR_TOP + row * LEGEND_ROW)
            for row, s in enumerate(reversed(series))
        ]
        width, height = (
            plot_right + LEGEND_GAP + legend_width + 8,
            max(baseline + YEAR_BOTTOM, YEAR_TOP + len(series) * LEGEND_ROW),
        )
    return {
        "width": width,
        "height": height,
        "plot": {"left": TICK_LABEL_WIDTH, "right": plot_right, "top": YEAR_TOP, "bottom": baseline},
        "ticks": [_year_tick(tick, round(baseline - tick * unit, 2)) for tick in ticks],
        "bars": bars,
        "legend": legend,
    }


def _year_tick(value: int, y: float) -> dict[str, Any]:
    return {"value": value, "y": y, "label_x": TICK_LABEL_WIDTH - 6, "label_y": round(y + 4, 2)}


def _legend_entry(series: dict[str, Any], x: int, y: int) -> dict[str, Any]:
    return {**series, "x": x, "y": y, "text_x": x + SWATCH + 6, "text_y": y + SWATCH - 1}


def _year_table(series: list[dict[str, Any]], bars: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [
        {
            "label": str(bar["year"]),
            "cells": [{"count": s["count"], "url": s["url"]} for s in bar["all_segments"]],
            "total": bar["total"],
            "papers": bar["papers"],
            "untagged": bar["untagged"],
        }
        for bar in bars
    ]
    return {"corner": "Year", "columns": [s["label"] for s in series], "rows": rows}


def _year_series(index: Index, table: CrossTable) -> list[dict[str, Any]]:
    nodes = index.taxonomy.nodes
    keys = [key for key, _ in table.cols.values]
    fills = distinct_shades([nodes[key].color for key in keys])
    return [
        {"key": key, "label": label, "name": nodes[key].name, "url": node_url(key), "fill": fill}
        for (key, label), fill in zip(table.cols.values, fills)
    ]


def _year_bar(
    index: Index,
    table: CrossTable,
    series: list[dict[str, Any]],
    year: int,
    counts: list[int],
    x: int,
    bar_width: int,
    unit: float,
    baseline: int,
) -> dict[str, Any]:
    segments = []
    below = 0
    for s, number in zip(series, counts):
        segments.append(
            {
                "key": s["key"],
                "label": s["label"],
                "fill": s["fill"],
                "count": number,
                "x": x,
                "y": round(baseline - (below + number) * unit, 2),
                "height": round(number * unit, 2),
                "url": cell_url(table.slug, str(year), s["key"]) if number else None,
                "tooltip": f"{s['name']}, {year}: {_papers(number)}",
            }
        )
        below += number
    papers = len(table.row_papers(str(year)))
    return {
        "year": year,
        "x": x,
        "width": bar_width,
        "center": x + bar_width // 2,
        "total": below,
        "papers": papers,
        "total_y": round(baseline - below * unit - 6, 2),
        "label_y": baseline + 18,
        "tooltip": f"{year}: {_papers(papers)}, {below} in the stack",
        "untagged": len(index.by_year.get(year, [])) - papers,
        "segments": [segment for segment in segments if segment["count"]],
        "all_segments": segments,
    }


def _year_alt(
    index: Index,
    table: CrossTable,
    series: list[dict[str, Any]],
    series_title: str,
    counts: dict[int, list[int]],
    totals: dict[int, int],
) -> str:
    if not counts:
        return f"Stacked bar chart of papers per year by {series_title}: no paper has a year yet."
    first, last = min(counts), max(counts)
    tallest = max(totals, key=lambda year: (totals[year], -year))
    per_series: list[int] = [sum(row[i] for row in counts.values()) for i in range(len(series))]
    text = (
        f"Stacked bar chart of papers per publication year from {first} to {last}, one segment per {series_title} node. "
        f"The tallest bar is {tallest}: {_papers(len(table.row_papers(str(tallest))))} stacking to {totals[tallest]}."
    )
    most = max(per_series, default=0)
    if most:
        text += f" Over all years, {series[per_series.index(most)]['label']} has the most papers ({most})."
    undated = sum(paper.year is None for paper in index.papers.values())
    if undated:
        text += f" Not shown: {_papers(undated)} without a year."
    return text


# Heat maps of two axes --------------------------------------------------------------------------


def heat_map(index: Index, table_slug: str) -> dict[str, Any]:
    """One cell per (row, column) of a cross table, shaded by its count; non-empty cells link to
    their cell pages, and row and column labels to their taxonomy nodes. The layout has each row's
    label left of its cells; `narrow` (for a phone) puts it above them and turns the column labels."""
    table = cross_table(index, table_slug)
    largest = max((table.count(r, c) for r, _ in table.rows.values for c, _ in table.cols.values), default=0)
    wide = _heat_layout(table, largest, narrow=False)
    rows = wide["rows"]
    return {
        "slug": table.slug,
        "title": table.title,
        "row_title": table.rows.title,
        "col_title": table.cols.title,
        "alt": _heat_alt(table, rows, largest),
        **wide,
        "narrow": _heat_layout(table, largest, narrow=True),
        "swatch_width": HEAT_SWATCH_WIDTH,
        "swatch_height": HEAT_SWATCH_HEIGHT,
        "table": {
            "corner": table.rows.title,
            "columns": [c["label"] for c in wide["columns"]],
            "rows": [
                {
                    "label": r["label"],
                    "url": r["url"],
                    "cells": [{"count": c["count"], "url": c["url"]} for c in r["cells"]],
                    "total": r["total"],
                }
                for r in rows
            ],
        },
    }


def _heat_layout(table: CrossTable, largest: int, *, narrow: bool) -> dict[str, Any]:
    label_width = max((text_width(label) for _, label in table.rows.values), default=0) + 12
    col_labels = max((text_width(label) for _, label in table.cols.values), default=0)
    if narrow:
        left, cell_width = (
            4,
            max(HEAT_NARROW_MIN_CELL, min(HEAT_MIN_CELL_WIDTH, HEAT_NARROW_GRID // max(len(table.cols.values), 1))),
        )
        header, pitch, cells_below = col_labels + 14, HEAT_NARROW_ROW, 16
    else:
        left, cell_width = (
            label_width,
            max([HEAT_MIN_CELL_WIDTH, *(text_width(label) + 12 for _, label in table.cols.values)]),
        )
        header, pitch, cells_below = HEAT_HEADER, HEAT_CELL_HEIGHT, 0
    columns = []
    for i, (key, label) in enumerate(table.cols.values):
        center = left + i * cell_width + cell_width // 2
        columns.append(
            {
                "key": key,
                "label": label,
                "url": node_url(key) if table.cols.node_keys else None,
                "center": center,
                "x": center + 4 if narrow else center,
                "y": header - 8 if narrow else header - 10,
                "turned": narrow,
            }
        )
    rows = [
        _heat_row(table, key, label, header + i * pitch + cells_below, left, cell_width, largest)
        for i, (key, label) in enumerate(table.rows.values)
    ]
    for row in rows:
        row.update(
            {"label_x": left + 2, "label_y": row["y"] - 4, "anchor": "start"}
            if narrow
            else {"label_x": label_width - 8, "label_y": row["text_y"], "anchor": "end"}
        )
    grid_bottom = header + len(rows) * pitch
    legend_x = left + HEAT_LEGEND_LABEL if narrow else label_width
    return {
        "width": max(left + len(columns) * cell_width, label_width, legend_x + 5 * (HEAT_SWATCH_WIDTH + 4)) + 8
        if narrow
        else label_width + len(columns) * cell_width + 8,
        "height": grid_bottom + HEAT_LEGEND,
        "cell_width": cell_width,
        "cell_height": HEAT_CELL_HEIGHT,
        "label_x": label_width - 8,
        "header_y": header - 10,
        "columns": columns,
        "rows": rows,
        "legend": _heat_legend(largest, legend_x, grid_bottom + 12),
        "legend_title": _heat_legend_title(largest, legend_x, grid_bottom + 12),
    }


def _heat_row(
    table: CrossTable, key: str, label: str, y: int, label_width: int, cell_width: int, largest: int
) -> dict[str, Any]:
    cells = []
    for i, (col_key, col_label) in enumerate(table.cols.values):
        number = table.count(key, col_key)
        fill = heat_fill(number, largest) if number else None
        cells.append(
            {
                "count": number,
                "x": label_width + i * cell_width,
                "text_x": label_width + i * cell_width + cell_width // 2,
                "fill": fill,
                "dark": fill is not None and is_dark(fill),
                "url": cell_url(table.slug, key, col_key) if number else None,
                "tooltip": f"{label} × {col_label}: {_papers(number)}",
            }
        )
    papers = set().union(*(table.cells.get((key, col_key), []) for col_key, _ in table.cols.values))
    return {
        "key": key,
        "label": label,
        "url": node_url(key) if table.rows.node_keys else None,
        "y": y,
        "text_y": y + 16,
        "cells": cells,
        "total": len(papers),
    }


def heat_steps(largest: int) -> list[tuple[int, str]]:
    """Up to five counts from 1 to the largest, with their heat colours (a legend's swatches)."""
    values = sorted({1 + round((largest - 1) * i / 4) for i in range(5)}) if largest else []
    return [(value, heat_fill(value, largest)) for value in values]


def _heat_legend(largest: int, x: int, y: int) -> list[dict[str, Any]]:
    """Swatches for up to five counts from 1 to the largest."""
    steps = []
    for i, (value, fill) in enumerate(heat_steps(largest)):
        left = x + HEAT_SWATCH_WIDTH + i * (HEAT_SWATCH_WIDTH + 4)
        steps.append(
            {
                "count": value,
                "fill": fill,
                "dark": is_dark(fill),
                "x": left,
                "y": y,
                "text_x": left + HEAT_SWATCH_WIDTH // 2,
                "text_y": y + 13,
            }
        )
    return steps


def _heat_legend_title(largest: int, x: int, y: int) -> dict[str, int] | None:
    """Where the legend's "Papers" label ends, left of its first swatch (no legend, no label)."""
    return {"x": x + HEAT_SWATCH_WIDTH - 8, "y": y + 13} if largest else None


def _heat_alt(table: CrossTable, rows: list[dict[str, Any]], largest: int) -> str:
    filled = [
        (row["label"], col_label, cell["count"])
        for row in rows
        for cell, (_, col_label) in zip(row["cells"], table.cols.values)
        if cell["count"]
    ]
    size = len(rows) * len(table.cols.values)
    text = f"Heat map of the {table.title.lower()}: {len(rows)} rows ({table.rows.title}) by {len(table.cols.values)} columns ({table.cols.title}); {len(filled)} of {size} cells hold papers."
    if filled:
        row_label, col_label, number = max(filled, key=lambda cell: cell[2])
        text += f" The fullest cell is {row_label} × {col_label} with {_papers(number)}."
    return text


# Tag frequency ---------------------------------------------------------------------------------


def tag_frequency(index: Index) -> dict[str, Any]:
    """Horizontal bars of papers per leaf, one block per axis, most frequent first; each label left
    of its bar, or (`narrow`, for a phone) above it."""
    taxonomy = index.taxonomy
    leaves = {
        axis: sorted(taxonomy.leaves(axis), key=lambda leaf: -len(index.by_node.get(leaf.id, [])))
        for axis in taxonomy.axes
    }
    wide = _frequency_layout(index, leaves, narrow=False)
    blocks = wide["blocks"]
    return {
        "title": "Papers per taxonomy leaf",
        "alt": _frequency_alt(index, blocks),
        **wide,
        "narrow": _frequency_layout(index, leaves, narrow=True),
        "table": [
            {
                "axis": block["heading"]["label"],
                "rows": [{"label": bar["label"], "url": bar["url"], "count": bar["count"]} for bar in block["bars"]],
            }
            for block in blocks
        ],
    }


def _frequency_layout(index: Index, leaves: dict[str, list[Node]], *, narrow: bool) -> dict[str, Any]:
    taxonomy = index.taxonomy
    largest = max((len(index.by_node.get(leaf.id, [])) for group in leaves.values() for leaf in group), default=0)
    ticks = axis_ticks(largest)
    label_width = max((text_width(leaf.short) for group in leaves.values() for leaf in group), default=0) + 12
    left, plot_width, row = (
        (4, FREQ_NARROW_PLOT_WIDTH, FREQ_NARROW_ROW) if narrow else (label_width, FREQ_PLOT_WIDTH, FREQ_ROW)
    )
    unit = plot_width / ticks[-1]
    label_x = left + 2 if narrow else label_width - 8
    blocks: list[dict[str, Any]] = []
    y = 0
    for axis, group in leaves.items():
        heading: dict[str, Any] = {"label": taxonomy.nodes[axis].name, "url": node_url(axis), "y": y + 20}
        y += FREQ_HEADING
        bars = []
        for leaf in group:
            number = len(index.by_node.get(leaf.id, []))
            bar_y = y + (row - FREQ_BAR_HEIGHT) - 3 if narrow else y + (row - FREQ_BAR_HEIGHT) // 2
            bars.append(
                {
                    "key": leaf.id,
                    "label": leaf.short,
                    "url": node_url(leaf.id),
                    "fill": f"#{leaf.color}",
                    "count": number,
                    "y": bar_y,
                    "text_y": bar_y + 13,
                    "label_y": y + 13 if narrow else y + 15,
                    "width": round(number * unit, 2),
                    "count_x": round(left + number * unit + 4, 2),
                    "tooltip": f"{leaf.name}: {_papers(number)}",
                }
            )
            y += row
        blocks.append({"heading": heading, "bars": bars})
    plot_bottom = y + 4
    return {
        "width": max(label_width, left + plot_width + FREQ_COUNT_ROOM)
        if narrow
        else label_width + plot_width + FREQ_COUNT_ROOM,
        "height": plot_bottom + FREQ_BOTTOM,
        "plot": {"left": left, "top": 0, "bottom": plot_bottom},
        "label_x": label_x,
        "label_anchor": "start" if narrow else "end",
        "bar_height": FREQ_BAR_HEIGHT,
        "ticks": [{"value": tick, "x": round(left + tick * unit, 2), "label_y": plot_bottom + 16} for tick in ticks],
        "blocks": blocks,
    }


def _frequency_alt(index: Index, blocks: list[dict[str, Any]]) -> str:
    bars = [bar for block in blocks for bar in block["bars"]]
    parts = [
        f"Horizontal bar chart of the number of papers tagged with each of the {len(bars)} taxonomy leaves, grouped by axis."
    ]
    for block in blocks:
        if block["bars"] and block["bars"][0]["count"]:
            top = block["bars"][0]
            parts.append(
                f"The most frequent {block['heading']['label']} leaf is {top['label']} ({_papers(top['count'])})."
            )
    unused = sum(not bar["count"] for bar in bars)
    if unused:
        parts.append(f"{unused} of {len(bars)} leaves have no papers yet.")
    return " ".join(parts)
