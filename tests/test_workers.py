"""navigator/workers.py: work shared with forked processes gives what running it here gives, and fails as it would.

Each example runs in a new Python process: a pool does not fork while threads run, and tests before these may
leave some running (a server's, a browser driver's)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_alone(code: str) -> str:
    """`code` run in a new process (navigator importable, nothing else running); what it printed."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_results_come_back_in_order_from_every_process_even_larger_than_a_pipe():
    printed = run_alone("""
        import threading
        from navigator import workers
        pool = workers.Pool(workers=2, min_weight=1)
        page = lambda index: f"{index}:" + "ページ" * 40_000  # 120 KB each: chunks of several MB
        results = pool.run(120, page)
        assert results == [page(index) for index in range(120)]
        print(pool.forks, threading.active_count())  # nothing left running: the next build may fork again
    """)
    assert printed.split() == ["1", "1"]


def test_each_process_is_told_ahead_of_the_items_it_does_next():
    printed = run_alone("""
        import os, time
        from navigator import workers
        told = {}  # item -> the process told ahead of it

        def ahead(start, end):
            told.update({index: os.getpid() for index in range(start, end)})

        def work(index):
            time.sleep(0.001)  # slow enough here that the worker takes its chunks
            return told.get(index), os.getpid()

        for pool in (workers.Pool(workers=2, min_weight=1), workers.Pool(workers=1)):
            results = pool.run(300, work, ahead=ahead)
            assert all(told_to == doer for told_to, doer in results), results  # told in the process that does it
            print(len({doer for _, doer in results}))
    """)
    assert printed.split() == ["2", "1"]


def test_what_is_made_meanwhile_is_made_here_while_the_workers_work():
    printed = run_alone("""
        import os, time
        from navigator import workers
        parent, made = os.getpid(), []

        def meanwhile():
            made.append(os.getpid())

        def work(index):
            time.sleep(0.001)  # slow enough here that the worker takes its chunks
            return os.getpid(), len(made)

        for pool in (workers.Pool(workers=2, min_weight=1), workers.Pool(workers=1)):
            made.clear()
            seen = pool.run(300, work, meanwhile=meanwhile)
            assert made == [parent]  # once, in this process
            # The workers were forked before it: they never see what it made; this process only after it.
            assert all(count == (1 if pid == parent else 0) for pid, count in seen), seen
            print(len({pid for pid, _ in seen}))
    """)
    assert printed.split() == ["2", "1"]


def test_what_a_worker_raises_is_raised_here_as_it_was():
    printed = run_alone("""
        import os, threading, time
        from navigator import workers
        parent = os.getpid()

        def write(index):
            if os.getpid() != parent:
                raise OSError(28, "No space left on device")  # a full disk stays an OSError (site/write.py's message)
            time.sleep(0.001)  # slow enough here that the worker takes its chunks
            return index

        try:
            workers.Pool(workers=2, min_weight=1).run(400, write)
        except OSError as error:
            print(error.errno, threading.active_count())
    """)
    assert printed.split() == ["28", "1"]


def test_a_worker_that_ends_without_its_results_is_an_error_not_a_wait():
    printed = run_alone("""
        import os, threading, time
        from navigator import workers
        parent = os.getpid()

        def render(index):
            if os.getpid() != parent:
                os._exit(3)  # killed outright (out of memory): no message, its pipe closes
            time.sleep(0.001)
            return index

        started = time.perf_counter()
        try:
            workers.Pool(workers=2, min_weight=1).run(400, render)
        except RuntimeError as error:
            # said as soon as it is seen, not once this process has done all 400 (0.4 s) itself
            print("ended without its results" in str(error), time.perf_counter() - started < 0.3, threading.active_count())
    """)
    assert printed.split() == ["True", "True", "1"]


def test_little_work_is_done_here_without_a_fork():
    printed = run_alone("""
        from navigator import workers
        pool = workers.Pool(workers=2)  # the default weight: 3 items are not worth a process
        print(pool.run(3, lambda index: index * 2), pool.forks)
    """)
    assert printed.split() == ["[0,", "2,", "4]", "0"]
