"""Search (issue 20): the quality of static/search.js measured in chromium on the sample city, privacy (what is
requested never depends on what is typed), the page without JavaScript, accessibility, and the search data file.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from test_navigator_flow import AXE, SHEETS, axe_violations, build_site

from navigator.site.data import script_page
from navigator.site.environment import Renderer
from navigator.site.interface import interface
from navigator.site.memo import RenderMemo
from navigator.site.search import plain, search_data, search_page

# What residents type, and the program it must show in the top 3: names and parts of names, readings typed in
# kana (some with a kana wrong), the 用語 sheet's other ways of writing a word, full/half width, words of 対象者 and
# 支援内容, a department's name.
QUERIES = [
    ("仮設住宅", "oukyu-kasetsu-jutaku"),
    ("かせつじゅうたく", "oukyu-kasetsu-jutaku"),  # part of the 読み of 応急仮設住宅
    ("仮設住宅に入りたい", "oukyu-kasetsu-jutaku"),
    ("りさい証明", "risai-shomei"),  # 読み + kanji
    ("罹災証明書", "risai-shomei"),  # 同義語
    ("り災証明書", "risai-shomei"),
    ("りさいしょめい", "risai-shomei"),  # a kana missing
    ("ﾘｻｲ", "risai-shomei"),  # half-width katakana
    ("被災証明", "hisai-shomei"),
    ("児童扶養手当", "jidou-fuyou-teate-tokurei"),
    ("扶養手当", "jidou-fuyou-teate-tokurei"),  # a part of the compound word
    ("じどうふよてあて", "jidou-fuyou-teate-tokurei"),  # a kana missing
    ("被災者生活再建支援金", "seikatsu-saiken-kiso"),
    ("生活再建", "seikatsu-saiken-kiso"),
    ("加算支援金", "seikatsu-saiken-kasan"),
    ("見舞金", "shi-saigai-mimaikin"),
    ("がれき", "saigai-gomi-karioki-ba"),
    ("災害ゴミ", "saigai-gomi-rinji-shushu"),  # katakana for hiragana
    ("家の修理", "oukyu-shuri"),
    ("しゅうり", "oukyu-shuri"),
    ("税金 減免", "koteishisanzei-genmen"),
    ("固定資産税", "koteishisanzei-genmen"),
    ("国保", "kokuhozei-genmen"),  # 同義語 of 国民健康保険
    ("こくみんけんこうほけん", "kokuhozei-genmen"),
    ("介護保険料", "kaigo-hokenryo-genmen"),
    ("かいごほけんりよう", "kaigo-hokenryo-genmen"),  # よ for ょ
    ("保育料", "hoikuryo-genmen"),
    ("住宅ローン", "hisai-loan-genmen"),
    ("事業者 融資", "chusho-saigai-fukkyu-yushi"),
    ("水道料金", "jougesuidou-ryoukin-genmen"),
    ("漏水", "rousui-gengaku"),
    ("マイナンバー", "mynumber-card-saikoufu"),
    ("ﾏｲﾅｶｰﾄﾞ", "mynumber-card-saikoufu"),  # half width, and a 同義語
    ("お金を借りたい", "saigai-engo-shikin"),  # 同義語 of 貸付
    ("弁護士", "houritsu-soudan"),  # 支援内容
    ("高校生", "koukousei-shougaku-kyufukin"),  # 対象者
    ("妊婦", "boshi-kenkou-soudan"),  # 対象者
    ("授業料", "koukou-jugyouryou-genmen"),
    ("農業", "hisai-nougyousha-shien"),
    ("土砂", "shogaibutsu-jokyo"),
    ("義援金", "gienkin"),
    ("ボランティア", "saigai-volunteer"),
    ("こころ", "kokoro-no-care"),
    ("窓口負担", "kokuho-ichibu-futan-menjo"),
    ("車", "hisai-sharyou"),
    ("4号", "safety-net-hoshou"),
    ("解体", "kouhi-kaitai"),
    ("利子", "jutaku-saiken-rishi-hokyu"),
    ("危機管理課", "risai-shomei"),  # a department's name
    ("上下水道局", "jougesuidou-ryoukin-genmen"),
]

TOP3 = """() => Array.from(document.querySelectorAll('#search-results > li h2 a')).slice(0, 3)
    .map((a) => a.getAttribute('href').replace(/^.*programs\\//, '').replace(/\\.html$/, ''))"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_site(SHEETS, tmp_path_factory.mktemp("search-sample") / "site")


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#search[data-ready]", state="attached")


def top3(page, query: str) -> list[str]:
    page.fill("#search-query", query)
    return page.evaluate(TOP3)


def test_residents_queries_find_their_program_in_the_top_3(sample, serve, page):
    server = serve(sample.out)
    open_search(page, server.url + "search.html")
    failed = []
    for query, expected in QUERIES:
        found = top3(page, query)
        if expected not in found:
            failed.append((query, expected, found))
    passed = len(QUERIES) - len(failed)
    print(f"\nsearch quality: {passed}/{len(QUERIES)} queries show their program in the top 3")
    assert len(QUERIES) >= 30
    assert failed == [], f"{passed}/{len(QUERIES)} pass; failed (query, expected, top 3): {failed}"
    assert page.js_errors == []


def test_a_hit_shows_its_category_a_marked_snippet_and_its_deadline(sample, serve, page):
    server = serve(sample.out)
    open_search(page, server.url + "search.html")
    page.fill("#search-query", "児童扶養手当")
    first = page.locator("#search-results > li").first
    expect(first.locator("h2 a mark")).to_have_text("児童扶養手当")
    expect(first.locator(".meta").first).to_contain_text("分類 子育て・教育")
    assert first.locator(".search-snippet mark").count() >= 1
    expect(first.locator("[data-deadline], .meta", has_text="申請期限")).to_have_count(1)
    # Marked as text nodes: nothing from the data is markup.
    assert page.evaluate("""() => Array.from(document.querySelectorAll('#search-results *'))
        .every((e) => ['LI', 'H2', 'A', 'P', 'SPAN', 'MARK'].includes(e.tagName))""")
    # A synonym (同義語) is marked where the text writes the other way.
    page.fill("#search-query", "罹災証明書")
    expect(page.locator("#search-results > li").first.locator("h2 a mark").first).to_have_text("り災証明書")
    expect(page.locator("#search-status")).to_contain_text("件")


def test_the_query_never_leaves_the_device(sample, serve, browser):
    """The same requests whatever is typed; none after typing; the header box opens
    search.html with the query in the fragment only."""
    server = serve(sample.out)
    seen = []
    for query in ("仮設住宅", "りさい証明書 税金", ""):
        context = browser.new_context()
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda request, urls=urls: urls.append(request.url.split("#")[0]))
        open_search(page, server.url + "search.html" + (f"#q={quote(query)}" if query else ""))
        if query:
            expect(page.locator("#search-results > li").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        before = len(urls)
        page.fill("#search-query", "見舞金 こくほ 1234")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert urls[before:] == [], "typing made a request"
        seen.append(sorted(urls))  # the favicon comes when the browser wants it
        context.close()
    assert seen[0] == seen[1] == seen[2]
    assert not any("?" in url for url in seen[0])
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "index.html")
    server.requested.clear()
    page.fill("#header-search-query", "児童扶養手当")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search[data-ready]", state="attached")
    assert page.url.endswith("search.html#q=" + quote("児童扶養手当"))
    assert all("扶養" not in path and "%E6" not in path and "?" not in path for path in server.requested)
    expect(page.locator("#search-results > li").first.locator("h2 a")).to_contain_text("児童扶養手当")
    context.close()


def test_without_javascript_a_link_stands_in_for_the_box(sample, serve, browser):
    server = serve(sample.out)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("index.html", "programs/index.html", "accessibility.html"):
        page.goto(server.url + path)
        assert page.locator("input").count() == 0
        link = page.locator(".site-header a.header-search-fallback")
        expect(link).to_have_text("すべての制度の一覧から探す")
        assert link.get_attribute("href").endswith("programs/index.html")
    page.goto(server.url + "search.html")
    expect(page.locator("[role=search]")).to_be_hidden()
    assert "<form" not in page.content()
    expect(page.locator("[data-search-nojs] a").first).to_have_attribute("href", "programs/index.html")
    context.close()


def test_search_is_accessible_and_works_with_the_keyboard(sample, serve, browser):
    server = serve(sample.out)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(server.url + "index.html")
    assert axe_violations(page) == []
    box = page.locator(".site-header [role=search]")
    expect(box.get_by_label("制度を検索")).to_be_visible()
    page.goto(server.url + "search.html")
    page.wait_for_selector("#search[data-ready]", state="attached")
    assert axe_violations(page) == []
    expect(page.locator("#search-status")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#search-status")).to_have_attribute("role", "status")
    for _ in range(20):  # from the top of the page to the box, by Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-query":
            break
    assert page.evaluate("document.activeElement.id") == "search-query"
    page.keyboard.type("保育料")
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("「保育料」の検索結果")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"programs/hoikuryo-genmen\.html$"))
    page.go_back()
    expect(page.locator("#search-query")).to_have_value("保育料")
    page.wait_for_selector("#search[data-ready]", state="attached")
    assert axe_violations(page) == []
    context.close()
    assert AXE.exists()


