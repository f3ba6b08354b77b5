"""How cells are read (docs/sheet-format.md, "How cells are read" and "Files in sheets/").

Each test writes a workbook the way Excel users fill it in (numbers, booleans, dates,
formulas, merged cells, full-width characters, hidden rows...) and checks what the site
model gets from it.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import openpyxl
import pytest
from sheetmaker import DEPARTMENT, PROGRAM_HEADERS, PROGRAMS, QUESTIONS, program_row, small_city, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.model import Deadline, Program, Range, Requirement, Site

# 制度 columns of small_city: A 制度ID, B 制度名, C 分類, D 概要, ... G 申請期限, ... M 公開, N 備考,
# O 住家被害:全壊, P 住家被害:大規模半壊, Q 住家被害:半壊, R 世帯人数.
# Rows 2 shien-kin, 3 its または row, 4 risai, 5 kasetsu, 6 old (公開 ×).


def city(tmp_path: Path) -> Path:
    return small_city(tmp_path / "sheets")


def site_of(folder: Path) -> Site:
    """The site model of a folder that must have no problem at all."""
    validation = validate_folder(folder)
    assert [str(p) for p in validation.report.problems] == []
    assert validation.site is not None
    return validation.site


def program(site: Site, program_id: str) -> Program:
    return next(p for p in site.programs + site.unpublished if p.id == program_id)


def requirements(site: Site, program_id: str) -> list[tuple[Requirement, ...]]:
    return [row.requirements for row in program(site, program_id).condition_rows]


def problem_lines(folder: Path) -> list[str]:
    return [str(p) for p in validate_folder(folder).report.problems]


def changed_program(index: int, **cells) -> list[dict]:
    rows = [dict(row) for row in PROGRAMS]
    rows[index].update(cells)
    return rows


def store_formula_results(path: Path, sheet: str, results: dict[str, object]) -> None:
    """Give formula cells the value Excel would have stored when saving.

    openpyxl writes a formula as `<f>…</f><v />` (no calculated value); Excel writes
    `<v>result</v>`, with `t="str"` when the result is text. This rewrites the sheet XML of
    the saved .xlsx so that the cells in `results` look as if Excel had saved them.
    """
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(members["xl/workbook.xml"])
    rels = {rel.get("Id"): rel.get("Target") for rel in ElementTree.fromstring(members["xl/_rels/workbook.xml.rels"])}
    target = next(rels[s.get(rel_id)] for s in workbook.iter(f"{main}sheet") if s.get("name") == sheet)
    member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    xml = members[member].decode("utf-8")
    for ref, value in results.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)>(<f>.*?</f>)<v\s*/>(</c>)')
        assert pattern.search(xml), f"no formula without a value in {ref}"
        attributes = re.sub(r'\s*t="[^"]*"', "", pattern.search(xml).group(1))
        if isinstance(value, str):
            attributes += ' t="str"'
        elif isinstance(value, bool):
            attributes += ' t="b"'
            value = int(value)
        xml = pattern.sub(lambda m: f'<c r="{ref}"{attributes}>{m.group(2)}<v>{escape(str(value))}</v>{m.group(3)}', xml)
    members[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def edit_workbook(path: Path, change) -> None:
    """Open a written workbook with openpyxl, let `change(workbook)` edit it, save it."""
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


# ---------------------------------------------------------------- numbers and booleans


@pytest.mark.parametrize("mark", [1, 1.0, "1", "１", True, "TRUE", "ＴＲＵＥ", "true", "○", "〇", "◯", "●", "✓", "✔"])
def test_marks(tmp_path, mark):
    """Every mark of the contract, typed as a number, a boolean cell or text, in either width."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, **{"住家被害:半壊": mark}))
    assert requirements(site_of(folder), "risai") == [(Requirement("住家被害", choices=("半壊",)),)]


