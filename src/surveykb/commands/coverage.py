"""`surveykb coverage`: how many records fill each field, as a Markdown table (the README shows it)."""

from __future__ import annotations

from surveykb.core.knowledge_base import KnowledgeBase
from surveykb.core.model import Paper, record_fields

# Fields whose absence says nothing (an optional spelling or a flag with a default) are not listed.
_NOT_COUNTED = {"id", "title", "listed_as", "authors_complete"}


def field_coverage(kb: KnowledgeBase) -> list[tuple[str, int]]:
    """(field, number of valid records that give it) in the record format's order."""
    papers = kb.papers
    fields = record_fields(kb.taxonomy.axes)
    return [(name, sum(1 for paper in papers if _has(paper, name))) for name in fields if name not in _NOT_COUNTED]


def _has(paper: Paper, name: str) -> bool:
    value = getattr(paper, name, None)
    if name == "authors":
        return bool(value) and paper.authors_complete
    return value is not None and value != []


def coverage_markdown(kb: KnowledgeBase) -> str:
    total = len(kb.records)
    lines = [f"| field | records ({total}) | share |", "| --- | ---: | ---: |"]
    for name, count in field_coverage(kb):
        share = f"{100 * count / total:.0f} %" if total else "–"
        label = "authors (complete list)" if name == "authors" else name
        lines.append(f"| `{label}` | {count} | {share} |")
    return "\n".join(lines) + "\n"
