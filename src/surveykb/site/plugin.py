"""The MkDocs plugin: each hook does one event's job; `site.build` does the work.

on_config     load and check the knowledge base, plan its pages and data files, set the navigation;
              a knowledge base without its own templates, stylesheet or explorer script gets surveykb's
on_files      add the planned pages (as `GeneratedPage`s, which have no Markdown), the data files and
              any bundled stylesheet and script
on_nav        note which pages share pieces of the theme's chrome (`SharedChrome`)
on_env        give the theme the `cache` tag and the key it draws shared chrome by
on_page_context
              after the search index has read a page's search form, the full form replaces it for
              the theme
on_post_page  the full form is dropped once the page is written, so only one is held at a time
on_post_build the Markdown data files, copied as they are (as MkDocs files they would become pages)
on_serve      watch the records, the taxonomy and the templates
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
import markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from surveykb.core.diagnostics import Diagnostic, counted, format_diagnostics
from surveykb.core.index import DEFAULT_GAP_THRESHOLD, build_index
from surveykb.core.knowledge_base import KnowledgeBase, Loaded, open_knowledge_base
from surveykb.site.build import SiteContent, site_content
from surveykb.site.feeds import SiteInfo
from surveykb.site.mkdocs_objects import DataFile, GeneratedPage, SharedChrome
from surveykb.site.navigation import site_navigation
from surveykb.site.pages import SiteSettings
from surveykb.site.render import FragmentCache

log = logging.getLogger("mkdocs.plugins.surveykb")
# The templates, stylesheet and script used by a knowledge base without its own: the copies an
# installed package carries (setup.py), else those of the source tree this package runs from.
PACKAGED = Path(__file__).resolve().parents[1] / "bundled"
BUNDLED = PACKAGED if PACKAGED.is_dir() else Path(__file__).resolve().parents[3]
BUNDLED_TEMPLATES = BUNDLED / "templates"
BUNDLED_DOCS = BUNDLED / "docs"
ASSETS = {
    "stylesheets/surveykb.css": "extra_css",
    "javascripts/explorer.js": "extra_javascript",
    "javascripts/search.js": "extra_javascript",  # the paper search (Material's index leaves papers out)
}


def _templates(root: Path, part: str) -> Path:
    """The knowledge base's templates/<part>, else the bundled ones."""
    own = root / "templates" / part
    if own.is_dir():
        return own
    if (BUNDLED_TEMPLATES / part).is_dir():
        return BUNDLED_TEMPLATES / part
    raise PluginError(f"surveykb: no templates/{part} in {root}, and none bundled with surveykb")


class SurveyKBConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    templates = config_options.Optional(config_options.Dir(exists=True))
    edit_branch = config_options.Type(str, default="main")
    # How validation warnings (incomplete records) reach MkDocs: as warnings, which `--strict` turns
    # into a failed build, or as information for a knowledge base that knowingly holds such records.
    warnings = config_options.Choice(("warn", "info"), default="warn")
    # A taxonomy leaf or a cross-table cell with fewer papers than this is thin (the gaps page).
    gap_threshold = config_options.Type(int, default=DEFAULT_GAP_THRESHOLD)
    # The home page's introduction, in Markdown (the site's own words about its survey).
    intro = config_options.Type(str, default="")
    # How to cite the survey, shown on the home page as written (BibTeX, say).
    citation = config_options.Type(str, default="")


