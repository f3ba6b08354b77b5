"""Checks that turn workbook rows into model objects, or into problems.

Every check reports and goes on, so that one run shows every mistake in every workbook.
The site model is only assembled when no error was found.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.conditions import RangeError, ReversedRangeError, parse_range, split_choices, unknown_pieces
from navigator.contract.problem_kinds import Message, ProblemKind
from navigator.contract.problems import Report
from navigator.contract.text import display_text, lines, normalize_key, quote_list, suggestion
from navigator.model import (
    ANSWER_KINDS,
    Category,
    Cells,
    ConditionRow,
    Deadline,
    Department,
    Program,
    Question,
    Requirement,
    Settings,
    Site,
)
from navigator.read.folder import SheetsFolder
from navigator.read.tables import Record, Table, find_table, require_headers, require_sheet
from navigator.read.workbook import Workbook, WorkbookReadError, column_letter, read_workbook, unusable_files


@dataclass
class Accounting:
    """Where every program row went: the identity read = published + unpublished + rejected holds."""

    programs_read: int = 0
    published: int = 0
    unpublished: int = 0
    rejected: int = 0  # rows reported as errors
    departments: int = 0
    workbooks: int = 0


@dataclass
class Validation:
    report: Report
    accounting: Accounting
    site: Site | None = None


@dataclass
class Common:
    settings: Settings | None = None
    questions: list[Question] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    readable: bool = False  # False: department checks that need common.xlsx are skipped
    # A 質問 or 分類 sheet that could not be read is reported once; what refers to it is not checked.
    questions_read: bool = False
    categories_read: bool = False
    # IDs of question rows rejected for their own mistake: references to them are not reported again.
    rejected_question_ids: set[str] = field(default_factory=set)


def validate_folder(folder: Path, progress=None, cache=None) -> Validation:
    """Read and check every workbook of a sheets folder; build the model when all is well.

    `cache` (build.py's cache.WorkbookCache) replays the reading and checking of a workbook whose
    bytes are unchanged: the same problems, accounting and programs, without reading it again.
    """
    report = Report()
    accounting = Accounting()
    sheets = SheetsFolder.of(folder)
    for path, unusable in unusable_files(folder):  # .xls, .ods, a broken link: never skipped silently
        report.add(unusable.kind, file=path.name, **unusable.values)
    accounting.workbooks = len(sheets.files)
    if sheets.common is None:
        report.add(kinds.NO_COMMON_WORKBOOK, folder=folder)
        common = Common()
    else:
        common = _read_common(sheets.common, report, progress, cache)
    departments, programs = _read_departments(list(sheets.departments), common, report, accounting, progress, cache)
    return _merge(report, accounting, common, departments, programs)


def validate_workbook(path: Path, common_path: Path, progress=None) -> Validation:
    """Check one department workbook on its own, against a common.xlsx.

    So that a department can check its sheet before sending it: the same CommonReader and
    DepartmentReader as validate_folder, with that one workbook as the only department. The
    model, when all is well, holds that department's programs only. Given common.xlsx itself,
    only common.xlsx is checked.
    """
    report = Report()
    accounting = Accounting()
    only_common = path.resolve() == common_path.resolve()
    accounting.workbooks = 1 if only_common else 2
    common = _read_common(common_path, report, progress)
    department_files = [] if only_common else [path]
    departments, programs = _read_departments(department_files, common, report, accounting, progress)
    return _merge(report, accounting, common, departments, programs)


def _read_common(path: Path, report: Report, progress, cache=None) -> Common:
    if progress:
        progress(path.name)
    if cache is not None:
        return cache.common(path, report, lambda report: _read_common(path, report, None))
    workbook = _read(path, report)
    common = Common() if workbook is None else CommonReader(workbook, report).read()
    report.close_file(path.name)
    return common


def _read_departments(paths: list[Path], common: Common, report: Report, accounting: Accounting,
                      progress, cache=None) -> tuple[list[Department], list[Program]]:
    seen_ids: dict[str, str] = {}  # 制度ID (casefolded) → where it was first seen, across workbooks
    departments: list[Department] = []
    programs: list[Program] = []
    if cache is not None:
        cache.prefetch(paths, common, _read_department)
    for path in paths:
        if progress:
            progress(path.name)
        if cache is not None:
            department, found = cache.department(path, common, seen_ids, report, accounting, _read_department)
        else:
            department, found = _read_department(path, common, seen_ids, report, accounting)
        if department is not None:
            departments.append(department)
        programs.extend(found)
    return departments, programs


def _read_department(path: Path, common: Common, seen_ids: dict[str, str], report: Report,
                     accounting: Accounting) -> tuple[Department | None, list[Program]]:
    workbook = _read(path, report)
    if workbook is None:
        return None, []
    department, programs = DepartmentReader(workbook, common, seen_ids, report, accounting).read()
    report.close_file(path.name)
    return department, programs


def _merge(report: Report, accounting: Accounting, common: Common, departments: list[Department],
           programs: list[Program]) -> Validation:
    """The accounting, and the site model in site order (分類, then workbook, then row) when no error was found."""
    accounting.departments = len(departments)
    accounting.published = sum(1 for p in programs if p.published)
    accounting.unpublished = sum(1 for p in programs if not p.published)
    validation = Validation(report, accounting)
    if report.ok and common.settings is not None:
        order = {c.name: c.number for c in common.categories}
        in_site_order = sorted(programs, key=lambda p: (order[p.category], p.file, p.row))
        validation.site = Site(
            settings=common.settings,
            questions=tuple(common.questions),
            categories=tuple(common.categories),
            departments=tuple(departments),
            programs=tuple(p for p in in_site_order if p.published),
            unpublished=tuple(p for p in in_site_order if not p.published),
        )
    return validation


def _read(path: Path, report: Report) -> Workbook | None:
    try:
        return read_workbook(path)
    except WorkbookReadError as exc:
        report.add(exc.kind, file=path.name, sheet=exc.sheet, cell=exc.cell, **exc.values)
        return None


class _SheetChecks:
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
        if record.is_unsaved_formula(header):
            self.problem(kinds.FORMULA_WITHOUT_VALUE, record.ref(header), header=header)
            return ""
        return record.raw(header)

    def text(self, record: Record, header: str) -> str:
        return display_text(self.value(record, header))

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
                             names=quote_list(spec.names), suggestion=suggestion(name, spec.names))
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


class CommonReader(_SheetChecks):
    """common.xlsx: 設定, 質問, 分類."""

    def read(self) -> Common:
        common = self.common = Common(readable=True)
        self.choices_column_reported = False
        common.settings = self._settings()
        common.questions = self._questions()
        common.categories = self._categories()
        return common

    def _settings(self) -> Settings | None:
        values = self.key_values(schema.SETTINGS)
        if values is None:
            return None
        return Settings(**{item.field: values.get(item.header, ("",))[0] for item in schema.SETTINGS.items})

    def _questions(self) -> list[Question]:
        table = self.table(schema.QUESTIONS)
        if table is None:
            return []
        self.common.questions_read = True
        questions: list[Question] = []
        first_seen: dict[str, str] = {}
        for record in table.records():
            question_id = self.identifier(record, "質問ID")
            if question_id is not None and not self._question_id_ok(question_id, record):
                question_id = None
            if question_id is not None and question_id in first_seen:
                self.problem(kinds.DUPLICATE_QUESTION_ID, record.ref("質問ID"), question_id=question_id,
                             first=first_seen[question_id], second=record.ref("質問ID"))
                question_id = None
            if question_id is not None:
                first_seen[question_id] = record.ref("質問ID")
            text = self.required_text(record, "質問文")
            kind_name = normalize_key(self.value(record, "回答形式"))
            kind = ANSWER_KINDS.get(kind_name)
            if not kind_name:
                if not record.is_unsaved_formula("回答形式"):
                    self.problem(kinds.MISSING_VALUE.variant("answer-type"), record.ref("回答形式"))
            elif kind is None:
                self.problem(kinds.UNKNOWN_ANSWER_TYPE, record.ref("回答形式"), name=kind_name,
                             suggestion=suggestion(kind_name, schema.ANSWER_TYPE_NAMES))
            choices = self._choices(record) if kind in ("single", "multiple") else ()
            unit = self.text(record, "単位")
            conditions = self._display_conditions(record, questions)
            if question_id is None or kind is None or not text or (kind != "number" and not choices):
                if question_id is not None:
                    self.common.rejected_question_ids.add(question_id)
                continue
            questions.append(Question(
                id=question_id, text=text, help=self.text(record, "補足説明"), kind=kind, choices=choices,
                unit=unit, display_conditions=conditions, row=record.row_number,
                cells=self.cells(record, schema.QUESTIONS),
            ))
        return questions

    def _question_id_ok(self, question_id: str, record: Record) -> bool:
        bad = sorted({ch for ch in question_id if ch in schema.QUESTION_ID_FORBIDDEN or ch.isspace()})
        if bad:
            chars = " ".join(repr(c)[1:-1] if not c.isspace() else "空白" for c in bad)
            self.problem(kinds.INVALID_QUESTION_ID, record.ref("質問ID"), question_id=question_id, chars=chars,
                         limit=schema.QUESTION_ID_MAX)
            return False
        if len(question_id) > schema.QUESTION_ID_MAX:
            self.problem(kinds.INVALID_QUESTION_ID.variant("too-long"), record.ref("質問ID"), question_id=question_id,
                         length=len(question_id), limit=schema.QUESTION_ID_MAX)
            return False
        return True

    def _choices(self, record: Record) -> tuple[str, ...]:
        if not record.has("選択肢"):
            if not self.choices_column_reported:  # once, not once per choice question
                self.problem(kinds.MISSING_HEADER.variant("choices-column"))
                self.choices_column_reported = True
            return ()
        choices = lines(self.value(record, "選択肢"))
        if not choices:
            if not record.is_unsaved_formula("選択肢"):
                self.problem(kinds.MISSING_CHOICES, record.ref("選択肢"))
            return ()
        seen: set[str] = set()
        unique: list[str] = []
        for choice in choices:
            key = normalize_key(choice)
            if key in seen:
                self.problem(kinds.DUPLICATE_CHOICE, record.ref("選択肢"), choice=choice)
                continue
            seen.add(key)
            unique.append(choice)
        return tuple(unique)

    def _display_conditions(self, record: Record, earlier: list[Question]) -> tuple[Requirement, ...]:
        if not record.has("表示条件"):
            return ()
        # Built once and extended, not once per row: a sheet of thousands of questions stays linear.
        by_id = self.__dict__.setdefault("_earlier_by_id", {})
        for question in earlier[len(by_id):]:  # `earlier` only grows, by the questions accepted so far
            by_id[question.id] = question
        first_rows = self.__dict__.get("_question_first_rows")  # every 質問ID written → its first row
        if first_rows is None:
            first_rows = self._question_first_rows = {}
            for other in record.table.records():
                first_rows.setdefault(normalize_key(other.raw("質問ID")), other.row_index)
        requirements: list[Requirement] = []
        cell = record.ref("表示条件")
        this_id = normalize_key(record.raw("質問ID"))
        for line in lines(self.value(record, "表示条件")):
            line = normalize_key(line)
            if "=" not in line:
                self.problem(kinds.BAD_DISPLAY_CONDITION, cell, line=line)
                continue
            question_id, _, value = (part.strip() for part in line.partition("="))
            question = by_id.get(question_id)
            if question is None:
                if first_rows.get(question_id, record.row_index) < record.row_index:
                    pass  # an earlier question with a mistake of its own, reported on its row
                elif question_id == this_id:
                    self.problem(kinds.DISPLAY_CONDITION_LATER_QUESTION.variant("itself"), cell, question_id=question_id)
                elif question_id in first_rows:
                    self.problem(kinds.DISPLAY_CONDITION_LATER_QUESTION, cell, question_id=question_id)
                else:
                    self.problem(kinds.DISPLAY_CONDITION_UNKNOWN_QUESTION, cell, question_id=question_id,
                                 suggestion=suggestion(question_id, list(by_id)))
                continue
            if not value:
                self.problem(kinds.BAD_DISPLAY_CONDITION.variant("no-value"), cell, line=line, question_id=question_id)
                continue
            if question.kind == "number":
                try:
                    requirements.append(Requirement(question.id, range=parse_range(value, question.unit)))
                except RangeError as exc:
                    self.problem(_range_kind(exc), cell, value=display_text(value), question_id=question.id, unit=question.unit)
                continue
            chosen = split_choices(value, question.choices)
            if chosen is None:
                unknown = unknown_pieces(value, question.choices) or [value]
                self.problem(kinds.DISPLAY_CONDITION_UNKNOWN_CHOICE, cell, choice=unknown[0], question_id=question.id,
                             choices=quote_list(question.choices), suggestion=suggestion(unknown[0], question.choices))
                continue
            requirements.append(Requirement(question.id, choices=tuple(dict.fromkeys(chosen))))
        return tuple(requirements)

    def _categories(self) -> list[Category]:
        table = self.table(schema.CATEGORIES)
        if table is None:
            return []
        self.common.categories_read = True
        categories: list[Category] = []
        first_seen: dict[str, str] = {}
        for record in table.records():
            name = self.required_text(record, "分類名")
            if not name:
                continue
            key = normalize_key(name)
            if key in first_seen:
                self.problem(kinds.DUPLICATE_CATEGORY, record.ref("分類名"), name=name, first=first_seen[key],
                             second=record.ref("分類名"))
                continue
            first_seen[key] = record.ref("分類名")
            categories.append(Category(name=name, description=self.text(record, "説明"), number=len(categories) + 1))
        return categories


def _range_kind(error: RangeError) -> ProblemKind | Message:
    """The bad-range wording for `error`; its fields: value, question_id, unit."""
    return kinds.BAD_RANGE.variant("reversed") if isinstance(error, ReversedRangeError) else kinds.BAD_RANGE


@dataclass
class _Draft:
    """A program being read: its first row's fields, and its または rows as they come."""

    id: str
    where: str  # "file / sheet / cell" of its 制度ID, for duplicate messages
    row: int
    fields: dict
    rows: list[ConditionRow]
    failed: bool


@dataclass(frozen=True)
class _ConditionColumn:
    question: Question
    choice: str | None  # None for a 数値 question's range column


_DATE_FORMS = (
    re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_ERA = re.compile(r"^(令和|平成)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_ERA_START = {"令和": 2018, "平成": 1988}


def parse_deadline(raw: object) -> Deadline | None:
    """申請期限: a date cell, a date written as text in a known form, or other text kept as text."""
    if isinstance(raw, dt.datetime):
        return Deadline(raw.date(), display_text(raw.date().isoformat()))
    if isinstance(raw, dt.date):
        return Deadline(raw, raw.isoformat())
    text = display_text(raw)
    if not text:
        return None
    key = re.sub(r"\s+", "", normalize_key(text))
    for form in _DATE_FORMS:
        match = form.match(key)
        if match:
            return Deadline(_date_or_none(*map(int, match.groups())), text)
    match = _ERA.match(key)
    if match:
        era, year, month, day = match.groups()
        year_number = 1 if year == "元" else int(year)
        return Deadline(_date_or_none(_ERA_START[era] + year_number, int(month), int(day)), text)
    return Deadline(None, text)


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # 2027/2/30 is not a date; shown as written


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # \s: exactly the characters str.isspace() accepts


class DepartmentReader(_SheetChecks):
    """A department workbook: 部署 and 制度."""

    def __init__(self, workbook: Workbook, common: Common, seen_ids: dict[str, str], report: Report,
                 accounting: Accounting) -> None:
        super().__init__(workbook, report)
        self.common = common
        self.seen_ids = seen_ids  # casefolded 制度ID → "file / sheet / cell", across workbooks
        self.accounting = accounting

    def read(self) -> tuple[Department | None, list[Program]]:
        department = self._department()
        table = self.table(schema.PROGRAMS)
        if table is None:
            return department, []
        columns = self._condition_columns(table)
        return department, self._programs(table, columns, department)

    def _department(self) -> Department | None:
        values = self.key_values(schema.DEPARTMENT)
        if values is None:
            return None
        get = lambda name: values.get(name, ("",))[0]  # noqa: E731
        if not get("部署名"):
            return None
        return Department(**{item.field: get(item.header) for item in schema.DEPARTMENT.items},
                          file=self.workbook.file_name)

    def _condition_columns(self, table: Table) -> dict[str, _ConditionColumn]:
        questions = {q.id: q for q in self.common.questions}
        known = set(schema.PROGRAMS.headers)
        columns: dict[str, _ConditionColumn] = {}
        for header in table.columns:
            if header in known:
                continue
            cell = table.header_cell(header)
            question_id, choice = schema.split_condition_header(header)
            if not self.common.questions_read:
                continue  # without a readable 質問 sheet, condition columns cannot be checked
            question = questions.get(question_id)
            if question is None and question_id in self.common.rejected_question_ids:
                continue  # the question's own mistake is reported in common.xlsx
            if choice is not None:
                if question is None:
                    self.problem(kinds.UNKNOWN_CONDITION_QUESTION, cell, header=header, question_id=question_id,
                                 suggestion=suggestion(question_id, list(questions)))
                elif question.kind == "number":
                    self.problem(kinds.UNKNOWN_CONDITION_CHOICE.variant("number-question"), cell, header=header,
                                 question_id=question.id)
                else:
                    match = next((c for c in question.choices if normalize_key(c) == choice), None)
                    if match is None:
                        self.problem(kinds.UNKNOWN_CONDITION_CHOICE, cell, header=header, choice=choice, question_id=question.id,
                                     choices=quote_list(question.choices), suggestion=suggestion(choice, question.choices))
                    else:
                        columns[header] = _ConditionColumn(question, match)
            elif question is not None:
                if question.kind == "number":
                    columns[header] = _ConditionColumn(question, None)
                else:
                    self.problem(kinds.UNKNOWN_CONDITION_CHOICE.variant("no-choice"), cell, header=header,
                                 question_id=question.id, first_choice=question.choices[0])
            else:
                self.problem(kinds.UNKNOWN_COLUMN, cell, header=table.header_text[header],
                             suggestion=suggestion(header, sorted(known) + list(questions)))
        return columns

    def _programs(self, table: Table, columns: dict[str, _ConditionColumn],
                  department: Department | None) -> list[Program]:
        drafts: list[_Draft] = []
        # The program the previous row belonged to, so または rows can be attached to it.
        previous: _Draft | None = None
        for record in table.records():
            errors_before = self.report.error_count
            if not record.filled("制度ID"):
                self._count_rejected_row()
                self.problem(kinds.ROW_WITHOUT_ID, record.ref("制度ID"), row=record.row_number)
                previous = None
                continue
            program_id = self.identifier(record, "制度ID")
            if previous is not None and program_id is not None and previous.id.casefold() == program_id.casefold():
                # Only the program's own fields count: condition columns (even ones whose header has
                # a mistake, or that cannot be checked without common.xlsx) and ignored columns do not.
                others = [h for h in schema.PROGRAMS.headers if h not in ("制度ID", "備考") and record.filled(h)]
                if not others:
                    previous.rows.append(ConditionRow(self._requirements(record, columns), record.row_number))
                    previous.failed |= self.report.error_count > errors_before
                    continue
                self._count_rejected_row()
                self.problem(kinds.DUPLICATE_PROGRAM_ID.variant("or-row"), record.ref("制度ID"), program_id=program_id,
                             first=previous.where, cells=quote_list(table.header_text[h] for h in others))
                continue
            self.accounting.programs_read += 1
            where = f"{self.workbook.file_name} / {self.sheet_name} / {record.ref('制度ID')}"
            program_id = self._unique_program_id(program_id, record, where)
            fields = self._program_fields(record, columns)
            requirements = fields.pop("requirements")
            if program_id is None:
                self.accounting.rejected += 1
                previous = None
                continue
            previous = _Draft(program_id, where, record.row_number, fields,
                              [ConditionRow(requirements, record.row_number)],
                              failed=self.report.error_count > errors_before or department is None)
            drafts.append(previous)
        programs = []
        for draft in drafts:
            if draft.failed:
                self.accounting.rejected += 1
            else:
                programs.append(Program(id=draft.id, department=department, condition_rows=tuple(draft.rows),
                                        file=self.workbook.file_name, row=draft.row, **draft.fields))
        return programs

    def _count_rejected_row(self) -> None:
        self.accounting.programs_read += 1
        self.accounting.rejected += 1

    def _unique_program_id(self, program_id: str | None, record: Record, where: str) -> str | None:
        """The row's 制度ID if it is well formed and not used before in any workbook; else None (reported)."""
        if program_id is None:
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,%d}" % schema.PROGRAM_ID_MAX, program_id):
            self.problem(kinds.INVALID_PROGRAM_ID, record.ref("制度ID"), program_id=program_id, limit=schema.PROGRAM_ID_MAX)
            return None
        if program_id.casefold() in self.seen_ids:
            self.problem(kinds.DUPLICATE_PROGRAM_ID, record.ref("制度ID"), program_id=program_id,
                         first=self.seen_ids[program_id.casefold()])
            return None
        self.seen_ids[program_id.casefold()] = where
        return program_id

    def _program_fields(self, record: Record, columns: dict[str, _ConditionColumn]) -> dict:
        name = self.required_text(record, "制度名")
        category = self._category(record)
        summary = self.required_text(record, "概要")
        published = self._published(record)
        documents = tuple(lines(self.value(record, "必要書類")))
        fields = dict(name=name, category=category, summary=summary, published=published, documents=documents)
        # The other columns in sheet order, by kind; 備考 is read only to report an unsaved formula, never published.
        read = {"text": self.text, "markdown": self.text, "url": self._url, "memo": self.value,
                "date": lambda record, header: parse_deadline(self.value(record, header))}
        for column in schema.PROGRAMS.columns:
            if column.kind != "id" and column.field not in fields:
                value = read[column.kind](record, column.header)
                if column.field:
                    fields[column.field] = value
        fields["cells"] = self.cells(record, schema.PROGRAMS)
        fields["requirements"] = self._requirements(record, columns)
        return fields

    def _category(self, record: Record) -> str:
        name = self.required_text(record, "分類")
        if not name or not self.common.categories_read:
            return name
        by_key = self.__dict__.get("_categories_by_key")
        if by_key is None:  # once per workbook, not once per row
            by_key = self._categories_by_key = {normalize_key(c.name): c.name for c in self.common.categories}
        found = by_key.get(normalize_key(name))
        if found is None:
            self.problem(kinds.UNKNOWN_CATEGORY, record.ref("分類"), name=name, names=quote_list(by_key.values()),
                         suggestion=suggestion(name, list(by_key.values())))
            return name
        return found

    def _published(self, record: Record) -> bool:
        value = self.value(record, "公開")
        key = normalize_key(value).upper()
        if key in schema.PUBLISHED_VALUES:
            return True
        if key in schema.UNPUBLISHED_VALUES:
            return False
        self.problem(kinds.UNKNOWN_PUBLISH_VALUE, record.ref("公開"), value=display_text(value))
        return False

    def _url(self, record: Record, header: str) -> str:
        url = self.text(record, header)
        if not url:
            return ""
        parts = urlsplit(url) if not _SPACE_OR_CONTROL.search(url) else None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            self.problem(kinds.BAD_URL, record.ref(header), header=header, url=url)
            return ""
        return url

    def _requirements(self, record: Record, columns: dict[str, _ConditionColumn]) -> tuple[Requirement, ...]:
        marked: dict[str, list[str]] = {}
        ranges: dict[str, Requirement] = {}
        sheet = record.table.sheet
        # Without unsaved formulas in the sheet a cell is just its value: read the row directly.
        row = None if sheet.unsaved_formulas else sheet.rows[record.row_index]
        positions = record.table.columns
        for header, column in columns.items():
            if row is None:
                value = self.value(record, header)
            else:
                index = positions[header]
                value = row[index] if index < len(row) else ""
            if value is None or value == "":
                continue  # most condition cells are empty: no mark, no range
            if column.choice is None:
                key = normalize_key(value)
                if key in schema.NO_RANGE:
                    continue
                try:
                    ranges[column.question.id] = Requirement(column.question.id,
                                                             range=parse_range(value, column.question.unit))
                except RangeError as exc:
                    self.problem(_range_kind(exc), record.ref(header), value=display_text(value),
                                 question_id=column.question.id, unit=column.question.unit)
                continue
            key = normalize_key(value).upper()
            if key in schema.CONDITION_MARKS:
                marked.setdefault(column.question.id, []).append(column.choice)
            elif key not in schema.NO_MARKS:
                self.problem(kinds.UNKNOWN_MARK, record.ref(header), question_id=column.question.id, choice=column.choice,
                             value=display_text(value))
        requirements = []
        for question in self.common.questions:
            if question.id in marked:
                chosen = set(marked[question.id])
                requirements.append(Requirement(question.id, choices=tuple(c for c in question.choices if c in chosen)))
            elif question.id in ranges:
                requirements.append(ranges[question.id])
        return tuple(requirements)
