"""Workbooks for the people who fill them in: a new city, a department template, and its update.

`init_city` writes a folder a new city starts from (common.xlsx and an example department);
`write_department_template` writes a department workbook from the questions and categories
of common.xlsx; `update_department_workbook` brings an existing one up to date after the
coordinating division changed them. Every column is explained where it is filled in (an
input message on its header cell, shown when the cell is selected), dropdowns stand in for
typing, and a 記入方法 sheet says how to fill the workbook in, with an example.

The sheets and columns come from `navigator.contract.sheets`; only what is said about them lives here.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import TableColumn

from navigator.check.validate import Common, CommonReader
from navigator.contract import sheets as schema
from navigator.contract.problems import Problem, Report
from navigator.contract.text import normalize_key
from navigator.model import Question
from navigator.read.folder import SheetsFolder
from navigator.read.workbook import WorkbookReadError, read_workbook

LAST_ROW = 500  # dropdowns and input messages reach this row (further if the sheet is longer)
HEADER_ROW = 2  # row 1 groups the condition columns by question
HELPER_SHEET = "_リスト"  # hidden: the 分類 dropdown's list (another sheet, so the reader ignores it)
CATEGORY_LIST_NAME = "分類リスト"  # a defined name: a dropdown naming a range on another sheet
INSTRUCTIONS_SHEET = "記入方法"
PROGRAM_GROUP_LABEL = "制度の情報"
DEPARTMENT_INSTRUCTIONS_TITLE = "部署のブックの書き方（記入方法）"
COMMON_INSTRUCTIONS_TITLE = "common.xlsx の書き方（記入方法）"
DEFAULT_SHEETS = "sheets"
BACKUP_FOLDER = "バックアップ"  # a sub-folder: the reader never reads it
EXAMPLE_DEPARTMENT_FILE = "例_福祉課.xlsx"
EXAMPLE_DEPARTMENT_NAME = "福祉課（例）"
MARK = "○"
PROMPT_TITLE_MAX = 32  # Excel's limits for an input message
PROMPT_MAX = 255

FONT_NAME = "游ゴシック"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPTIONAL_FILL = "DDEBF7"  # blue: a column that may stay empty
REQUIRED_FILL = "F8CBAD"  # orange: must be filled
CONDITION_FILLS = ("FFF2CC", "E2EFDA")  # yellow and green, question by question
OBSOLETE_FILL = "FF9999"
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


KEY_HELP = "項目の名前です。書き換えないでください。"
VALUE_HELP = "ここに値を書きます。"

# The starting point `navigator init` writes: a city replaces it with its own.
STARTER_QUESTIONS = (
    ("住家被害", "お住まいの家の被害の程度は？", "り災証明書に書かれた判定を選んでください。", "単一選択",
     "全壊\n大規模半壊\n中規模半壊\n半壊\n準半壊\n一部損壊\n被害なし", "", ""),
    ("再建方法", "家をどのように再建しますか？", "", "単一選択", "建設・購入\n補修\n賃借", "", "住家被害=全壊、大規模半壊"),
    ("世帯人数", "世帯の人数は何人ですか？", "", "数値", "", "人", ""),
    ("世帯の状況", "当てはまるものをすべて選んでください。", "", "複数選択",
     "小学生・中学生がいる\n65歳以上の方がいる\n障害のある方がいる", "", ""),
    ("事業", "お店や農業などの事業を営んでいますか？", "", "単一選択", "はい\nいいえ", "", ""),
)
STARTER_CATEGORIES = (
    ("生活再建・給付金", "生活を立て直すための給付金や貸付"),
    ("住まい", "住まいの確保と修理"),
    ("子育て・教育", "子どもと学校のための支援"),
    ("税・保険料の減免", "税金や保険料の減免・猶予"),
    ("事業者向け", "お店や農業などの事業の再開"),
)


class TemplateError(Exception):
    """The workbook could not be written or updated; `usage` says the command was used wrongly."""

    def __init__(self, message: str, problems: list[Problem] | tuple = (), usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.usage = usage


@dataclass(frozen=True)
class ConditionColumn:
    question: Question
    choice: str | None  # None for a 数値 question's range column

    @property
    def header(self) -> str:
        return self.question.id if self.choice is None else f"{self.question.id}:{self.choice}"

    @property
    def key(self) -> tuple[str, str | None]:
        return self.question.id, None if self.choice is None else normalize_key(self.choice)


def condition_columns(questions) -> list[ConditionColumn]:
    """One column per choice of a choice question, one per 数値 question, in question order."""
    columns = []
    for question in questions:
        if question.kind == "number":
            columns.append(ConditionColumn(question, None))
        else:
            columns.extend(ConditionColumn(question, choice) for choice in question.choices)
    return columns


def condition_key(header: object) -> tuple[str, str | None]:
    """A header's (質問ID, choice) the way the reader splits it: `住家被害:全壊` → (住家被害, 全壊)."""
    return schema.split_condition_header(_text(header))


# ---------------------------------------------------------------- reading common.xlsx


def read_common(folder: Path) -> tuple[Common, list[Problem]]:
    """The questions and categories of the folder's common.xlsx, and its warnings; errors stop here."""
    common_path = SheetsFolder.of(folder).common
    if common_path is None:
        raise TemplateError(f"フォルダ「{folder}」に common.xlsx がありません。--sheets で common.xlsx のあるフォルダを指定してください"
                            "（新しい自治体なら navigator init で作れます）。")
    report = Report()
    try:
        workbook = read_workbook(common_path)
    except WorkbookReadError as exc:
        report.add(exc.code, exc.message, file=common_path.name)
        raise TemplateError("common.xlsx が読めないため、部署のブックを作れません。", report.problems) from exc
    common = CommonReader(workbook, report).read()
    if not report.ok:
        raise TemplateError("common.xlsx にエラーがあるため、部署のブックを作れません。上のエラーを直してください。", report.problems)
    return common, report.warnings


# ---------------------------------------------------------------- cells and styles


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _font(bold: bool = False, size: float = 11, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, bold=bold, size=size, color=color)


def _fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


def _message(title: str, text: str, **options) -> DataValidation:
    """A data validation that shows an input message when its cells are selected."""
    return DataValidation(showInputMessage=True, promptTitle=_clip(title, PROMPT_TITLE_MAX),
                          prompt=_clip(text, PROMPT_MAX), allow_blank=True, **options)


def _explain(ws, cell: str, title: str, text: str) -> None:
    validation = _message(title, text)
    validation.add(cell)
    ws.add_data_validation(validation)


def _header(cell, fill: str) -> None:
    cell.font = _font(bold=True)
    cell.fill = _fill(fill)
    cell.border = BORDER
    cell.alignment = CENTER_WRAP


