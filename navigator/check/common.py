"""common.xlsx: the 設定, 質問 and 分類 sheets (書類 and 用語 when it has them), checked into what every department is checked against."""

from __future__ import annotations

from dataclasses import dataclass, field

from navigator.check.cells import SheetChecks, question_range_examples, range_kind
from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.conditions import RangeError, parse_range, split_choices, unknown_pieces
from navigator.contract.numbers import plain_number
from navigator.contract.problem_kinds import ProblemKind
from navigator.contract.text import display_text, lines, normalize_key, quote_list, suggestion
from navigator.model import (
    ANSWER_KINDS,
    Category,
    Document,
    Question,
    Requirement,
    Settings,
    Term,
)
from navigator.read.tables import Record, Table


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
    # The 書類 sheet (optional): its documents, and the cell of each one's 発行する制度 (checked in merge.py,
    # once every department's 制度ID is known).
    documents: list[Document] = field(default_factory=list)
    documents_read: bool = False
    issued_by_cells: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name → (file, sheet, cell)
    terms: list[Term] = field(default_factory=list)  # the 用語 sheet (optional)
    counter_order_cell: tuple[str, str, str] | None = None  # 設定's 窓口の順番 (its 部署名 are checked in merge.py)
    languages_cell: tuple[str, str, str] | None = None  # 設定's 言語 (its codes are checked in translations.py)

    @property
    def document_names(self) -> dict[str, str]:
        """Each normalised 書類名 → the name as written (contract/sheets.split_document_line)."""
        return {normalize_key(d.name): d.name for d in self.documents}


