"""Tags suggested by text similarity: the knowledge base's nearest records (TF-IDF over titles, short
names and summaries, cosine similarity) vote for their tags, each vote weighted by the neighbour's
similarity, and every suggestion names the neighbours behind it.

An inverted index keeps a query proportional to the postings of its own words, so ranking ten
thousand candidate works against the knowledge base takes a few seconds at most.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from surveykb.core.ids import STOP_WORDS, ascii_fold
from surveykb.core.model import Paper

NEIGHBOURS = 5
SUGGESTIONS = 4
QUERY_WORDS = 32
EXTRA_STOP_WORDS = frozenset(
    [
        "using",
        "based",
        "large",
        "model",
        "models",
        "language",
        "multimodal",
        "multi",
        "modal",
        "paper",
        "propose",
        "proposed",
        "we",
        "this",
        "that",
        "these",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case ASCII-folded words of three letters or more, stop words dropped, plural 's' cut."""
    found = re.findall(r"[a-z0-9]{3,}", ascii_fold(text))
    return [
        word[:-1] if word.endswith("s") and len(word) > 4 else word
        for word in found
        if word not in STOP_WORDS and word not in EXTRA_STOP_WORDS
    ]


def paper_text(paper: Paper) -> str:
    return " ".join(part for part in (paper.title, paper.short_name, paper.listed_as, paper.summary) if part)


@dataclass(frozen=True)
class Neighbour:
    id: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    tag: str
    score: float
    neighbours: tuple[Neighbour, ...]  # the records with this tag among the nearest, best first


class TextIndex:
    """Papers as unit TF-IDF vectors, searchable by a text."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self.papers = list(papers)
        self.by_id = {paper.id: paper for paper in self.papers}
        counts = [Counter(words(paper_text(paper))) for paper in self.papers]
        frequency = Counter(word for count in counts for word in count)
        total = len(counts)
        # Words in more than half of the records say little about any of them and cost the most to
        # look up; they are left out (with a small knowledge base, only words in every record are).
        common = max(2, total // 2)
        self.idf = {
            word: math.log((1 + total) / (1 + seen)) + 1
            for word, seen in frequency.items()
            if seen <= common or total < 4
        }
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, count in enumerate(counts):
            for word, weight in _unit(count, self.idf).items():
                self.postings[word].append((position, weight))

    def nearest(self, text: str, count: int = NEIGHBOURS) -> list[Neighbour]:
        """The `count` most similar papers with a similarity above zero, most similar first (ties by id)."""
        scores: dict[int, float] = defaultdict(float)
        weights = _unit(Counter(words(text)), self.idf)
        # The strongest words carry nearly all of the similarity and are the rarest, with the
        # shortest postings; a long abstract is cut to them.
        strongest = heapq.nlargest(QUERY_WORDS, weights.items(), key=lambda item: (item[1], item[0]))
        for word, weight in strongest:
            for position, other in self.postings.get(word, ()):
                scores[position] += weight * other
        ranked = heapq.nsmallest(count, scores.items(), key=lambda item: (-item[1], self.papers[item[0]].id))
        return [Neighbour(self.papers[position].id, round(score, 3)) for position, score in ranked[:count] if score > 0]

    def suggest(self, text: str, count: int = SUGGESTIONS) -> list[Suggestion]:
        """Tags of the nearest papers, ranked by the summed similarity of the papers carrying them."""
        return self.suggest_from(self.nearest(text), count)

    def suggest_from(self, neighbours: list[Neighbour], count: int = SUGGESTIONS) -> list[Suggestion]:
        """Tags voted for by `neighbours` (from `nearest`)."""
        support: dict[str, list[Neighbour]] = defaultdict(list)
        for neighbour in neighbours:
            for tag in self.by_id[neighbour.id].tags:
                support[tag].append(neighbour)
        ranked = sorted(support.items(), key=lambda item: (-sum(n.score for n in item[1]), item[0]))
        return [Suggestion(tag, round(sum(n.score for n in found), 3), tuple(found)) for tag, found in ranked[:count]]


def _unit(count: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {word: (1 + math.log(times)) * idf[word] for word, times in count.items() if word in idf}
    norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
    return {word: weight / norm for word, weight in weights.items()}


def format_suggestions(suggestions: list[Suggestion]) -> list[str]:
    """'1. creator (0.61): like liu2023visual 0.42, chen2023sharegpt4v 0.19' per suggestion."""
    return [
        f"{number}. {found.tag} ({found.score:.2f}): like "
        + ", ".join(f"{n.id} {n.score:.2f}" for n in found.neighbours)
        for number, found in enumerate(suggestions, start=1)
    ]
