"""mkdocs.yml read as plain data: MkDocs' own tags read as nothing, every other value as written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from surveykb.core.site_config import read_site_config


def test_tagged_values_read_as_nothing_and_the_rest_as_written(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_url: !ENV SURVEYKB_SITE_URL\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - surveykb:\n      gap_threshold: 4\n      citation: !!str 2025\n",
        encoding="utf-8",
    )
    assert read_site_config(config) == {
        "site_url": None,
        "markdown_extensions": [{"pymdownx.emoji": {"emoji_index": None}}],
        "plugins": [{"surveykb": {"gap_threshold": 4, "citation": "2025"}}],
    }


def test_a_file_that_is_not_yaml_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins: [\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_site_config(config)