@pytest.mark.parametrize("no_mark", [0, 0.0, "0", False, "FALSE", "ＦＡＬＳＥ", "×", "-", "", "  ", "\u200b"])
def test_no_marks(tmp_path, no_mark):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, **{"住家被害:半壊": no_mark}))
    assert requirements(site_of(folder), "risai") == [()]


def test_a_number_that_is_no_mark_is_shown_as_typed(tmp_path):
    """`2` in a mark column is an error that quotes 2, not 2.0."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, **{"住家被害:半壊": 2}))
    assert problem_lines(folder) == [
        "[エラー] 福祉課.xlsx / 制度 / Q4: 条件列「住家被害:半壊」の「2」は読めません。対象にするなら「○」、しないなら空欄にしてください。"]


@pytest.mark.parametrize(("typed", "low", "high", "text"), [
    (3, 3.0, 3.0, "3"),
    (3.0, 3.0, 3.0, "3"),
    (2.5, 2.5, 2.5, "2.5"),
    ("3", 3.0, 3.0, "3"),
])
def test_number_cell_in_a_number_column_means_exactly_that_number(tmp_path, typed, low, high, text):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 世帯人数=typed))
    assert requirements(site_of(folder), "risai") == [(Requirement("世帯人数", range=Range(low, True, high, True, text)),)]


@pytest.mark.parametrize(("value", "published"), [
    (True, True), (False, False), ("TRUE", True), ("FALSE", False), (1, True), (0, False), ("ＴＲＵＥ", True),
    (None, True), ("○", True), ("公開", True), ("×", False), ("非公開", False), ("-", False),
])
def test_publish_values(tmp_path, value, published):
    """公開 takes booleans and numbers as well as marks and words."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 公開=value))
    assert program(site_of(folder), "risai").published is published


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(("typed", "date", "text"), [
    (dt.date(2027, 3, 31), dt.date(2027, 3, 31), "2027-03-31"),
    (dt.datetime(2027, 3, 31), dt.date(2027, 3, 31), "2027-03-31"),
    ("2027/3/31", dt.date(2027, 3, 31), "2027/3/31"),
    ("2027-03-31", dt.date(2027, 3, 31), "2027-03-31"),
    ("2027年3月31日", dt.date(2027, 3, 31), "2027年3月31日"),
    ("令和9年3月31日", dt.date(2027, 3, 31), "令和9年3月31日"),
    ("令和元年5月1日", dt.date(2019, 5, 1), "令和元年5月1日"),
    ("２０２７／３／３１", dt.date(2027, 3, 31), "２０２７／３／３１"),
    (" 2027年 3月 31日 ", dt.date(2027, 3, 31), "2027年 3月 31日"),
    ("随時", None, "随時"),
    ("災害発生日から13か月以内", None, "災害発生日から13か月以内"),
    ("2027/2/30", None, "2027/2/30"),
])
def test_deadline(tmp_path, typed, date, text):
    """申請期限: a date cell, or text read as a date in the four forms; other text (and impossible
    dates) kept as written."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 申請期限=typed))
    assert program(site_of(folder), "risai").deadline == Deadline(date, text)


def test_empty_deadline(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 申請期限=None))
    assert program(site_of(folder), "risai").deadline is None


# ---------------------------------------------------------------- formulas


def test_formulas_with_stored_values_are_read_as_the_value(tmp_path):
    """The value Excel last calculated is used, whatever the formula."""
    folder = city(tmp_path)
    path = write_department(folder, programs=changed_program(
        2, 制度ID="=LOWER(\"RISAI\")", 概要="=\"り災証明書\"&\"の交付です。\"", 世帯人数="=1+1",
        公開="=TRUE()", **{"住家被害:全壊": "=IF(TRUE,\"○\",\"\")", "住家被害:半壊": "=IF(FALSE,\"○\",\"\")"}))
    store_formula_results(path, "制度", {"A4": "risai", "D4": "り災証明書の交付です。", "R4": 2, "M4": True,
                                        "O4": "○", "Q4": ""})
    site = site_of(folder)
    assert program(site, "risai").summary == "り災証明書の交付です。"
    assert program(site, "risai").published is True
    assert requirements(site, "risai") == [(Requirement("住家被害", choices=("全壊",)),
                                            Requirement("世帯人数", range=Range(2.0, True, 2.0, True, "2")))]


def test_formula_without_stored_value_is_reported_not_read_as_empty(tmp_path):
    """The same workbook before Excel saved it: every such cell is named."""
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 概要="=\"り災証明書\"", **{"住家被害:全壊": "=IF(TRUE,\"○\",\"\")"}))
    assert problem_lines(folder) == [
        "[エラー] 福祉課.xlsx / 制度 / D4: 「概要」の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
        "[エラー] 福祉課.xlsx / 制度 / O4: 「住家被害:全壊」の数式に計算結果が保存されていません。このファイルを Excel で開き、上書き保存してください。",
    ]


# ---------------------------------------------------------------- merged cells


def test_merged_cell_value_belongs_to_the_top_left_cell(tmp_path):
    """A program's 概要 merged over its または row: the または row's cell reads as empty, as it must."""
    folder = city(tmp_path)
    edit_workbook(folder / "福祉課.xlsx", lambda book: book["制度"].merge_cells("D2:D3"))
    site = site_of(folder)
    assert program(site, "shien-kin").summary == "生活再建支援金の概要です。"
    assert len(program(site, "shien-kin").condition_rows) == 2


def test_required_value_lost_in_a_merge_is_reported(tmp_path):
    """分類 merged over two programs: the second program's 分類 is empty."""
    folder = city(tmp_path)
    edit_workbook(folder / "福祉課.xlsx", lambda book: book["制度"].merge_cells("C4:C5"))
    assert problem_lines(folder) == ["[エラー] 福祉課.xlsx / 制度 / C5: 「分類」が空です。分類を入力してください。"]


