"""`navigator template --update FILE`: bring a department workbook up to date with common.xlsx.

Missing columns are inserted (insertion.py), dropdowns and input messages renewed, and nothing a
department typed is deleted; the file is backed up first and replaced in one step.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from navigator.check.common import Common
from navigator.contract import sheets as schema
from navigator.contract.problems import Problem
from navigator.contract.text import normalize_key
from navigator.read.folder import SheetsFolder
from navigator.tooling.template.common import TemplateError, read_common
from navigator.tooling.template.insertion import insert_column, insert_position
from navigator.tooling.template.instructions import write_department_instructions
from navigator.tooling.template.program_sheet import condition_columns, condition_key, find_layout, tool_program_sheet
from navigator.tooling.template.style import (
    DEPARTMENT_INSTRUCTIONS_TITLE,
    INSTRUCTIONS_SHEET,
    as_text,
    category_list,
    write_category_list,
)

DEFAULT_SHEETS = "sheets"
BACKUP_FOLDER = "バックアップ"  # a sub-folder: the reader never reads it


def update_template(path: Path, sheets: Path | None) -> UpdateResult:
    """`navigator template --update FILE`: common.xlsx of `sheets`, else of the file's own folder, else sheets/."""
    if not path.is_file():
        raise TemplateError(f"ファイル「{path}」がありません。ファイルの場所を確かめてください。", usage=True)
    if sheets is None:
        beside = path.parent.is_dir() and SheetsFolder.of(path.parent).common is not None
        sheets = path.parent if beside else Path(DEFAULT_SHEETS)
        if not sheets.is_dir():
            raise TemplateError("common.xlsx が見つかりません。--sheets で common.xlsx のあるフォルダを指定してください。", usage=True)
    common, warnings = read_common(sheets)
    return update_department_workbook(path, common, warnings)


def unsupported_contents(path: Path) -> list[str]:
    """What openpyxl does not carry over (or not reliably), found in the zip, in Japanese."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            sheets_xml = [archive.read(n) for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
            drawings = [n for n in names if n.startswith("xl/drawings/drawing") and _has_shapes(archive, n)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"「{path}」は Excel のブック（.xlsx）として読めません。Excel で開いて .xlsx で保存し直してください。") from exc
    found = []
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        if path.suffix.lower() == ".xlsm":
            found.append("マクロがあります。マクロは残しましたが、デジタル署名は外れます。マクロが動くか確かめてください。")
        else:
            found.append("マクロがありましたが、.xlsx には残せないため消えます。マクロが必要なら .xlsm で保存したブックを使ってください。")
    if any(n.startswith("xl/media/") for n in names):
        found.append("画像があります。画像は消えたり位置が変わったりすることがあります。必要ならバックアップから貼り直してください。")
    if any(n.startswith("xl/charts/") for n in names):
        found.append("グラフがあります。グラフは消えることがあります。必要ならバックアップからコピーし直してください。")
    if drawings and not any(n.startswith(("xl/media/", "xl/charts/")) for n in names):
        found.append("図形やテキストボックスがあります。これらは消えます。必要ならバックアップからコピーし直してください。")
    if any(n.startswith(("xl/ctrlProps/", "xl/activeX/")) for n in names):
        found.append("ボタンなどのコントロールがあります。これらは消えます。")
    if any(n.startswith("xl/threadedComments/") for n in names):
        found.append("スレッド形式のコメントがあります。メモ（古い形式のコメント）として残るか、消えることがあります。")
    if any(b"x14:dataValidation" in xml for xml in sheets_xml):
        found.append("ほかのシートを参照する入力規則（ドロップダウン）があります。課で付けたものは消えることがあります。")
    return found


def _has_shapes(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a drawing part anchors anything: LibreOffice Calc writes an empty one into a sheet with a filter."""
    try:
        with archive.open(part) as drawing:
            head = drawing.read(1 << 20)  # a shape's anchor comes first; a huge part is not read whole
    except (zipfile.BadZipFile, OSError, zlib.error):
        return True  # not readable: say it may be lost, as before
    return b"Anchor" in head  # xdr:twoCellAnchor, xdr:oneCellAnchor, xdr:absoluteAnchor


