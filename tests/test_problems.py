"""One example per mistake a department can make, and exactly what the tool says about it.

Each test starts from the valid `small_city`, makes one mistake the way a person editing the
workbook would, and pins the whole problem: code, file, sheet, cell and the message as the
department staff will read it (docs/sheet-format.md, "What is an error").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path

import openpyxl
import pytest
from sheetmaker import (
    CATEGORIES,
    DEPARTMENT,
    PROGRAM_HEADERS,
    PROGRAMS,
    QUESTION_HEADERS,
    QUESTIONS,
    SETTINGS,
    program_row,
    small_city,
    write_common,
    write_department,
    write_workbook,
)

from navigator.check.validate import validate_folder
from navigator.contract import problem_kinds as kinds
from navigator.contract.problem_kinds import KINDS
from navigator.contract.problems import PROBLEMS_PER_WORKBOOK, Report
from navigator.tooling import guide

ROOT = Path(__file__).resolve().parent.parent

# Where things are in the workbooks small_city writes (Excel's names).
# 制度: A 制度ID, B 制度名, C 分類, D 概要, ... K オンライン申請URL, L 詳細URL, M 公開, N 備考,
#       O 住家被害:全壊, P 住家被害:大規模半壊, Q 住家被害:半壊, R 世帯人数.
# Rows 2 shien-kin, 3 its または row, 4 risai, 5 kasetsu, 6 old (公開 ×).
# 質問: A 質問ID, B 質問文, C 補足説明, D 回答形式, E 選択肢, F 単位, G 表示条件.
# Rows 2 住家被害, 3 再建方法, 4 世帯人数, 5 世帯の状況, 6 事業.
CHOICES = "「全壊」「大規模半壊」「半壊」「一部損壊」「被害なし」"
CATEGORY_NAMES = "「生活再建」「住まい」「子育て・教育」"


def problems(folder: Path) -> list[dict]:
    return [p.as_dict() for p in validate_folder(folder).report.problems]


def error(code: str, message: str, file: str | None = "福祉課.xlsx", sheet: str | None = "制度",
          cell: str | None = None) -> dict:
    return {"severity": KINDS[code].severity, "code": code, "file": file, "sheet": sheet, "cell": cell,
            "message": message}


def changed_program(index: int, **cells) -> list[dict]:
    """small_city's programs with cells of one row changed (None empties a cell)."""
    rows = [dict(row) for row in PROGRAMS]
    rows[index].update(cells)
    return rows


def changed_question(index: int, **cells) -> list[list]:
    """small_city's questions with cells of one row changed, by header."""
    headers = ["質問ID", "質問文", "補足説明", "回答形式", "選択肢", "単位", "表示条件"]
    rows = [list(row) for row in QUESTIONS]
    for header, value in cells.items():
        rows[index][headers.index(header)] = value
    return rows


def city(tmp_path: Path) -> Path:
    return small_city(tmp_path / "sheets")


def test_small_city_has_no_problems(tmp_path):
    """The starting point of every test below is clean: each problem comes from the one change."""
    validation = validate_folder(city(tmp_path))
    assert validation.report.problems == []
    assert validation.site is not None


# ---------------------------------------------------------------- files


def test_no_common_workbook(tmp_path):
    """Without common.xlsx nothing can be checked against the questions: one clear error."""
    folder = city(tmp_path)
    (folder / "common.xlsx").unlink()
    assert problems(folder) == [error(
        "no-common-workbook",
        f"フォルダ「{folder}」に common.xlsx がありません。設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください。",
        file=None, sheet=None)]


@pytest.mark.parametrize("content", [b"\x00\x01\x02\xff" * 100, "制度の一覧です".encode("utf-8")],
                         ids=["random-bytes", "text"])
def test_file_that_is_not_a_workbook(tmp_path, content):
    """A file named .xlsx that is not a workbook at all (renamed text, a download gone wrong)."""
    folder = city(tmp_path)
    (folder / "x.xlsx").write_bytes(content)
    assert problems(folder) == [error(
        "unreadable-workbook",
        "Excel のブック（.xlsx）として読めません。Excel で開き、「名前を付けて保存」で .xlsx 形式を選んで保存し直してください。",
        file="x.xlsx", sheet=None)]


def test_truncated_workbook_is_corrupt(tmp_path):
    """A workbook cut short (a copy interrupted half-way) is a corrupt workbook, not 'not a workbook'."""
    folder = city(tmp_path)
    whole = (folder / "福祉課.xlsx").read_bytes()
    (folder / "福祉課.xlsx").write_bytes(whole[: len(whole) // 2])
    assert problems(folder) == [error(
        "corrupt-workbook",
        "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。",
        sheet=None)]


def test_password_protected_workbook(tmp_path):
    """Excel saves a password-protected .xlsx as an OLE compound file (D0 CF 11 E0 ...)."""
    folder = city(tmp_path)
    (folder / "福祉課.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    assert problems(folder) == [error(
        "password-protected",
        "パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。",
        sheet=None)]


def test_workbook_in_another_format(tmp_path):
    """An .xls (or .ods, .csv) is never skipped silently: its programs would be missing from the site."""
    folder = city(tmp_path)
    (folder / "防災課.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert problems(folder) == [error(
        "unsupported-format",
        "Excel 97-2003 形式（.xls）のファイルです。Excel 97-2003 形式（.xls）のファイルは読みません。"
        "Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してください。",
        file="防災課.xls", sheet=None)]


def test_empty_file(tmp_path):
    folder = city(tmp_path)
    (folder / "福祉課.xlsx").write_bytes(b"")
    assert problems(folder) == [error(
        "empty-file",
        "ファイルの中身が空です（0 バイト）。コピーや保存が途中で止まったファイルです。元のブックを Excel で保存し直して、もう一度置いてください。",
        sheet=None)]


def test_workbook_over_a_limit(tmp_path):
    """A value typed far away would make the reader allocate the whole rectangle: refused (docs/limits.md)."""
    folder = city(tmp_path)
    book = openpyxl.load_workbook(folder / "福祉課.xlsx")
    book["制度"]["B20001"] = "メモ"
    book.save(folder / "福祉課.xlsx")
    assert problems(folder) == [error(
        "workbook-too-large",
        "シートの値が 20,001 行目まであり、上限の 10,000 行を超えています。"
        "使っていない行や列（離れたセルに入った値）を削除して保存し直してください。",
        cell="B20001")]


# ---------------------------------------------------------------- sheets and headers


def test_missing_sheet_with_near_miss(tmp_path):
    """A required sheet renamed by the department: the message names the sheet it probably is."""
    folder = city(tmp_path)
    workbook = openpyxl.load_workbook(folder / "福祉課.xlsx")
    workbook["制度"].title = "制度一覧"
    workbook.save(folder / "福祉課.xlsx")
    assert problems(folder) == [error(
        "missing-sheet",
        "シート「制度」がありません。シート「制度一覧」のことなら、シート名を「制度」に直してください。",
        sheet=None)]


@pytest.mark.parametrize("missing", ["質問", "分類"])
def test_missing_sheet_without_near_miss(tmp_path, missing):
    """No sheet resembles the missing one: the message says to add it.

    The departments' condition columns and 分類 are not checked against a sheet that is not
    there (that would be one false error per column or per program).
    """
    folder = tmp_path / "sheets"
    folder.mkdir()
    sheets = {"設定": SETTINGS, "質問": [QUESTION_HEADERS] + QUESTIONS, "分類": CATEGORIES}
    del sheets[missing]
    write_workbook(folder / "common.xlsx", sheets)
    write_department(folder)
    assert problems(folder) == [error(
        "missing-sheet",
        f"シート「{missing}」がありません。シートを追加するか、シート名を「{missing}」に直してください。",
        file="common.xlsx", sheet=None)]


def test_missing_header_row(tmp_path):
    """No row among the first 10 holds the key headers 制度ID and 制度名."""
    folder = city(tmp_path)
    write_department(folder, headers=["ID"] + PROGRAM_HEADERS[1:],
                     programs=[dict(row, ID=row["制度ID"]) for row in PROGRAMS])
    assert problems(folder) == [error(
        "missing-header",
        "見出し行が見つかりません。上から10行以内の1行に 「制度ID」「制度名」 の見出しを入れてください。"
        "見出し「ID」のことなら「制度ID」に直してください。")]


