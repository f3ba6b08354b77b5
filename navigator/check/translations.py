"""The translation workbooks (`翻訳_<code>.xlsx`): every text residents see, named by its 場所, and which 訳 count.

docs/sheet-format.md, "Additions": a 訳 is published only while its 原文 equals the current Japanese (after
normalisation) and its 状態 is 確認済み or 機械翻訳. A row `navigator translate` flagged (要確認) keeps the
原文 the 訳 was made from in 以前の原文: that is the one compared. Stale translations are warnings naming
their cell; missing ones are counted per language (LanguageCount), never listed one by one.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from navigator.check.cells import SheetChecks
from navigator.contract import languages as lang
from navigator.contract import problem_kinds as kinds
from navigator.contract import sheets as schema
from navigator.contract.problems import Report
from navigator.contract.text import display_text, lines, normalize_key, unusable_links
from navigator.model import Category, Department, Document, Program, Question, Settings, Site
from navigator.read.workbook import WorkbookReadError, column_letter, read_workbook

# The program columns residents read, in the sheet's order (申請期限 only when it is text, not a date).
PROGRAM_TEXT_COLUMNS = ("制度名", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類", "問い合わせ先")
DEPARTMENT_TEXT_ITEMS = ("部署名", "窓口")  # 電話番号 and メール are the same in every language
DOCUMENT_TEXT_COLUMNS = ("書類名", "説明", "入手先")


def resident_texts(settings: Settings, questions, categories, departments, programs, documents) -> dict[str, str]:
    """場所 → the Japanese text, for every non-empty text residents see, in the order of the site."""
    texts: dict[str, str] = {}

    def add(place: str, text: str) -> None:
        if text.strip():
            texts.setdefault(place, text)

    for item in schema.SETTINGS.items:
        if item.header in schema.RESIDENT_SETTINGS:
            add(f"設定/{item.header}", getattr(settings, item.field))
    question: Question
    for question in questions:
        add(f"質問/{question.id}/質問文", question.text)
        add(f"質問/{question.id}/補足説明", question.help)
        add(f"質問/{question.id}/単位", question.unit)
        for choice in question.choices:
            add(f"選択肢/{question.id}/{choice}", choice)
    category: Category
    for category in categories:
        add(f"分類/{category.name}/分類名", category.name)
        add(f"分類/{category.name}/説明", category.description)
    department: Department
    for department in departments:
        for item in schema.DEPARTMENT.items:
            if item.header in DEPARTMENT_TEXT_ITEMS:
                add(f"部署/{department.file}/{item.header}", getattr(department, item.field))
    program: Program
    for program in programs:
        for header, name in _PROGRAM_TEXT_FIELDS:
            add(f"制度/{program.id}/{header}", _program_text(getattr(program, name), header))
    document: Document
    for document in documents:
        for header in DOCUMENT_TEXT_COLUMNS:
            add(f"書類/{document.name}/{header}", getattr(document, schema.DOCUMENTS.column(header).field))
    return texts


# The sheet each 場所 is of, by its first part: its last part is the column (or 項目) the text is from.
_PLACE_COLUMNS = {"設定": schema.SETTINGS.items, "質問": schema.QUESTIONS.columns, "分類": schema.CATEGORIES.columns,
                  "部署": schema.DEPARTMENT.items, "制度": schema.PROGRAMS.columns, "書類": schema.DOCUMENTS.columns}


def is_markdown_place(place: str) -> bool:
    """Whether the text of this 場所 is a Markdown column's (its 訳 is Markdown too: the site renders it the same way)."""
    sheet, _, rest = place.partition("/")
    return _is_markdown_column(sheet, rest.rpartition("/")[2])


@functools.lru_cache(maxsize=256)  # a few sheets and columns; a build asks for every translated text with a link
def _is_markdown_column(sheet: str, header: str) -> bool:
    return any(column.header == header and column.kind == "markdown" for column in _PLACE_COLUMNS.get(sheet, ()))


def site_texts(site: Site) -> dict[str, str]:
    return resident_texts(site.settings, site.questions, site.categories, site.departments, site.programs,
                          site.documents)


# Each of them with the Program field it is read from (looked up once, not for each program).
_PROGRAM_TEXT_FIELDS = tuple((header, schema.PROGRAMS.column(header).field) for header in PROGRAM_TEXT_COLUMNS)


def _program_text(value, header: str) -> str:
    """A program's text of column `header` (its field's value) as the 原文 of its row."""
    if header == "申請期限":
        return value.text if value is not None and value.date is None else ""
    if header == "必要書類":
        return "\n".join(value)
    return value


def same_text(a: str, b: str) -> bool:
    """Equal after normalisation, a line break written as CR LF or LF alike (an empty line still counts: Markdown)."""
    return _comparable(a) == _comparable(b)