def _column_style(ws, column: int, width: float, alignment: Alignment, number_format: str | None = None) -> None:
    dimension = ws.column_dimensions[get_column_letter(column)]
    dimension.width = width
    dimension.alignment = alignment
    dimension.font = _font()
    if number_format:
        dimension.number_format = number_format


def _lines_needed(text: str, width: float) -> int:
    per_line = max(1, int(width / 2))  # Japanese characters are two units wide
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _key_value_sheet(ws, spec: schema.KeyValueSpec, values: dict[str, str]) -> None:
    """A 項目 | 値 sheet with every item of the spec, required ones in orange."""
    _print_on_a4_width(ws)
    for column, (header, text) in enumerate(((schema.KEY_HEADER, KEY_HELP), (schema.VALUE_HEADER, VALUE_HELP)), start=1):
        cell = ws.cell(1, column, header)
        _header(cell, OPTIONAL_FILL)
        _explain(ws, cell.coordinate, header, text)
    for row, item in enumerate(spec.items, start=2):
        key = ws.cell(row, 1, item.header)
        key.font = _font(bold=True)
        key.fill = _fill(REQUIRED_FILL if item.required else OPTIONAL_FILL)
        value = ws.cell(row, 2, values.get(item.header) or None)
        value.font = _font()
        for cell in (key, value):
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        _explain(ws, value.coordinate, item.header, item.help)
        ws.row_dimensions[row].height = max(20, 16 * _lines_needed(_text(value.value), 70) + 4)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 70
    ws.freeze_panes = "A2"


def _write_category_list(workbook, names: list[str]) -> None:
    """The hidden helper sheet and the defined name the 分類 dropdown reads."""
    if HELPER_SHEET in workbook.sheetnames:
        sheet = workbook[HELPER_SHEET]
        sheet.delete_rows(1, sheet.max_row)
    else:
        sheet = workbook.create_sheet(HELPER_SHEET)
    sheet.sheet_state = "hidden"
    for row, name in enumerate(names, start=1):
        sheet.cell(row, 1, name)
    if CATEGORY_LIST_NAME in workbook.defined_names:
        del workbook.defined_names[CATEGORY_LIST_NAME]
    workbook.defined_names[CATEGORY_LIST_NAME] = DefinedName(
        CATEGORY_LIST_NAME, attr_text=f"'{HELPER_SHEET}'!$A$1:$A${max(1, len(names))}")


def _category_list(workbook) -> list[str] | None:
    if HELPER_SHEET not in workbook.sheetnames:
        return None
    return [_text(row[0]) for row in workbook[HELPER_SHEET].iter_rows(values_only=True) if row and row[0] is not None]


# ---------------------------------------------------------------- the 制度 sheet


def _question_label(question: Question) -> str:
    if question.kind == "number":
        how = f"数値{'（' + question.unit + '）' if question.unit else ''}の質問: 対象の範囲を書く"
    else:
        how = ("1つ選ぶ質問" if question.kind == "single" else "複数選べる質問") + ": 対象の答えに ○"
    return f"{question.id}：{question.text}（{how}）"


def _condition_help(column: ConditionColumn) -> tuple[str, str]:
    """(header message, data cell message) of a condition column."""
    question = column.question
    asked = f"質問「{_clip(question.text, 60)}」"
    if column.choice is None:
        unit = question.unit
        examples = f"「2{unit}以上」「65{unit}未満」「1〜3{unit}」「1{unit}」"
        return (f"{asked}の答え（数値）で対象を決める列です。対象になる範囲を {examples} のように書きます。"
                "空欄なら、この質問は条件になりません。",
                f"対象になる範囲。例: {examples}。空欄なら条件なし。")
    return (f"{asked}で「{column.choice}」と答えた人が対象なら ○ を付けます。同じ質問の ○ は「どれかに当てはまれば対象」、"
            "ほかの質問の ○ とは「両方に当てはまれば対象」の意味です。この質問に ○ が1つもなければ、この質問は条件になりません。",
            f"「{column.choice}」と答えた人が対象なら ○（▼ から選べます）。対象でなければ空欄。")


@dataclass
class _Layout:
    """The 制度 sheet's columns as found: what each header is."""

    header_row: int
    program: dict[int, str]  # column → schema header
    condition: dict[int, ConditionColumn]  # column → a current condition column
    obsolete: dict[int, str]  # column → header naming a question or choice that is gone
    other: dict[int, str]  # column → any other header (a department's own working column)


def _layout(ws, header_row: int, common: Common) -> _Layout:
    expected = {column.key: column for column in condition_columns(common.questions)}
    question_ids = {q.id for q in common.questions}
    layout = _Layout(header_row, {}, {}, {}, {})
    for column in range(1, ws.max_column + 1):
        value = ws.cell(header_row, column).value
        header = normalize_key(_text(value))
        if not header:
            continue
        key = condition_key(header)
        if header in schema.PROGRAMS.headers:
            layout.program[column] = header
        elif key in expected:
            layout.condition[column] = expected[key]
        elif key[1] is not None or key[0] in question_ids:
            layout.obsolete[column] = _text(value).strip()
        else:
            layout.other[column] = _text(value).strip()
    return layout


def _style_column(ws, layout: _Layout, column: int, common: Common) -> None:
    """Header cell, width and column style of a column the template owns."""
    cell = ws.cell(layout.header_row, column)
    if column in layout.program:
        header = layout.program[column]
        spec = schema.PROGRAMS.column(header)
        _header(cell, REQUIRED_FILL if spec.required else OPTIONAL_FILL)
        center = spec.kind == "publish"
        _column_style(ws, column, spec.width,
                      Alignment(horizontal="center", vertical="top") if center else TOP_WRAP,
                      "@" if spec.kind == "id" else None)
    else:
        condition = layout.condition[column]
        number = [q.id for q in common.questions].index(condition.question.id)
        _header(cell, CONDITION_FILLS[number % 2])
        _column_style(ws, column, 12 if condition.choice is not None else 14,
                      Alignment(horizontal="center", vertical="top", wrap_text=True))


def _in_columns(validation: DataValidation, columns: set[int], header_only: set[int], header_row: int):
    """The validation's ranges with the given columns (or only their header cell) taken out."""
    kept = []
    for cell_range in validation.sqref.ranges:
        for column in range(cell_range.min_col, cell_range.max_col + 1):
            letter = get_column_letter(column)
            rows = [(cell_range.min_row, cell_range.max_row)]
            if column in columns:
                rows = []
            elif column in header_only and cell_range.min_row <= header_row <= cell_range.max_row:
                rows = [(cell_range.min_row, header_row - 1), (header_row + 1, cell_range.max_row)]
            kept.extend(f"{letter}{low}:{letter}{high}" for low, high in rows if low <= high)
    return kept