def test_merged_title_above_the_header_row(tmp_path):
    folder = city(tmp_path)
    path = write_department(folder, title_rows=[["福祉課の制度一覧"], []])
    edit_workbook(path, lambda book: book["制度"].merge_cells("A1:R1"))
    assert [p.id for p in site_of(folder).programs] == ["shien-kin", "risai", "kasetsu"]


# ---------------------------------------------------------------- full-width forms and invisible characters


def test_full_width_forms_are_the_same_keys(tmp_path):
    """`住家被害：全壊` is `住家被害:全壊`, `２以上` is `2以上`, `ＴＲＵＥ` is TRUE."""
    folder = city(tmp_path)
    headers = [{"住家被害:全壊": "住家被害：全壊", "世帯人数": "世帯人数 "}.get(h, h) for h in PROGRAM_HEADERS]
    programs = [program_row("ｋａｓｅｔｓｕ", "応急仮設住宅", category="住まい",
                            **{"住家被害：全壊": "ＴＲＵＥ", "世帯人数 ": "２以上"})]
    write_department(folder, headers=headers, programs=programs)
    assert requirements(site_of(folder), "kasetsu") == [(
        Requirement("住家被害", choices=("全壊",)),
        Requirement("世帯人数", range=Range(2.0, True, None, False, "2以上")))]


def test_range_with_unit_in_either_width(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(2, 世帯人数="２人〜４人"))
    assert requirements(site_of(folder), "risai") == [
        (Requirement("世帯人数", range=Range(2.0, True, 4.0, True, "2人〜4人")),)]


def test_zero_width_spaces_around_ids_are_ignored(tmp_path):
    """Invisible characters pasted from a web page do not make a different ID."""
    folder = city(tmp_path)
    questions = [list(row) for row in QUESTIONS]
    questions[4][0] = "\u200b事業\ufeff"
    write_common(folder, questions=questions)
    write_department(folder, headers=PROGRAM_HEADERS + ["事業:はい"],
                     programs=changed_program(3, 制度ID="\u200bkasetsu\u200b", **{"事業:はい": "○"}))
    site = site_of(folder)
    assert [q.id for q in site.questions][-1] == "事業"
    assert requirements(site, "kasetsu") == [(Requirement("住家被害", choices=("全壊",)),
                                              Requirement("事業", choices=("はい",)))]


