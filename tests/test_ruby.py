"""ルビ on the やさしい日本語 pages (navigator/site/ruby.py): where it goes, where it never does, and its readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.site.ruby import Furigana, Token, ruby, word_ruby

pytest.importorskip("sudachipy")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def furigana() -> Furigana:
    return Furigana({"桜川": "さくらがわ", "市役所本庁舎": "しやくしょほんちょうしゃ", "市役所": "しやくしょ"})


def r(base: str, reading: str) -> str:
    return f"<ruby>{base}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>"


def test_a_known_sentence(furigana):
    assert furigana.annotate("り災証明書を申請してください") == (
        f"り{r('災', 'さい')}{r('証明書', 'しょうめいしょ')}を{r('申請', 'しんせい')}してください")


def test_a_person_is_kata_and_a_side_or_a_comparison_hou(furigana):
    # Sudachi alone reads every one of these ほう: in a city's texts 方 is a person unless it compares or points.
    for text in ("高齢の方", "申請する方は", "お住まいの方へ", "被災した方や", "利用する方が多い"):
        assert r("方", "かた") in furigana.annotate(text), text
    for text in ("早めに申請した方がよい", "こちらの方が便利です", "北の方へ"):
        assert r("方", "ほう") in furigana.annotate(text), text
    assert furigana.annotate("方法") == r("方法", "ほうほう")  # a word of its own: as the analyser reads it


def test_okurigana_stay_outside_the_ruby(furigana):
    assert furigana.annotate("書いて") == f"{r('書', 'か')}いて"
    assert word_ruby("申し込み", "もうしこみ") == f"{r('申', 'もう')}し{r('込', 'こ')}み"


def test_readings_override_the_analyser_longest_first(furigana):
    assert furigana.annotate("桜川に住む") == f"{r('桜川', 'さくらがわ')}に{r('住', 'す')}む"
    assert furigana.annotate("市役所本庁舎へ") == f"{r('市役所本庁舎', 'しやくしょほんちょうしゃ')}へ"


def test_from_the_terms_of_the_site():
    from navigator.model import Term

    furigana = Furigana.from_terms([Term("桜川", "サクラガワ"), Term("罹災", "", ("り災",))])
    assert furigana.readings == {"桜川": "さくらがわ"}  # katakana taken as hiragana; no 読み, no override


def test_it_goes_to_another_process_as_its_readings(furigana):
    import pickle

    copy = pickle.loads(pickle.dumps(furigana))
    assert copy.readings == furigana.readings
    assert copy.annotate("桜川") == furigana.annotate("桜川")


def test_what_one_process_annotated_another_learns_instead_of_analysing_again():
    worker = Furigana({"桜川": "さくらがわ"})
    page = worker.annotate("<p>桜川の被災者</p><p>申請</p>")
    annotated = worker.fresh()
    assert set(annotated) == {"桜川の被災者", "申請"} and worker.fresh() == {}  # each handed over once

    def no_analyser(text):
        raise AssertionError(f"analysed again: {text}")

    builder = Furigana({"桜川": "さくらがわ"}, analyse=no_analyser)
    builder.learn(annotated)
    assert builder.annotate("<p>桜川の被災者</p><p>申請</p>") == page


def test_the_oldest_text_goes_first_when_the_cache_is_full():
    analysed = []
    furigana = Furigana(analyse=lambda text: analysed.append(text) or [], cache_size=2)
    for text in ("一", "二", "三", "三", "一"):
        furigana.annotate(text)
    assert analysed == ["一", "二", "三", "一"]  # 三 kept; 一 had gone


def test_a_sentence_two_texts_share_is_analysed_once():
    from navigator.site.ruby import sudachi_tokens

    analysed = []
    furigana = Furigana(analyse=lambda text: analysed.append(text) or sudachi_tokens(text))
    first = furigana.annotate("<p>り災証明書が必要です。申請してください。</p>")
    second = furigana.annotate("<p>申請してください。証明書</p>")
    assert analysed == ["り災証明書が必要です。", "申請してください。", "証明書"]  # each sentence once
    assert first == (f"<p>り{r('災', 'さい')}{r('証明書', 'しょうめいしょ')}が{r('必要', 'ひつよう')}です。"
                     f"{r('申請', 'しんせい')}してください。</p>")
    assert second == f"<p>{r('申請', 'しんせい')}してください。{r('証明書', 'しょうめいしょ')}</p>"


def test_sentences_analysed_ahead_are_not_analysed_again_and_read_the_same():
    from navigator.site.ruby import sudachi_tokens

    analysed = []
    furigana = Furigana({"桜川": "さくらがわ"}, analyse=lambda text: analysed.append(text) or sudachi_tokens(text))
    fragments = ["<p>桜川の被災者は申請できます。<strong>り災証明書</strong>が必要です。</p>", "<li>住民票</li>"]
    furigana.prepare(fragments)
    ahead = list(analysed)
    assert ahead == ["の被災者は申請できます。", "り災証明書", "が必要です。", "住民票"]  # as the walk splits them
    pages = [furigana.annotate(html) for html in fragments]
    assert analysed == ahead  # nothing analysed again
    assert pages == [Furigana({"桜川": "さくらがわ"}).annotate(html) for html in fragments]
    furigana.prepare(["<p>支援金</p>"])  # only the last call's sentences are kept
    furigana.annotate("<p>住民票の写し</p>")
    assert analysed[len(ahead):] == ["支援金", "住民票の写し"]


def test_the_dictionary_is_loaded_when_asked_before_any_text(monkeypatch):
    from navigator.site import readings

    monkeypatch.setattr(readings, "_tokenizer", None)
    Furigana(analyse=lambda text: []).load()  # another analyser: Sudachi is not loaded for it
    assert readings._tokenizer is None
    Furigana().load()
    loaded = readings._tokenizer
    assert loaded is not None
    Furigana().annotate("申請")
    assert readings._tokenizer is loaded  # loaded once


def test_the_analysers_words_are_made_once_and_read_the_same_after_the_store_is_emptied(monkeypatch):
    from navigator.site import readings as module

    first = module.sudachi_tokens("被災者の申請")
    assert module.sudachi_tokens("申請の被災者")[0] is first[2]  # the same word: the same Token
    monkeypatch.setattr(module, "_WORDS_KEPT", 2)
    module.sudachi_tokens("被災者の申請")  # more words than kept: the store is emptied
    assert len(module._plain_words) + len(module._read_words) == 0
    assert module.sudachi_tokens("被災者の申請") == first
    # A word Sudachi cannot read is never kept (its Token depends on more than its surface and reading form).
    unread = [t for t in module.sudachi_tokens("𪚲𪚲の饂") if t.unknown]
    assert unread and all((t.surface, t.surface) not in module._read_words for t in unread)


def test_digits_kana_and_odoriji(furigana):
    assert furigana.annotate("31番") == f"31{r('番', 'ばん')}"
    assert furigana.annotate("35万円") == f"35{r('万', 'まん')}{r('円', 'えん')}"
    assert furigana.annotate("佐々木さん") == f"{r('佐々木', 'ささき')}さん"
    assert furigana.annotate("ひらがなとカタカナ、123") == "ひらがなとカタカナ、123"


def test_numbers_read_otherwise_get_one_ruby_over_digits_and_counter(furigana):
    assert furigana.annotate("2人以上") == f"{r('2人', 'ふたり')}{r('以上', 'いじょう')}"
    assert furigana.annotate("3日間") == r("3日間", "みっかかん")
    assert furigana.annotate("5人") == f"5{r('人', 'にん')}"  # read ordinarily: the digits stay bare
    assert furigana.annotate("1,000万円") == f"1,000{r('万', 'まん')}{r('円', 'えん')}"
    assert furigana.unknown_words("18万7千5百円") == []


def test_days_are_read_as_days_and_the_day_of_the_week_as_one(furigana):
    # Sudachi alone gives 12月4日 よんか, 2日 ににち, 14日 いちよんか, 12月28日 にようか, and （火） ひ.
    assert furigana.annotate("12月4日") == f"12{r('月', 'がつ')}{r('4日', 'よっか')}"
    assert furigana.annotate("2日") == r("2日", "ふつか")
    assert furigana.annotate("14日以内") == f"{r('14日', 'じゅうよっか')}{r('以内', 'いない')}"
    assert furigana.annotate("12月28日まで") == f"12{r('月', 'がつ')}28{r('日', 'にち')}まで"
    assert furigana.annotate("4月1日") == f"4{r('月', 'がつ')}{r('1日', 'ついたち')}"
    assert furigana.annotate("1日3回") == f"{r('1日', 'いちにち')}3{r('回', 'かい')}"
    assert furigana.annotate("２０日間") == r("２０日間", "はつかかん")
    assert furigana.annotate("1月5日（火）") == f"1{r('月', 'がつ')}{r('5日', 'いつか')}（{r('火', 'か')}）"
    assert furigana.annotate("平日（月〜金）") == f"{r('平日', 'へいじつ')}（{r('月', 'げつ')}〜{r('金', 'きん')}）"
    assert furigana.annotate("8時30分から") == f"8{r('時', 'じ')}{r('30分', 'さんじゅっぷん')}から"
    assert furigana.annotate("15分") == f"15{r('分', 'ふん')}"
    assert furigana.annotate("2分の1") == f"2{r('分', 'ぶん')}の1"  # a fraction, not minutes: as the analyser reads it
    assert furigana.annotate("家賃（月）") == f"{r('家賃', 'やちん')}（{r('月', 'がつ')}）"  # no date: not a weekday


def test_never_in_tags_attributes_or_skipped_elements(furigana):
    page = ('<!doctype html><html lang="ja"><head><title>申請</title><meta content="申請"></head>'
            '<body><p title="申請">申請</p><script>const a = "<p>申請</p>";</script><style>/* 申請 */</style>'
            '<textarea>申請</textarea><select><option>申請</option></select><!-- 申請 -->'
            '<p>英語で <span lang="en">申請 <b>申請</b> <i lang="ja">申請</i></span> と書く</p></body></html>')
    out = furigana.annotate(page)
    s = r("申請", "しんせい")
    assert out == page.replace('<p title="申請">申請</p>', f'<p title="申請">{s}</p>').replace(
        '<i lang="ja">申請</i>', f'<i lang="ja">{s}</i>').replace("英語で", f"{r('英語', 'えいご')}で").replace(
        "と書く", f"と{r('書', 'か')}く")


def test_never_in_text_for_screen_readers_only(furigana):
    # Screen readers read a ruby's base and its reading both: text only they read (visually-hidden) stays plain.
    html = ('<a href="a.html">詳しい説明<span class="visually-hidden">：被災者<span lang="ja">申請</span>'
            '<b class="note">申請</b></span></a><p class="visually-hiddenx">申請</p>')
    s = r("申請", "しんせい")
    assert furigana.annotate(html) == html.replace("詳しい説明", f"{r('詳', 'くわ')}しい{r('説明', 'せつめい')}").replace(
        '<p class="visually-hiddenx">申請', f'<p class="visually-hiddenx">{s}')


def test_running_twice_adds_nothing(furigana):
    once = furigana.annotate("<p>り災証明書を<strong>申請</strong>してください</p>")
    assert furigana.annotate(once) == once
    assert once.count("<ruby>") == 3


def test_entities_and_white_space_are_kept(furigana):
    assert furigana.annotate("申請 &amp; 相談\n") == f"{r('申請', 'しんせい')} &amp; {r('相談', 'そうだん')}\n"


def test_white_space_an_analyser_skips_is_put_back():
    # Sudachi keeps white space as words; an analyser like MeCab drops it, and the text's own comes back.
    def analyse(text: str) -> list[Token]:
        return [Token(word, "しんせい" if word == "申請" else "") for word in text.split()]

    assert Furigana(analyse=analyse).annotate("申請 と\u3000申請") == f"{r('申請', 'しんせい')} と\u3000{r('申請', 'しんせい')}"


def test_unknown_words_are_those_without_a_reading(furigana):
    assert furigana.unknown_words("申請してください") == []
    assert furigana.unknown_words("丗と申請、また丗") == ["丗"]
    assert Furigana({"丗": "せい"}).unknown_words("丗と申請") == []  # a 読み in 用語 is the fix
    assert "丗" in furigana.annotate("丗と申請") and "<ruby>丗" not in furigana.annotate("丗と申請")


def test_the_ruby_markup():
    assert ruby("漢字", "かんじ") == "<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>"


# ---------------------------------------------------------------- the walk, against the plain one


def plain_walk(furigana: Furigana, html: str) -> str:
    """The walk as first written (one regex search, one name match and one append per tag): the meaning of
    annotate(), which is faster and must give the same HTML on any input, well-formed or not."""
    import re

    from navigator.site.ruby import _LANG, _MARKUP, _TAG_NAME, HAS_KANJI, RAW_TEXT, SKIPPED, VOID

    out, stack, pos = [], [], 0
    while pos < len(html):
        match = _MARKUP.search(html, pos)
        end = match.start() if match else len(html)
        if end > pos:
            chunk = html[pos:end]
            skipped = stack[-1][1] if stack else False
            out.append(chunk if skipped or not HAS_KANJI.search(chunk) else furigana.text(chunk))
        if not match:
            break
        tag = match.group()
        out.append(tag)
        pos = match.end()
        if tag.startswith(("<!", "<?")):
            continue
        name = _TAG_NAME.match(tag).group(1).lower()
        if tag.startswith("</"):
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
            continue
        if name in RAW_TEXT:
            close = re.compile(f"</{name}[\\s>/]", re.I).search(html, pos)
            stop = close.start() if close else len(html)
            out.append(html[pos:stop])
            pos = stop
            continue
        if name in VOID or tag.endswith("/>"):
            continue
        skipped = stack[-1][1] if stack else False
        classes = re.search(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
        if skipped == "hidden" or (classes and "visually-hidden" in next(g for g in classes.groups() if g is not None).split()):
            skipped = "hidden"  # for screen readers only: whatever is inside
        elif name in SKIPPED:
            skipped = True
        else:
            lang = _LANG.search(tag)
            if lang:
                code = next(g for g in lang.groups() if g is not None).strip().lower()
                skipped = not (code == "ja" or code.startswith("ja-"))
        stack.append((name, skipped))
    return "".join(out)


MARKUP_PIECES = ["<p>", "</p>", "<div class='a'>", "</div>", '<span lang="en">', "<span lang='ja'>", "<span LANG=ja-JP>",
                 "</span>", "<script>", "</script>", "<script>var a='<p>申請</p>'", "</SCRIPT >", "<style>", "</style>",
                 "<title>", "</title>", "<head>", "</head>", "<ruby>", "</ruby>", "<rt>", "</rt>", "<option>", "</option>",
                 "<svg>", "</svg>", "<br>", "<br/>", '<img alt="申請>">', "<p/>", "<!-- 申請 -->", "<!-- 申請", "<!doctype html>",
                 "<?xml?>", '<a"b c">', '<a"b>', "< 申請", "<あ>", "申請", "被災者", "り災証明書", "3日間", " ", "\n", "&amp;",
                 "ひらがな", "English", "<strong>", "</strong>", "<textarea>申請</textarea>", "<math>", "</math>",
                 '<i lang="ja" >', "</i>", "<P>", "</P>", "<b title='x>y'>", "</b>", "<p lang=en/>", '<x y="unclosed>', "'",
                 '"', "<", ">", "</>", "</ ruby>", "<a href='#' lang=\"en\" title=\"申請\">", "<a>", "</a>",
                 '</a"b>', '<a"b c" lang=ja>', '<a title="x>y" lang="en">', "<b title='lang=en'>", '<a hreflang="en">',
                 "<p data-lang=en>", "<SPAN Lang = 'EN'>", "</span >", '<a"b c="x>" lang=en>', "<svg/>", "<head >",
                 "<ruby/>", "<Option>", "<p\nlang=en>", "<i title=\"a'b\" lang=en>", "<b class=lang>",
                 '<span class="visually-hidden">', "<span class='a visually-hidden b'>", "<b class=visually-hidden>",
                 '<i CLASS = "visually-hidden" lang=ja>', '<b class="visually-hiddenx">', '<b class="Visually-hidden">',
                 '<a title="visually-hidden">', '<a data-class="visually-hidden">', "<b class='v'>", "<svg class=visually-hidden>"]


def test_the_walk_gives_what_the_plain_walk_gives(furigana):
    import random

    rng = random.Random(7)  # the same 3,000 strings of pieces on every run
    for _ in range(3000):
        html = "".join(rng.choice(MARKUP_PIECES) for _ in range(rng.randint(1, 30)))
        assert furigana.annotate(html) == plain_walk(furigana, html), html
    # Rare in the mix: a quote in a tag's name (the name ends where the tag's pattern ends it), an end tag out of order.
    for html in ('<span lang=en><a"b c" lang=ja></a>申請', '<span lang=en><a"b c" lang=ja></a"b>申請',
                 "<div><span lang=en><b>申請</div>申請</b>申請", "<p lang=en><ruby></p>申請",
                 # a raw-text element's end the walk does not read as a tag: the <head> ends at the first </head>
                 '<head><script>a</script "x></head>申請</script></head>被災'):
        assert furigana.annotate(html) == plain_walk(furigana, html), html
    # A skipped element of text, comments, void and raw-text elements only (a page's <head>) is passed over in one
    # match, and left to the walk at anything else: both must end it where the walk of its tags does.
    inside = ["<meta charset='utf-8'>", "<META name=a content='x>y'/>", "<link rel=icon href=\"a>b\">", "<title>申請</title>",
              "<script>var a = '</head>';</script>", "<script src=a.js></script>", "</script x>", '</script "x>',
              "<style>p{}</style>", "<!-- 申請 -->", "<!x>", "申請", "<", "<p>", "</p>", "</div>", "<svg>", "<br/>", "\n"]
    for _ in range(3000):
        html = rng.choice(["<head>", "<HEAD lang=ja>", "<svg>", "<option>", "<span lang=en>"]) + "".join(
            rng.choice(inside) for _ in range(rng.randint(0, 8))) + rng.choice(["</head>", "</svg>", "</option>", "</span>", ""]) + "被災者"
        assert furigana.annotate(html) == plain_walk(furigana, html), html
    page = (ROOT / "site_templates" / "base.html").read_text(encoding="utf-8")  # a real page's markup, jinja and all
    assert furigana.annotate(page) == plain_walk(furigana, page)


# ---------------------------------------------------------------- the switch, in Debian's chromium


def switch_page(folder):
    """A page as the easy site will have it: ruby.js in <head>, the partial in the page, ruby in the text."""
    import shutil

    import jinja2

    templates = ROOT / "site_templates"
    (folder / "static").mkdir(parents=True)
    for name in ("ruby.js", "style.css"):
        shutil.copy(templates / "static" / name, folder / "static" / name)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined, autoescape=True)
    body = env.from_string('<!doctype html><html lang="ja"><head><meta charset="utf-8">'
                           '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'">'
                           '<link rel="stylesheet" href="{{ root }}static/style.css">'
                           '<title>ふりがな</title><script src="{{ root }}static/ruby.js"></script></head>'
                           '<body><main><h1>ふりがな</h1>{% include "_ruby_switch.html" %}<p>{{ text }}</p></main>'
                           '</body></html>')
    page = Furigana({}).annotate(body.render(root="", text="り災証明書を申請してください"))  # as the build will: the page
    (folder / "index.html").write_text(page, encoding="utf-8")


def test_the_switch_hides_the_readings_and_remembers(tmp_path, serve, page):
    switch_page(tmp_path)
    server = serve(tmp_path)
    page.goto(server.url + "index.html")
    button = page.locator("[data-ruby-switch]")
    rt = page.locator("rt").first
    assert button.is_visible() and rt.is_visible()
    assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == "ふりがなを けす"
    button.click()
    assert not rt.is_visible() and button.get_attribute("aria-pressed") == "false"
    assert button.inner_text() == "ふりがなを つける"
    page.reload()
    assert not page.locator("rt").first.is_visible()  # remembered on the device
    assert page.locator("[data-ruby-switch]").inner_text() == "ふりがなを つける"
    page.locator("[data-ruby-switch]").click()
    assert page.locator("rt").first.is_visible()
    assert page.js_errors == []


def test_without_javascript_the_readings_show_and_the_switch_does_not(tmp_path, serve, browser):
    switch_page(tmp_path)
    server = serve(tmp_path)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "index.html")
        assert page.locator("rt").first.is_visible()
        assert not page.locator("[data-ruby-switch]").is_visible()
    finally:
        context.close()


def test_no_axe_violations_either_way(tmp_path, serve, browser):
    from test_navigator_flow import axe_violations

    switch_page(tmp_path)
    server = serve(tmp_path)
    context = browser.new_context(bypass_csp=True)  # axe is an inline script
    try:
        page = context.new_page()
        page.goto(server.url + "index.html")
        assert axe_violations(page) == []
        page.locator("[data-ruby-switch]").click()
        assert axe_violations(page) == []
    finally:
        context.close()