def _tool_program_sheet(ws, layout: _Layout, common: Common, styled: set[int]) -> None:
    """Dropdowns and input messages on every column the template owns; styles on the `styled` ones.

    Validations a department added to its own columns stay; those on the template's columns
    are replaced, so that running this again gives the same sheet.
    """
    owned = set(layout.program) | set(layout.condition)
    header_row = layout.header_row
    for validation in list(ws.data_validations.dataValidation):
        if not any(rng.max_col >= c >= rng.min_col for rng in validation.sqref.ranges for c in owned | set(layout.obsolete)):
            continue
        kept = _in_columns(validation, owned, set(layout.obsolete), header_row)
        if kept:
            validation.sqref = MultiCellRange(" ".join(kept))
        else:
            ws.data_validations.dataValidation.remove(validation)
    first, last = header_row + 1, max(LAST_ROW, ws.max_row + 100)

    def data(column: int) -> str:
        letter = get_column_letter(column)
        return f"{letter}{first}:{letter}{last}"

    for column, header in sorted(layout.program.items()):
        _explain(ws, ws.cell(header_row, column).coordinate, header, schema.PROGRAMS.column(header).help)
        if header == "分類":
            categories = DataValidation(type="list", formula1=CATEGORY_LIST_NAME, allow_blank=True,
                                        showErrorMessage=True, errorStyle="stop", errorTitle="一覧にない分類です",
                                        error="分類は ▼ の一覧から選んでください。一覧にない分類を使うときは、取りまとめ課に相談してください。")
            categories.add(data(column))
            ws.add_data_validation(categories)
        elif header == "公開":
            published = DataValidation(type="list", formula1=f'"{MARK},×"', allow_blank=True, showErrorMessage=True,
                                       errorStyle="warning", errorTitle="公開の値",
                                       error="サイトに載せるなら空欄か ○、載せないなら × にしてください。")
            published.add(data(column))
            ws.add_data_validation(published)
    for column, condition in sorted(layout.condition.items()):
        header_text, cell_text = _condition_help(condition)
        _explain(ws, ws.cell(header_row, column).coordinate, condition.header, header_text)
        if condition.choice is None:
            validation = _message(condition.header, cell_text)
        else:
            validation = _message(condition.header, cell_text, type="list", formula1=f'"{MARK}"',
                                  showErrorMessage=True, errorStyle="warning", errorTitle="条件の印",
                                  error="対象の答えには ○ を付け、対象でなければ空欄にしてください。")
        validation.add(data(column))
        ws.add_data_validation(validation)
    for column, header in sorted(layout.obsolete.items()):
        cell = ws.cell(header_row, column)
        cell.fill = _fill(OBSOLETE_FILL)
        _explain(ws, cell.coordinate, "今の質問にない列",
                 f"「{header}」は common.xlsx の今の質問・選択肢にありません。○ を正しい列に移してから、この列を削除してください。")
    for column in sorted(styled):
        _style_column(ws, layout, column, common)
    if styled:
        longest = max((_lines_needed(c.header, 12) for c in layout.condition.values()), default=1)
        height = max(30, min(120, 15 * longest + 8))
        ws.row_dimensions[header_row].height = max(height, ws.row_dimensions[header_row].height or 0)
    if header_row > 1 and (styled == owned or _is_group_row(ws, header_row - 1)):
        _write_group_row(ws, layout, common)


def _is_group_row(ws, row: int) -> bool:
    return _text(ws.cell(row, 1).value).startswith(PROGRAM_GROUP_LABEL)


def _write_group_row(ws, layout: _Layout, common: Common) -> None:
    """Row 1: one merged cell over the program columns and one over each question's columns."""
    row = layout.header_row - 1
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row == merged.max_row == row:
            ws.unmerge_cells(merged.coord)
    for column in range(1, ws.max_column + 1):
        ws.cell(row, column).value = None
    groups: list[tuple[object, int, int]] = []  # (group, first column, last column)
    for column in range(1, ws.max_column + 1):
        if column in layout.program:
            group = PROGRAM_GROUP_LABEL
        elif column in layout.condition:
            group = layout.condition[column].question.id
        else:
            group = None
        if groups and groups[-1][0] == group and group is not None and groups[-1][2] == column - 1:
            groups[-1] = (group, groups[-1][1], column)
        else:
            groups.append((group, column, column))
    question_ids = [q.id for q in common.questions]
    for group, start, end in groups:
        if group is None:
            continue
        cell = ws.cell(row, start)
        if group == PROGRAM_GROUP_LABEL:
            cell.value = f"{PROGRAM_GROUP_LABEL}（1行に1つの制度。オレンジの見出しは必ず書く）"
            fill = OPTIONAL_FILL
        else:
            question = common.questions[question_ids.index(group)]
            cell.value = _question_label(question)
            fill = CONDITION_FILLS[question_ids.index(group) % 2]
        for column in range(start, end + 1):
            ws.cell(row, column).fill = _fill(fill)
            ws.cell(row, column).border = BORDER
        cell.font = _font(bold=True)
        cell.alignment = CENTER_WRAP
        if end > start:
            ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
    ws.row_dimensions[row].height = 48


# ---------------------------------------------------------------- the example and the 記入方法 sheet


@dataclass
class Example:
    rows: list[dict[str, object]]  # the program's row and its または row, by header
    notes: list[str]  # what each row means, in words


def example_program(common: Common) -> Example:
    """A filled-in program with conditions and a または row, made from the current questions."""
    category = common.categories[0].name if common.categories else ""
    first: dict[str, object] = {
        "制度ID": "example-mimaikin", "制度名": "〇〇見舞金", "分類": category,
        "概要": "住まいに被害を受けた世帯に見舞金を支給します。", "支援内容": "1世帯 5万円", "申請期限": "随時",
        "必要書類": "り災証明書\n本人確認書類",
    }
    second: dict[str, object] = {"制度ID": "example-mimaikin", "備考": "または行の例"}
    choice_questions = [q for q in common.questions if q.kind != "number"]
    number_questions = [q for q in common.questions if q.kind == "number"]
    first_note, second_note = [], []
    if choice_questions:
        question = choice_questions[0]
        marked = question.choices[:2] if len(question.choices) > 2 or len(choice_questions) > 1 else question.choices[:1]
        for choice in marked:
            first[f"{question.id}:{choice}"] = MARK
        first_note.append(f"「{question.id}」が{'か'.join(f'「{c}」' for c in marked)}")
    if number_questions:
        question = number_questions[0]
        first[question.id] = f"2{question.unit}以上"
        first_note.append(f"「{question.id}」が 2{question.unit}以上")
    if len(choice_questions) > 1:
        # Another path is clearest on a question everyone is asked (no 表示条件).
        other = next((q for q in choice_questions[1:] if not q.display_conditions), choice_questions[1])
        second[f"{other.id}:{other.choices[0]}"] = MARK
        second_note.append(f"「{other.id}」が「{other.choices[0]}」")
    elif choice_questions and len(choice_questions[0].choices) > 1:
        question = choice_questions[0]
        second[f"{question.id}:{question.choices[-1]}"] = MARK
        second_note.append(f"「{question.id}」が「{question.choices[-1]}」")
    notes = [
        "1行目: " + ("、かつ".join(first_note) + "の人が対象" if first_note else "条件の列が空欄なので、すべての人が対象"),
        "2行目（または行）: 同じ制度IDで条件の列と備考だけを書いた行。"
        + ("または" + "、かつ".join(second_note) + "の人も対象" if second_note else "別の条件で対象になる人を書きます"),
    ]
    return Example([first, second], notes)


