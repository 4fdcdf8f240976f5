"""The survey's public paper list ("Awesome Data-Model Co-Development of MLLMs") -> paper records.

Three steps, kept apart so that an exporter can write the list back: `parse_list` reads the Markdown
into plain rows (titles, badge labels, back-references, news) and knows nothing of the taxonomy;
`build_drafts` turns those rows, the taxonomy and the metadata table into record data;
`import_awesome` checks the drafts against the schema and writes the new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from surveykb.core.diagnostics import Diagnostic, did_you_mean, error, warning
from surveykb.core.ids import derive_id, is_valid_arxiv, normalize_title, unique_id
from surveykb.core.taxonomy import Section, Taxonomy
from surveykb.formats import markdown_text

# Neither the alt text nor the label may hold a bracket or parenthesis: each match attempt then stops
# at the next badge, so a long line of broken badges takes linear time, not quadratic.
BADGE = re.compile(r"!\[[^\[\]]*\]\(https?://img\.shields\.io/badge/(?P<label>[^()\s]+)-(?P<color>[0-9a-fA-F]{3,8})\)")
CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
NEWS_ENTRY = re.compile(r"^\s*[+*-]\s.*?\[(?P<date>\d{4}-\d{2}-\d{2})\]\s*(?P<text>.*)$")
ADDED_COUNT = re.compile(r"\badded (\d+)\b", re.IGNORECASE)
SUMMARY = re.compile(r"<summary>((?:(?!</?summary>).)*)</summary>", re.IGNORECASE)
TRUSTED_CONFIDENCE = ("high", "medium")
METADATA_COLUMNS = ("title", "arxiv_id", "year", "authors", "venue", "url", "confidence")
# Pages that present one paper (abstract, authors, PDF link), as opposed to mirrors, readers and feeds.
LANDING_PAGES: tuple[tuple[str, str], ...] = (
    ("arxiv.org", r"/abs/.+"),
    ("openaccess.thecvf.com", r"/content/.+\.html"),
    ("proceedings.neurips.cc", r"/paper_files/paper/.+-Abstract.*\.html"),
    ("papers.neurips.cc", r"/paper_files/paper/.+-Abstract.*\.html"),
    ("papers.nips.cc", r"/paper_files/paper/.+-Abstract.*\.html"),
    ("proceedings.iclr.cc", r"/paper_files/paper/.+-Abstract.*\.html"),
    ("proceedings.mlr.press", r"/v\d+/.+\.html"),
    ("openreview.net", r"/forum"),
    ("aclanthology.org", r"/[\w.-]+/?"),
)


# --- The list as plain rows -------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    label: str
    color: str
    col: int = 1


@dataclass(frozen=True)
class TableRow:
    """A row of the paper table: `|title|badges|` plus any further cells, as written."""

    line: int
    title: str
    badges: tuple[Badge, ...]
    extra_cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListItem:
    line: int
    title: str


@dataclass(frozen=True)
class BackReference:
    """A `<details><summary>Sec. 3.1.1 ...</summary>` block and the titles listed directly in it."""

    line: int
    summary: str
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class NewsEntry:
    line: int
    date: str
    text: str


@dataclass(frozen=True)
class AwesomeList:
    rows: tuple[TableRow, ...]
    references: tuple[BackReference, ...]
    news: tuple[NewsEntry, ...]


def parse_list(text: str, shown: str) -> tuple[AwesomeList, list[Diagnostic]]:
    """Read the paper table, the back-reference blocks and the news entries of the list."""
    lines = text.splitlines()
    table_start = _paper_table_start(lines)
    if table_start is None:
        return AwesomeList((), (), ()), [error(shown, 1, 1, "no-table", "no paper table with a 'Title' header column")]
    rows, diagnostics = _table_rows(lines, table_start, shown)
    references, reference_problems = _back_references(lines, shown)
    news = tuple(_news_entries(lines[:table_start]))
    return AwesomeList(tuple(rows), tuple(references), news), diagnostics + reference_problems


def _paper_table_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        cells = _cells(line)
        if (
            cells
            and cells[0][0].strip().lower() == "title"
            and index + 1 < len(lines)
            and _is_separator(lines[index + 1])
        ):
            return index + 2
    return None


def _cells(line: str) -> list[tuple[str, int]]:
    """The cells of a table line with the 1-based column each starts at; [] for other lines."""
    if not line.lstrip().startswith("|"):
        return []
    bounds = [match.start() for match in CELL_SEPARATOR.finditer(line)]
    if line.rstrip().endswith("|") and not line.rstrip().endswith("\\|"):
        bounds = bounds if len(bounds) > 1 else bounds + [len(line)]
    else:
        bounds.append(len(line))
    return [(line[start + 1 : end], start + 2) for start, end in zip(bounds, bounds[1:])]


def _is_separator(line: str) -> bool:
    cells = _cells(line)
    return bool(cells) and all(re.fullmatch(r"\s*:?-+:?\s*", cell) for cell, _ in cells)


def _table_rows(lines: list[str], start: int, shown: str) -> tuple[list[TableRow], list[Diagnostic]]:
    rows: list[TableRow] = []
    problems: list[Diagnostic] = []
    for index in range(start, len(lines)):
        cells = _cells(lines[index])
        if not cells:
            break
        line = index + 1
        title = markdown_text.unescape(cells[0][0].strip())
        if len(cells) < 2 or not title:
            problems.append(error(shown, line, 1, "bad-row", "a paper row needs a title cell and a tags cell"))
            continue
        badges, leftover = _badges(*cells[1])
        if leftover:
            problems.append(
                error(
                    shown,
                    line,
                    cells[1][1],
                    "stray-text",
                    f"text outside the badge images of the tags cell: '{leftover[:60]}'",
                )
            )
        rows.append(TableRow(line, title, badges, tuple(cell for cell, _ in cells[2:])))
    return rows, problems


def _badges(cell: str, cell_col: int) -> tuple[tuple[Badge, ...], str]:
    badges = tuple(Badge(m["label"], m["color"].lower(), cell_col + m.start()) for m in BADGE.finditer(cell))
    return badges, BADGE.sub(" ", cell).strip()


@dataclass
class _OpenBlock:
    line: int
    summary: str | None = None
    items: list[ListItem] = field(default_factory=list)


def _back_references(lines: list[str], shown: str) -> tuple[list[BackReference], list[Diagnostic]]:
    """Nested `<details>` blocks; a list item belongs to the innermost open block."""
    finished: list[BackReference] = []
    open_blocks: list[_OpenBlock] = []
    problems: list[Diagnostic] = []
    for line, text in enumerate(lines, start=1):
        stripped = text.strip()
        summary = SUMMARY.search(stripped)
        if stripped.lower().startswith("<details"):
            open_blocks.append(_OpenBlock(line))
        if summary and open_blocks and open_blocks[-1].summary is None:
            open_blocks[-1].line, open_blocks[-1].summary = (
                line,
                markdown_text.unescape(" ".join(summary.group(1).split())),
            )
        elif stripped.startswith("- ") and open_blocks:
            open_blocks[-1].items.append(ListItem(line, markdown_text.unescape(stripped[2:].strip())))
        elif stripped.lower().startswith("</details"):
            if not open_blocks:
                problems.append(warning(shown, line, 1, "unbalanced-details", "</details> without an open <details>"))
                continue
            block = open_blocks.pop()
            finished.append(BackReference(block.line, block.summary or "", tuple(block.items)))
    for block in open_blocks:
        problems.append(warning(shown, block.line, 1, "unbalanced-details", "this <details> block is never closed"))
    return sorted(finished, key=lambda block: block.line), problems


def _news_entries(lines: list[str]) -> list[NewsEntry]:
    entries = []
    for index, text in enumerate(lines):
        match = NEWS_ENTRY.match(text)
        if match:
            entries.append(NewsEntry(index + 1, match["date"], match["text"].strip()))
    return entries


# --- Rows -> record data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """Trusted bibliographic facts for one title, from the metadata table."""

    line: int
    arxiv: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    url: str | None = None


@dataclass
class Draft:
    """One distinct paper of the list, gathered from all its rows."""

    line: int
    title: str
    row_index: int
    tags: list[str] = field(default_factory=list)
    sections: set[str] = field(default_factory=set)
    has_error: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def read_metadata(text: str, shown: str) -> tuple[dict[str, Metadata], list[Diagnostic]]:
    """The metadata table, keyed by normalized title; low-confidence and empty cells left out."""
    rows = [line.split("\t") for line in text.splitlines()]
    if not rows or tuple(cell.strip() for cell in rows[0]) != METADATA_COLUMNS:
        return {}, [error(shown, 1, 1, "bad-header", f"the metadata columns must be: {', '.join(METADATA_COLUMNS)}")]
    found: dict[str, Metadata] = {}
    problems: list[Diagnostic] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(METADATA_COLUMNS):
            problems.append(
                warning(
                    shown,
                    line,
                    1,
                    "bad-metadata-row",
                    f"expected {len(METADATA_COLUMNS)} tab-separated cells, found {len(cells)}",
                )
            )
            continue
        row = dict(zip(METADATA_COLUMNS, (cell.strip() for cell in cells)))
        key = normalize_title(undouble_title(row["title"]))
        if key in found:
            problems.append(
                warning(
                    shown, line, 1, "duplicate-metadata", f"this title already has metadata on line {found[key].line}"
                )
            )
        elif row["confidence"] in TRUSTED_CONFIDENCE:
            metadata, field_problems = _metadata_row(row, line, shown)
            found[key] = metadata
            problems += field_problems
        elif row["confidence"] not in ("low", ""):
            problems.append(
                warning(
                    shown, line, 1, "bad-confidence", f"unknown confidence '{row['confidence']}'; the row is ignored"
                )
            )
    return found, problems


def _metadata_row(row: dict[str, str], line: int, shown: str) -> tuple[Metadata, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    arxiv = re.sub(r"v\d+$", "", row["arxiv_id"]) or None
    if arxiv is not None and not is_valid_arxiv(arxiv):
        problems.append(warning(shown, line, 1, "bad-arxiv", f"'{row['arxiv_id']}' is not an arXiv id; it is left out"))
        arxiv = None
    year = int(row["year"]) if re.fullmatch(r"\d{4}", row["year"]) else None
    if row["year"] and year is None:
        problems.append(warning(shown, line, 1, "bad-year", f"'{row['year']}' is not a year; it is left out"))
    authors = tuple(
        name for name in (part.strip() for part in row["authors"].split(";")) if name and not _is_et_al(name)
    )
    url = row["url"] if is_landing_page(row["url"]) else None
    return Metadata(line, arxiv, year, authors, row["venue"] or None, url), problems


def _is_et_al(name: str) -> bool:
    return re.fullmatch(r"et\.? al\.?", name, re.IGNORECASE) is not None


def is_landing_page(url: str) -> bool:
    """Whether `url` is a publisher's or arXiv's page for one paper (not a mirror, reader or feed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return parts.scheme in ("http", "https") and any(
        host == allowed and re.fullmatch(path, parts.path) for allowed, path in LANDING_PAGES
    )


def undouble_title(title: str) -> str:
    r"""'Title: sub-titleTitle: sub-title' (the same title typed twice in one cell) -> 'Title: sub-title'.

    What `re.fullmatch(r"(\S.*\S)\s*\1", title)` finds, in linear time (the regex is quadratic): the
    two copies can only meet at the whitespace run in the middle of the title."""
    half, end = len(title) // 2, len(title) - len(title) // 2  # title[half:end] lies between the copies
    if half < end and not title[half].isspace():
        return title
    while half >= 2:
        first_ends_blank, second_starts_blank = title[half - 1].isspace(), title[end].isspace()
        if first_ends_blank != second_starts_blank:
            return title
        if not first_ends_blank:
            first = title[:half]
            doubled = title.endswith(first) and "\n" not in first and not first[0].isspace()
            return first if doubled and len(first.split()) >= 3 else title
        half, end = half - 1, end + 1
    return title


def build_drafts(
    awesome: AwesomeList, taxonomy: Taxonomy, metadata: dict[str, Metadata], shown: str
) -> tuple[list[Draft], list[Diagnostic]]:
    """One draft per distinct title of the table, in the order the list first names them."""
    drafts, problems = _drafts_from_rows(awesome.rows, taxonomy, shown)
    by_title = {normalize_title(draft.title): draft for draft in drafts}
    problems += _collect_sections(awesome, by_title, taxonomy, shown)
    dates, date_problems = introduced_dates(awesome.news, len(awesome.rows), shown)
    problems += date_problems
    for draft in drafts:
        draft.data = _record_data(
            draft, taxonomy, metadata.get(normalize_title(draft.title)), dates.get(draft.row_index)
        )
    _assign_ids(drafts)
    return drafts, problems


def _drafts_from_rows(
    rows: tuple[TableRow, ...], taxonomy: Taxonomy, shown: str
) -> tuple[list[Draft], list[Diagnostic]]:
    leaf_of_badge = {node.badge: node.id for node in taxonomy.nodes.values() if node.badge}
    drafts: dict[str, Draft] = {}
    problems: list[Diagnostic] = []
    for index, row in enumerate(rows):
        title = undouble_title(row.title)
        if title != row.title:
            problems.append(
                warning(
                    shown, row.line, 1, "title-typed-twice", f"the title is typed twice in its cell; read as '{title}'"
                )
            )
        key = normalize_title(title)
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = Draft(row.line, title, index)
        else:
            problems.append(
                warning(
                    shown,
                    row.line,
                    1,
                    "duplicate-row",
                    f"the same paper is listed on line {draft.line}; their tags are merged",
                )
            )
        for badge in row.badges:
            leaf = leaf_of_badge.get(badge.label)
            if leaf is None:
                hint = did_you_mean(badge.label, sorted(leaf_of_badge))
                problems.append(
                    error(
                        shown,
                        row.line,
                        badge.col,
                        "unknown-badge",
                        f"no taxonomy leaf has the badge '{badge.label}'{hint}",
                    )
                )
                draft.has_error = True
            elif leaf not in draft.tags:
                draft.tags.append(leaf)
    for draft in drafts.values():
        if not draft.tags and not draft.has_error:
            problems.append(
                error(shown, draft.line, 1, "no-tags", "the paper has no badge, so its record would have no tag")
            )
            draft.has_error = True
    return list(drafts.values()), problems


def _collect_sections(
    awesome: AwesomeList, by_title: dict[str, Draft], taxonomy: Taxonomy, shown: str
) -> list[Diagnostic]:
    """Sections from the back-reference blocks and from the section cell some rows carry."""
    problems: list[Diagnostic] = []
    for block in awesome.references:
        section = section_for_label(block.summary, taxonomy.sections)
        if section is None:
            problems.append(
                warning(
                    shown,
                    block.line,
                    1,
                    "unknown-section",
                    f"no section of taxonomy/outline.yaml is labelled like '{block.summary}'",
                )
            )
            continue
        for item in block.items:
            draft = by_title.get(normalize_title(undouble_title(item.title)))
            if draft is None:
                hint = did_you_mean(normalize_title(item.title), sorted(by_title))
                problems.append(
                    warning(
                        shown, item.line, 3, "unknown-title", f"'{item.title[:80]}' is not in the paper table{hint}"
                    )
                )
            else:
                draft.sections.add(section.id)
    for row in awesome.rows:
        draft = by_title[normalize_title(undouble_title(row.title))]
        for cell in row.extra_cells:
            problems += _sections_from_cell(cell, row.line, draft, taxonomy, shown)
    return problems


def section_for_label(text: str, sections: tuple[Section, ...]) -> Section | None:
    """The section whose label ('Sec. 3.1.1', 'Tab. 2') or id starts `text`, the longest one winning."""
    words = " ".join(text.split())
    matches = [
        section
        for section in sections
        for label in (section.display, section.id)
        if words == label or words.startswith(f"{label} ")
    ]
    return max(matches, key=lambda section: len(section.display), default=None)


def _sections_from_cell(cell: str, line: int, draft: Draft, taxonomy: Taxonomy, shown: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for reference in (part.strip() for part in cell.split(",")):
        if not reference:
            continue
        section = next((s for s in taxonomy.sections if reference in (s.display, s.id)), None)
        if section is None:
            problems.append(
                warning(
                    shown,
                    line,
                    1,
                    "unknown-section",
                    f"the extra cell names '{reference[:40]}', which is no section of taxonomy/outline.yaml",
                )
            )
        else:
            draft.sections.add(section.id)
    return problems


def introduced_dates(
    news: tuple[NewsEntry, ...], row_count: int, shown: str
) -> tuple[dict[int, str], list[Diagnostic]]:
    """Row index -> date of the news entry that added it. An entry 'We added N papers' is taken to
    cover the last N rows not claimed by a newer entry (the list appends new papers at the end)."""
    dates: dict[int, str] = {}
    end = row_count
    for entry in sorted(news, key=lambda entry: entry.date, reverse=True):
        count = ADDED_COUNT.search(entry.text)
        if count is None:
            continue
        # A count longer than any table cannot be right, and int() refuses numbers over 4,300 digits.
        start = end - int(count.group(1)) if len(count.group(1)) <= 9 else -1
        if start < 0:
            message = "the news entries add more papers than the table holds, so no 'added' date is set"
            return {}, [warning(shown, entry.line, 1, "news-count", message)]
        dates.update({index: entry.date for index in range(start, end)})
        end = start
    return dates, []


def _record_data(draft: Draft, taxonomy: Taxonomy, metadata: Metadata | None, added: str | None) -> dict[str, Any]:
    axis_of = {tag: taxonomy.nodes[tag].axis for tag in draft.tags}
    facts = metadata or Metadata(0)
    data: dict[str, Any] = {
        "title": draft.title,
        "authors": list(facts.authors) or None,
        "year": facts.year,
        "venue": facts.venue,
        "arxiv": facts.arxiv,
        "url": facts.url,
        **{axis: [tag for tag in draft.tags if axis_of[tag] == axis] or None for axis in taxonomy.axes},
        "sections": [section for section in taxonomy.section_ids if section in draft.sections] or None,
        "added": added,
    }
    return {key: value for key, value in data.items() if value is not None}


def _assign_ids(drafts: list[Draft]) -> None:
    taken: set[str] = set()
    for draft in drafts:
        data = draft.data
        record_id = unique_id(derive_id(data.get("authors", []), data.get("year"), draft.title), taken)
        taken.add(record_id)
        draft.data = {"id": record_id, **data}


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [error(shown, 1, 1, "not-utf8", f"the file is not UTF-8 text (byte {exc.start})")]
    except OSError as exc:
        return None, [error(shown, 1, 1, "unreadable", exc.strerror or "the file cannot be read")]


def unmatched_metadata(metadata: dict[str, Metadata], awesome: AwesomeList, shown: str) -> list[Diagnostic]:
    titles = {normalize_title(undouble_title(row.title)) for row in awesome.rows}
    return [
        warning(shown, facts.line, 1, "unmatched-metadata", "no paper of the list has this title")
        for key, facts in metadata.items()
        if key not in titles
    ]