def _comparable(text: str) -> str:
    return normalize_key(text.replace("\r\n", "\n").replace("\r", "\n"))


class TranslationRow(NamedTuple):
    """One row of a 翻訳 sheet. A tuple: a workbook has a row for every text of the site, and each crosses from the
    worker that read it to the build process."""

    place: str
    original: str
    translation: str
    state: str
    previous: str = ""  # the 原文 the 訳 was made from, when the Japanese changed since (要確認)
    cell: str = ""  # of its 訳, as Excel names it
    state_cell: str = ""
    # The links of a Markdown text's 訳 that the site would not publish (label, address), found where the row is read
    # (in a worker); reported only when the 訳 counts.
    bad_links: tuple[tuple[str, str], ...] = ()

    @property
    def translated_from(self) -> str:
        return self.previous or self.original

    def __reduce__(self):
        # Unpickled by tuple.__new__, not the class's own __new__ (Python code, once a row): 22.7 -> 10.7 ms for
        # the 6,800 rows of a language (a dataclass's before).
        return tuple.__new__, (TranslationRow, tuple(self))


@dataclass
class LanguageCount:
    code: str
    file: str | None  # the translation workbook's name, or None when there is none
    published: bool  # listed in 設定's 言語
    confirmed: int = 0
    machine: int = 0
    missing: int = 0
    stale: int = 0
    translations: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)  # 場所 → (訳, 状態)

    def counted(self) -> LanguageCount:
        """The counts without the texts: what a build with nothing changed reports (the build cache keeps it; the
        texts were 4.8 MB of its state at 1,000 programs in three languages, and the site is made again from the
        workbooks whenever it is needed)."""
        return dataclasses.replace(self, translations={})

    def line(self) -> str:
        name = lang.LANGUAGES[self.code][0]
        line = (f"翻訳 {self.code}（{name}）: 確認済み {self.confirmed}件、機械翻訳 {self.machine}件、"
                f"未翻訳 {self.missing}件、原文が変わった {self.stale}件")
        if self.file is None:
            return line + f"（{lang.translation_file_name(self.code)} がありません。navigator translate {self.code} で作れます）"
        return line + ("" if self.published else "（設定の「言語」にないため公開しません）")


class TranslationReader(SheetChecks):
    """One 翻訳_<code>.xlsx: the rows of its 翻訳 sheet (the first row of each 場所)."""

    def rows(self) -> dict[str, TranslationRow] | None:
        table = self.table(schema.TRANSLATIONS)
        if table is None:
            return None
        found: dict[str, TranslationRow] = {}
        if not table.sheet.unsaved_formulas:
            return self._rows_as_values(table, found)
        for record in table.records():
            place = self.text(record, "場所")
            key = normalize_key(place)
            if not key or key in found:
                continue
            translation = self.text(record, "訳")
            found[key] = TranslationRow(
                place, self.text(record, "原文"), translation, normalize_key(self.value(record, "状態")),
                self.text(record, "以前の原文"), record.ref("訳") or "", record.ref("状態") or "",
                _bad_links(key, translation))
        return found

    @staticmethod
    def _rows_as_values(table, found: dict[str, TranslationRow]) -> dict[str, TranslationRow]:
        """rows() when no cell holds a formula without a value (a cell is its value): the same rows, read straight
        from the sheet's rows (a workbook has a row for every text of the site: thousands)."""
        rows, columns = table.sheet.rows, table.columns
        place_at, original_at, translation_at, state_at, previous_at = (
            columns.get(header, -1) for header in ("場所", "原文", "訳", "状態", "以前の原文"))
        translation_letter = column_letter(translation_at) if translation_at >= 0 else None
        state_letter = column_letter(state_at) if state_at >= 0 else None
        # Every row below the header: a row records() would skip (all empty) has no 場所, and is skipped here too.
        for row_index in range(table.header_row + 1, len(rows)):
            row = rows[row_index]
            width = len(row)
            place = display_text(row[place_at]) if 0 <= place_at < width else ""
            key = normalize_key(place) if place else ""
            if not key or key in found:
                continue
            number = row_index + 1
            translation = display_text(row[translation_at]) if 0 <= translation_at < width else ""
            found[key] = TranslationRow(
                place, display_text(row[original_at]) if 0 <= original_at < width else "", translation,
                normalize_key(row[state_at]) if 0 <= state_at < width else "",
                display_text(row[previous_at]) if 0 <= previous_at < width else "",
                f"{translation_letter}{number}" if translation_letter else "", f"{state_letter}{number}" if state_letter else "",
                _bad_links(key, translation))
        return found


def _bad_links(key: str, translation: str) -> tuple[tuple[str, str], ...]:
    """The links of a 訳 the site would not publish, when its 場所 (`key`: normalised, as the site's texts are matched
    to it) is a Markdown text's, as in the Japanese cell."""
    if "](" not in translation or not is_markdown_place(key):
        return ()
    return tuple(unusable_links(translation))


