"""navigator/workers.py: work shared with forked processes gives what running it here gives, and fails as it would."""

from __future__ import annotations

import os
import threading
import time

import pytest

from navigator import workers

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="no fork here, or threads left running by other tests")


def test_results_come_back_in_order_from_every_process_even_larger_than_a_pipe():
    pool = workers.Pool(workers=2, min_weight=1)
    page = lambda index: f"{index}:" + "ページ" * 40_000  # noqa: E731 - 120 KB each, chunks of several MB

    results = pool.run(120, page)

    assert results == [page(index) for index in range(120)]
    assert pool.forks == 1
    assert threading.active_count() == 1  # nothing left running: the next build may fork again


def test_what_a_worker_raises_is_raised_here_as_it_was():
    parent = os.getpid()

    def write(index: int) -> int:
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")  # a full disk stays an OSError (site/write.py's message)
        time.sleep(0.001)  # slow enough here that the worker takes its chunks
        return index

    with pytest.raises(OSError) as raised:
        workers.Pool(workers=2, min_weight=1).run(400, write)
    assert raised.value.errno == 28
    assert threading.active_count() == 1


def test_a_worker_that_ends_without_its_results_is_an_error_not_a_wait():
    parent = os.getpid()

    def render(index: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # killed outright (out of memory): no message, its pipe closes
        time.sleep(0.001)
        return index

    with pytest.raises(RuntimeError, match="ended without its results"):
        workers.Pool(workers=2, min_weight=1).run(400, render)
    assert threading.active_count() == 1


def test_little_work_is_done_here_without_a_fork():
    pool = workers.Pool(workers=2)  # the default weight: 3 items are not worth a process

    assert pool.run(3, lambda index: index * 2) == [0, 2, 4]
    assert pool.forks == 0
