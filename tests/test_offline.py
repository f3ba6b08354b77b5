"""Disaster-day delivery (issue 21): the service worker, in chromium over http://127.0.0.1.

After one visit the top page, the question flow, its results and print view and the pages the
resident opened work without a connection, and say they are shown offline; a new build is seen on
the next online visit, and an open page offers it; what the service worker fetches is the same for
every resident; from file:// no service worker is registered and the site works as before.
"""

from __future__ import annotations

import gzip
import json
import re
import struct
import time
from pathlib import Path

import brotli
import pytest
from conftest import QuietHandler, StaticServer
from playwright.sync_api import expect
from sheetmaker import PROGRAMS, small_city, write_department
from test_navigator_flow import WATCH_STORAGE, answer_to_results, axe_violations, expected, heading, shown, state

from navigator.pipeline import build

STEPS = ["全壊", "補修", "*number*", "小中学生がいる", "はい"]


def build_city(sheets: Path, out: Path, amount: str = "最大300万円", **options):
    programs = [dict(row, 支援内容=amount) if row.get("制度ID") == "shien-kin" and "制度名" in row else row
                for row in PROGRAMS]
    write_department(sheets, programs=programs)
    result = build(sheets, out, **options)
    assert result.ok, [str(p) for p in result.validation.report.problems]
    return result.validation.site


def sw_build(out: Path) -> dict:
    text = (out / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"^var BUILD = (\{.*\});$", text, re.M).group(1))


def into_the_next_second() -> None:
    """Past the second the site's files were last written in. A host's Last-Modified is to the second (as is Python's
    test server), so a file written again within that second is answered 304 Not Modified to a browser that fetched
    it then: a rebuild in the same second would go unseen (a city's corrections are minutes apart; these builds not)."""
    time.sleep(1.01 - time.time() % 1)


def installed(page) -> None:
    """Wait until the service worker is active and controls the page (its precache is then complete)."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def answer(page, steps=STEPS) -> None:
    answer_to_results(page, steps)


@pytest.fixture
def city(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    site = build_city(sheets, tmp_path / "site")
    return sheets, tmp_path / "site", site


@pytest.fixture
def device(browser):
    """One resident's phone: its own context (service workers are per context)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", service_workers="allow",
                                  bypass_csp=True)  # for axe-core only
    yield context
    context.close()


def test_after_one_visit_the_flow_results_and_print_work_offline(city, serve, device):
    sheets, out, site = city
    server = serve(out)
    page = device.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(WATCH_STORAGE)
    page.goto(server.url + "index.html")
    installed(page)
    expect(page.locator("#offline-status")).to_have_count(0)  # online: nothing to say
    page.goto(server.url + "programs/kasetsu.html")  # a page the resident opened

    device.set_offline(True)
    for path in ("index.html", "programs/kasetsu.html", "programs/index.html"):
        page.goto(server.url + path)
        expect(page.locator("#offline-status")).to_contain_text(re.compile(r"オフラインで表示しています。\d+月\d+日\d+時の情報です"))
    page.goto(server.url)  # the site's address as typed: its index.html
    expect(page.locator("#offline-status")).to_contain_text("オフラインで表示しています。")
    page.goto(server.url + "navi.html")
    answer(page)
    pairs = state(page)[1]
    assert shown(page) == expected(site, pairs)
    expect(page.locator("#navi")).to_contain_text("最大300万円")  # the results texts (data/results.*.js)
    page.get_by_role("button", name="印刷用チェックリスト").click()
    expect(page.locator("#navi-checklist")).to_be_visible()
    assert page.evaluate("window.__printed") == 1
    # A page never opened on this device says why it cannot be shown, and what can.
    page.goto(server.url + "programs/risai.html")
    expect(page.locator("h1")).to_have_text("オフラインのため表示できません")

    assert errors == []
    assert page.evaluate("window.__storageUse") == []  # the pages themselves store nothing