DEPARTMENT_STEPS = (
    "このブックには、あなたの課の支援制度を書きます。書いた内容から、住民向けの「支援制度ナビ」のサイトが作られます。",
    "見出しのセルを選ぶと、その列の書き方が表示されます。見出し（2行目）の文字は変えないでください。",
    "1. 「部署」シートに、部署名・電話番号・メール・窓口を書きます。",
    "2. 「制度」シートに、1行に1つの制度を書きます。オレンジ色の見出し（制度ID・制度名・分類・概要）は必ず書きます。",
    "3. 制度IDは、半角の英字・数字・「-」・「_」で付ける名前です（例: kasetsu-jutaku）。ほかの課と同じにならないようにします。"
    "サイトのページのアドレスになるので、一度決めたら変えないでください。",
    "4. 分類は ▼ の一覧から選びます。",
    "5. 黄色と緑の見出しは「条件の列」です。1行目にどの質問の列かが書いてあります。"
    "住民がその答えを選んだときに対象になるなら、「質問ID:選択肢」の列に ○ を付けます。",
    "　・同じ質問で ○ を2つ以上付けると、「どれかに当てはまれば対象」です（例: 全壊 か 大規模半壊）。",
    "　・違う質問に ○ を付けると、「両方に当てはまれば対象」です（例: 全壊 で、かつ 小学生・中学生がいる）。",
    "　・○ を1つも付けない質問は、条件になりません。条件の列がすべて空欄の制度は、すべての人に表示されます。",
    "　・数値の質問（世帯人数など）の列には、「2以上」「65歳以上」「1〜3」のように範囲を書きます。",
    "6. 「AまたはB」で対象になるときは、その制度のすぐ下の行に同じ制度IDを書き、条件の列（と備考）だけを書きます（または行）。",
    "7. サイトに載せない制度は、「公開」の列を × にします。行を非表示にしても、サイトには載ります。",
    "8. 備考はサイトに表示されません。課の中のメモに使えます。",
    "9. 問い合わせ先を空欄にすると、「部署」シートの連絡先が表示されます。",
    "10. 書き終わったら、取りまとめ課に渡します。取りまとめ課が「navigator check」で確かめ、直すところがあれば場所（例: 制度 / F12）を連絡します。",
    "このシート（記入方法）はサイトには使われません。下の記入例も、サイトに載ったり数えられたりしません。",
)

COMMON_STEPS = (
    "common.xlsx は取りまとめ課が管理します。サイトの設定、住民が答える質問、制度の分類を書きます。",
    "見出しのセルを選ぶと、その列の書き方が表示されます。見出しの文字は変えないでください。",
    "1. 「設定」シート: サイト名と自治体名は必ず書きます。はじめに・問い合わせ先・注意事項・お知らせは必要なら書きます。",
    "2. 「質問」シート: 1行に1つの質問を、住民に聞く順に書きます。",
    "　・回答形式は ▼ から選びます。単一選択（1つ選ぶ）、複数選択（いくつでも選ぶ）、数値（数を入力）。",
    "　・選択肢は、1つのセルに1行に1つずつ書きます（セルの中で改行するには Alt+Enter）。",
    "　・表示条件を書くと、前の質問の答えによって聞くときだけ質問します（例: 住家被害=全壊、大規模半壊）。",
    "　・住民は、どの質問も「わからない・答えない」を選べます。",
    "3. 「分類」シート: 制度の分類を、サイトに並べる順に書きます。",
    "4. 各課のブックは「navigator template 部署名」で作ります。条件の列と分類の一覧は、このファイルの質問と分類から作られます。",
    "5. 質問ID・選択肢・分類を変えたときは、各課のブックを「navigator template --update ファイル名」で更新します。"
    "新しい列を足し、入力済みの値はそのまま残します（古い列は消さずに知らせます）。",
    "6. 確認は「navigator check」、サイト作りは「navigator build」です。",
)


def _write_steps(ws, title: str, steps: tuple[str, ...], width_columns: int) -> int:
    """Numbered instructions, one merged row each; returns the next free row."""
    ws.cell(1, 1, title).font = _font(bold=True, size=14)
    ws.row_dimensions[1].height = 26
    row = 3
    for step in steps:
        cell = ws.cell(row, 1, step)
        cell.font = _font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width_columns)
        ws.row_dimensions[row].height = 17 * _lines_needed(step, 120) + 4
        row += 1
    return row + 1


def _table(ws, row: int, headers: list[str], rows: list[list[object]], fills: list[str], widths: tuple[int, ...]) -> int:
    """A bordered table; each row as tall as its longest cell wraps to in `widths` (the columns' widths)."""
    for column, (header, fill) in enumerate(zip(headers, fills), start=1):
        _header(ws.cell(row, column, header), fill)
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column, value)
            cell.font = _font()
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 17 * max(
            _lines_needed(_text(v), widths[min(n, len(widths) - 1)] - 2) for n, v in enumerate(values)) + 4
    return row + 2


