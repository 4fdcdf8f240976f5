"""`surveykb export`: the records (all, or those under some taxonomy nodes) in one format."""

from __future__ import annotations

from surveykb.core.diagnostics import did_you_mean
from surveykb.core.errors import Refused
from surveykb.core.index import build_index
from surveykb.core.knowledge_base import Loaded
from surveykb.formats.data_files import export_text, papers_under


class UnknownNode(Refused):
    """A --tag that names no taxonomy node."""


def export(loaded: Loaded, fmt: str, tags: list[str]) -> tuple[str, int]:
    """The export's text and the number of papers in it. A knowledge base with errors is refused."""
    errors = [diagnostic for diagnostic in loaded.diagnostics if diagnostic.is_error]
    if loaded.kb is None or errors:
        message = f"the knowledge base has {len(errors)} errors (see `surveykb validate`); nothing exported"
        raise Refused.because("invalid", message, details=errors)
    for tag in tags:
        if tag not in loaded.kb.taxonomy.nodes:
            raise UnknownNode.because(
                "unknown-node", f"unknown taxonomy node '{tag}'{did_you_mean(tag, sorted(loaded.kb.taxonomy.nodes))}"
            )
    index = build_index(loaded.kb)
    papers = papers_under(index, tags) if tags else list(index.papers.values())
    return export_text(fmt, index, papers), len(papers)