def find_header_row(ws) -> int | None:
    keys = {normalize_key(h) for h in schema.PROGRAMS.key_headers}
    for row in range(1, schema.HEADER_SEARCH_ROWS + 1):
        values = {normalize_key(as_text(ws.cell(row, c).value)) for c in range(1, ws.max_column + 1)}
        if keys <= values:
            return row
    return None


def sheet_named(workbook, name: str):
    return next((ws for ws in workbook.worksheets if normalize_key(ws.title) == normalize_key(name)), None)


@dataclass
class UpdateResult:
    path: Path
    backup: Path | None = None
    added: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.backup is not None

    def lines(self) -> list[str]:
        lines = [str(w) for w in self.warnings]
        if self.changed:
            lines.append(f"「{self.path}」を今の質問・分類に合わせて更新しました。入力済みの値はそのままです。")
            lines.append(f"更新前のブックは「{self.backup}」に残しています。")
        else:
            lines.append(f"「{self.path}」はすでに今の質問・分類に合っています。ファイルは変えていません。")
        if self.added:
            lines.append(f"追加した列（{len(self.added)}列）:")
            lines.extend(f"  {line}" for line in self.added)
        if self.obsolete:
            lines.append(f"今の質問にない列（{len(self.obsolete)}列、消していません。このままでは navigator check でエラーになります）:")
            lines.extend(f"  {line}" for line in self.obsolete)
        if self.others:
            lines.append("制度の列でも条件の列でもない列（課の作業用ならそのままで構いません。サイトには使われません）:")
            lines.extend(f"  {line}" for line in self.others)
        if self.notes:
            lines.append("注意:")
            lines.extend(f"  {line}" for line in self.notes)
        return lines


def _validation_state(ws) -> list[tuple]:
    return sorted((str(v.sqref), v.type or "", v.formula1 or "", v.prompt or "", v.promptTitle or "")
                  for v in ws.data_validations.dataValidation)


def _filled_count(ws, column: int, header_row: int) -> int:
    return sum(1 for row in range(header_row + 1, ws.max_row + 1)
               if normalize_key(as_text(ws.cell(row, column).value)) not in ("", *schema.NO_MARKS))


