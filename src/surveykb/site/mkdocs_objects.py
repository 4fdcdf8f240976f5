"""What the plugin hands MkDocs: its generated pages, data files, and the key saying which pages share
pieces of the theme's chrome. Each is a small adapter; the work is done in `site.build`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from surveykb.site.build import PlannedPage, SiteContent
from surveykb.site.render import RenderedPage, toc_tokens


class SharedChrome:
    """Which pages get the same pieces of the theme's chrome (the sidebars, the footer, the stylesheet,
    configuration and script tags), so that main.html draws each piece once for all such pages.

    Those pieces show nothing of a page outside the navigation but its table of contents and what
    its front matter hides, and link to the navigation and the site's files relative to the page,
    which comes to the same for every page of a folder, unless a link's target lies under the page
    itself. So all paper pages with the same table of contents share one drawing; a page in the
    navigation (which marks its own entry, and has a previous and a next page) has its own."""

    def __init__(self, nav: Navigation, files: Files) -> None:
        targets = [*_nav_urls(nav.items), *(file.url for file in files if not file.is_documentation_page())]
        self.above_targets = _folders(targets)

    def key(self, page: Page | None) -> tuple[Any, ...]:
        if page is None:  # 404.html, which MkDocs renders once, without a page
            return ("no page",)
        own = not page.url or page.url in self.above_targets
        place = page.url if own else page.url[: page.url.rstrip("/").rfind("/") + 1]
        hidden = tuple(page.meta.get("hide") or ()) if page.meta else ()
        return ("own" if own else "shared", place, hidden, _toc_key(page.toc))


def _folders(urls: list[str]) -> set[str]:
    """Every folder a URL lies in or is: `a/b/` and `a/b/c.css` give `a/` and `a/b/`."""
    found: set[str] = set()
    for url in urls:
        parts = url.split("/")
        found.update("/".join(parts[:end]) + "/" for end in range(1, len(parts)))
    return found


def _nav_urls(items: list[Any]) -> Iterator[str]:
    """The URL of every page and link of the navigation, sections opened."""
    for item in items:
        if getattr(item, "url", None) is not None:
            yield item.url
        yield from _nav_urls(getattr(item, "children", None) or [])


def _toc_key(toc: Any) -> tuple[Any, ...]:
    return tuple((item.title, item.url, item.level, _toc_key(item.children)) for item in toc)


class DataFile(File):
    """A data file of the site (an export, a feed, the paper search index): its text is made each time
    MkDocs reads it, which it does once, to write it. So a build holds one data file at a time, not
    all of them from the start to the end."""

    make: Callable[[], str]

    @classmethod
    def made_by(cls, make: Callable[[], str], config: MkDocsConfig, path: str) -> DataFile:
        file = cls(path, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
        file.generated_by = "surveykb"
        file.make = make
        return file

    # Every read of a generated file's content goes through `_content` (copying it into the site,
    # content_bytes, content_string, the --dirty check); setting it fixes the text.
    @property  # type: ignore[override]
    def _content(self) -> str:
        return self.make()

    @_content.setter
    def _content(self, content: str | bytes | None) -> None:
        if content is None:
            raise TypeError(f"{self.src_uri} is made by surveykb; it has no source file to fall back on")
        text = content.decode() if isinstance(content, bytes) else content
        self.make = lambda: text


class GeneratedPage(Page):
    """A planned page as MkDocs sees it: its metadata is the plan's and its HTML the renderer's, with
    no Markdown in between. It holds the form the search reads (nothing, for a page the search leaves
    out) except while it is written, when it holds the full form."""

    def __init__(self, planned: PlannedPage, content: SiteContent, file: File, config: MkDocsConfig) -> None:
        super().__init__(None, file, config)  # sets file.page, so MkDocs makes no Page of its own
        self.planned = planned
        self.site_content = content
        self._search_form = ""
        self._anchor_ids: set[str] | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", dict(self.planned.meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # A page the search leaves out is rendered once, in full, when it is written.
        if self.planned.searchable:
            self._show(self.site_content.render(self.planned, full=False))
            self._search_form = self.content or ""
        else:
            self.content = ""

    def show_in_full(self) -> None:
        self._show(self.site_content.render(self.planned))

    def show_search_form(self) -> None:
        self.content = self._search_form

    def _show(self, rendered: RenderedPage) -> None:
        self.content = rendered.html
        self.toc = get_toc(toc_tokens(rendered.headings))  # type: ignore[arg-type]
        self._anchor_ids = {heading.id for heading in rendered.headings}

    @property  # type: ignore[override]
    def present_anchor_ids(self) -> set[str]:
        """The page's anchors, for MkDocs' check of links into it (which may come before the page is
        rendered in full)."""
        if self._anchor_ids is None:
            self._anchor_ids = {heading.id for heading in self.site_content.render(self.planned).headings}
        return self._anchor_ids

    @present_anchor_ids.setter
    def present_anchor_ids(self, anchor_ids: set[str]) -> None:
        self._anchor_ids = anchor_ids