def test_a_server_that_cannot_be_reached(city, serve, device):
    """A connection that fails outright (the server gone), not only the browser's offline switch."""
    _, out, site = city
    server = serve(out)
    page = device.new_page()
    page.goto(server.url + "index.html")
    installed(page)
    server.close()
    link = server.url + "navi.html#results?住家被害=全壊&世帯人数=3"
    page.goto(link)
    expect(heading(page)).to_have_text("使える可能性のある制度")
    assert shown(page) == expected(site, state(page)[1])
    expect(page.locator("#offline-status")).to_contain_text("オフラインで表示しています。")
    assert axe_violations(page) == []  # the notice is announced (role=status) and passes axe-core


class Struggling(StaticServer):
    """A server that can be made slow (pages after 6 s) or overloaded (503 for pages), as in a traffic spike."""

    def __init__(self, folder: Path) -> None:
        self.mode = "well"
        server = self

        class Handler(QuietHandler):
            def do_GET(self):  # noqa: N802
                if self.path.split("?")[0].endswith(".html") and server.mode != "well":
                    if server.mode == "busy":
                        self.send_error(503, "Service Unavailable")
                        return
                    time.sleep(6)
                super().do_GET()

        super().__init__(folder, Handler)


def test_a_slow_or_overloaded_server_gets_the_saved_copy(city, device):
    _, out, _ = city
    server = Struggling(out)
    try:
        page = device.new_page()
        page.goto(server.url + "index.html")
        installed(page)
        server.mode = "busy"
        page.goto(server.url + "navi.html")
        expect(heading(page)).to_have_text("住まいの被害の程度は？")
        expect(page.locator("#offline-status")).to_contain_text("オフラインで表示しています。")
        server.mode = "slow"
        started = time.monotonic()
        page.goto(server.url + "index.html")
        expect(page.locator("#offline-status")).to_contain_text("オフラインで表示しています。")
        assert time.monotonic() - started < 5.5  # the saved copy after 3.5 s, not the server's 6 s
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.updateViaCache)") == "none"
    finally:
        server.close()


def test_a_new_build_is_seen_online_and_an_open_page_offers_it(city, serve, device):
    sheets, out, _ = city
    server = serve(out)
    page = device.new_page()
    page.goto(server.url + "index.html")
    installed(page)
    page.goto(server.url + "programs/kasetsu.html")  # opened under the old build
    results = server.url + "navi.html#results?住家被害=全壊&世帯人数=3"
    page.goto(results)
    expect(page.locator("#navi")).to_contain_text("最大300万円")
    old = sw_build(out)["version"]

    into_the_next_second()
    build_city(sheets, out, amount="最大350万円")  # a correction made during the disaster
    assert sw_build(out)["version"] != old
    # The open page: the connection comes back (or the tab is shown again) → a check finds the new build.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    notice = page.locator("#offline-status")
    expect(notice).to_contain_text("新しい情報があります", timeout=15000)
    assert axe_violations(page) == []
    notice.get_by_role("button", name="最新の情報を表示する").click()
    expect(page.locator("#navi")).to_contain_text("最大350万円")
    assert state(page) == ("results", ["住家被害=全壊", "世帯人数=3"])  # the answers stay
    # The next visit of another page, online: the new build at once, and only its cache is kept.
    other = device.new_page()
    other.goto(results)
    expect(other.locator("#navi")).to_contain_text("最大350万円")
    expect(other.locator("#offline-status")).to_have_count(0)
    names = other.evaluate("caches.keys()")
    assert names == ["navigator-" + sw_build(out)["version"]]
    # The page opened under the old build was carried over to the new cache: still there offline, with its date.
    device.set_offline(True)
    other.goto(server.url + "programs/kasetsu.html")
    expect(other.locator("h1")).to_have_text("応急仮設住宅")
    expect(other.locator("#offline-status")).to_contain_text("オフラインで表示しています。")


