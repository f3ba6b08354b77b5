"""Untrusted text in a real browser: scripts from cells never run, on any page.

Every text a department or the coordinating division can type (every text column of 制度,
部署 and 設定, 質問文, 補足説明, 選択肢, 単位, 分類名 and 説明, a 質問ID with the characters
it may hold, URLs) carries script payloads. Each page of the built site, the question flow's
every view (questions, summary, results, the printed checklist) included, is opened in chromium
with `alert`, `confirm` and `prompt` hooked, and a listener for Content-Security-Policy
violations (an injected inline script or handler would be blocked by the policy, but its
violation shows it got into the page). The DOM is then searched for anything that could run:
event-handler attributes, inline scripts, script: URLs, frames. The policy itself is checked
on every page, it is shown to block an inline script (so the checks above can see one), and
the site's own scripts run under it without a single violation.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from sheetmaker import PROGRAM_HEADERS, program_row, table, write_workbook

from navigator.pipeline import build

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")

HOOKS = """(() => {
  window.__ran = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (message) => { window.__ran.push(name + ": " + message); return null; };
  }
  window.__printed = 0;
  window.print = () => { window.__printed += 1; };
  document.addEventListener("securitypolicyviolation",
    (e) => window.__ran.push("CSP " + e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || "")));
})();"""

DANGEROUS = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(element.tagName + " " + attribute.name);
      if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/.test(attribute.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attribute.value)) found.push(element.tagName + " " + attribute.value);
    }
    // JSON-LD (a program page's, for search engines) is a data block, never run; nothing may follow it in the element.
    if (element.tagName === "SCRIPT" && !element.getAttribute("src")) {
      if (element.getAttribute("type") !== "application/ld+json") found.push("inline script");
      else if (element.children.length || /[<>&]/.test(element.textContent)) found.push("markup in JSON-LD");
    }
    if (["IFRAME", "FRAME", "OBJECT", "EMBED", "BASE"].includes(element.tagName)) found.push(element.tagName);
    if (element.tagName.toLowerCase() === "img" && element.getAttribute("src") === "x") found.push("img src=x");
  }
  return found;
}"""


def payload(field: str) -> str:
    """Every way in at once, named after the cell it is in."""
    return (f"{field}<script>alert('{field}')</script><img src=x onerror=alert('{field}')>"
            f"\"><svg onload=alert('{field}')>'><iframe srcdoc=\"<script>alert('{field}')</script>\"></iframe>"
            f"[リンク](javascript:alert('{field}')) <a href=\"javascript:alert('{field}')\">a</a>"
            f"{{{{7*7}}}}</textarea></title></style>")


def line(field: str) -> str:
    """A payload for a one-line cell (a choice, a document): no line break, no comma."""
    return payload(field).replace("\n", " ").replace(",", " ")


QUESTION_ID = "x);alert(1);"  # every character a 質問ID may hold that matters to JavaScript
CHOICE = line("選択肢")
MULTI = line("複数選択肢")
CATEGORY = line("分類名")


def hostile_city(folder: Path) -> Path:
    folder.mkdir(parents=True)
    write_workbook(folder / "common.xlsx", {
        "設定": [["項目", "値"]] + [[name, payload(name)] for name in ("サイト名", "自治体名", "はじめに", "問い合わせ先",
                                                                      "注意事項", "お知らせ")],
        "質問": [["質問ID", "質問文", "補足説明", "回答形式", "選択肢", "単位", "表示条件"],
                 [QUESTION_ID, payload("質問文1"), payload("補足説明1"), "単一選択", f"{CHOICE}\nふつうの選択肢", "", ""],
                 ["人数", payload("質問文2"), payload("補足説明2"), "数値", "", line("単位"), f"{QUESTION_ID}={CHOICE}"],
                 ["状況", payload("質問文3"), "", "複数選択", f"{MULTI}\nほか", "", ""]],
        "分類": [["分類名", "説明"], [CATEGORY, payload("分類の説明")], ["ふつう", ""]],
    })
    headers = PROGRAM_HEADERS[:14] + [f"{QUESTION_ID}:{CHOICE}", "人数", f"状況:{MULTI}"]
    text_fields = {header: payload(header) for header in ("概要", "対象者", "支援内容", "申請期限", "申請方法", "問い合わせ先")}
    programs = [
        program_row("everyone", payload("制度名"), category=CATEGORY, **text_fields,
                    必要書類=f"{line('必要書類1')}\n{line('必要書類2')}",
                    オンライン申請URL="https://example.jp/?q=<script>alert('URL')</script>\"onmouseover=\"alert('URL')",
                    詳細URL="https://example.jp/'><img/src=x/onerror=alert('詳細URL')>"),
        program_row("chosen", payload("条件付きの制度名"), category=CATEGORY, **{f"{QUESTION_ID}:{CHOICE}": "○",
                                                                             f"状況:{MULTI}": "○"}),
        program_row("maybe", payload("可能性のある制度名"), category="ふつう", **{"人数": "2以上"}),
    ]
    write_workbook(folder / "福祉課.xlsx", {
        "部署": [["項目", "値"], ["部署名", payload("部署名")], ["電話番号", "012-345-6789" + payload("電話番号")],
                 ["メール", "a@example.jp\"onmouseover=\"alert('メール')" + line("メール")], ["窓口", payload("窓口")]],
        "制度": table(headers, programs),
    })
    return folder


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    result = build(hostile_city(work / "sheets"), work / "site")
    assert result.ok, [str(p) for p in result.validation.report.problems]
    assert len(result.validation.site.programs) == 3
    return work / "site"


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def assert_nothing_ran(page, where: str) -> None:
    assert page.evaluate("window.__ran") == [], where
    assert page.evaluate(DANGEROUS) == [], where
    assert page.js_errors == [], where


