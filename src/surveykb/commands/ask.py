"""Asking on a terminal for what `surveykb new` was not given, offering the taxonomy's ids."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import click

from surveykb.core.diagnostics import did_you_mean
from surveykb.core.errors import Refused
from surveykb.core.identity import KnownPapers
from surveykb.core.taxonomy import Taxonomy
from surveykb.formats.bibtex_read import find_arxiv_id


def ask_missing(
    data: dict[str, Any], tags: list[str], taxonomy: Taxonomy, known: KnownPapers | None = None
) -> tuple[dict[str, Any], list[str]]:
    """`data` and `tags` completed from the terminal; blank answers leave a field out. A paper that
    `known` already holds is refused as soon as its title or arXiv id is given, not at the end."""
    data = dict(data)
    if not data.get("title"):
        data["title"] = click.prompt("Title").strip()
    _refuse_known(data, known)
    if not data.get("authors"):
        data["authors"] = _optional("Authors (First Last, separated by ';')", split_authors) or []
    if data.get("year") is None:
        data["year"] = _optional("Year", _year)
    if not any(data.get(key) for key in ("arxiv", "doi", "url")):
        data["arxiv"] = _optional("arXiv id or link", _arxiv)
        _refuse_known(data, known)
    if not data.get("venue"):
        if taxonomy.venues:
            click.echo("Venues: " + ", ".join(venue.name for venue in taxonomy.venues))
        data["venue"] = _optional("Venue with its year, like 'NeurIPS 2023' (blank: none yet)", str.strip)
    if not tags:
        _show_tags(taxonomy)
        leaves = [leaf.id for axis in taxonomy.axes for leaf in taxonomy.leaves(axis)]
        tags = _optional("Tags (ids separated by spaces; blank leaves a draft)", _ids(leaves, "tag")) or []
    if not data.get("modalities"):
        click.echo("Modalities: " + ", ".join(taxonomy.modality_ids))
        data["modalities"] = (
            _optional("Modalities (ids separated by spaces)", _ids(taxonomy.modality_ids, "modality")) or []
        )
    if not data.get("sections") and taxonomy.sections:
        data["sections"] = (
            _optional(
                "Survey sections citing it, like 3.1.1 (ids separated by spaces)", _ids(taxonomy.section_ids, "section")
            )
            or []
        )
    return {key: value for key, value in data.items() if value not in (None, [])}, tags


def _refuse_known(data: dict[str, Any], known: KnownPapers | None) -> None:
    owner = known.duplicate_of(data) if known is not None else None
    if owner:
        raise Refused.because("duplicate", f"this paper is already in the knowledge base: {owner}")


def _optional(question: str, convert: Callable[[str], Any]) -> Any:
    answer: str = click.prompt(
        question, default="", show_default=False, value_proc=lambda text: _checked(text, convert)
    )
    return convert(answer) if answer.strip() else None


def _checked(text: str, convert: Callable[[str], Any]) -> str:
    if text.strip():
        convert(text)
    return text


def split_authors(text: str) -> list[str]:
    """'Ada Lovelace; Alan Turing' or '... and ...' -> ['Ada Lovelace', 'Alan Turing']."""
    return [" ".join(name.split()) for name in re.split(r";|\band\b", text) if name.strip()]


def _year(text: str) -> int:
    if not re.fullmatch(r"\s*\d{4}\s*", text):
        raise click.BadParameter(f"'{text.strip()}' is not a year like 2023")
    return int(text)


def _arxiv(text: str) -> str:
    found = find_arxiv_id(text)
    if found is None:
        raise click.BadParameter(f"'{text.strip()}' is not an arXiv id or link, like 2304.08485")
    return found


def _ids(allowed: list[str], kind: str) -> Callable[[str], list[str]]:
    def convert(text: str) -> list[str]:
        chosen = [word for word in re.split(r"[\s,]+", text) if word]
        for word in chosen:
            if word not in allowed:
                raise click.BadParameter(f"unknown {kind} '{word}'{did_you_mean(word, allowed)}")
        return list(dict.fromkeys(chosen))

    return convert


def _show_tags(taxonomy: Taxonomy) -> None:
    for axis in taxonomy.axes:
        click.echo(f"{taxonomy.nodes[axis].name} tags:")
        for leaf in taxonomy.leaves(axis):
            click.echo(f"  {leaf.id:<26} {leaf.name}{leaf.section_note}")
