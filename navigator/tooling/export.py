"""The 取りまとめ表: the merged model as one table (a row per program), as .xlsx or .csv.

What a coordinating division keeps and sends to its managers: every program of every
department, published or not, with its conditions in words. pandas is imported inside
`export_table` only, so that `check` and `build` never load it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from navigator.contract import sheets as schema
from navigator.model import Program, Site
from navigator.rules import is_closed
from navigator.site.changes import conditions_in_words

SUFFIXES = (".xlsx", ".csv")
SHEET_NAME = "制度一覧"


def _program_columns() -> tuple[schema.Column, ...]:
    """The 制度 columns with an export width, in sheet order but 公開 right after 分類 (filtered on first)."""
    columns = [c for c in schema.PROGRAMS.columns if c.export_width and c.kind != "publish"]
    category = next(n for n, c in enumerate(columns) if c.kind == "category")
    columns.insert(category + 1, next(c for c in schema.PROGRAMS.columns if c.kind == "publish"))
    return tuple(columns)


PROGRAM_COLUMNS = _program_columns()
DEPARTMENT_COLUMN = schema.DEPARTMENT.sheet  # the 部署名 of the program's workbook
# Beyond the sheet's columns: the conditions in words and where the program's row is.
CONDITIONS_COLUMN, WORKBOOK_COLUMN, ROW_COLUMN = "条件", "ブック", "行"
# 申請期限 is a date (sortable, filterable); beside it the deadline as written, and whether it has passed.
DEADLINE_COLUMN = schema.PROGRAMS.column("申請期限").header
DEADLINE_TEXT_COLUMN, CLOSED_COLUMN = "申請期限（表記）", "受付終了"
DATE_FORMAT = "yyyy-mm-dd"


def _columns() -> tuple[str, ...]:
    headers = [DEPARTMENT_COLUMN, *(c.header for c in PROGRAM_COLUMNS), CONDITIONS_COLUMN, WORKBOOK_COLUMN, ROW_COLUMN]
    after = headers.index(DEADLINE_COLUMN) + 1
    headers[after:after] = [DEADLINE_TEXT_COLUMN, CLOSED_COLUMN]
    return tuple(headers)


COLUMNS = _columns()
WIDTHS = {DEPARTMENT_COLUMN: 18, **{c.header: c.export_width for c in PROGRAM_COLUMNS}, CONDITIONS_COLUMN: 40,
          WORKBOOK_COLUMN: 18, ROW_COLUMN: 6, DEADLINE_TEXT_COLUMN: 16, CLOSED_COLUMN: 9}
WIDTHS[DEADLINE_COLUMN] = 12


class ExportError(Exception):
    """The table could not be written; the message is for the user."""


def table_rows(site: Site, today: dt.date) -> list[dict]:
    """One row per program (published and 公開=×), by workbook then sheet row; 受付終了 as of `today`."""
    programs = sorted([*site.programs, *site.unpublished], key=lambda p: (p.file, p.row))
    return [_row(p, today) for p in programs]


def _row(program: Program, today: dt.date) -> dict:
    conditions = [[req.as_dict() for req in row.requirements] for row in program.condition_rows]
    values = {DEPARTMENT_COLUMN: program.department.name}
    values.update((c.header, _cell(c, getattr(program, c.field))) for c in PROGRAM_COLUMNS)
    values.update({DEADLINE_TEXT_COLUMN: program.deadline.text if program.deadline else "",
                   CLOSED_COLUMN: "○" if is_closed(program, today) else "",
                   CONDITIONS_COLUMN: conditions_in_words(conditions), WORKBOOK_COLUMN: program.file,
                   ROW_COLUMN: program.row})
    return {key: (None if value == "" else value) for key, value in values.items()}


def _cell(column: schema.Column, value):
    """A model value as the table shows it, by the kind of its column."""
    if column.kind == "publish":
        return "○" if value else "×"
    if column.kind == "date":
        return value.date if value and value.date else ""  # a date, or empty: the words are in 申請期限（表記）
    if column.kind == "lines":
        return "\n".join(value)
    return value


def export_table(site: Site, path: Path, today: dt.date) -> int:
    """Write the table to `path` (.xlsx or .csv, by its suffix), 受付終了 as of `today`. Returns the number of rows."""
    import pandas as pd  # only here: check and build must not pay for importing pandas

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"unsupported suffix {path.suffix!r}")
    rows = table_rows(site, today)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    try:
        if suffix == ".csv":
            # UTF-8 with a BOM: Excel opens it with the Japanese intact.
            frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        else:
            with pd.ExcelWriter(path, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name=SHEET_NAME, index=False)
                _tidy(writer.sheets[SHEET_NAME])
    except OSError as exc:
        raise ExportError(f"「{path}」に書き込めませんでした（{exc.strerror or exc}）。"
                          "Excel などで開いていれば閉じてから、もう一度実行してください。") from exc
    return len(rows)


def _tidy(sheet) -> None:
    """Column widths, wrapped text, a frozen header and filters: readable when opened."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for number, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS[name]
    wrap = Alignment(wrap_text=True, vertical="top")
    deadline = COLUMNS.index(DEADLINE_COLUMN)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
        row[deadline].number_format = DATE_FORMAT
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = sheet.dimensions
