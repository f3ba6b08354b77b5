"""`navigator init` and `navigator template`: the workbooks people fill in, opened as Excel would.

Every produced workbook is opened with openpyxl and its dropdowns (data validations), input
messages, fills and values are checked; a template filled in by the test must pass
validate_folder with zero problems, and an updated workbook must lose nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from clirun import run
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation
from sheetmaker import CATEGORIES, QUESTIONS, write_common

from navigator.check.validate import validate_folder
from navigator.contract import sheets as schema
from navigator.contract.problem_kinds import KINDS
from navigator.contract.text import normalize_key
from navigator.tooling import guide
from navigator.tooling.template import insertion, instructions, style, update

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sheets"

# small_city's questions (tests/sheetmaker.py), as condition column headers in question order.
CONDITION_HEADERS = [
    "住家被害:全壊", "住家被害:大規模半壊", "住家被害:半壊", "住家被害:一部損壊", "住家被害:被害なし",
    "再建方法:建設・購入", "再建方法:補修", "再建方法:賃借",
    "世帯人数",
    "世帯の状況:小中学生がいる", "世帯の状況:65歳以上の方がいる", "世帯の状況:障害のある方がいる",
    "事業:はい", "事業:いいえ",
]
HEADERS = list(schema.PROGRAMS.headers) + CONDITION_HEADERS


@pytest.fixture
def sheets(tmp_path) -> Path:
    """A folder holding only small_city's common.xlsx."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_common(folder)
    return folder


def new_template(capsys, sheets: Path, name: str = "福祉課") -> Path:
    code, out, err = run(capsys, "template", name, "--sheets", str(sheets))
    assert (code, err) == (0, ""), out + err
    return sheets / f"{name}.xlsx"


def header_row(ws, row: int = style.HEADER_ROW) -> list:
    return [ws.cell(row, c).value for c in range(1, ws.max_column + 1)]


def column_of(ws, header: str, row: int = style.HEADER_ROW) -> str:
    return openpyxl.utils.get_column_letter(header_row(ws, row).index(header) + 1)


def validations_at(ws, coordinate: str) -> list[DataValidation]:
    return [v for v in ws.data_validations.dataValidation if coordinate in v.sqref]


def only_validation(ws, coordinate: str) -> DataValidation:
    found = validations_at(ws, coordinate)
    assert len(found) == 1, (coordinate, found)
    return found[0]


def fill(ws, row: int, values: dict, header: int = style.HEADER_ROW) -> None:
    headers = header_row(ws, header)
    for name, value in values.items():
        ws.cell(row, headers.index(name) + 1, value)


def problems(folder: Path) -> list[str]:
    return [str(p) for p in validate_folder(folder).report.problems]


PROGRAM_ROWS = [
    {"制度ID": "shien-kin", "制度名": "生活再建支援金", "分類": "生活再建", "概要": "住まいが大きな被害を受けた世帯への支援金です。",
     "支援内容": "最大300万円", "申請期限": dt.datetime(2027, 3, 31), "必要書類": "り災証明書\n預金通帳の写し",
     "詳細URL": "https://www.example.jp/shien", "住家被害:全壊": "○", "世帯人数": "2人以上"},
    {"制度ID": "shien-kin", "住家被害:大規模半壊": "○", "世帯の状況:65歳以上の方がいる": "○", "備考": "高齢者のいる世帯"},
    {"制度ID": "risai", "制度名": "り災証明書の交付", "分類": "生活再建", "概要": "被害の程度を証明します。", "申請期限": "随時"},
    {"制度ID": "old", "制度名": "終了した制度", "分類": "住まい", "概要": "受付は終わりました。", "公開": "×",
     "事業:はい": "○"},
]


def fill_programs(path: Path, rows=PROGRAM_ROWS) -> None:
    workbook = openpyxl.load_workbook(path)
    ws = workbook["制度"]
    for number, values in enumerate(rows, start=style.HEADER_ROW + 1):
        fill(ws, number, values)
    workbook.save(path)


# ---------------------------------------------------------------- template: the workbook


def test_template_sheets_and_department(capsys, sheets):
    path = new_template(capsys, sheets)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["記入方法", "部署", "制度", "_リスト"]
    assert workbook.active.title == "記入方法"
    department = workbook["部署"]
    assert [[c.value for c in row] for row in department.iter_rows()] == [
        ["項目", "値"], ["部署名", "福祉課"], ["電話番号", None], ["メール", None], ["窓口", None]]
    assert department["A2"].fill.fgColor.rgb == "00" + style.REQUIRED_FILL
    for row, item in enumerate(schema.DEPARTMENT.items, start=2):
        message = only_validation(department, f"B{row}")
        assert message.showInputMessage and message.promptTitle == item.header
        assert message.prompt == item.help


def test_template_has_every_column_and_one_condition_column_per_choice(capsys, sheets):
    ws = openpyxl.load_workbook(new_template(capsys, sheets))["制度"]
    assert header_row(ws) == HEADERS
    assert ws.freeze_panes == "C3"  # the header rows, 制度ID and 制度名 stay in view
    assert ws.max_row == style.HEADER_ROW  # no example row on 制度: it would be published or counted


