"""A resident's visit on a weak connection (issue 21): bytes over the wire, and the time to the first question.

For 100 and 1,000 programs (bench/sheetset.py), built with --precompress and served by a small
server that sends the `.gz` copy when the browser accepts gzip (as nginx `gzip_static` does):

- the bytes of a full first visit in chromium: the top page → the question flow, every question
  answered わからない・答えない → the results → the printed checklist → one program page. Counted
  are the bytes the server sent (bodies, gzipped), split into what the pages asked for and what the
  service worker saved for offline use on top (its precache: the same for every resident);
- the time from asking for navi.html to the first question shown, on a fresh device, with the
  connection throttled by CDP Network.emulateNetworkConditions to 400 kbps both ways and 400 ms
  round trips (the target: under 4 s);
- the results drawn on a phone: every question answered わからない・答えない (so every program is on the
  results page: the most there is to draw), then, with the CPU slowed 4x (CDP Emulation.setCPUThrottlingRate,
  Lighthouse's mobile profile) on a 390 x 844 touch screen, the time from pressing 結果を見る to the frame
  after the results are in the page: the rules run, the overview (まず最初に, deadlines, both sections) drawn,
  and to the last line made (past the first screens the lines are made a chunk at a time after that frame; the
  checklist when opened or printed). Measured in the page (performance.now), so the browser's round trips are not in it.

    python bench/visit.py                 # 100 and 1,000 programs
    python bench/visit.py --sizes 1000 --runs 5
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sheetset import generate  # noqa: E402

from navigator.pipeline import build  # noqa: E402

CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
WEAK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
WORKBOOKS = {100: 10, 1000: 50, 10000: 100}


class Server:
    """Serves a built site, with the .gz copy when the browser accepts gzip; counts the bytes of every body."""

    def __init__(self, folder: Path) -> None:
        sent = self.sent = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002
                pass

            def do_GET(self):  # noqa: N802
                path = self.path.split("?", 1)[0]
                local = Path(self.translate_path(path))
                packed = local.with_name(local.name + ".gz")
                if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
                    body = packed.read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(str(local)))
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Cache-Control", "no-cache" if not path.startswith("/data/") else "max-age=31536000")
                    self.end_headers()
                    try:
                        self.wfile.write(body)
                    except ConnectionError:  # a context closed with the response under way
                        return
                    sent.append((path, len(body)))
                    return
                size = local.stat().st_size if local.is_file() else 0
                sent.append((path, size))
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def answer_every_question_unknown(page) -> None:
    """From the first question to 回答の確認, each answered わからない・答えない."""
    heading = page.locator("#navi-heading")
    while True:
        heading.wait_for()
        if heading.inner_text() == "回答の確認":
            break
        before = page.url
        page.get_by_label("わからない・答えない").check()
        page.get_by_role("button", name="次へ").click()
        page.wait_for_function("(before) => location.href !== before", arg=before)


def full_visit(browser, server: Server, out: Path) -> tuple[int, int, int, int]:
    """(bytes the pages asked for, bytes the service worker added, requests, all of it as brotli) of one resident's
    first visit. Chromium asks for brotli over HTTPS only: the last figure counts the .br copies of the same files."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    page = context.new_page()
    pages_asked: set[str] = set()
    page.on("request", lambda request: pages_asked.add(request.url.removeprefix(server.url).split("#")[0]))
    page.add_init_script("window.print = () => {};")
    start = len(server.sent)
    page.goto(server.url + "index.html")
    page.goto(server.url + "navi.html")
    answer_every_question_unknown(page)
    page.get_by_role("button", name="結果を見る").click()
    page.get_by_role("button", name="印刷用チェックリスト").click()
    page.get_by_role("button", name="結果の表示に戻る").click()
    first = page.locator(".navi-details").first
    first.locator("summary").click()  # a line's details (and its page's link) are made when it is first opened
    page.goto(first.locator(".navi-result-name a").evaluate("(a) => a.href"))
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_timeout(1500)  # the precache finishes
    context.close()
    sent = server.sent[start:]
    asked = sum(size for path, size in sent if path.lstrip("/") in pages_asked)
    total = sum(size for _, size in sent)
    as_brotli = 0
    for path, size in sent:
        packed = out / (path.lstrip("/") + ".br")
        as_brotli += packed.stat().st_size if packed.is_file() else size
    return asked, total - asked, len(sent), as_brotli


