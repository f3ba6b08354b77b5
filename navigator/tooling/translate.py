"""`navigator translate CODE`: write or refresh a language's translation workbook, `sheets/翻訳_<code>.xlsx`.

One row per text residents see (check/translations.resident_texts), named by its 場所. Refreshing keeps
every 訳: a text that is new is added; a text whose Japanese changed gets the new 原文, the 原文 its 訳 was
made from in 以前の原文 and a yellow row (要確認; 状態 is left as it was, and check counts the 訳 as stale
until 以前の原文 is emptied); the 訳 of a text the site no longer has moves to the 削除された原文 sheet (and
back, should the text return). The file is backed up before it is replaced, as `template --update` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from navigator.check.translations import TranslationRow, same_text, site_texts
from navigator.check.validate import validate_folder
from navigator.contract import languages as lang
from navigator.contract import sheets as schema
from navigator.contract.text import normalize_key
from navigator.tooling.template.common import TemplateError
from navigator.tooling.template.style import (
    BORDER,
    INSTRUCTIONS_SHEET,
    OPTIONAL_FILL,
    REQUIRED_FILL,
    TOP_WRAP,
    as_text,
    explain,
    japanese_font,
    lines_needed,
    print_on_a4_width,
    solid_fill,
    style_header,
)
from navigator.tooling.template.update import backup_copy, save_in_place

SHEET = schema.TRANSLATIONS.sheet
HEADERS = schema.TRANSLATIONS.headers  # 場所 | 原文 | 訳 | 状態 | 以前の原文
DELETED_HEADERS = ("場所", "原文", "訳", "状態", "削除した日")
TO_CHECK_FILL = "FFF2CC"  # yellow: 要確認
FIXED_FILL = "F2F2F2"  # grey: 場所 and 原文, not to be changed
TO_CHECK_NOTE = ("要確認: 日本語が変わりました。E列「以前の原文」（訳したときの原文）と B列「原文」（今の原文）を比べて"
                 "訳を直し、E列を空にしてください。")

STEPS = (
    "このブックには、サイトの日本語の文章が1行に1つずつ並んでいます。「訳」の列（C列）に訳を書き、「状態」の列（D列）を ▼ から選んでください。",
    "「状態」は、人が確かめた訳なら「確認済み」、機械翻訳のままなら「機械翻訳」を選びます。空欄の行は、まだ訳がないものとして扱い、サイトには日本語のまま表示されます。",
    "「場所」（A列）と「原文」（B列）は書き換えないでください。場所は、その文章がサイトのどこに出るかを示す名前です（例: 制度/risai/概要 は制度 risai の概要）。",
    "セルの中で改行するには Alt+Enter を押します。原文の改行や箇条書き（- で始まる行）は、訳でも同じように残してください。",
    "黄色の行は「要確認」です。日本語の文章が変わったため、今の訳は使われていません。E列「以前の原文」（訳したときの原文）と B列「原文」（今の原文）を比べて訳を直し、終わったら E列を空にしてください。",
    "「削除された原文」シートには、サイトからなくなった文章の訳を残しています。読むだけで、直す必要はありません。",
    "行を並べ替えたり、列や行を消したりしないでください。書き終えたら、ファイル名を変えずに保存して、取りまとめ課に返してください。",
    "English: Write each translation in column C (訳) and choose its status in column D (状態): 確認済み = checked by a person, "
    "機械翻訳 = machine translation. Do not change columns A and B. Yellow rows changed in Japanese: update the translation, "
    "then clear column E.",
)


@dataclass
class TranslateResult:
    path: Path
    code: str
    texts: int = 0
    translated: int = 0
    added: int = 0
    to_check: int = 0
    deleted: int = 0  # rows of the 削除された原文 sheet
    created: bool = False
    written: bool = True
    backup: Path | None = None

    def lines(self) -> list[str]:
        name = lang.LANGUAGES[self.code][0]
        if not self.written:
            return [f"「{self.path}」（{name}）は今の文章のままです。書き換えていません（文章 {self.texts}件、訳あり {self.translated}件）。"]
        verb = "作りました" if self.created else "更新しました"
        lines = [f"「{self.path}」（{name}）を{verb}。文章 {self.texts}件: 訳あり {self.translated}件、"
                 f"新しく加えた文章 {self.added}件、日本語が変わった（要確認）{self.to_check}件。"]
        if self.deleted:
            lines.append(f"サイトからなくなった文章の訳 {self.deleted}件は「{schema.DELETED_TRANSLATIONS_SHEET}」シートに残しています。")
        if self.backup is not None:
            lines.append(f"更新前のブックは「{self.backup}」に残しています。")
        return lines


def translate(folder: Path, code: str, now: dt.datetime | None = None) -> TranslateResult:
    """Write or refresh `folder/翻訳_<code>.xlsx` from the folder's current texts."""
    validation = validate_folder(folder, with_translations=False)
    if validation.site is None:
        raise TemplateError("シートにエラーがあるため、翻訳のブックを作れません。上のエラーを直してから、もう一度実行してください。",
                            validation.report.errors)
    now = now or dt.datetime.now()
    texts = site_texts(validation.site)
    path = folder / lang.translation_file_name(code)
    result = TranslateResult(path, code, texts=len(texts), created=not path.exists())
    current, deleted = read_translation_workbook(path) if path.exists() else ({}, [])
    rows, kept = refresh(texts, current, deleted, now.date(), result)
    result.translated = sum(1 for r in rows if r.translation)
    result.deleted = len(kept)
    if not result.created and [_values(r) for r in current.values()] == [_values(r) for r in rows] and \
            [(_values(r), day) for r, day in deleted] == [(_values(r), day) for r, day in kept]:
        result.written = False
        return result
    workbook = write_translation_workbook(rows, kept, code)
    if result.created:
        try:
            workbook.save(path)
        except OSError as exc:
            raise TemplateError(f"「{path}」に書き込めません（{exc.strerror or exc}）。フォルダの書き込みの権限を確かめてください。") from exc
    else:
        result.backup = backup_copy(path, now)
        save_in_place(workbook, path)
    return result