def test_template_dropdowns_for_category_publish_and_marks(capsys, sheets):
    workbook = openpyxl.load_workbook(new_template(capsys, sheets))
    ws = workbook["制度"]
    category = only_validation(ws, "C3")
    assert (category.type, category.formula1, category.showErrorMessage, category.errorStyle) == (
        "list", style.CATEGORY_LIST_NAME, True, "stop")
    assert "C500" in category.sqref and "C501" not in category.sqref
    # The list lives on a hidden helper sheet, through a defined name (long lists do not fit in a formula).
    helper = workbook["_リスト"]
    assert helper.sheet_state == "hidden"
    assert [r[0] for r in helper.iter_rows(values_only=True)] == [name for name, _ in CATEGORIES[1:]]
    assert workbook.defined_names[style.CATEGORY_LIST_NAME].attr_text == "'_リスト'!$A$1:$A$3"
    published = only_validation(ws, f"{column_of(ws, '公開')}3")
    assert (published.type, published.formula1) == ("list", '"○,×"')
    for header in CONDITION_HEADERS:
        cell = f"{column_of(ws, header)}3"
        validation = only_validation(ws, cell)
        assert validation.showInputMessage and validation.promptTitle == header
        if header == "世帯人数":
            assert validation.type is None
            assert "「2人以上」" in validation.prompt
        else:
            assert (validation.type, validation.formula1) == ("list", '"○"')
            assert f"「{header.split(':')[1]}」と答えた人が対象なら ○" in validation.prompt
        assert f"{column_of(ws, header)}500" in validation.sqref
    for header in ("制度ID", "制度名", "概要", "備考"):  # free text: no dropdown on the data cells
        assert validations_at(ws, f"{column_of(ws, header)}3") == []


def test_a_number_columns_tips_give_ranges_in_the_questions_unit(capsys, sheets):
    """An age question's column shows 「65歳以上」…, not 「2歳以上」「65歳未満」 made for counting people."""
    questions = [list(row) for row in QUESTIONS]
    questions[2][5] = "歳"  # 世帯人数, counted in 歳 here
    write_common(sheets, questions=questions)
    ws = openpyxl.load_workbook(new_template(capsys, sheets))["制度"]
    examples = "「65歳以上」「18歳未満」「6〜15歳」「3歳」"
    assert examples in only_validation(ws, f"{column_of(ws, '世帯人数')}{style.HEADER_ROW}").prompt
    assert examples in only_validation(ws, f"{column_of(ws, '世帯人数')}{style.HEADER_ROW + 1}").prompt


def test_every_header_cell_explains_its_column_in_an_input_message(capsys, sheets):
    ws = openpyxl.load_workbook(new_template(capsys, sheets))["制度"]
    for column, header in enumerate(HEADERS, start=1):
        message = only_validation(ws, f"{openpyxl.utils.get_column_letter(column)}2")
        assert message.showInputMessage and message.type is None
        assert message.promptTitle == header
        assert len(message.promptTitle) <= 32 and 10 < len(message.prompt) <= 255
        if header in schema.PROGRAMS.headers:
            assert message.prompt == schema.PROGRAMS.column(header).help
    assert only_validation(ws, f"{column_of(ws, '住家被害:全壊')}2").prompt.startswith(
        "質問「住まいの被害の程度は？」で「全壊」と答えた人が対象なら ○ を付けます。")


def test_headers_are_filled_by_kind_and_grouped_by_question(capsys, sheets):
    ws = openpyxl.load_workbook(new_template(capsys, sheets))["制度"]
    colour = lambda header: ws[f"{column_of(ws, header)}2"].fill.fgColor.rgb[2:]  # noqa: E731
    assert [colour(h) for h in ("制度ID", "制度名", "分類", "概要")] == [style.REQUIRED_FILL] * 4
    assert [colour(h) for h in ("対象者", "公開", "備考")] == [style.OPTIONAL_FILL] * 3
    yellow, green = style.CONDITION_FILLS
    assert [colour(h) for h in ("住家被害:全壊", "再建方法:補修", "世帯人数", "世帯の状況:小中学生がいる", "事業:はい")] == [
        yellow, green, yellow, green, yellow]
    groups = {str(r): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges}
    assert groups == {
        "A1:N1": "制度の情報（1行に1つの制度。オレンジの見出しは必ず書く）",
        "O1:S1": "住家被害：住まいの被害の程度は？（1つ選ぶ質問: 対象の答えに ○）",
        "T1:V1": "再建方法：住まいをどう再建しますか？（1つ選ぶ質問: 対象の答えに ○）",
        "X1:Z1": "世帯の状況：当てはまるものをすべて選んでください（複数選べる質問: 対象の答えに ○）",
        "AA1:AB1": "事業：事業を営んでいますか？（1つ選ぶ質問: 対象の答えに ○）",
    }
    assert ws["W1"].value == "世帯人数：世帯の人数は？（数値（人）の質問: 対象の範囲を書く）"
    # Widths and wrapped text for what people type into new rows.
    assert ws.column_dimensions["D"].width == schema.PROGRAMS.column("概要").width == 44
    assert ws.column_dimensions["D"].alignment.wrap_text
    assert ws.column_dimensions["A"].number_format == "@"  # 制度ID typed as text, never as a number
    assert ws.column_dimensions[column_of(ws, "住家被害:全壊")].width == 12
    assert ws["O2"].alignment.wrap_text and ws["O2"].font.b


