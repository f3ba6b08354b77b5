"""The 制度 sheet of a department workbook: its columns (the program's, then one per condition), their
input messages, dropdowns, fills and the row that groups the condition columns by question.

Written whole for a new workbook and applied again by `template --update` to the columns the
template owns; a department's own columns are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from navigator.check.common import Common
from navigator.contract import sheets as schema
from navigator.contract.numbers import range_examples
from navigator.contract.text import normalize_key, quote_list
from navigator.model import Question
from navigator.tooling.template.style import (
    BORDER,
    CATEGORY_LIST_NAME,
    CENTER_WRAP,
    CONDITION_FILLS,
    LAST_ROW,
    MARK,
    OBSOLETE_FILL,
    OPTIONAL_FILL,
    PROGRAM_GROUP_LABEL,
    REQUIRED_FILL,
    TOP_WRAP,
    as_text,
    clip,
    column_style,
    explain,
    input_message,
    japanese_font,
    lines_needed,
    solid_fill,
    style_header,
)


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
    return schema.split_condition_header(as_text(header))


def _question_label(question: Question) -> str:
    if question.kind == "number":
        how = f"数値{'（' + question.unit + '）' if question.unit else ''}の質問: 対象の範囲を書く"
    else:
        how = ("1つ選ぶ質問" if question.kind == "single" else "複数選べる質問") + ": 対象の答えに ○"
    return f"{question.id}：{question.text}（{how}）"


def _condition_help(column: ConditionColumn) -> tuple[str, str]:
    """(header message, data cell message) of a condition column."""
    question = column.question
    asked = f"質問「{clip(question.text, 60)}」"
    if column.choice is None:
        examples = quote_list(range_examples(question.unit, question.minimum, question.maximum))
        return (f"{asked}の答え（数値）で対象を決める列です。対象になる範囲を {examples} のように書きます。"
                "空欄なら、この質問は条件になりません。",
                f"対象になる範囲。例: {examples}。空欄なら条件なし。")
    return (f"{asked}で「{column.choice}」と答えた人が対象なら ○ を付けます。同じ質問の ○ は「どれかに当てはまれば対象」、"
            "ほかの質問の ○ とは「両方に当てはまれば対象」の意味です。この質問に ○ が1つもなければ、この質問は条件になりません。",
            f"「{column.choice}」と答えた人が対象なら ○（▼ から選べます）。対象でなければ空欄。")


@dataclass
class Layout:
    """The 制度 sheet's columns as found: what each header is."""

    header_row: int
    program: dict[int, str]  # column → schema header
    condition: dict[int, ConditionColumn]  # column → a current condition column
    obsolete: dict[int, str]  # column → header naming a question or choice that is gone
    other: dict[int, str]  # column → any other header (a department's own working column)


def find_layout(ws, header_row: int, common: Common) -> Layout:
    expected = {column.key: column for column in condition_columns(common.questions)}
    question_ids = {q.id for q in common.questions}
    layout = Layout(header_row, {}, {}, {}, {})
    for column in range(1, ws.max_column + 1):
        value = ws.cell(header_row, column).value
        header = normalize_key(as_text(value))
        if not header:
            continue
        key = condition_key(header)
        if header in schema.PROGRAMS.headers:
            layout.program[column] = header
        elif key in expected:
            layout.condition[column] = expected[key]
        elif key[1] is not None or key[0] in question_ids:
            layout.obsolete[column] = as_text(value).strip()
        else:
            layout.other[column] = as_text(value).strip()
    return layout


def _style_column(ws, layout: Layout, column: int, common: Common) -> None:
    """Header cell, width and column style of a column the template owns."""
    cell = ws.cell(layout.header_row, column)
    if column in layout.program:
        header = layout.program[column]
        spec = schema.PROGRAMS.column(header)
        style_header(cell, REQUIRED_FILL if spec.required else OPTIONAL_FILL)
        center = spec.kind == "publish"
        column_style(ws, column, spec.width,
                      Alignment(horizontal="center", vertical="top") if center else TOP_WRAP,
                      "@" if spec.kind == "id" else None)
    else:
        condition = layout.condition[column]
        number = [q.id for q in common.questions].index(condition.question.id)
        style_header(cell, CONDITION_FILLS[number % 2])
        column_style(ws, column, 12 if condition.choice is not None else 14,
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


def tool_program_sheet(ws, layout: Layout, common: Common, styled: set[int]) -> None:
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
        explain(ws, ws.cell(header_row, column).coordinate, header, schema.PROGRAMS.column(header).help)
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
        explain(ws, ws.cell(header_row, column).coordinate, condition.header, header_text)
        if condition.choice is None:
            validation = input_message(condition.header, cell_text)
        else:
            validation = input_message(condition.header, cell_text, type="list", formula1=f'"{MARK}"',
                                  showErrorMessage=True, errorStyle="warning", errorTitle="条件の印",
                                  error="対象の答えには ○ を付け、対象でなければ空欄にしてください。")
        validation.add(data(column))
        ws.add_data_validation(validation)
    for column, header in sorted(layout.obsolete.items()):
        cell = ws.cell(header_row, column)
        cell.fill = solid_fill(OBSOLETE_FILL)
        explain(ws, cell.coordinate, "今の質問にない列",
                 f"「{header}」は common.xlsx の今の質問・選択肢にありません。○ を正しい列に移してから、この列を削除してください。")
    for column in sorted(styled):
        _style_column(ws, layout, column, common)
    if styled:
        longest = max((lines_needed(c.header, 12) for c in layout.condition.values()), default=1)
        height = max(30, min(120, 15 * longest + 8))
        ws.row_dimensions[header_row].height = max(height, ws.row_dimensions[header_row].height or 0)
    if header_row > 1 and (styled == owned or _is_group_row(ws, header_row - 1)):
        _write_group_row(ws, layout, common)


def _is_group_row(ws, row: int) -> bool:
    return as_text(ws.cell(row, 1).value).startswith(PROGRAM_GROUP_LABEL)


def _write_group_row(ws, layout: Layout, common: Common) -> None:
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
            ws.cell(row, column).fill = solid_fill(fill)
            ws.cell(row, column).border = BORDER
        cell.font = japanese_font(bold=True)
        cell.alignment = CENTER_WRAP
        if end > start:
            ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
    ws.row_dimensions[row].height = 48
