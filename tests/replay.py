"""A replay server on 127.0.0.1 for the metadata services: the fixtures of tests/data/sources in the
shape each API answers, and every way a service can fail, chosen by the first path segment.

    /ok/arxiv/query?id_list=a,b       an Atom feed of the asked entries (unknown ids: no entry)
    /ok/crossref/works/<doi>          a Crossref work, or 404
    /ok/openalex/works/doi:<doi>      an OpenAlex work, or 404
    /ok/openalex/works?filter=cites:  pages of `state.citing` (a list of OpenAlex works), by cursor
    /ok/openreview/notes?id=<forum>   an OpenReview note (API v2), or an empty list
    /<mode>/...                       a failure: slow, 429, 503, 500, 401, garbage, huge, other
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from surveykb.sources.config import SourcesConfig

FIXTURES = Path(__file__).resolve().parent / "data" / "sources"
FEED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
    "<title>arXiv Query: id_list</title><id>http://arxiv.org/api/query</id>\n"
)
SLOW_SECONDS = 1.0


@dataclass
class ReplayState:
    requests: list[str] = field(default_factory=list)  # path and query of each request
    user_agents: list[str] = field(default_factory=list)
    failures_left: int = 1  # how many times /429 and /503 fail before answering
    citing: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    entries: dict[str, str] = field(default_factory=dict)  # arXiv id -> Atom entry, before the fixture files
    lock: threading.Lock = field(default_factory=threading.Lock)
    _by_doi: tuple[int, int, dict[str, dict[str, Any]]] = (0, 0, {})

    def works_by_doi(self) -> dict[str, dict[str, Any]]:
        """`citing` by lower-case DOI, rebuilt only when the list changes."""
        key = (id(self.citing), len(self.citing))
        if self._by_doi[:2] != key:
            table = {str(work.get("doi", "")).lower().removeprefix("https://doi.org/"): work for work in self.citing}
            self._by_doi = (*key, table)
        return self._by_doi[2]


class ReplayHandler(BaseHTTPRequestHandler):
    state: ReplayState

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        with self.state.lock:
            self.state.requests.append(self.path)
            self.state.user_agents.append(self.headers.get("User-Agent", ""))
        mode, _, rest = self.path.lstrip("/").partition("/")
        parts = urlsplit("/" + rest)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        failure = self.failure(mode)
        if failure is not None:
            self.send(*failure)
            return
        service, _, path = parts.path.lstrip("/").partition("/")
        route = {
            "arxiv": self.arxiv,
            "crossref": self.crossref,
            "openalex": self.openalex,
            "openreview": self.openreview,
        }.get(service)
        self.send(*(route(unquote(path), query) if route else (404, b"no such service", {})))

    def failure(self, mode: str) -> tuple[int, bytes, dict[str, str]] | None:
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
            return None
        if mode in ("429", "503"):
            with self.state.lock:
                if self.state.failures_left > 0:
                    self.state.failures_left -= 1
                    return int(mode), b"slow down", {"Retry-After": "2"}
            return None
        if mode == "500":
            return 500, b"internal error", {}
        if mode == "401":
            return 401, b'{"error": "API key required"}', {}
        if mode == "garbage":
            return 200, b"<feed><entry>{not json, not xml", {}
        if mode == "huge":
            return 200, b"{" + b" " * (3 * 1024 * 1024) + b"}", {}
        return None

    def arxiv(self, path: str, query: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        asked = [item for item in query.get("id_list", "").split(",") if item]
        if self.path.startswith("/other/"):
            asked = ["2311.12793"]
        entries = [self.state.entries[item] for item in asked if item in self.state.entries]
        entries += [
            file.read_text()
            for item in asked
            if item not in self.state.entries
            and (file := FIXTURES / "arxiv" / f"{item.replace('/', '_')}.xml").is_file()
        ]
        total = f"<opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
        return (
            200,
            (FEED_HEAD + total + "".join(entries) + "</feed>\n").encode(),
            {"Content-Type": "application/atom+xml"},
        )

    def crossref(self, path: str, query: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        doi = path.removeprefix("works/")
        if self.path.startswith("/other/"):
            doi = "10.5555/online-only.7"
        file = FIXTURES / "crossref" / f"{doi.lower().replace('/', '_')}.json"
        return (200, file.read_bytes(), {}) if file.is_file() else (404, b"Resource not found.", {})

    def openalex(self, path: str, query: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if path == "works":
            return self.citing_page(query)
        doi = path.removeprefix("works/doi:")
        if self.path.startswith("/other/"):
            doi = "10.48550/arxiv.2407.08583"
        file = FIXTURES / "openalex" / f"{doi.lower().replace('/', '_')}.json"
        found = file.is_file() or (doi.lower() in self.state_works())
        if not found:
            return 404, b'{"error": "Not Found", "message": "not found"}', {}
        body = file.read_bytes() if file.is_file() else json.dumps(self.state_works()[doi.lower()]).encode()
        return 200, body, {"Content-Type": "application/json"}

    def openreview(self, path: str, query: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        forum = "Other0Paper1" if self.path.startswith("/other/") else query.get("id", "")
        file = FIXTURES / "openreview" / f"{forum}.json"
        return (
            200,
            file.read_bytes() if file.is_file() else b'{"notes": [], "count": 0}',
            {"Content-Type": "application/json"},
        )

    def state_works(self) -> dict[str, dict[str, Any]]:
        return self.state.works_by_doi()

    def citing_page(self, query: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if "cursor" in query and "api_key" not in query:
            return 401, b'{"error": "API key required for cursor paging"}', {}
        start = 0 if query.get("cursor", "*") == "*" else int(query["cursor"])
        size = self.state.page_size
        matching = [work for work in self.state.citing if _matches(work, query.get("filter", ""))]
        results = matching[start : start + size]
        cursor = str(start + size) if start + size < len(matching) else None
        meta = {"count": len(matching), "per_page": size, "next_cursor": cursor}
        return 200, json.dumps({"meta": meta, "results": results}).encode(), {"Content-Type": "application/json"}

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _matches(work: dict[str, Any], filters: str) -> bool:
    """OpenAlex's `cites:W1|W2` (any of) and `from_publication_date:YYYY-MM-DD` filters."""
    for part in filters.split(","):
        name, _, value = part.partition(":")
        if name == "cites":
            cited = {str(ref).rsplit("/", 1)[-1] for ref in work.get("referenced_works") or []}
            if not cited & set(value.split("|")):
                return False
        elif name == "from_publication_date" and str(work.get("publication_date", "9999")) < value:
            return False
    return True