def test_the_search_data_is_one_file_named_by_its_content(sample):
    files = sorted((sample.out / "data").glob("search.*.js"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("window.NavigatorSearch = ")
    data = json.loads(text[len("window.NavigatorSearch = "):].rstrip().rstrip(";"))
    assert data == search_data(sample.site, interface("ja"))
    assert [p["p"] for p in data["programs"]] == [f"programs/{p.id}.html" for p in sample.site.programs]
    assert {"w": ["り災証明書", "罹災証明書", "りさい証明書"], "r": "りさいしょうめいしょ"} in data["terms"]
    page = (sample.out / "search.html").read_text(encoding="utf-8")
    assert f'data-index="data/{files[0].name}"' in page


def test_the_easy_search_data_reads_its_names_with_ruby_over_the_same_text(sample):
    """やさしい日本語's file gives a hit's name, category, department and deadline with ルビ too, over exactly the text
    search.js marks the words found in; the Japanese file has none."""
    def entries(folder):
        text = next((folder / "data").glob("search.*.js")).read_text(encoding="utf-8")
        return json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))["programs"]

    easy = entries(sample.out / "easy")
    readings = [(entry[key], entry[key + "r"]) for entry in easy for key in "ncdl" if key + "r" in entry]
    assert len(readings) >= 3 * len(easy)
    for text, with_ruby in readings:
        assert "<ruby>" in with_ruby
        assert html.unescape(re.sub(r"<rt>[^<]*</rt>|<rp>[^<]*</rp>|<[^>]+>", "", with_ruby)) == text
    assert not any(key.endswith("r") and len(key) == 2 for entry in entries(sample.out) for key in entry)


