"""Page data -> HTML through the Jinja templates in `templates/pages/`.

Templates autoescape every value and get `StrictUndefined`, so a missing value fails loudly. Each
render also hands back the headings the page's `heading` macro wrote, for the table of contents.

A page renders in two forms. The full form is what the reader gets. The search form leaves out the
blocks the search index skips anyway (paper tables, charts, BibTeX; the macros say which), so
search never parses them and the full form of a page exists only while that page is written.

A fragment a template wraps in `{% cache key, ... %}...{% endcache %}` is rendered once per key and
then reused (a paper's row is the same on every cell page that lists it). The key must name every
value the fragment shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup, escape

from surveykb.core.urls import root_of


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Headings:
    """Collects the headings a template writes (the `heading` macro calls `add`)."""

    kept: list[Heading] = field(default_factory=list)

    def add(self, level: int, anchor: str, text: str) -> str:
        """Keep a heading; its text as HTML, the form MkDocs' themes print unescaped."""
        self.kept.append(Heading(level, anchor, str(escape(text))))
        return ""


@dataclass(frozen=True)
class RenderedPage:
    html: str
    headings: list[Heading]


class _Environment(jinja2.Environment):
    """Templates read plain dicts (`paper.title`): look the key up first, instead of Jinja's attribute
    lookup, which fails on a dict and only then tries the key (an exception per access)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class FragmentCache(Extension):
    """`{% cache key, ... %}body{% endcache %}`: the body's output, kept by key for the environment's
    life. The oldest fragments are dropped past `FRAGMENTS_KEPT`, so memory stays bounded."""

    tags = {"cache"}

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[tuple[Any, ...], Markup] = {}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        key = key if isinstance(key, nodes.Tuple) else nodes.Tuple([key], "load")
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", [key]), [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Any, ...], caller: Any) -> Markup:
        fragment = self.fragments.get(key)
        if fragment is None:
            fragment = self.fragments[key] = caller()
            if len(self.fragments) > FRAGMENTS_KEPT:
                del self.fragments[next(iter(self.fragments))]
        return fragment


# Enough for one row of every paper of a 10,000-record knowledge base, at about 1 KiB a row.
FRAGMENTS_KEPT = 16_384


def make_environment(templates: Path) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader(templates),
        extensions=[FragmentCache],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(
    env: jinja2.Environment, template: str, url: str, context: dict[str, Any], *, full: bool
) -> RenderedPage:
    """The page at `url` (relative to the site root) in its full or its search form."""
    headings = Headings()
    html = env.get_template(template).render(root=root_of(url), full=full, headings=headings, **context)
    return RenderedPage(html, headings.kept)


def toc_tokens(headings: list[Heading]) -> list[dict[str, Any]]:
    """Headings nested the way Python-Markdown's `toc` extension hands them to MkDocs."""
    top: list[dict[str, Any]] = []
    open_tokens: list[dict[str, Any]] = []
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": heading.text, "children": []}
        while open_tokens and open_tokens[-1]["level"] >= heading.level:
            open_tokens.pop()
        (open_tokens[-1]["children"] if open_tokens else top).append(token)
        open_tokens.append(token)
    return top
