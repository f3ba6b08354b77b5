"""`navigator check FILE.xlsx`: one department checks its own workbook before sending it."""

from __future__ import annotations

import json
import shutil

import pytest
from clirun import run
from sheetmaker import PROGRAMS, program_row, write_department, write_workbook

from navigator.check.validate import validate_folder, validate_workbook

CLEAN = "問題はありません。制度 4件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2\n"
BAD_CATEGORY = ("[エラー] 福祉課.xlsx / 制度 / C7: 分類「すまい」は common.xlsx の分類シートにありません。"
                "「生活再建」「住まい」「子育て・教育」 のどれかにしてください（もしかして「住まい」？）。")


def test_a_clean_workbook_beside_common_xlsx(capsys, sheets):
    code, out, err = run(capsys, "check", str(sheets / "福祉課.xlsx"))
    assert (code, out, err) == (0, CLEAN, "")


def test_only_the_given_workbook_is_checked(capsys, sheets):
    write_department(sheets, programs=PROGRAMS + [program_row("a", "分類違い", category="すまい")])
    # Another department's mistakes (and its use of the same 制度ID) are not this department's business.
    write_department(sheets, name="住宅課.xlsx", programs=[program_row("shien-kin", "印違い", **{"住家被害:全壊": "△"})])
    code, out, _ = run(capsys, "check", str(sheets / "福祉課.xlsx"))
    assert code == 1
    assert out.splitlines() == [
        BAD_CATEGORY,
        "エラー 1件、警告 0件。制度 5件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 1。部署 1・ブック 2",
    ]


def test_problems_are_the_same_as_in_the_folder_check(sheets):
    write_department(sheets, programs=PROGRAMS + [program_row("a", "分類違い", category="すまい"),
                                                  program_row("a", "重複", category="住まい")])
    alone = validate_workbook(sheets / "福祉課.xlsx", sheets / "common.xlsx")
    assert alone.report.problems == validate_folder(sheets).report.problems
    assert len(alone.report.errors) == 2


def test_the_model_holds_that_departments_programs(sheets):
    validation = validate_workbook(sheets / "福祉課.xlsx", sheets / "common.xlsx")
    assert validation.site is not None
    assert [p.id for p in validation.site.programs] == ["shien-kin", "risai", "kasetsu"]
    assert [p.id for p in validation.site.unpublished] == ["old"]
    assert [d.name for d in validation.site.departments] == ["福祉課"]


def test_common_xlsx_given_elsewhere(capsys, sheets, tmp_path):
    mine = tmp_path / "送る前"
    mine.mkdir()
    shutil.copy(sheets / "福祉課.xlsx", mine)
    code, out, _ = run(capsys, "check", str(mine / "福祉課.xlsx"), "--common", str(sheets / "common.xlsx"))
    assert (code, out) == (0, CLEAN)
    # A folder holding common.xlsx is accepted too.
    code, out, _ = run(capsys, "check", str(mine / "福祉課.xlsx"), "--common", str(sheets))
    assert (code, out) == (0, CLEAN)


def test_mistakes_in_common_xlsx_are_shown_too(capsys, sheets):
    write_workbook(sheets / "common.xlsx", {"設定": [["項目", "値"], ["サイト名", "x"], ["自治体名", "y"]]})
    code, out, _ = run(capsys, "check", str(sheets / "福祉課.xlsx"))
    assert code == 1
    assert out.splitlines()[:2] == [
        "[エラー] common.xlsx: シート「質問」がありません。シートを追加するか、シート名を「質問」に直してください。",
        "[エラー] common.xlsx: シート「分類」がありません。シートを追加するか、シート名を「分類」に直してください。",
    ]


def test_checking_common_xlsx_itself_checks_only_it(capsys, sheets):
    write_department(sheets, programs=[program_row("a", "分類違い", category="すまい")])
    code, out, _ = run(capsys, "check", str(sheets / "common.xlsx"))
    assert (code, out) == (0, "問題はありません。制度 0件を読み込み: 公開 0、非公開（公開=×）0、エラーで除外 0。部署 0・ブック 1\n")


def test_json_for_one_workbook(capsys, sheets):
    write_department(sheets, programs=PROGRAMS + [program_row("a", "分類違い", category="すまい")])
    code, out, _ = run(capsys, "check", str(sheets / "福祉課.xlsx"), "--format", "json")
    assert code == 1
    assert [(p["file"], p["cell"], p["code"]) for p in json.loads(out)] == [("福祉課.xlsx", "C7", "unknown-category")]


