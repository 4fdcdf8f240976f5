"""Helpers for tests that read a built site: parse pages, resolve links, find papers behind links."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from surveykb.commands.build import build_site

REPO = Path(__file__).resolve().parents[1]
BASE = "http://site.test/"


# What the repository's mkdocs.yml reads from the environment (see `build_test_site`).
SITE_ENVIRONMENT = ("SURVEYKB_SITE_URL", "SURVEYKB_REPO_URL")


def build_test_site(
    workdir: Path, papers: Path, plugin_options: dict[str, str] | None = None, environment: dict[str, str] | None = None
) -> Path:
    """Build the repository's site configuration over the records in `papers`; return site/.
    `plugin_options` replace the surveykb plugin's options of the repository's mkdocs.yml;
    `environment` sets its `SITE_ENVIRONMENT` variables (unset otherwise, whatever the shell says)."""
    for name in ("mkdocs.yml", "docs", "templates", "taxonomy"):
        source = REPO / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, workdir / name)
    # Test records carry made-up (and hostile) venues: without the vocabulary a venue is free text.
    (workdir / "taxonomy" / "venues.yaml").unlink()
    shutil.copytree(papers, workdir / "papers")
    if plugin_options is not None:
        _set_plugin_options(workdir / "mkdocs.yml", plugin_options)
    with _site_environment(environment or {}):
        build_site(workdir / "mkdocs.yml", workdir / "site", strict=True)
    return workdir / "site"


@contextmanager
def _site_environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in SITE_ENVIRONMENT}
    for name in SITE_ENVIRONMENT:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _set_plugin_options(config_file: Path, options: dict[str, str]) -> None:
    text = config_file.read_text(encoding="utf-8")
    start = text.index("  - surveykb:")
    end = text.index("\n\n", start)
    lines = ["  - surveykb:", *(f"      {name}: {value}" for name, value in options.items())]
    config_file.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (href, text) of <a> elements
    scripts: list[str] = field(default_factory=list)
    event_handlers: list[tuple[str, str, str]] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_script = False
        self._anchor: list[str] | None = None
        self._anchor_href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append(tag)
        for name, value in values.items():
            if name in ("id", "name") and tag != "meta" and tag != "input":
                self.page.ids.add(value)
            if name.startswith("on"):
                self.page.event_handlers.append((tag, name, value))
        # Links inside inline SVG are written xlink:href (see templates/pages/home.md.j2).
        for attribute in ("href", "xlink:href", "src"):
            if attribute in values and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.page.links.append((tag, values[attribute]))
        if tag == "script":
            self._in_script = True
        if tag == "a":
            self._anchor, self._anchor_href = [], values.get("href", values.get("xlink:href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "a" and self._anchor is not None:
            self.page.anchors.append((self._anchor_href, "".join(self._anchor).strip()))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.page.scripts.append(data)
        if self._anchor is not None:
            self._anchor.append(data)


def parse_page(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def page_url(site: Path, html_file: Path) -> str:
    relative = html_file.relative_to(site).as_posix()
    return BASE + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def target_file(site: Path, url: str) -> Path | None:
    """The file a same-site URL points to, or None when there is none."""
    path = unquote(urlsplit(url).path)[len(urlsplit(BASE).path) :]
    candidate = site / path
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate
    if (candidate / "index.html").is_file():
        return candidate / "index.html"
    return None


def is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https", "mailto") or url.startswith("//")


def broken_links(site: Path) -> list[str]:
    """Every internal link or anchor in the site that does not resolve, as 'page: url'."""
    pages = {html_file: parse_page(html_file) for html_file in sorted(site.rglob("*.html"))}
    problems = []
    for html_file, page in pages.items():
        base = page_url(site, html_file)
        for _, link in page.links:
            if is_external(link):
                continue
            absolute = urljoin(base, link)
            target = target_file(site, absolute)
            fragment = urlsplit(absolute).fragment
            if target is None:
                problems.append(f"{html_file.relative_to(site)}: {link}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in pages[target].ids:
                problems.append(f"{html_file.relative_to(site)}: {link} (no such anchor)")
    return problems


def papers_behind(site: Path, html_file: Path) -> list[str]:
    """Ids of the papers a page's paper table links to, in order."""
    base = page_url(site, html_file)
    ids = []
    for href, _ in parse_page(html_file).anchors:
        path = urlsplit(urljoin(base, href)).path
        if path.startswith("/papers/") and path.count("/") == 3:
            ids.append(path.split("/")[2])
    return ids