def _print_on_a4_width(ws) -> None:
    """Printed, the sheet is A4 landscape and one page wide: a long instruction is not cut at the page's edge."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes


INSTRUCTION_WIDTHS = (20, 30, 22, 40, 16)  # the department 記入方法's columns A to D, then every other one


def _write_department_instructions(ws, common: Common) -> None:
    ws.sheet_properties.tabColor = "C00000"
    _print_on_a4_width(ws)
    row = _write_steps(ws, DEPARTMENT_INSTRUCTIONS_TITLE, DEPARTMENT_STEPS, 8)
    example = example_program(common)
    ws.cell(row, 1, "記入例（このシートの例はサイトに載りません。実際の制度は「制度」シートに書きます）").font = _font(bold=True, size=12)
    conditions = [c.header for c in condition_columns(common.questions) if any(c.header in r for r in example.rows)]
    headers = ["制度ID", "制度名", "分類", "概要", "支援内容", "備考"] + conditions
    fills = [REQUIRED_FILL] * 4 + [OPTIONAL_FILL] * 2 + [CONDITION_FILLS[0]] * len(conditions)
    table_rows = [[r.get(h) for h in headers] for r in example.rows]
    row = _table(ws, row + 1, headers, table_rows, fills, INSTRUCTION_WIDTHS)
    for note in example.notes:
        ws.cell(row - 1, 1, note).font = _font(color="C00000")
        row += 1
    row += 1
    ws.cell(row, 1, "質問と選択肢の一覧（条件の列の見出しは「質問ID:選択肢」、数値の質問は「質問ID」だけです）").font = _font(bold=True, size=12)
    kinds = {"single": "単一選択（1つ選ぶ）", "multiple": "複数選択（いくつでも選ぶ）", "number": "数値"}
    question_rows = [[q.id, q.text, kinds[q.kind],
                      "\n".join(q.choices) if q.kind != "number" else f"範囲を書く（単位: {q.unit or 'なし'}）"]
                     for q in common.questions]
    row = _table(ws, row + 1, ["質問ID", "質問文", "答え方", "選択肢"], question_rows, [OPTIONAL_FILL] * 4,
                 INSTRUCTION_WIDTHS)
    ws.cell(row, 1, "分類の一覧: " + "、".join(c.name for c in common.categories)).font = _font()
    for column in range(1, max(8, len(headers)) + 1):
        ws.column_dimensions[get_column_letter(column)].width = INSTRUCTION_WIDTHS[min(column, 5) - 1]


def _write_common_instructions(ws) -> None:
    ws.sheet_properties.tabColor = "C00000"
    _print_on_a4_width(ws)
    _write_steps(ws, COMMON_INSTRUCTIONS_TITLE, COMMON_STEPS, 6)
    for column in range(1, 7):
        ws.column_dimensions[get_column_letter(column)].width = 20


# ---------------------------------------------------------------- writing new workbooks


def department_file_name(name: str) -> str:
    """A file name made from a department name: characters Windows refuses become `_`."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return f"{safe or '部署'}.xlsx"


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise TemplateError(f"「{path}」はすでにあります。上書きはしません。別のファイル名を -o で指定するか、"
                            f"今のブックを新しい質問に合わせるなら navigator template --update {path} を使ってください。", usage=True)


def _save_new(workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        workbook.save(path)
    except OSError as exc:
        raise TemplateError(f"「{path}」に書き込めません（{exc.strerror or exc}）。フォルダの場所と書き込みの権限を確かめてください。") from exc


def write_department_template(common: Common, department_name: str, path: Path,
                              example_rows: list[dict[str, object]] | None = None) -> Path:
    """A new department workbook: 記入方法, 部署 (部署名 filled in), 制度 and the hidden list."""
    if not department_name.strip():
        raise TemplateError("部署名が空です。部署名を指定してください（例: navigator template 福祉課）。", usage=True)
    _refuse_existing(path)
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_department_instructions(instructions, common)
    _key_value_sheet(workbook.create_sheet(schema.DEPARTMENT.sheet), schema.DEPARTMENT,
                     {"部署名": department_name.strip()})
    ws = workbook.create_sheet(schema.PROGRAMS.sheet)
    headers = list(schema.PROGRAMS.headers) + [c.header for c in condition_columns(common.questions)]
    for column, header in enumerate(headers, start=1):
        ws.cell(HEADER_ROW, column, header)
    for row, values in enumerate(example_rows or [], start=HEADER_ROW + 1):
        for header, value in values.items():
            ws.cell(row, headers.index(header) + 1, value)
    layout = _layout(ws, HEADER_ROW, common)
    _tool_program_sheet(ws, layout, common, styled=set(layout.program) | set(layout.condition))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, headers.index("制度名") + 2).coordinate  # 制度ID and 制度名 stay in view
    _write_category_list(workbook, [c.name for c in common.categories])
    workbook.active = 0
    _save_new(workbook, path)
    return path


def write_common_workbook(path: Path, city: str) -> Path:
    """The common.xlsx a new city starts from: settings, starter questions and categories to rewrite."""
    _refuse_existing(path)
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_common_instructions(instructions)
    settings = {"サイト名": f"{city} 支援制度ナビ", "自治体名": city,
                "はじめに": "いくつかの質問に答えると、あなたが使える可能性のある支援制度が分かります。",
                "注意事項": "実際に対象になるかどうかは、各制度の担当課が判断します。"}
    _key_value_sheet(workbook.create_sheet(schema.SETTINGS.sheet), schema.SETTINGS, settings)
    _table_sheet(workbook.create_sheet(schema.QUESTIONS.sheet), schema.QUESTIONS, STARTER_QUESTIONS)
    questions = workbook[schema.QUESTIONS.sheet]
    letter = get_column_letter(schema.QUESTIONS.headers.index("回答形式") + 1)
    kinds = _message("回答形式", schema.QUESTIONS.column("回答形式").help, type="list",
                     formula1='"' + ",".join(schema.ANSWER_TYPE_NAMES) + '"', showErrorMessage=True, errorStyle="stop",
                     errorTitle="回答形式", error="単一選択・複数選択・数値 のどれかを ▼ から選んでください。")
    kinds.add(f"{letter}2:{letter}{LAST_ROW}")
    questions.add_data_validation(kinds)
    _table_sheet(workbook.create_sheet(schema.CATEGORIES.sheet), schema.CATEGORIES, STARTER_CATEGORIES)
    workbook.active = 0
    _save_new(workbook, path)
    return path


def _table_sheet(ws, spec: schema.TableSpec, rows) -> None:
    for column, spec_column in enumerate(spec.columns, start=1):
        cell = ws.cell(1, column, spec_column.header)
        _header(cell, REQUIRED_FILL if spec_column.required else OPTIONAL_FILL)
        _explain(ws, cell.coordinate, spec_column.header, spec_column.help)
        _column_style(ws, column, spec_column.width, TOP_WRAP, "@" if spec_column.kind == "id" else None)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column, value or None)
            cell.font = _font()
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 17 * max(_text(v).count("\n") + 1 for v in values) + 4
    ws.freeze_panes = "B2"


@dataclass
class InitResult:
    folder: Path
    common: Path
    example: Path

    def lines(self) -> list[str]:
        folder = self.folder
        return [
            f"「{folder}」に新しい自治体のシートを作りました。",
            f"  {self.common}  設定・質問・分類（取りまとめ課が書き換えます。書き方は「記入方法」シート）",
            f"  {self.example}  部署のブックの例（制度は記入例です。公開が × なのでサイトには載りません）",
            "次にすること:",
            "  1. common.xlsx の「設定」「質問」「分類」を、自分の自治体に合わせて書き換えます。",
            f"  2. 各課のブックを作ります: navigator template 福祉課 --sheets {folder}",
            f"  3. 確かめます: navigator check {folder}",
        ]