def test_the_precache_list_is_the_builds_files_for_the_flow(city, serve, device):
    _, out, _ = city
    listed = sw_build(out)["precache"]
    navi = (out / "navi.html").read_text(encoding="utf-8")
    scripts = re.findall(r'(?:src|data-results|data-qrcode)="(?:\./)?((?:data|static)/[^"]+)"', navi)
    assert set(scripts) <= set(listed)
    static = {p.relative_to(out).as_posix() for p in (out / "static").rglob("*") if p.is_file() and p.suffix != ".txt"}
    assert static <= set(listed)
    assert {"index.html", "navi.html", "programs/index.html", "accessibility.html", "manifest.webmanifest"} <= set(listed)
    assert all((out / path).is_file() for path in listed)
    assert not any(path.startswith("programs/") and path != "programs/index.html" for path in listed)
    # What the browser saved is exactly that list (and the page it was installed from).
    server = serve(out)
    page = device.new_page()
    page.goto(server.url + "index.html")
    installed(page)
    saved = page.evaluate("""async () => { const names = await caches.keys(); const cache = await caches.open(names[0]);
      return (await cache.keys()).map((r) => r.url); }""")
    assert {url.removeprefix(server.url) for url in saved} == set(listed)
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "index.html" and manifest["lang"] == "ja"
    assert 'rel="manifest"' in (out / "index.html").read_text(encoding="utf-8")


def resident(context, server, steps) -> list[str]:
    page = context.new_page()
    page.add_init_script(WATCH_STORAGE)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(server.url + "index.html")
    installed(page)
    page.wait_for_timeout(300)
    start = len(server.requested)
    page.goto(server.url + "navi.html")
    answer(page, steps)
    page.get_by_role("button", name="印刷用チェックリスト").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__storageUse") == []
    assert all(u.startswith(server.url) and "#" not in u and "?" not in u for u in urls), urls
    # Which files, not how often: the browser's favicon requests and the service worker's update checks come
    # whenever they like (tests/test_navigator_flow.py counts them without a service worker).
    return sorted(set(server.requested[start:]) - {"/favicon.ico", "/sw.js"})


def test_no_request_depends_on_the_answers(city, serve, browser):
    _, out, _ = city
    server = serve(out)
    asked = []
    for steps in (STEPS, ["わからない・答えない"] * 5):
        context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
        try:
            asked.append(resident(context, server, steps))
            # The service worker's cache: the same files for both residents, no answers in any key.
            keys = context.pages[0].evaluate("""async () => { const out = [];
              for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(r.url);
              return out.sort(); }""")
            assert all("#" not in k and "?" not in k for k in keys)
        finally:
            context.close()
    assert asked[0] == asked[1], "the files asked for depend on the answers"


def test_from_a_file_no_service_worker_and_the_site_works(city, browser):
    _, out, _ = city
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((out / "navi.html").as_uri())
        answer(page)
        expect(page.locator("#offline-status")).to_have_count(0)
        assert errors == []
    finally:
        context.close()


def test_precompressed_copies_follow_their_files(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    out = tmp_path / "site"
    build_city(sheets, out, precompress=True)
    texts = [p for p in out.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    for path in texts:
        if path.suffix in (".html", ".js", ".css", ".json", ".svg", ".webmanifest"):
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
            assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == path.read_bytes()
    assert not any(".gz" in p or ".br" in p for p in sw_build(out)["precache"])
    old_results = next(out.glob("data/results.*.js")).name
    result = build(sheets, out, precompress=True)  # nothing changed: the same files
    assert result.rendered == 0
    assert result.pages_written == build(sheets, tmp_path / "plain").pages_written  # the copies are not pages
    build_city(sheets, out, amount="最大350万円", precompress=True)
    assert not list(out.glob(f"data/{old_results}*"))  # the old data file is gone, with its copies
    fresh = next(out.glob("data/results.*.js"))
    assert gzip.decompress(fresh.with_name(fresh.name + ".gz").read_bytes()) == fresh.read_bytes()
    assert gzip.decompress((out / "sw.js.gz").read_bytes()) == (out / "sw.js").read_bytes()
    build(sheets, out)  # without --precompress: no copies left behind
    assert not list(out.rglob("*.gz")) and not list(out.rglob("*.br"))


def test_the_manifest_makes_the_site_installable(city):
    """A name, a start page in scope, standalone, and the icons an install prompt asks for (192 and 512 px PNGs)."""
    _, out, _ = city
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone" and manifest["start_url"] == "index.html" and manifest["name"]
    sizes = {}
    for icon in manifest["icons"]:
        data = (out / icon["src"]).read_bytes()
        if icon["type"] == "image/png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            sizes[icon["sizes"]] = struct.unpack(">II", data[16:24])  # the IHDR width and height
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
