"""Search in the page (issue 20): per-query time at 10,000 programs in chromium, and the download at 1,000.

    python bench/search.py                      # 1,000 and 10,000 programs (a few minutes: two builds)
    python bench/search.py --sizes 1000 --work /tmp/bench-search --keep

For each size: the sheet set of bench/sheetset.py (the sample city's common.xlsx, 用語 sheet included), a full
`navigator build`, then search.html in Debian's chromium (never downloaded). Measured:

- **download**: data/search.<hash>.js and static/vendor/minisearch.js, raw and gzip -6 (what a visitor of the
  search page fetches after the page, whatever is typed; the header box on other pages fetches nothing).
- **ready**: from the page's load to the index built (MiniSearch's addAllAsync, in chunks: the page stays usable).
- **per query**: `performance.now()` around what typing one query does: the search, the ranking, and the top 30
  results put in the page with their marked snippets (the input event's handler, synchronous). QUERIES, each
  typed REPEAT times after one warm-up; median and p95 over all of them. Also the engine's search alone.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import sheetset  # noqa: E402

CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium")
# What residents type (tests/test_search.py has the sample city's), and words of the generated texts.
QUERIES = ["仮設住宅", "かせつじゅうたく", "りさい証明", "罹災証明書", "りさいしょめい", "児童扶養手当", "扶養手当",
           "被災者生活再建支援金", "見舞金", "がれき", "家の修理", "税金 減免", "国保", "介護保険料", "保育料",
           "住宅ローン", "事業者 融資", "水道料金", "ﾏｲﾅｶｰﾄﾞ", "弁護士", "高校生", "危機管理課", "桜ケ丘", "みなと 減免",
           "支援", "の", "4号", "300万円", "こころのケア", "お金を借りたい"]
REPEAT = 5

MEASURE = """async ([queries, repeat]) => {
  const input = document.getElementById('search-query');
  const type = (q) => { input.value = q; input.dispatchEvent(new Event('input')); };
  const times = [], searchOnly = [];
  for (const q of queries) {
    type(q);  // warm-up
    for (let i = 0; i < repeat; i++) {
      type('');
      const start = performance.now();
      type(q);
      times.push(performance.now() - start);
      const engine = window.NavigatorSearchEngine.current, alone = performance.now();
      engine.search(q);
      searchOnly.push(performance.now() - alone);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  return [times, searchOnly];
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def sizes_of(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def serve(folder: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.func.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _without_documents(path: Path) -> None:
    """sheetset's programs have their own 制度ID (p00057-risai-shomei), so the sample 書類 sheet's 発行する制度 name
    none of them (an error): the 書類 sheet is left out here (search does not read it)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    if "書類" in book.sheetnames:
        del book["書類"]
        book.save(path)


def measure(size: int, work: Path, reuse: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    from navigator.pipeline import build

    out, sheets = work / f"site-{size}", work / f"sheets-{size}"
    if not (reuse and sheets.exists()):  # --reuse: the sheets of an earlier --keep run, built again
        sheetset.generate(sheets, size, max(10, size // 100))
        _without_documents(sheets / "common.xlsx")
    result = build(sheets, out)
    assert result.validation.site is not None, [str(p) for p in result.validation.report.problems
                                                if p.severity == "error"][:5]
    index = next((out / "data").glob("search.*.js"))
    programs = index.read_text(encoding="utf-8").count('"p":"programs/')
    figures = {"programs": programs, "index": sizes_of(index),
               "engine": sizes_of(out / "static" / "vendor" / "minisearch.js")}
    httpd, url = serve(out)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(url + "search.html", wait_until="load")
            start = page.evaluate("performance.now()")
            page.wait_for_selector("#search[data-ready]", state="attached", timeout=120_000)
            figures["ready_ms"] = page.evaluate("performance.now()") - start
            times, search_only = page.evaluate(MEASURE, [QUERIES, REPEAT])
            figures["hits"] = {q: page.evaluate(
                "(q) => window.__n = (document.getElementById('search-query').value = q, "
                "document.getElementById('search-query').dispatchEvent(new Event('input')), "
                "document.querySelectorAll('#search-results > li').length)", q) for q in ("支援", "仮設住宅")}
            browser.close()
    finally:
        httpd.shutdown()
    figures.update(queries=len(times), median_ms=statistics.median(times), p95_ms=percentile(times, 0.95),
                   max_ms=max(times), search_median_ms=statistics.median(search_only),
                   search_p95_ms=percentile(search_only, 0.95))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="build and measure the sheets of an earlier --keep run in --work again")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="navigator-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in args.sizes:
            f = measure(size, work, args.reuse)
            print(f"{f['programs']} programs: data/search.*.js {f['index'][0] / 1024:.0f} KiB raw, "
                  f"{f['index'][1] / 1024:.0f} KiB gzip; minisearch.js {f['engine'][0] / 1024:.0f} KiB raw, "
                  f"{f['engine'][1] / 1024:.0f} KiB gzip; index ready {f['ready_ms']:.0f} ms after load; "
                  f"per query ({f['queries']}): median {f['median_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, "
                  f"max {f['max_ms']:.1f} ms; the search alone (no page update): median {f['search_median_ms']:.1f} ms, "
                  f"p95 {f['search_p95_ms']:.1f} ms", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
