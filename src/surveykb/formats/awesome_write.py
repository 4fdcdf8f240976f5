"""Records -> the survey's paper list ("Awesome Data-Model Co-Development of MLLMs") in its own format.

The output is what `awesome.parse_list` reads: a news list whose "We added N papers" entries date the
last rows of the table, the badge tables of the taxonomy, the `| Title | Tags |` table with one
shields.io badge per tag in record order, and a `<details>` back-reference block per outline section.
Rows are ordered by the date a record was added, then by title: both survive an import, so
importing the output into an empty knowledge base and exporting again gives the same text.
"""

from __future__ import annotations

import datetime
from collections import Counter

from surveykb.core.model import Paper
from surveykb.core.taxonomy import Node, Section, Taxonomy
from surveykb.formats import markdown_text
from surveykb.formats.awesome_read import Badge

SHIELDS_BADGE = "https://img.shields.io/badge/"
GENERATED_NOTE = (
    "This list is generated from the records of the surveykb knowledge base (`surveykb export --format awesome`); "
    "edit the records, not this file."
)
TAGS_INTRO = "These tags correspond to the taxonomy of the survey; a paper may carry more than one."
TABLE_HEADER = ("| Title | Tags |", "|-------|-------|")
TAG_TABLE_HEADER = ("| Section Title | Tag |", "|-------|-------|")
BACK_REFERENCES_TITLE = '## "Section - Mentioned Papers" Retrieval List'
BACK_REFERENCES_INTRO = (
    "A collapsible list per section of the survey, naming the papers from the table above that the section mentions."
)


def list_title(taxonomy: Taxonomy) -> str:
    survey = taxonomy.survey
    return (survey.list_title or survey.title) if survey else "Paper list"


def intro(taxonomy: Taxonomy) -> str:
    """Whose papers these are, from taxonomy/survey.yaml, and where the list comes from."""
    survey = taxonomy.survey
    if survey is None:
        return f"The papers of this knowledge base, tagged with its taxonomy. {GENERATED_NOTE}"
    title = markdown_text.escape(survey.title)
    label = f"arXiv {survey.arxiv}" if survey.arxiv else survey.venue or survey.url or ""
    cited = f"[{markdown_text.escape(label)}]({survey.url})" if survey.url else markdown_text.escape(label)
    source = f" ({cited})" if cited else ""
    return f"The papers of the survey *{title}*{source}, tagged with the survey's taxonomy. {GENERATED_NOTE}"


def awesome_markdown(taxonomy: Taxonomy, papers: list[Paper]) -> str:
    ordered = sorted(papers, key=_row_order)
    parts = [
        [f"# {list_title(taxonomy)}", intro(taxonomy)],
        _news(ordered),
        ["## Candidate Co-Development Tags", TAGS_INTRO, *_tag_tables(taxonomy)],
        ["## Paper List", "\n".join([*TABLE_HEADER, *(paper_row(paper, taxonomy) for paper in ordered)])],
        [BACK_REFERENCES_TITLE, BACK_REFERENCES_INTRO, *_back_references(taxonomy, ordered)],
    ]
    return "\n\n".join(block for part in parts for block in part) + "\n"