def test_header_row_below_row_10_is_not_found(tmp_path):
    """Title rows are allowed above the header row, but only within the first 10 rows."""
    folder = city(tmp_path)
    write_department(folder, title_rows=[[f"メモ{n}"] for n in range(10)])
    assert problems(folder) == [error(
        "missing-header",
        "見出し行が見つかりません。上から10行以内の1行に 「制度ID」「制度名」 の見出しを入れてください。")]


def test_missing_required_header_with_near_miss(tmp_path):
    """`分類名` typed where 分類 is expected: the near-miss column is named and located."""
    folder = city(tmp_path)
    headers = [("分類名" if h == "分類" else h) for h in PROGRAM_HEADERS]
    write_department(folder, headers=headers, programs=[dict(row, 分類名=row.get("分類")) for row in PROGRAMS])
    assert problems(folder) == [error(
        "missing-header",
        "見出し「分類」がありません。見出し「分類名」（C1）のことなら、「分類」に直してください。",
        cell="C1")]


def test_missing_required_header_without_near_miss(tmp_path):
    """The 回答形式 column left out of 質問."""
    folder = city(tmp_path)
    write_workbook(folder / "common.xlsx", {
        "設定": SETTINGS,
        "質問": [["質問ID", "質問文", "選択肢"], ["事業", "事業を営んでいますか？", "はい\nいいえ"]],
        "分類": CATEGORIES,
    })
    write_department(folder, headers=PROGRAM_HEADERS[:14])
    assert problems(folder) == [error(
        "missing-header",
        "見出し「回答形式」がありません。1行目（見出し行）に「回答形式」の列を追加してください。",
        file="common.xlsx", sheet="質問")]


def test_missing_choices_column(tmp_path):
    """Choice questions without a 選択肢 column: said once, not once per question."""
    folder = city(tmp_path)
    write_workbook(folder / "common.xlsx", {
        "設定": SETTINGS,
        "質問": [["質問ID", "質問文", "回答形式"], ["事業", "事業を営んでいますか？", "単一選択"],
                 ["農業", "農業を営んでいますか？", "単一選択"]],
        "分類": CATEGORIES,
    })
    write_department(folder, headers=PROGRAM_HEADERS[:14])
    assert problems(folder) == [error(
        "missing-header",
        "見出し「選択肢」がありません。選択式の質問があるので、見出し行に「選択肢」の列を追加してください。",
        file="common.xlsx", sheet="質問")]


def test_duplicated_header(tmp_path):
    """The same header twice: both cells are named, the second is the location."""
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["概要"])
    assert problems(folder) == [error(
        "duplicate-header",
        "見出し「概要」が2つあります（D1 と S1）。どちらかの列を消すか、見出しを直してください。",
        cell="S1")]


# ---------------------------------------------------------------- required values


def test_missing_program_name(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 制度名=None))
    assert problems(folder) == [error("missing-value", "「制度名」が空です。制度名を入力してください。", cell="B4")]


def test_missing_setting_row(tmp_path):
    """A required 設定 item without its row: no cell to point at, the sheet is named."""
    folder = city(tmp_path)
    write_common(folder, settings=[row for row in SETTINGS if row[0] != "サイト名"])
    assert problems(folder) == [error(
        "missing-value",
        "項目「サイト名」の行がありません。「設定」シートに「サイト名」の行を追加して値を入力してください。",
        file="common.xlsx", sheet="設定")]


def test_missing_setting_value(tmp_path):
    folder = city(tmp_path)
    write_common(folder, settings=[[name, None if name == "自治体名" else value] for name, value in SETTINGS])
    assert problems(folder) == [error("missing-value", "項目「自治体名」の値が空です。値を入力してください。",
                                      file="common.xlsx", sheet="設定", cell="B3")]


def test_missing_department_name(tmp_path):
    folder = city(tmp_path)
    write_department(folder, department=[row for row in DEPARTMENT if row[0] != "部署名"])
    assert problems(folder) == [error(
        "missing-value",
        "項目「部署名」の行がありません。「部署」シートに「部署名」の行を追加して値を入力してください。",
        sheet="部署")]


@pytest.mark.parametrize("phone", ["内線 123", "平日9時〜17時", "012-345"])
def test_department_phone_that_is_not_a_phone_number(tmp_path, phone):
    folder = city(tmp_path)
    write_department(folder, department=[["電話番号", phone] if row[0] == "電話番号" else row for row in DEPARTMENT])
    assert problems(folder) == [error(
        "bad-phone", f"電話番号「{phone}」は電話番号として読めません（書いたとおりに表示し、押して電話をかけるリンクになりません）。"
        "012-345-6789 のように、市外局番からの番号を書いてください。", sheet="部署", cell="B3")]


@pytest.mark.parametrize("phone", ["０１２－３４５－６７８９", "012ー345ー6789", "0123456789", "012-345-6789（内線 12）"])
def test_department_phone_in_full_width_or_with_a_note_is_a_phone_number(tmp_path, phone):
    folder = city(tmp_path)
    write_department(folder, department=[["電話番号", phone] if row[0] == "電話番号" else row for row in DEPARTMENT])
    assert problems(folder) == []


def test_missing_choices(tmp_path):
    """A 単一選択 question with an empty 選択肢 cell."""
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 選択肢=None))
    assert problems(folder) == [error(
        "missing-choices",
        "「選択肢」が空です。選択肢を1行に1つずつ（Alt+Enter で改行して）入力してください。",
        file="common.xlsx", sheet="質問", cell="E6")]


def test_question_without_choices_is_not_reported_again_in_departments(tmp_path):
    """Columns for a choice question whose 選択肢 are missing: the one mistake is in common.xlsx."""
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 選択肢=None))
    write_department(folder, headers=PROGRAM_HEADERS + ["事業", "事業:はい"])
    assert [(p["code"], p["file"], p["cell"]) for p in problems(folder)] == [("missing-choices", "common.xlsx", "E6")]


def test_unpublished_rows_are_checked_too(tmp_path):
    """`公開 = ×` keeps a program off the site, not out of the checks."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(4, 詳細URL="example.jp"))
    assert problems(folder) == [error(
        "bad-url", "詳細URL「example.jp」は使えません。https:// か http:// で始まるアドレスを、空白を入れずに書いてください。",
        cell="L6")]


def test_a_link_that_does_not_open(tmp_path):
    """Only with --links (navigator/tooling/links.py, tests/test_links.py): here a port nothing listens on."""
    from navigator.contract.problems import Report
    from navigator.tooling.links import check_links

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        address = f"http://127.0.0.1:{unused.getsockname()[1]}/page.html"
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(4, 詳細URL=address))
    site, report = validate_folder(folder).site, Report()
    assert check_links(site.programs + site.unpublished, report, timeout=2) == 1
    assert [p.as_dict() for p in report.problems] == [error(
        "dead-link", f"詳細URLのリンク「{address}」が開けません（サーバーにつながりません）。"
        "アドレスが正しいか、ページが移動していないかブラウザで確かめてください。", cell="L6")]


def test_missing_answer_type(tmp_path):
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 回答形式=" "))
    assert problems(folder) == [error(
        "missing-value", "「回答形式」が空です。「単一選択」「複数選択」「数値」のどれかを入力してください。",
        file="common.xlsx", sheet="質問", cell="D6")]


def test_row_without_program_id(tmp_path):
    """A row with cells filled but no 制度ID is an error, never dropped."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(3, 制度ID=None))
    assert problems(folder) == [error(
        "row-without-id",
        "5行目は値が入っていますが制度IDが空です。制度IDを入力するか、使わない行なら行ごと削除してください。",
        cell="A5")]


# ---------------------------------------------------------------- duplicates


def test_duplicate_setting(tmp_path):
    folder = city(tmp_path)
    write_common(folder, settings=SETTINGS + [["サイト名", "別の名前"]])
    assert problems(folder) == [error(
        "duplicate-setting", "項目「サイト名」が2行あります（A2 と A8）。どちらか一方の行を消してください。",
        file="common.xlsx", sheet="設定", cell="A8")]


