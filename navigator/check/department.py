"""A department workbook: its 部署 and 制度 sheets, checked against common.xlsx into programs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from navigator.check.accounting import Accounting
from navigator.check.cells import SheetChecks, question_range_examples, range_kind
from navigator.check.common import Common
from navigator.check.deadline import date_it_might_mean, japanese_date, parse_deadline
from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.conditions import RangeError, parse_range
from navigator.contract.problems import Report
from navigator.contract.sheets import read_document_line
from navigator.contract.text import (
    PHONE,
    display_text,
    is_blank,
    is_web_address,
    lines,
    normalize_key,
    quote_list,
    suggestion,
)
from navigator.model import (
    ConditionRow,
    Deadline,
    Department,
    DocumentNeed,
    Program,
    Question,
    Requirement,
)
from navigator.read.tables import Record, Table
from navigator.read.workbook import Workbook


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


# A program's own fields: what makes a row a program's first row rather than one of its または rows.
_OWN_FIELDS = tuple(h for h in schema.PROGRAMS.headers if h not in ("制度ID", "備考"))
_FULL_WIDTH_ASCII = re.compile("[\uff01-\uff5e\u3000]+")  # the full-width forms of ASCII, and the full-width space


class DepartmentReader(SheetChecks):
    """A department workbook: 部署 and 制度."""

    def __init__(self, workbook: Workbook, common: Common, seen_ids: dict[str, str], report: Report,
                 accounting: Accounting) -> None:
        super().__init__(workbook, report)
        self.common = common
        self.seen_ids = seen_ids  # casefolded 制度ID → "file / sheet / cell", across workbooks
        self.accounting = accounting
        # The same requirement, document line or deadline read again is the same (frozen) object: most programs of a
        # department share them, so that each is made, pickled back from a worker and unpickled once, not once a row.
        self._shared: dict[tuple, object] = {}
        self._marks: dict[str, str] = {}  # a condition cell's text → its normalised mark

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
        phone = values.get("電話番号")
        if phone is not None and phone[0] and not PHONE.search(phone[0]):
            self.problem(kinds.BAD_PHONE, phone[1].ref(schema.VALUE_HEADER), value=phone[0])
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
                                 question_id=question.id, example=question_range_examples(question)[0])
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
                others = [h for h in _OWN_FIELDS if record.filled(h)] if not self._only_conditions(record, table) else []
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

    def _only_conditions(self, record: Record, table: Table) -> bool:
        """Whether a row's program fields (but 制度ID and 備考) are all blank, as a または row's are: its cells looked
        at straight from the row, unless the sheet has unsaved formulas (then `record.filled` says, cell by cell)."""
        if table.sheet.unsaved_formulas:
            return False
        positions = self.__dict__.get("_own_field_positions")
        if positions is None or positions[0] is not table:  # once per table
            columns = table.columns
            positions = self._own_field_positions = (table, [columns[h] for h in _OWN_FIELDS if h in columns])
        row = record.row
        return all(is_blank(row[i]) for i in positions[1] if i < len(row))

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
        self.check_links(summary, record, "概要")
        published = self._published(record)
        documents = tuple(lines(self.value(record, "必要書類")))
        fields = dict(name=name, category=category, summary=summary, published=published, documents=documents,
                      needs=self._read_documents(documents, record))
        # The other columns in sheet order, by kind; 備考 is read only to report an unsaved formula, never published.
        read = {"text": self.text, "markdown": self.markdown, "url": self._url, "memo": self.value,
                "date": self._deadline}
        for column in schema.PROGRAMS.columns:
            if column.kind != "id" and column.field not in fields:
                value = read[column.kind](record, column.header)
                if column.field:
                    fields[column.field] = value
        fields["cells"] = self.cells(record, schema.PROGRAMS)
        fields["requirements"] = self._requirements(record, columns)
        return fields

    def _read_documents(self, documents: tuple[str, ...], record: Record) -> tuple[DocumentNeed, ...]:
        """Each line as the document it needs; with a 書類 sheet, a line naming no 書類名 is warned about."""
        if not documents:
            return ()
        names = self.__dict__.get("_document_names")
        if names is None:  # once per workbook, not once per row
            names = self._document_names = self.common.document_names if self.common.documents_read else {}
        needs = []
        for line in documents:
            read = self._shared.get(("line", line))
            if read is None:  # each line read once (most lines are in many programs), its need shared
                need, wrong = read_document_line(line, names)
                read = self._shared[("line", line)] = (DocumentNeed(*need), wrong)
            need, wrong = read
            if wrong == "several":
                self.problem(kinds.SEVERAL_DOCUMENTS, record.ref("必要書類"), line=line)
            elif wrong == "unknown" and self.common.documents_read:
                written = re.sub(r"\s*\(.*\)$", "", normalize_key(line))  # the name, without its note
                self.problem(kinds.UNKNOWN_DOCUMENT, record.ref("必要書類"), line=line,
                             suggestion=suggestion(written, list(names.values())))
            needs.append(need)
        return tuple(needs)

    def _deadline(self, record: Record, header: str) -> Deadline | None:
        value = self.value(record, header)
        key = ("deadline", value.__class__, value)  # 1 and 1.0, the same key otherwise, are read differently
        read = self._shared.get(key)
        if read is None:
            deadline = parse_deadline(value)
            read = self._shared[key] = (deadline, date_it_might_mean(deadline.text)
                                        if deadline is not None and deadline.date is None else None)
        deadline, meant = read
        if meant is not None:
            self.problem(kinds.DEADLINE_NOT_READ, record.ref(header), value=deadline.text, meaning=japanese_date(meant),
                         date=f"{meant.year}/{meant.month}/{meant.day}")
        return deadline

    def _category(self, record: Record) -> str:
        name = self.required_text(record, "分類")
        if not name or not self.common.categories_read:
            return name
        by_key = self.__dict__.get("_categories_by_key")
        if by_key is None:  # once per workbook, not once per row
            by_key = self._categories_by_key = {normalize_key(c.name): c.name for c in self.common.categories}
        found = by_key.get(normalize_key(name))
        if found is None:
            self.problem(kinds.UNKNOWN_CATEGORY, record.ref("分類"), name=name, names=quote_list(by_key.values(), limit=None),
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
        if is_web_address(url):
            return url
        wide = _FULL_WIDTH_ASCII.findall(url)  # typed with the IME on: ｈｔｔｐｓ：／／, ｅｘａｍｐｌｅ．ｊｐ
        if wide:
            self.problem(kinds.BAD_URL.variant("full-width"), record.ref(header), header=header, url=url,
                         characters=quote_list(dict.fromkeys(wide), limit=3))
        else:
            self.problem(kinds.BAD_URL, record.ref(header), header=header, url=url)
        return ""

    def _filled_condition_cells(self, record: Record, columns: dict[str, _ConditionColumn]) -> list[tuple]:
        """(header, column, value) of the row's condition cells holding something, in column order."""
        plan = self.__dict__.get("_condition_plan")
        if plan is None or plan[0] is not columns:  # once per table
            positions = record.table.columns
            indexes = [positions[header] for header in columns]
            plan = self._condition_plan = (columns, list(columns.items()), indexes, max(indexes, default=-1))
        _, entries, indexes, last = plan
        row = record.row
        if len(row) <= last:
            row = row + [""] * (last + 1 - len(row))
        values = [row[index] for index in indexes]
        if 0 in values:  # a 0 (or FALSE) is a value, but not true: look at each cell
            return [(header, column, value) for (header, column), value in zip(entries, values) if value is not None and value != ""]
        return [(header, column, value) for (header, column), value in compress(zip(entries, values), values)]

    def _requirements(self, record: Record, columns: dict[str, _ConditionColumn]) -> tuple[Requirement, ...]:
        marked: dict[str, list[str]] = {}
        ranges: dict[str, Requirement] = {}
        if record.table.sheet.unsaved_formulas:
            cells = [(header, column, self.value(record, header)) for header, column in columns.items()]
        else:  # a cell is just its value: the row's filled condition cells, found without a Python step per column
            cells = self._filled_condition_cells(record, columns)
        for header, column, value in cells:
            if value is None or value == "":
                continue  # most condition cells are empty: no mark, no range
            if column.choice is None:
                key = normalize_key(value)
                if key in schema.NO_RANGE:
                    continue
                shared_key = ("range", column.question.id, value.__class__, value)
                try:
                    ranges[column.question.id] = self._shared.get(shared_key) or self._shared.setdefault(
                        shared_key, Requirement(column.question.id, range=parse_range(value, column.question.unit)))
                except RangeError as exc:
                    self.problem(range_kind(exc), record.ref(header), value=display_text(value),
                                 question_id=column.question.id, examples=quote_list(question_range_examples(column.question)))
                continue
            key = self._marks.get(value) if value.__class__ is str else None  # (1, 1.0 and TRUE are one dict key)
            if key is None:  # a sheet has a few marks (○, ×, 〇...) in thousands of cells
                key = normalize_key(value).upper()
                if value.__class__ is str:
                    self._marks[value] = key
            if key in schema.CONDITION_MARKS:
                marked.setdefault(column.question.id, []).append(column.choice)
            elif key not in schema.NO_MARKS:
                self.problem(kinds.UNKNOWN_MARK, record.ref(header), question_id=column.question.id, choice=column.choice,
                             value=display_text(value))
        requirements = []
        for question in self.common.questions:
            if question.id in marked:
                chosen = set(marked[question.id])
                choices = tuple(c for c in question.choices if c in chosen)
                key = ("choices", question.id, choices)
                requirements.append(self._shared.get(key) or self._shared.setdefault(key, Requirement(question.id, choices=choices)))
            elif question.id in ranges:
                requirements.append(ranges[question.id])
        return tuple(requirements)
