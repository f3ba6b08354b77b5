"""The build cache's memo written early: by a forked process once the fragments are made, taken by `save` only
while it is still the memo the build ends with (incremental/store.py, BuildCache.write_memo_early)."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from navigator import workers
from navigator.incremental import store
from navigator.incremental.store import MEMO_FILE, STATE_FILE, BuildCache
from navigator.pipeline import build
from navigator.site import data
from navigator.site.memo import RenderMemo

DAY = dt.date(2026, 7, 1)


def cache_files(cache: Path) -> dict[str, bytes]:
    """Every file of the one site's cache but the compiled templates, by name."""
    (folder,) = (cache / "sites").iterdir()
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def memo_of(cache: Path) -> dict:
    return pickle.loads(cache_files(cache)[MEMO_FILE])


@pytest.fixture
def forking():
    if not workers.can_fork():  # another test left a thread running: nothing is forked, nothing to see
        pytest.skip("no fork here")


def test_a_large_memo_written_while_the_pages_are_made_is_the_one_the_build_writes_at_its_end(
        sheets, tmp_path, monkeypatch, forking):
    started = []
    start = store._EarlyMemo.start
    monkeypatch.setattr(store._EarlyMemo, "start", classmethod(
        lambda cls, *args: started.append(args) or start.__func__(cls, *args)))
    memos = {}
    for early, threshold in (("early", 0), ("at the end", 1 << 60)):
        monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path / early))
        monkeypatch.setattr(store, "EARLY_MEMO_BYTES", threshold)
        assert build(sheets, tmp_path / f"out {early}", today=DAY).ok
        assert sorted(cache_files(tmp_path / early)) == [MEMO_FILE, STATE_FILE]  # no temporary file left
        memos[early] = memo_of(tmp_path / early)
    assert len(started) == 1  # the first build only
    assert memos["early"]["fragments"] == memos["at the end"]["fragments"] and memos["early"]["fragments"]
    assert memos["early"]["fingerprint"] == memos["at the end"]["fingerprint"]

    # The next build takes every program's parts from it: none is made again.
    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path / "early"))
    (sheets / "メモ.txt").write_text("not a workbook: the inputs differ (no build with nothing changed), the site not",
                                     encoding="utf-8")

    def made_again(*args):
        raise AssertionError("a program's part was made again")

    monkeypatch.setattr(data, "_results_part", made_again)
    assert build(sheets, tmp_path / "out early", today=DAY).ok


def test_a_memo_that_grows_after_the_early_write_is_written_at_the_end(tmp_path, monkeypatch, forking):
    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "EARLY_MEMO_BYTES", 0)
    cache = BuildCache(tmp_path / "out", "code").load()
    memo = RenderMemo("code", {"results:a": b"made in the data phase"})
    memo.used.add("results:a")
    cache.write_memo_early(memo)
    memo.fragments["summary:a"] = b"made while a page was rendered"
    memo.used.add("summary:a")
    cache.save("inputs", {}, {}, memo)
    assert memo_of(tmp_path / "cache")["fragments"] == {"results:a": b"made in the data phase",
                                                         "summary:a": b"made while a page was rendered"}
    assert sorted(cache_files(tmp_path / "cache")) == [MEMO_FILE, STATE_FILE]


def test_a_build_that_stops_leaves_no_memo_half_written_nor_its_writer(tmp_path, monkeypatch, forking):
    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "EARLY_MEMO_BYTES", 0)
    cache = BuildCache(tmp_path / "out", "code").load()
    memo = RenderMemo("code", {"results:a": os.urandom(1 << 20)})
    memo.used.add("results:a")
    cache.write_memo_early(memo)
    writer = cache._early.pid
    cache.abandon()
    (folder,) = (tmp_path / "cache" / "sites").iterdir()
    assert list(folder.iterdir()) == []
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(writer, os.WNOHANG)


def test_a_small_memo_or_one_loaded_from_the_cache_is_written_at_the_end_only(tmp_path, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path / "cache"))
    memo = RenderMemo("code", {"results:a": b"x" * 100})
    memo.used.add("results:a")
    cache = BuildCache(tmp_path / "out", "code").load()
    cache.write_memo_early(memo)  # 100 bytes: not worth a process
    assert cache._early is None
    cache.save("inputs", {}, {}, memo)
    monkeypatch.setattr(store, "EARLY_MEMO_BYTES", 0)
    loaded = BuildCache(tmp_path / "out", "code").load()
    again = loaded.memo(memo.digests)
    loaded.write_memo_early(again)  # a memo was loaded: save decides between the whole memo and a small delta
    assert loaded._early is None and again.fragments == memo.fragments
