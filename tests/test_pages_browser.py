"""The pages other than the question flow, in Debian's chromium: axe-core, no JavaScript, keyboard, phones.

Two sites: the default sheets/ (the product's sample city) and the small fixture city of the
snapshot. Every page listed in `PAGES` is checked at a phone and a desktop size.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from conftest import QuietHandler, StaticServer
from snapshot import fixture_city

from navigator.model import Site
from navigator.pipeline import build
from navigator.site.pages import category_page, program_page

ROOT = Path(__file__).parent.parent
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SMALLEST = {"width": 320, "height": 640}


def axe_script() -> Path:
    axe = pytest.importorskip("axe_playwright_python")
    return Path(axe.__file__).parent / "axe.min.js"


@dataclass
class Built:
    folder: Path
    site: Site

    def pages(self) -> dict[str, str]:
        """What is checked: a name for the failure messages → the page's path."""
        programs = self.site.programs
        with_or = next(p for p in programs if len(p.condition_rows) > 1)
        online = next((p for p in programs if p.online_url and p is not with_or), None) or \
            next(p for p in programs if p.online_url)
        return {
            "top": "index.html",
            "category": category_page(self.site.categories[0]),
            "all programs": "programs/index.html",
            "program with または rows": program_page(with_or),
            "program with online application": program_page(online),
            "404": "404.html",
            "accessibility": "accessibility.html",
        }


def build_site(sheets: Path, out: Path) -> Built:
    result = build(sheets, out)
    assert result.ok, [str(p) for p in result.validation.report.problems]
    return Built(out, result.validation.site)


def without_public_url(sheets: Path, work: Path) -> Path:
    """A copy of `sheets` whose 設定 has no 公開URL.

    Served here from localhost, not from the 公開URL: with it the 404 page's links (absolute, see
    404.html) would point at the public host. test_discovery checks the pages built with it.
    """
    copy = work / "sheets"
    shutil.copytree(sheets, copy)
    book = openpyxl.load_workbook(copy / "common.xlsx")
    settings = book["設定"]
    for row in range(settings.max_row, 0, -1):
        if settings.cell(row, 1).value == "公開URL":
            settings.delete_rows(row)
    book.save(copy / "common.xlsx")
    return copy


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Built:
    work = tmp_path_factory.mktemp("default")
    return build_site(without_public_url(ROOT / "sheets", work), work / "out")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Built:
    work = tmp_path_factory.mktemp("fixture")
    return build_site(fixture_city(work / "sheets"), work / "out")


@pytest.fixture(params=["default", "fixture"])
def built(request) -> Built:
    return request.getfixturevalue("default_site" if request.param == "default" else "small_site")


class Watched:
    """A browser context that records requests to other hosts and console errors of its pages."""

    def __init__(self, browser, base_url: str, **options) -> None:
        self.context = browser.new_context(locale="ja-JP", **options)
        self.base_url = base_url
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))

    def _console(self, message) -> None:
        # Chromium asks every host for /favicon.ico; the site has none (nothing to load, nothing to leak).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{self.page.url}: {message.text} ({message.location.get('url')})")

    def _request(self, request) -> None:
        if not request.url.startswith(self.base_url):
            self.foreign.append(request.url)

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, path
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, serve):
    contexts: list[Watched] = []

    def start(built: Built, **options) -> Watched:
        context = Watched(browser, serve(built.folder).url, **options)
        contexts.append(context)
        return context

    yield start
    for context in contexts:
        context.close()


# axe-core ---------------------------------------------------------------------------------------------

def axe_violations(page, script: Path) -> list[str]:
    page.add_script_tag(path=str(script))
    found = page.evaluate("""async () => {
        const result = await axe.run(document);
        return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
            v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_violation(built, watched, viewport):
    script = axe_script()
    # The CSP (script-src 'self') would refuse axe injected inline; it is enforced by the other tests.
    browser = watched(built, viewport=viewport, bypass_csp=True)
    problems = {}
    for name, path in built.pages().items():
        violations = axe_violations(browser.open(path), script)
        if violations:
            problems[f"{name} ({path})"] = violations
    assert problems == {}


# Without JavaScript ------------------------------------------------------------------------------------

def test_without_javascript_the_top_page_says_how_to_browse_by_category(default_site, watched):
    browser = watched(default_site, viewport=PHONE, java_script_enabled=False)
    page = browser.open("index.html")
    note = page.locator(".noscript-note")
    assert note.is_visible()
    assert "分類から探す" in note.inner_text()
    hrefs = [link.get_attribute("href") for link in note.locator("a").all()]
    assert hrefs == ["#categories-heading", "programs/index.html"]
    note.get_by_role("link", name="すべての制度の一覧").click()
    page.wait_for_url(browser.base_url + "programs/index.html")
    assert page.get_by_role("heading", level=1).inner_text().startswith("すべての制度")


def test_with_javascript_the_note_stays_hidden(default_site, watched):
    page = watched(default_site, viewport=PHONE).open("index.html")
    assert not page.locator(".noscript-note").is_visible()


def test_without_javascript_every_page_but_the_flow_works(built, watched):
    browser = watched(built, viewport=PHONE, java_script_enabled=False)
    for path in built.pages().values():
        page = browser.open(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert page.locator("main").count() == 1, path
        # The stylesheet applied: the header has its colour.
        assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        footer = page.locator("footer").get_by_role("link", name="ウェブアクセシビリティ方針")
        assert footer.evaluate("a => a.href") == browser.base_url + "accessibility.html", path
    assert browser.foreign == []


# Keyboard ------------------------------------------------------------------------------------------------

def active(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement; const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), id: e.id, text: e.innerText || "", href: e.href || "",
                visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight + 1,
                outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0}; }""")


