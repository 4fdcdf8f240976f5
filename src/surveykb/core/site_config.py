"""mkdocs.yml as plain data, for the commands and scripts that read a setting of it without MkDocs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _AnyTagLoader(yaml.SafeLoader):
    """Reads a value with a tag (`!ENV SURVEYKB_SITE_URL`, `!!python/name:...`) as nothing: those are
    MkDocs' to resolve, and no setting read here has one."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site_config(config_file: Path) -> Any:
    """The parsed file; raises OSError or yaml.YAMLError when it cannot be read."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