def first_question(browser, server: Server) -> float:
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", WEAK)
    started = time.perf_counter()
    page.goto(server.url + "navi.html", wait_until="commit")
    page.locator("#navi-heading").wait_for(timeout=60_000)
    page.get_by_role("button", name="次へ").wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


PRESSED = """
window.__pressed = null;
window.__drawn = null;
document.addEventListener("click", (event) => {
  if (event.target.closest("button") && event.target.closest("button").textContent.trim() === "結果を見る") {
    window.__pressed = performance.now();
  }
}, true);
// The frame after the one that shows the results (asked for as they come into the page, before any later work).
new MutationObserver(() => {
  if (window.__pressed === null || window.__drawn !== null || !document.getElementById("navi-applies-heading")) return;
  window.__drawn = 0;
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawn = performance.now() - window.__pressed; }));
}).observe(document, {childList: true, subtree: true});
"""


def results_on_a_phone(browser, server: Server) -> dict:
    """Milliseconds from pressing 結果を見る to the frame after the results are drawn, CPU slowed 4x (see the top), with
    the browser's own split of that time (script, layout, style) and the page's element count."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                                  has_touch=True, service_workers="block")
    page = context.new_page()
    page.add_init_script(PRESSED)
    page.goto(server.url + "navi.html")
    answer_every_question_unknown(page)
    page.wait_for_function("() => window.NavigatorResults !== undefined")  # fetched after the load
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    # The press's handler draws the results before it returns: at 10,000 programs longer than a click's 30 s.
    page.get_by_role("button", name="結果を見る").click(timeout=900_000)
    page.locator("#navi-applies-heading").wait_for(state="attached", timeout=900_000)
    if page.evaluate("window.__pressed") is None:
        raise RuntimeError("the press of 結果を見る was not seen in the page")
    page.wait_for_function("() => window.__drawn", timeout=900_000)
    drawn = page.evaluate("window.__drawn")
    # The lines past the first screens are made a chunk at a time after that frame: until no list is aria-busy.
    every_line = page.evaluate("() => new Promise((done) => { const look = () => document.querySelector("
                               "'ul.navi-results[aria-busy]') ? requestAnimationFrame(look) : "
                               "done(performance.now() - window.__pressed); look(); })")
    after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    context.close()
    split = {name: (after[name] - before[name]) * 1000 for name in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration")}
    return {"ms": drawn, "every_line_ms": every_line, **split, "nodes": after["Nodes"]}


def sheets_for(folder: Path, size: int) -> Path:
    """bench/sheetset.py's set; the 書類 sheet's 発行する制度 column emptied (the generated programs have other IDs than
    the sample city's risai-shomei/hisai-shomei, which the check refuses: sheetset.py does not follow that yet)."""
    import openpyxl

    sheets = generate(folder, size, WORKBOOKS.get(size, max(1, size // 20)))
    book = openpyxl.load_workbook(sheets / "common.xlsx")
    if "書類" in book.sheetnames:
        sheet = book["書類"]
        header = [cell.value for cell in sheet[1]]
        if "発行する制度" in header:
            column = header.index("発行する制度") + 1
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=column).value = None
        book.save(sheets / "common.xlsx")
    return sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print("| programs | pages asked for (gzip) | + saved for offline | requests | all as brotli | first question at 400 kbps, "
              "400 ms RTT | results drawn on a phone (CPU 4x slower), every program shown |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for size in args.sizes:
            sheets = sheets_for(Path(work) / f"sheets-{size}", size)
            out = Path(work) / f"site-{size}"
            assert build(sheets, out, precompress=True).ok
            server = Server(out)
            asked, saved, requests, as_brotli = full_visit(browser, server, out)
            times = [first_question(browser, server) for _ in range(args.runs)]
            drawn = [results_on_a_phone(browser, server) for _ in range(args.runs)]
            server.close()
            middle = sorted(drawn, key=lambda d: d["ms"])[len(drawn) // 2]
            each = ", ".join(f"{d['ms']:.0f}" for d in drawn)
            print(f"| {size:,} | {asked / 1024:.0f} KB | {saved / 1024:.0f} KB | {requests} | {as_brotli / 1024:.0f} KB | "
                  f"{statistics.median(times):.2f} s (median of {args.runs}) | {middle['ms']:.0f} ms "
                  f"({each}); every line {statistics.median(d['every_line_ms'] for d in drawn):.0f} ms; in all script "
                  f"{middle['ScriptDuration']:.0f}, layout {middle['LayoutDuration']:.0f}, style "
                  f"{middle['RecalcStyleDuration']:.0f} ms; {middle['nodes']:,.0f} nodes |", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
