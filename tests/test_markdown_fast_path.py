"""The Markdown fast path (navigator/site/markdown.simple_html) with links: byte for byte what python-markdown and nh3
give, over the texts departments write (the sample city's and the benchmark's generated ones) and a fuzz of link-like
strings; and links the sanitiser would change or drop are left to the parser."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from navigator.check.validate import validate_folder
from navigator.site.markdown import Markdown, simple_html

REPO = Path(__file__).resolve().parent.parent

LABELS = ["よくある質問", "申請書の様式（PDF）", "市ホームページ", "a", "A b", "記入例", "こちら", "1", "x(y)", 'a"b', "a'b",
          "国の制度", " a", "a ", "a  b", "**a**", "*a*", "a*b", "", "a\nb", "[a]", "a]b", "a[b", "&", "<a>", "_a_", "a!"]
HOSTS = ["www.city.sakura.example.jp", "x.jp", "example-city.jp", "a", "A.B.JP", "1.2.3.4", "999.1.1.1", "x..jp", ".x.jp",
         "-x.jp", "x-.jp", "xn--zz.jp", "x--y.jp", "x.jp:8080", "x.j_p", "x.1jp", "localhost", "", "ｘ.jp", "x.jp."]
PATHS = ["", "/", "/r8gouu/a-1.html", "?a=1&b=2", "/?a=1&amp;b=2", "/&copy;", "/&x", "#top", "/a%E3%81%82", "/a%G1", "/a%",
         "/a;b", "/a b", "/a(b)", "/a)b", "/a*b", "/a_b", "/a~b", "/a'b", '/a"b', "/a<b", "/a,b:c@d+e=f", "/a!b", "/a$b",
         "/a\\b", "/ｘ", " ", "/a/../b", "//x", "/a#b#c", "/あ"]
SCHEMES = ["https://", "http://", "HTTPS://", "Http://", "ftp://", "mailto:", "tel:", "javascript:", "https:/", "https:", ""]
BEFORE = ["", "詳しくは", "- ", "1. ", "**", "!", "\\", "[", "]", "x ", " ", "\n", "a\n\n", "- a\n- ", "# ", "> ", "(", "&", "*"]
GOOD_BEFORE = ["", "詳しくは", "- ", "x ", "a\n\n", "- a\n- ", "**b** ", "**", "\n"]
GOOD_AFTER = ["", "をご覧ください。", "(b)", "\n- b", "\n\n[c](https://x.jp)", "\n\nb", ":", "\nc", "**", "  "]
AFTER = ["", "をご覧ください。", "**", "(b)", ")", "]", " ", "  ", "\n", "\n- b", "\n\n[c](https://x.jp)", "[d]", "\n\nb", ":", "*"]


def _link(rng: random.Random, wild: bool) -> str:
    if not wild:  # well-formed, as departments write them, with the odd host, path or label
        return (f"[{rng.choice(LABELS[:14] + [rng.choice(LABELS)])}](https://{rng.choice(HOSTS[:5] + [rng.choice(HOSTS)])}"
                f"{rng.choice(PATHS[:10] + [rng.choice(PATHS)])})")
    url = rng.choice(SCHEMES) + rng.choice(HOSTS) + rng.choice(PATHS)
    return rng.choice(["[", "[", "[", "!["]) + rng.choice(LABELS) + rng.choice(["](", "](", "](", "] (", "]( "]) + url + \
        rng.choice([")", ")", ")", " )", ' "t")', ""])


def _fuzz_texts(rng: random.Random, count: int) -> list[str]:
    texts = []
    for _ in range(count):
        parts = []
        wild = rng.random() < 0.4
        for _ in range(rng.randint(1, 3)):
            if wild or rng.random() < 0.1:
                parts.append(rng.choice(BEFORE) + _link(rng, True) + rng.choice(AFTER))
            else:
                parts.append(rng.choice(GOOD_BEFORE) + _link(rng, False) + rng.choice(GOOD_AFTER))
        texts.append("".join(parts).strip())
    return texts


def _real_texts() -> list[str]:
    sample = validate_folder(REPO / "sheets").site
    texts = [t for p in sample.programs for t in (p.summary, p.target, p.benefit, p.how_to_apply, p.contact) if t]
    # and as its translators wrote them (English lists often start an item in bold: `- **Up to 3 million yen** …`)
    texts += [text for translations in sample.translations.values() for text, _ in translations.values()]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import sheetset
    finally:
        sys.path.remove(str(REPO / "bench"))
    header = sheetset.headers(sample.questions)
    for n in range(600):
        row = sheetset.program_rows(n, sample, header, sheetset.department_name(n % 7))[0]
        texts += [row[header.index(h)] for h in ("概要", "対象者", "支援内容", "申請方法") if row[header.index(h)]]
    return texts


@pytest.fixture(scope="module")
def parsed():
    return Markdown().parsed


def test_real_texts_with_links_take_the_fast_path_and_give_what_the_parser_gives(parsed):
    texts = _real_texts()
    with_links = [t for t in texts if "](https://" in t]
    assert len(with_links) > 500
    fast = 0
    for text in texts:
        html = simple_html(text)
        if html is not None:
            fast += 1
            assert html == parsed(text), text
    assert sum(simple_html(t) is not None for t in with_links) > len(with_links) * 0.6  # not just never wrong
    assert fast > len(texts) * 0.7


def test_link_like_strings_are_byte_for_byte_what_the_parser_gives(parsed):
    rng = random.Random(20261202)
    texts = _fuzz_texts(rng, 20000)
    fast = 0
    for text in texts:
        html = simple_html(text)
        if html is not None:
            fast += 1
            assert html == parsed(text), text
    assert fast > len(texts) * 0.05  # the fast path is taken (about 8%), not just never wrong


@pytest.mark.parametrize("text", [
    "[a](https://)", "[a](javascript:alert(1))", "![a](https://x.jp/a.png)", "[a](https://x.jp/&copy;)",
    "[a](https://x.jp \"t\")", "[a](<https://x.jp>)", "[a][b]\n\n[b]: https://x.jp", "\ue000[a](https://x.jp)",
    "[a](https://999.1.1.1)", "[a](https://xn--zz.jp)", "[_a_](https://x.jp)", "[a](https://x.jp/a_b)",
])
def test_links_the_parser_or_sanitiser_treat_otherwise_are_left_to_them(text):
    assert simple_html(text) is None


LIST_LINES = ["- 項目", "- **500万円**", "- [様式](https://x.jp/a.pdf)", "- a", "続きの行", "**太字**の行", "x", "- ", "-",
              "- - 入れ子", "  - 字下げ", "1. 番号", "* 星", "+ 足す", "- a  ", " 先頭の空白", "- 全壊：10万円", "# 見出し",
              "> 引用", "---", "===", "- **a", "b**", "\u3000全角空白", "- x*y", "(a)"]
SEPARATORS = ["\n", "\n", "\n", "\n\n", "\n\n", "\n\n\n", "\n \n"]


def test_paragraphs_and_lists_in_any_order_are_byte_for_byte_what_the_parser_gives(parsed):
    """Lists after lists (one loose list), lines that continue an item, paragraphs in between."""
    rng = random.Random(20261203)
    fast = 0
    texts = []
    for _ in range(15000):
        easy = rng.random() < 0.7  # as departments write them; else with the odd line the parser must see
        lines, separators = (LIST_LINES[:7], SEPARATORS[:-1]) if easy else (LIST_LINES, SEPARATORS)
        text = rng.choice(lines)
        for _ in range(rng.randint(1, 7)):
            text += rng.choice(separators) + rng.choice(lines)
        texts.append(text.strip())
    for text in texts:
        html = simple_html(text)
        if html is not None:
            fast += 1
            assert html == parsed(text), text
    assert fast > len(texts) * 0.15  # about 24%: a list right after a paragraph line is left to the parser


@pytest.mark.parametrize("text", [
    "- **Up to 3 million yen** for a destroyed home", "- **a**", "- **a** b\n- **c**", "- ** a**", "- **a **", "- *a*",
    "- * a", "- **", "- ***a***", "- **a**b**c**", "- **a\nb**", "a\n- **b**", "- x\n\n- **y** z", "-  **a**", "- **a*",
])
def test_a_list_item_starting_in_bold_is_what_the_parser_makes_of_it(parsed, text):
    html = simple_html(text)
    assert html is None or html == parsed(text), (text, html, parsed(text))


CELLS = ["", "建設・購入", "200万円", "**200万円**", "賃借（公営住宅以外）", "37万5千円", "補修", "a", " ", "  ", "\u3000", "-",
         "- 項目", "1. ", "**", "*", "|", "&", "<b>", "`x`", "\\|", "#", ":", "---", "x y", "**a** b", "😀"]
SEPARATORS = ["---", " --- ", ":--", "--:", ":-:", "-", " - ", "", ":", " ", "-- -", "=", "x"]


def _table(rng: random.Random) -> str:
    """A table as a department might type one, or almost: odd cells, rows short or long, odd separators, a stray line."""
    columns = rng.randint(1, 4)

    def cell() -> str:
        text = "".join(rng.choice(CELLS) for _ in range(rng.randint(0, 2)))
        return rng.choice(["", " "]) + (_link(rng, False) if rng.random() < 0.1 else text) + rng.choice(["", " "])

    def row(cells: int) -> str:
        return "|" + "|".join(cell() for _ in range(cells)) + "|"

    separator = "|" + "|".join(rng.choice(SEPARATORS) for _ in range(columns + rng.choice([0, 0, 0, 0, 1, -1]))) + "|"
    lines = [row(columns), separator] + [row(columns + rng.choice([0, 0, 0, -1, 1])) for _ in range(rng.randint(0, 4))]
    if rng.random() < 0.1:
        lines.insert(rng.randint(0, len(lines)), rng.choice(["いったん", "- a", "a | b", "", " | x |"]))
    if rng.random() < 0.05:
        lines[rng.randrange(len(lines))] = rng.choice([" ", "\u3000", ""]) + lines[0] + rng.choice([" ", "\t", ""])
    return "\n".join(lines)


def test_tables_between_paragraphs_and_lists_are_byte_for_byte_what_the_parser_gives(parsed):
    """The sample city's tables (of 被災者生活再建支援金) take the fast path; made-up tables, before and after the
    texts departments write, give what the tables extension and nh3 give, or are left to them."""
    texts = _real_texts()
    tables = [t for t in texts if "|" in t]
    assert tables and all(simple_html(t) == parsed(t) for t in tables)
    rng = random.Random(20261207)
    fast = 0
    for _ in range(4000):
        blocks = [_table(rng) if rng.random() < 0.5 else rng.choice(texts) for _ in range(rng.randint(1, 3))]
        text = rng.choice(["\n\n", "\n", "\n\n\n"]).join(blocks).strip()
        html = simple_html(text)
        if html is not None:
            fast += 1
            assert html == parsed(text), text
    assert fast > 1000  # the fast path is taken, not just never wrong