class CommonReader(SheetChecks):
    """common.xlsx: 設定, 質問, 分類, and 書類 when it has one."""

    def read(self) -> Common:
        common = self.common = Common(readable=True)
        self.choices_column_reported = False
        common.settings = self._settings()
        common.questions = self._questions()
        common.categories = self._categories()
        common.documents = self._documents()
        common.terms = self._terms()
        return common

    def _terms(self) -> list[Term]:
        if self.workbook.sheet(schema.TERMS.sheet) is None:
            return []  # optional, like 書類
        table = self.table(schema.TERMS)
        if table is None:
            return []
        return [Term(word=name, reading=self.text(record, "読み"),
                     synonyms=tuple(lines(self.value(record, "同義語"))) if record.has("同義語") else ())
                for record, name in self._named_rows(table, "語", kinds.DUPLICATE_TERM)]

    def _documents(self) -> list[Document]:
        if self.workbook.sheet(schema.DOCUMENTS.sheet) is None:
            return []  # optional: a city without it is read as before
        table = self.table(schema.DOCUMENTS)
        if table is None:
            return []
        self.common.documents_read = True
        documents: list[Document] = []
        for record, name in self._named_rows(table, "書類名", kinds.DUPLICATE_DOCUMENT):
            issued_by = normalize_key(self.text(record, "発行する制度"))
            if issued_by:
                self.common.issued_by_cells[name] = (self.workbook.file_name, self.sheet_name, record.ref("発行する制度"))
            documents.append(Document(name=name, description=self.markdown(record, "説明"), source=self.text(record, "入手先"),
                                      issued_by=issued_by))
        return documents

    def _settings(self) -> Settings | None:
        values = self.key_values(schema.SETTINGS)
        if values is None:
            return None
        if "窓口の順番" in values:
            self.common.counter_order_cell = (self.workbook.file_name, self.sheet_name,
                                              values["窓口の順番"][1].ref(schema.VALUE_HEADER))
        markdown_items = {item.header for item in schema.SETTINGS.items if item.kind == "markdown"}
        for name, (value, record) in values.items():
            if name in markdown_items:
                self.check_links(value, record, name, schema.VALUE_HEADER)
            if schema.PLACEHOLDER_CITY in value:
                self.problem(kinds.PLACEHOLDER_SETTING, record.ref(schema.VALUE_HEADER), name=name, value=value,
                             placeholder=schema.PLACEHOLDER_CITY)
        if "言語" in values:
            self.common.languages_cell = (self.workbook.file_name, self.sheet_name,
                                          values["言語"][1].ref(schema.VALUE_HEADER))
        settings = {item.field: values.get(item.header, ("",))[0] for item in schema.SETTINGS.items}
        if settings["public_url"] and not schema.is_public_url(settings["public_url"]):
            self.problem(kinds.BAD_PUBLIC_URL, values["公開URL"][1].ref(schema.VALUE_HEADER), url=settings["public_url"])
            settings["public_url"] = ""  # relative links only, as without it: a wrong absolute link is worse
        return Settings(**settings)

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
            minimum, maximum = self._limits(record, question_id, kind)
            conditions = self._display_conditions(record, questions)
            if question_id is None or kind is None or not text or (kind != "number" and not choices):
                if question_id is not None:
                    self.common.rejected_question_ids.add(question_id)
                continue
            questions.append(Question(
                id=question_id, text=text, help=self.markdown(record, "補足説明"), kind=kind, choices=choices,
                unit=unit, display_conditions=conditions, row=record.row_number, minimum=minimum, maximum=maximum,
                cells=self.cells(record, schema.QUESTIONS),
            ))
        return questions

    def _limits(self, record: Record, question_id: str | None, kind: str | None) -> tuple[float, float | None]:
        """最小値 and 最大値 of a 数値 question (0 and no maximum when empty); reported when they cannot be used."""
        limits: dict[str, float | None] = {}
        for header in ("最小値", "最大値"):
            raw = self.value(record, header) if record.has(header) else ""
            limits[header] = None
            if raw is None or display_text(raw) == "":
                continue
            if kind is not None and kind != "number":
                self.problem(kinds.BAD_NUMBER_LIMIT.variant("not-number-question"), record.ref(header),
                             question_id=question_id or "", header=header)
                continue
            number = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else plain_number(display_text(raw))
            if number is None:
                self.problem(kinds.BAD_NUMBER_LIMIT, record.ref(header), header=header, value=display_text(raw),
                             question_id=question_id or "")
                continue
            limits[header] = float(number)
        minimum = 0.0 if limits["最小値"] is None else limits["最小値"]
        maximum = limits["最大値"]
        if maximum is not None and minimum > maximum:
            self.problem(kinds.BAD_NUMBER_LIMIT.variant("reversed"), record.ref("最小値" if limits["最小値"] is not None else "最大値"),
                         question_id=question_id or "", minimum=f"{minimum:g}", maximum=f"{maximum:g}")
            maximum = None
        return minimum, maximum

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
                    self.problem(range_kind(exc), cell, value=display_text(value), question_id=question.id,
                                 examples=quote_list(question_range_examples(question)))
                continue
            chosen = split_choices(value, question.choices)
            if chosen is None:
                unknown = unknown_pieces(value, question.choices) or [value]
                self.problem(kinds.DISPLAY_CONDITION_UNKNOWN_CHOICE, cell, choice=unknown[0], question_id=question.id,
                             choices=quote_list(question.choices), suggestion=suggestion(unknown[0], question.choices))
                continue
            requirements.append(Requirement(question.id, choices=tuple(dict.fromkeys(chosen))))
        return tuple(requirements)

    def _named_rows(self, table: Table, header: str, duplicate: ProblemKind):
        """(record, name) of each row whose `header` names something not named before (after normalisation);
        an empty name is reported as missing, a repeated one as `duplicate`."""
        first_seen: dict[str, str] = {}
        for record in table.records():
            name = self.required_text(record, header)
            if not name:
                continue
            key = normalize_key(name)
            if key in first_seen:
                self.problem(duplicate, record.ref(header), name=name, first=first_seen[key], second=record.ref(header))
                continue
            first_seen[key] = record.ref(header)
            yield record, name

    def _categories(self) -> list[Category]:
        table = self.table(schema.CATEGORIES)
        if table is None:
            return []
        self.common.categories_read = True
        categories: list[Category] = []
        for record, name in self._named_rows(table, "分類名", kinds.DUPLICATE_CATEGORY):
            categories.append(Category(name=name, description=self.text(record, "説明"), number=len(categories) + 1))
        return categories
