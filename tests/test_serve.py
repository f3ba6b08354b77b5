"""`navigator serve`: the site on localhost, rebuilt when a workbook is saved, errors shown on the page."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from sheetmaker import PROGRAMS, SETTINGS, program_row, write_common, write_department


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


def start_serve(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`navigator serve ARGS --port 0`, once it says where it serves: the process and the site's URL."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "navigator", "serve", *args, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = []
    while True:
        line = process.stdout.readline()
        if not line:
            process.kill()
            raise AssertionError("serve ended early: " + "".join(lines))
        lines.append(line)
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)


@pytest.fixture
def server(sheets, tmp_path):
    process, url = start_serve(str(sheets), "-o", str(tmp_path / "site"))
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sigterm_removes_the_temporary_folder_as_ctrl_c_does(sheets, tmp_path):
    """Without -o the site is built in a temporary folder; a service manager's SIGTERM removes it too."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    for stop in (signal.SIGINT, signal.SIGTERM):
        process, url = start_serve(str(sheets), env={"TMPDIR": str(temporary)})
        assert "テスト市 被災者支援ナビ" in fetch(url + "index.html")
        assert [p.name for p in temporary.iterdir()][0].startswith("navigator-serve-")
        process.send_signal(stop)
        out, _ = process.communicate(timeout=10)
        assert (process.returncode, out.endswith("終了しました。\n")) == (0, True), (stop, out)
        assert list(temporary.iterdir()) == [], stop


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


def test_the_error_banner_leaves_the_notice_in_sight(sheets, tmp_path, page):
    """With errors on a site that has an お知らせ, scrolled a little: the お知らせ is not under the error banner."""
    write_common(sheets, settings=[row if row[0] != "お知らせ" else ["お知らせ", "避難所の開設状況は防災ページへ。"]
                                   for row in SETTINGS])
    process, url = start_serve(str(sheets), "-o", str(tmp_path / "site"))
    try:
        before = state(url)
        write_department(sheets, programs=PROGRAMS + [program_row("bad", "分類違い", category="すまい")])
        wait_for(lambda: state(url)["version"] > before["version"])
        page.set_viewport_size({"width": 800, "height": 600})
        page.goto(url + "index.html")
        assert page.locator('[role="alert"]').is_visible()
        notice = page.locator('aside[aria-label="お知らせ"]')
        page.evaluate("(top) => window.scrollTo(0, top)", notice.evaluate("n => n.offsetTop - 10"))
        box = notice.bounding_box()
        on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('aside') !== null",
                               [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert on_top, "the error banner covers the お知らせ"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_browser_that_goes_away_mid_answer_is_no_error(tmp_path, capsys):
    from navigator.tooling.serve import ServeState, make_server

    server = make_server(tmp_path, ServeState(), "127.0.0.1", 0)
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
            try:
                raise gone
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 50000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a fault of ours")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
        assert "ValueError: a fault of ours" in capsys.readouterr().err  # anything else is still told
    finally:
        server.server_close()


def test_serve_help_has_an_example(capsys):
    from clirun import run

    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0 and "例:" in out
