"""Work shared between this process and forked ones: generic, it knows nothing of what the work is.

A forked worker starts with a copy of everything the build holds (the model, the templates, the
jobs), so nothing is sent to it but chunk numbers; it sends back only each item's result (a page's
hash, a program's rendered parts), a chunk at a time, which the caller takes in between its own chunks
(`navigator check` at 10,000 programs: the shared part 0.89–0.95 → 0.72–0.81 s, when all came at the end).
Measured with 10,000 programs: forking takes about 10 ms; pickling pages back to one writer would cost
more than it saves. Without fork
(another system, or threads running, as under `navigator serve`) or with little to do, everything
runs in this process.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable

try:
    import fcntl
except ImportError:  # Windows: no pipes to widen
    fcntl = None

WORKERS_ENV = "NAVIGATOR_WORKERS"  # how many processes work (default: the CPUs this process may use)
MIN_WEIGHT_ENV = "NAVIGATOR_MIN_WEIGHT"  # tests set it low, so that even a small site is shared out
MIN_WEIGHT = 400  # less work than this (in program pages) for each extra process: not worth a fork
AHEAD_ALONE = 32  # items for each call of run's `ahead` when this process does them all


def worker_count() -> int:
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Pool:
    """One build's workers: `run` shares items out; `forks` counts the worker processes it started."""

    def __init__(self, workers: int | None = None, min_weight: int | None = None) -> None:
        self.workers = worker_count() if workers is None else workers
        if min_weight is None:
            value = os.environ.get(MIN_WEIGHT_ENV, "").strip()
            min_weight = int(value) if value.isdigit() else MIN_WEIGHT
        self.min_weight = max(1, min_weight)
        self.forks = 0

    def _workers_for(self, weights: list[int]) -> int:
        workers = min(self.workers, max(1, sum(weights) // self.min_weight))
        return workers if workers > 1 and can_fork() else 1

    def would_share(self, weights: list[int]) -> bool:
        """Whether run() would share this work with forked workers (else it all runs in this process)."""
        return self._workers_for(weights) > 1

    def run(self, count: int, work: Callable[[int], object], weights: list[int] | None = None,
            ahead: Callable[[int, int], None] | None = None, meanwhile: Callable[[], None] | None = None) -> list:
        """[work(0), ..., work(count - 1)], shared between this process and forked workers.

        `weights`: how long each item takes, roughly (default 1 each); chunks of about equal weight are
        handed out in order, so heavy items first balance best. Each result must pickle. `ahead(start, end)`,
        when given, is called in the process that does items start to end - 1 right before it does them (for
        work better done for them all at once). `meanwhile()`, when given, is done in this process once the
        workers are forked, before it takes its share of the items (what it makes, the workers do not have).
        """
        weights = weights if weights is not None else [1] * count
        workers = self._workers_for(weights)
        if workers <= 1:
            if meanwhile is not None:
                meanwhile()
            if ahead is None:
                return [work(i) for i in range(count)]
            results = []
            for start in range(0, count, AHEAD_ALONE):
                end = min(count, start + AHEAD_ALONE)
                ahead(start, end)
                results.extend(work(i) for i in range(start, end))
            return results
        # 32 chunks a worker: the last one to end leaves the other core idle for less (10,000 programs: 4.50 -> 4.43 s)
        target = max(1, sum(weights) // (workers * 32))
        chunks, start, weight = [], 0, 0
        for index, item in enumerate(weights):
            weight += item
            if weight >= target:
                chunks.append((start, index + 1))
                start, weight = index + 1, 0
        if start < count:
            chunks.append((start, count))
        context = multiprocessing.get_context("fork")
        next_chunk = context.RawValue("q", 0)
        lock = context.Lock()

        def loop(done_chunk: Callable[[dict], None]) -> None:
            while True:
                with lock:
                    claimed = next_chunk.value
                    next_chunk.value = claimed + 1
                if claimed >= len(chunks):
                    return
                if ahead is not None:
                    ahead(*chunks[claimed])
                done_chunk({index: work(index) for index in range(*chunks[claimed])})

        children, readers = [], []
        self.forks += workers - 1
        finished = False
        try:
            for _ in range(workers - 1):
                receive, send = context.Pipe(duplex=False)
                _widen(receive)
                process = context.Process(target=_child, args=(loop, send), daemon=True)
                process.start()
                send.close()
                children.append((process, receive))
            # Every worker forked first (a process forked while a thread runs may inherit a lock it holds), then read.
            readers = [_Reader(process, receive) for process, receive in children]
            results: dict = {}

            def done_here(chunk: dict) -> None:
                results.update(chunk)
                for reader in readers:  # the workers' chunks unpickled while they still work, not all at the end
                    reader.take_into(results)

            if meanwhile is not None:
                meanwhile()
            loop(done_here)
            for reader in readers:
                reader.finish_into(results)
            finished = True
        finally:
            for process, _ in children:
                if not finished:
                    process.terminate()  # stopped (Ctrl+C, SIGTERM, an error): the workers stop too
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
                    process.join()
            for reader in readers:
                reader.thread.join()  # its worker is gone: its pipe is at its end
            for _, receive in children:
                receive.close()
        return [results[i] for i in range(count)]


def _widen(pipe) -> None:
    """A pipe as wide as the system allows (Linux: 1 MB, not 64 KB): a chunk's results cross in a few reads, each
    of which the reading thread must take the GIL back for (up to 5 ms while this process works)."""
    size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), size, 1 << 20)


class _Reader:
    """A worker's messages, read off its pipe by a thread as they come (a worker never waits on a full pipe);
    unpickled by the caller, in the build process's own time (`take_into`) and at the end (`finish_into`)."""

    def __init__(self, process, receive) -> None:
        self.process = process
        self.receive = receive
        self.messages: collections.deque[bytes] = collections.deque()
        self.ended = False  # the worker's last message ("ok" or "error") was taken
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                self.messages.append(self.receive.recv_bytes())  # the pipe's reading lets go of the GIL
        except (EOFError, OSError):
            pass  # the worker's end is closed: it is done, or gone

    def take_into(self, results: dict) -> None:
        gone = not self.thread.is_alive()  # before the last messages are taken: all of them are in
        while self.messages and not self.ended:
            status, payload = pickle.loads(self.messages.popleft())
            if status == "chunk":
                results.update(payload)
            elif status == "ok":
                self.ended = True
            else:
                self.ended = True
                raise payload  # the worker's own exception: an OSError stays an OSError (a full disk)
        if gone and not self.ended:  # killed outright (out of memory): said now, not once this process is done
            raise RuntimeError(f"worker process {self.process.pid} ended without its results")

    def finish_into(self, results: dict) -> None:
        self.thread.join()
        self.take_into(results)


def _child(loop, send) -> None:
    # The build process alone answers Ctrl+C and SIGTERM (cleaning up its temporary folder); it ends its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        loop(lambda chunk: send.send(("chunk", chunk)))  # each chunk as it is done: unpickled while the rest is made
        message = ("ok", None)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the build process
        message = ("error", exc)
    try:
        send.send(message)
    except (OSError, ValueError):
        pass  # the build process has stopped listening
    except Exception:  # an exception that cannot be pickled: its text
        send.send(("error", RuntimeError(f"worker process {os.getpid()} failed:\n{traceback.format_exc()}")))
    finally:
        send.close()
