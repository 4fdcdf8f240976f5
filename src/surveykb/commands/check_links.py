"""`surveykb check-links`: every external link of every record, checked over HTTP.

HEAD first (GET when the server refuses HEAD with 405 or 501), redirects followed, a bounded pool of
threads, a timeout per request, and retries with backoff for timeouts, connection errors, 429 and
5xx answers. A link that still fails is a warning at its record's line. Remote hosts come and go, so
this runs on a schedule and never as a check on pull requests.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import HTTPRedirectHandler, Request, build_opener

from surveykb.core.diagnostics import Diagnostic, warning
from surveykb.core.validate import Record

ARXIV_BASE = "https://arxiv.org/abs/"
DOI_BASE = "https://doi.org/"
USER_AGENT = "surveykb-check-links"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HEAD_REFUSED = frozenset({405, 501})


@dataclass(frozen=True)
class Link:
    """One external link of one record, and where the record gives it."""

    url: str
    field: str
    shown: str
    line: int
    col: int


@dataclass(frozen=True)
class CheckSettings:
    workers: int = 8
    timeout: float = 10.0  # seconds per request
    retries: int = 2  # further tries after a failure that may pass
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one


@dataclass(frozen=True)
class Outcome:
    """What a link gave: its final HTTP status (None when no answer came) and, if it failed, why."""

    status: int | None
    problem: str | None = None
    retry: bool = False


def record_links(records: Iterable[Record], arxiv_base: str = ARXIV_BASE, doi_base: str = DOI_BASE) -> list[Link]:
    """The url and code of every record, and its arXiv and DOI pages, each at its field's position."""
    links: list[Link] = []
    for record in records:
        paper = record.paper
        candidates = {
            "url": paper.url,
            "code": paper.code,
            "arxiv": paper.arxiv and arxiv_base + paper.arxiv,
            "doi": paper.doi and doi_base + quote(paper.doi, safe="/:;()[]._-"),
        }
        for field, url in candidates.items():
            if url:
                where = record.loaded.position((field,))
                links.append(Link(url, field, record.shown, where.line, where.col))
    return links


def check_links(links: list[Link], settings: CheckSettings) -> list[Diagnostic]:
    """A `dead-link` warning for each link that fails; each distinct URL is requested once."""
    urls = sorted({link.url for link in links})
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        outcomes = dict(zip(urls, pool.map(lambda url: check_url(url, settings), urls)))
    return [
        warning(link.shown, link.line, link.col, "dead-link", f"{link.field} {link.url} {outcomes[link.url].problem}")
        for link in links
        if outcomes[link.url].problem
    ]


def check_url(url: str, settings: CheckSettings) -> Outcome:
    """Request `url`, retrying while the failure may pass."""
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(settings.backoff * 2 ** (attempt - 1))
        outcome = _try_once(url, settings.timeout)
        if not outcome.retry:
            return outcome
    tries = settings.retries + 1
    return Outcome(outcome.status, f"{outcome.problem} ({tries} {'try' if tries == 1 else 'tries'})")


def _try_once(url: str, timeout: float) -> Outcome:
    try:
        status = _status(url, "HEAD", timeout)
        if status in HEAD_REFUSED:
            status = _status(url, "GET", timeout)
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return Outcome(None, f"did not answer within {timeout:g} s", retry=True)
        return Outcome(None, f"cannot be reached ({exc.reason})", retry=True)
    except TimeoutError:
        return Outcome(None, f"did not answer within {timeout:g} s", retry=True)
    except (http.client.HTTPException, OSError, ValueError) as exc:
        return Outcome(None, f"cannot be reached ({exc.__class__.__name__}: {exc})", retry=True)
    if 300 <= status < 400:  # urllib gives up on a redirect loop with the last redirect's status
        return Outcome(status, f"redirects without end (HTTP {status})")
    if status >= 400:
        return Outcome(status, f"answered HTTP {status}", retry=status in RETRY_STATUSES)
    return Outcome(status)


def _status(url: str, method: str, timeout: float) -> int:
    """The final status of one request, redirects followed; 4xx and 5xx are returned, not raised."""
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    opener = build_opener(_SameMethodRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except HTTPError as exc:
        exc.close()
        return exc.code


class _SameMethodRedirects(HTTPRedirectHandler):
    """Follow a redirect with the method of the request (urllib turns HEAD into GET)."""

    def redirect_request(
        self, req: Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> Request | None:
        redirected = super().redirect_request(req, fp, code, msg, headers, newurl)
        if redirected is not None:
            redirected.method = req.get_method()
        return redirected
