"""BibTeX text -> plain record fields: LaTeX decoded, names turned round, identifiers found.

bibtexparser v2 splits the file and the names; this module decides how an entry's fields map onto a
record's, so that an exporter can later live beside it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import (
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import Entry, Field, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.ids import ARXIV_NEW_PATTERN, ARXIV_OLD_PATTERN
from surveykb.formats.bibtex_concat import ConcatenateStrings

_ARXIV_ID = rf"({ARXIV_NEW_PATTERN}|{ARXIV_OLD_PATTERN})(?:v\d+)?"
_ARXIV_IN_TEXT = [
    re.compile(rf"arxiv\.org/(?:abs|pdf)/{_ARXIV_ID}", re.IGNORECASE),
    re.compile(rf"10\.48550/arxiv\.{_ARXIV_ID}", re.IGNORECASE),
    re.compile(rf"\barxiv\s*:\s*{_ARXIV_ID}", re.IGNORECASE),
    re.compile(rf"^abs/{_ARXIV_ID}$"),
]
_BARE_ARXIV = re.compile(rf"\s*(?:arxiv\s*:\s*)?{_ARXIV_ID}\s*", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_VENUE = re.compile(r"^(?:arxiv\b.*|corr)$", re.IGNORECASE)
_REDUNDANT_URL = re.compile(r"^https?://(?:www\.)?(?:arxiv\.org|(?:dx\.)?doi\.org)/", re.IGNORECASE)
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")
_DOI_PERCENT = re.compile(r"%(25|5[Cc]|7[BbDd])")
_ET_AL = re.compile(r"(?:and\s+)?(?:others|et\.?\s*al\.?)", re.IGNORECASE)
ARXIV_FIELDS = ("eprint", "url", "journal", "howpublished", "volume", "note", "doi")


@dataclass(frozen=True)
class BibEntry:
    """One parsed entry: its citation key, the 1-based line of its `@`, record fields, and the first
    author's last name (for the id: `Martin Luther King, Jr.` gives `king`, not `jr`)."""

    key: str
    line: int
    data: dict[str, Any]
    surname: str | None = None


def parse_bibtex(text: str, shown: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    """Every entry of a BibTeX file as record fields, and an error for each entry that failed."""
    stack = [
        ConcatenateStrings(),
        ResolveStringReferencesMiddleware(True),
        RemoveEnclosingMiddleware(True),
        SeparateCoAuthors(),
        SplitNameParts(),
    ]
    with _quiet_bibtexparser():
        library = parse_string(text, parse_stack=stack)
    decoder = latex_decoder()
    entries: list[BibEntry] = []
    problems: list[Diagnostic] = []
    by_key = {entry.key.lower(): entry for entry in library.entries}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, ParsingFailedBlock):
            problems.append(
                error(shown, line, 1, "bibtex-syntax", f"this entry could not be read: {_reason(block.error)}")
            )
        elif isinstance(block, Entry) and block.entry_type.lower() in VOLUME_TYPES:
            message = f"skipped '{block.key}': a @{block.entry_type.lower()} entry is a volume, not a paper"
            problems.append(warning(shown, line, 1, "bibtex-not-a-paper", message))
        elif isinstance(block, Entry):
            data = entry_fields(with_crossref(block, by_key), decoder)
            if "title" in data:
                entries.append(BibEntry(key=block.key, line=line, data=data, surname=_first_surname(block, decoder)))
            else:
                problems.append(error(shown, line, 1, "bibtex-no-title", f"the entry '{block.key}' has no title"))
    return entries, problems


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each failed block; we report them as diagnostics instead."""
    logger = logging.getLogger("bibtexparser")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


VOLUME_TYPES = ("proceedings", "mvproceedings", "collection", "mvcollection")
# Fields of a crossref'd parent that say nothing about the child paper itself.
_NOT_INHERITED = {"crossref", "title", "ids", "key", "entryset"}


def with_crossref(entry: Entry, by_key: dict[str, Entry]) -> Entry:
    """The entry with the fields it lacks taken from the entry its `crossref` names, as BibTeX does;
    the parent's title becomes the child's `booktitle` (the proceedings' name), as biber does."""
    target = next((field.value for field in entry.fields if field.key.lower() == "crossref"), None)
    parent = by_key.get(target.strip().lower()) if isinstance(target, str) else None
    if parent is None or parent is entry:
        return entry
    own = {field.key.lower() for field in entry.fields}
    inherited = [
        field for field in parent.fields if field.key.lower() not in own and field.key.lower() not in _NOT_INHERITED
    ]
    parent_title = next((field for field in parent.fields if field.key.lower() == "title"), None)
    if parent_title is not None and "booktitle" not in own and not any(f.key.lower() == "booktitle" for f in inherited):
        inherited.append(Field("booktitle", parent_title.value))
    return Entry(entry.entry_type, entry.key, [*entry.fields, *inherited], entry.start_line, entry.raw)


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "abort_reason", None) or str(exc) or type(exc).__name__
    return " ".join(reason.split())