@dataclass
class Replay:
    url: str
    state: ReplayState

    def config(self, mode: str = "ok", **changes: Any) -> SourcesConfig:
        """A configuration pointing every service at this server, without a cache, quick to give up."""
        base = f"{self.url}/{mode}"
        settings: dict[str, Any] = {
            "arxiv": f"{base}/arxiv/query", "crossref": f"{base}/crossref", "openalex": f"{base}/openalex",
            "openreview": f"{base}/openreview", "contact": "maintainer@example.org", "cache_dir": None, "timeout": 0.5, "retries": 1, "backoff": 0.0,
            "arxiv_interval": 0.0, "openalex_key": "test-key",
        }  # fmt: skip
        settings.update(changes)
        return SourcesConfig(**settings)

    def env(self, mode: str = "ok") -> dict[str, str]:
        base = f"{self.url}/{mode}"
        return {
            "SURVEYKB_ARXIV_URL": f"{base}/arxiv/query", "SURVEYKB_CROSSREF_URL": f"{base}/crossref",
            "SURVEYKB_OPENALEX_URL": f"{base}/openalex", "SURVEYKB_OPENREVIEW_URL": f"{base}/openreview", "SURVEYKB_NO_CACHE": "1", "OPENALEX_API_KEY": "test-key",
            "SURVEYKB_CONTACT": "maintainer@example.org",
        }  # fmt: skip

    def serve_commands(self, monkeypatch: pytest.MonkeyPatch, mode: str = "ok") -> None:
        """Commands run in this test leave offline mode and ask this server (`env`) for everything."""
        monkeypatch.delenv("SURVEYKB_OFFLINE", raising=False)
        for name, value in self.env(mode).items():
            monkeypatch.setenv(name, value)


@contextmanager
def replay_server() -> Iterator[Replay]:
    state = ReplayState()
    handler = type("Handler", (ReplayHandler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Replay(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class FakeClock:
    """monotonic() moves only when sleep() is called; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