def test_duplicate_question_id(tmp_path):
    """Both rows are named; the second is the location."""
    folder = city(tmp_path)
    questions = QUESTIONS + [["事業", "もう一度？", "", "単一選択", "はい\nいいえ", "", ""]]
    write_common(folder, questions=questions)
    assert problems(folder) == [error(
        "duplicate-question-id", "質問ID「事業」が2つあります（A6 と A7）。別の質問IDにしてください。",
        file="common.xlsx", sheet="質問", cell="A7")]


def test_duplicate_choice(tmp_path):
    """The same choice twice in one question (after normalisation: ｉｉｅ = iie)."""
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 選択肢="はい\nいいえ\n はい"))
    assert problems(folder) == [error(
        "duplicate-choice", "選択肢「はい」が2回書かれています。どちらか一方を消してください。",
        file="common.xlsx", sheet="質問", cell="E6")]


def test_duplicate_category(tmp_path):
    folder = city(tmp_path)
    write_common(folder, categories=CATEGORIES + [["住まい", "もう一度"]])
    assert problems(folder) == [error(
        "duplicate-category",
        "分類名「住まい」が2つあります（A3 と A5）。どちらか一方を消すか、別の名前にしてください。",
        file="common.xlsx", sheet="分類", cell="A5")]


def test_duplicate_program_id_in_same_sheet_not_adjacent(tmp_path):
    """The same 制度ID further down is not a または row: a duplicate, both places named."""
    folder = city(tmp_path)
    write_department(folder, programs=PROGRAMS + [program_row("risai", "り災証明書（再発行）")])
    assert problems(folder) == [error(
        "duplicate-program-id",
        "制度ID「risai」は 福祉課.xlsx / 制度 / A4 にもあります。制度IDはすべてのブックを通して重複しないようにしてください"
        "（大文字・小文字の違いは同じとみなします）。別の条件の行（または行）なら、元の行のすぐ下に置いてください。",
        cell="A7")]


def test_duplicate_program_id_in_two_workbooks(tmp_path):
    """制度ID is unique across workbooks, ignoring upper/lower case."""
    folder = city(tmp_path)
    write_department(folder, name="防災課.xlsx", department=[["項目", "値"], ["部署名", "防災課"]],
                     programs=[program_row("KASETSU", "仮設住宅（防災課）", category="住まい")])
    assert problems(folder) == [error(
        "duplicate-program-id",
        "制度ID「KASETSU」は 福祉課.xlsx / 制度 / A5 にもあります。制度IDはすべてのブックを通して重複しないようにしてください"
        "（大文字・小文字の違いは同じとみなします）。別の条件の行（または行）なら、元の行のすぐ下に置いてください。",
        file="防災課.xlsx", cell="A2")]


def test_duplicate_program_id_on_adjacent_row_that_fills_fields(tmp_path):
    """A row directly below with the same 制度ID is a または row only when it fills conditions alone."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(1, 制度名="生活再建支援金（加算）"))
    assert problems(folder) == [error(
        "duplicate-program-id",
        "制度ID「shien-kin」が 福祉課.xlsx / 制度 / A2 と同じです。別の制度なら別の制度IDに、"
        "または行（別の条件）なら条件列と備考以外のセル（「制度名」）を空にしてください。",
        cell="A3")]


# ---------------------------------------------------------------- references to common.xlsx


def test_unknown_category(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 分類="生活再建支援"))
    assert problems(folder) == [error(
        "unknown-category",
        f"分類「生活再建支援」は common.xlsx の分類シートにありません。{CATEGORY_NAMES} のどれかにしてください"
        "（もしかして「生活再建」？）。",
        cell="C4")]


def test_unknown_category_lists_every_category(tmp_path):
    """Even a long 分類 sheet is listed whole: 「ほか1件」 could hide the one that was meant."""
    folder = city(tmp_path)
    names = [f"分類{number}" for number in range(1, 10)] + ["生活再建"]
    write_common(folder, categories=[["分類名", "説明"]] + [[name, ""] for name in names])
    write_department(folder, programs=[row for row in changed_program(2, 分類="せいかつ") if row.get("分類") != "住まい"])
    assert problems(folder) == [error(
        "unknown-category", "分類「せいかつ」は common.xlsx の分類シートにありません。"
        f"{''.join(f'「{name}」' for name in names)} のどれかにしてください。", cell="C4")]


def test_condition_header_naming_unknown_question(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["住宅被害:半壊"])
    assert problems(folder) == [error(
        "unknown-condition-question",
        "条件列「住宅被害:半壊」の質問ID「住宅被害」は common.xlsx の質問シートにありません。"
        "見出しを「質問ID:選択肢」の形で、ある質問IDに直してください（もしかして「住家被害」？）。",
        cell="S1")]


def test_condition_header_naming_unknown_choice(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["住家被害:大規模"])
    assert problems(folder) == [error(
        "unknown-condition-choice",
        f"条件列「住家被害:大規模」の選択肢「大規模」は質問「住家被害」にありません。選択肢は {CHOICES} です"
        "（もしかして「大規模半壊」？）。",
        cell="S1")]


def test_choice_question_header_without_choice(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["事業"])
    assert problems(folder) == [error(
        "unknown-condition-choice",
        "条件列「事業」に選択肢がありません。質問「事業」は選択式なので、見出しを「事業:はい」のように"
        "「質問ID:選択肢」の形にしてください。",
        cell="S1")]


def test_number_question_header_with_choice(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["世帯人数:2人"])
    assert problems(folder) == [error(
        "unknown-condition-choice",
        "条件列「世帯人数:2人」は使えません。質問「世帯人数」は数値の質問なので、選択肢を付けずに見出しを「世帯人数」だけにしてください"
        "（セルには「2人以上」のような範囲を書きます）。",
        cell="S1")]


def test_conditions_on_a_question_that_has_its_own_error_are_not_reported_again(tmp_path):
    """A question rejected for its own mistake is still on the 質問 sheet: the departments'
    columns and later 表示条件 naming it are not reported as unknown (one mistake, one message)."""
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(0, 回答形式="単一"))
    assert problems(folder) == [error(
        "unknown-answer-type",
        "回答形式「単一」は使えません。「単一選択」「複数選択」「数値」のどれかにしてください（もしかして「単一選択」？）。",
        file="common.xlsx", sheet="質問", cell="D2")]


# ---------------------------------------------------------------- cell values


def test_unknown_mark(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(3, **{"住家被害:全壊": "△"}))
    assert problems(folder) == [error(
        "unknown-mark",
        "条件列「住家被害:全壊」の「△」は読めません。対象にするなら「○」、しないなら空欄にしてください。",
        cell="O5")]


def test_unknown_publish_value(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 公開="未定"))
    assert problems(folder) == [error(
        "unknown-publish-value",
        "公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。",
        cell="M4")]


@pytest.mark.parametrize("written", ["2人いじょう", "abc", "2以上かつ5以下", "TRUE"])
def test_bad_range(tmp_path, written):
    """Text that is no range in a 数値 condition column; the examples use the question's 単位."""
    folder = city(tmp_path)
    value = True if written == "TRUE" else written
    write_department(folder, programs=changed_program(2, 世帯人数=value))
    assert problems(folder) == [error(
        "bad-range",
        f"範囲「{written}」が読めません。質問「世帯人数」は数値の質問です。「2人以上」「5人未満」「1〜3人」「1人」"
        "のように書いてください（以上・以下・超・未満・〜 が使えます）。",
        cell="R4")]


@pytest.mark.parametrize(("unit", "limits", "examples"), [
    ("歳", ("", ""), "「65歳以上」「18歳未満」「6〜15歳」「3歳」"),
    ("才", (0, 120), "「65才以上」「18才未満」「6〜15才」「3才」"),
    ("歳", (70, ""), "「72歳以上」「73歳未満」「71〜72歳」「71歳」"),
    ("万円", (100, 1000), "「600万円以上」「800万円未満」「300〜600万円」「300万円」"),
    ("人", (1, 20), "「2人以上」「5人未満」「1〜3人」「1人」"),
])
def test_bad_range_examples_fit_the_questions_unit_and_limits(tmp_path, unit, limits, examples):
    """Not 「65人未満」 for 世帯人数 nor 「2歳以上」 for an age: examples in the 単位, between 最小値 and 最大値."""
    folder = city(tmp_path)
    questions = [list(row) + ["", ""] for row in QUESTIONS]
    questions[2][5], questions[2][7:9] = unit, limits  # 世帯人数's 単位, 最小値 and 最大値
    write_workbook(folder / "common.xlsx", {"設定": SETTINGS, "質問": [QUESTION_HEADERS + ["最小値", "最大値"]] + questions,
                                            "分類": CATEGORIES})
    write_department(folder, programs=changed_program(2, 世帯人数="たくさん"))
    assert problems(folder) == [error(
        "bad-range", f"範囲「たくさん」が読めません。質問「世帯人数」は数値の質問です。{examples}"
        "のように書いてください（以上・以下・超・未満・〜 が使えます）。", cell="R4")]