def test_plain_text_of_a_cell():
    assert plain("**最大300万円**（[詳しく](https://example.jp)）\n- 全壊：１００万円") == "最大300万円(詳しく) 全壊:100万円"
    assert plain("<b>a</b> &amp; ｶﾞ") == "<b>a</b> & ガ"  # raw HTML is shown as text on the site


def test_the_search_file_assembled_from_kept_parts_is_the_reference(sample):
    renderer = Renderer(RenderMemo("test"))
    for site in (sample.site, dataclasses.replace(sample.site, programs=(), terms=())):
        made = search_page(site, renderer)
        assert made == script_page("data", "search", "NavigatorSearch", search_data(site, interface("ja")))
    again = Renderer(RenderMemo("test", renderer.memo.used_fragments()))
    assert search_page(sample.site, again) == search_page(sample.site, renderer)


def test_the_commonest_marks_looked_up_become_what_the_rule_makes_of_them():
    from navigator.site.search import _COMMON_MARKS, _MARKS

    for mark, shortcut in _COMMON_MARKS.items():
        match = _MARKS.search(mark)
        assert match is not None and match.group(0) == mark
        stripped = mark.strip()  # the rule: emphasis joins the words around it, any other mark parts them
        assert shortcut == ("" if stripped and set(stripped) <= set("*_`") else " ")
    assert plain("**重要**：\n- 全壊\n- 半壊 | 大規模") == "重要: 全壊 半壊 大規模"


def test_the_marks_pattern_finds_what_its_rule_finds_in_markdown_like_text():
    """The pattern plain() uses is MARKS_RULE written faster; on any text both find the same marks (a fuzz of marks,
    spaces, digits of every width and words)."""
    import random

    from navigator.site.search import _MARKS, MARKS_RULE

    rule = re.compile(MARKS_RULE, re.MULTILINE)
    pieces = ["*", "**", "_", "`", "|", "#", ">", "-", "+", "1", "１", "٣", ".", ":", "---", " ", "\u3000", "\t", "\n",
              "\n\n", "[", "]", "(", ")", "](https://a.jp)", "あ", "漢字", "a", "- ", "1. ", "１. "]
    rnd = random.Random(20261207)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        assert [m.span() for m in _MARKS.finditer(text)] == [m.span() for m in rule.finditer(text)], text
