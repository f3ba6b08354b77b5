"""The common.xlsx a department workbook is made from, found by SheetsFolder and read with the check's
own CommonReader.

Warnings are passed on; an error stops the template (a workbook made from a broken common.xlsx
would only fail `navigator check`).
"""

from __future__ import annotations

from pathlib import Path

from navigator.check.common import Common, CommonReader
from navigator.contract.problems import Problem, Report
from navigator.read.folder import SheetsFolder
from navigator.read.workbook import WorkbookReadError, read_workbook


class TemplateError(Exception):
    """The workbook could not be written or updated; `usage` says the command was used wrongly."""

    def __init__(self, message: str, problems: list[Problem] | tuple = (), usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.usage = usage


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
        report.add(exc.kind, file=common_path.name, **exc.values)
        raise TemplateError("common.xlsx が読めないため、部署のブックを作れません。", report.problems) from exc
    common = CommonReader(workbook, report).read()
    if not report.ok:
        raise TemplateError("common.xlsx にエラーがあるため、部署のブックを作れません。上のエラーを直してください。", report.problems)
    return common, report.warnings
