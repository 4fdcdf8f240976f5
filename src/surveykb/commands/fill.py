"""`surveykb new --arxiv ID`, `--doi DOI` or a paper's link: a record drafted from the sources.

Fetched fields come first and the contributor's flags override them; the pages the facts came from
go into `sources`; the fetched abstract ranks tag suggestions and is never stored. Without a network
(or with --offline) one line says so and the record is made from the flags alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveykb.commands.suggest import Suggestion, TextIndex
from surveykb.core.identity import KnownPapers
from surveykb.core.knowledge_base import KnowledgeBase
from surveykb.core.taxonomy import Taxonomy
from surveykb.sources.config import ConfigError, SourcesConfig, load_config
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.lookup import Asked, NotAPaper, gather, parse_identifier

NETWORK_KINDS = frozenset({"unreachable", "timeout", "offline"})


class FillRefused(Exception):
    """The sources said something that makes the record unsafe to write (an unknown id, a broken answer)."""


@dataclass
class Filled:
    data: dict[str, Any]
    abstract: str | None = None
    notes: list[str] = field(default_factory=list)
    withdrawn: bool = False


def asked_for(paper: str | None, data: dict[str, Any]) -> Asked | None:
    """What to look up: the PAPER argument, else the --arxiv or --doi flag; raises FillRefused."""
    try:
        if paper:
            return parse_identifier(paper)
        if data.get("arxiv"):
            return parse_identifier(str(data["arxiv"]))
        if data.get("doi"):
            return parse_identifier(str(data["doi"]))
    except NotAPaper as exc:
        raise FillRefused(str(exc)) from None
    return None


def fill_from_sources(
    data: dict[str, Any],
    asked: Asked,
    root: Path,
    taxonomy: Taxonomy,
    offline: bool,
    config: SourcesConfig | None = None,
) -> Filled:
    """The fetched fields under the flags' `data`; raises FillRefused when writing would be unsafe."""
    if offline:
        return Filled(
            {**_identity(asked), **data},
            notes=[f"offline: nothing fetched for {asked.shown}; the record is made from the flags alone"],
        )
    try:
        facts = gather(Fetcher(config or load_config(root)), asked, taxonomy.venues)
    except ConfigError as exc:
        raise FillRefused(str(exc)) from None
    except SourceError as failure:
        if failure.kind not in NETWORK_KINDS:
            raise FillRefused(f"{failure}; nothing written") from None
        note = f"{failure}: working offline, the record is made from the flags alone"
        return Filled({**_identity(asked), **data}, notes=[note])
    merged = {**facts.fields, **data}
    merged["sources"] = list(dict.fromkeys([*data.get("sources", []), *facts.sources]))
    notes = facts.notes + ([f"{facts.sources[0]} marks the paper as withdrawn"] if facts.withdrawn else [])
    return Filled(merged, facts.abstract, notes, facts.withdrawn)


def _identity(asked: Asked) -> dict[str, Any]:
    found = {"arxiv": asked.arxiv, "doi": asked.doi, "url": asked.url}
    return {key: value for key, value in found.items() if value}


def tag_suggestions(kb: KnowledgeBase, data: dict[str, Any], abstract: str | None) -> list[Suggestion]:
    """Tags the knowledge base's nearest records suggest for the paper `data` (its title, summary and
    fetched abstract); none for a paper the knowledge base already has."""
    if not kb.records:
        return []
    known = KnownPapers.of((record.shown, record.loaded.data) for record in kb.records)
    if known.duplicate_of(data):
        return []
    text = " ".join(str(part) for part in (data.get("title"), data.get("summary"), abstract) if part)
    return TextIndex(kb.papers).suggest(text)


def pick_tags(suggestions: list[Suggestion], leaves: list[str]) -> list[str]:
    """On a terminal: the suggestions the contributor picks by number (or tag ids typed in)."""
    import click

    answer: str = click.prompt(
        "Tags: numbers of the suggestions or tag ids (blank: choose from the full list)", default="", show_default=False
    )
    chosen: list[str] = []
    for word in answer.replace(",", " ").split():
        if word.isdigit() and 1 <= int(word) <= len(suggestions):
            chosen.append(suggestions[int(word) - 1].tag)
        elif word in leaves:
            chosen.append(word)
        else:
            click.echo(f"ignored '{word}': neither a suggestion's number nor a tag id", err=True)
    return list(dict.fromkeys(chosen))