def test_a_broken_workbook_is_a_sheet_problem(capsys, sheets):
    (sheets / "壊れた.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run(capsys, "check", str(sheets / "壊れた.xlsx"))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == ("[エラー] 壊れた.xlsx: ブックが壊れていて読めません。Excel で開けるか確かめ、"
                                   "「名前を付けて保存」で .xlsx として保存し直してください。")


def test_an_xlsm_workbook_is_accepted(capsys, sheets):
    shutil.copy(sheets / "福祉課.xlsx", sheets / "マクロ課.xlsm")
    code, out, _ = run(capsys, "check", str(sheets / "マクロ課.xlsm"))
    assert (code, out) == (0, CLEAN)


def test_without_common_xlsx_beside_it_is_a_usage_error(capsys, sheets, tmp_path):
    lonely = tmp_path / "福祉課.xlsx"
    shutil.copy(sheets / "福祉課.xlsx", lonely)
    code, out, err = run(capsys, "check", str(lonely))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "エラー: ブック「福祉課.xlsx」と同じフォルダに common.xlsx がありません。--common で common.xlsx の場所を指定してください"
        "（例: navigator check 福祉課.xlsx --common sheets/common.xlsx）。",
        "使い方は「navigator check --help」で確認できます。",
    ]


@pytest.mark.parametrize("args, message", [
    (["check", "{sheets}/ない.xlsx"], "エラー: ブック「{sheets}/ない.xlsx」がありません。ファイルの場所を確かめてください。"),
    (["check", "{sheets}/メモ.txt"],
     "エラー: 「{sheets}/メモ.txt」は Excel のブック（.xlsx / .xlsm）ではありません。確認するブックか、ブックの入ったフォルダを指定してください。"),
    (["check", "{sheets}/古い.xls"],
     "エラー: 「{sheets}/古い.xls」は Excel のブック（.xlsx / .xlsm）ではありません。確認するブックか、ブックの入ったフォルダを指定してください。"),
    (["check", "{sheets}/福祉課.xlsx", "--common", "{sheets}/ない.xlsx"],
     "エラー: --common のブック「{sheets}/ない.xlsx」がありません。ファイルの場所を確かめてください。"),
    (["check", "{sheets}/福祉課.xlsx", "--common", "{sheets}/メモ.txt"],
     "エラー: --common の「{sheets}/メモ.txt」は Excel のブック（.xlsx / .xlsm）ではありません。"),
    (["check", "{sheets}", "--common", "{sheets}/common.xlsx"],
     "エラー: --common は1つのブック（FILE.xlsx）を確認するときだけ使えます。フォルダを確認するときは、そのフォルダの common.xlsx を使います。"),
    (["check", "{sheets}/ない"], "エラー: シートのフォルダ「{sheets}/ない」がありません。フォルダの場所を確かめてください。"),
])
def test_wrong_files_are_usage_errors(capsys, sheets, args, message):
    (sheets / "メモ.txt").write_text("memo", encoding="utf-8")
    (sheets / "古い.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    code, out, err = run(capsys, *(a.format(sheets=sheets) for a in args))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == message.format(sheets=sheets)


def test_the_original_is_not_touched(capsys, sheets):
    before = (sheets / "福祉課.xlsx").read_bytes()
    run(capsys, "check", str(sheets / "福祉課.xlsx"))
    assert (sheets / "福祉課.xlsx").read_bytes() == before


def test_a_zero_or_false_in_a_condition_cell_is_read_not_skipped(tmp_path, sheets):
    """Empty condition cells are skipped without looking at each (check/department.py); a 0 or a FALSE is not empty:
    a 0 under a number question is a range (exactly 0); a FALSE under a choice reads as no mark, as a 0 does."""
    folder = tmp_path / "city"
    shutil.copytree(sheets, folder)
    write_department(folder, programs=[program_row("zero", "ゼロの制度", **{"世帯人数": 0}),
                                       program_row("false", "偽の制度", **{"住家被害:全壊": False, "住家被害:半壊": "○"})])
    validation = validate_folder(folder)
    programs = {p.id: p for p in validation.site.programs} if validation.site else {}
    problems = [p for p in validation.report.problems if p.file == "福祉課.xlsx"]
    assert problems == []
    assert validation.site is not None
    (zero,) = programs["zero"].condition_rows[0].requirements
    assert zero.question_id == "世帯人数" and zero.range is not None
    assert [r.choices for r in programs["false"].condition_rows[0].requirements] == [("半壊",)]
