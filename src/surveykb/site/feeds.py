"""Atom feeds of recently added papers: one for the site and one per taxonomy node.

Entries come newest `added` first in `recently_added`'s order, the same as the home page's list.
A feed's `updated` is its newest entry's date, never the build time, so a rebuild of the same
records writes the same bytes. With the site's URL known, links and ids are absolute; without it,
links are relative to the feed (Atom resolves them against the feed's own address) and ids are URNs.
"""

from __future__ import annotations

import datetime
import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from surveykb.core.index import Index, recently_added
from surveykb.core.model import Paper
from surveykb.core.urls import node_url, paper_url
from surveykb.formats.data_files import DataFiles

FEED_SIZE = 50  # entries per feed
ATOM = "http://www.w3.org/2005/Atom"
SITE_FEED = "feeds/papers.xml"
# Material reads every <link rel="alternate"> as another language of the site and fetches the
# `sitemap.xml` next to it; an empty one beside the feeds keeps that from failing (404) on each page.
FEEDS_SITEMAP = "feeds/sitemap.xml"
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


@dataclass(frozen=True)
class SiteInfo:
    """What a feed says about the site it belongs to."""

    name: str
    url: str | None  # the published address (mkdocs.yml's site_url), ending in "/", or None


def node_feed_path(node_id: str) -> str:
    return f"feeds/{node_id}.xml"


def site_feeds(index: Index, site: SiteInfo) -> DataFiles:
    """Every feed by its path in the site (and the empty `FEEDS_SITEMAP`)."""
    feeds: DataFiles = {FEEDS_SITEMAP: lambda: EMPTY_SITEMAP, SITE_FEED: functools.partial(_site_feed, index, site)}
    for node_id in index.taxonomy.nodes:
        feeds[node_feed_path(node_id)] = functools.partial(_node_feed, index, site, node_id)
    return feeds


def _site_feed(index: Index, site: SiteInfo) -> str:
    return atom_feed(
        index, site, SITE_FEED, f"{site.name}: recently added papers", "", recently_added(index.papers.values())
    )


def _node_feed(index: Index, site: SiteInfo, node_id: str) -> str:
    papers = [index.papers[paper_id] for paper_id in index.by_node.get(node_id, [])]
    title = f"{site.name}: recently added papers on {index.taxonomy.nodes[node_id].name}"
    return atom_feed(index, site, node_feed_path(node_id), title, node_url(node_id), recently_added(papers))


def atom_feed(index: Index, site: SiteInfo, path: str, title: str, page: str, paper_ids: list[str]) -> str:
    """The feed at `path` (relative to the site root) for the page at `page`, of the first
    `FEED_SIZE` of `paper_ids`."""
    shown = [index.papers[paper_id] for paper_id in paper_ids[:FEED_SIZE]]
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "title", title)
    _text(feed, "id", _absolute(site, path) or f"urn:surveykb:feed:{path}")
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": _href(site, path, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": _href(site, path, page)})
    _text(feed, "updated", _timestamp(shown[0].added if shown else None))
    _text(ET.SubElement(feed, "author"), "name", site.name)
    _text(feed, "generator", "surveykb")
    for paper in shown:
        feed.append(_entry(index, site, path, paper))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(index: Index, site: SiteInfo, path: str, paper: Paper) -> ET.Element:
    entry = ET.Element("entry")
    _text(entry, "title", paper.title)
    _text(entry, "id", _absolute(site, paper_url(paper.id)) or f"urn:surveykb:paper:{paper.id}")
    ET.SubElement(
        entry, "link", {"rel": "alternate", "type": "text/html", "href": _href(site, path, paper_url(paper.id))}
    )
    _text(entry, "published", _timestamp(paper.added))
    _text(entry, "updated", _timestamp(paper.added))
    for name in paper.authors:
        _text(ET.SubElement(entry, "author"), "name", name)
    for tag in paper.tags:
        ET.SubElement(entry, "category", {"term": tag, "label": index.taxonomy.nodes[tag].name})
    summary = " · ".join(part for part in (str(paper.year or ""), paper.venue or "", paper.summary or "") if part)
    if summary:
        _text(entry, "summary", summary)
    return entry


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _timestamp(day: datetime.date | None) -> str:
    return f"{(day or datetime.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def _absolute(site: SiteInfo, target: str) -> str | None:
    return f"{site.url}{target}" if site.url else None


def _href(site: SiteInfo, feed_path: str, target: str) -> str:
    """`target` (relative to the site root) as the feed at `feed_path` links to it."""
    return _absolute(site, target) or "../" * feed_path.count("/") + target or "./"
