"""What the browser tests and the screenshot script share: Debian's Chromium with the flags this
machine needs, and a quiet local server for a built site."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """At a test module's top: skip the module without Chromium and playwright, or fail where the
    browser must be there (SURVEYKB_REQUIRE_BROWSER, which .ci/run sets after installing it)."""
    if not CHROMIUM.is_file():
        if os.environ.get("SURVEYKB_REQUIRE_BROWSER"):
            pytest.fail(f"SURVEYKB_REQUIRE_BROWSER is set and Debian's Chromium is not at {CHROMIUM}", pytrace=False)
        pytest.skip(
            f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
            allow_module_level=True,
        )
    pytest.importorskip(
        "playwright.sync_api", reason="the browser tests need the playwright package (pip install playwright)"
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 and yield its base URL until the generator is closed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
