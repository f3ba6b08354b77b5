"""`navigator check --links`: every address of the programs opened once, the dead ones warnings on their cells.

Against a server on 127.0.0.1 only, never the internet: a page, a missing page, a redirect to the page,
a redirect loop and a page too slow for the timeout.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from clirun import run
from sheetmaker import PROGRAMS, QUESTIONS, SETTINGS, program_row, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.tooling.links import link_uses
from navigator.tooling.serve import PreviewServer

SLOW_SECONDS = 3


class Pages(http.server.BaseHTTPRequestHandler):
    requested: Counter

    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        self.requested[self.path] += 1
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        if self.path in ("/ok", "/slow"):
            return self._answer(200)
        if self.path == "/moved":
            return self._answer(302, "/ok")
        if self.path == "/loop":
            return self._answer(302, "/loop")
        return self._answer(404)

    def _answer(self, status: int, location: str | None = None) -> None:
        body = b"<!doctype html><title>page</title>"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def pages():
    """A server of the five pages; `.url` is its address, `.requested` counts the requests of each path."""
    handler = type("CountingPages", (Pages,), {"requested": Counter()})
    server = PreviewServer(("127.0.0.1", 0), handler)
    server.daemon_threads, server.block_on_close = True, False  # a slow request does not hold the test up
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    server.requested = handler.requested
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def linked(sheets, pages):
    """The small city (rows 2–6) and three programs with links, rows 7–9 (K: オンライン申請URL, L: 詳細URL)."""
    url = pages.url
    write_department(sheets, programs=PROGRAMS + [
        program_row("a", "リンクのある制度", 詳細URL=f"{url}/ok", オンライン申請URL=f"{url}/missing",
                    申請方法=f"[申請書]({url}/moved) を窓口に出します。"),
        program_row("b", "同じリンクを使う制度", 詳細URL=f"{url}/missing", 対象者=f"対象は <{url}/loop> を見てください。"),
        program_row("c", "遅いページの制度", 詳細URL=f"{url}/slow"),
    ])
    return sheets


def test_each_dead_link_is_a_warning_on_each_of_its_cells(capsys, linked, pages):
    url = pages.url
    started = time.monotonic()
    code, out, err = run(capsys, "check", str(linked), "--links", "--link-timeout", "0.5")
    assert (code, err) == (0, "")  # warnings only: the site can still be built
    tail = "アドレスが正しいか、ページが移動していないかブラウザで確かめてください。"
    assert out.splitlines() == [
        f"[警告] 福祉課.xlsx / 制度 / K7: オンライン申請URLのリンク「{url}/missing」が開けません（HTTP 404）。{tail}",
        f"[警告] 福祉課.xlsx / 制度 / L8: 詳細URLのリンク「{url}/missing」が開けません（HTTP 404）。{tail}",
        f"[警告] 福祉課.xlsx / 制度 / E8: 対象者のリンク「{url}/loop」が開けません（転送が繰り返されて、ページにたどり着きません）。{tail}",
        f"[警告] 福祉課.xlsx / 制度 / L9: 詳細URLのリンク「{url}/slow」が開けません（0.5秒待っても応答がありません）。{tail}",
        "エラー 0件、警告 4件。制度 7件を読み込み: 公開 6、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2",
        "リンク 5件を開いて確かめました。",
    ]
    # Each address once, though /missing is in two cells; the redirect was followed to /ok.
    assert pages.requested["/missing"] == 1 and pages.requested["/ok"] == 2 and pages.requested["/moved"] == 1
    assert time.monotonic() - started < SLOW_SECONDS  # the slow page did not hold up the others, nor the end


def test_dead_links_are_in_the_json_report(capsys, linked, pages):
    code, out, _ = run(capsys, "check", str(linked), "--links", "--link-timeout", "0.5", "--format", "json")
    assert code == 0
    found = [(p["code"], p["severity"], p["cell"]) for p in json.loads(out)]
    assert found == [("dead-link", "warning", cell) for cell in ("K7", "L8", "E8", "L9")]


def test_without_links_nothing_is_fetched(capsys, linked, pages):
    code, out, _ = run(capsys, "check", str(linked))
    assert code == 0 and out.startswith("問題はありません。")
    assert sum(pages.requested.values()) == 0


def test_the_addresses_of_the_cells(linked, pages):
    """Web addresses only, each with every cell that uses it; Markdown links by [text](address) and <address>."""
    uses = link_uses(validate_folder(linked).site.programs)
    assert {address.removeprefix(pages.url): [f"{u.cell} {u.header}" for u in cells] for address, cells in uses.items()} == {
        "/moved": ["H7 申請方法"],
        "/missing": ["K7 オンライン申請URL", "L8 詳細URL"],
        "/ok": ["L7 詳細URL"],
        "/loop": ["E8 対象者"],
        "/slow": ["L9 詳細URL"],
    }


def test_the_check_runs_where_an_event_loop_is_running(linked, pages):
    """A caller may already run asyncio (Playwright's sync API does, in this test session): the check still works."""
    from navigator.tooling.links import dead_links

    async def inside_a_loop():
        return dead_links(link_uses(validate_folder(linked).site.programs), timeout=0.5)

    with ThreadPoolExecutor(1) as thread:  # a thread of its own: this one may have Playwright's loop already
        found = thread.submit(asyncio.run, inside_a_loop()).result()
    assert sorted(address.removeprefix(pages.url) for address in found) == ["/loop", "/missing", "/slow"]


def test_the_links_of_common_xlsx_are_checked_too(capsys, sheets, pages):
    """はじめに, 注意事項, お知らせ, a question's 補足説明: links the coordinating division writes, warned about like the others."""
    url = pages.url
    settings = [row if row[0] != "はじめに" else ["はじめに", f"くわしくは[市のページ]({url}/missing)へ。"] for row in SETTINGS]
    questions = [row if row[0] != "住家被害" else [*row[:2], f"[判定の説明]({url}/loop)", *row[3:]] for row in QUESTIONS]
    write_common(sheets, settings=settings, questions=questions)
    code, out, _ = run(capsys, "check", str(sheets), "--links", "--link-timeout", "0.5")
    tail = "アドレスが正しいか、ページが移動していないかブラウザで確かめてください。"
    assert code == 0
    assert out.splitlines()[:2] == [
        f"[警告] common.xlsx / 設定: 設定「はじめに」のリンク「{url}/missing」が開けません（HTTP 404）。{tail}",
        f"[警告] common.xlsx / 質問 / C2: 質問「住家被害」の補足説明のリンク「{url}/loop」が開けません（転送が繰り返されて、ページにたどり着きません）。{tail}",
    ]