def _values(row: TranslationRow) -> tuple[str, ...]:
    return row.place, row.original, row.translation, row.state, row.previous


def refresh(texts: dict[str, str], current: dict[str, TranslationRow], deleted: list[tuple[TranslationRow, str]],
            today: dt.date, result: TranslateResult) -> tuple[list[TranslationRow], list[tuple[TranslationRow, str]]]:
    """The 翻訳 rows for `texts`, carrying every 訳 over; and the 削除された原文 rows (place, kept 訳, date)."""
    current = dict(current)
    deleted_by_place = {}
    for row, day in deleted:
        deleted_by_place.setdefault(normalize_key(row.place), (row, day))
    rows: list[TranslationRow] = []
    for place, text in texts.items():
        key = normalize_key(place)
        old = current.pop(key, None)
        if old is None and key in deleted_by_place:
            old = deleted_by_place.pop(key)[0]  # the text came back: so does its 訳
        if old is None:
            rows.append(TranslationRow(place, text, "", ""))
            result.added += 1
        elif same_text(old.translated_from, text):
            rows.append(old._replace(place=place, original=text if old.previous else old.original, previous=""))
        elif old.translation or old.state:
            rows.append(old._replace(place=place, original=text, previous=old.translated_from))
            result.to_check += 1
        else:
            rows.append(old._replace(place=place, original=text, previous=""))
    gone = [(row, today.isoformat()) for row in current.values() if row.translation]
    kept = [(row, day) for row, day in deleted_by_place.values() if row.translation]
    return rows, kept + gone


def _header_columns(ws) -> tuple[int, dict[str, int]] | None:
    """The header row (1-based) among the first rows, and each normalised header's column (1-based)."""
    for row in ws.iter_rows(min_row=1, max_row=schema.HEADER_SEARCH_ROWS):
        headers = {normalize_key(c.value): c.column for c in row if c.value is not None}
        if "場所" in headers:
            return row[0].row, headers
    return None


def _sheet_rows(ws, extra: str) -> list[tuple[TranslationRow, str]]:
    found = _header_columns(ws)
    if found is None:
        return []
    header_row, columns = found
    rows = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        def cell(header: str) -> str:
            column = columns.get(header)
            return as_text(values[column - 1]).strip() if column is not None and column <= len(values) else ""
        if cell("場所"):
            rows.append((TranslationRow(cell("場所"), cell("原文"), cell("訳"), normalize_key(cell("状態")),
                                        cell("以前の原文")), cell(extra)))
    return rows


