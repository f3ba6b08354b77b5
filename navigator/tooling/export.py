"""The 取りまとめ表: the merged model as one table (a row per program), as .xlsx or .csv.

What a coordinating division keeps and sends to its managers: every program of every
department, published or not, with its conditions in words. pandas is imported inside
`export_table` only, so that `check` and `build` never load it.
"""

from __future__ import annotations

from pathlib import Path

from navigator.model import Program, Site
from navigator.site.changes import conditions_in_words

SUFFIXES = (".xlsx", ".csv")
SHEET_NAME = "制度一覧"
COLUMNS = ("部署", "制度ID", "制度名", "分類", "公開", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類",
           "問い合わせ先", "オンライン申請URL", "詳細URL", "条件", "ブック", "行")
WIDTHS = {"部署": 18, "制度ID": 16, "制度名": 24, "分類": 12, "公開": 6, "概要": 40, "対象者": 30, "支援内容": 30,
          "申請期限": 14, "申請方法": 30, "必要書類": 24, "問い合わせ先": 24, "オンライン申請URL": 24, "詳細URL": 24,
          "条件": 40, "ブック": 18, "行": 6}


class ExportError(Exception):
    """The table could not be written; the message is for the user."""


def table_rows(site: Site) -> list[dict]:
    """One row per program (published and 公開=×), by workbook then sheet row."""
    programs = sorted([*site.programs, *site.unpublished], key=lambda p: (p.file, p.row))
    return [_row(p) for p in programs]


def _row(program: Program) -> dict:
    conditions = [[req.as_dict() for req in row.requirements] for row in program.condition_rows]
    values = {
        "部署": program.department.name,
        "制度ID": program.id,
        "制度名": program.name,
        "分類": program.category,
        "公開": "○" if program.published else "×",
        "概要": program.summary,
        "対象者": program.target,
        "支援内容": program.benefit,
        "申請期限": program.deadline.text if program.deadline else "",
        "申請方法": program.how_to_apply,
        "必要書類": "\n".join(program.documents),
        "問い合わせ先": program.contact,
        "オンライン申請URL": program.online_url,
        "詳細URL": program.detail_url,
        "条件": conditions_in_words(conditions),
        "ブック": program.file,
        "行": program.row,
    }
    return {key: (None if value == "" else value) for key, value in values.items()}


def export_table(site: Site, path: Path) -> int:
    """Write the table to `path` (.xlsx or .csv, by its suffix). Returns the number of rows."""
    import pandas as pd  # only here: check and build must not pay for importing pandas

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"unsupported suffix {path.suffix!r}")
    rows = table_rows(site)
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
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = sheet.dimensions
