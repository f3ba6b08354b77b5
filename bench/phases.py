"""In-process timings of one build, by phase (for profiling; bench/run.py times whole processes).

    python bench/phases.py full SHEETS WORK          # a full build: new OUT, empty cache
    python bench/phases.py one SHEETS WORK N         # workbook N % workbooks rewritten, then a rebuild
    python bench/phases.py nothing SHEETS WORK       # a rebuild with nothing changed
    python bench/phases.py full SHEETS WORK --profile FILE   # cProfile of the build into FILE

WORK holds the OUT folder and the cache (`one` and `nothing` build into what `full` left there).
Prints one line of JSON: the build's seconds and its phases. To compare two versions of navigator,
run this with PYTHONPATH set to each checkout, alternating, and take medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["full", "one", "nothing"])
    parser.add_argument("sheets", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("edit", type=int, nargs="?", default=1)
    parser.add_argument("--programs", type=int, default=10000)
    parser.add_argument("--workbooks", type=int, default=100)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    out, cache = args.work / "out", args.work / "cache"
    os.environ["NAVIGATOR_CACHE_DIR"] = str(cache)
    os.environ.setdefault("NAVIGATOR_BUILD_DATE", "2027-01-01")
    if args.what == "full":
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    elif args.what == "one":  # in another process: sheetset imports navigator from this checkout
        import subprocess

        subprocess.run([sys.executable, "-c", "import sys, sheetset; from pathlib import Path; "
                        f"sheetset.touch_one(Path(sys.argv[1]), {args.programs}, {args.workbooks}, edit={args.edit}, "
                        f"number={args.edit % args.workbooks})", str(args.sheets)],
                       cwd=Path(__file__).resolve().parent, check=True)
    os.sync()
    time.sleep(0.5)
    started = time.perf_counter()
    from navigator.pipeline import build
    imported = time.perf_counter() - started
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(build, args.sheets, out)
        profiler.dump_stats(str(args.profile))
    else:
        result = build(args.sheets, out)
    assert result.ok
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime  # this process and its workers
    import navigator

    print(json.dumps({"what": args.what, "navigator": navigator.__file__, "seconds": round(result.seconds, 3), "import": round(imported, 3),
                      "cpu": round(cpu, 3), "sys": round(own.ru_stime + children.ru_stime, 3),
                      "maxrss_mb": [own.ru_maxrss // 1024, children.ru_maxrss // 1024],
                      "rendered": result.rendered,
                      "phases": {k: round(v, 3) for k, v in result.phases.items()}}, ensure_ascii=False))


if __name__ == "__main__":
    main()