def init_city(folder: Path, city: str) -> InitResult:
    """A new city's sheets folder: common.xlsx and one example department workbook."""
    city = city.strip()
    if not city:
        raise TemplateError("自治体名が空です。--city に自治体名を指定してください（例: --city みどり市）。", usage=True)
    if folder.exists() and not folder.is_dir():
        raise TemplateError(f"「{folder}」はフォルダではありません。新しいフォルダの名前を指定してください。", usage=True)
    if folder.exists() and any(folder.iterdir()):
        raise TemplateError(f"フォルダ「{folder}」は空ではありません。中のファイルを上書きしないよう、新しいフォルダの名前を指定してください。",
                            usage=True)
    common_path = write_common_workbook(folder / "common.xlsx", city)
    common, _ = read_common(folder)
    rows = example_program(common).rows
    rows[0] = {**rows[0], "公開": "×", "備考": "記入例です。実際の制度に書き換え、公開を空欄にするとサイトに載ります。"}
    example = write_department_template(common, EXAMPLE_DEPARTMENT_NAME, folder / EXAMPLE_DEPARTMENT_FILE, rows)
    return InitResult(folder, common_path, example)


@dataclass
class TemplateResult:
    path: Path
    department: str
    common: Common
    warnings: list[Problem]
    in_sheets_folder: bool
    sheets: Path

    def lines(self) -> list[str]:
        questions = self.common.questions
        found = [str(w) for w in self.warnings]
        where = (f"記入したら navigator check {self.sheets} で確かめられます。" if self.in_sheets_folder
                 else f"記入したら {self.sheets} フォルダに置き、navigator check {self.sheets} で確かめられます。")
        return found + [
            f"「{self.path}」を作りました（部署名「{self.department}」、条件の列 {len(condition_columns(questions))}列・"
            f"質問 {len(questions)}問、分類 {len(self.common.categories)}件）。",
            f"ブックを開いて「記入方法」シートを読み、「制度」シートに制度を書いてください。{where}",
        ]


def update_template(path: Path, sheets: Path | None) -> UpdateResult:
    """`navigator template --update FILE`: common.xlsx of `sheets`, else of the file's own folder, else sheets/."""
    if not path.is_file():
        raise TemplateError(f"ファイル「{path}」がありません。ファイルの場所を確かめてください。", usage=True)
    if sheets is None:
        beside = path.parent.is_dir() and SheetsFolder.of(path.parent).common is not None
        sheets = path.parent if beside else Path(DEFAULT_SHEETS)
        if not sheets.is_dir():
            raise TemplateError("common.xlsx が見つかりません。--sheets で common.xlsx のあるフォルダを指定してください。", usage=True)
    common, warnings = read_common(sheets)
    return update_department_workbook(path, common, warnings)


def make_template(department_name: str, sheets: Path, output: Path | None) -> TemplateResult:
    """`navigator template DEPARTMENT_NAME`: read common.xlsx of `sheets`, write the workbook."""
    name = department_name.strip()
    if not name:
        raise TemplateError("部署名が空です。部署名を指定してください（例: navigator template 福祉課）。", usage=True)
    path = output if output is not None else sheets / department_file_name(name)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TemplateError(f"「{path}」は .xlsx で終わる名前にしてください（例: -o 福祉課.xlsx）。", usage=True)
    _refuse_existing(path)
    common, warnings = read_common(sheets)
    write_department_template(common, name, path)
    in_sheets = path.resolve().parent == sheets.resolve()
    return TemplateResult(path, name, common, warnings, in_sheets, sheets)


# ---------------------------------------------------------------- updating a department workbook


def unsupported_contents(path: Path) -> list[str]:
    """What openpyxl does not carry over (or not reliably), found in the zip, in Japanese."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            sheets_xml = [archive.read(n) for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
            drawings = [n for n in names if n.startswith("xl/drawings/drawing") and _has_shapes(archive, n)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"「{path}」は Excel のブック（.xlsx）として読めません。Excel で開いて .xlsx で保存し直してください。") from exc
    found = []
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        if path.suffix.lower() == ".xlsm":
            found.append("マクロがあります。マクロは残しましたが、デジタル署名は外れます。マクロが動くか確かめてください。")
        else:
            found.append("マクロがありましたが、.xlsx には残せないため消えます。マクロが必要なら .xlsm で保存したブックを使ってください。")
    if any(n.startswith("xl/media/") for n in names):
        found.append("画像があります。画像は消えたり位置が変わったりすることがあります。必要ならバックアップから貼り直してください。")
    if any(n.startswith("xl/charts/") for n in names):
        found.append("グラフがあります。グラフは消えることがあります。必要ならバックアップからコピーし直してください。")
    if drawings and not any(n.startswith(("xl/media/", "xl/charts/")) for n in names):
        found.append("図形やテキストボックスがあります。これらは消えます。必要ならバックアップからコピーし直してください。")
    if any(n.startswith(("xl/ctrlProps/", "xl/activeX/")) for n in names):
        found.append("ボタンなどのコントロールがあります。これらは消えます。")
    if any(n.startswith("xl/threadedComments/") for n in names):
        found.append("スレッド形式のコメントがあります。メモ（古い形式のコメント）として残るか、消えることがあります。")
    if any(b"x14:dataValidation" in xml for xml in sheets_xml):
        found.append("ほかのシートを参照する入力規則（ドロップダウン）があります。課で付けたものは消えることがあります。")
    return found


def _has_shapes(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a drawing part anchors anything: LibreOffice Calc writes an empty one into a sheet with a filter."""
    try:
        with archive.open(part) as drawing:
            head = drawing.read(1 << 20)  # a shape's anchor comes first; a huge part is not read whole
    except (zipfile.BadZipFile, OSError, zlib.error):
        return True  # not readable: say it may be lost, as before
    return b"Anchor" in head  # xdr:twoCellAnchor, xdr:oneCellAnchor, xdr:absoluteAnchor


def _find_header_row(ws) -> int | None:
    keys = {normalize_key(h) for h in schema.PROGRAMS.key_headers}
    for row in range(1, schema.HEADER_SEARCH_ROWS + 1):
        values = {normalize_key(_text(ws.cell(row, c).value)) for c in range(1, ws.max_column + 1)}
        if keys <= values:
            return row
    return None


def _sheet(workbook, name: str):
    return next((ws for ws in workbook.worksheets if normalize_key(ws.title) == normalize_key(name)), None)


