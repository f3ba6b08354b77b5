"""`navigator serve`: build, serve on localhost, rebuild when a workbook is saved.

For the coordinating division (and a department checking its sheet): the site as residents
will see it, kept current while the workbooks are edited. When a rebuild fails, the last
good site stays up, and every page shows the problems in a banner, so the site never goes
stale silently. Pages reload themselves after each rebuild.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from navigator.pipeline import BuildResult, build
from navigator.read.folder import SheetsFolder

# Served by this development server only; never part of a built site.
INTERNAL = "/__navigator__/"
RELOAD_SCRIPT = """(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__navigator__/state.json", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (state) {
        if (seen !== null && state.version !== seen) location.reload();
        seen = state.version;
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
# In the page's flow, not sticky over it: the site's own お知らせ (settings.notice), just below, stays in sight.
BANNER_STYLE = ("background:#fde8e8;color:#1a1a1a;border-bottom:4px solid #b00020;"
                "padding:12px 16px;font:16px/1.6 system-ui,sans-serif;max-height:50vh;overflow:auto")


NO_SITE_PAGE = ("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>navigator serve</title></head>"
                "<body><p>まだサイトを作れていません。エラーを直してブックを保存すると、自動で作り直します。</p></body></html>")


@dataclass
class ServeState:
    """What the last build said; the request handler and the watcher share it."""

    version: int = 0
    ok: bool = False
    messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, result: BuildResult | None, error: str | None = None) -> None:
        with self.lock:
            self.version += 1
            if error is not None:
                self.ok, self.messages = False, [error]
            else:
                self.ok = result.ok
                self.messages = [str(p) for p in result.validation.report.errors] if not result.ok else []

    def snapshot(self) -> tuple[int, bool, list[str]]:
        with self.lock:
            return self.version, self.ok, list(self.messages)


def saved_state(sheets: Path) -> tuple:
    """Names, sizes and modification times of the workbooks: a change means a save."""
    try:
        return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in SheetsFolder.of(sheets).files)
    except OSError:
        return ()


def rebuild(sheets: Path, out: Path, state: ServeState, log) -> None:
    try:
        result = build(sheets, out)
    except Exception as exc:  # an OutputError, or a bug: shown, not fatal to the server
        state.record(None, error=f"サイトを作れませんでした: {exc}")
        log(f"[{time.strftime('%H:%M:%S')}] サイトを作れませんでした: {exc}")
        return
    state.record(result)
    stamp = time.strftime("%H:%M:%S")
    if result.ok:
        log(f"[{stamp}] サイトを作り直しました（{result.pages_written}ページ、{result.seconds:.2f}秒）。")
    else:
        for problem in result.validation.report.errors:
            log(str(problem))
        log(f"[{stamp}] エラー {len(result.validation.report.errors)}件: 前のサイトを表示したままです。直して保存すると作り直します。")


def watch(sheets: Path, out: Path, state: ServeState, log, stop: threading.Event, interval: float = 0.5) -> None:
    last = saved_state(sheets)
    while not stop.wait(interval):
        current = saved_state(sheets)
        if current != last:
            # Excel writes a file in several steps: wait until it stops changing.
            time.sleep(interval)
            current = saved_state(sheets)
            last = current
            rebuild(sheets, out, state, log)


def error_banner(messages: list[str]) -> str:
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages[:50])
    more = f"<p>ほか {len(messages) - 50}件</p>" if len(messages) > 50 else ""
    return (f'<div role="alert" style="{BANNER_STYLE}"><strong>シートにエラーがあるため、'
            f"最後に作れたサイトを表示しています。</strong><ul>{items}</ul>{more}</div>")


class Handler(http.server.SimpleHTTPRequestHandler):
    state: ServeState

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):  # noqa: N802 - the base class's name
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == INTERNAL + "state.json":
            version, ok, messages = self.state.snapshot()
            return self._send(json.dumps({"version": version, "ok": ok, "problems": messages}, ensure_ascii=False),
                              "application/json")
        if path == INTERNAL + "reload.js":
            return self._send(RELOAD_SCRIPT, "text/javascript")
        if path.endswith("/") or path.endswith(".html"):
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                return self._send(self._decorate(target.read_text(encoding="utf-8")), "text/html")
            if not self.state.snapshot()[1]:  # no site yet: the first build failed
                return self._send(self._decorate(NO_SITE_PAGE), "text/html")
        return super().do_GET()

    def _decorate(self, page: str) -> str:
        """The page with the reload script, and the problems of a failed rebuild on top."""
        _, ok, messages = self.state.snapshot()
        script = f'<script src="{INTERNAL}reload.js"></script>'
        banner = "" if ok else error_banner(messages)
        # The built pages allow styles from files only; this server's banner needs its inline style.
        page = page.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        page = page.replace("<body>", "<body>" + banner, 1) if "<body>" in page else banner + page
        return page.replace("</body>", script + "</body>", 1) if "</body>" in page else page + script

    def _send(self, text: str, content_type: str) -> None:
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PreviewServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server quiet about a client that went away (the tests' local servers are these too)."""

    def handle_error(self, request, client_address) -> None:
        # A browser closes connections it no longer needs (a tab closed, a page left while a file still came):
        # nothing went wrong, and socketserver's traceback in the terminal would say otherwise.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(out: Path, state: ServeState, host: str, port: int) -> PreviewServer:
    handler = type("NavigatorHandler", (Handler,), {"state": state})
    # The handler opens OUT by name on every request, so a rebuild's swapped-in folder is served at once.
    return PreviewServer((host, port), functools.partial(handler, directory=str(out)))
