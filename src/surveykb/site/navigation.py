"""The site's navigation: hand-written pages, the taxonomy tree, the tables and the outline.
Paper and cell pages are left out on purpose: thousands of nav entries make every page heavy."""

from __future__ import annotations

import html
from typing import Any

from surveykb.core.index import Index
from surveykb.core.urls import node_url, src_uri

NavItem = str | dict[str, Any]


def site_navigation(index: Index, configured: list[NavItem] | None) -> list[NavItem]:
    """The configured nav with the generated sections put where the placeholder names stand.

    In mkdocs.yml, `- surveykb: taxonomy` (likewise `tables`, `outline`, `gaps`, `home`) marks where each
    generated part goes, so the order stays the site owner's."""
    generated: dict[str, list[NavItem]] = {
        "home": ["index.md"],
        "explore": [{"Explore": "explore/index.md"}],
        "taxonomy": [_node_entry(index, axis) for axis in index.taxonomy.axes],
        "tables": [
            {"Cross tables": ["tables/index.md", *[{t.title: f"tables/{t.slug}/index.md"} for t in index.tables]]}
        ],
        "outline": [{"Survey outline": "outline/index.md"}] if index.taxonomy.sections else [],
        "charts": [{"Charts": "charts/index.md"}],
        "gaps": [{"Gaps": "gaps/index.md"}],
        "contribute": [{"Contribute": "contribute/index.md"}],
    }
    if not configured:
        return [item for part in generated.values() for item in part]
    return _substitute(configured, generated)


def _substitute(items: list[NavItem], generated: dict[str, list[NavItem]]) -> list[NavItem]:
    result: list[NavItem] = []
    for item in items:
        if isinstance(item, dict) and set(item) == {"surveykb"} and item["surveykb"] in generated:
            result += generated[item["surveykb"]]
        elif isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), list):
            title, children = next(iter(item.items()))
            result.append({title: _substitute(children, generated)})
        else:
            result.append(item)
    return result


def _node_entry(index: Index, node_id: str) -> NavItem:
    node = index.taxonomy.nodes[node_id]
    page = src_uri(node_url(node.id))
    if not node.children:
        return page
    # The theme writes section titles into the page unescaped (MkDocs' templates do not autoescape).
    return {html.escape(node.name): [page, *[_node_entry(index, child) for child in node.children]]}
