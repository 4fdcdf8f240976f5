"""`surveykb discover`: papers the knowledge base may be missing.

Candidates are the works OpenAlex lists as citing the survey (taxonomy/survey.yaml) or citing at least
`min_cited` papers of the knowledge base. Papers already in it are dropped by the one identity rule
(`core.identity`). The rest are ranked by text similarity to the knowledge base (title and abstract
against its records), each with suggested tags and its evidence: the records it cites and the ones
it resembles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from surveykb.commands.diff import escape
from surveykb.commands.suggest import Neighbour, Suggestion, TextIndex
from surveykb.core.identity import KnownPapers
from surveykb.core.knowledge_base import KnowledgeBase
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.openalex import arxiv_doi, citing_works, fetch_openalex
from surveykb.sources.work import Work

FILTER_BATCH = 50  # OpenAlex ids per `cites:` filter (it accepts up to 100 values joined by |)


@dataclass(frozen=True)
class Candidate:
    work: Work
    score: float
    cites_survey: bool
    cites: tuple[str, ...]  # ids of the records it cites
    resembles: tuple[Neighbour, ...]
    tags: tuple[Suggestion, ...]

    def as_dict(self) -> dict[str, Any]:
        work = self.work
        return {
            "title": work.title, "year": work.year, "authors": list(work.authors[:10]), "doi": work.doi, "arxiv": work.arxiv,
            "openalex": work.openalex_id, "score": self.score, "cites_survey": self.cites_survey, "cites": list(self.cites),
            "resembles": [{"id": n.id, "similarity": n.score} for n in self.resembles],
            "suggested_tags": [{"tag": s.tag, "score": s.score, "because_of": [n.id for n in s.neighbours]} for s in self.tags],
        }  # fmt: skip


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    examined: int = 0


def discover(
    kb: KnowledgeBase, fetcher: Fetcher, since: str | None = None, limit: int | None = None, min_cited: int = 2
) -> Discovery:
    """Ask OpenAlex for the candidates and rank them; raises SourceError when the survey's citations cannot be listed."""
    found = Discovery()
    described = kb.taxonomy.survey
    asked = (arxiv_doi(described.arxiv) if described.arxiv else described.doi) if described else None
    survey = fetch_openalex(fetcher, asked) if asked else None
    if survey is None:
        found.notes.append(
            "taxonomy/survey.yaml names no arXiv id or DOI of the survey: only works citing the records are listed"
        )
    record_of, missing = _openalex_ids(kb, fetcher)
    if missing:
        found.notes.append(
            f"{missing} records are not in OpenAlex (or could not be looked up); works citing them are not counted"
        )
    works: dict[str, Work] = {}
    for work in citing_works(fetcher, [survey.openalex_id or ""], since) if survey is not None else ():
        works.setdefault(work.openalex_id or work.page, work)
    ids = sorted(record_of)
    for start in range(0, len(ids), FILTER_BATCH):
        for work in citing_works(fetcher, ids[start : start + FILTER_BATCH], since):
            works.setdefault(work.openalex_id or work.page, work)
    found.examined = len(works)
    ranked = rank_candidates(works.values(), kb, record_of, survey.openalex_id if survey else None, min_cited)
    found.candidates = ranked[:limit] if limit is not None else ranked
    return found


def _openalex_ids(kb: KnowledgeBase, fetcher: Fetcher) -> tuple[dict[str, str], int]:
    """OpenAlex id -> record id for the records OpenAlex knows (looked up one by one: free, and cached)."""
    found: dict[str, str] = {}
    missing = 0
    for record in kb.records:
        paper = record.paper
        asked = arxiv_doi(paper.arxiv) if paper.arxiv else paper.doi
        if not asked:
            continue
        try:
            work = fetch_openalex(fetcher, asked)
        except SourceError:
            missing += 1
            continue
        if work.openalex_id:
            found[work.openalex_id] = paper.id
    return found, missing


def rank_candidates(
    works: Iterable[Work], kb: KnowledgeBase, record_of: dict[str, str], survey_id: str | None, min_cited: int
) -> list[Candidate]:
    """Works citing the survey or at least `min_cited` records, not in the knowledge base, best first."""
    known = KnownPapers.of((record.shown, record.loaded.data) for record in kb.records)
    index = TextIndex(kb.papers)
    candidates = []
    for work in works:
        cites = tuple(sorted({record_of[ref] for ref in work.references if ref in record_of}))
        cites_survey = survey_id is not None and survey_id in work.references
        if not (cites_survey or len(cites) >= min_cited) or known.duplicate_of(
            {"title": work.title, "doi": work.doi, "arxiv": work.arxiv}
        ):
            continue
        text = " ".join(part for part in (work.title, work.abstract) if part)
        nearest = index.nearest(text)
        resembles = tuple(nearest[:3])
        score = round(sum(n.score for n in resembles) / 3 + 0.02 * len(cites), 3)
        candidates.append(Candidate(work, score, cites_survey, cites, resembles, tuple(index.suggest_from(nearest, 3))))
    return sorted(candidates, key=lambda found: (-found.score, found.work.title or ""))


def to_json(found: Discovery) -> str:
    return json.dumps(
        {"examined": found.examined, "notes": found.notes, "candidates": [c.as_dict() for c in found.candidates]},
        indent=2,
        ensure_ascii=False,
    )


def to_markdown(found: Discovery) -> str:
    lines = [
        "Papers that cite the survey or several papers of the knowledge base and are not in it yet, most similar first.",
        f"{len(found.candidates)} candidates of {found.examined} citing works. Add one with `surveykb new <arXiv id or DOI>`.",
        "",
    ]
    lines += [f"> {escape(note)}" for note in found.notes] + ([""] if found.notes else [])
    for number, candidate in enumerate(found.candidates, start=1):
        lines += _candidate_lines(number, candidate)
    return "\n".join(lines)


def _candidate_lines(number: int, candidate: Candidate) -> list[str]:
    work = candidate.work
    link = f"arXiv {work.arxiv}" if work.arxiv else f"DOI {work.doi}" if work.doi else work.page
    evidence = (["cites the survey"] if candidate.cites_survey else []) + (
        [f"cites {', '.join(candidate.cites)}"] if candidate.cites else []
    )
    lines = [
        f"{number}. **{escape(work.title or '(untitled)')}** ({work.year or 'n.d.'}; {escape(link)}), score {candidate.score:.2f}"
    ]
    lines.append(f"   - evidence: {escape('; '.join(evidence))}")
    if candidate.resembles:
        lines.append("   - resembles: " + ", ".join(f"{escape(n.id)} {n.score:.2f}" for n in candidate.resembles))
    if candidate.tags:
        lines.append(
            "   - suggested tags: "
            + ", ".join(
                f"{escape(s.tag)} (like {escape(', '.join(n.id for n in s.neighbours))})" for s in candidate.tags
            )
        )
    return lines + [""]