def test_instructions_sheet_explains_with_an_example_and_lists_the_questions(capsys, sheets):
    ws = openpyxl.load_workbook(new_template(capsys, sheets))["記入方法"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    text = "\n".join(str(v) for row in cells for v in row if v is not None)
    assert cells[0][0] == "部署のブックの書き方（記入方法）"
    for step in instructions.DEPARTMENT_STEPS:
        assert step in text
    assert "または行" in text and "○" in text
    example = [row for row in cells if row[0] == "example-mimaikin"]
    assert len(example) == 2 and example[1][1] is None  # the または row leaves 制度名 empty
    assert "1行目: 「住家被害」が「全壊」か「大規模半壊」、かつ「世帯人数」が 2人以上の人が対象" in text
    assert "2行目（または行）: 同じ制度IDで条件の列と備考だけを書いた行。または「世帯の状況」が「小中学生がいる」の人も対象" in text
    listed = {row[0]: row for row in cells if row[0] in {q[0] for q in QUESTIONS}}
    assert listed["住家被害"][3] == "全壊\n大規模半壊\n半壊\n一部損壊\n被害なし"
    assert listed["世帯人数"][2:4] == ["数値", "範囲を書く（単位: 人）"]
    assert "分類の一覧: 生活再建、住まい、子育て・教育" in text


def test_instructions_sheet_prints_one_page_wide_and_shows_every_line(capsys, sheets):
    """Printed, a long step is not cut at the page's edge; on screen, a wrapped 質問文 is not cut at the row's foot."""
    write_common(sheets, questions=[list(q) for q in QUESTIONS] + [
        ["長期避難", "お住まいの地域に避難指示などが出され、長い期間、自宅に戻れない状態が続いていますか？", None,
         "単一選択", "はい\nいいえ", None, None]])
    workbook = openpyxl.load_workbook(new_template(capsys, sheets))
    for ws in (workbook["記入方法"], workbook["部署"]):
        assert (int(ws.page_setup.paperSize), ws.page_setup.orientation) == (9, "landscape")  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    ws = workbook["記入方法"]
    row = next(r for r in ws.iter_rows() if r[0].value == "長期避難")
    question_width = ws.column_dimensions["B"].width  # 30: 14 characters a line once wrapped
    lines = -(-len(row[1].value) // int((question_width - 2) / 2))
    assert lines == 3 and ws.row_dimensions[row[0].row].height >= 17 * lines


# ---------------------------------------------------------------- template: filled in, it validates


def test_a_filled_in_template_passes_validation_with_zero_problems(capsys, sheets):
    path = new_template(capsys, sheets)
    fill_programs(path)
    validation = validate_folder(sheets)
    assert [str(p) for p in validation.report.problems] == []  # the hidden _リスト and the 記入方法 sheet are ignored
    site = validation.site
    assert [p.id for p in site.programs] == ["shien-kin", "risai"]
    assert [p.id for p in site.unpublished] == ["old"]
    shien = site.programs[0]
    assert shien.department.name == "福祉課"
    assert [[r.as_dict() for r in row.requirements] for row in shien.condition_rows] == [
        [{"question": "住家被害", "choices": ["全壊"]},
         {"question": "世帯人数", "range": {"min": 2.0, "min_inclusive": True, "max": None, "max_inclusive": False,
                                         "text": "2人以上"}}],
        [{"question": "住家被害", "choices": ["大規模半壊"]},
         {"question": "世帯の状況", "choices": ["65歳以上の方がいる"]}],
    ]
    assert shien.documents == ("り災証明書", "預金通帳の写し")


def test_the_example_on_the_instructions_sheet_is_valid_when_copied_to_the_programs_sheet(capsys, sheets):
    path = new_template(capsys, sheets)
    workbook = openpyxl.load_workbook(path)
    rows = [[c.value for c in row] for row in workbook["記入方法"].iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "制度ID")
    headers = [h for h in rows[start] if h]
    for number, values in enumerate(rows[start + 1:start + 3], start=3):
        fill(workbook["制度"], number, {h: v for h, v in zip(headers, values) if v is not None})
    workbook.save(path)
    validation = validate_folder(sheets)
    assert validation.report.problems == []
    (program,) = validation.site.programs
    assert len(program.condition_rows) == 2


def test_template_cli_output_and_default_location(capsys, sheets):
    code, out, err = run(capsys, "template", "福祉課", "--sheets", str(sheets))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"「{sheets / '福祉課.xlsx'}」を作りました（部署名「福祉課」、条件の列 14列・質問 5問、分類 3件）。",
        f"ブックを開いて「記入方法」シートを読み、「制度」シートに制度を書いてください。記入したら navigator check {sheets} で確かめられます。",
    ]


def test_template_to_another_file_and_a_name_with_a_slash(capsys, sheets, tmp_path):
    code, out, _ = run(capsys, "template", "健康福祉局/福祉課", "--sheets", str(sheets))
    assert code == 0 and (sheets / "健康福祉局_福祉課.xlsx").is_file()
    assert openpyxl.load_workbook(sheets / "健康福祉局_福祉課.xlsx")["部署"]["B2"].value == "健康福祉局/福祉課"
    code, out, _ = run(capsys, "template", "税務課", "-o", str(tmp_path / "out" / "税務.xlsx"), "--sheets", str(sheets))
    assert code == 0 and (tmp_path / "out" / "税務.xlsx").is_file()
    assert f"記入したら {sheets} フォルダに置き、navigator check {sheets} で確かめられます。" in out


@pytest.mark.parametrize("args, message", [
    (["template"], "エラー: 部署名を指定してください（例: navigator template 福祉課）。今のブックを更新するなら --update ファイル名 を指定します。"),
    (["template", "福祉課", "--update", "x.xlsx"],
     "エラー: 部署名と --update は一緒に指定できません。新しいブックを作るなら部署名だけを、今のブックを更新するなら --update だけを指定してください。"),
    (["template", "--update", "x.xlsx", "-o", "y.xlsx"],
     "エラー: --update と -o は一緒に指定できません（ブックはその場で更新し、元のファイルはバックアップに残します）。"),
    (["template", "  "], "エラー: 部署名が空です。部署名を指定してください（例: navigator template 福祉課）。"),
    (["template", "福祉課", "-o", "福祉課.csv"], "エラー: 「福祉課.csv」は .xlsx で終わる名前にしてください（例: -o 福祉課.xlsx）。"),
])
def test_template_usage_errors_exit_2(capsys, sheets, args, message):
    code, out, err = run(capsys, *args, "--sheets", str(sheets))
    assert code == 2 and out == ""
    assert err.splitlines()[0] == message


def test_template_never_overwrites(capsys, sheets):
    path = new_template(capsys, sheets)
    before = path.read_bytes()
    code, out, err = run(capsys, "template", "福祉課", "--sheets", str(sheets))
    assert code == 2
    assert err.splitlines()[0] == (f"エラー: 「{path}」はすでにあります。上書きはしません。別のファイル名を -o で指定するか、"
                                   f"今のブックを新しい質問に合わせるなら navigator template --update {path} を使ってください。")
    assert path.read_bytes() == before


def test_template_without_common_xlsx_or_with_errors_in_it_exits_1(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "template", "福祉課", "--sheets", str(empty))
    assert code == 1
    assert err == (f"エラー: フォルダ「{empty}」に common.xlsx がありません。--sheets で common.xlsx のあるフォルダを指定してください"
                   "（新しい自治体なら navigator init で作れます）。\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    write_common(broken, questions=QUESTIONS + [["事業", "二度目", "", "単一選択", "はい", "", ""]])
    code, out, err = run(capsys, "template", "福祉課", "--sheets", str(broken))
    assert code == 1
    assert out == ("[エラー] common.xlsx / 質問 / A7: 質問ID「事業」が2つあります（A6 と A7）。別の質問IDにしてください。\n")
    assert err == "エラー: common.xlsx にエラーがあるため、部署のブックを作れません。上のエラーを直してください。\n"
    assert not (broken / "福祉課.xlsx").exists()


def test_help_of_every_new_command_shows_an_example(capsys):
    for command in ("init", "template"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert "例:" in out, command
    code, out, _ = run(capsys, "template", "--help")
    assert "navigator template --update sheets/福祉課.xlsx" in out


# ---------------------------------------------------------------- init


def test_init_makes_a_city_that_passes_check_with_zero_problems(capsys, tmp_path):
    folder = tmp_path / "みどり市"
    code, out, err = run(capsys, "init", str(folder), "--city", "みどり市")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"「{folder}」に新しい自治体のシートを作りました。",
        f"  {folder / 'common.xlsx'}  設定・質問・分類（取りまとめ課が書き換えます。書き方は「記入方法」シート）",
        f"  {folder / '例_福祉課.xlsx'}  部署のブックの例（制度は記入例です。公開が × なのでサイトには載りません）",
        "次にすること:",
        "  1. common.xlsx の「設定」「質問」「分類」を、自分の自治体に合わせて書き換えます。",
        f"  2. 各課のブックを作ります: navigator template 福祉課 --sheets {folder}",
        f"  3. 確かめます: navigator check {folder}",
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["common.xlsx", "例_福祉課.xlsx"]
    code, out, err = run(capsys, "check", str(folder))
    # Zero errors: the example program is read, checked and kept off the site (公開 ×), which the one warning says.
    assert (code, out.splitlines()) == (0, [
        "[警告] 公開する制度が1つもありません（読み込んだ制度 1件はすべて公開が × です）。このままではサイトに制度が載りません。"
        "載せる制度の「公開」を空欄か「○」にしてください。",
        "エラー 0件、警告 1件。制度 1件を読み込み: 公開 0、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2"])
    settings = validate_folder(folder).site.settings
    assert (settings.municipality, settings.site_name) == ("みどり市", "みどり市 支援制度ナビ")
    # The next step the output names works too.
    code, out, _ = run(capsys, "template", "福祉課", "--sheets", str(folder))
    assert code == 0
    assert run(capsys, "check", str(folder))[0] == 0


def test_init_common_xlsx_is_ready_to_fill_in(capsys, tmp_path):
    folder = tmp_path / "city"
    assert run(capsys, "init", str(folder))[0] == 0
    workbook = openpyxl.load_workbook(folder / "common.xlsx")
    assert workbook.sheetnames == ["記入方法", "設定", "質問", "分類"]
    assert workbook["設定"]["B3"].value == "〇〇市"
    # Until rewritten, check (and build) say the placeholder is still there, and that nothing is published yet.
    assert [(p.code, p.cell) for p in validate_folder(folder).report.problems] == [
        ("placeholder-setting", "B2"), ("placeholder-setting", "B3"), ("nothing-published", None)]
    assert workbook["記入方法"]["A1"].value == style.COMMON_INSTRUCTIONS_TITLE
    questions = workbook["質問"]
    kinds = only_validation(questions, "D2")
    assert (kinds.type, kinds.formula1, kinds.showErrorMessage) == ("list", '"単一選択,複数選択,数値"', True)
    assert "D500" in kinds.sqref
    for spec in (schema.QUESTIONS, schema.CATEGORIES):
        ws = workbook[spec.sheet]
        assert header_row(ws, 1) == list(spec.headers)
        for number, column in enumerate(spec.columns, start=1):
            letter = openpyxl.utils.get_column_letter(number)
            message = next(v for v in validations_at(ws, f"{letter}1"))
            assert (message.showInputMessage, message.promptTitle, message.prompt) == (True, column.header, column.help)
            assert ws.column_dimensions[letter].width == column.width
    settings = workbook["設定"]
    for row, item in enumerate(schema.SETTINGS.items, start=2):
        assert settings.cell(row, 1).value == item.header
        assert only_validation(settings, f"B{row}").prompt == item.help
    example = openpyxl.load_workbook(folder / "例_福祉課.xlsx")
    assert example["部署"]["B2"].value == "福祉課（例）"
    assert example["制度"]["A3"].value == example["制度"]["A4"].value == "example-mimaikin"


def test_init_refuses_a_folder_that_is_not_empty(capsys, tmp_path):
    (tmp_path / "city").mkdir()
    (tmp_path / "city" / "メモ.txt").write_text("大事なメモ", encoding="utf-8")
    code, out, err = run(capsys, "init", str(tmp_path / "city"))
    assert code == 2
    assert err.splitlines()[0] == (f"エラー: フォルダ「{tmp_path / 'city'}」は空ではありません。"
                                   "中のファイルを上書きしないよう、新しいフォルダの名前を指定してください。")
    assert [p.name for p in (tmp_path / "city").iterdir()] == ["メモ.txt"]
    code, _, err = run(capsys, "init")
    assert code == 2 and err.splitlines()[0] == "エラー: DIR を指定してください。"


# ---------------------------------------------------------------- template --update


def changed_questions() -> list[list]:
    """New choice in the middle of 住家被害, a new question between 世帯人数 and 世帯の状況."""
    rows = [list(r) for r in QUESTIONS]
    rows[0][4] = "全壊\n大規模半壊\n中規模半壊\n半壊\n一部損壊\n被害なし"
    rows.insert(3, ["ペット", "ペットを飼っていますか？", "", "単一選択", "はい\nいいえ", "", ""])
    return rows


def values_by_header(path: Path, header: int = style.HEADER_ROW) -> list[dict]:
    ws = openpyxl.load_workbook(path)["制度"]
    headers = header_row(ws, header)
    return [{h: ws.cell(r, c).value for c, h in enumerate(headers, start=1) if h and ws.cell(r, c).value is not None}
            for r in range(header + 1, ws.max_row + 1)]


def test_update_adds_new_columns_and_keeps_every_value(capsys, sheets):
    path = new_template(capsys, sheets)
    fill_programs(path)
    original = path.read_bytes()
    before_values = values_by_header(path)
    before = validate_folder(sheets)
    assert before.report.problems == []

    write_common(sheets, questions=changed_questions(), categories=CATEGORIES + [["事業者向け", ""]])
    code, out, err = run(capsys, "template", "--update", str(path), "--sheets", str(sheets))
    assert (code, err) == (0, "")
    backup = next((sheets / "バックアップ").iterdir())
    assert re.fullmatch(r"福祉課\.bak-\d{8}-\d{6}\.xlsx", backup.name)
    assert backup.read_bytes() == original
    assert out.splitlines() == [
        f"「{path}」を今の質問・分類に合わせて更新しました。入力済みの値はそのままです。",
        f"更新前のブックは「{backup}」に残しています。",
        "追加した列（3列）:",
        "  Q列「住家被害:中規模半壊」",
        "  Y列「ペット:はい」",
        "  Z列「ペット:いいえ」",
    ]
    # Read back: the same values under the same headers, and the same programs, conditions and all.
    assert values_by_header(path) == before_values
    after = validate_folder(sheets)
    assert after.report.problems == []  # the バックアップ sub-folder is not read: no duplicate 制度ID
    assert after.site.programs == before.site.programs
    assert after.site.unpublished == before.site.unpublished

    workbook = openpyxl.load_workbook(path)
    ws = workbook["制度"]
    fresh = ["住家被害:全壊", "住家被害:大規模半壊", "住家被害:中規模半壊", "住家被害:半壊", "住家被害:一部損壊", "住家被害:被害なし",
             "再建方法:建設・購入", "再建方法:補修", "再建方法:賃借", "世帯人数", "ペット:はい", "ペット:いいえ"]
    assert header_row(ws)[14:26] == fresh  # in question order, next to their question's columns
    for header in ("住家被害:中規模半壊", "ペット:はい"):
        mark = only_validation(ws, f"{column_of(ws, header)}3")
        assert (mark.type, mark.formula1, mark.promptTitle) == ("list", '"○"', header)
        assert only_validation(ws, f"{column_of(ws, header)}2").showInputMessage
        assert ws[f"{column_of(ws, header)}2"].fill.fgColor.rgb[2:] in style.CONDITION_FILLS
    assert only_validation(ws, "C3").formula1 == style.CATEGORY_LIST_NAME
    assert workbook.defined_names[style.CATEGORY_LIST_NAME].attr_text == "'_リスト'!$A$1:$A$4"
    assert [r[0] for r in workbook["_リスト"].iter_rows(values_only=True)][-1] == "事業者向け"
    groups = {str(r): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges}
    assert groups["O1:T1"].startswith("住家被害：") and groups["Y1:Z1"].startswith("ペット：")
    # The 記入方法 sheet lists the questions as they are now.
    assert any(row[0] == "ペット" for row in workbook["記入方法"].iter_rows(values_only=True))
    # Every validation on the sheet is one the template would write: nothing stale left behind.
    assert sum(1 for v in ws.data_validations.dataValidation for r in v.sqref.ranges if r.min_row == 2) == len(header_row(ws))

    # Once up to date, nothing changes and no second backup is made.
    code, out, _ = run(capsys, "template", "--update", str(path), "--sheets", str(sheets))
    assert code == 0
    assert out == f"「{path}」はすでに今の質問・分類に合っています。ファイルは変えていません。\n"
    assert len(list((sheets / "バックアップ").iterdir())) == 1


def test_update_reports_columns_of_removed_questions_and_choices_and_deletes_nothing(capsys, sheets):
    path = new_template(capsys, sheets)
    fill_programs(path, PROGRAM_ROWS + [{"制度ID": "hoshu", "制度名": "補修の支援", "分類": "住まい", "概要": "補修費の一部。",
                                         "住家被害:一部損壊": "○", "事業:いいえ": "○"}])
    before_values = values_by_header(path)
    questions = [list(r) for r in QUESTIONS if r[0] != "事業"]
    questions[0][4] = "全壊\n大規模半壊\n半壊\n被害なし"
    write_common(sheets, questions=questions)
    code, out, _ = run(capsys, "template", "--update", str(path))  # common.xlsx beside the workbook
    assert code == 0
    assert out.splitlines()[2:] == [
        "今の質問にない列（3列、消していません。このままでは navigator check でエラーになります）:",
        "  R列「住家被害:一部損壊」: 質問「住家被害」に選択肢「一部損壊」はもうありません。値の入ったセルが 1個あります。"
        "正しい列に移してから、この列を削除してください。",
        "  AA列「事業:はい」: 質問「事業」は common.xlsx の質問にもうありません。値の入ったセルが 1個あります。正しい列に移してから、この列を削除してください。",
        "  AB列「事業:いいえ」: 質問「事業」は common.xlsx の質問にもうありません。値の入ったセルが 1個あります。正しい列に移してから、この列を削除してください。",
    ]
    assert values_by_header(path) == before_values
    ws = openpyxl.load_workbook(path)["制度"]
    assert ws["R2"].fill.fgColor.rgb[2:] == style.OBSOLETE_FILL
    assert only_validation(ws, "R2").promptTitle == "今の質問にない列"
    codes = [p.code for p in validate_folder(sheets).report.problems]
    assert codes == ["unknown-condition-choice", "unknown-condition-question", "unknown-condition-question"]


def test_update_keeps_what_a_department_added_and_moves_references(capsys, sheets):
    """Own columns with their own dropdown, notes, links, formulas, title rows: all carried over."""
    path = sheets / "福祉課.xlsx"
    workbook = openpyxl.Workbook()
    department = workbook.active
    department.title = "部署"
    department.append(["項目", "値"])
    department.append(["部署名", "福祉課"])
    department.append(["窓口", "=制度!C4"])  # refers to 世帯人数, right of where new columns go
    ws = workbook.create_sheet("制度")
    ws["A1"] = "福祉課の制度一覧（令和8年度）"
    headers = ["制度ID", "制度名", "住家被害:全壊", "世帯人数", "担当", "分類", "概要"]
    for column, header in enumerate(headers, start=1):
        ws.cell(3, column, header)
    ws.append(["shien-kin", "生活再建支援金", "○", "2以上", "田中", "生活再建", "支援金です。"])
    ws["B4"].hyperlink = "https://www.example.jp/shien"
    ws["E4"].comment = Comment("担当替えの予定あり", "福祉課")
    ws["H4"] = "=D4&\"（\"&$C$4&\"）\""
    own = DataValidation(type="list", formula1='"田中,鈴木"', allow_blank=True)
    own.add("E4:E100")
    ws.add_data_validation(own)
    ws.column_dimensions["E"].width = 33
    ws.merge_cells("A1:D1")
    workbook.save(path)

    code, out, _ = run(capsys, "template", "--update", str(path), "--sheets", str(sheets))
    assert code == 0
    assert "  B列「分類」" not in out and "制度の列でも条件の列でもない列" in out and "「担当」" in out
    assert ("数式のセルが 2個あります。更新したブックには数式の計算結果が入っていないので、"
            "Excel で開いて上書き保存してから navigator check してください。") in out
    workbook = openpyxl.load_workbook(path)
    ws = workbook["制度"]
    headers = header_row(ws, 3)
    assert headers[:4] == ["制度ID", "制度名", "住家被害:全壊", "住家被害:大規模半壊"]
    assert ws["A1"].value == "福祉課の制度一覧（令和8年度）"  # a title row is not a group row: left alone
    # Columns inserted inside the merged title widen it, as Excel does.
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:K1"]
    moved = lambda header: column_of(ws, header, 3)  # noqa: E731
    assert ws[f"{moved('担当')}4"].value == "田中"
    assert ws[f"{moved('担当')}4"].comment.text == "担当替えの予定あり"
    assert ws.column_dimensions[moved("担当")].width == 33
    assert [str(v.sqref) for v in ws.data_validations.dataValidation if v.formula1 == '"田中,鈴木"'] == [
        f"{moved('担当')}4:{moved('担当')}100"]
    assert ws["B4"].hyperlink.target == "https://www.example.jp/shien"
    assert workbook["部署"]["B3"].value == f"=制度!{moved('住家被害:全壊')}4"
    formula_cell = next(c for c in ws[4] if isinstance(c.value, str) and c.value.startswith("="))
    assert formula_cell.value == f"={moved('世帯人数')}4&\"（\"&${moved('住家被害:全壊')}$4&\"）\""
    # Every header of docs/sheet-format.md is there now, and the programs read the same.
    assert set(schema.PROGRAMS.headers) <= set(headers)
    assert values_by_header(path, 3)[0]["担当"] == "田中"


def test_update_warns_about_macros_images_and_charts(capsys, sheets):
    path = new_template(capsys, sheets)
    fill_programs(path)
    macro = sheets / "福祉課.xlsm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00fake macro")
        target.writestr("xl/media/image1.png", b"\x89PNG fake")
        target.writestr("xl/charts/chart1.xml", "<chart/>")
    path.unlink()
    write_common(sheets, questions=changed_questions())
    code, out, _ = run(capsys, "template", "--update", str(macro), "--sheets", str(sheets))
    assert code == 0
    assert out.splitlines()[-4:] == [
        "注意:",
        "  マクロがあります。マクロは残しましたが、デジタル署名は外れます。マクロが動くか確かめてください。",
        "  画像があります。画像は消えたり位置が変わったりすることがあります。必要ならバックアップから貼り直してください。",
        "  グラフがあります。グラフは消えることがあります。必要ならバックアップからコピーし直してください。",
    ]
    with zipfile.ZipFile(macro) as updated:
        assert updated.read("xl/vbaProject.bin") == b"\x00fake macro"
    assert (sheets / "バックアップ").is_dir() and len(list((sheets / "バックアップ").iterdir())) == 1
    assert values_by_header(macro)[0]["制度ID"] == "shien-kin"


def test_update_of_a_workbook_saved_by_libreoffice_warns_of_nothing(capsys, tmp_path):
    """LibreOffice Calc writes an empty drawing part into every sheet: no shape to lose, so no warning."""
    sheets = tmp_path / "sheets"
    shutil.copytree(Path(__file__).parent / "fixtures" / "libreoffice", sheets)
    with zipfile.ZipFile(sheets / "福祉課.xlsx") as saved:
        assert [n for n in saved.namelist() if n.startswith("xl/drawings/")]
    assert update.unsupported_contents(sheets / "福祉課.xlsx") == []
    code, out, _ = run(capsys, "template", "--update", str(sheets / "福祉課.xlsx"))
    assert code == 0 and "注意:" not in out
    assert validate_folder(sheets).report.ok


def test_update_warns_about_shapes(capsys, sheets):
    path = new_template(capsys, sheets)
    shape = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
             '<xdr:twoCellAnchor><xdr:from/><xdr:to/><xdr:sp/><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>')
    with_shape = sheets / "図形課.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(with_shape, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/drawings/drawing1.xml", shape)
    assert update.unsupported_contents(with_shape) == [
        "図形やテキストボックスがあります。これらは消えます。必要ならバックアップからコピーし直してください。"]


