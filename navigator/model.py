"""The merged model of the site: what validation produces and everything after it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

AnswerKind = Literal["single", "multiple", "number"]

ANSWER_KINDS: dict[str, AnswerKind] = {"単一選択": "single", "複数選択": "multiple", "数値": "number"}


@dataclass(frozen=True)
class Range:
    """A numeric range from a condition cell or 表示条件, e.g. `65歳以上`, `2〜4`."""

    low: float | None
    low_inclusive: bool
    high: float | None
    high_inclusive: bool
    text: str

    def contains(self, number: float) -> bool:
        if self.low is not None and (number < self.low or (number == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (number > self.high or (number == self.high and not self.high_inclusive)):
            return False
        return True

    def as_dict(self) -> dict:
        return {"min": self.low, "min_inclusive": self.low_inclusive, "max": self.high,
                "max_inclusive": self.high_inclusive, "text": self.text}


@dataclass(frozen=True)
class Requirement:
    """One question a condition row (or a 表示条件 line) depends on.

    For a choice question, `choices` are the accepted choices as written in 質問; for a
    数値 question, `range` is the accepted range.
    """

    question_id: str
    choices: tuple[str, ...] = ()
    range: Range | None = None

    def as_dict(self) -> dict:
        if self.range is not None:
            return {"question": self.question_id, "range": self.range.as_dict()}
        return {"question": self.question_id, "choices": list(self.choices)}


@dataclass(frozen=True)
class Cells:
    """Where a row's values were read, as Excel names it: the sheet (as its tab is written) and each column's cell.

    Kept so that a report can point at a cell (`福祉課.xlsx / 制度 / A7`) without reading the workbook again.
    `columns` is made once per sheet and shared by its rows: a program costs one small object, not a cell
    name per column.
    """

    sheet: str = ""
    row: int = 0  # Excel's row number
    columns: tuple[tuple[str, str], ...] = ()  # (header, column letter) of the sheet's own columns, in column order

    def get(self, header: str) -> str | None:
        letter = next((letter for name, letter in self.columns if name == header), None)
        return None if letter is None else f"{letter}{self.row}"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    kind: AnswerKind
    choices: tuple[str, ...]
    unit: str
    display_conditions: tuple[Requirement, ...]
    row: int
    minimum: float = 0  # a 数値 question's answers: from minimum to maximum (None: no maximum)
    maximum: float | None = None
    labels: tuple[str, ...] = ()  # each choice as shown, in a language's edition (site/edition.py); () for Japanese
    cells: Cells = field(default=Cells(), compare=False, repr=False)  # where, not what: equal questions may be anywhere

    @property
    def is_choice(self) -> bool:
        return self.kind in ("single", "multiple")

    def label(self, choice: str) -> str:
        """A choice as residents of the edition read it (the choice itself stays the answer's key)."""
        if self.labels and choice in self.choices:
            return self.labels[self.choices.index(choice)]
        return choice


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    number: int  # 1-based display order; also the page name


@dataclass(frozen=True)
class Settings:
    site_name: str
    municipality: str
    intro: str = ""
    contact: str = ""
    disclaimer: str = ""
    notice: str = ""
    counter_order: str = ""  # 部署名, one a line: the order of the places on the counter's 手続き案内票
    languages: str = ""  # 言語: language codes, one a line, as written (check/translations.py reads them)
    public_url: str = ""  # 公開URL: https://…/ (checked in check/common.py); "" when not set or not usable


@dataclass(frozen=True)
class Department:
    name: str
    phone: str
    email: str
    office: str
    file: str


@dataclass(frozen=True)
class Deadline:
    """申請期限: a date when the cell holds one (or text that reads as one), else text."""

    date: dt.date | None
    text: str


@dataclass(frozen=True)
class ConditionRow:
    """The first row of a program, or one of its または rows."""

    requirements: tuple[Requirement, ...]
    row: int  # the Excel row number


@dataclass(frozen=True)
class DocumentNeed:
    """One line of a program's 必要書類, read: `り災証明書（写し可）` needs り災証明書, with the note 写し可.

    `name` is the 書類名 of the 書類 sheet when the line names one, else the line's own name; two programs
    that need the same document have the same `name` (contract/sheets.document_need).
    """

    name: str
    note: str = ""
    label: str = ""  # the name as shown, in a language's edition (site/edition.py); "" for Japanese

    @property
    def shown_name(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    category: str
    summary: str
    target: str
    benefit: str
    deadline: Deadline | None
    how_to_apply: str
    documents: tuple[str, ...]  # the 必要書類 lines as written
    contact: str  # as written; empty means the department's contact applies
    online_url: str
    detail_url: str
    department: Department
    condition_rows: tuple[ConditionRow, ...]
    published: bool
    file: str
    row: int  # of its first row
    needs: tuple[DocumentNeed, ...] = ()  # its documents, each line read (one per line of `documents`)
    cells: Cells = field(default=Cells(), compare=False, repr=False)  # of its first row; where, not what


@dataclass(frozen=True)
class Document:
    """A document residents bring, named once for the city (common.xlsx's 書類 sheet)."""

    name: str
    description: str
    source: str  # 入手先
    issued_by: str  # the 制度ID of the program that issues it, or ""
    label: str = ""  # the name as shown, in a language's edition (site/edition.py); "" for Japanese

    @property
    def shown_name(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Term:
    """A word of common.xlsx's 用語 sheet: its reading (for ルビ) and the other ways of writing it search treats as it."""

    word: str
    reading: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    settings: Settings
    questions: tuple[Question, ...]
    categories: tuple[Category, ...]
    departments: tuple[Department, ...]
    programs: tuple[Program, ...]  # published only, in site order
    unpublished: tuple[Program, ...] = field(default=())
    documents: tuple[Document, ...] = field(default=())  # empty without a 書類 sheet
    # Each published language (設定's 言語, in its order) → 場所 → (訳, 状態), for the current texts only: a 訳
    # whose 原文 is not the current Japanese, or whose 状態 is neither 確認済み nor 機械翻訳, is not here.
    translations: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict, hash=False)
    terms: tuple[Term, ...] = field(default=())  # empty without a 用語 sheet
    counter_order: tuple[str, ...] = field(default=())  # 設定's 窓口の順番 as the departments' own 部署名

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    @property
    def _questions_by_id(self) -> dict[str, Question]:
        cached = self.__dict__.get("_qcache")
        if cached is None:
            cached = {q.id: q for q in self.questions}
            object.__setattr__(self, "_qcache", cached)
        return cached

    def programs_in(self, category: Category) -> list[Program]:
        return [p for p in self.programs if p.category == category.name]