def _shift_reference(value: str, sheet_name: str, same_sheet: bool, at: int) -> str:
    """A reference with every column at or right of `at` moved one to the right."""
    sheet, bang, ref = value.rpartition("!")
    if bang:
        name = sheet.strip("'").replace("''", "'")
        if name.startswith("[") or normalize_key(name) != normalize_key(sheet_name):
            return value
    elif not same_sheet:
        return value
    parts = ref.split(":")
    shifted = []
    for part in parts:
        match = re.fullmatch(r"(\$?)([A-Za-z]{1,3})(\$?)(\d*)", part)
        if match is None:
            if re.fullmatch(r"\$?\d+", part) and len(parts) == 2:
                shifted.append(part)  # a whole row: no column in it
                continue
            return value  # a name, a structured reference: left as written
        if not match.group(4) and len(parts) == 1:
            return value  # `ABC` alone is a name, not a column
        column = column_index_from_string(match.group(2).upper())
        if column >= at:
            column += 1
        shifted.append(f"{match.group(1)}{get_column_letter(column)}{match.group(3)}{match.group(4)}")
    return f"{sheet}{bang}{':'.join(shifted)}"


def _shift_formula(formula: str, sheet_name: str, same_sheet: bool, at: int) -> str:
    bare = not formula.startswith("=")
    try:
        tokens = Tokenizer("=" + formula if bare else formula)
    except Exception:  # noqa: BLE001 - a formula openpyxl cannot parse is left as it is
        return formula
    changed = False
    for token in tokens.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            new = _shift_reference(token.value, sheet_name, same_sheet, at)
            changed |= new != token.value
            token.value = new
    if not changed:
        return formula
    rendered = tokens.render()
    return rendered[1:] if bare else rendered


def _shifted(cell_range: CellRange, at: int) -> CellRange:
    cell_range = CellRange(cell_range.coord)
    if cell_range.min_col >= at:
        cell_range.shift(col_shift=1)
    elif cell_range.max_col >= at:
        cell_range.expand(right=1)
    return cell_range


def _insert_column(workbook, ws, at: int, header: str, header_row: int) -> None:
    """Insert an empty column before column `at`, moving everything that names a column with it.

    openpyxl's insert_cols moves the cells only; merged cells, widths, dropdowns, conditional
    formats, the filter, frozen panes, tables, hyperlinks and formulas (on every sheet, and
    defined names) are moved here, the way Excel moves them when a column is inserted.
    """
    merged = [CellRange(m.coord) for m in ws.merged_cells.ranges]
    for cell_range in merged:
        ws.unmerge_cells(cell_range.coord)
    ws.insert_cols(at)
    for cell_range in merged:
        ws.merge_cells(_shifted(cell_range, at).coord)
    _shift_dimensions(ws, at)
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange([_shifted(r, at) for r in validation.sqref.ranges])
        for attribute in ("formula1", "formula2"):
            value = getattr(validation, attribute)
            if value:
                setattr(validation, attribute, _shift_formula(value, ws.title, True, at))
    formats = ConditionalFormattingList()
    for conditional in ws.conditional_formatting:
        where = " ".join(_shifted(r, at).coord for r in conditional.sqref.ranges)
        for rule in conditional.rules:
            rule.formula = [_shift_formula(f, ws.title, True, at) for f in rule.formula]
            formats.add(where, rule)
    ws.conditional_formatting = formats
    if ws.auto_filter.ref:
        old = CellRange(ws.auto_filter.ref)
        for column in ws.auto_filter.filterColumn:
            if old.min_col + column.colId >= at:
                column.colId += 1
        ws.auto_filter.ref = _shifted(old, at).coord
    if ws.freeze_panes:
        frozen = CellRange(ws.freeze_panes)
        if frozen.min_col > at:
            ws.freeze_panes = f"{get_column_letter(frozen.min_col + 1)}{frozen.min_row}"
    for table in ws.tables.values():
        old = CellRange(table.ref)
        new = _shifted(old, at)
        if new.size["columns"] > old.size["columns"]:
            position = at - old.min_col
            table.tableColumns.insert(position, TableColumn(id=1, name=header))
            for number, column in enumerate(table.tableColumns, start=1):
                column.id = number
        table.ref = new.coord
        if table.autoFilter is not None:
            table.autoFilter.ref = new.coord
    for cell in ws._cells.values():
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value.text = _shift_formula(value.text, ws.title, sheet is ws, at)
                    if sheet is ws:
                        value.ref = _shifted(CellRange(value.ref), at).coord
                elif cell.data_type == "f" and isinstance(value, str):
                    cell.value = _shift_formula(value, ws.title, sheet is ws, at)
    names = list(workbook.defined_names.values()) + [n for s in workbook.worksheets for n in s.defined_names.values()]
    for name in names:
        if name.attr_text:
            name.attr_text = _shift_formula(name.attr_text, ws.title, False, at)


def _shift_dimensions(ws, at: int) -> None:
    """Column widths and styles move right; a span over the new column is split around it."""
    dimensions = list(ws.column_dimensions.values())
    moved: list[ColumnDimension] = []
    for dimension in dimensions:
        dimension.reindex()
        low, high = dimension.min, dimension.max
        if low >= at:
            moved.append(_dimension_copy(ws, dimension, low + 1, high + 1))
        elif high >= at:
            moved.append(_dimension_copy(ws, dimension, low, at - 1))
            moved.append(_dimension_copy(ws, dimension, at + 1, high + 1))
        else:
            moved.append(dimension)
    ws.column_dimensions.clear()
    for dimension in moved:
        ws.column_dimensions[dimension.index] = dimension


def _dimension_copy(ws, dimension: ColumnDimension, low: int, high: int) -> ColumnDimension:
    new = ColumnDimension(ws, index=get_column_letter(low), width=dimension.width, bestFit=dimension.bestFit,
                          hidden=dimension.hidden, outlineLevel=dimension.outlineLevel, collapsed=dimension.collapsed,
                          min=low, max=high)
    new._style = copy.copy(dimension._style)
    return new


def _insert_position(wanted: list[object], item: object, present: dict[object, int], group_of) -> int:
    """Where a missing column goes: right of its nearest earlier sibling, else left of a later one."""
    index = wanted.index(item)
    group = group_of(item)
    for before in reversed(wanted[:index]):
        if group_of(before) == group and before in present:
            return present[before] + 1
    for after in wanted[index + 1:]:
        if group_of(after) == group and after in present:
            return present[after]
    return 0  # no sibling: decided by the caller