def _row_order(paper: Paper) -> tuple[bool, datetime.date, str, str]:
    """Undated records first, then by date added (the list appends new papers at the end), then title."""
    return (
        paper.added is not None,
        paper.added or datetime.date.min,
        one_line(paper.title).casefold(),
        one_line(paper.title),
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def badge_image(badge: Badge) -> str:
    return f"![]({SHIELDS_BADGE}{badge.label}-{badge.color})"


def node_badge(node: Node) -> Badge | None:
    return Badge(node.badge, node.color) if node.badge else None


def paper_row(paper: Paper, taxonomy: Taxonomy) -> str:
    badges = [node_badge(taxonomy.nodes[tag]) for tag in paper.tags]
    images = " ".join(badge_image(badge) for badge in badges if badge is not None)
    return f"|{_title_cell(paper.title)}|{images}|"


def _title_cell(title: str) -> str:
    """The title as inert Markdown (no HTML, link or emphasis a renderer would act on); the escaped
    pipes are what the parser reads as part of the cell."""
    cell = markdown_text.escape(one_line(title))
    return f"{cell} " if cell.endswith("\\") else cell  # `\\|` would read as an escaped pipe


def _news(ordered: list[Paper]) -> list[str]:
    """One "We added N papers" entry per date, newest first: the importer dates the last N rows with it."""
    counts = Counter(paper.added for paper in ordered if paper.added is not None)
    if not counts:
        return []
    entries = [
        f"+ [{day.isoformat()}] We added {count} paper{'s' if count > 1 else ''}."
        for day, count in sorted(counts.items(), reverse=True)
    ]
    return ["## News", "\n".join(entries)]


def _tag_tables(taxonomy: Taxonomy) -> list[str]:
    blocks: list[str] = []
    for axis_id in taxonomy.axes:
        axis = taxonomy.nodes[axis_id]
        blocks += _tag_table(taxonomy, axis, f"### {axis.name}")
        for child in _groups_below(taxonomy, axis):
            blocks += [f"### {axis.name}: {child.name}", *_tag_group(taxonomy, child, 4)]
    return blocks


def _tag_group(taxonomy: Taxonomy, node: Node, level: int) -> list[str]:
    """A table of the node's own badged leaves, then a heading and the tables of each group below it."""
    blocks = _tag_table(taxonomy, node, None)
    for child in _groups_below(taxonomy, node):
        blocks += [f"{'#' * min(level, 6)} {child.name}", *_tag_group(taxonomy, child, level + 1)]
    return blocks


def _groups_below(taxonomy: Taxonomy, node: Node) -> list[Node]:
    return [taxonomy.nodes[child] for child in node.children if not taxonomy.nodes[child].is_leaf]


def _tag_table(taxonomy: Taxonomy, node: Node, heading: str | None) -> list[str]:
    rows = []
    for child in (taxonomy.nodes[child_id] for child_id in node.children):
        badge = node_badge(child) if child.is_leaf else None
        if badge is not None:
            rows.append(f"|{child.name}|{badge_image(badge)}|")
    if not rows:
        return []
    return ([heading] if heading else []) + ["\n".join([*TAG_TABLE_HEADER, *rows])]


def _back_references(taxonomy: Taxonomy, ordered: list[Paper]) -> list[str]:
    """A block per section, nested in its nearest ancestor's; a top-level section that only heads its
    subsections and mentions no paper itself gets no block (as in the survey's list)."""
    mentioned: dict[str, list[str]] = {section.id: [] for section in taxonomy.sections}
    for paper in ordered:
        title = markdown_text.escape(one_line(paper.title))
        for section_id in dict.fromkeys(paper.sections):
            if section_id in mentioned:
                mentioned[section_id].append(title)
    heads = {section.parent_id for section in taxonomy.sections}
    with_block = {s.id for s in taxonomy.sections if s.depth > 0 or mentioned[s.id] or s.id not in heads}
    children: dict[str | None, list[Section]] = {}
    for section in taxonomy.sections:
        if section.id in with_block:
            children.setdefault(_block_parent(section, with_block), []).append(section)
    return [_block(section, children, mentioned, taxonomy) for section in children.get(None, [])]


def _block_parent(section: Section, with_block: set[str]) -> str | None:
    parent = section.parent_id
    while parent is not None and parent not in with_block:
        parent = parent.rsplit(".", 1)[0] if "." in parent else None
    return parent


def _block(
    section: Section, children: dict[str | None, list[Section]], mentioned: dict[str, list[str]], taxonomy: Taxonomy
) -> str:
    node = taxonomy.node_for_section(section.id)
    badge = node_badge(node) if node is not None else None
    lines = [
        "<details>",
        f"<summary>{markdown_text.escape(section.display)}  {markdown_text.escape(section.title)}</summary>",
        "",
    ]
    lines += [badge_image(badge), ""] if badge is not None else []
    lines += [*(f"- {title}" for title in mentioned[section.id]), ""] if mentioned[section.id] else []
    for child in children.get(section.id, []):
        lines += [_block(child, children, mentioned, taxonomy), ""]
    return "\n".join([*lines, "</details>"])
