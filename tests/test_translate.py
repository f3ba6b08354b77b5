"""Translation workbooks (issue 18, items 1-2): `navigator translate CODE` writes and refreshes 翻訳_<code>.xlsx,
and `navigator check` reads them back: what counts, what is stale (with its cell), what is missing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
from clirun import run
from sheetmaker import (
    CATEGORIES,
    PROGRAMS,
    QUESTION_HEADERS,
    QUESTIONS,
    SETTINGS,
    small_city,
    write_department,
    write_workbook,
)

from navigator.check.translations import site_texts
from navigator.check.validate import validate_folder
from navigator.contract.sheets import DELETED_TRANSLATIONS_SHEET

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [
    ["書類名", "説明", "入手先", "発行する制度"],
    ["り災証明書", "住まいの被害の程度を証明する書類です。", "市役所 税務課", "risai"],
    ["預金通帳の写し", "", "お手元の通帳", ""],
]


def city(tmp_path: Path, languages: str = "en") -> Path:
    """small_city with a 書類 sheet, and 設定's 言語."""
    folder = small_city(tmp_path / "sheets")
    write_workbook(folder / "common.xlsx", {
        "設定": SETTINGS + [["言語", languages]],
        "質問": [QUESTION_HEADERS] + QUESTIONS,
        "分類": CATEGORIES,
        "書類": DOCUMENTS,
    })
    return folder


def rows_of(path: Path, sheet: str = "翻訳") -> dict[str, dict]:
    """場所 → {header: value, "row": Excel's row number}."""
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return {row[0].value: {**{h: c.value for h, c in zip(headers, row)}, "row": row[0].row}
            for row in ws.iter_rows(min_row=2) if row[0].value}


