"""Annotated copies of workbooks with problems, to send back to the department as they are.

Each copy has every problem cell filled (errors and warnings in different colours) with the
messages as the cell's comment, and a `確認結果` sheet, first, listing every problem with a
link to its cell. The original workbooks are only read, never written. openpyxl writes the
copies (python-calamine, the reader, cannot write).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from navigator.contract.problems import Problem
from navigator.contract.text import normalize_key

RESULT_SHEET = "確認結果"
RESULT_HEADERS = ("種類", "シート", "セル", "内容")
COMMENT_AUTHOR = "navigator check"
# Excel's own "bad" and "neutral" cell styles: red-pink for errors, yellow for warnings.
ERROR_COLOUR = "FFFFC7CE"
WARNING_COLOUR = "FFFFEB9C"
SEVERITY_LABEL = {"error": "エラー", "warning": "警告"}
# Problems that mean the file could not be read at all: there is nothing to annotate.
UNREADABLE_CODES = frozenset({"unreadable-workbook", "password-protected", "corrupt-workbook", "unsupported-format",
                              "empty-file", "workbook-too-large"})


class AnnotateError(Exception):
    """A copy that could not be written; the message is Japanese."""


@dataclass
class Written:
    path: Path
    errors: int
    warnings: int


@dataclass
class AnnotateResult:
    written: list[Written] = field(default_factory=list)
    not_written: list[tuple[str, str]] = field(default_factory=list)  # (file name, why), for the terminal


def same_folder(out_dir: Path, folder: Path) -> bool:
    """Whether writing into out_dir would write over the workbooks of folder."""
    try:
        return out_dir.resolve() == folder.resolve()
    except OSError:
        return False


def annotate_workbooks(problems: list[Problem], sources: list[Path], out_dir: Path) -> AnnotateResult:
    """For each source workbook with problems, write an annotated copy of the same name into out_dir.

    `sources` are the workbooks that were checked; problems are matched to them by file name.
    Problems with no file (no common.xlsx) belong to no workbook and are not written anywhere.
    """
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.file:
            by_file[problem.file].append(problem)
    result = AnnotateResult()
    for source in sources:
        found = by_file.get(source.name)
        if not found:
            continue
        unreadable = [p for p in found if p.code in UNREADABLE_CODES]
        if unreadable:
            result.not_written.append((source.name, unreadable[0].message))
            continue
        target = out_dir / source.name
        try:
            annotate_workbook(source, found, target)
        except AnnotateError as exc:
            result.not_written.append((source.name, str(exc)))
            continue
        result.written.append(Written(target, sum(p.severity == "error" for p in found),
                                      sum(p.severity == "warning" for p in found)))
    return result


def annotate_workbook(source: Path, problems: list[Problem], target: Path) -> None:
    """Write a copy of source to target with the problems marked on their cells and listed in 確認結果."""
    if target.resolve() == source.resolve():
        raise AnnotateError("元のブックと同じ場所には書き込めません。別のフォルダを指定してください。")
    keep_vba = source.suffix.lower() == ".xlsm"
    try:
        book = openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds for files it cannot take apart
        raise AnnotateError(f"ブックを書き込み用に開けませんでした（{type(exc).__name__}）。") from exc
    for name in [n for n in book.sheetnames if normalize_key(n) == RESULT_SHEET]:
        del book[name]  # from an earlier annotate: replaced, not added to
    sheets = {name: book[name] for name in book.sheetnames}
    by_key = {normalize_key(name): name for name in book.sheetnames}

    def sheet_named(name: str | None):
        if not name:
            return None
        return sheets.get(name) or sheets.get(by_key.get(normalize_key(name), ""))

    marks: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        sheet = sheet_named(problem.sheet)
        if sheet is not None and problem.cell:
            marks[(sheet.title, problem.cell)].append(problem)
    for (title, cell), here in marks.items():
        _mark_cell(book[title], cell, here)
    _result_sheet(book, problems, sheet_named)

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.chmod(temporary, stat.S_IMODE(source.stat().st_mode))  # mkstemp makes it 0600: keep the original's
        os.replace(temporary, target)
    except Exception as exc:
        Path(temporary).unlink(missing_ok=True)
        raise AnnotateError(f"「{target}」に書き込めませんでした（{type(exc).__name__}: {exc}）。") from exc


def _anchor(sheet, cell: str) -> str:
    """The cell that shows a merged area (its top-left one), or the cell itself."""
    for merged in sheet.merged_cells.ranges:
        if cell in merged:
            return merged.start_cell.coordinate
    return cell


def _mark_cell(sheet, cell: str, problems: list[Problem]) -> None:
    anchor = _anchor(sheet, cell)
    target = sheet[anchor]
    colour = ERROR_COLOUR if any(p.severity == "error" for p in problems) else WARNING_COLOUR
    target.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    where = f"（{cell}）" if anchor != cell else ""
    lines = [f"[{SEVERITY_LABEL[p.severity]}]{where} {p.message}" for p in problems]
    old = target.comment
    if old is not None and old.author != COMMENT_AUTHOR and old.text.strip():
        lines.append(f"（元のコメント）{old.text.strip()}")  # the department's own note is kept
    text = "\n".join(lines)
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width = 360
    comment.height = max(80, 20 * sum(1 + len(line) // 24 for line in lines))
    target.comment = comment


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _result_sheet(book, problems: list[Problem], sheet_named) -> None:
    sheet = book.create_sheet(RESULT_SHEET, 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False  # one selected tab: several would be a group edit
    sheet.sheet_view.tabSelected = True
    book.active = 0
    sheet.append(list(RESULT_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    link_font = Font(color="FF0563C1", underline="single")
    for problem in problems:
        sheet.append([SEVERITY_LABEL[problem.severity], problem.sheet, problem.cell, problem.message])
        row = sheet.max_row
        colour = ERROR_COLOUR if problem.severity == "error" else WARNING_COLOUR
        sheet.cell(row, 1).fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        for column in (1, 2, 3):
            sheet.cell(row, column).alignment = Alignment(vertical="top")
        sheet.cell(row, 4).alignment = Alignment(wrap_text=True, vertical="top")
        target = sheet_named(problem.sheet)
        if target is None:
            continue  # a missing sheet: nothing to link to
        link_cell = sheet.cell(row, 3) if problem.cell else sheet.cell(row, 2)
        location = f"{_quoted(target.title)}!{problem.cell or 'A1'}"
        link_cell.hyperlink = Hyperlink(ref=link_cell.coordinate, location=location, display=str(link_cell.value))
        link_cell.font = link_font
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 8
    sheet.column_dimensions["D"].width = 100
    sheet.freeze_panes = "A2"
    _print_in_one_piece(sheet)


def _print_in_one_piece(sheet) -> None:
    """A4 landscape, all columns on the page width, as many pages down as needed, the headings on each."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