def test_bad_range_with_ends_reversed(tmp_path):
    """`5〜2`: the message says what is wrong, not only that it cannot be read."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 世帯人数="5〜2"))
    assert problems(folder) == [error(
        "bad-range",
        "範囲「5〜2」は始めの数が終わりの数より大きくなっています。小さい数を先に書いてください（例: 「2〜5」）。",
        cell="R4")]


def test_bad_range_in_display_condition(tmp_path):
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 表示条件="世帯人数=たくさん"))
    assert problems(folder) == [error(
        "bad-range",
        "範囲「たくさん」が読めません。質問「世帯人数」は数値の質問です。「2人以上」「5人未満」「1〜3人」「1人」"
        "のように書いてください（以上・以下・超・未満・〜 が使えます）。",
        file="common.xlsx", sheet="質問", cell="G6")]


@pytest.mark.parametrize(("header", "url"), [
    ("オンライン申請URL", "javascript:alert(1)"),
    ("詳細URL", "www.example.jp"),
    ("詳細URL", "https://example.jp/a b"),
    ("詳細URL", "ftp://example.jp/"),
])
def test_url_that_is_not_http(tmp_path, header, url):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, **{header: url}))
    assert problems(folder) == [error(
        "bad-url",
        f"{header}「{url}」は使えません。https:// か http:// で始まるアドレスを、空白を入れずに書いてください。",
        cell="K4" if header == "オンライン申請URL" else "L4")]


@pytest.mark.parametrize(("url", "characters"), [
    ("https://ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／ｓｈｉｅｎ", "「ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／ｓｈｉｅｎ」"),  # urlsplit raises on this host
    ("ｈｔｔｐｓ：／／example.jp", "「ｈｔｔｐｓ：／／」"),
    ("https://example.jp/申請　書", "「　」"),  # a full-width space
])
def test_url_typed_in_full_width_says_so(tmp_path, url, characters):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 詳細URL=url))
    assert problems(folder) == [error(
        "bad-url", f"詳細URL「{url}」は使えません。アドレスに全角の文字（{characters}）があります。"
                   "アドレスは半角の英数字と記号で書いてください。", cell="L4")]


def test_url_that_urlsplit_cannot_read_is_a_bad_url_not_an_internal_error(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 詳細URL="https://[2001:db8::1/shien"))
    assert [(p["code"], p["cell"]) for p in problems(folder)] == [("bad-url", "L4")]


@pytest.mark.parametrize("url", [
    "https://www.example.jp", "HTTP://example.jp:8080/a?b=c#d", "https://example.jp/申請書.pdf",
    "https://user@example.jp/", "https://[2001:db8::1]/shien", "http://例え.jp/",
])
def test_well_formed_urls_are_kept_as_written(tmp_path, url):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 詳細URL=url))
    validation = validate_folder(folder)
    assert validation.report.ok
    assert [p.detail_url for p in validation.site.programs if p.detail_url == url]


LINK_ADDRESSES = ["https://www.example.jp/a", "HTTPS://EXAMPLE.JP", "https://example.jp:8080/x", "https://[2001:db8::1]/x",
                  "http://例え.jp/", "https://ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ/", 'https://example.jp "題"', "<https://example.jp/a b>",
                  "mailto:fukushi@example.jp", "tel:0120-000-000", " https://example.jp ", "https://exa_mple.jp/",
                  "www.example.jp", "javascript:alert(1)", "ftp://x.jp", "#top", "/x", "", "https://", "https:///x",
                  "https://[abc/x", "https://ｅｘａｍｐｌｅ／.com", "https://a b", "tel:", "mailto:", "javascript:void(0)",
                  "https://example.jp/a_(b)"]


@pytest.mark.parametrize("address", LINK_ADDRESSES)
def test_a_text_link_is_warned_about_exactly_when_the_site_cannot_open_it(address):
    """The check (no Markdown parser: `check` does not load one) against what the site makes of the link."""
    from navigator.contract.text import unusable_links
    from navigator.site.markdown import Markdown

    html = Markdown().html(f"詳しくは[こちら]({address})をご覧ください。")
    href = re.search(r'href="([^"]*)"', html)
    opens = href is not None and re.match(r"(?i:https?://[^/]|mailto:.|tel:.)", href.group(1)) is not None
    assert bool(unusable_links(f"詳しくは[こちら]({address})をご覧ください。")) == (not opens), html


def test_text_links_the_site_cannot_open_are_warnings_on_their_cell(tmp_path):
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(0, 補足説明="[判定の説明](/risai)を見てください。"),
                 settings=[*SETTINGS[:5], ["注意事項", "[市のページ](javascript:void(0))"], *SETTINGS[6:]])
    write_department(folder, programs=changed_program(2, 支援内容="[申請書](www.example.jp/shinsei.pdf)と![地図](map.png)、"
                                                                "[窓口](https://www.example.jp/madoguchi)"))
    assert problems(folder) == [
        error("bad-text-link", "注意事項の文章中のリンク「市のページ」のアドレス「javascript:void(0)」では、サイトで正しく開けません。"
              "https:// か http:// で始まるアドレスを書いてください（メールは mailto:、電話は tel: で始めます）。",
              file="common.xlsx", sheet="設定", cell="B6"),
        error("bad-text-link", "補足説明の文章中のリンク「判定の説明」のアドレス「/risai」では、サイトで正しく開けません。"
              "https:// か http:// で始まるアドレスを書いてください（メールは mailto:、電話は tel: で始めます）。",
              file="common.xlsx", sheet="質問", cell="C2"),
        error("bad-text-link", "支援内容の文章中のリンク「申請書」のアドレス「www.example.jp/shinsei.pdf」では、サイトで正しく開けません。"
              "https:// か http:// で始まるアドレスを書いてください（メールは mailto:、電話は tel: で始めます）。", cell="F4"),
    ]


@pytest.mark.parametrize(("written", "meaning", "date"), [
    ("R9.3.31", "令和9年3月31日", "2027/3/31"),
    ("9/3/31", "令和9年3月31日", "2027/3/31"),
    ("令和9年3月末", "令和9年3月31日", "2027/3/31"),
    ("2027.3.31", "令和9年3月31日", "2027/3/31"),
    ("令和9年2月末日まで", "令和9年2月28日", "2027/2/28"),
    ("H31.4.30", "平成31年4月30日", "2019/4/30"),
])
def test_deadline_that_looks_like_a_date_but_is_not_read_as_one(tmp_path, written, meaning, date):
    """Kept as text, it would never become 受付終了: a warning with the date it might mean."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 申請期限=written))
    assert problems(folder) == [error(
        "deadline-not-read", f"申請期限「{written}」は日付として読めませんでした（書いたとおりに表示し、期限が過ぎても受付終了に"
        f"なりません）。{meaning}のことなら {date} と書いてください。", cell="G4")]


@pytest.mark.parametrize("written", ["随時", "災害発生日から13か月以内（令和9年8月2日まで）", "2027/2/30", "令和9年3月31日"])
def test_deadline_text_that_is_no_other_date_is_not_warned_about(tmp_path, written):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 申請期限=written))
    assert problems(folder) == []


def test_program_id_typed_as_number(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 制度ID=123))
    assert problems(folder) == [error(
        "id-not-text",
        "制度ID「123」が数値として入力されています。セルの表示形式を「文字列」にしてから入力し直すか、"
        "先頭に ' を付けて文字として入力してください。",
        cell="A4")]


