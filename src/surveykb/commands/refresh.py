"""`surveykb refresh`: each record with an arXiv id or DOI compared with what the sources say now.

Reported at the record's line: a preprint now published (`published`: its venue and DOI), a DOI the
record lacks (`new-doi`), a changed title (`title-changed`) or author list (`authors-changed`), a
withdrawn paper (`withdrawn`), and a source that gave no answer (`source-failed`). Nothing is written
unless asked; then the changes go through the atomic writer, field by field (see `edit.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from surveykb.commands.edit import EditRefused, edit_fields
from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.files import write_atomic
from surveykb.core.identity import title_key
from surveykb.core.knowledge_base import KnowledgeBase
from surveykb.core.validate import Record
from surveykb.core.venues import Venue, split_venue
from surveykb.sources.arxiv import fetch_arxiv
from surveykb.sources.crossref import fetch_crossref
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.lookup import Facts, facts_from
from surveykb.sources.openalex import arxiv_doi, fetch_openalex
from surveykb.sources.work import Work


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class RecordReport:
    record: Record
    changes: list[Change] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


@dataclass
class RefreshResult:
    reports: list[RecordReport]
    written: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(problem for report in self.reports for problem in report.problems)

    def summary(self, write: bool) -> str:
        changed = [report for report in self.reports if report.changes]
        count = sum(len(report.changes) for report in changed)
        verb = f"{len(self.written)} written" if write else "nothing written (pass --write)"
        return (
            f"{len(self.reports)} records compared with the sources; {count} changes in {len(changed)} records; {verb}"
        )


def refreshable(kb: KnowledgeBase, ids: list[str] | None = None) -> list[Record]:
    wanted = set(ids) if ids else None
    return [
        record
        for record in kb.records
        if (record.paper.arxiv or record.paper.doi) and (wanted is None or record.paper.id in wanted)
    ]


def refresh(records: list[Record], fetcher: Fetcher, venues: tuple[Venue, ...]) -> RefreshResult:
    """Compare every record with the sources; writes nothing."""
    arxiv = fetch_arxiv(fetcher, [record.paper.arxiv for record in records if record.paper.arxiv])
    reports = []
    for record in records:
        report = RecordReport(record)
        try:
            facts = _facts(record, arxiv, fetcher, venues)
        except SourceError as failure:
            report.problems.append(_at(record, "id", warning, "source-failed", str(failure)))
        else:
            compare(record, facts, venues, report)
        reports.append(report)
    return RefreshResult(reports)


def _facts(record: Record, arxiv: dict[str, Work | SourceError], fetcher: Fetcher, venues: tuple[Venue, ...]) -> Facts:
    paper = record.paper
    if paper.arxiv:
        main = arxiv[paper.arxiv]
        if isinstance(main, SourceError):
            raise main
        try:
            published: Work | None = fetch_openalex(fetcher, arxiv_doi(paper.arxiv))
        except SourceError as failure:
            if failure.kind != "not-found":
                raise
            published = None
        return facts_from(main, published, venues)
    return facts_from(fetch_crossref(fetcher, paper.doi or ""), None, venues)


def compare(record: Record, facts: Facts, venues: tuple[Venue, ...], report: RecordReport) -> None:
    paper, fetched = record.paper, facts.fields
    preprints = {venue.name for venue in venues if venue.kind == "preprint"}
    venue = fetched.get("venue")
    if venue and split_venue(venue)[0] not in preprints and (paper.venue is None or paper.venue in preprints):
        _change(report, "venue", paper.venue, venue, "published", f"the preprint is now published: venue {venue}")
    if fetched.get("doi") and not paper.doi:
        code = "published" if report.changes else "new-doi"
        _change(report, "doi", None, fetched["doi"], code, f"the sources give the DOI {fetched['doi']}")
    if fetched.get("title") and title_key(fetched["title"]) != title_key(paper.title):
        _change(
            report, "title", paper.title, fetched["title"], "title-changed", f"the title is now '{fetched['title']}'"
        )
    authors = fetched.get("authors") or []
    if authors and [title_key(name) for name in authors] != [title_key(name) for name in paper.authors]:
        message = f"the author list changed: {len(paper.authors)} -> {len(authors)} authors" + _first_difference(
            paper.authors, authors
        )
        _change(report, "authors", list(paper.authors), list(authors), "authors-changed", message)
    if facts.withdrawn:
        report.problems.append(
            _at(record, "id", warning, "withdrawn", f"{facts.sources[0]} marks the paper as withdrawn")
        )


def _first_difference(old: list[str], new: list[str]) -> str:
    for position, (before, after) in enumerate(zip(old, new), start=1):
        if title_key(before) != title_key(after):
            return f" (#{position}: '{before}' -> '{after}')"
    return ""


def _change(report: RecordReport, name: str, old: Any, new: Any, code: str, message: str) -> None:
    report.changes.append(Change(name, old, new))
    report.problems.append(_at(report.record, name, warning, code, message))


def _at(record: Record, name: str, severity: Any, code: str, message: str) -> Diagnostic:
    where = record.loaded.position((name,) if name in record.loaded.data else ("id",), key=True)
    result: Diagnostic = severity(record.shown, where.line, where.col, code, message)
    return result


def write_changes(result: RefreshResult) -> None:
    """Write every record with changes, one atomic replacement each; a refused edit becomes an error."""
    for report in result.reports:
        if not report.changes:
            continue
        record = report.record
        try:
            text = record.path.read_bytes().decode("utf-8")
            edited = edit_fields(
                text,
                record.loaded,
                {change.field: change.new for change in report.changes},
                type(record.paper).axis_ids,
            )
            write_atomic(record.path, edited, overwrite=True)
        except (EditRefused, OSError, UnicodeDecodeError) as exc:
            report.problems.append(error(record.shown, 1, 1, "refresh-unsafe", f"not written: {exc}"))
            continue
        result.written.append(record.shown)
