"""`surveykb build` and `surveykb serve`: validate, then hand over to MkDocs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config

from surveykb.core.knowledge_base import Loaded


def build_site(config_file: Path, site_dir: Path | None, strict: bool, loaded: Loaded | None = None) -> None:
    """Run `mkdocs build`; raises mkdocs' Abort or PluginError on failure. A knowledge base the caller
    has already loaded (and whose diagnostics it has shown) is handed to the plugin, which then
    neither loads it again nor repeats its diagnostics."""
    _quiet_mkdocs_banner()
    options: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    config = load_config(config_file=str(config_file), **options)
    plugin = config.plugins.get("surveykb")
    if loaded is not None and plugin is not None and hasattr(plugin, "preloaded"):
        plugin.preloaded = loaded
    del loaded  # the plugin's now: it lets go of the records once it has indexed them
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def serve_site(config_file: Path, address: str, strict: bool) -> None:
    _quiet_mkdocs_banner()
    mkdocs_serve(config_file=str(config_file), dev_addr=address, strict=strict)


def _quiet_mkdocs_banner() -> None:
    logging.getLogger("mkdocs").setLevel(logging.INFO)