def test_question_id_typed_as_date(tmp_path):
    """Excel turns `3/1` into a date; 質問ID must be text."""
    folder = city(tmp_path)
    write_common(folder, questions=QUESTIONS + [[dt.datetime(2025, 3, 1), "質問文", "", "数値", "", "", ""]])
    assert problems(folder) == [error(
        "id-not-text",
        "質問ID「2025-03-01」が日付として入力されています。セルの表示形式を「文字列」にしてから入力し直すか、"
        "先頭に ' を付けて文字として入力してください。",
        file="common.xlsx", sheet="質問", cell="A7")]


@pytest.mark.parametrize(("header", "cell"), [("概要", "D4"), ("住家被害:全壊", "O4"), ("制度ID", "A4")])
def test_formula_without_stored_value(tmp_path, header, cell):
    """openpyxl writes formulas without a calculated value, as any program would."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, **{header: "=1+1"}))
    assert problems(folder) == [error(
        "formula-without-value",
        f"「{header}」の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
        cell=cell)]


@pytest.mark.parametrize(("question_id", "reason"), [
    ("住家 被害", "使えない文字（空白）が入っています"),
    ("被害/損害", "使えない文字（/）が入っています"),
    ("被害:損害=あり", "使えない文字（: =）が入っています"),
    ("あ" * 33, "33文字あります（32文字まで）"),
])
def test_invalid_question_id(tmp_path, question_id, reason):
    folder = city(tmp_path)
    write_common(folder, questions=QUESTIONS + [[question_id, "質問文", "", "数値", "", "", ""]])
    assert problems(folder) == [error(
        "invalid-question-id",
        f"質問ID「{question_id}」に{reason}。空白・改行と : = , 、 # & ? / % \" ' < > を使わず、"
        "32文字以内の短い名前にしてください。",
        file="common.xlsx", sheet="質問", cell="A7")]


@pytest.mark.parametrize("program_id", ["り災証明", "risai.2", "a" * 65])
def test_invalid_program_id(tmp_path, program_id):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 制度ID=program_id))
    assert problems(folder) == [error(
        "invalid-program-id",
        f"制度ID「{program_id}」は使えません。半角の英字・数字・「-」・「_」だけで、64文字以内にしてください（ページのURLになります）。",
        cell="A4")]


def test_unknown_answer_type(tmp_path):
    folder = city(tmp_path)
    write_common(folder, questions=changed_question(4, 回答形式="単一"))
    assert problems(folder) == [error(
        "unknown-answer-type",
        "回答形式「単一」は使えません。「単一選択」「複数選択」「数値」のどれかにしてください（もしかして「単一選択」？）。",
        file="common.xlsx", sheet="質問", cell="D6")]


# ---------------------------------------------------------------- 表示条件


def common_with_condition(folder: Path, condition: str, row: int = 4) -> None:
    write_common(folder, questions=changed_question(row, 表示条件=condition))


def test_display_condition_naming_later_question(tmp_path):
    folder = city(tmp_path)
    common_with_condition(folder, "事業=はい", row=0)
    assert problems(folder) == [error(
        "display-condition-later-question",
        "表示条件が質問「事業」を指していますが、その質問はこの質問より後にあります。"
        "表示条件には、この質問より前にある質問だけを使ってください。",
        file="common.xlsx", sheet="質問", cell="G2")]


def test_display_condition_naming_its_own_question(tmp_path):
    folder = city(tmp_path)
    common_with_condition(folder, "事業=はい")
    assert problems(folder) == [error(
        "display-condition-later-question",
        "表示条件がこの質問自身（「事業」）を指しています。"
        "表示条件には、この質問より前にある質問だけを使ってください。",
        file="common.xlsx", sheet="質問", cell="G6")]


def test_display_condition_naming_unknown_question(tmp_path):
    folder = city(tmp_path)
    common_with_condition(folder, "住宅被害=全壊")
    assert problems(folder) == [error(
        "display-condition-unknown-question",
        "表示条件の質問ID「住宅被害」は質問シートにありません。前にある質問の質問IDを書いてください（もしかして「住家被害」？）。",
        file="common.xlsx", sheet="質問", cell="G6")]


def test_display_condition_naming_unknown_choice(tmp_path):
    folder = city(tmp_path)
    common_with_condition(folder, "住家被害=全壊、大規模")
    assert problems(folder) == [error(
        "display-condition-unknown-choice",
        f"表示条件の「大規模」は質問「住家被害」の選択肢にありません。選択肢は {CHOICES} です（もしかして「大規模半壊」？）。",
        file="common.xlsx", sheet="質問", cell="G6")]


@pytest.mark.parametrize(("written", "message"), [
    ("住家被害:全壊", "表示条件「住家被害:全壊」が読めません。1行に1つ、「質問ID=選択肢」の形で書いてください（例: 住家被害=全壊、大規模半壊）。"),
    ("住家被害は全壊", "表示条件「住家被害は全壊」が読めません。1行に1つ、「質問ID=選択肢」の形で書いてください（例: 住家被害=全壊、大規模半壊）。"),
    ("住家被害＝", "表示条件「住家被害=」の「=」の後が空です。「住家被害=」の後に選択肢か範囲を書いてください。"),
])
def test_display_condition_that_cannot_be_read(tmp_path, written, message):
    folder = city(tmp_path)
    common_with_condition(folder, written)
    assert problems(folder) == [error("bad-display-condition", message, file="common.xlsx", sheet="質問",
                                      cell="G6")]


def test_each_display_condition_line_is_checked(tmp_path):
    """One condition per line; every bad line is reported, the good ones are not."""
    folder = city(tmp_path)
    common_with_condition(folder, "住家被害=全壊\n世帯人数=たくさん\n\n世帯の状況=ペットがいる")
    assert [(p["code"], p["cell"]) for p in problems(folder)] == [
        ("bad-range", "G6"), ("display-condition-unknown-choice", "G6")]


# ---------------------------------------------------------------- warnings


def test_settings_still_holding_the_placeholder_of_navigator_init_are_warnings(tmp_path):
    """`navigator init` without --city writes 〇〇市: the site would be titled 〇〇市 支援制度ナビ."""
    folder = city(tmp_path)
    placeholders = {"サイト名": "〇〇市 支援制度ナビ", "自治体名": "〇〇市"}
    write_common(folder, settings=[[name, placeholders.get(name, value)] for name, value in SETTINGS])
    assert problems(folder) == [
        error("placeholder-setting", f"項目「{name}」が、はじめに入っていた仮の値「{value}」のままです。"
              "「〇〇市」を自分の自治体の名前に書き換えてください。", file="common.xlsx", sheet="設定", cell=cell)
        for (name, value), cell in zip(placeholders.items(), ["B2", "B3"])]
    assert validate_folder(folder).site is not None  # warnings: the site is still made


def test_nothing_published_is_a_warning(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=[{**row, "公開": "×"} if "制度名" in row else row for row in PROGRAMS])
    assert problems(folder) == [error(
        "nothing-published", "公開する制度が1つもありません（読み込んだ制度 4件はすべて公開が × です）。"
        "このままではサイトに制度が載りません。載せる制度の「公開」を空欄か「○」にしてください。", file=None, sheet=None)]


def test_no_program_at_all_is_a_warning(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=[])
    assert problems(folder) == [error(
        "nothing-published", "部署のブックに制度が1つもありません。このままではサイトに制度が載りません。"
        "部署のブック（`navigator template` で作れます）に制度を書いて、このフォルダに置いてください。", file=None, sheet=None)]


def test_a_public_url_not_ending_with_a_slash_is_a_warning_and_not_used(tmp_path):
    folder = city(tmp_path)
    write_common(folder, settings=SETTINGS + [["公開URL", "https://navi.example.lg.jp/index.html"]])
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "bad-public-url",
        "公開URL「https://navi.example.lg.jp/index.html」は使えません（サイトマップと絶対リンクは作りません）。"
        "https:// か http:// で始まり / で終わるアドレスを、空白を入れずに書いてください（例: https://navi.example.lg.jp/）。",
        file="common.xlsx", sheet="設定", cell="B8")]
    assert validation.site.settings.public_url == ""


def test_unknown_setting_is_a_warning(tmp_path):
    """A warning names the mistake but does not stop the build."""
    folder = city(tmp_path)
    write_common(folder, settings=SETTINGS + [["サイト名称", "別の名前"]])
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "unknown-setting",
        "項目「サイト名称」は使われません（無視します）。使える項目は 「サイト名」「自治体名」「はじめに」「問い合わせ先」"
        "「注意事項」「お知らせ」「窓口の順番」「言語」「公開URL」 です（もしかして「サイト名」？）。",
        file="common.xlsx", sheet="設定", cell="A8")]
    assert validation.site is not None
    assert validation.site.settings.site_name == "テスト市 被災者支援ナビ"


def test_a_counter_order_naming_no_department_is_a_warning(tmp_path):
    """窓口の順番 (the 手続き案内票's order of places) names departments by their 部署名."""
    folder = city(tmp_path)
    write_common(folder, settings=SETTINGS + [["窓口の順番", "福祉課\n福祉"]])
    assert problems(folder) == [error(
        "unknown-counter-department",
        "窓口の順番の「福祉」は、どの部署のブックの部署名にもありません。部署シートの部署名のとおりに書いてください"
        "（もしかして「福祉課」？）。",
        file="common.xlsx", sheet="設定", cell="B8")]


def _translations(folder: Path, code: str, rows: list[list], languages: str | None = None) -> None:
    """A 翻訳_<code>.xlsx with `rows` under its headers; 設定's 言語 set to `languages` (default: `code`)."""
    write_common(folder, settings=SETTINGS + [["言語", code if languages is None else languages]])
    write_workbook(folder / f"翻訳_{code}.xlsx", {"翻訳": [["場所", "原文", "訳", "状態", "以前の原文"]] + rows})


def test_translation_file_with_an_unknown_code_is_an_error(tmp_path):
    folder = city(tmp_path)
    _translations(folder, "EN-US", [], languages="")
    assert problems(folder) == [error(
        "unknown-language-file",
        "ファイル名の言語コード「EN-US」はありません。ファイル名を「翻訳_言語コード.xlsx」にしてください（もしかして「en」？）。"
        "使える言語コードは easy（やさしい日本語）、en（英語）、zh-Hans（中国語（簡体字））、zh-Hant（中国語（繁体字））、"
        "ko（韓国語）、vi（ベトナム語）、tl（タガログ語）、pt（ポルトガル語）、ne（ネパール語）、id（インドネシア語）、"
        "my（ミャンマー語）、th（タイ語）、es（スペイン語） です。",
        file="翻訳_EN-US.xlsx", sheet=None)]


def test_unknown_language_is_a_warning(tmp_path):
    folder = city(tmp_path)
    write_common(folder, settings=SETTINGS + [["言語", "en\n英語"]])
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "unknown-language",
        "言語「英語」はありません（この行は使いません）。1行に1つ言語コードを書いてください。"
        "使える言語コードは easy（やさしい日本語）、en（英語）、zh-Hans（中国語（簡体字））、zh-Hant（中国語（繁体字））、"
        "ko（韓国語）、vi（ベトナム語）、tl（タガログ語）、pt（ポルトガル語）、ne（ネパール語）、id（インドネシア語）、"
        "my（ミャンマー語）、th（タイ語）、es（スペイン語） です。",
        file="common.xlsx", sheet="設定", cell="B8")]
    assert list(validation.site.translations) == ["en"]