def update_department_workbook(path: Path, common: Common, warnings: list[Problem] | None = None,
                               now: dt.datetime | None = None) -> UpdateResult:
    """Add the columns and dropdowns the current questions and categories need; never delete."""
    if not path.is_file():
        raise TemplateError(f"ファイル「{path}」がありません。ファイルの場所を確かめてください。", usage=True)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TemplateError(f"「{path}」は部署のブック（.xlsx）ではありません。", usage=True)
    if path.with_name("~$" + path.name).exists():
        raise TemplateError(f"「{path}」は Excel で開かれているようです。Excel で閉じてから、もう一度実行してください。")
    result = UpdateResult(path, warnings=list(warnings or []))
    result.notes.extend(unsupported_contents(path))
    try:
        workbook = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any reading failure is the same for the user
        raise TemplateError(f"「{path}」を読めません（{type(exc).__name__}）。Excel で開けるか確かめ、.xlsx で保存し直してください。") from exc
    ws = sheet_named(workbook, schema.PROGRAMS.sheet)
    if ws is None:
        raise TemplateError(f"「{path}」に「制度」シートがありません。部署のブックを指定してください。")
    header_row = find_header_row(ws)
    if header_row is None:
        raise TemplateError(f"「{path}」の「制度」シートの上から{schema.HEADER_SEARCH_ROWS}行以内に、"
                            "「制度ID」と「制度名」のある見出し行がありません。")
    before = (_validation_state(ws), category_list(workbook))
    formulas = sum(1 for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f")
    if formulas:
        result.notes.append(f"数式のセルが {formulas}個あります。更新したブックには数式の計算結果が入っていないので、"
                            "Excel で開いて上書き保存してから navigator check してください。")

    added: list[tuple[int, str]] = []
    wanted_program = list(schema.PROGRAMS.headers)
    wanted_conditions = condition_columns(common.questions)
    while True:
        layout = find_layout(ws, header_row, common)
        present_program = {h: c for c, h in layout.program.items()}
        missing_program = [h for h in wanted_program if h not in present_program]
        if missing_program:
            header = missing_program[0]
            at = insert_position(wanted_program, header, present_program, lambda _: 0)
        else:
            present = {c.key: col for col, c in layout.condition.items()}
            missing = [c for c in wanted_conditions if c.key not in present]
            if not missing:
                break
            item = missing[0]
            keys = [c.key for c in wanted_conditions]
            at = insert_position(keys, item.key, present, lambda key: key[0])
            if not at:
                # A new question: after the columns of the nearest earlier question, else before a later one.
                order = [q.id for q in common.questions]
                mine = order.index(item.question.id)
                earlier = [col for col, c in layout.condition.items() if order.index(c.question.id) < mine]
                later = [col for col, c in layout.condition.items() if order.index(c.question.id) > mine]
                at = max(earlier) + 1 if earlier else min(later) if later else (
                    max([*layout.program, *layout.condition, *layout.obsolete, *layout.other]) + 1)
            header = item.header
        insert_column(workbook, ws, at, header, header_row)
        ws.cell(header_row, at, header)
        added = [(c + 1 if c >= at else c, h) for c, h in added] + [(at, header)]

    layout = find_layout(ws, header_row, common)
    styled = {column for column, _ in added}
    tool_program_sheet(ws, layout, common, styled)
    write_category_list(workbook, [c.name for c in common.categories])
    instructions = sheet_named(workbook, INSTRUCTIONS_SHEET)
    if instructions is not None and as_text(instructions.cell(1, 1).value) == DEPARTMENT_INSTRUCTIONS_TITLE:
        index = workbook.worksheets.index(instructions)
        workbook.remove(instructions)
        write_department_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET, index), common)

    result.added = [f"{get_column_letter(c)}列「{h}」" for c, h in sorted(added)]
    for column, header in sorted(layout.obsolete.items()):
        question_id, choice = condition_key(header)
        question = next((q for q in common.questions if q.id == question_id), None)
        if question is None:
            why = f"質問「{question_id}」は common.xlsx の質問にもうありません"
        elif choice is None or question.kind == "number":
            why = f"質問「{question_id}」の条件の列の見出しの形が今の質問と合いません"
        else:
            why = f"質問「{question_id}」に選択肢「{choice}」はもうありません"
        count = _filled_count(ws, column, header_row)
        marks = f"値の入ったセルが {count}個あります。正しい列に移してから、" if count else "値は入っていません。"
        result.obsolete.append(f"{get_column_letter(column)}列「{header}」: {why}。{marks}この列を削除してください。")
    result.others = [f"{get_column_letter(c)}列「{h}」" for c, h in sorted(layout.other.items())]

    if not added and before == (_validation_state(ws), category_list(workbook)):
        result.notes = [n for n in result.notes if not n.startswith("数式")]
        return result
    result.backup = backup_copy(path, now or dt.datetime.now())
    save_in_place(workbook, path)
    return result


def backup_copy(path: Path, now: dt.datetime) -> Path:
    """A copy of the file as it was, in a sub-folder (sub-folders are not read: no duplicate 制度ID)."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{path.stem}.bak-{stamp}{path.suffix}"
    number = 1
    while backup.exists():
        number += 1
        backup = folder / f"{path.stem}.bak-{stamp}-{number}{path.suffix}"
    shutil.copy2(path, backup)
    return backup


def save_in_place(workbook, path: Path) -> None:
    temporary = path.with_name(f".{path.stem}.navigator-tmp{path.suffix}")  # a dot file: never read as a workbook
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise TemplateError(f"「{path}」に書き込めません（{exc.strerror or exc}）。Excel で開いているなら閉じてから、"
                            "もう一度実行してください。元のファイルは変わっていません。") from exc
