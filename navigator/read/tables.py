"""Finding a sheet's header row and reading its rows as records that know their cells."""

from __future__ import annotations

from dataclasses import dataclass

from navigator.contract import problem_kinds as kinds
from navigator.contract.problems import Report
from navigator.contract.sheets import HEADER_SEARCH_ROWS
from navigator.contract.text import did_you_mean, is_blank, normalize_key, quote_list
from navigator.read.workbook import Sheet, Workbook, cell_ref


@dataclass
class Table:
    file: str
    sheet: Sheet
    header_row: int  # 0-based
    columns: dict[str, int]  # normalised header → 0-based column
    header_text: dict[str, str]  # normalised header → as written

    def header_cell(self, header: str) -> str:
        return cell_ref(self.header_row, self.columns[header])

    def records(self):
        """(row index, Record) for every row below the header that is not fully empty."""
        for row_index in range(self.header_row + 1, len(self.sheet.rows)):
            row = self.sheet.rows[row_index]
            if all(map(is_blank, row)) and row_index not in self.sheet.unsaved_rows:
                continue
            yield Record(self, row_index, row)


@dataclass
class Record:
    table: Table
    row_index: int
    row: list[object]  # the sheet's row itself (calamine's grid: a row may be shorter than the header row)

    @property
    def row_number(self) -> int:
        return self.row_index + 1

    def has(self, header: str) -> bool:
        return header in self.table.columns

    def raw(self, header: str) -> object:
        column = self.table.columns.get(header)
        if column is None:
            return ""
        row = self.row
        return row[column] if column < len(row) else ""

    def ref(self, header: str) -> str | None:
        column = self.table.columns.get(header)
        return None if column is None else cell_ref(self.row_index, column)

    def is_unsaved_formula(self, header: str) -> bool:
        if not self.table.sheet.unsaved_formulas:
            return False  # the common case, checked first: a cell name costs more than the check
        ref = self.ref(header)
        return ref is not None and ref in self.table.sheet.unsaved_formulas

    def filled(self, header: str) -> bool:
        return not is_blank(self.raw(header)) or self.is_unsaved_formula(header)


def require_sheet(workbook: Workbook, name: str, report: Report) -> Sheet | None:
    sheet = workbook.sheet(name)
    if sheet is None:
        # The near miss is what the department wrote: name it, then say what to write instead.
        close = did_you_mean(name, workbook.sheet_names)
        kind = kinds.MISSING_SHEET if close else kinds.MISSING_SHEET.variant("absent")
        report.add(kind, file=workbook.file_name, name=name, close=close)
    return sheet


def find_table(workbook: Workbook, sheet: Sheet, key_headers: tuple[str, ...], known_headers: tuple[str, ...],
               report: Report) -> Table | None:
    """The table whose header row is the first of the top rows holding every key header."""
    wanted = {normalize_key(h) for h in key_headers}
    for row_index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        keys = {normalize_key(value) for value in row}
        if wanted <= keys:
            return _table_at(workbook, sheet, row_index, report)
    # No header row: name what is missing, with a near miss if the top rows have one.
    top_cells = [normalize_key(v) for row in sheet.rows[:HEADER_SEARCH_ROWS] for v in row if normalize_key(v)]
    near = {h: did_you_mean(h, top_cells) for h in key_headers if h not in top_cells}
    near_miss = kinds.MISSING_HEADER.variant("near-miss")
    hints = "".join(near_miss.format({"close": close, "header": h}) for h, close in near.items() if close)
    report.add(kinds.MISSING_HEADER.variant("no-header-row"), file=workbook.file_name, sheet=sheet.name,
               rows=HEADER_SEARCH_ROWS, headers=quote_list(key_headers), hints=hints)
    return None


def _table_at(workbook: Workbook, sheet: Sheet, row_index: int, report: Report) -> Table:
    columns: dict[str, int] = {}
    header_text: dict[str, str] = {}
    for column, value in enumerate(sheet.rows[row_index]):
        key = normalize_key(value)
        if not key:
            continue
        if key in columns:
            first = cell_ref(row_index, columns[key])
            second = cell_ref(row_index, column)
            report.add(kinds.DUPLICATE_HEADER, file=workbook.file_name, sheet=sheet.name, cell=second,
                       header=key, first=first, second=second)
            continue
        columns[key] = column
        header_text[key] = str(value).strip() if isinstance(value, str) else key
    return Table(workbook.file_name, sheet, row_index, columns, header_text)


def require_headers(table: Table, headers: tuple[str, ...], report: Report, known: tuple[str, ...] = ()) -> bool:
    """Report each missing header; a near miss among the other headers (not `known` ones) is named."""
    ok = True
    others = [h for h in table.columns if h not in headers and h not in known]
    for header in headers:
        if header not in table.columns:
            ok = False
            close = did_you_mean(header, others)
            if close:
                cell = table.header_cell(close)
                report.add(kinds.MISSING_HEADER, file=table.file, sheet=table.sheet.name, cell=cell,
                           header=header, close=table.header_text[close], close_cell=cell)
            else:
                report.add(kinds.MISSING_HEADER.variant("absent"), file=table.file, sheet=table.sheet.name,
                           header=header, row=table.header_row + 1)
    return ok