def read_translation_workbook(path: Path) -> tuple[dict[str, TranslationRow], list[tuple[TranslationRow, str]]]:
    """The 翻訳 rows by normalised 場所 (a later row of the same 場所 with a 訳 goes with the deleted ones) and the
    削除された原文 rows with their dates."""
    try:
        workbook = openpyxl.load_workbook(path)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file it cannot read
        raise TemplateError(f"「{path}」を読めません（{exc}）。Excel で開いて .xlsx で保存し直すか、バックアップと"
                            "取り替えてください。") from exc
    current: dict[str, TranslationRow] = {}
    deleted: list[tuple[TranslationRow, str]] = []
    if SHEET in workbook.sheetnames:
        for row, _ in _sheet_rows(workbook[SHEET], ""):
            key = normalize_key(row.place)
            if key not in current:
                current[key] = row
            elif row.translation:
                deleted.append((row, ""))
    if schema.DELETED_TRANSLATIONS_SHEET in workbook.sheetnames:
        deleted = _sheet_rows(workbook[schema.DELETED_TRANSLATIONS_SHEET], "削除した日") + deleted
    return current, deleted


def write_translation_workbook(rows: list[TranslationRow], deleted: list[tuple[TranslationRow, str]], code: str):
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, code)
    ws = workbook.create_sheet(SHEET)
    _write_rows(ws, HEADERS, [(_values(r), bool(r.previous)) for r in rows])
    for row_number, row in enumerate(rows, start=2):
        if row.previous:
            ws.cell(row_number, 3).comment = Comment(TO_CHECK_NOTE, "navigator")
    states = DataValidation(type="list", formula1='"' + ",".join(lang.STATES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状態",
                            error="状態は ▼ から「確認済み」か「機械翻訳」を選ぶか、空欄にしてください。",
                            showInputMessage=True, promptTitle="状態", prompt=schema.TRANSLATIONS.column("状態").help)
    states.add(f"D2:D{max(len(rows) + 1, 2)}")
    ws.add_data_validation(states)
    gone = workbook.create_sheet(schema.DELETED_TRANSLATIONS_SHEET)
    _write_rows(gone, DELETED_HEADERS, [((*_values(r)[:4], day), False) for r, day in deleted])
    gone.sheet_properties.tabColor = "808080"
    return workbook


def _write_rows(ws, headers: tuple[str, ...], rows: list[tuple[tuple[str, ...], bool]]) -> None:
    print_on_a4_width(ws)
    widths = [schema.TRANSLATIONS.column(h).width if h in schema.TRANSLATIONS.headers else 14 for h in headers]
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(1, column, header)
        style_header(cell, REQUIRED_FILL if header in ("訳", "状態") else OPTIONAL_FILL)
        if header in schema.TRANSLATIONS.headers:
            explain(ws, cell.coordinate, header, schema.TRANSLATIONS.column(header).help)
        ws.column_dimensions[cell.column_letter].width = widths[column - 1]
    for row_number, (values, to_check) in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row_number, column, value or None)
            cell.font = japanese_font()
            cell.border = BORDER
            cell.alignment = TOP_WRAP
            if to_check:
                cell.fill = solid_fill(TO_CHECK_FILL)
            elif headers[column - 1] in ("場所", "原文"):
                cell.fill = solid_fill(FIXED_FILL)
        tallest = max(lines_needed(v, widths[n] - 2) for n, v in enumerate(values))
        ws.row_dimensions[row_number].height = min(400, 17 * tallest + 4)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(headers)).column_letter}{max(len(rows) + 1, 2)}"


def _write_instructions(ws, code: str) -> None:
    ws.sheet_properties.tabColor = "C00000"
    print_on_a4_width(ws)
    japanese, english = lang.LANGUAGES[code]
    ws.cell(1, 1, f"翻訳の書き方（記入方法） — {japanese} / {english}").font = japanese_font(bold=True, size=14)
    ws.row_dimensions[1].height = 26
    for row, step in enumerate(STEPS, start=3):
        cell = ws.cell(row, 1, f"{row - 2}. {step}" if not step.startswith("English") else step)
        cell.font = japanese_font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 17 * lines_needed(step, 118) + 4
    ws.column_dimensions["A"].width = 120
