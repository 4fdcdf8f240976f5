"""Atom feeds of recently added papers: valid Atom (read back by feedparser), newest first in a
stable order, one per taxonomy node, absolute links when the site's URL is known."""

from __future__ import annotations

import dataclasses
import datetime

import feedparser
import pytest
from conftest import FIXTURE_KB, TODAY

from surveykb.core.index import Index, build_index, recently_added
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.site.feeds import (
    FEED_SIZE,
    FEEDS_SITEMAP,
    SITE_FEED,
    SiteInfo,
    node_feed_path,
    site_feeds,
)

LIU, CHEN = "liu2023visual", "chen2023sharegpt4v"
PUBLISHED = SiteInfo("Test KB", "https://kb.example.test/survey/")


@pytest.fixture(scope="module")
def index() -> Index:
    kb, _ = load_knowledge_base(FIXTURE_KB, today=TODAY)
    assert kb is not None
    return build_index(kb)


def parse(text: str, url: str = "") -> feedparser.FeedParserDict:
    parsed = feedparser.parse(
        text, response_headers={"content-location": url, "content-type": "application/atom+xml"} if url else None
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_site_feed_lists_dated_papers_newest_first_with_absolute_links(index: Index) -> None:
    parsed = parse(site_feeds(index, PUBLISHED)[SITE_FEED]())
    assert parsed.feed.title == "Test KB: recently added papers"
    assert parsed.feed.id == "https://kb.example.test/survey/feeds/papers.xml"
    assert parsed.feed.updated == "2024-07-12T00:00:00Z"
    assert [link.href for link in parsed.feed.links] == [
        "https://kb.example.test/survey/feeds/papers.xml",
        "https://kb.example.test/survey/",
    ]
    assert [entry.link for entry in parsed.entries] == [
        f"https://kb.example.test/survey/papers/{paper_id}/" for paper_id in recently_added(index.papers.values())
    ]
    liu = next(entry for entry in parsed.entries if entry.id.endswith(f"/{LIU}/"))
    assert [author.name for author in liu.authors] == list(index.papers[LIU].authors)
    assert liu.published == "2024-07-12T00:00:00Z"
    assert [tag.term for tag in liu.tags] == index.papers[LIU].tags
    assert liu.title == "Visual Instruction Tuning"


def test_without_a_site_url_links_are_relative_to_the_feed(index: Index) -> None:
    text = site_feeds(index, SiteInfo("Test KB", None))[SITE_FEED]()
    parsed = parse(text, "http://host.test/kb/feeds/papers.xml")
    assert parsed.entries[0].link.startswith("http://host.test/kb/papers/")
    assert parsed.entries[0].id.startswith("urn:surveykb:paper:")


def test_every_node_has_a_feed_of_the_papers_it_holds(index: Index) -> None:
    feeds = site_feeds(index, PUBLISHED)
    assert set(feeds) == {FEEDS_SITEMAP, SITE_FEED} | {node_feed_path(node_id) for node_id in index.taxonomy.nodes}
    for node_id in index.taxonomy.nodes:
        parsed = parse(feeds[node_feed_path(node_id)]())
        held = {paper_id for paper_id in index.by_node.get(node_id, []) if index.papers[paper_id].added}
        assert {entry.link.rsplit("/", 2)[-2] for entry in parsed.entries} == held, node_id
        assert parsed.feed.links[1].href == f"https://kb.example.test/survey/taxonomy/{node_id}/"


def test_papers_added_the_same_day_are_ordered_by_year_title_then_id(index: Index) -> None:
    base = index.papers[LIU]
    day = datetime.date(2025, 1, 1)
    papers = [
        base.model_copy(update={"id": "c", "title": "Beta", "year": 2023, "added": day}),
        base.model_copy(update={"id": "a", "title": "Alpha", "year": 2022, "added": day}),
        base.model_copy(update={"id": "b", "title": "alpha", "year": 2023, "added": day}),
        base.model_copy(update={"id": "d", "title": "Zeta", "year": 2020, "added": datetime.date(2025, 2, 1)}),
        base.model_copy(update={"id": "e", "title": "Undated", "added": None}),
    ]
    assert recently_added(papers) == ["d", "b", "c", "a"]
    assert recently_added(reversed(papers)) == ["d", "b", "c", "a"]


def test_a_feed_holds_at_most_feed_size_entries(index: Index) -> None:
    base = index.papers[LIU]
    many = {
        f"p{n:03d}": base.model_copy(
            update={"id": f"p{n:03d}", "added": datetime.date(2024, 1, 1) + datetime.timedelta(days=n)}
        )
        for n in range(FEED_SIZE + 5)
    }
    big = dataclasses.replace(index, papers=many, by_node={})
    parsed = parse(site_feeds(big, PUBLISHED)[SITE_FEED]())
    assert len(parsed.entries) == FEED_SIZE
    assert parsed.entries[0].link.endswith(f"/p{FEED_SIZE + 4:03d}/")
    assert parsed.feed.updated == parsed.entries[0].updated