def published_languages(settings: Settings, cell: tuple[str, str, str] | None, report: Report) -> list[str]:
    """設定's 言語 as codes, in order; an unknown code is a warning (and not published)."""
    codes: list[str] = []
    for line in lines(settings.languages):
        code = lang.language_code(line)
        if code is None:
            file, sheet, where = cell or ("common.xlsx", schema.SETTINGS.sheet, None)
            report.add(kinds.UNKNOWN_LANGUAGE, file=file, sheet=sheet, cell=where, code=line,
                       suggestion=lang.code_suggestion(line), codes=lang.codes_text())
        elif code not in codes:
            codes.append(code)
    return codes


def translation_files(paths, report: Report) -> dict[str, Path]:
    """Each known code → its workbook (the first by name); a file naming an unknown code is an error."""
    files: dict[str, Path] = {}
    for path in paths:
        written = lang.translation_file_code(path.name) or ""
        code = lang.language_code(written)
        if code is None:
            report.add(kinds.UNKNOWN_LANGUAGE_FILE, file=path.name, code=written,
                       suggestion=lang.code_suggestion(written), codes=lang.codes_text())
        else:
            files.setdefault(code, path)
    return files


def check_translations(report: Report, settings: Settings | None, languages_cell,
                       texts: Callable[[], dict[str, str]] | None, paths, read_rows=None) -> list[LanguageCount]:
    """Every language of 言語 and every translation workbook, counted; None texts (errors elsewhere): names only.

    `texts()` (resident_texts) is called only when there is a language to count: a city without translations
    does not pay for listing every text on each check. `read_rows(path, report)`: read_translation_rows, or the
    build cache's replay of it (incremental/replay.py)."""
    read_rows = read_rows or read_translation_rows
    files = translation_files(paths, report)
    if settings is None or texts is None:
        return []
    codes = published_languages(settings, languages_cell, report)
    languages = codes + [c for c in files if c not in codes]
    current = texts() if languages else {}
    keys = {place: normalize_key(place) for place in current}  # once for every language
    counts: list[LanguageCount] = []
    for code in languages:
        path = files.get(code)
        count = LanguageCount(code, path.name if path else None, code in codes)
        if path is not None and code not in codes:
            report.add(kinds.TRANSLATION_NOT_PUBLISHED, file=path.name, code=code)
        rows = read_rows(path, report) if path is not None else {}
        _count(count, current, keys, rows, path, report)
        if path is not None:
            report.close_file(path.name)
        counts.append(count)
    return counts


def read_translation_rows(path: Path, report: Report) -> dict[str, TranslationRow]:
    """A 翻訳 workbook's rows by normalised 場所; what is wrong with it, in `report`."""
    try:
        workbook = read_workbook(path, (schema.TRANSLATIONS.sheet,))
    except WorkbookReadError as exc:
        report.add(exc.kind, file=path.name, sheet=exc.sheet, cell=exc.cell, **exc.values)
        return {}
    return TranslationReader(workbook, report).rows() or {}


def _count(count: LanguageCount, current: dict[str, str], keys: dict[str, str], rows: dict[str, TranslationRow],
           path: Path | None, report: Report) -> None:
    """Each current text's 訳 counted (a loop over every text of the site, for each language: kept to local names)."""
    states, confirmed_state, translations, get = lang.STATES, lang.CONFIRMED, count.translations, rows.get
    sheet = schema.TRANSLATIONS.sheet
    missing = stale = confirmed = machine = 0
    for place, text in current.items():
        row = get(keys[place])
        if row is None or not row.translation:
            missing += 1
            continue
        state = row.state
        if state not in states:
            if state:
                report.add(kinds.UNKNOWN_TRANSLATION_STATE, file=path.name, sheet=sheet, cell=row.state_cell, state=state)
            missing += 1
            continue
        translated_from = row.translated_from
        if translated_from != text and not same_text(translated_from, text):  # most are equal as read
            stale += 1
            kind = kinds.STALE_TRANSLATION if row.previous else kinds.STALE_TRANSLATION.variant("not-refreshed")
            report.add(kind, file=path.name, sheet=sheet, cell=row.cell, place=row.place, code=count.code)
            continue
        if state == confirmed_state:
            confirmed += 1
        else:
            machine += 1
        translations[place] = (row.translation, state)
        for label, address in row.bad_links:
            report.add(kinds.BAD_TEXT_LINK, file=path.name, sheet=sheet, cell=row.cell,
                       header=f"「{row.place}」の訳", label=label, url=address)
    count.missing += missing
    count.stale += stale
    count.confirmed += confirmed
    count.machine += machine
