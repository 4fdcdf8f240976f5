"""The venue vocabulary: one canonical spelling per venue, recognised from its aliases.

A record's venue is `<name> <year>` (like `NeurIPS 2023`) or a name alone for venues marked `preprint`
(`arXiv`). Matching an outside spelling (a BibTeX booktitle, a paper list's cell) ignores case,
punctuation, a leading "Proceedings of (the)", edition numbers in parentheses and years.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_VENUE = re.compile(r"(?P<name>.+?) (?P<year>(?:19|20)\d\d)")
_NOISE = re.compile(r"^(proc(eedings)?\.?( of)?( the)?\s+)|\(\d+\)|\b\d+(st|nd|rd|th)\b|'\d\d\b")


class Venue(BaseModel):
    """One venue of `taxonomy/venues.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, description="The canonical short name records write, like `NeurIPS`.")
    kind: Literal["conference", "workshop", "journal", "preprint"] = "conference"
    full: str = Field(min_length=1, description="The venue's full name.")
    aliases: tuple[str, ...] = ()


class VenuesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    venues: tuple[Venue, ...]


def venue_key(text: str) -> str:
    """The comparable form of a venue spelling: years, editions, "Proceedings of" and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    folded = _YEAR.sub(" ", _NOISE.sub(" ", folded))
    return re.sub(r"[\W_]+", "", folded)


def alias_table(venues: Iterable[Venue]) -> dict[str, Venue]:
    table: dict[str, Venue] = {}
    for venue in venues:
        for spelling in (venue.full, *venue.aliases, venue.name):
            table[venue_key(spelling)] = venue
    return table


_PARENTHESES = re.compile(r"\(([^()]*)\)")


def lookup(text: str, table: dict[str, Venue]) -> Venue | None:
    """The venue `text` names: as written, then without parenthesised parts, then by one of them
    ('Proceedings of the ... Conference on Computer Vision and Pattern Recognition (CVPR)')."""
    candidates = [text, _PARENTHESES.sub(" ", text), *_PARENTHESES.findall(text)]
    for candidate in candidates:
        venue = table.get(venue_key(candidate))
        if venue is not None:
            return venue
    return None


def split_venue(value: str) -> tuple[str, str | None]:
    """`'NeurIPS 2023'` -> `('NeurIPS', '2023')`; `'arXiv'` -> `('arXiv', None)`."""
    match = _VENUE.fullmatch(value)
    return (match["name"], match["year"]) if match else (value, None)


def canonical_venue(text: str, venues: Iterable[Venue], year: int | None = None) -> str | None:
    """The canonical spelling of an outside venue text, with its year (its own, else `year`), or None."""
    venue = lookup(text, alias_table(venues))
    if venue is None:
        return None
    if venue.kind == "preprint":
        return venue.name
    found = _YEAR.search(text)
    written_year = found.group(1) if found else (str(year) if year else None)
    return f"{venue.name} {written_year}" if written_year else None


def venue_problem(
    value: str, venues: tuple[Venue, ...], year: int | None = None, by_name: dict[str, Venue] | None = None
) -> str | None:
    """Why `value` is not a canonical venue, with the canonical spelling when one is recognised.
    `by_name` (the venues by name) may be passed in when checking many values."""
    if not venues:
        return None
    by_name = by_name if by_name is not None else {venue.name: venue for venue in venues}
    name, written_year = split_venue(value)
    venue = by_name.get(name)
    if venue is not None and (written_year is None) == (venue.kind == "preprint"):
        return None
    if venue is not None:
        return f"write '{name}' alone" if venue.kind == "preprint" else f"add the year, like '{name} {year or 2024}'"
    known = lookup(value, alias_table(venues))
    if known is not None:
        suggestion = canonical_venue(value, venues, year) or f"{known.name} <year>"
        return f"did you mean '{suggestion}'?"
    return "not in taxonomy/venues.yaml; add the venue there or write one of its names"