def test_choices_are_matched_normalised_but_shown_as_written(tmp_path):
    """A choice written `２人以上` is matched by a header `子ども:2人以上` and kept as written."""
    folder = city(tmp_path)
    write_common(folder, questions=QUESTIONS + [["子ども", "子どもの人数は？", "", "単一選択", "１人\n２人以上", "", ""]])
    write_department(folder, headers=PROGRAM_HEADERS + ["子ども:2人以上"],
                     programs=changed_program(2, **{"子ども:2人以上": "○"}))
    site = site_of(folder)
    assert site.question("子ども").choices == ("１人", "２人以上")
    assert requirements(site, "risai") == [(Requirement("子ども", choices=("２人以上",)),)]


# ---------------------------------------------------------------- display text


def test_display_text_is_kept_as_written_only_trimmed(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(
        2, 制度名="\u3000り災証明書の交付（ＷＥＢ可）\u3000", 概要="  **１枚目**は無料です。\n\n二枚目から300円。  ",
        必要書類="\n本人確認書類\n\n  印鑑（認印可）  \n"))
    risai = program(site_of(folder), "risai")
    assert risai.name == "り災証明書の交付（ＷＥＢ可）"
    assert risai.summary == "**１枚目**は無料です。\n\n二枚目から300円。"
    assert risai.documents == ("本人確認書類", "印鑑（認印可）")


def test_question_text_and_choices_as_written_one_per_line(tmp_path):
    """Choices one per line (Alt+Enter); empty lines skipped, each choice trimmed."""
    folder = city(tmp_path)
    questions = [list(row) for row in QUESTIONS]
    questions[0][1] = " 住まいの被害の程度は？（り災証明書の判定）\n"
    questions[0][4] = "全壊\n\n大規模半壊\r\n  半壊  \n一部損壊\n\n被害なし\n"
    write_common(folder, questions=questions)
    question = site_of(folder).question("住家被害")
    assert question.text == "住まいの被害の程度は？（り災証明書の判定）"
    assert question.choices == ("全壊", "大規模半壊", "半壊", "一部損壊", "被害なし")


@pytest.mark.parametrize(("condition", "choices"), [
    ("家財=残っていない、ない", ("残っていない、ない",)),
    ("家財=残っていない、ない、分からない", ("残っていない、ない", "分からない")),
    ("家財＝分からない,残っていない、ない", ("分からない", "残っていない、ない")),
    ("家財=残っている、残っていない、ない", ("残っている", "残っていない、ない")),
])
def test_display_condition_with_a_choice_containing_a_separator(tmp_path, condition, choices):
    """A choice that itself contains `、` is recognised whole; the others are split on `,` and `、`."""
    folder = city(tmp_path)
    write_common(folder, questions=QUESTIONS + [
        ["家財", "家財は残っていますか？", "", "単一選択", "残っている\n残っていない、ない\n分からない", "", ""],
        ["家電", "家電の購入を考えていますか？", "", "単一選択", "はい\nいいえ", "", condition],
    ])
    assert site_of(folder).question("家電").display_conditions == (Requirement("家財", choices=choices),)


# ---------------------------------------------------------------- rows and sheets


def test_the_same_mistake_in_several_rows_is_reported_at_each_of_them(tmp_path):
    """A value read once for the whole sheet (a mark, a range, a deadline, a 必要書類 line) still names every cell."""
    folder = city(tmp_path)
    rows = [dict(row) for row in PROGRAMS]
    for index in (2, 3):
        rows[index].update({"申請期限": "R9.3.31", "住家被害:半壊": 2, "世帯人数": "3以上5以下以上", "必要書類": "住民票、印鑑証明書"})
    write_department(folder, programs=rows)
    cells = [line.split(" / ")[2].split(":")[0] for line in problem_lines(folder)]
    assert cells == ["I4", "G4", "Q4", "R4", "I5", "G5", "Q5", "R5"]