@dataclass
class UpdateResult:
    path: Path
    backup: Path | None = None
    added: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.backup is not None

    def lines(self) -> list[str]:
        lines = [str(w) for w in self.warnings]
        if self.changed:
            lines.append(f"「{self.path}」を今の質問・分類に合わせて更新しました。入力済みの値はそのままです。")
            lines.append(f"更新前のブックは「{self.backup}」に残しています。")
        else:
            lines.append(f"「{self.path}」はすでに今の質問・分類に合っています。ファイルは変えていません。")
        if self.added:
            lines.append(f"追加した列（{len(self.added)}列）:")
            lines.extend(f"  {line}" for line in self.added)
        if self.obsolete:
            lines.append(f"今の質問にない列（{len(self.obsolete)}列、消していません。このままでは navigator check でエラーになります）:")
            lines.extend(f"  {line}" for line in self.obsolete)
        if self.others:
            lines.append("制度の列でも条件の列でもない列（課の作業用ならそのままで構いません。サイトには使われません）:")
            lines.extend(f"  {line}" for line in self.others)
        if self.notes:
            lines.append("注意:")
            lines.extend(f"  {line}" for line in self.notes)
        return lines


def _validation_state(ws) -> list[tuple]:
    return sorted((str(v.sqref), v.type or "", v.formula1 or "", v.prompt or "", v.promptTitle or "")
                  for v in ws.data_validations.dataValidation)


def _filled_count(ws, column: int, header_row: int) -> int:
    return sum(1 for row in range(header_row + 1, ws.max_row + 1)
               if normalize_key(_text(ws.cell(row, column).value)) not in ("", *schema.NO_MARKS))


def update_department_workbook(path: Path, common: Common, warnings: list[Problem] | None = None,
                               now: dt.datetime | None = None) -> UpdateResult:
    """Add the columns and dropdowns the current questions and categories need; never delete."""
    if not path.is_file():
        raise TemplateError(f"ファイル「{path}」がありません。ファイルの場所を確かめてください。", usage=True)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TemplateError(f"「{path}」は部署のブック（.xlsx）ではありません。", usage=True)
    if path.with_name("~$" + path.name).exists():
        raise TemplateError(f"「{path}」は Excel で開かれているようです。Excel で閉じてから、もう一度実行してください。")
    result = UpdateResult(path, warnings=list(warnings or []))
    result.notes.extend(unsupported_contents(path))
    try:
        workbook = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any reading failure is the same for the user
        raise TemplateError(f"「{path}」を読めません（{type(exc).__name__}）。Excel で開けるか確かめ、.xlsx で保存し直してください。") from exc
    ws = _sheet(workbook, schema.PROGRAMS.sheet)
    if ws is None:
        raise TemplateError(f"「{path}」に「制度」シートがありません。部署のブックを指定してください。")
    header_row = _find_header_row(ws)
    if header_row is None:
        raise TemplateError(f"「{path}」の「制度」シートの上から{schema.HEADER_SEARCH_ROWS}行以内に、"
                            "「制度ID」と「制度名」のある見出し行がありません。")
    before = (_validation_state(ws), _category_list(workbook))
    formulas = sum(1 for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f")
    if formulas:
        result.notes.append(f"数式のセルが {formulas}個あります。更新したブックには数式の計算結果が入っていないので、"
                            "Excel で開いて上書き保存してから navigator check してください。")

    added: list[tuple[int, str]] = []
    wanted_program = list(schema.PROGRAMS.headers)
    wanted_conditions = condition_columns(common.questions)
    while True:
        layout = _layout(ws, header_row, common)
        present_program = {h: c for c, h in layout.program.items()}
        missing_program = [h for h in wanted_program if h not in present_program]
        if missing_program:
            header = missing_program[0]
            at = _insert_position(wanted_program, header, present_program, lambda _: 0)
        else:
            present = {c.key: col for col, c in layout.condition.items()}
            missing = [c for c in wanted_conditions if c.key not in present]
            if not missing:
                break
            item = missing[0]
            keys = [c.key for c in wanted_conditions]
            at = _insert_position(keys, item.key, present, lambda key: key[0])
            if not at:
                # A new question: after the columns of the nearest earlier question, else before a later one.
                order = [q.id for q in common.questions]
                mine = order.index(item.question.id)
                earlier = [col for col, c in layout.condition.items() if order.index(c.question.id) < mine]
                later = [col for col, c in layout.condition.items() if order.index(c.question.id) > mine]
                at = max(earlier) + 1 if earlier else min(later) if later else (
                    max([*layout.program, *layout.condition, *layout.obsolete, *layout.other]) + 1)
            header = item.header
        _insert_column(workbook, ws, at, header, header_row)
        ws.cell(header_row, at, header)
        added = [(c + 1 if c >= at else c, h) for c, h in added] + [(at, header)]

    layout = _layout(ws, header_row, common)
    styled = {column for column, _ in added}
    _tool_program_sheet(ws, layout, common, styled)
    _write_category_list(workbook, [c.name for c in common.categories])
    instructions = _sheet(workbook, INSTRUCTIONS_SHEET)
    if instructions is not None and _text(instructions.cell(1, 1).value) == DEPARTMENT_INSTRUCTIONS_TITLE:
        index = workbook.worksheets.index(instructions)
        workbook.remove(instructions)
        _write_department_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET, index), common)

    result.added = [f"{get_column_letter(c)}列「{h}」" for c, h in sorted(added)]
    for column, header in sorted(layout.obsolete.items()):
        question_id, choice = condition_key(header)
        question = next((q for q in common.questions if q.id == question_id), None)
        if question is None:
            why = f"質問「{question_id}」は common.xlsx の質問にもうありません"
        elif choice is None or question.kind == "number":
            why = f"質問「{question_id}」の条件の列の見出しの形が今の質問と合いません"
        else:
            why = f"質問「{question_id}」に選択肢「{choice}」はもうありません"
        count = _filled_count(ws, column, header_row)
        marks = f"値の入ったセルが {count}個あります。正しい列に移してから、" if count else "値は入っていません。"
        result.obsolete.append(f"{get_column_letter(column)}列「{header}」: {why}。{marks}この列を削除してください。")
    result.others = [f"{get_column_letter(c)}列「{h}」" for c, h in sorted(layout.other.items())]

    if not added and before == (_validation_state(ws), _category_list(workbook)):
        result.notes = [n for n in result.notes if not n.startswith("数式")]
        return result
    result.backup = _backup(path, now or dt.datetime.now())
    _save_in_place(workbook, path)
    return result


def _backup(path: Path, now: dt.datetime) -> Path:
    """A copy of the file as it was, in a sub-folder (sub-folders are not read: no duplicate 制度ID)."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{path.stem}.bak-{stamp}{path.suffix}"
    number = 1
    while backup.exists():
        number += 1
        backup = folder / f"{path.stem}.bak-{stamp}-{number}{path.suffix}"
    shutil.copy2(path, backup)
    return backup


def _save_in_place(workbook, path: Path) -> None:
    temporary = path.with_name(f".{path.stem}.navigator-tmp{path.suffix}")  # a dot file: never read as a workbook
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise TemplateError(f"「{path}」に書き込めません（{exc.strerror or exc}）。Excel で開いているなら閉じてから、"
                            "もう一度実行してください。元のファイルは変わっていません。") from exc