def test_translation_not_in_languages_is_a_warning(tmp_path):
    folder = city(tmp_path)
    _translations(folder, "en", [["制度/risai/制度名", "り災証明書の交付", "Disaster certificate", "確認済み"]], languages="")
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "translation-not-published",
        "言語「en」は common.xlsx の設定「言語」にないため、この訳は公開されません。公開するなら設定の「言語」に en を"
        "1行で書き足してください。",
        file="翻訳_en.xlsx", sheet=None)]
    assert validation.site.translations == {}


def test_stale_translation_is_a_warning_with_its_cell(tmp_path):
    folder = city(tmp_path)
    _translations(folder, "en", [
        ["制度/risai/制度名", "り災証明書の交付", "Disaster certificate", "確認済み"],
        # flagged by navigator translate: 原文 is today's, 以前の原文 the one translated
        ["制度/risai/概要", "り災証明書の交付の概要です。", "Old summary", "機械翻訳", "以前の概要"],
        # never refreshed: 原文 is an old text
        ["制度/kasetsu/制度名", "仮設住宅", "Temporary housing", "確認済み"],
    ])
    validation = validate_folder(folder)
    assert problems(folder) == [
        error("stale-translation",
              "「制度/risai/概要」の日本語が変わったため、この訳は使われません（日本語のまま表示します）。"
              "訳を今の原文に合わせて直し、「以前の原文」の欄を空にしてください。",
              file="翻訳_en.xlsx", sheet="翻訳", cell="C3"),
        error("stale-translation",
              "「制度/kasetsu/制度名」の日本語が変わったため、この訳は使われません（日本語のまま表示します）。"
              "navigator translate en で今の原文を書き込み、訳を直してください。",
              file="翻訳_en.xlsx", sheet="翻訳", cell="C4"),
    ]
    assert validation.site.translations == {"en": {"制度/risai/制度名": ("Disaster certificate", "確認済み")}}
    (count,) = validation.languages
    assert (count.confirmed, count.machine, count.stale) == (1, 0, 2)


def test_unknown_translation_state_is_a_warning(tmp_path):
    folder = city(tmp_path)
    _translations(folder, "en", [["制度/risai/制度名", "り災証明書の交付", "Disaster certificate", "済"]])
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "unknown-translation-state",
        "状態「済」は使えません（この訳は使いません）。▼ から「確認済み」か「機械翻訳」を選ぶか、まだなら空欄にしてください。",
        file="翻訳_en.xlsx", sheet="翻訳", cell="D2")]
    assert validation.site.translations == {"en": {}}


def test_unknown_column_is_a_warning(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["申請期間"],
                     programs=changed_program(0, 申請期間="2027年度末まで"))
    validation = validate_folder(folder)
    assert problems(folder) == [error(
        "unknown-column",
        "列「申請期間」は使われません（無視します）。制度の列か条件列にするなら見出しを直してください（もしかして「申請期限」？）。",
        cell="S1")]
    assert validation.site is not None
    assert "2027年度末まで" not in repr(validation.site)


# ---------------------------------------------------------------- the report as a whole


def test_every_problem_is_reported_in_one_run(tmp_path):
    """Several mistakes in several workbooks: all are found, in file order, not only the first."""
    folder = city(tmp_path)
    write_common(folder, categories=CATEGORIES + [["住まい", ""]],
                 questions=changed_question(4, 回答形式="単一"))
    write_department(folder, programs=changed_program(2, 公開="未定", 詳細URL="www.example.jp",
                                                      **{"住家被害:全壊": "△"}))
    write_department(folder, name="防災課.xlsx", department=[["項目", "値"], ["部署名", "防災課"]],
                     programs=[program_row("hinan", "避難所", category="住まい", 世帯人数="たくさん"),
                               {"制度名": "IDを忘れた制度"}])
    found = [(p["code"], p["file"], p["sheet"], p["cell"]) for p in problems(folder)]
    assert found == [
        ("unknown-answer-type", "common.xlsx", "質問", "D6"),
        ("duplicate-category", "common.xlsx", "分類", "A5"),
        ("unknown-publish-value", "福祉課.xlsx", "制度", "M4"),
        ("bad-url", "福祉課.xlsx", "制度", "L4"),
        ("unknown-mark", "福祉課.xlsx", "制度", "O4"),
        ("bad-range", "防災課.xlsx", "制度", "R2"),
        ("row-without-id", "防災課.xlsx", "制度", "A3"),
    ]
    assert validate_folder(folder).site is None


def test_report_json_has_exactly_the_documented_fields(tmp_path):
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["メモ"], programs=changed_program(2, 公開="未定"))
    data = json.loads(validate_folder(folder).report.to_json())
    assert data == [
        {"severity": "warning", "code": "unknown-column", "file": "福祉課.xlsx", "sheet": "制度", "cell": "S1",
         "message": "列「メモ」は使われません（無視します）。制度の列か条件列にするなら見出しを直してください。"},
        {"severity": "error", "code": "unknown-publish-value", "file": "福祉課.xlsx", "sheet": "制度", "cell": "M4",
         "message": "公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。"},
    ]