def test_title_rows_above_the_header_row(tmp_path):
    """Titles and notes above the header are skipped; cells keep their real Excel names."""
    folder = city(tmp_path)
    write_department(folder, title_rows=[["福祉課 制度一覧（令和7年度）"], ["記入者: 福祉課 山田"], []],
                     programs=changed_program(2, 公開="未定"))
    assert problem_lines(folder) == [
        "[エラー] 福祉課.xlsx / 制度 / M7: 公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。"]


def test_fully_empty_rows_are_skipped(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=PROGRAMS[:2] + [{}, {"備考": "  "}] + PROGRAMS[2:])
    site = site_of(folder)
    assert [p.id for p in site.programs] == ["shien-kin", "risai", "kasetsu"]
    assert program(site, "risai").row == 6


def test_column_order_is_free(tmp_path):
    """The same workbook with its columns reversed gives the same site."""
    in_order = small_city(tmp_path / "in-order")
    reversed_columns = small_city(tmp_path / "reversed")
    write_department(reversed_columns, headers=list(reversed(PROGRAM_HEADERS)))
    reordered = site_of(reversed_columns)
    assert reordered == site_of(in_order)
    assert len(reordered.programs) == 3


def test_hidden_sheets_and_rows_are_read_like_visible_ones(tmp_path):
    """Hiding does not unpublish; only 公開 = × does."""
    folder = city(tmp_path)

    def hide(book):
        book["制度"].sheet_state = "hidden"
        book["制度"].row_dimensions[4].hidden = True
    edit_workbook(folder / "福祉課.xlsx", hide)
    edit_workbook(folder / "common.xlsx", lambda book: setattr(book["分類"], "sheet_state", "veryHidden"))
    site = site_of(folder)
    assert [p.id for p in site.programs] == ["shien-kin", "risai", "kasetsu"]
    assert [c.name for c in site.categories] == ["生活再建", "住まい", "子育て・教育"]


def test_hidden_row_mistakes_are_reported(tmp_path):
    folder = city(tmp_path)
    path = write_department(folder, programs=changed_program(2, 公開="未定"))
    edit_workbook(path, lambda book: setattr(book["制度"].row_dimensions[4], "hidden", True))
    assert problem_lines(folder) == [
        "[エラー] 福祉課.xlsx / 制度 / M4: 公開「未定」が読めません。公開するなら空欄か「○」、公開しないなら「×」にしてください。"]


def test_extra_sheets_are_ignored(tmp_path):
    """An instructions sheet with a deliberately odd example row, a results sheet, a working sheet."""
    folder = city(tmp_path)

    def add_sheets(book):
        guide = book.create_sheet("記入方法", 0)
        guide.append(["制度ID", "制度名", "分類", "住家被害:全壊", "公開"])
        guide.append(["例: shien-kin", "", "（分類シートから選ぶ）", "△", "？"])
        book.create_sheet("確認結果").append(["エラー", "なし"])
        book.create_sheet("作業用").append(["制度ID", "制度名"])
    edit_workbook(folder / "福祉課.xlsx", add_sheets)
    edit_workbook(folder / "common.xlsx", lambda book: book.create_sheet("記入方法").append(["質問ID", "例"]))
    assert [p.id for p in site_of(folder).programs] == ["shien-kin", "risai", "kasetsu"]


def test_sheet_names_are_normalised(tmp_path):
    """A sheet named `制度 ` (trailing space) or in full-width forms is the same sheet."""
    folder = city(tmp_path)
    edit_workbook(folder / "福祉課.xlsx", lambda book: setattr(book["制度"], "title", "制度\u3000"))
    assert [p.id for p in site_of(folder).programs] == ["shien-kin", "risai", "kasetsu"]


