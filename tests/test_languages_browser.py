"""The sample city in やさしい日本語, English and Vietnamese, in chromium (issue 18, item 7): axe-core finds nothing on
any kind of page, the same answers give the same programs in every language, and the switcher keeps the answers."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect
from test_navigator_flow import SAMPLE_ANSWERS, axe_violations, shown

LANGUAGES = ("easy", "en", "vi")

# Every kind of page: the top, the lists, a program, the flow's steps, search, the changes and the policy, the counter.
PAGES = {
    "top": "index.html",
    "all programs": "programs/index.html",
    "category": "categories/1.html",
    "program": "programs/risai-shomei.html",
    "question": "navi.html",
    "number question": "navi.html#q/世帯人数?住家被害=全壊",
    "summary": "navi.html#summary?" + SAMPLE_ANSWERS,
    "results": "navi.html#results?" + SAMPLE_ANSWERS,
    "search": "search.html#q=" + "り災",
    "changes": "changes.html",
    "accessibility": "accessibility.html",
    "counter": "counter.html#results?" + SAMPLE_ANSWERS,
}

# Households that see different programs: the parity between languages is checked on each.
HOUSEHOLDS = (
    SAMPLE_ANSWERS,
    "住家被害=半壊&住まいの所有=賃貸&世帯人数=1&世帯主の年齢=80",
    "住家被害=被害なし&事業経営=はい",
    "",
)


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_axe_violations_on_any_kind_of_page(sample_site, serve, browser, code):
    server = serve(sample_site)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is an inline script
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        found = {}
        for name, path in PAGES.items():
            page.goto(server.url + f"{code}/{path}")
            page.wait_for_load_state("load")
            if "#results" in path:
                expect(page.locator("[data-match]").first).to_be_attached()
            violations = axe_violations(page)
            if violations:
                found[name] = violations
        page.goto(server.url + f"{code}/index.html")
        page.locator(".language-switcher summary").click()  # the switcher, opened
        violations = axe_violations(page)
        if violations:
            found["switcher opened"] = violations
        assert found == {}
        assert errors == []
    finally:
        context.close()


def test_the_same_answers_give_the_same_programs_in_every_language(sample_site, serve, page):
    server = serve(sample_site)
    for answers in HOUSEHOLDS:
        seen = {}
        for code in ("",) + tuple(f"{c}/" for c in LANGUAGES):
            page.goto(server.url + f"{code}navi.html#results?{answers}")
            expect(page.locator("[data-match]").first).to_be_attached()
            seen[code or "ja"] = shown(page)
        assert all(programs == seen["ja"] for programs in seen.values()), (answers, seen)


def test_the_switcher_keeps_the_answers_and_the_step(sample_site, serve, page):
    server = serve(sample_site)
    page.goto(server.url + "vi/navi.html#results?" + SAMPLE_ANSWERS)
    expect(page.locator("[data-match]").first).to_be_attached()
    in_vietnamese = shown(page)
    page.locator(".language-switcher summary").click()
    page.locator('.language-switcher a[hreflang="ja"]').click()
    page.wait_for_url("**/navi.html#results?*")
    assert "/vi/" not in page.url and unquote(page.url).endswith("navi.html#results?" + SAMPLE_ANSWERS)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("[data-match]").first).to_be_attached()
    assert shown(page) == in_vietnamese


def test_untranslated_texts_are_marked_japanese_in_the_results(sample_site, serve, page):
    """vi translates half the programs: the others' names, in the results drawn by the page's script, are Japanese,
    marked lang="ja" with a label in Vietnamese."""
    server = serve(sample_site)
    page.goto(server.url + "vi/navi.html#results?" + SAMPLE_ANSWERS)
    expect(page.locator("[data-match]").first).to_be_attached()
    marked = page.locator('[data-match] [lang="ja"].untranslated')
    expect(marked.first).to_be_attached()
    assert page.locator("html").get_attribute("lang") == "vi"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    from test_navigator_flow import SHEETS, build_site

    return build_site(SHEETS, tmp_path_factory.mktemp("languages-sample") / "site").out


def test_a_choice_reads_in_the_page_language_and_answers_with_its_key(sample_site, serve, page):
    server = serve(sample_site)
    page.goto(server.url + "en/navi.html")
    page.get_by_label("Completely destroyed (全壊)", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**#q/*")
    assert "住家被害=全壊" in unquote(page.url)


def test_the_counter_reads_in_the_page_language(sample_site, serve, browser):
    server = serve(sample_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url + "en/counter.html#results?" + SAMPLE_ANSWERS)
        expect(page.locator(".counter-choice", has_text="Completely destroyed (全壊)").first).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()


# Queries as residents type them in each language: words, no accents on a phone's keyboard, the Japanese name seen
# on a paper from the city.
QUERIES = {
    "en": [("temporary housing", "oukyu-kasetsu-jutaku"), ("disaster damage certificate", "risai-shomei"),
           ("water bill", "jougesuidou-ryoukin-genmen"), ("り災証明書", "risai-shomei")],
    "vi": [("nhà ở tạm", "oukyu-kasetsu-jutaku"), ("nha o tam", "oukyu-kasetsu-jutaku"),
           ("tiền nước", "jougesuidou-ryoukin-genmen"), ("thue bao hiem y te", "kokuhozei-genmen")],
}


@pytest.mark.parametrize("code", sorted(QUERIES))
def test_search_finds_programs_as_residents_type_in_their_language(sample_site, serve, page, code):
    from test_search import open_search, top3

    server = serve(sample_site)
    open_search(page, server.url + f"{code}/search.html")
    failed = [(query, expected, found) for query, expected in QUERIES[code]
              if expected not in (found := top3(page, query))]
    assert failed == []


def test_the_easy_results_and_questions_carry_ruby(sample_site, serve, page):
    """The page's script draws the results and the questions: in やさしい日本語 their names come with ルビ too."""
    server = serve(sample_site)
    page.goto(server.url + "easy/navi.html#q/住家被害")
    expect(page.locator("#navi-heading ruby").first).to_be_attached()
    expect(page.locator(".navi-choice label ruby").first).to_be_attached()
    page.goto(server.url + "easy/navi.html#results?" + SAMPLE_ANSWERS)
    expect(page.locator(".navi-row-name ruby").first).to_be_attached()
    assert page.locator(".navi-row-name rt").first.inner_text()  # a reading, in hiragana


