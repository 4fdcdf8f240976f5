"""Where the metadata layer sends its requests and who it says it is.

Read from `surveykb.yml` at the knowledge base root (a `sources:` mapping), then overridden by the
environment, so a workflow or a test can point every service elsewhere without editing a file:

    sources:
      contact: maintainer@example.org      # SURVEYKB_CONTACT
      cache: .cache/surveykb               # SURVEYKB_CACHE (relative to the root); SURVEYKB_NO_CACHE=1 turns it off
      arxiv: https://export.arxiv.org/api/query     # SURVEYKB_ARXIV_URL
      crossref: https://api.crossref.org             # SURVEYKB_CROSSREF_URL
      openalex: https://api.openalex.org             # SURVEYKB_OPENALEX_URL
      openreview: https://api2.openreview.net        # SURVEYKB_OPENREVIEW_URL

SURVEYKB_OFFLINE=1 makes every request fail at once, without touching the network.
API keys never live in the file: OpenAlex's is read from OPENALEX_API_KEY.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

CONFIG_FILE = "surveykb.yml"
DEFAULT_BASES = {
    "arxiv": "https://export.arxiv.org/api/query",
    "crossref": "https://api.crossref.org",
    "openalex": "https://api.openalex.org",
    "openreview": "https://api2.openreview.net",
}
_ENV_BASES = {
    "arxiv": "SURVEYKB_ARXIV_URL",
    "crossref": "SURVEYKB_CROSSREF_URL",
    "openalex": "SURVEYKB_OPENALEX_URL",
    "openreview": "SURVEYKB_OPENREVIEW_URL",
}


class ConfigError(Exception):
    """surveykb.yml cannot be used; the message is one line for the contributor."""


@dataclass(frozen=True)
class SourcesConfig:
    contact: str | None = None
    cache_dir: Path | None = None  # None: no cache
    arxiv: str = DEFAULT_BASES["arxiv"]
    crossref: str = DEFAULT_BASES["crossref"]
    openalex: str = DEFAULT_BASES["openalex"]
    openreview: str = DEFAULT_BASES["openreview"]
    openalex_key: str | None = None
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    arxiv_interval: float = 3.0  # arXiv asks for at most one request every 3 seconds
    max_bytes: int = 2 * 1024 * 1024
    offline: bool = False  # SURVEYKB_OFFLINE=1: every request fails at once (tests set it)

    def base(self, service: str) -> str:
        return str(getattr(self, service)).rstrip("/")


def load_config(root: Path, environ: Mapping[str, str] | None = None) -> SourcesConfig:
    """The configuration for the knowledge base at `root`; raises ConfigError for a broken file."""
    env = os.environ if environ is None else environ
    section = _file_section(root / CONFIG_FILE)
    cache = env.get("SURVEYKB_CACHE") or section.get("cache") or ".cache/surveykb"
    config = SourcesConfig(
        contact=env.get("SURVEYKB_CONTACT") or _text(section, "contact"),
        cache_dir=None if env.get("SURVEYKB_NO_CACHE") or section.get("cache") is False else root / str(cache),
        openalex_key=env.get("OPENALEX_API_KEY") or None,
        offline=bool(env.get("SURVEYKB_OFFLINE")),
    )
    base = {name: env.get(_ENV_BASES[name]) or _text(section, name) or DEFAULT_BASES[name] for name in DEFAULT_BASES}
    return replace(
        config, arxiv=base["arxiv"], crossref=base["crossref"], openalex=base["openalex"], openreview=base["openreview"]
    )


def _file_section(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path.name} cannot be read: {str(exc).splitlines()[0]}") from None
    section = data.get("sources", {}) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise ConfigError(f"{path.name}: 'sources' must be a mapping")
    return section


def _text(section: Mapping[str, object], key: str) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{CONFIG_FILE}: sources.{key} must be a non-empty string")
    return value.strip()
