"""What every sheet the template writes is made of: sizes, fills, fonts, input messages, the 項目 | 値 sheets.

Shared by the new workbooks (authoring, starter) and `template --update`, so that an updated
workbook looks like a new one.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from navigator.contract import sheets as schema

LAST_ROW = 500  # dropdowns and input messages reach this row (further if the sheet is longer)
HEADER_ROW = 2  # row 1 groups the condition columns by question
HELPER_SHEET = "_リスト"  # hidden: the 分類 dropdown's list (another sheet, so the reader ignores it)
CATEGORY_LIST_NAME = "分類リスト"  # a defined name: a dropdown naming a range on another sheet
INSTRUCTIONS_SHEET = "記入方法"
PROGRAM_GROUP_LABEL = "制度の情報"
DEPARTMENT_INSTRUCTIONS_TITLE = "部署のブックの書き方（記入方法）"
COMMON_INSTRUCTIONS_TITLE = "common.xlsx の書き方（記入方法）"
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


def as_text(value: object) -> str:
    return "" if value is None else str(value)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def japanese_font(bold: bool = False, size: float = 11, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, bold=bold, size=size, color=color)


def solid_fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


def input_message(title: str, text: str, **options) -> DataValidation:
    """A data validation that shows an input message when its cells are selected."""
    return DataValidation(showInputMessage=True, promptTitle=clip(title, PROMPT_TITLE_MAX),
                          prompt=clip(text, PROMPT_MAX), allow_blank=True, **options)


def explain(ws, cell: str, title: str, text: str) -> None:
    validation = input_message(title, text)
    validation.add(cell)
    ws.add_data_validation(validation)


def style_header(cell, fill: str) -> None:
    cell.font = japanese_font(bold=True)
    cell.fill = solid_fill(fill)
    cell.border = BORDER
    cell.alignment = CENTER_WRAP


def column_style(ws, column: int, width: float, alignment: Alignment, number_format: str | None = None) -> None:
    dimension = ws.column_dimensions[get_column_letter(column)]
    dimension.width = width
    dimension.alignment = alignment
    dimension.font = japanese_font()
    if number_format:
        dimension.number_format = number_format


def lines_needed(text: str, width: float) -> int:
    per_line = max(1, int(width / 2))  # Japanese characters are two units wide
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def write_key_value_sheet(ws, spec: schema.KeyValueSpec, values: dict[str, str]) -> None:
    """A 項目 | 値 sheet with every item of the spec, required ones in orange."""
    print_on_a4_width(ws)
    for column, (header, text) in enumerate(((schema.KEY_HEADER, KEY_HELP), (schema.VALUE_HEADER, VALUE_HELP)), start=1):
        cell = ws.cell(1, column, header)
        style_header(cell, OPTIONAL_FILL)
        explain(ws, cell.coordinate, header, text)
    for row, item in enumerate(spec.items, start=2):
        key = ws.cell(row, 1, item.header)
        key.font = japanese_font(bold=True)
        key.fill = solid_fill(REQUIRED_FILL if item.required else OPTIONAL_FILL)
        value = ws.cell(row, 2, values.get(item.header) or None)
        value.font = japanese_font()
        for cell in (key, value):
            cell.border = BORDER
            cell.alignment = TOP_WRAP
        explain(ws, value.coordinate, item.header, item.help)
        ws.row_dimensions[row].height = max(20, 16 * lines_needed(as_text(value.value), 70) + 4)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 70
    ws.freeze_panes = "A2"


def write_category_list(workbook, names: list[str]) -> None:
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


def category_list(workbook) -> list[str] | None:
    if HELPER_SHEET not in workbook.sheetnames:
        return None
    return [as_text(row[0]) for row in workbook[HELPER_SHEET].iter_rows(values_only=True) if row and row[0] is not None]


def print_on_a4_width(ws) -> None:
    """Printed, the sheet is A4 landscape and one page wide: a long instruction is not cut at the page's edge."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