class SurveyKBPlugin(BasePlugin[SurveyKBConfig]):
    """Adds the knowledge base's pages; paper and cell pages stay out of the navigation."""

    def __init__(self) -> None:
        self.content: SiteContent | None = None
        self.bundled_assets: list[str] = []  # the stylesheet and script taken from surveykb's own docs/
        # Set by `surveykb build`, which has loaded the knowledge base and shown its diagnostics.
        self.preloaded: Loaded | None = None
        self.chrome: SharedChrome | None = None  # set in on_nav, which MkDocs runs before on_env

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("surveykb: the site needs use_directory_urls: true (its links are directory URLs)")
        if self.config.gap_threshold < 1:
            raise PluginError("surveykb: gap_threshold must be at least 1")
        root = self._root(config)
        index = build_index(self._load(root), self.config.gap_threshold)
        templates = Path(self.config.templates) if self.config.templates else _templates(root, "pages")
        if not config.theme.custom_dir:
            config.theme.dirs.insert(0, str(_templates(root, "theme")))
        self._add_assets(config)
        site = SiteInfo(config.site_name, _with_slash(config.site_url))
        self.content = site_content(index, templates, self._edit_base(config), self._settings(config), site)
        config.nav = site_navigation(index, config.nav)
        return config

    def _add_assets(self, config: MkDocsConfig) -> None:
        """The site's stylesheet and scripts: a knowledge base whose docs/ lacks them gets the bundled
        ones (added as files in on_files), listed in extra_css / extra_javascript unless already."""
        self.bundled_assets = [
            path for path in ASSETS if not (Path(config.docs_dir) / path).is_file() and (BUNDLED_DOCS / path).is_file()
        ]
        scripts = [str(script) for script in config.extra_javascript]
        for path, kind in ASSETS.items():
            if kind == "extra_javascript" and path not in scripts:
                config.extra_javascript.append(config_options.ExtraScriptValue(path))
            elif kind == "extra_css" and path not in config.extra_css:
                config.extra_css.append(path)

    def _settings(self, config: MkDocsConfig) -> SiteSettings:
        # The owner's Markdown, rendered with the site's own Markdown extensions, like a page of docs/.
        intro = (
            markdown.markdown(
                self.config.intro, extensions=config.markdown_extensions, extension_configs=config.mdx_configs
            )
            if self.config.intro
            else ""
        )
        return SiteSettings(site_name=config.site_name, intro_html=intro, citation=self.config.citation.strip())

    def _report(self, diagnostics: list[Diagnostic], shown_already: bool) -> None:
        """Diagnostics as MkDocs log lines, so that --strict counts the warnings; when `surveykb build`
        has printed them already, one line stands for them all."""
        report_warning = log.warning if self.config.warnings == "warn" else log.info
        if shown_already:
            warnings = [d for d in diagnostics if not d.is_error]
            if warnings:
                report_warning(f"surveykb: the knowledge base has {counted(len(warnings), 'warning')} (listed above)")
            return
        for diagnostic in sorted(diagnostics):
            (log.error if diagnostic.is_error else report_warning)(diagnostic.as_text())

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.content is not None
        for page in self.content.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"surveykb: docs/{page.src_uri} would hide a generated page; rename it")
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content="", inclusion=inclusion)
            GeneratedPage(page, self.content, file, config)
            files.append(file)
        for path, make in self.content.data_files.items():
            if not path.endswith(".md"):
                files.append(DataFile.made_by(make, config, path))
        for path in self.bundled_assets:
            files.append(File.generated(config, path, abs_src_path=str(BUNDLED_DOCS / path)))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.chrome = SharedChrome(nav, files)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # The theme's templates do not change during a build (`serve` makes a new environment for
        # each), so Jinja need not check every template file's time at each of a page's forty includes.
        env.auto_reload = False
        env.add_extension(FragmentCache)
        assert self.chrome is not None
        env.globals["surveykb_chrome_key"] = self.chrome.key
        return env

    @event_priority(-100)  # after the search plugin has indexed the search form
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if isinstance(page, GeneratedPage):
            page.show_in_full()
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # The page is written: MkDocs keeps every page object to the end of the build, so only the
        # small search form (or nothing, for a page the search leaves out) stays with it.
        if isinstance(page, GeneratedPage):
            page.show_search_form()
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.content is not None
        for path, make in self.content.data_files.items():
            if path.endswith(".md"):
                target = Path(config.site_dir) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(make(), encoding="utf-8")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        for folder in ("papers", "taxonomy", "templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def _load(self, root: Path) -> KnowledgeBase:
        """The checked knowledge base (the one `surveykb build` handed over, else loaded here); its
        warnings go to MkDocs' log, its errors stop the build."""
        shown_already = self.preloaded is not None
        loaded, self.preloaded = self.preloaded or open_knowledge_base(root), None
        self._report(loaded.diagnostics, shown_already)
        errors = [d for d in loaded.diagnostics if d.is_error]
        if loaded.kb is None or errors:
            raise PluginError(
                f"surveykb: the knowledge base has {len(errors)} errors:\n{format_diagnostics(errors, 'text')}"
            )
        return loaded.kb

    def _root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()

    def _edit_base(self, config: MkDocsConfig) -> str | None:
        if not config.repo_url:
            return None
        return f"{config.repo_url.rstrip('/')}/edit/{self.config.edit_branch}/"


def _with_slash(url: str | None) -> str | None:
    return (url if url.endswith("/") else f"{url}/") if url else None