def test_update_refuses_a_missing_file_an_open_file_and_a_workbook_without_programs(capsys, sheets):
    code, _, err = run(capsys, "template", "--update", str(sheets / "ない.xlsx"), "--sheets", str(sheets))
    assert code == 2 and err.splitlines()[0] == f"エラー: ファイル「{sheets / 'ない.xlsx'}」がありません。ファイルの場所を確かめてください。"
    path = new_template(capsys, sheets)
    (sheets / "~$福祉課.xlsx").write_bytes(b"lock")
    code, _, err = run(capsys, "template", "--update", str(path), "--sheets", str(sheets))
    assert code == 1 and err == f"エラー: 「{path}」は Excel で開かれているようです。Excel で閉じてから、もう一度実行してください。\n"
    code, _, err = run(capsys, "template", "--update", str(sheets / "common.xlsx"), "--sheets", str(sheets))
    assert code == 1 and err == f"エラー: 「{sheets / 'common.xlsx'}」に「制度」シートがありません。部署のブックを指定してください。\n"


def test_updating_every_sample_workbook_loses_nothing(capsys, tmp_path):
    """The sample city's workbooks (title rows, own column orders, only some condition columns)."""
    folder = tmp_path / "sheets"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("README.md"))
    before = validate_folder(folder)
    assert before.report.problems == []
    departments = [p for p in sorted(folder.glob("*.xlsx")) if p.name != "common.xlsx" and not p.name.startswith("翻訳_")]
    values = {p.name: _sample_values(p) for p in departments}
    for path in departments:
        code, out, err = run(capsys, "template", "--update", str(path), "--sheets", str(folder))
        assert (code, err) == (0, ""), out + err
        assert "今の質問にない列" not in out
    after = validate_folder(folder)
    assert [str(p) for p in after.report.problems] == []
    assert after.site.programs == before.site.programs
    assert after.site.unpublished == before.site.unpublished
    assert {p.name: _sample_values(p) for p in departments} == values