def test_lock_files_dot_files_other_files_and_sub_folders_are_not_read(tmp_path):
    folder = city(tmp_path)
    (folder / "~$福祉課.xlsx").write_bytes(b"\x0fowner")
    (folder / ".福祉課.xlsx").write_bytes(b"\x00\x05\x16\x07")  # macOS resource fork
    (folder / "メモ.txt").write_text("not a workbook")
    old = folder / "old"
    old.mkdir()
    write_department(old)  # would duplicate every 制度ID
    (old / "broken.xlsx").write_bytes(b"broken")
    validation = validate_folder(folder)
    assert validation.report.problems == []
    assert validation.accounting.workbooks == 2


def test_xlsm_department_workbook_is_read(tmp_path):
    folder = city(tmp_path)
    write_department(folder, name="防災課.xlsm", department=[["項目", "値"], ["部署名", "防災課"]],
                     programs=[program_row("hinan", "避難所の案内", category="住まい")])
    assert program(site_of(folder), "hinan").department.name == "防災課"


def test_department_sheet_key_value_order_and_titles(tmp_path):
    """部署 is a 項目 | 値 sheet: rows in any order, titles above the header allowed."""
    folder = city(tmp_path)
    write_department(folder, department=[["福祉課の連絡先"], ["項目", "値"]] + list(reversed(DEPARTMENT[1:])))
    department = site_of(folder).departments[0]
    assert (department.name, department.phone) == ("福祉課", "012-345-0001")


# ---------------------------------------------------------------- または rows


def test_or_rows_are_attached_to_the_program_above(tmp_path):
    """Rows directly below with the same 制度ID and only conditions (and 備考) are other paths."""
    folder = city(tmp_path)
    programs = [
        program_row("gienkin", "義援金", **{"住家被害:全壊": "○"}),
        {"制度ID": "gienkin", "住家被害:大規模半壊": "○", "備考": "大規模半壊も対象（第2次配分）"},
        {"制度ID": "ＧＩＥＮＫＩＮ", "世帯人数": "5以上"},
        program_row("risai", "り災証明書の交付"),
        {"制度ID": "risai", "住家被害:半壊": "○"},
    ]
    write_department(folder, programs=programs)
    site = site_of(folder)
    gienkin = program(site, "gienkin")
    assert [row.row for row in gienkin.condition_rows] == [2, 3, 4]
    assert requirements(site, "gienkin") == [
        (Requirement("住家被害", choices=("全壊",)),),
        (Requirement("住家被害", choices=("大規模半壊",)),),
        (Requirement("世帯人数", range=Range(5.0, True, None, False, "5以上")),),
    ]
    assert requirements(site, "risai") == [(), (Requirement("住家被害", choices=("半壊",)),)]
    assert validate_folder(folder).accounting.programs_read == 2


def test_or_row_mistake_is_reported_at_its_own_cell(tmp_path):
    folder = city(tmp_path)
    write_department(folder, programs=changed_program(1, **{"住家被害:大規模半壊": "△"}))
    assert problem_lines(folder) == [
        "[エラー] 福祉課.xlsx / 制度 / P3: 条件列「住家被害:大規模半壊」の「△」は読めません。対象にするなら「○」、しないなら空欄にしてください。"]
    validation = validate_folder(folder)
    assert (validation.accounting.programs_read, validation.accounting.rejected) == (4, 1)


def test_or_rows_may_fill_ignored_working_columns(tmp_path):
    """A department's own column (reported once as a warning) does not turn a または row into a duplicate."""
    folder = city(tmp_path)
    write_department(folder, headers=PROGRAM_HEADERS + ["担当者"], programs=changed_program(1, 担当者="山田"))
    validation = validate_folder(folder)
    assert [p.code for p in validation.report.problems] == ["unknown-column"]
    assert len(program(validation.site, "shien-kin").condition_rows) == 2
