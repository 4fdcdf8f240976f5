"""Page data -> HTML through the Jinja templates in `templates/pages/`.

Templates autoescape every value and get `StrictUndefined`, so a missing value fails loudly. Each
render also hands back the headings the page's `heading` macro wrote, for the table of contents.

A page renders in two forms. The full form is what the reader gets. The search form leaves out the
blocks the search index skips anyway (paper tables, charts, BibTeX; the macros say which), so
search never parses them and the full form of a page exists only while that page is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape

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


def make_environment(templates: Path) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(env: jinja2.Environment, template: str, url: str, context: dict[str, Any], *, full: bool) -> RenderedPage:
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