def fill(path: Path, translations: dict[str, tuple[str, str]]) -> None:
    """A translator writes 訳 and 状態, in Excel (openpyxl here)."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook["翻訳"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in translations:
            row[2].value, row[3].value = translations[row[0].value]
    workbook.save(path)


def test_round_trip(tmp_path, capsys):
    folder = city(tmp_path)
    code, out, _ = run(capsys, "translate", "en", "--sheets", str(folder))
    path = folder / "翻訳_en.xlsx"
    assert code == 0 and "を作りました" in out and path.exists()
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["記入方法", "翻訳", DELETED_TRANSLATIONS_SHEET]
    assert [c.value for c in workbook["翻訳"][1]][:4] == ["場所", "原文", "訳", "状態"]
    (states,) = [v for v in workbook["翻訳"].data_validations.dataValidation if v.type == "list"]
    assert states.formula1 == '"確認済み,機械翻訳"' and states.allow_blank
    assert "English" in "".join(str(c.value) for c in workbook["記入方法"]["A"] if c.value)
    texts = site_texts(validate_folder(folder).site)
    rows = rows_of(path)
    assert list(rows) == list(texts)
    assert rows["制度/shien-kin/概要"]["原文"] == "生活再建支援金の概要です。"

    fill(path, {"制度/risai/制度名": ("Disaster certificate", "確認済み"),
                "制度/shien-kin/概要": ("Support money for rebuilding.", "確認済み"),
                "質問/住家被害/質問文": ("How badly was your home damaged?", "機械翻訳"),
                "分類/住まい/分類名": ("Housing", "")})  # no 状態: not yet a translation
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0
    missing = len(texts) - 3
    assert f"翻訳 en（英語）: 確認済み 2件、機械翻訳 1件、未翻訳 {missing}件、原文が変わった 0件" in out
    site = validate_folder(folder).site
    assert site.translations == {"en": {"制度/risai/制度名": ("Disaster certificate", "確認済み"),
                                        "制度/shien-kin/概要": ("Support money for rebuilding.", "確認済み"),
                                        "質問/住家被害/質問文": ("How badly was your home damaged?", "機械翻訳")}}

    # A department changes one Japanese text.
    changed = [dict(p) for p in PROGRAMS]
    changed[0]["概要"] = "住まいを再建する世帯への支援金です。"
    write_department(folder, programs=changed)
    code, out, _ = run(capsys, "translate", "en", "--sheets", str(folder))
    assert code == 0 and "日本語が変わった（要確認）1件" in out and "バックアップ" in out
    assert len(list((folder / "バックアップ").glob("翻訳_en.bak-*.xlsx"))) == 1
    after = rows_of(path)
    flagged = {place for place, row in after.items() if row["以前の原文"]}
    assert flagged == {"制度/shien-kin/概要"}
    row = after["制度/shien-kin/概要"]
    assert (row["原文"], row["以前の原文"], row["訳"], row["状態"]) == (
        "住まいを再建する世帯への支援金です。", "生活再建支援金の概要です。", "Support money for rebuilding.", "確認済み")
    ws = openpyxl.load_workbook(path)["翻訳"]
    assert ws.cell(row["row"], 1).fill.fgColor.rgb.endswith("FFF2CC")  # the row is marked 要確認
    assert ws.cell(row["row"], 3).comment is not None
    assert {p: r["訳"] for p, r in after.items() if r["訳"]} == {  # every 訳 kept, the one without 状態 too
        "制度/risai/制度名": "Disaster certificate", "制度/shien-kin/概要": "Support money for rebuilding.",
        "質問/住家被害/質問文": "How badly was your home damaged?", "分類/住まい/分類名": "Housing"}

    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0
    problems = validate_folder(folder).report.problems
    assert [(p.code, p.file, p.sheet, p.cell) for p in problems] == [
        ("stale-translation", "翻訳_en.xlsx", "翻訳", f"C{row['row']}")]
    assert f"翻訳_en.xlsx / 翻訳 / C{row['row']}" in out
    assert f"翻訳 en（英語）: 確認済み 1件、機械翻訳 1件、未翻訳 {missing}件、原文が変わった 1件" in out
    assert "制度/shien-kin/概要" not in validate_folder(folder).site.translations["en"]

    # The translator updates the 訳 and empties 以前の原文: it counts again.
    workbook = openpyxl.load_workbook(path)
    workbook["翻訳"].cell(row["row"], 3).value = "Support money for households rebuilding their home."
    workbook["翻訳"].cell(row["row"], 5).value = None
    workbook.save(path)
    validation = validate_folder(folder)
    assert validation.report.problems == []
    assert validation.site.translations["en"]["制度/shien-kin/概要"] == (
        "Support money for households rebuilding their home.", "確認済み")


def test_translate_again_without_changes_writes_nothing(tmp_path, capsys):
    folder = city(tmp_path)
    run(capsys, "translate", "en", "--sheets", str(folder))
    code, out, _ = run(capsys, "translate", "en", "--sheets", str(folder))
    assert code == 0 and "書き換えていません" in out
    assert not (folder / "バックアップ").exists()


def test_a_text_that_disappears_keeps_its_translation(tmp_path, capsys):
    folder = city(tmp_path)
    run(capsys, "translate", "en", "--sheets", str(folder))
    path = folder / "翻訳_en.xlsx"
    fill(path, {"制度/kasetsu/制度名": ("Temporary housing", "確認済み")})
    write_department(folder, programs=[p for p in PROGRAMS if p["制度ID"] != "kasetsu"])
    code, out, _ = run(capsys, "translate", "en", "--sheets", str(folder))
    assert code == 0 and "1件は「削除された原文」シートに残しています" in out
    assert "制度/kasetsu/制度名" not in rows_of(path)
    gone = rows_of(path, DELETED_TRANSLATIONS_SHEET)["制度/kasetsu/制度名"]
    assert (gone["原文"], gone["訳"], gone["状態"]) == ("応急仮設住宅", "Temporary housing", "確認済み")
    assert gone["削除した日"]
    # The program comes back: so does its 訳.
    write_department(folder)
    run(capsys, "translate", "en", "--sheets", str(folder))
    assert rows_of(path)["制度/kasetsu/制度名"]["訳"] == "Temporary housing"
    assert rows_of(path, DELETED_TRANSLATIONS_SHEET) == {}
    assert validate_folder(folder).site.translations["en"]["制度/kasetsu/制度名"] == ("Temporary housing", "確認済み")


def test_unknown_code(tmp_path, capsys):
    folder = city(tmp_path)
    code, _, err = run(capsys, "translate", "english", "--sheets", str(folder))
    assert code == 2
    assert "言語コード「english」はありません" in err
    assert all(c in err for c in ("easy（やさしい日本語）", "en（英語）", "zh-Hans", "zh-Hant", "ko", "vi", "tl", "pt",
                                  "ne", "id", "my", "th", "es"))
    assert not list(folder.glob("翻訳_*"))


def test_a_translation_file_is_not_read_as_a_department(tmp_path, capsys):
    folder = city(tmp_path)
    run(capsys, "translate", "en", "--sheets", str(folder))
    validation = validate_folder(folder)
    assert validation.report.problems == []
    assert validation.accounting.departments == 1
    assert [d.file for d in validation.site.departments] == ["福祉課.xlsx"]
    # One named for a language that does not exist: an error naming the codes, never a department either.
    shutil.copy(folder / "翻訳_en.xlsx", folder / "翻訳_english.xlsx")
    validation = validate_folder(folder)
    (problem,) = validation.report.problems
    assert (problem.code, problem.file) == ("unknown-language-file", "翻訳_english.xlsx")
    assert "「english」" in problem.message and "zh-Hans（中国語（簡体字））" in problem.message
    assert validation.accounting.departments == 1


def test_a_language_without_a_file_is_all_missing(tmp_path, capsys):
    folder = city(tmp_path, languages="en\nvi")
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0
    count = len(site_texts(validate_folder(folder).site))
    assert (f"翻訳 vi（ベトナム語）: 確認済み 0件、機械翻訳 0件、未翻訳 {count}件、原文が変わった 0件"
            "（翻訳_vi.xlsx がありません。navigator translate vi で作れます）") in out
    assert validate_folder(folder).site.translations == {"en": {}, "vi": {}}


def test_every_text_kind_is_in_the_workbook(tmp_path, capsys):
    folder = city(tmp_path)
    run(capsys, "translate", "en", "--sheets", str(folder))
    rows = rows_of(folder / "翻訳_en.xlsx")
    assert {place.split("/")[0] for place in rows} == {"制度", "質問", "選択肢", "分類", "設定", "部署", "書類"}
    expected = {
        "設定/サイト名": "テスト市 被災者支援ナビ",
        "質問/住家被害/質問文": "住まいの被害の程度は？",
        "質問/住家被害/補足説明": "り災証明書の判定です。",
        "質問/世帯人数/単位": "人",
        "選択肢/住家被害/大規模半壊": "大規模半壊",
        "分類/生活再建/分類名": "生活再建",
        "分類/生活再建/説明": "給付金など",
        "部署/福祉課.xlsx/部署名": "福祉課",
        "部署/福祉課.xlsx/窓口": "市役所本庁舎1階 平日8時30分〜17時15分",
        "制度/shien-kin/支援内容": "最大300万円",
        "制度/shien-kin/必要書類": "り災証明書\n預金通帳の写し",
        "制度/risai/申請期限": "随時",
        "書類/り災証明書/説明": "住まいの被害の程度を証明する書類です。",
        "書類/り災証明書/入手先": "市役所 税務課",
    }
    assert {place: rows[place]["原文"] for place in expected} == expected
    # Not shown to residents, or not text to translate: none of these.
    for place in ("設定/お知らせ", "設定/言語", "分類/子育て・教育/説明", "制度/shien-kin/申請期限", "制度/old/制度名",
                  "部署/福祉課.xlsx/電話番号", "制度/kasetsu/備考"):
        assert place not in rows


def test_the_sample_city_publishes_easy_and_english_whole_and_vietnamese_half(tmp_path, capsys):
    folder = tmp_path / "sheets"
    shutil.copytree(ROOT / "sheets", folder)
    before = (folder / "翻訳_easy.xlsx").read_bytes()
    code, out, _ = run(capsys, "translate", "easy", "--sheets", str(folder))
    assert code == 0 and (folder / "翻訳_easy.xlsx").read_bytes() == before  # nothing to refresh: the sample is current
    rows = rows_of(folder / "翻訳_easy.xlsx")
    assert {place.split("/")[0] for place in rows} == {"制度", "質問", "選択肢", "分類", "設定", "部署", "書類"}
    code, out, _ = run(capsys, "check", str(folder))
    assert f"翻訳 easy（やさしい日本語）: 確認済み {len(rows)}件、機械翻訳 0件、未翻訳 0件、原文が変わった 0件" in out
    assert f"翻訳 en（英語）: 確認済み {len(rows)}件、機械翻訳 0件、未翻訳 0件、原文が変わった 0件" in out
    vietnamese = re.search(r"翻訳 vi（ベトナム語）: 確認済み (\d+)件、機械翻訳 (\d+)件、未翻訳 (\d+)件、原文が変わった 0件", out)
    confirmed, machine, missing = map(int, vietnamese.groups())
    assert confirmed and machine and missing and confirmed + machine + missing == len(rows)


def test_checking_a_translation_workbook_alone_says_to_check_the_folder(tmp_path, capsys):
    folder = city(tmp_path)
    run(capsys, "translate", "en", "--sheets", str(folder))
    code, _, err = run(capsys, "check", str(folder / "翻訳_en.xlsx"))
    assert code == 2 and "翻訳のブックです" in err


def test_same_text_compares_after_normalisation():
    from navigator.check.translations import same_text

    assert same_text("２人以上\r\nです ", "2人以上\nです")
    assert not same_text("段落1\n\n段落2", "段落1\n段落2")  # Markdown: a paragraph is not a line break


def test_a_translation_sheet_reads_the_same_whether_its_cells_are_values_or_may_hold_formulas():
    """翻訳 rows are read straight from the sheet's values when no cell holds a formula without a value (the
    common case: thousands of rows), cell by cell otherwise: the same rows either way, cells included."""
    from navigator.check.translations import TranslationReader
    from navigator.contract.problems import Report
    from navigator.read.workbook import read_workbook

    for code in ("easy", "en", "vi"):
        workbook = read_workbook(Path(__file__).resolve().parent.parent / "sheets" / f"翻訳_{code}.xlsx", ("翻訳",))
        as_values = TranslationReader(workbook, Report()).rows()
        (sheet,) = workbook.sheets.values()
        sheet.unsaved_formulas = {"Z1"}  # a formula somewhere: each cell is looked at on its own
        cell_by_cell = TranslationReader(workbook, Report()).rows()
        assert as_values and as_values == cell_by_cell
        assert all(row.cell.startswith("C") and row.state_cell.startswith("D") for row in as_values.values())
