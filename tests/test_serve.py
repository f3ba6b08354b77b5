"""`navigator serve`: the site on localhost, rebuilt when a workbook is saved, errors shown on the page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from sheetmaker import PROGRAMS, program_row, write_department


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def server(sheets, tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "navigator", "serve", str(sheets), "--port", "0",
                                "-o", str(tmp_path / "site")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = []
    try:
        while True:
            line = process.stdout.readline()
            assert line, "serve ended early: " + "".join(lines)
            lines.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if found:
                break
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def state(url: str) -> dict:
    return json.loads(fetch(url + "__navigator__/state.json"))


def test_serve_shows_the_site_and_rebuilds_on_save(server, sheets):
    page = fetch(server + "index.html")
    assert "テスト市 被災者支援ナビ" in page
    assert '<script src="/__navigator__/reload.js"></script>' in page
    assert 'role="alert"' not in page
    first = state(server)
    assert first["ok"] is True

    write_department(sheets, programs=PROGRAMS + [program_row("new-one", "新しい制度")])
    wait_for(lambda: state(server)["version"] > first["version"])
    assert "新しい制度" in fetch(server + "programs/index.html")


def test_a_failed_rebuild_keeps_the_last_site_and_shows_the_errors(server, sheets):
    before = state(server)
    write_department(sheets, programs=PROGRAMS + [program_row("bad", "分類違い", category="すまい")])
    after = wait_for(lambda: (s := state(server))["version"] > before["version"] and s)
    assert after["ok"] is False
    assert any("分類「すまい」は common.xlsx の分類シートにありません" in p for p in after["problems"])
    page = fetch(server + "index.html")
    assert 'role="alert"' in page and "分類「すまい」" in page
    assert "テスト市 被災者支援ナビ" in page  # the last good site, still there

    write_department(sheets, programs=PROGRAMS)
    wait_for(lambda: state(server)["ok"])
    assert 'role="alert"' not in fetch(server + "index.html")


def test_serve_help_has_an_example(capsys):
    from clirun import run

    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0 and "例:" in out
