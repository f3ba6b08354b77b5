"""窓口モード (counter.html), in chromium: every question on one screen with 表示条件 applied live, the results updated
as answers are given, keyboard-first, 「次の方へ」 that clears everything and no history entry at all, the same URL
format as navi.html, and the 手続き案内票 grouped by the place the resident goes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.parse

import openpyxl
import pytest
from playwright.sync_api import expect
from test_navigator_flow import SHEETS, axe_violations, build_site, expected, shown
from test_navigator_guide import COUPLE, dated_page

from navigator.check.validate import validate_folder

COUNTER = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_site(SHEETS, tmp_path_factory.mktemp("counter-sample") / "site")


@pytest.fixture()
def counter(sample, serve, browser):
    """A counter PC's browser tab on the sample city, on a fixed day."""
    server = serve(sample.out)
    context, page = dated_page(browser, "2026-09-15", viewport=COUNTER)
    page.base = server.url
    yield page
    assert page.js_errors == []
    context.close()


def question(page, question_id: str):
    return page.locator(f"fieldset.counter-q[data-question-id='{question_id}']")


def number_field(page, question_id: str):
    return question(page, question_id).get_by_role("textbox")


def address(page) -> str:
    return urllib.parse.unquote(page.url)


def lead(page):
    return page.locator(".counter-results .navi-lead")


def test_every_question_on_one_screen_and_the_results_follow_the_answers(counter, sample):
    counter.goto(counter.base + "counter.html")
    expect(lead(counter)).to_have_text(re.compile(r"対象 \d+件・対象の可能性あり \d+件"))
    asked_at_first = question(counter, "住家被害").locator("xpath=..").locator("fieldset.counter-q").count()
    assert asked_at_first >= 8  # unanswered, every question whose 表示条件 might hold is on the screen

    question(counter, "住家被害").get_by_role("radio", name="全壊", exact=True).check()
    question(counter, "住まいの所有").get_by_role("radio", name="持ち家", exact=True).check()
    number_field(counter, "世帯人数").fill("2")
    assert shown(counter) == expected(sample.site, ["住家被害=全壊", "住まいの所有=持ち家", "世帯人数=2"], dt.date(2026, 9, 15))

    # 被害なし: the questions about the home's damage go, live, and so do their answers.
    question(counter, "住家被害").get_by_role("radio", name="被害なし", exact=True).check()
    expect(question(counter, "住まいの所有")).to_have_count(0)
    assert shown(counter) == expected(sample.site, ["住家被害=被害なし", "世帯人数=2"], dt.date(2026, 9, 15))
    assert "住まいの所有" not in address(counter)


def test_no_history_entry_and_next_person_clears_everything(counter):
    counter.goto(counter.base + "index.html")
    counter.get_by_role("link", name="窓口モード（職員用）").click()
    expect(counter.get_by_role("heading", level=1)).to_have_text("窓口モード（職員用）")
    entries = counter.evaluate("history.length")
    question(counter, "住家被害").get_by_role("radio", name="全壊", exact=True).check()
    number_field(counter, "世帯主の年齢").fill("78才")  # as people type it
    question(counter, "家族の死亡").get_by_role("radio", name="はい", exact=True).check()
    assert "世帯主の年齢=78" in address(counter)
    assert counter.evaluate("history.length") == entries  # replaced, never pushed

    counter.get_by_role("button", name="次の方へ").click()
    assert counter.evaluate("history.length") == entries
    assert "?" not in counter.url
    expect(counter.locator(".counter-q input:checked")).to_have_count(
        counter.locator(".counter-q input[data-key='0']").count())  # only 「わからない」 is checked
    expect(number_field(counter, "世帯主の年齢")).to_have_value("")
    expect(counter.locator("#navi-status")).to_have_text("回答をすべて消しました。次の方の回答を入力できます。")
    assert counter.evaluate("document.activeElement.id") == "cq-0-1"

    counter.go_back()  # the page before the counter, not an earlier household
    assert "counter.html" not in counter.url


def test_keyboard_first_number_keys_pick_a_choice(counter):
    counter.goto(counter.base + "counter.html")
    damage = question(counter, "住家被害")
    damage.get_by_role("radio", name="わからない・答えない", exact=True).focus()
    counter.keyboard.press("4")
    expect(damage.get_by_role("radio", name="半壊", exact=True)).to_be_checked()
    assert address(counter).endswith("#results?住家被害=半壊")
    counter.keyboard.press("0")
    expect(damage.get_by_role("radio", name="わからない・答えない", exact=True)).to_be_checked()
    # Tab goes on to the next question.
    counter.keyboard.press("Tab")
    assert counter.evaluate("document.activeElement.closest('fieldset').dataset.questionId") == "住まいの所有"
    counter.keyboard.press("1")
    expect(question(counter, "住まいの所有").get_by_role("radio", name="持ち家", exact=True)).to_be_checked()


