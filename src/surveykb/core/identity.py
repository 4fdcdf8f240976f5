"""The one rule for "the same paper": the arXiv id in any accepted spelling, the DOI compared without
case or resolver prefix, and the normalised title. `validate`, `new`, both importers and `discover`
ask this module, and nothing else decides it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveykb.core.ids import ARXIV_NEW_PATTERN, ARXIV_OLD_PATTERN

_ARXIV_ANY = re.compile(
    rf"(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:\s*|10\.48550/arxiv\.)?"
    rf"(?P<id>{ARXIV_NEW_PATTERN}|{ARXIV_OLD_PATTERN})(?:v\d+)?(?:\.pdf)?/?",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)
# Marks that Unicode keeps as characters but that carry no letter: accents after NFKD, zero-width
# joiners and spaces, bidi controls.
_INVISIBLE = {"Mn", "Me", "Cf", "Cc"}
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def arxiv_key(value: object) -> str | None:
    """'2304.08485' for '2304.08485v2', 'arXiv:2304.08485', 'https://arxiv.org/pdf/2304.08485v1.pdf'
    and '10.48550/arXiv.2304.08485'; None for anything that is not an arXiv id."""
    if not isinstance(value, str):
        return None
    match = _ARXIV_ANY.fullmatch(value.strip())
    if match is None:
        return None
    found = match["id"]
    return found if "/" in found else found.lower()


def doi_key(value: object) -> str | None:
    """The DOI folded to lower case without `https://doi.org/` or `doi:`; None for arXiv DOIs
    (they name the arXiv id, see `arxiv_key`) and for anything that is not a DOI."""
    if not isinstance(value, str):
        return None
    bare = _DOI_PREFIX.sub("", value.strip())
    if not bare.startswith("10.") or "/" not in bare or _ARXIV_DOI.match(bare):
        return None
    return bare.casefold()


def title_key(value: object) -> str | None:
    """Case, punctuation, accents, white space and invisible characters folded (NFKC first), letters
    of every script kept: 'Visual  Instruction-Tuning!' and 'visual instruction tuning' compare equal."""
    if not isinstance(value, str):
        return None
    if value.isascii() and value.isprintable():  # the common case, and the same result, much faster
        return " ".join(_ASCII_WORD.findall(value.lower())) or None
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value).casefold())
    kept = "".join(char for char in decomposed if unicodedata.category(char) not in _INVISIBLE)
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", kept))
    return " ".join(words) or None


KIND_LABELS = {"arxiv": "arXiv id", "doi": "DOI", "title": "title"}


@dataclass(frozen=True)
class IdentityKey:
    kind: str  # "arxiv", "doi" or "title"
    key: str
    field: str  # the record field the key came from
    description: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def identity_keys(data: Mapping[str, Any]) -> list[IdentityKey]:
    """Each way the (possibly unvalidated) record `data` can be the same paper as another."""
    keys: list[IdentityKey] = []
    arxiv = arxiv_key(data.get("arxiv")) or arxiv_key(data.get("doi"))
    if arxiv:
        keys.append(
            IdentityKey(
                "arxiv", arxiv, "arxiv" if arxiv_key(data.get("arxiv")) else "doi", f"the same arXiv id {arxiv}"
            )
        )
    doi = doi_key(data.get("doi"))
    if doi:
        keys.append(IdentityKey("doi", doi, "doi", f"the same DOI {data.get('doi')}"))
    title = title_key(data.get("title"))
    if title:
        keys.append(IdentityKey("title", title, "title", "the same title"))
    return keys


@dataclass
class KnownPapers:
    """Identity keys of the papers seen so far -> the place (a file, a line) that first had them."""

    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Mapping[str, Any]]]) -> KnownPapers:
        known = cls()
        for owner, data in entries:
            known.add(owner, data)
        return known

    def add(self, owner: str, data: Mapping[str, Any]) -> None:
        record_id = data.get("id")
        if isinstance(record_id, str):
            self.ids.add(record_id)
        for identity in identity_keys(data):
            self.owners.setdefault((identity.kind, identity.key), owner)

    def owner_of(self, data: Mapping[str, Any], ignored: str | None = None) -> tuple[str, IdentityKey] | None:
        """Where the paper `data` is already known, and by which key, in a place other than `ignored`
        (the file that --force is about to replace)."""
        for identity in identity_keys(data):
            owner = self.owners.get((identity.kind, identity.key))
            if owner and owner != ignored:
                return owner, identity
        return None

    def duplicate_of(self, data: Mapping[str, Any], ignored: str | None = None) -> str | None:
        """'papers/x.yaml (the same arXiv id 2304.08485)' when the paper is already known."""
        found = self.owner_of(data, ignored)
        return f"{found[0]} ({found[1].description})" if found else None
