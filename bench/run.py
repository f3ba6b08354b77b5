"""The performance benchmark: check, build and rebuilds at city to prefecture scale, against Hugo.

For each size (programs in department workbooks: 100 in 10, 1,000 in 50, 10,000 in 100; every
question used, every program text unique; bench/sheetset.py) it measures, as medians of
--runs runs, each a fresh `python -m navigator` process as a user runs it:

- `check`; a full `build` (empty OUT, empty cache); a rebuild with nothing changed; a rebuild
  after one workbook changed (a department saves its workbook with one 概要 edited);
- peak memory of the full build (the sum of the resident memory of its processes, sampled);
- the output's size; the question flow's first load, gzipped (the top page and navi.html with
  every stylesheet and script they load, data files included) and the results-data file;
- for the largest set, the time the page's JavaScript takes to compute results
  (NavigatorRules.match over 100 random answer sets, median) in Chromium (Playwright,
  /usr/bin/chromium);
- the same site built by Hugo (bench/hugo_site.py; Debian package `hugo`), full builds
  interleaved with ours, and our times as ratios to Hugo's. Without hugo, that part is skipped.

It prints a table and the budgets of the issue (met or missed), and writes everything as JSON
into bench/results/ (git-ignored). Installs nothing.

    python bench/run.py                     # all three sizes, 5 runs each
    python bench/run.py --sizes 1000 --runs 3
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import sheetset  # noqa: E402
from hugo_site import write_hugo_site  # noqa: E402

SIZES = {100: 10, 1000: 50, 10000: 100, 30000: 300}  # programs → department workbooks (30,000: a prefecture)
CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium")
BUDGETS_AT = 10000


# --- running a command and measuring it ----------------------------------------------------------

def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def _tree_pss(pid: int) -> int:
    """Proportional memory (pages shared by forked workers counted once) of a process tree, in bytes."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def measure(command: list[str], env: dict | None = None, cwd: Path | None = None, memory: bool = False) -> dict:
    """Wall time and the output of one run, and its peak memory: the resident memory of the process
    tree added up, sampled every 5 ms (cheap, counts pages shared by forked workers in each), or
    with `memory` its proportional memory (each page once), sampled every 10 ms (costs time: not
    for timed runs)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd or CODE[0], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_pss(process.pid) if memory else _tree_rss(process.pid))
            stop.wait(0.01 if memory else 0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return {"seconds": seconds, "peak_tree_bytes": peak[0], "peak_kind": "pss" if memory else "rss",
            "returncode": process.returncode,
            "stdout": stdout.decode("utf-8", "replace"), "stderr": stderr.decode("utf-8", "replace")}


WAIT_IDLE = [0.0]  # --wait-idle: seconds to wait, before each timed run, for the CPUs to be idle
BUSY = {"runs": 0, "busy": 0}


def _cpu_idle(seconds: float = 0.5) -> float:
    """The share of CPU time idle over the next `seconds` (Linux /proc/stat)."""
    def read():
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return values[3] + values[4], sum(values)
    idle, total = read()
    time.sleep(seconds)
    idle2, total2 = read()
    return (idle2 - idle) / max(1, total2 - total)


def settle() -> None:
    """Let the disk finish what the previous run left (deleted files are discarded in the background),
    and with --wait-idle, wait for other work on the machine to end."""
    os.sync()
    time.sleep(0.5)
    if WAIT_IDLE[0] > 0:
        BUSY["runs"] += 1
        deadline = time.monotonic() + WAIT_IDLE[0]
        while _cpu_idle() < 0.9:
            if time.monotonic() > deadline:
                BUSY["busy"] += 1  # ran anyway: the report says how often
                break


def navigator(*args: str) -> list[str]:
    return [sys.executable, "-m", "navigator", *args]


CODE = [REPO]  # where the navigator measured is: a copy made at the start (main), so that edits
               # made to the checkout while the benchmark runs change nothing it measures


def snapshot_code(work: Path) -> Path:
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(REPO / "navigator", code / "navigator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "site_templates", code / "site_templates")
    # Compiled once, as an installed navigator is (pip compiles what it installs): no run pays for compiling.
    compileall.compile_dir(code / "navigator", quiet=1)
    return code


def run_env(cache_dir: Path) -> dict:
    env = dict(os.environ)
    env["NAVIGATOR_CACHE_DIR"] = str(cache_dir)
    env["NAVIGATOR_BUILD_DATE"] = "2026-07-01"
    env["PYTHONPATH"] = str(CODE[0]) + os.pathsep + env.get("PYTHONPATH", "")
    # A city's machine keeps compiled modules; a sandbox that turns that off would add 0.09 s to every process here.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def checked(result: dict, what: str) -> dict:
    if result["returncode"] != 0:
        raise SystemExit(f"{what} failed ({result['returncode']}):\n{result['stdout']}\n{result['stderr']}")
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- sizes of the output -----------------------------------------------------------------------

def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def linked_files(page: Path, site: Path) -> list[Path]:
    """Stylesheets and scripts a page loads with it (relative links, as navigator writes them)."""
    html = page.read_text(encoding="utf-8")
    found = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<script src="([^"]+)"', html)
    return [(page.parent / link).resolve() for link in found]


def fetched_after(page: Path) -> list[Path]:
    """What navi.js fetches right after the page has loaded (data-results, data-qrcode)."""
    html = page.read_text(encoding="utf-8")
    return [(page.parent / link).resolve() for link in re.findall(r'data-(?:results|qrcode)="([^"]+)"', html)]


def first_load(site: Path) -> dict:
    """Bytes (gzip -6) a resident's browser fetches to open the top page and then the question flow:
    what the flow needs to ask the questions and compute the results, and what it fetches right after."""
    root = site.resolve()
    files: dict[str, int] = {}
    for page in (site / "index.html", site / "navi.html"):
        for path in [page, *linked_files(page, site)]:
            files[path.relative_to(root).as_posix()] = gzipped(path)
    after = {path.relative_to(root).as_posix(): gzipped(path) for path in fetched_after(site / "navi.html")}
    results = next((site / "data").glob("results.*.js"))
    flow = next((site / "data").glob("flow.*.js"))
    return {"files": files, "total_gzip_bytes": sum(files.values()),
            "fetched_after_load": after, "fetched_after_load_gzip_bytes": sum(after.values()),
            "results_file_bytes": results.stat().st_size, "results_file_gzip_bytes": gzipped(results),
            "flow_file_bytes": flow.stat().st_size, "flow_file_gzip_bytes": gzipped(flow)}


def folder_size(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


# --- the page's JavaScript ---------------------------------------------------------------------

JS_TIMING = """
() => {
  let seed = 12345;
  function random() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
  const flow = window.NavigatorFlow, rules = window.NavigatorRules;
  const times = [];
  let shown = 0;
  for (let run = 0; run < 100; run++) {
    const answers = {};
    for (const q of flow.questions) {
      const r = random();
      if (r < 0.25) continue;  // わからない・答えない
      if (q.type === "number") answers[q.id] = Math.floor(random() * 90);
      else if (q.type === "multiple") answers[q.id] = q.choices.filter(() => random() < 0.3);
      else answers[q.id] = q.choices[Math.floor(random() * q.choices.length)];
    }
    const started = performance.now();
    const result = rules.match(flow, answers);
    times.push(performance.now() - started);
    shown += result.applies.length + result.may_apply.length;
  }
  times.sort((a, b) => a - b);
  return {median_ms: (times[49] + times[50]) / 2, max_ms: times[99], programs: flow.programs.length,
          shown_per_run: shown / 100};
}
"""


def js_match_time(site: Path) -> dict | None:
    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed (pip install playwright)"}
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/navi.html", wait_until="load")
            load_seconds = time.perf_counter() - started
            page.wait_for_function("() => window.NavigatorResults !== undefined")  # fetched after the load
            result = page.evaluate(JS_TIMING)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    result["navi_load_seconds"] = load_seconds
    return result


# --- the file system --------------------------------------------------------------------------

def file_creation_probe(work: Path, files: int = 500) -> float:
    """Microseconds to create one small file in WORK now. For minutes after thousands of files are deleted (an
    earlier benchmark's work folder, a test run), ext4 creates each file only after passing over the inodes freed
    recently (recently_deleted() in its allocator): 40–60 µs a file became 650–750 here, for Hugo and navigator alike,
    and a build's time is then mostly creating its 10,000 files. The probe's files stay until the end (removing
    them would add to the count)."""
    folder = work
    folder.mkdir(parents=True, exist_ok=True)
    data = b"x" * 8192
    started = time.perf_counter()
    for number in range(files):
        with open(folder / f"{number}.html", "wb") as handle:
            handle.write(data)
    return (time.perf_counter() - started) / files * 1e6


SLOW_CREATION_US = 150  # a few tens of µs is this VM's usual


def creation_settled(work: Path, wait: bool) -> float:
    """The probe's figure, printed; with `wait`, probed again every 30 s for up to 7 minutes (ext4 forgets deletions
    after 5 to 6) until it is usual."""
    deadline = time.monotonic() + 7 * 60
    while True:
        creating = file_creation_probe(work / f"probe-{int(time.monotonic())}")
        if creating <= SLOW_CREATION_US or not wait or time.monotonic() > deadline:
            break
        print(f"creating a file: {creating:.0f} µs, waiting for files deleted lately to be forgotten", flush=True)
        time.sleep(30)
    print(f"creating a file: {creating:.0f} µs" + (" (slow: files were deleted on this file system in the last minutes;"
                                                     " every build here is slowed by it)" if creating > SLOW_CREATION_US else ""))
    return creating


def python_speed_probe(runs: int = 5) -> float:
    """Milliseconds for a pure-Python loop of 10 million additions (median of `runs`), in a new process. The builds are
    Python and Hugo is Go: on a host whose CPU is slower for Python but whose disks are not (a VM placed elsewhere),
    every ratio to Hugo grows (0.85 s here on 2026-12-05, when the 10,000-program build went from 1.11x to 1.49x
    Hugo with the same code). Printed with each run, so that runs on different hosts are not compared as equals."""
    code = "import time\nt=time.perf_counter()\ns=0\nfor i in range(10_000_000): s+=i\nprint(time.perf_counter()-t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
             for _ in range(runs)]
    speed = median(times) * 1000
    print(f"a Python loop of 10 million additions: {speed:.0f} ms")
    return speed


# --- Hugo ---------------------------------------------------------------------------------------

def hugo_version() -> str | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()


# --- one size ----------------------------------------------------------------------------------

def bench_size(programs: int, workbooks: int, runs: int, work: Path, with_hugo: bool) -> dict:
    print(f"\n== {programs} programs in {workbooks} workbooks ==", flush=True)
    sheets = work / f"sheets-{programs}"
    sheetset.generate(sheets, programs, workbooks)
    row: dict = {"programs": programs, "workbooks": workbooks, "runs": runs}

    cache_check = work / "cache-check"
    checks = []
    for _ in range(runs):
        settle()
        checks.append(checked(measure(navigator("check", str(sheets)), run_env(cache_check)), "check"))
    row["check_seconds"] = median([c["seconds"] for c in checks])
    row["check_runs"] = [c["seconds"] for c in checks]
    print(f"check: {row['check_seconds']:.2f} s", flush=True)

    hugo_source = None
    if with_hugo:
        from navigator.check.validate import validate_folder

        site_model = validate_folder(sheets).site
        hugo_source = write_hugo_site(site_model, work / f"hugo-{programs}")
    full, hugo_runs = [], []
    for run in range(runs):
        if hugo_source is not None:
            settle()
            hugo_runs.append(checked(measure(["hugo", "--quiet", "-s", str(hugo_source), "-d",
                                              str(work / f"hugo-out-{programs}-{run}")]), "hugo"))
        settle()
        cache = work / f"cache-{programs}-{run}"
        out = work / f"out-{programs}-{run}"
        full.append(checked(measure(navigator("build", str(sheets), "-o", str(out)), run_env(cache)),
                            "build"))
    row["build_seconds"] = median([r["seconds"] for r in full])
    row["build_runs"] = [r["seconds"] for r in full]
    row["build_peak_rss_sum_bytes"] = max(r["peak_tree_bytes"] for r in full)
    settle()  # one more full build, for its memory alone
    cache = work / f"cache-{programs}-memory"
    row["build_peak_bytes"] = checked(measure(navigator("build", str(sheets), "-o", str(work / f"out-{programs}-memory")),
                                              run_env(cache), memory=True), "build")["peak_tree_bytes"]
    print(f"full build: {row['build_seconds']:.2f} s, peak {row['build_peak_bytes'] / 1e6:.0f} MB", flush=True)
    if hugo_runs:
        row["hugo_seconds"] = median([r["seconds"] for r in hugo_runs])
        row["hugo_runs"] = [r["seconds"] for r in hugo_runs]
        row["hugo_peak_rss_sum_bytes"] = max(r["peak_tree_bytes"] for r in hugo_runs)
        settle()
        row["hugo_peak_bytes"] = checked(measure(["hugo", "--quiet", "-s", str(hugo_source), "-d",
                                                  str(work / f"hugo-out-{programs}-memory")], memory=True),
                                         "hugo")["peak_tree_bytes"]
        row["hugo_pages"] = sum(1 for _ in (work / f"hugo-out-{programs}-0").rglob("*.html"))
        print(f"hugo: {row['hugo_seconds']:.2f} s, peak {row['hugo_peak_bytes'] / 1e6:.0f} MB, "
              f"{row['hugo_pages']} pages", flush=True)

    out = work / f"out-{programs}-{runs - 1}"
    cache = work / f"cache-{programs}-{runs - 1}"
    unchanged = []
    for _ in range(runs):
        settle()
        unchanged.append(checked(measure(navigator("build", str(sheets), "-o", str(out)),
                                         run_env(cache)), "rebuild"))
    row["rebuild_unchanged_seconds"] = median([r["seconds"] for r in unchanged])
    row["rebuild_unchanged_runs"] = [r["seconds"] for r in unchanged]
    print(f"rebuild, nothing changed: {row['rebuild_unchanged_seconds']:.2f} s", flush=True)

    one = []
    for run in range(runs):
        sheetset.touch_one(sheets, programs, workbooks, edit=run + 1, number=run % workbooks)
        settle()
        one.append(checked(measure(navigator("build", str(sheets), "-o", str(out)), run_env(cache)),
                           "rebuild"))
    row["rebuild_one_changed_seconds"] = median([r["seconds"] for r in one])
    row["rebuild_one_changed_runs"] = [r["seconds"] for r in one]
    print(f"rebuild, one workbook changed: {row['rebuild_one_changed_seconds']:.2f} s", flush=True)

    row["output"] = folder_size(out)
    row["pages"] = sum(1 for _ in out.rglob("*.html"))
    row["first_load"] = first_load(out)
    print(f"output: {row['output']['files']} files, {row['output']['bytes'] / 1e6:.1f} MB; flow first load "
          f"{row['first_load']['total_gzip_bytes'] / 1024:.1f} KB gzipped (+{row['first_load']['fetched_after_load_gzip_bytes'] / 1024:.0f} KB "
          f"fetched after load); results file "
          f"{row['first_load']['results_file_bytes'] / 1e6:.2f} MB ({row['first_load']['results_file_gzip_bytes'] / 1024:.0f} KB gzipped)",
          flush=True)
    if hugo_runs:
        for name in ("build", "rebuild_unchanged", "rebuild_one_changed"):
            row[f"{name}_vs_hugo"] = row[f"{name}_seconds"] / row["hugo_seconds"]
        row["peak_vs_hugo"] = row["build_peak_bytes"] / row["hugo_peak_bytes"]
    row["_site"] = str(out)
    return row


# --- the table and the budgets ------------------------------------------------------------------

def table(rows: list[dict]) -> str:
    def ratio(row, name):
        value = row.get(f"{name}_vs_hugo")
        return "" if value is None else f" ({value:.2f}×)"

    lines = ["| programs / workbooks | check | full build | rebuild, nothing changed | rebuild, one workbook changed "
             "| Hugo build | peak memory (Hugo) | output | flow first load, gzip (fetched after load) | results file (gzip) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        hugo = f"{row['hugo_seconds']:.2f} s" if "hugo_seconds" in row else "—"
        hugo_peak = f" ({row['hugo_peak_bytes'] / 1e6:.0f} MB)" if "hugo_peak_bytes" in row else ""
        load = row["first_load"]
        lines.append(
            f"| {row['programs']:,} / {row['workbooks']} | {row['check_seconds']:.2f} s "
            f"| {row['build_seconds']:.2f} s{ratio(row, 'build')} "
            f"| {row['rebuild_unchanged_seconds']:.2f} s{ratio(row, 'rebuild_unchanged')} "
            f"| {row['rebuild_one_changed_seconds']:.2f} s{ratio(row, 'rebuild_one_changed')} | {hugo} "
            f"| {row['build_peak_bytes'] / 1e6:.0f} MB{hugo_peak} "
            f"| {row['output']['files']:,} files, {row['output']['bytes'] / 1e6:.1f} MB "
            f"| {load['total_gzip_bytes'] / 1024:.1f} KB (+{load['fetched_after_load_gzip_bytes'] / 1024:.0f} KB after) "
            f"| {load['results_file_bytes'] / 1e6:.2f} MB ({load['results_file_gzip_bytes'] / 1024:.0f} KB) |")
    return "\n".join(lines)


SCALED = (("check", "check_seconds"), ("full build", "build_seconds"), ("Hugo build", "hugo_seconds"),
          ("rebuild, nothing changed", "rebuild_unchanged_seconds"), ("rebuild, one workbook changed", "rebuild_one_changed_seconds"),
          ("peak memory", "build_peak_bytes"), ("Hugo's peak memory", "hugo_peak_bytes"))


def scaling(rows: list[dict]) -> list[str]:
    """Each figure's growth from one size to the next beside the programs' (a figure growing faster than the
    programs does not scale)."""
    lines = []
    for small, large in zip(rows, rows[1:]):
        grow = large["programs"] / small["programs"]
        parts = []
        for name, key in SCALED:
            if small.get(key) and large.get(key):
                factor = large[key] / small[key]
                parts.append(f"{name} {factor:.2f}×{' (faster than the programs)' if factor > grow else ''}")
        lines.append(f"- {small['programs']:,} → {large['programs']:,} programs ({grow:.0f}×): " + ", ".join(parts))
    return lines


def budgets(rows: list[dict], js: dict | None) -> list[dict]:
    by_size = {row["programs"]: row for row in rows}
    found = []

    def budget(what: str, value, limit, unit: str) -> None:
        if value is None or limit is None:
            found.append({"budget": what, "met": None, "value": value, "limit": limit, "unit": unit})
        else:
            found.append({"budget": what, "met": value <= limit, "value": value, "limit": limit, "unit": unit})

    big = by_size.get(BUDGETS_AT)
    if big is not None:
        hugo = big.get("hugo_seconds")
        budget("check ≤ 1.0 s (10,000 programs)", big["check_seconds"], 1.0, "s")
        budget("full build ≤ 1.2 × Hugo", big["build_seconds"], hugo and 1.2 * hugo, "s")
        budget("rebuild, nothing changed ≤ 0.15 × Hugo", big["rebuild_unchanged_seconds"], hugo and 0.15 * hugo, "s")
        budget("rebuild, one workbook changed ≤ 0.3 × Hugo", big["rebuild_one_changed_seconds"], hugo and 0.3 * hugo, "s")
        budget("peak memory below Hugo's", big["build_peak_bytes"] / 1e6,
               big.get("hugo_peak_bytes") and big["hugo_peak_bytes"] / 1e6, "MB")
    if js and "median_ms" in js:
        budget(f"results computed in the page ≤ 20 ms ({js['programs']:,} programs)", js["median_ms"], 20, "ms")
    if 1000 in by_size:
        budget("flow first load ≤ 60 KB gzipped (1,000 programs)", by_size[1000]["first_load"]["total_gzip_bytes"] / 1024,
               60, "KB")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="program counts, of 100, 1000, 10000 and 30000 (the scaling: 1000,10000,30000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", help="folder for the generated sets and sites (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", help="where to write the results (default: bench/results/<time>.json)")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each timed run, wait up to SECONDS for the CPUs to be idle (other work skews the times)")
    args = parser.parse_args()
    WAIT_IDLE[0] = args.wait_idle
    sizes = [int(s) for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"sizes must be among {', '.join(map(str, SIZES))}")

    hugo = hugo_version()
    if hugo is None:
        print("hugo is not installed: the Hugo comparison is skipped (apt-get install hugo; see bench/README.md).")
    load = os.getloadavg()
    if load[0] > 0.5:
        print(f"note: load average {load[0]:.2f} before the run: other work on this machine skews the times.")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="navigator-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    CODE[0] = snapshot_code(work)
    creating = creation_settled(work, args.wait_idle > 0)
    python_ms = python_speed_probe()
    started = time.time()
    try:
        rows = [bench_size(size, SIZES[size], args.runs, work, hugo is not None) for size in sizes]
        js = js_match_time(Path(rows[-1]["_site"]))
        if js and "median_ms" in js:
            print(f"\nresults computed in the page ({js['programs']:,} programs): median {js['median_ms']:.2f} ms, "
                  f"max {js['max_ms']:.2f} ms over 100 answer sets", flush=True)
        elif js:
            print(f"\nJavaScript timing skipped: {js['skipped']}")
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    for row in rows:
        row.pop("_site", None)
    found = budgets(rows, js)
    print("\n" + table(rows) + "\n")
    if len(rows) > 1:
        print("Growth:\n" + "\n".join(scaling(rows)) + "\n")
    for item in found:
        mark = "met" if item["met"] else ("missed" if item["met"] is False else "not measured")
        limit = "" if item["limit"] is None else f" (limit {item['limit']:.2f} {item['unit']})"
        value = "" if item["value"] is None else f"{item['value']:.2f} {item['unit']}"
        print(f"- {item['budget']}: {value}{limit}: {mark}")
    report = {"date": dt.datetime.now().isoformat(timespec="seconds"), "minutes": (time.time() - started) / 60,
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0],
                          "load_before": load, "file_creation_us": creating, "python_loop_ms": python_ms, "hugo": hugo, "timed_runs_on_a_busy_machine": BUSY},
              "runs": args.runs, "sizes": rows, "javascript": js, "budgets": found}
    target = Path(args.json) if args.json else BENCH / "results" / f"{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")


if __name__ == "__main__":
    main()