def test_the_words_the_script_writes_in_easy_carry_ruby_where_the_pages_put_it(sample_site, serve, page):
    """Headings, buttons, counts and sentences the page's script writes are read with ルビ, as the server's pages are;
    never in text for screen readers only, the options of a list, nor the title; the other languages have none."""
    server = serve(sample_site)
    page.goto(server.url + "easy/navi.html#results?" + SAMPLE_ANSWERS)
    heading = page.locator("#navi-heading")
    expect(heading).to_contain_text("あなたの")
    expect(heading.locator("rt")).to_have_text(["やく", "た", "せいど"])  # あなたの役に立つかもしれない制度
    expect(page.locator("button", has_text="チェックリスト").locator("rt")).to_have_text(["いんさつ"])
    expect(page.locator(".navi-row-what rt").first).to_be_attached()  # a row's 支援内容 in a line, from the data
    expect(page.locator(".navi-row-deadline rt").first).to_be_attached()  # its deadline, as a text or a date
    assert page.locator(".navi-vh ruby, .visually-hidden ruby, option ruby").count() == 0
    assert "やく" not in page.title()
    page.goto(server.url + "easy/navi.html#q/住家被害")
    expect(page.locator("button.navi-primary rt")).to_have_text(["つぎ"])  # 次へ
    assert page.locator(".navi-vh ruby, .visually-hidden ruby").count() == 0
    for other in ("navi.html", "en/navi.html"):
        page.goto(server.url + other + "#results?" + SAMPLE_ANSWERS)
        expect(page.locator("#navi-heading")).to_be_visible()
        assert page.locator("#navi-heading ruby").count() == 0, other


def test_easy_search_results_carry_ruby_with_the_words_found_marked(sample_site, serve, page):
    """やさしい日本語: a hit's name, category, department and deadline are read with ルビ, the words found marked in the
    text (not in its readings); the Japanese search shows none."""
    from test_search import open_search

    server = serve(sample_site)
    open_search(page, server.url + "easy/search.html")
    page.fill("#search-query", "支援金")
    first = page.locator("#search-results > li").first
    name = first.locator("h2 a")
    expect(name.locator("ruby").first).to_be_attached()
    assert name.locator("mark").count() >= 1
    assert all(mark == "支援金" for mark in name.locator("mark").all_text_contents())
    assert name.locator("rt mark, rp mark").count() == 0
    base = name.evaluate("a => { const c = a.cloneNode(true); c.querySelectorAll('rt, rp').forEach(r => r.remove());"
                         " return c.textContent; }")
    assert "被災者生活再建支援金" in base
    expect(first.locator(".meta ruby").first).to_be_attached()  # 分類, 担当
    open_search(page, server.url + "search.html")
    page.fill("#search-query", "支援金")
    expect(page.locator("#search-results > li").first).to_be_visible()
    assert page.locator("#search-results ruby").count() == 0