def _sample_values(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["制度"]
    row = next(r for r in range(1, 11) if {"制度ID", "制度名"} <= {normalize_key(str(c.value)) for c in ws[r]})
    return [{k: v for k, v in r.items()} for r in values_by_header(path, row)]


def test_shifting_references_when_a_column_is_inserted():
    shift = insertion.shift_formula
    assert shift("=SUM(C3:E3)+A1", "制度", True, 3) == "=SUM(D3:F3)+A1"
    assert shift("=制度!$C$4", "制度", False, 3) == "=制度!$D$4"
    assert shift("='制度'!B:D", "制度", False, 3) == "='制度'!B:E"
    assert shift("=部署!C4", "制度", True, 3) == "=部署!C4"  # another sheet: unchanged
    assert shift("=C4", "制度", False, 3) == "=C4"  # a formula on another sheet, about that sheet
    assert shift("=分類リスト", "制度", True, 1) == "=分類リスト"  # a name, not a cell
    assert shift("'_リスト'!$A$1:$A$5", "_リスト", False, 1) == "'_リスト'!$B$1:$B$5"  # a defined name's text
    assert shift("=SUM(3:5)", "制度", True, 1) == "=SUM(3:5)"


# ---------------------------------------------------------------- the texts: complete, within Excel's limits


def test_every_column_and_item_has_its_explanation_within_excel_limits():
    columns = [*schema.PROGRAMS.columns, *schema.QUESTIONS.columns, *schema.CATEGORIES.columns,
               *schema.DEPARTMENT.items, *schema.SETTINGS.items]
    # Shown whole: an input message longer than Excel's limit would be cut.
    assert all(0 < len(column.help) <= style.PROMPT_MAX for column in columns)
    # Every column of a table sheet is given a width in the template.
    assert all(column.width > 0 for column in [*schema.PROGRAMS.columns, *schema.QUESTIONS.columns,
                                                *schema.CATEGORIES.columns])


def test_the_department_guide_is_generated_from_the_code():
    text = guide.GUIDE.read_text(encoding="utf-8")
    assert guide.refresh(text) == text, "run: python -m navigator.tooling.guide"


def test_the_department_guide_explains_every_problem_kind():
    """Each kind has its section, whose example is the kind's message as `navigator check` prints it."""
    text = guide.GUIDE.read_text(encoding="utf-8")
    for kind in KINDS.values():
        label = "エラー" if kind.severity == "error" else "警告"
        assert f"#### {kind.summary}（{label}・`{kind.code}`）" in text
        assert f"> {guide.example_line(kind)}\n" in text, kind.code
        assert kind.where in (guide.DEPARTMENT, guide.COORDINATOR)
    for header in schema.PROGRAMS.headers:
        assert f"| {header} |" in text
    assert "navigator template --update" in text and "または行" in text
