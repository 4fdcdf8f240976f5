"""`surveykb check-links` against a local HTTP server on 127.0.0.1 that answers every way a remote
host can: 200, redirects, 404, 500, a slow answer, a refused HEAD, a redirect loop, a flaky 503."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import REPO_ROOT, TODAY, ScratchKB

from surveykb.cli import main
from surveykb.commands.check_links import CheckSettings, Link, check_links, check_url, record_links
from surveykb.core.knowledge_base import load_knowledge_base

SLOW_SECONDS = 1.5
QUICK = CheckSettings(workers=4, timeout=0.3, retries=0, backoff=0)


@dataclass
class ServerState:
    """What the server has seen, how many more times /flaky answers 503, and how many requests of
    /wait it answered at the same time."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, user agent)
    flaky_failures: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    state: ServerState
    routes = {
        "/ok": (200, None),
        "/moved": (301, "/ok"),
        "/found-gone": (302, "/gone"),
        "/gone": (404, None),
        "/broken": (500, None),
        "/loop": (301, "/loop"),
    }

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def answer(self, with_body: bool) -> None:
        state = self.state
        path = self.path.split("?")[0]
        with state.lock:
            state.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        status, location = self.route(path)
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        body = b"<p>a page</p>" if with_body and status == 200 else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self, path: str) -> tuple[int, str | None]:
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return 200, None
        if path == "/wait":
            self.wait_counted()
            return 200, None
        if path == "/no-head":
            return (405, None) if self.command == "HEAD" else (200, None)
        if path == "/flaky":
            with self.state.lock:
                self.state.flaky_failures -= 1
                return (503, None) if self.state.flaky_failures >= 0 else (200, None)
        return self.routes.get(path, (404, None))

    def wait_counted(self) -> None:
        """Take a while, counting how many requests of /wait are being answered at once."""
        with self.state.lock:
            self.state.in_flight += 1
            self.state.most_in_flight = max(self.state.most_in_flight, self.state.in_flight)
        time.sleep(0.2)
        with self.state.lock:
            self.state.in_flight -= 1

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client gave up on /slow and closed the connection


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, ServerState]]:
    state = ServerState()
    handler = type("BoundHandler", (Handler,), {"state": state})
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def site(server: tuple[str, ServerState], monkeypatch: pytest.MonkeyPatch) -> tuple[str, ServerState]:
    """The server with a clean request log; no proxy between us and 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    base, state = server
    with state.lock:
        state.requests.clear()
        state.flaky_failures = 0
        state.most_in_flight = 0
    return base, state


def closed_port() -> int:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = probe.server_address[1]
    probe.server_close()
    return port


# --- One URL ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "retries", "problem"),
    [
        pytest.param("/ok", 0, None, id="200"),
        pytest.param("/moved", 0, None, id="301-to-200"),
        pytest.param("/no-head", 0, None, id="405-on-head-then-get"),
        pytest.param("/gone", 2, "answered HTTP 404", id="404-no-retry"),
        pytest.param("/found-gone", 0, "answered HTTP 404", id="302-to-404"),
        pytest.param("/broken", 1, "answered HTTP 500 (2 tries)", id="500-retried"),
        pytest.param("/slow", 1, "did not answer within 0.3 s (2 tries)", id="slow"),
        pytest.param("/loop", 0, "redirects without end (HTTP 301)", id="redirect-loop"),
    ],
)
def test_each_kind_of_answer(site: tuple[str, ServerState], path: str, retries: int, problem: str | None) -> None:
    base, _ = site
    outcome = check_url(base + path, CheckSettings(timeout=0.3, retries=retries, backoff=0))
    assert outcome.problem == problem


def test_a_refused_connection_is_a_problem(site: tuple[str, ServerState]) -> None:
    outcome = check_url(f"http://127.0.0.1:{closed_port()}/x", QUICK)
    assert outcome.status is None and outcome.problem and outcome.problem.startswith("cannot be reached (")


@pytest.mark.parametrize(
    ("failures", "retries", "problem"),
    [
        pytest.param(2, 2, None, id="passes-on-the-third-try"),
        pytest.param(2, 1, "answered HTTP 503 (2 tries)", id="fails-after-two-tries"),
    ],
)
def test_flaky_host_is_retried(site: tuple[str, ServerState], failures: int, retries: int, problem: str | None) -> None:
    base, state = site
    state.flaky_failures = failures
    assert check_url(base + "/flaky", CheckSettings(timeout=1, retries=retries, backoff=0)).problem == problem
    assert [method for method, path, _ in state.requests] == ["HEAD"] * min(failures + 1, retries + 1)


def test_retries_back_off(site: tuple[str, ServerState]) -> None:
    base, state = site
    state.flaky_failures = 2
    started = time.perf_counter()
    assert check_url(base + "/flaky", CheckSettings(timeout=1, retries=2, backoff=0.1)).problem is None
    assert time.perf_counter() - started >= 0.1 + 0.2


@pytest.mark.parametrize(
    ("path", "requests"),
    [
        pytest.param("/moved", [("HEAD", "/moved"), ("HEAD", "/ok")], id="redirect-keeps-head"),
        pytest.param("/no-head", [("HEAD", "/no-head"), ("GET", "/no-head")], id="get-after-405"),
    ],
)
def test_requests_made(site: tuple[str, ServerState], path: str, requests: list[tuple[str, str]]) -> None:
    base, state = site
    check_url(base + path, QUICK)
    assert [(method, seen) for method, seen, _ in state.requests] == requests
    assert {agent for _, _, agent in state.requests} == {"surveykb-check-links"}


# --- Many links -------------------------------------------------------------------------------------


def test_the_pool_is_bounded_and_used(site: tuple[str, ServerState]) -> None:
    base, state = site
    links = [Link(f"{base}/wait?n={n}", "url", f"papers/p{n}.yaml", 9, 6) for n in range(6)]
    assert check_links(links, CheckSettings(workers=2, timeout=2, retries=0)) == []
    assert state.most_in_flight == 2


def test_each_url_is_requested_once_and_reported_for_every_record(site: tuple[str, ServerState]) -> None:
    base, state = site
    links = [Link(f"{base}/gone", "url", "papers/a.yaml", 8, 6), Link(f"{base}/gone", "code", "papers/b.yaml", 9, 7)]
    diagnostics = check_links(links, QUICK)
    assert [d.as_text() for d in diagnostics] == [
        f"papers/a.yaml:8:6: warning dead-link: url {base}/gone answered HTTP 404",
        f"papers/b.yaml:9:7: warning dead-link: code {base}/gone answered HTTP 404",
    ]
    assert len(state.requests) == 1


def test_record_links_are_placed_at_their_fields(fixture_kb: ScratchKB) -> None:
    fixture_kb.write("doi2023x.yaml", "id: doi2023x\ntitle: X\ndata4model: [acquisition]\ndoi: 10.1000/a b<c>\n")
    fixture_kb.write(
        "doi2023y.yaml",
        "id: doi2023y\ntitle: Y\ndata4model: [acquisition]\n\ndoi: 10.1000/(x)[1]#2<3>\nurl: https://y.org/p\n",
    )
    kb, _ = load_knowledge_base(Path("."), today=TODAY)
    assert kb is not None
    links = [
        (link.shown, link.line, link.col, link.field, link.url)
        for link in record_links(kb.records, arxiv_base="A/", doi_base="D/")
    ]
    assert links == [
        ("papers/chen2023sharegpt4v.yaml", 10, 8, "arxiv", "A/2311.12793"),
        ("papers/doi2023y.yaml", 6, 6, "url", "https://y.org/p"),
        ("papers/doi2023y.yaml", 5, 6, "doi", "D/10.1000/(x)[1]%232%3C3%3E"),
        ("papers/liu2023visual.yaml", 12, 6, "url", "https://llava-vl.github.io"),
        ("papers/liu2023visual.yaml", 13, 7, "code", "https://github.com/haotian-liu/LLaVA"),
        ("papers/liu2023visual.yaml", 11, 8, "arxiv", "A/2304.08485"),
    ]


# --- The command ------------------------------------------------------------------------------------


def linked_kb(scratch: ScratchKB, base: str) -> None:
    """Three records whose url and code lines are 5 and 6."""
    for name, url, code in [("alpha", "/ok", "/gone"), ("beta", "/moved", "/slow"), ("gamma", "/broken", "/no-head")]:
        scratch.write(
            f"{name}.yaml",
            f"id: {name}\ntitle: {name}\nyear: 2023\nauthors: [A B]\nurl: {base}{url}\ncode: {base}{code}\ndata4model: [acquisition]\n",
        )


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["check-links", "--timeout", "0.3", "--retries", "0", *arguments])


def test_command_reports_dead_links_with_file_and_line(scratch_kb: ScratchKB, site: tuple[str, ServerState]) -> None:
    base, _ = site
    linked_kb(scratch_kb, base)
    result = run()
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"papers/alpha.yaml:6:7: warning dead-link: code {base}/gone answered HTTP 404",
        f"papers/beta.yaml:6:7: warning dead-link: code {base}/slow did not answer within 0.3 s (1 try)",
        f"papers/gamma.yaml:5:6: warning dead-link: url {base}/broken answered HTTP 500 (1 try)",
    ]
    assert result.stderr == "6 links of 3 records checked; 0 errors, 3 warnings\n"


def test_command_prints_github_annotations_and_fails_when_strict(
    scratch_kb: ScratchKB, site: tuple[str, ServerState]
) -> None:
    base, _ = site
    linked_kb(scratch_kb, base)
    result = run("--format", "github", "--strict", "papers/alpha.yaml")
    assert result.exit_code == 1
    assert (
        result.stdout
        == f"::warning file=papers/alpha.yaml,line=6,col=7::dead-link: code {base}/gone answered HTTP 404\n"
    )
    assert result.stderr == "2 links of 1 records checked; 0 errors, 1 warning\n"


def test_command_is_quiet_when_every_link_works(scratch_kb: ScratchKB, site: tuple[str, ServerState]) -> None:
    base, _ = site
    scratch_kb.write(
        "alpha.yaml", f"id: alpha\ntitle: A\nurl: {base}/ok\ncode: {base}/moved\ndata4model: [acquisition]\n"
    )
    result = run("--strict")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "2 links of 1 records checked; 0 errors, 0 warnings\n",
    )


def test_links_run_on_a_schedule_never_on_pull_requests() -> None:
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("surveykb check-links --format github" in step for step in steps)