def test_problem_as_text_names_file_sheet_and_cell(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 公開="未定"))
    assert [str(p) for p in validate_folder(folder).report.problems] == [
        "[エラー] 福祉課.xlsx / 制度 / M4: 公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。"]


def test_every_program_row_is_accounted_for_despite_errors(tmp_path):
    """programs read = published + unpublished + rejected, whatever went wrong where."""
    folder = city(tmp_path)
    programs = PROGRAMS + [
        program_row("mark", "印が読めない", **{"住家被害:全壊": "△"}),  # rejected
        {"制度名": "IDがない"},  # rejected
        program_row("risai", "IDが重複"),  # rejected
        program_row(123, "IDが数値"),  # rejected
        program_row("orpath", "または行に誤り"),  # rejected through its または row
        {"制度ID": "orpath", "世帯人数": "たくさん"},
        program_row("hidden", "非公開で誤りあり", 公開="×", 分類="なし"),  # rejected
        program_row("hidden-ok", "非公開", 公開="非公開"),  # unpublished
    ]
    write_department(folder, programs=programs)
    write_department(folder, name="防災課.xlsx", department=[["項目", "値"], ["部署名", "防災課"]],
                     programs=[program_row("hinan", "避難所", category="住まい"),
                               program_row("bad-url", "URLが不正", 詳細URL="www.example.jp")])
    validation = validate_folder(folder)
    accounting = validation.accounting
    assert validation.site is None
    assert (accounting.programs_read, accounting.published, accounting.unpublished, accounting.rejected) == (13, 4, 2, 7)
    assert accounting.programs_read == accounting.published + accounting.unpublished + accounting.rejected


def test_a_workbook_lists_its_first_500_problems_and_counts_the_rest(tmp_path):
    """The same mistake in 1,200 rows: 500 lines and one that counts the others; every row is still rejected."""
    folder = city(tmp_path)
    rows = [program_row(f"p{n}", f"制度{n}", **{"住家被害:全壊": "△"}) for n in range(1200)]
    write_department(folder, programs=PROGRAMS + rows)
    write_department(folder, name="防災課.xlsx", department=[["項目", "値"], ["部署名", "防災課"]],
                     programs=[program_row("bad-url", "URLが不正", 詳細URL="www.example.jp")])
    validation = validate_folder(folder)
    found = validation.report.problems
    assert [p.code for p in found[:500]] == ["unknown-mark"] * 500
    assert found[499].cell == "O506"
    assert found[500].as_dict() == error(
        "too-many-problems",
        "このブックには問題が多いため、最初の500件だけを表示しています（ほかにエラー 700件）。"
        "多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。表示された問題を直してから、もう一度確認してください。",
        sheet=None)
    assert [(p.code, p.file) for p in found[501:]] == [("bad-url", "防災課.xlsx")]  # another workbook: its own 500
    accounting = validation.accounting
    assert validation.site is None and not validation.report.ok
    assert (accounting.programs_read, accounting.rejected) == (1205, 1201)
    assert accounting.programs_read == accounting.published + accounting.unpublished + accounting.rejected


def test_too_many_warnings_alone_do_not_stop_the_build(tmp_path):
    folder = city(tmp_path)
    extra = [f"メモ{n}" for n in range(520)]
    write_department(folder, headers=PROGRAM_HEADERS + extra, programs=PROGRAMS)
    validation = validate_folder(folder)
    codes = [p.code for p in validation.report.problems]
    assert codes == ["unknown-column"] * 500 + ["too-many-warnings"]
    assert validation.report.problems[-1].message.startswith(
        "このブックには問題が多いため、最初の500件だけを表示しています（ほかに警告 20件）。")
    assert validation.site is not None and len(validation.site.programs) == 3  # as without the extra columns


def test_every_problem_kind_has_a_test_here():
    """KINDS is the catalogue: each code is pinned by at least one test in this file."""
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [code for code in KINDS if not re.search(rf'["\']{re.escape(code)}["\']', source)]
    assert untested == []


# ---------------------------------------------------------------- the catalogue itself


