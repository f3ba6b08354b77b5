"""Shared fixtures: a built site served on localhost, and Debian's chromium driven by Playwright.

Browser tests never download a browser: they use /usr/bin/chromium. Without it they are
skipped on a developer's machine, and fail loudly in CI (CI is set), where it must be installed.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest
from sheetmaker import small_city

from navigator.tooling.serve import PreviewServer

# A shell starts a background job with SIGINT ignored, and the builds the tests start would inherit
# that: the tests of Ctrl+C run as from a terminal wherever they are started.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

try:  # the fuzz tests' budgets (tests/test_fuzz.py): "ci" when CI is set, "long" to run by hand
    from hypothesis import HealthCheck, settings
except ImportError:  # without the test extras only the fuzz tests are missing
    pass
else:
    _SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
    settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True, database=None,
                              suppress_health_check=_SLOW, print_blob=True)
    settings.register_profile("dev", max_examples=40, deadline=None, database=None, suppress_health_check=_SLOW,
                              print_blob=True)
    settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=_SLOW)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(autouse=True, scope="session")
def build_cache(tmp_path_factory):
    """Builds keep a cache (navigator/cache.py) in the user's cache folder; tests keep theirs in a temporary one."""
    before = os.environ.get("NAVIGATOR_CACHE_DIR")
    os.environ["NAVIGATOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("navigator-cache"))
    yield
    if before is None:
        os.environ.pop("NAVIGATOR_CACHE_DIR", None)
    else:
        os.environ["NAVIGATOR_CACHE_DIR"] = before


@pytest.fixture
def sheets(tmp_path) -> Path:
    """A valid small city (sheetmaker.small_city) in tmp_path/sheets."""
    return small_city(tmp_path / "sheets")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class StaticServer:
    """Serves one folder on 127.0.0.1 and remembers every path requested."""

    def __init__(self, folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> None:
        """`handler`: a QuietHandler of other manners (a host's 404 page, a slow server)."""
        requested = self.requested = []

        class Handler(handler):
            def do_GET(self):  # noqa: N802
                requested.append(self.path)
                super().do_GET()

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = PreviewServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    """`serve(folder)` → a StaticServer whose `.url` ends with a slash."""
    servers: list[StaticServer] = []

    def start(folder: Path) -> StaticServer:
        server = StaticServer(folder)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"chromium is missing at {CHROMIUM}: CI must install Debian's chromium for the browser tests")
        pytest.skip(f"chromium not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed: install the test extras")
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context: no cookies or storage shared between tests), phone-sized."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()
