"""One HTTP policy for every metadata service, on the standard library's `urllib`.

Why not the services' client libraries (`arxiv`, `pyalex`, `habanero`)? Each brings its own HTTP
stack and its own idea of retries, waiting and configuration: `arxiv` sleeps on the real clock
between pages and parses through feedparser, `pyalex` keeps a process-wide config object, `habanero`
knows only Crossref. We need the same things from all three (a timeout, retries that honour
`Retry-After`, one identifying User-Agent, arXiv's one request every 3 seconds, a cap on response
size, an on-disk cache, base URLs that point at a local replay server in tests, and a fake clock to
test the waiting), and every failure as one line instead of a library's exception. The three APIs are
plain GET requests returning Atom or JSON, so one small client does all of it.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from surveykb import __version__
from surveykb.sources.config import SourcesConfig

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds; a server asking for a longer wait is reported instead
CACHE_MAX_AGE = 24 * 3600.0  # seconds


class SourceError(Exception):
    """A request that gave no usable answer; `str()` is one line naming the service and the cause."""

    def __init__(self, service: str, message: str, kind: str = "failed") -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.kind = kind


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Fetcher:
    """GET requests under the shared policy. `requests` counts what actually went over the network."""

    config: SourcesConfig
    clock: Clock = field(default_factory=RealClock)
    requests: int = 0
    waited: float = 0.0
    _last: dict[str, float] = field(default_factory=dict)

    def get(self, service: str, url: str, params: dict[str, str] | None = None) -> bytes:
        """The body of a 200 answer (from the cache when it is fresh); raises SourceError otherwise."""
        params = dict(params or {})
        shown = f"{url}?{urlencode(params)}" if params else url
        cached = self._cached(shown)
        if cached is not None:
            return cached
        if self.config.offline:
            raise SourceError(service, "not asked: working offline (SURVEYKB_OFFLINE is set)", "offline")
        body = self._fetch(service, _with_identity(service, url, params, self.config))
        self._store(shown, body)
        return body

    def _fetch(self, service: str, url: str) -> bytes:
        attempt = 0
        while True:
            self._throttle(service)
            try:
                return self._once(service, url)
            except _Retry as retry:
                if attempt >= self.config.retries:
                    tries = attempt + 1
                    raise SourceError(
                        service, f"{retry.reason} ({tries} {'try' if tries == 1 else 'tries'})", retry.kind
                    ) from None
                delay = retry.after if retry.after is not None else self.config.backoff * 2**attempt
                self._sleep(delay)
                attempt += 1

    def _once(self, service: str, url: str) -> bytes:
        request = Request(
            url,
            headers={
                "User-Agent": user_agent(self.config),
                "Accept": "application/json, application/atom+xml;q=0.9, */*;q=0.5",
            },
        )
        self.requests += 1
        try:
            with urlopen(request, timeout=self.config.timeout) as response:
                return _read_limited(response, self.config.max_bytes, service)
        except HTTPError as exc:
            raise _http_failure(service, exc) from None
        except TimeoutError:
            raise _Retry(f"no answer within {self.config.timeout:g} s", "timeout") from None
        except URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Retry(f"no answer within {self.config.timeout:g} s", "timeout") from None
            raise _Retry(f"cannot connect ({_reason(exc.reason)})", "unreachable") from None
        except (http.client.HTTPException, OSError) as exc:
            raise _Retry(f"the connection failed ({_reason(exc)})", "unreachable") from None

    def _throttle(self, service: str) -> None:
        """Keep arXiv's requests at least `arxiv_interval` seconds apart (also across retries)."""
        if service != "arxiv":
            return
        last = self._last.get(service)
        if last is not None:
            self._sleep(self.config.arxiv_interval - (self.clock.monotonic() - last))
        self._last[service] = self.clock.monotonic()

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.clock.sleep(seconds)

    def _cache_path(self, url: str) -> Path | None:
        if self.config.cache_dir is None:
            return None
        return self.config.cache_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.body"

    def _cached(self, url: str) -> bytes | None:
        path = self._cache_path(url)
        try:
            if path is None or time.time() - path.stat().st_mtime > CACHE_MAX_AGE:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _store(self, url: str, body: bytes) -> None:
        path = self._cache_path(url)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(body)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs a request next time


class _Retry(Exception):
    def __init__(self, reason: str, kind: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.after = after


def user_agent(config: SourcesConfig) -> str:
    contact = f"; mailto:{config.contact}" if config.contact else ""
    return f"surveykb/{__version__} (+https://github.com/surveykb/surveykb{contact})"


def _with_identity(service: str, url: str, params: dict[str, str], config: SourcesConfig) -> str:
    """Crossref and OpenAlex put requests naming a contact in their polite pools; OpenAlex takes its key as `api_key`."""
    if config.contact and service in ("crossref", "openalex"):
        params["mailto"] = config.contact
    if service == "openalex" and config.openalex_key:
        params["api_key"] = config.openalex_key
    return f"{url}?{urlencode(params)}" if params else url


def _read_limited(response: http.client.HTTPResponse, limit: int, service: str) -> bytes:
    body = response.read(limit + 1)
    if len(body) > limit:
        raise SourceError(service, f"the answer is larger than {limit // 1024} KiB; refusing it", "too-large")
    return body


def _http_failure(service: str, exc: HTTPError) -> Exception:
    status = exc.code
    after = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
    exc.close()
    if status == 404:
        return SourceError(service, "no such work (HTTP 404)", "not-found")
    if status in (401, 403):
        hint = "; set OPENALEX_API_KEY" if service == "openalex" else ""
        return SourceError(service, f"refused without credentials (HTTP {status}){hint}", "unauthorized")
    if status in RETRY_STATUSES:
        if after is not None and after > MAX_RETRY_AFTER:
            return SourceError(
                service, f"answered HTTP {status} and asked to wait {after:g} s; try again later", "busy"
            )
        return _Retry(f"answered HTTP {status}", "busy" if status in (429, 503) else "server-error", after)
    return SourceError(service, f"answered HTTP {status}", "http")


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    text = getattr(reason, "strerror", None) or str(reason)
    return str(text).splitlines()[0] if text else reason.__class__.__name__