def test_a_number_the_question_does_not_take_is_said_and_not_counted(counter):
    counter.goto(counter.base + "counter.html")
    field = number_field(counter, "世帯人数")
    field.fill("-2")
    expect(question(counter, "世帯人数").locator(".counter-error")).to_contain_text("「-2」は")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "世帯人数" not in address(counter)
    field.fill("３人")
    expect(question(counter, "世帯人数").locator(".counter-error")).to_have_text("")
    assert "世帯人数=3" in address(counter)


def test_a_residents_link_opens_here_and_back(counter, sample):
    counter.goto(counter.base + "counter.html#results?" + COUPLE)
    assert len(shown(counter)["applies"]) == 34
    expect(question(counter, "住家被害").get_by_role("radio", name="全壊", exact=True)).to_be_checked()
    resident = counter.get_by_role("link", name="住民向けの画面で開く")
    href = resident.get_attribute("href")
    assert href.startswith("navi.html#results?")
    resident.click()
    expect(counter.get_by_role("heading", level=1)).to_have_text("使える可能性のある制度")
    assert len(shown(counter)["applies"]) == 34


def test_the_guide_sheet_groups_programs_by_where_to_go(counter, sample):
    counter.goto(counter.base + "counter.html#results?" + COUPLE)
    expect(lead(counter)).to_have_text("対象 34件・対象の可能性あり 0件")
    counter.emulate_media(media="print")
    guide = counter.locator("#navi-guide")
    expect(guide).to_be_visible()
    expect(counter.locator(".counter-screen")).to_be_hidden()
    listed = guide.locator("[data-guide-program]").evaluate_all("(items) => items.map((i) => i.dataset.guideProgram)")
    assert sorted(listed) == sorted(shown(counter)["applies"])  # each program once
    first_place = guide.locator(".navi-guide-place").first
    expect(first_place.locator("h2")).to_contain_text("被災者支援総合窓口")  # り災証明書 first: まず最初に
    expect(first_place).to_contain_text("り災証明書の交付（まず最初に）")
    expect(first_place.locator(".navi-guide-documents")).to_contain_text("本人確認書類")
    for place in guide.locator(".navi-guide-place").all():  # one department's programs, each under its own place
        departments = {sample.site.programs[[p.id for p in sample.site.programs].index(pid)].department.name
                       for pid in place.locator("[data-guide-program]").evaluate_all("(i) => i.map((e) => e.dataset.guideProgram)")}
        assert len(departments) == 1
    expect(guide.locator(".navi-guide-notes")).to_contain_text("職員メモ")
    expect(guide.locator("svg.navi-qr")).to_have_count(1)
    pdf = counter.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, pages


def test_the_coordinating_division_sets_the_order_of_the_places(tmp_path, serve, browser):
    sheets = tmp_path / "sheets"
    shutil.copytree(SHEETS, sheets)
    book = openpyxl.load_workbook(sheets / "common.xlsx")
    settings = book["設定"]
    settings.append(["窓口の順番", "上下水道局 料金課\n都市整備部 住宅政策課\n危機管理課"])
    book.save(sheets / "common.xlsx")
    validation = validate_folder(sheets)
    warnings = [str(p) for p in validation.report.problems]
    assert warnings == ["[警告] common.xlsx / 設定 / B10: 窓口の順番の「危機管理課」は、どの部署のブックの部署名にもありません。"
                        "部署シートの部署名のとおりに書いてください（もしかして「総務部 危機管理課」？）。"]

    built = build_site(sheets, tmp_path / "site")
    server = serve(built.out)
    context, page = dated_page(browser, "2026-09-15", viewport=COUNTER)
    try:
        page.goto(server.url + "counter.html#results?" + COUPLE)
        expect(lead(page)).to_have_text("対象 34件・対象の可能性あり 0件")
        headings = page.locator(".navi-guide-place h2").all_inner_texts()
        assert "上下水道局 料金課" in headings[0] and "都市整備部 住宅政策課" in headings[1]
    finally:
        context.close()


@pytest.mark.parametrize("size", [COUNTER, {"width": 390, "height": 844}])
def test_no_axe_violations_on_the_counter(sample, serve, browser, size):
    server = serve(sample.out)
    context, page = dated_page(browser, "2026-09-15", viewport=size, bypass_csp=True)  # axe is an inline script
    try:
        page.goto(server.url + "counter.html#results?" + COUPLE)
        expect(lead(page)).to_have_text("対象 34件・対象の可能性あり 0件")
        assert axe_violations(page) == []
    finally:
        context.close()
