"""Cell reading shared by every sheet: unsaved formulas, required values, IDs, 項目 | 値 sheets, tables."""

from __future__ import annotations

import datetime as dt

from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.conditions import RangeError, ReversedRangeError
from navigator.contract.numbers import range_examples
from navigator.contract.problem_kinds import Message, ProblemKind
from navigator.contract.problems import Report
from navigator.contract.text import display_text, normalize_key, quote_list, suggestion, unusable_links
from navigator.model import (
    Cells,
    Question,
)
from navigator.read.tables import Record, Table, find_table, require_headers, require_sheet
from navigator.read.workbook import Workbook, column_letter


class SheetChecks:
    """Cell reading shared by every sheet: unsaved formulas, required values, IDs."""

    def __init__(self, workbook: Workbook, report: Report) -> None:
        self.workbook = workbook
        self.report = report
        self.sheet_name = ""
        self._column_letters: dict[str, tuple[tuple[str, str], ...]] = {}  # Cells.columns, by sheet

    def problem(self, kind: ProblemKind | Message, cell: str | None = None, **values: object) -> None:
        self.report.add(kind, file=self.workbook.file_name, sheet=self.sheet_name or None, cell=cell, **values)

    def value(self, record: Record, header: str) -> object:
        """The cell's value; an unsaved formula is reported and read as empty."""
        if record.table.sheet.unsaved_formulas and record.is_unsaved_formula(header):  # most sheets have none
            self.problem(kinds.FORMULA_WITHOUT_VALUE, record.ref(header), header=header)
            return ""
        return record.raw(header)

    def text(self, record: Record, header: str) -> str:
        return display_text(self.value(record, header))

    def markdown(self, record: Record, header: str) -> str:
        """A Markdown cell's text; each link in it whose address the site cannot open is a warning."""
        text = self.text(record, header)
        self.check_links(text, record, header)
        return text

    def check_links(self, text: str, record: Record, header: str, column: str | None = None) -> None:
        """Each link in `text`, the cell of `column` (default: `header`) of `record`, that the site cannot open."""
        for label, address in unusable_links(text):  # the cell named only for a problem: most texts have none
            self.problem(kinds.BAD_TEXT_LINK, record.ref(column or header), header=header, label=label, url=address)

    def required_text(self, record: Record, header: str, what: str = "") -> str:
        text = self.text(record, header)
        if not text and not record.is_unsaved_formula(header):
            self.problem(kinds.MISSING_VALUE, record.ref(header), header=header, what=what or header)
        return text

    def identifier(self, record: Record, header: str) -> str | None:
        """An ID cell: must be typed as text, not as a number or date."""
        raw = self.value(record, header)
        if isinstance(raw, (bool, int, float, dt.date, dt.datetime, dt.time, dt.timedelta)):
            kind = "日付" if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)) else "数値"
            self.problem(kinds.ID_NOT_TEXT, record.ref(header), header=header, value=display_text(raw), entered_as=kind)
            return None
        key = normalize_key(raw)
        if not key:
            if not record.is_unsaved_formula(header):
                self.problem(kinds.MISSING_VALUE, record.ref(header), header=header, what=header)
            return None
        return key

    def cells(self, record: Record, spec: schema.TableSpec) -> Cells:
        columns = self._column_letters.get(spec.sheet)
        if columns is None:  # once per sheet: every row shares it
            positions = record.table.columns
            columns = self._column_letters[spec.sheet] = tuple(
                (header, column_letter(positions[header])) for header in spec.headers if header in positions)
        return Cells(self.sheet_name, record.row_number, columns)

    def key_values(self, spec: schema.KeyValueSpec) -> dict[str, tuple[str, Record]] | None:
        """A 項目 | 値 sheet as {項目: (value, record)}; unknown 項目 are warnings."""
        sheet = require_sheet(self.workbook, spec.sheet, self.report)
        if sheet is None:
            return None
        self.sheet_name = sheet.name
        table = find_table(self.workbook, sheet, (schema.KEY_HEADER,), (schema.KEY_HEADER, schema.VALUE_HEADER),
                           self.report)
        if table is None or not require_headers(table, (schema.VALUE_HEADER,), self.report):
            return None
        values: dict[str, tuple[str, Record]] = {}
        for record in table.records():
            name = normalize_key(self.value(record, schema.KEY_HEADER))
            if not name:
                continue
            if name in values:
                first = values[name][1].ref(schema.KEY_HEADER)
                self.problem(kinds.DUPLICATE_SETTING, record.ref(schema.KEY_HEADER), name=name, first=first,
                             second=record.ref(schema.KEY_HEADER))
                continue
            if name not in spec.names:
                self.problem(kinds.UNKNOWN_SETTING, record.ref(schema.KEY_HEADER), name=name,
                             names=quote_list(spec.names, None), suggestion=suggestion(name, spec.names))
            values[name] = (self.text(record, schema.VALUE_HEADER), record)
        for item in spec.items:
            if item.required and not values.get(item.header, ("",))[0]:
                if item.header in values:
                    record = values[item.header][1]
                    if not record.is_unsaved_formula(schema.VALUE_HEADER):
                        self.problem(kinds.MISSING_VALUE.variant("item-value"), record.ref(schema.VALUE_HEADER),
                                     item=item.header)
                else:
                    self.problem(kinds.MISSING_VALUE.variant("item-row"), item=item.header, sheet_name=spec.sheet)
        return values

    def table(self, spec: schema.TableSpec) -> Table | None:
        sheet = require_sheet(self.workbook, spec.sheet, self.report)
        if sheet is None:
            return None
        self.sheet_name = sheet.name
        table = find_table(self.workbook, sheet, spec.key_headers, spec.headers, self.report)
        if table is None:
            return None
        required = tuple(c.header for c in spec.columns if c.required)
        if not require_headers(table, required, self.report, known=spec.headers):
            return None
        return table


def question_range_examples(question: Question) -> tuple[str, ...]:
    """Example ranges for a 数値 question's cells: in its 単位, between its 最小値 and 最大値."""
    return range_examples(question.unit, question.minimum, question.maximum)


def range_kind(error: RangeError) -> ProblemKind | Message:
    """The bad-range wording for `error`; its fields: value, question_id, examples (quote_list(question_range_examples))."""
    return kinds.BAD_RANGE.variant("reversed") if isinstance(error, ReversedRangeError) else kinds.BAD_RANGE
