"""`surveykb doctor`: what maintainers should look at in records that may well be valid: missing
facts (authors, a year, a link, tags, a source), author lists marked incomplete, tags and survey
sections that disagree, and venue years far from the paper's year. It reports and never rewrites."""

from __future__ import annotations

from typing import Any

from surveykb.core.diagnostics import Diagnostic, warning
from surveykb.core.knowledge_base import Loaded
from surveykb.core.load import LoadedFile
from surveykb.core.model import Paper
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.venues import split_venue


def missing_parts(data: dict[str, Any], axes: tuple[str, ...]) -> list[str]:
    """What a record's raw data lacks, in the order a maintainer would fill it in."""
    missing = []
    if not data.get("authors"):
        missing.append("authors")
    elif data.get("authors_complete") is False:
        missing.append("complete author list")
    if data.get("year") is None:
        missing.append("year")
    if not any(data.get(key) for key in ("arxiv", "doi", "url")):
        missing.append("link")
    if not any(data.get(axis) for axis in axes):
        missing.append("tags")
    if not data.get("sources"):
        missing.append("source")
    return missing


def incomplete_records(loaded: Loaded) -> list[tuple[str, list[str]]]:
    """(shown path, missing parts) for each record that parses but is incomplete; drafts included."""
    found = []
    axes = loaded.kb.taxonomy.axes if loaded.kb else ()
    for shown, parsed in sorted(loaded.files.items()):
        if isinstance(parsed.data, dict):
            missing = missing_parts(parsed.data, axes)
            if missing:
                found.append((shown, missing))
    return found


def disagreements(loaded: Loaded) -> list[Diagnostic]:
    """Warnings, at the field concerned, for each valid record whose tags and survey sections
    disagree or whose venue year is far from its year. The survey's classification is reported,
    never rewritten."""
    if loaded.kb is None:
        return []
    taxonomy = loaded.kb.taxonomy
    problems: list[Diagnostic] = []
    for record in loaded.kb.records:
        problems += _section_problems(record.paper, record.loaded, taxonomy)
        problems += _venue_year_problems(record.paper, record.loaded)
    return sorted(problems)


def _section_problems(paper: Paper, loaded: LoadedFile, taxonomy: Taxonomy) -> list[Diagnostic]:
    tagged = {node for tag in paper.tags for node in (tag, *(a.id for a in taxonomy.ancestors(tag)))}
    cited = set(paper.sections)
    problems = []
    for index, section in enumerate(paper.sections):
        node = taxonomy.node_for_section(section)
        if node is not None and node.id not in tagged:
            where = loaded.position(("sections", index))
            message = f"cited in Sec. {section} ({node.name}) but not tagged {_tag_hint(node.id, taxonomy)}"
            problems.append(warning(loaded.shown, where.line, where.col, "section-without-tag", message))
    for field in taxonomy.axes:
        for index, tag in enumerate(getattr(paper, field, None) or []):
            node = taxonomy.nodes[tag]
            if (
                node.section is not None
                and node.section not in cited
                and not any(s.startswith(node.section + ".") for s in cited)
            ):
                where = loaded.position((field, index))
                message = f"tagged {tag} ({node.name}, Sec. {node.section}) but that section does not cite it"
                problems.append(warning(loaded.shown, where.line, where.col, "tag-without-section", message))
    return problems


def _tag_hint(node_id: str, taxonomy: Taxonomy) -> str:
    leaves = taxonomy.descendant_leaves(node_id)
    return node_id if not leaves or leaves == [node_id] else "with one of " + ", ".join(leaves)


def _venue_year_problems(paper: Paper, loaded: LoadedFile) -> list[Diagnostic]:
    if not paper.venue or paper.year is None:
        return []
    _, venue_year = split_venue(paper.venue)
    if venue_year is None or abs(int(venue_year) - paper.year) <= 1:
        return []
    where = loaded.position(("venue",))
    message = (
        f"the venue's year {venue_year} is {abs(int(venue_year) - paper.year)} years from the paper's year {paper.year}"
    )
    return [warning(loaded.shown, where.line, where.col, "venue-year", message)]
