"""The MkDocs plugin: validate the knowledge base once, index it, and add its pages to the build."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from surveykb.core.diagnostics import Diagnostic, format_diagnostics
from surveykb.formats.data_files import bibtex_entries, site_exports
from surveykb.site.htmlstash import restore_blocks, stash_blocks
from surveykb.core.index import Index, build_index
from surveykb.site.navigation import site_navigation
from surveykb.site.render import GeneratedPage, SiteRenderer
from surveykb.core.knowledge_base import Loaded, open_knowledge_base

log = logging.getLogger("mkdocs.plugins.surveykb")


class SurveyKBConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    templates = config_options.Optional(config_options.Dir(exists=True))
    edit_branch = config_options.Type(str, default="main")
    # How validation warnings (incomplete records) reach MkDocs: as warnings, which `--strict` turns
    # into a failed build, or as information for a knowledge base that knowingly holds such records.
    warnings = config_options.Choice(("warn", "info"), default="warn")


class SurveyKBPlugin(BasePlugin[SurveyKBConfig]):
    """Adds the knowledge base's pages; paper and cell pages stay out of the navigation."""

    def __init__(self) -> None:
        self.index: Index | None = None
        self.pages: list[GeneratedPage] = []
        self.data_files: dict[str, str] = {}
        self.generated: set[str] = set()
        self.stashed: dict[str, list[str]] = {}
        # Set by `surveykb build`, which has loaded the knowledge base and shown its diagnostics.
        self.preloaded: Loaded | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("surveykb: the site needs use_directory_urls: true (its links are directory URLs)")
        root = self._root(config)
        shown_already = self.preloaded is not None
        loaded, self.preloaded = self.preloaded or open_knowledge_base(root), None
        kb, diagnostics = loaded.kb, loaded.diagnostics
        self._report(diagnostics, shown_already)
        if kb is None or any(d.is_error for d in diagnostics):
            errors = [d for d in diagnostics if d.is_error]
            raise PluginError(f"surveykb: the knowledge base has {len(errors)} errors:\n{format_diagnostics(errors, 'text')}")
        self.index = build_index(kb)
        templates = Path(self.config.templates) if self.config.templates else root / "templates" / "pages"
        bibtex = bibtex_entries(self.index)
        renderer = SiteRenderer(self.index, templates, self._edit_base(config), bibtex)
        self.pages = renderer.render_all()
        self.data_files = site_exports(self.index, bibtex)
        config.nav = site_navigation(self.index, config.nav)
        return config

    def _report(self, diagnostics: list[Diagnostic], shown_already: bool) -> None:
        """Diagnostics as MkDocs log lines, so that --strict counts the warnings; when `surveykb build`
        has printed them already, one line stands for them all."""
        report_warning = log.warning if self.config.warnings == "warn" else log.info
        if shown_already:
            warnings = [d for d in diagnostics if not d.is_error]
            if warnings:
                report_warning(f"surveykb: the knowledge base has {len(warnings)} warnings (listed above)")
            return
        for diagnostic in sorted(diagnostics):
            (log.error if diagnostic.is_error else report_warning)(diagnostic.as_text())

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for page in self.pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                raise PluginError(f"surveykb: docs/{page.src_uri} would hide a generated page; rename it")
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        for path, content in self.data_files.items():
            if not path.endswith(".md"):
                files.append(File.generated(config, path, content=content))
        self.generated = {page.src_uri for page in self.pages}
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri not in self.generated:
            return markdown
        markdown, self.stashed[page.file.src_uri] = stash_blocks(markdown)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        blocks = self.stashed.get(page.file.src_uri)
        return restore_blocks(html, blocks, searchable=True) if blocks else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        blocks = self.stashed.pop(page.file.src_uri, None)
        return restore_blocks(output, blocks, searchable=False) if blocks else output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Markdown data files (the survey-style paper list) are copied as they are: handed to MkDocs
        as files, they would be rendered as pages of the site."""
        for path, content in self.data_files.items():
            if path.endswith(".md"):
                target = Path(config.site_dir) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        for folder in ("papers", "taxonomy", "templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def _root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()

    def _edit_base(self, config: MkDocsConfig) -> str | None:
        if not config.repo_url:
            return None
        return f"{config.repo_url.rstrip('/')}/edit/{self.config.edit_branch}/"
