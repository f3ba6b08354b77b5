"""The やさしい日本語 review (navigator/tooling/easy_review.py, in `navigator check --review`): each rule with a text it
flags and one it leaves alone, and the finding naming the 翻訳_easy.xlsx cell."""

from __future__ import annotations

import dataclasses

import pytest
from clirun import run
from sheetmaker import small_city
from test_translate import city, fill, rows_of

from navigator.check.validate import validate_folder
from navigator.model import Term
from navigator.tooling.easy_review import MAX_SENTENCE, easy_findings, sentence_length, sentences

pytest.importorskip("sudachipy")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return validate_folder(small_city(tmp_path_factory.mktemp("easy") / "sheets")).site


def findings(site, text: str, terms=()):
    easy = dataclasses.replace(site, translations={"easy": {"制度/x/概要": (text, "確認済み")}}, terms=tuple(terms))
    return [(f.rule, f.message) for f in easy_findings(easy, {"制度/x/概要": "翻訳_easy.xlsx / 翻訳 / C5"})]


def rules(site, text: str, terms=()) -> list[str]:
    return [rule for rule, _ in findings(site, text, terms)]


def test_a_long_sentence(site):
    long = "この" + "お金は、家が こわれた 人が もらう ことが できる お金で、" * 2 + "市役所で もらえます。"
    assert sentence_length(long) > MAX_SENTENCE
    assert rules(site, long) == ["長い文"]
    assert "字まで" in findings(site, long)[0][1]
    assert rules(site, "家が こわれた 人は、お金を もらう ことが できます。 市役所に 来て ください。") == []


def test_sentences_leave_markdown_and_addresses_out():
    assert sentences("- **申請**は https://example.jp/a/b/c/d/e/f から。\n2つめ！ 3つめ") == ["申請は から。", "2つめ！", "3つめ"]


@pytest.mark.parametrize("text", ["もらえないことはないです。", "行けなくはない。", "使えないわけではありません。",
                                  "もらえないとは限りません。", "出さざるを得ない。"])
def test_double_negatives(site, text):
    assert rules(site, text) == ["二重否定"]


def test_a_single_negative_is_fine(site):
    assert rules(site, "お金は もらえません。 ここには ないです。") == []


@pytest.mark.parametrize("text", ["市役所に いらっしゃって ください。", "ご覧ください。", "書類を いただきます。",
                                  "お願い申し上げます。", "受付を いたします。", "窓口が ございます。", "お書きください。"])
def test_honorific_and_humble_forms(site, text):
    assert "敬語" in rules(site, text)


def test_plain_polite_forms_are_fine(site):
    assert rules(site, "市役所に 来て ください。 書類を 申し込みます。 窓口が あります。") == []


def test_a_word_the_analyser_cannot_read_needs_a_reading_in_yougo(site):
    assert [m for rule, m in findings(site, "丗の 窓口に 来て ください。") if rule == "読み"] == [
        "「丗」の読みが分からないため、ルビが付きません。common.xlsx の用語シートに「丗」と その読み（ひらがな）を書くか、"
        "ひらがなで書いてください。"]
    assert rules(site, "丗の 窓口に 来て ください。", [Term("丗", "せい")]) == []


def test_check_review_names_the_cell(tmp_path, capsys):
    folder = city(tmp_path, "easy")
    assert run(capsys, "translate", "easy", "--sheets", str(folder))[0] == 0
    path = folder / "翻訳_easy.xlsx"
    place = next(p for p in rows_of(path) if p.startswith("制度/"))
    fill(path, {place: ("お金を もらえないことはないです。", "確認済み")})
    code, out, _ = run(capsys, "check", str(folder), "--review")
    assert code == 0, out
    row = rows_of(path)[place]["row"]
    assert f"  翻訳_easy.xlsx / 翻訳 / C{row}: 二重否定「ないことはない」があります。" in out
    assert "■ やさしい日本語（翻訳_easy.xlsx）" in out


def test_no_easy_translation_no_section(tmp_path, capsys):
    code, out, _ = run(capsys, "check", str(city(tmp_path, "en")), "--review")
    assert "やさしい日本語" not in out