def test_no_script_from_a_cell_runs_on_any_page(hostile_site, serve, page):
    server = serve(hostile_site)
    page.add_init_script(HOOKS)
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    assert len(pages) == 13  # three programs, two categories and every page of its own
    for path in pages:
        open_page(page, server.url + path)
        assert_nothing_ran(page, path)
    # The text is shown as text: the payload is visible, not interpreted.
    open_page(page, server.url + "programs/everyone.html")
    expect(page.locator("h1")).to_contain_text("制度名<script>alert('制度名')</script>")
    # Search shows the names and texts found, marked, as text.
    open_page(page, server.url + "search.html")
    page.wait_for_selector("#search[data-ready]", state="attached")
    page.fill("#search-query", "制度名 script alert")
    expect(page.locator("#search-results")).to_contain_text("制度名<script>alert('制度名')</script>")
    assert page.locator("#search-results mark").count() > 0
    assert_nothing_ran(page, "search")


def test_no_script_from_a_cell_runs_in_the_question_flow(hostile_site, serve, page):
    server = serve(hostile_site)
    page.add_init_script(HOOKS)
    navi = server.url + "navi.html"
    answers = f"{quote(QUESTION_ID, safe='')}={quote(CHOICE, safe='')}&状況={quote(MULTI, safe='')}"
    views = ["", f"#q/{quote(QUESTION_ID, safe='')}", f"#q/人数?{answers}", f"#q/状況?{answers}", f"#summary?{answers}",
             f"#results?{answers}", "#results", f"#results?{answers}&人数=1"]
    for view in views:
        open_page(page, "about:blank")
        open_page(page, navi + view)
        expect(page.locator("#navi-heading")).to_be_visible()
        assert_nothing_ran(page, view)
    # The results for the payload answers: every program, with its texts from the data files.
    open_page(page, "about:blank")
    open_page(page, navi + f"#results?{answers}")
    assert sorted(page.evaluate("[...document.querySelectorAll('[data-match]')].map((e) => e.dataset.programId)")) == \
        ["chosen", "everyone", "maybe"]
    expect(page.locator("#navi")).to_contain_text("条件付きの制度名<script>alert('条件付きの制度名')</script>")  # plain text
    # Answering by clicking, and the printed checklist.
    page.get_by_role("button", name="印刷用チェックリスト").click()
    expect(page.locator("#navi-checklist")).to_be_visible()
    expect(page.locator("#navi-checklist")).to_contain_text("必要書類1<script>")
    assert page.evaluate("window.__printed") == 1
    assert_nothing_ran(page, "checklist")
    open_page(page, "about:blank")
    open_page(page, navi)
    page.get_by_label(CHOICE, exact=True).check()
    page.get_by_role("button", name="次へ").click()
    expect(page.locator("#navi-heading")).to_contain_text("質問文2")
    assert_nothing_ran(page, "answered by clicking")


def test_every_page_has_the_policy_and_it_blocks_inline_script(hostile_site, serve, page):
    for path in hostile_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert html.count('http-equiv="Content-Security-Policy"') == 1, path
        assert f'content="{CSP}"' in html, path
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "*" not in CSP and "http" not in CSP
    server = serve(hostile_site)
    page.add_init_script(HOOKS)
    open_page(page, server.url + "index.html")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__inline = 1";
      document.body.appendChild(script);
      const img = document.createElement("img");
      img.setAttribute("onerror", "window.__inline = 2");
      img.src = "x";
      document.body.appendChild(img);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__inline") is None
    assert any(v.startswith("CSP script-src") for v in page.evaluate("window.__ran"))  # the detector sees it
    assert any(v.startswith("CSP ") and "example.org" in v for v in _fetch_other_origin(page))


def _fetch_other_origin(page) -> list[str]:
    page.evaluate("() => { const i = document.createElement('img'); i.src = 'https://example.org/x.png';"
                  " document.body.appendChild(i); fetch('https://example.org/').catch(() => {}); }")
    page.wait_for_timeout(200)
    return page.evaluate("window.__ran")


def test_the_sites_own_scripts_work_under_the_policy(sheets, tmp_path, serve, page):
    result = build(sheets, tmp_path / "site")
    assert result.ok
    server = serve(tmp_path / "site")
    page.add_init_script(HOOKS)
    open_page(page, server.url + "navi.html")
    page.get_by_label("全壊", exact=True).check()
    page.get_by_role("button", name="次へ").click()
    expect(page.locator("#navi-heading")).to_have_text("住まいをどう再建しますか？")
    open_page(page, server.url + "navi.html#results?住家被害=全壊&世帯人数=3")
    expect(page.locator("[data-match]").first).to_be_visible()
    page.get_by_role("button", name="印刷用チェックリスト").click()
    expect(page.locator("#navi-checklist")).to_be_visible()
    assert page.evaluate("window.__ran") == []  # not one violation from the site's own files
    assert page.js_errors == []