def _source() -> str:
    """navigator's code, without the catalogue: where problems are raised."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "navigator").rglob("*.py"))
                   if p.name not in ("problem_kinds.py", "problem_kinds_site.py"))


def test_every_message_template_names_its_fields_and_not_the_location():
    """file, sheet and cell say where a problem is (Report.add's own arguments), never what it says."""
    for kind in KINDS.values():
        for message in kind.messages:
            assert message.code == kind.code and message.severity == kind.severity
            assert not message.fields & {"file", "sheet", "cell"}, message.name


def test_each_kinds_example_gives_exactly_its_templates_fields():
    for kind in KINDS.values():
        assert set(kind.example.values) == kind.fields, kind.code


def test_every_kind_and_variant_is_raised_somewhere_and_every_variant_raised_is_declared():
    source = _source()
    used = set(re.findall(r"\b([A-Z][A-Z_]+)\.variant\(\"([a-z-]+)\"\)", source))
    for name, variant in used:
        kind = getattr(kinds, name)
        assert variant in kind.variants, f"{kind.code}.{variant}"
    for name, kind in vars(kinds).items():
        if isinstance(kind, kinds.ProblemKind):
            assert re.search(rf"\b{name}\b", source), kind.code
            for variant in kind.variants:
                assert (name, variant) in used, f"{kind.code}.{variant}"


@pytest.mark.parametrize(("kind", "severity", "found"), [(kinds.TOO_MANY_PROBLEMS, "error", 9_500),
                                                         (kinds.TOO_MANY_WARNINGS, "warning", 120)])
def test_the_guides_too_many_examples_are_what_a_report_prints(kind, severity, found):
    report = Report()
    other = kinds.MISSING_CHOICES if severity == "error" else kinds.UNKNOWN_COLUMN
    for _ in range(PROBLEMS_PER_WORKBOOK + found):
        report.add(other, file="福祉課.xlsx", sheet="制度", cell="S2", header="担当者メモ", suggestion="")
    report.close_file("福祉課.xlsx")
    assert str(report.problems[-1]) == guide.example_line(kind)


def test_a_problem_over_the_cap_is_counted_and_its_message_never_made():
    report = Report()
    for row in range(PROBLEMS_PER_WORKBOOK):
        report.add(kinds.ROW_WITHOUT_ID, file="福祉課.xlsx", sheet="制度", cell=f"A{row + 2}", row=row + 2)
    report.add(kinds.ROW_WITHOUT_ID, file="福祉課.xlsx", sheet="制度", cell="A999")  # no values: formatting would fail
    with pytest.raises(KeyError):
        report.add(kinds.ROW_WITHOUT_ID, file="防災課.xlsx", sheet="制度", cell="A2")  # under its own cap: formatted
    assert len(report.problems) == PROBLEMS_PER_WORKBOOK and report.error_count == PROBLEMS_PER_WORKBOOK + 1


def test_only_a_declared_kind_makes_a_problem():
    report = Report()
    with pytest.raises(TypeError):
        report.add("corrupt-workbook", file="福祉課.xlsx")  # a bare code: its message would be written at the call site
    with pytest.raises(TypeError):
        report.add(kinds.CORRUPT_WORKBOOK, "壊れています。", file="福祉課.xlsx")  # a kind's message is its template's
    assert report.problems == []


def test_replayed_problems_are_appended_as_they_were_and_count_toward_their_workbooks_cap():
    found = Report()
    for row in range(PROBLEMS_PER_WORKBOOK + 3):
        found.add(kinds.ROW_WITHOUT_ID, file="福祉課.xlsx", sheet="制度", cell=f"A{row + 2}", row=row + 2)
    found.close_file("福祉課.xlsx")
    found.add(kinds.UNKNOWN_COLUMN, file="防災課.xlsx", sheet="制度", cell="S2", header="メモ", suggestion="")
    report = Report()
    report.replay(found.problems)
    assert report.problems == found.problems  # the summary line too: not capped again
    assert (len(report.errors), len(report.warnings)) == (PROBLEMS_PER_WORKBOOK + 1, 1) and not report.ok
    report.add(kinds.ROW_WITHOUT_ID, file="福祉課.xlsx", sheet="制度", cell="A999", row=999)  # over the cap
    report.add(kinds.ROW_WITHOUT_ID, file="防災課.xlsx", sheet="制度", cell="A2", row=2)  # under
    assert report.problems[-1].file == "防災課.xlsx" and len(report.problems) == len(found.problems) + 1


# ---------------------------------------------------------------- 最小値 and 最大値 of 数値 questions

def common_with_limits(folder: Path, rows: dict[str, tuple]) -> None:
    """small_city's common.xlsx with 最小値 and 最大値 columns (H, I), filled for the questions named."""
    questions = [list(row) + list(rows.get(row[0], ("", ""))) for row in QUESTIONS]
    write_workbook(folder / "common.xlsx", {"設定": SETTINGS, "質問": [QUESTION_HEADERS + ["最小値", "最大値"]] + questions,
                                            "分類": CATEGORIES})


def test_number_limits_are_read_and_default_to_zero_and_no_maximum(tmp_path):
    folder = city(tmp_path)
    common_with_limits(folder, {"世帯人数": (1, "２０")})
    questions = {q.id: q for q in validate_folder(folder).site.questions}
    assert (questions["世帯人数"].minimum, questions["世帯人数"].maximum) == (1, 20)
    common_with_limits(folder, {})
    questions = {q.id: q for q in validate_folder(folder).site.questions}
    assert (questions["世帯人数"].minimum, questions["世帯人数"].maximum) == (0, None)


def test_bad_number_limit(tmp_path):
    folder = city(tmp_path)
    common_with_limits(folder, {"世帯人数": ("", "20人まで")})
    assert problems(folder) == [error(
        "bad-number-limit", "最大値「20人まで」が数として読めません。質問「世帯人数」が受け付ける最大値を、1 や 20 のように数だけで書いてください。",
        file="common.xlsx", sheet="質問", cell="I4")]


def test_number_limits_reversed_or_on_a_choice_question(tmp_path):
    folder = city(tmp_path)
    common_with_limits(folder, {"世帯人数": (10, 2), "住家被害": (1, "")})
    assert problems(folder) == [
        error("bad-number-limit", "質問「住家被害」は数値の質問ではないので、最小値は使いません。最小値を空欄にしてください。",
              file="common.xlsx", sheet="質問", cell="H2"),
        error("bad-number-limit", "質問「世帯人数」の最小値（10）が最大値（2）より大きくなっています。小さい数を最小値にしてください。",
              file="common.xlsx", sheet="質問", cell="H4"),
    ]


# ---------------------------------------------------------------- the 書類 sheet

DOCUMENT_HEADERS = ["書類名", "説明", "入手先", "発行する制度"]


def common_with_documents(folder: Path, documents: list[list]) -> None:
    write_workbook(folder / "common.xlsx", {"設定": SETTINGS, "質問": [QUESTION_HEADERS] + QUESTIONS, "分類": CATEGORIES,
                                            "書類": [DOCUMENT_HEADERS] + documents})


def test_documents_are_read_and_lines_may_carry_a_note(tmp_path):
    folder = city(tmp_path)
    common_with_documents(folder, [["り災証明書", "被害の程度の証明", "市役所 税務課", "risai"],
                                   ["預金通帳の写し", "", "お手元の通帳", ""]])
    write_department(folder, programs=changed_program(0, 必要書類="り災証明書（写し可）\n預金通帳の写し"))
    validation = validate_folder(folder)
    assert validation.report.problems == []
    assert [(d.name, d.source, d.issued_by) for d in validation.site.documents] == [
        ("り災証明書", "市役所 税務課", "risai"), ("預金通帳の写し", "お手元の通帳", "")]


def test_a_document_line_that_names_no_document_is_a_warning_with_did_you_mean(tmp_path):
    folder = city(tmp_path)
    common_with_documents(folder, [["り災証明書", "", "", ""], ["預金通帳の写し", "", "", ""]])
    write_department(folder, programs=changed_program(0, 必要書類="罹災証明書（写し可）\n預金通帳の写し"))
    assert problems(folder) == [error(
        "unknown-document", "必要書類「罹災証明書（写し可）」は common.xlsx の書類シートにありません（書いたとおりに表示します）。"
        "書類シートの書類名で書き、制度ごとの注意は後ろに（　）で書いてください（例: 「り災証明書（写し可）」）（もしかして「り災証明書」？）。",
        cell="I2")]
    assert validate_folder(folder).site.programs[0].documents == ("罹災証明書（写し可）", "預金通帳の写し")  # as written


@pytest.mark.parametrize("line", ["住民票、印鑑登録証明書", "り災証明書,預金通帳の写し", "住民票（世帯全員分）、戸籍謄本"])
def test_a_document_line_listing_several_documents_is_a_warning(tmp_path, line):
    """Said instead of unknown-document: the line names no 書類名 because it names several."""
    folder = city(tmp_path)
    common_with_documents(folder, [["り災証明書", "", "", ""], ["預金通帳の写し", "", "", ""]])
    write_department(folder, programs=changed_program(0, 必要書類=f"り災証明書\n{line}"))
    assert problems(folder) == [error(
        "several-documents", f"必要書類「{line}」には、「、」や「,」で区切って書類がいくつか書かれているようです。"
        "書類は1行に1つずつ（Alt+Enter で改行して）書いてください（書類についての注意は後ろに（　）で書けます）。", cell="I2")]


@pytest.mark.parametrize("line", ["本人確認書類（マイナンバーカード、運転免許証など）", "り災証明書（被災証明書でも可、写し可）",
                                  "住民票(世帯全員分,続柄の記載があるもの)", "写真（片付けの前（修理の前、撤去の前）のもの）",
                                  "身分証、保険証"])
def test_a_comma_in_a_note_or_in_a_documents_name_is_one_document(tmp_path, line):
    folder = city(tmp_path)
    common_with_documents(folder, [["本人確認書類", "", "", ""], ["り災証明書", "", "", ""], ["住民票", "", "", ""],
                                   ["写真", "", "", ""], ["身分証、保険証", "", "", ""]])
    write_department(folder, programs=changed_program(0, 必要書類=line))
    assert problems(folder) == []


def test_without_a_documents_sheet_document_lines_are_not_checked(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(0, 必要書類="なんでも"))
    assert problems(folder) == []


def test_terms_are_read_and_a_repeated_word_is_an_error(tmp_path):
    folder = city(tmp_path)
    terms = [["語", "読み", "同義語"], ["り災証明書", "りさいしょうめいしょ", "罹災証明書\nりさい証明書"],
             ["仮設住宅", "かせつじゅうたく", ""]]
    write_workbook(folder / "common.xlsx", {"設定": SETTINGS, "質問": [QUESTION_HEADERS] + QUESTIONS, "分類": CATEGORIES,
                                            "用語": terms})
    validation = validate_folder(folder)
    assert validation.report.problems == []
    assert [(t.word, t.reading, t.synonyms) for t in validation.site.terms] == [
        ("り災証明書", "りさいしょうめいしょ", ("罹災証明書", "りさい証明書")), ("仮設住宅", "かせつじゅうたく", ())]
    write_workbook(folder / "common.xlsx", {"設定": SETTINGS, "質問": [QUESTION_HEADERS] + QUESTIONS, "分類": CATEGORIES,
                                            "用語": terms + [["り災証明書", "", "り災"]]})
    assert problems(folder) == [
        error("duplicate-term", "用語シートに語「り災証明書」が2つあります（A2 と A4）。1つの語は1行にまとめてください。",
              file="common.xlsx", sheet="用語", cell="A4"),
    ]


def test_duplicate_document_and_unknown_issuing_program(tmp_path):
    folder = city(tmp_path)
    common_with_documents(folder, [["り災証明書", "", "", "risai-shoumei"], ["預金通帳の写し", "", "", ""],
                                   ["り災証明書", "", "", ""]])
    assert problems(folder) == [
        error("duplicate-document", "書類名「り災証明書」が2つあります（A2 と A4）。1つの書類は1行にまとめてください。",
              file="common.xlsx", sheet="書類", cell="A4"),
        error("unknown-issuing-program", "書類「り災証明書」の発行する制度「risai-shoumei」は、どの部署のブックにもありません"
              "（公開していない制度も含めて）。書類を出す制度の制度IDにするか、空欄にしてください（もしかして「risai」？）。",
              file="common.xlsx", sheet="書類", cell="D2"),
    ]