def latex_decoder() -> LatexNodes2Text:
    """pylatexenc configured as bibtexparser's LatexDecodingMiddleware configures it."""
    context = get_default_latex_context_db()
    macros = [
        MacroTextSpec("url", simplify_repl="%s"),
        # What cite.py writes for unpaired braces and carets must read back as those characters.
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
        MacroTextSpec("textasciicircum", simplify_repl="^"),
    ]
    context.add_context_category("surveykb-bibtex", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


def decode(value: str, decoder: LatexNodes2Text) -> str:
    """LaTeX -> Unicode text on one line: `{\\"u}` -> `ü`, `--` -> `–`, braces and `~` gone."""
    try:
        text = decoder.latex_to_text(value)
    except Exception:  # pylatexenc raises assorted errors on malformed input; keep the raw text then
        text = value
    return " ".join(text.split())


def entry_fields(entry: Entry, decoder: LatexNodes2Text) -> dict[str, Any]:
    """The record fields an entry provides, in record order; absent ones are left out."""
    raw = {field.key.lower(): field.value for field in entry.fields}
    text = {key: value for key, value in raw.items() if isinstance(value, str)}
    data: dict[str, Any] = {}
    title = decode(text.get("title", ""), decoder)
    if title:
        data["title"] = title
    people = [_person(parts, decoder) for parts in _names(raw.get("author"))]
    authors = [name for name in people if name and not _ET_AL.fullmatch(name)]
    if authors:
        data["authors"] = authors
    if len(authors) < len(people):  # `and others` / `et al.`: the list is known to be short
        data["authors_complete"] = False
    year = _year(text.get("year") or text.get("date") or "")
    if year is not None:
        data["year"] = year
    venue = _venue(text, decoder)
    if venue:
        data["venue"] = venue
    arxiv = find_arxiv_id(*(text.get(key, "") for key in ARXIV_FIELDS))
    if arxiv:
        data["arxiv"] = arxiv
    doi = _doi_text(text.get("doi", ""))
    if doi:
        data["doi"] = doi
    # White space inside a URL is kept, so that validation refuses the URL rather than guess it.
    url = _URL_ESCAPE.sub(r"\1", text.get("url", "").strip())
    if url and not _REDUNDANT_URL.match(url):
        data["url"] = url
    return data


def _names(value: Any) -> list[NameParts]:
    if isinstance(value, list):
        return [parts for parts in value if isinstance(parts, NameParts)]
    return []


def _person(parts: NameParts, decoder: LatexNodes2Text) -> str:
    """`Last, First` or `First Last` -> `First Last`; `others` (et al.) -> ''."""
    words = [decode(word, decoder) for part in (parts.first, parts.von, parts.last, parts.jr) for word in part]
    return " ".join(word for word in words if word)


def _first_surname(entry: Entry, decoder: LatexNodes2Text) -> str | None:
    authors = next((field.value for field in entry.fields if field.key.lower() == "author"), None)
    people = [
        parts for parts in _names(authors) if _person(parts, decoder) and not _ET_AL.fullmatch(_person(parts, decoder))
    ]
    surname = decode(" ".join(people[0].last), decoder) if people else ""
    return surname or None


def _year(value: str) -> int | None:
    found = re.search(r"\b(\d{4})\b", value)
    return int(found.group(1)) if found else None


def _venue(text: dict[str, str], decoder: LatexNodes2Text) -> str:
    """booktitle or journal; for @misc, a `howpublished` that is a name rather than a link."""
    howpublished = text.get("howpublished", "")
    named = howpublished if not re.search(r"https?:|\\url", howpublished, re.IGNORECASE) else ""
    venue = decode(text.get("booktitle") or text.get("journal") or named, decoder)
    return "arXiv" if _ARXIV_VENUE.match(venue) or re.match(r"arxiv\b", venue, re.IGNORECASE) else venue


def find_arxiv_id(*texts: str) -> str | None:
    """The first arXiv id (without version) in an eprint field, arXiv or DOI URL, `arXiv:...` note."""
    for text in texts:
        bare = _BARE_ARXIV.fullmatch(text)
        if bare:
            return bare.group(1)
        for pattern in _ARXIV_IN_TEXT:
            found = pattern.search(text.strip())
            if found:
                return found.group(1)
    return None


def _doi_text(value: str) -> str:
    """The DOI as written in a .bib file -> the DOI: LaTeX escapes (`\\_`) and the percent-encodings
    of `%`, `\\` and braces that bibtex_write writes read back as the characters."""
    bare = _URL_ESCAPE.sub(r"\1", clean_doi(value))
    return _DOI_PERCENT.sub(lambda match: chr(int(match.group(1), 16)), bare)


def clean_doi(value: str) -> str:
    """`https://doi.org/10.1/x` or `doi:10.1/x` -> `10.1/x`."""
    return _DOI_PREFIX.sub("", value.strip())