@pytest.mark.parametrize("path", ["index.html", "programs/shien-kin.html", "accessibility.html", "404.html"])
def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_main(small_site, watched, path):
    page = watched(small_site, viewport=PHONE).open(path)
    page.keyboard.press("Tab")
    first = active(page)
    assert (first["tag"], first["text"].strip()) == ("a", "本文へ移動")
    assert first["visible"] and first["outline"]
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main"
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.closest('main') !== null")
    assert after, "the next Tab continues inside main"


def test_every_link_of_the_top_page_is_reached_by_tab_with_a_visible_focus(default_site, watched):
    page = watched(default_site, viewport=PHONE).open("index.html")
    stops = page.locator("a[href]:visible, input:visible, button:visible, summary:visible").count()  # the header's search box and language switcher too
    reached = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        now = active(page)
        assert now["outline"], f"no visible focus on {now}"
        reached.append(now["href"])
    assert len(set(reached) - {""}) == len(set(page.locator("a[href]:visible").evaluate_all("l => l.map(a => a.href)")))


def test_the_start_link_goes_to_the_question_flow(default_site, watched):
    browser = watched(default_site, viewport=PHONE)
    page = browser.open("index.html")
    start = page.get_by_role("link", name=re.compile("^はじめる"))
    assert start.count() == 1 and start.is_visible()
    visible_text = "a => [...a.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('')"
    assert start.evaluate(visible_text).strip() == "はじめる"
    box = start.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # Above the categories, with what it does.
    assert start.evaluate("a => a.compareDocumentPosition(document.getElementById('categories-heading'))") & 4
    section = page.locator("section.start").inner_text()
    assert "質問" in section and "送信されません" in section
    start.focus()
    page.keyboard.press("Enter")
    # navi.html writes its first question into the fragment as it starts (history.replaceState): once that came before
    # the wait, the bare address never matched again and the test waited for a navigation that had already happened.
    page.wait_for_url(re.compile(re.escape(browser.base_url + "navi.html") + r"(#.*)?$"))
    assert page.url.split("#")[0] == browser.base_url + "navi.html"


# Phones -------------------------------------------------------------------------------------------------

def test_nothing_is_wider_than_the_smallest_phone(built, watched):
    browser = watched(built, viewport=SMALLEST)
    wide = {}
    for path in built.pages().values():
        page = browser.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SMALLEST["width"]:
            wide[path] = width
    assert wide == {}


def test_buttons_and_category_cards_are_big_enough_to_tap(default_site, watched):
    browser = watched(default_site, viewport=PHONE)
    page = browser.open("index.html")
    for link in [*page.locator(".category-list a").all(), page.locator(".button-link").first]:
        box = link.bounding_box()
        assert box["height"] >= 44, link.inner_text()
    for path in default_site.pages().values():
        page = browser.open(path)
        for link in page.locator(".site-footer a, .button-link").all():
            assert link.bounding_box()["height"] >= 24, (path, link.inner_text())


# Requests and errors -------------------------------------------------------------------------------------

def test_no_request_to_another_host_and_no_console_error(built, watched):
    for viewport in (PHONE, DESKTOP):
        browser = watched(built, viewport=viewport)
        for path in built.pages().values():
            browser.open(path)
            browser.page.wait_for_load_state("networkidle")
        assert browser.foreign == []
        assert browser.errors == []


# The 404 page as a static host serves it -----------------------------------------------------------------

class HostLike(StaticServer):
    """Like GitHub Pages or Netlify: the site's 404.html, with status 404, for any missing address."""

    def __init__(self, folder: Path) -> None:
        body = (folder / "404.html").read_bytes()

        class Handler(QuietHandler):
            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(folder, Handler)


@pytest.fixture
def host(small_site):
    server = HostLike(small_site.folder)
    yield server
    server.close()


def test_a_missing_page_at_the_top_level_gets_the_styled_404_with_working_links(host, page):
    response = page.goto(host.url + "no-such-page.html")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "ページが見つかりません"
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    main = page.locator("main")
    main.get_by_role("link", name=re.compile("トップページ")).click()
    page.wait_for_url(host.url + "index.html")
    page.go_back()
    page.locator("main").get_by_role("link", name="すべての制度の一覧").click()
    page.wait_for_url(host.url + "programs/index.html")
    assert page.js_errors == []


def test_a_missing_page_deeper_down_still_reads_well_unstyled(host, page):
    """The stylesheet's relative path breaks below the top level (see the comment in 404.html)."""
    response = page.goto(host.url + "programs/no-such-program.html")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).is_visible()
    text = page.locator("main").inner_text()
    assert "ページが見つかりません" in text and "すべての制度の一覧" in text
    assert page.locator("main a").count() >= 2
    assert page.js_errors == []


# The accessibility page ----------------------------------------------------------------------------------

def test_the_accessibility_page_states_the_target_honestly(default_site, watched):
    page = watched(default_site, viewport=DESKTOP).open("accessibility.html")
    text = page.locator("main").inner_text()
    settings = default_site.site.settings
    assert settings.municipality in text and settings.site_name in text
    assert "JIS X 8341-3:2016" in text and "適合レベルAAに準拠することを目標" in text
    assert "「配慮」" in text and "axe-core" in text and "キーボード" in text
    assert "対象外" in text
    assert settings.contact.splitlines()[0] in text
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    for heading in ("方針", "対象範囲", "確認した内容と方法", "既知の制限", "お問い合わせ"):
        assert heading in headings
