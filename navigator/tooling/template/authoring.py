"""`navigator template DEPARTMENT_NAME`: a new department workbook from the folder's common.xlsx."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from navigator.check.common import Common
from navigator.contract import sheets as schema
from navigator.contract.problems import Problem
from navigator.tooling.template.common import TemplateError, read_common
from navigator.tooling.template.instructions import write_department_instructions
from navigator.tooling.template.program_sheet import condition_columns, find_layout, tool_program_sheet
from navigator.tooling.template.style import HEADER_ROW, INSTRUCTIONS_SHEET, write_category_list, write_key_value_sheet


def department_file_name(name: str) -> str:
    """A file name made from a department name: characters Windows refuses become `_`."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return f"{safe or '部署'}.xlsx"


def refuse_existing(path: Path) -> None:
    if path.exists():
        raise TemplateError(f"「{path}」はすでにあります。上書きはしません。別のファイル名を -o で指定するか、"
                            f"今のブックを新しい質問に合わせるなら navigator template --update {path} を使ってください。", usage=True)


def save_new(workbook, path: Path) -> None:
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
    refuse_existing(path)
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    write_department_instructions(instructions, common)
    write_key_value_sheet(workbook.create_sheet(schema.DEPARTMENT.sheet), schema.DEPARTMENT,
                     {"部署名": department_name.strip()})
    ws = workbook.create_sheet(schema.PROGRAMS.sheet)
    headers = list(schema.PROGRAMS.headers) + [c.header for c in condition_columns(common.questions)]
    for column, header in enumerate(headers, start=1):
        ws.cell(HEADER_ROW, column, header)
    for row, values in enumerate(example_rows or [], start=HEADER_ROW + 1):
        for header, value in values.items():
            ws.cell(row, headers.index(header) + 1, value)
    layout = find_layout(ws, HEADER_ROW, common)
    tool_program_sheet(ws, layout, common, styled=set(layout.program) | set(layout.condition))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, headers.index("制度名") + 2).coordinate  # 制度ID and 制度名 stay in view
    write_category_list(workbook, [c.name for c in common.categories])
    workbook.active = 0
    save_new(workbook, path)
    return path


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


def make_template(department_name: str, sheets: Path, output: Path | None) -> TemplateResult:
    """`navigator template DEPARTMENT_NAME`: read common.xlsx of `sheets`, write the workbook."""
    name = department_name.strip()
    if not name:
        raise TemplateError("部署名が空です。部署名を指定してください（例: navigator template 福祉課）。", usage=True)
    path = output if output is not None else sheets / department_file_name(name)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TemplateError(f"「{path}」は .xlsx で終わる名前にしてください（例: -o 福祉課.xlsx）。", usage=True)
    refuse_existing(path)
    common, warnings = read_common(sheets)
    write_department_template(common, name, path)
    in_sheets = path.resolve().parent == sheets.resolve()
    return TemplateResult(path, name, common, warnings, in_sheets, sheets)
