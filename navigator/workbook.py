"""Reading workbooks into rows that remember their cell addresses.

python-calamine does the reading (it is several times faster than openpyxl). It returns
the value Excel last calculated for a formula, and an empty cell when no value was ever
stored; so that an unsaved formula is reported instead of read as empty, the cells holding
formulas without a stored value are found by a quick scan of the sheet XML.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import python_calamine

from navigator.text import normalize_key

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class WorkbookReadError(Exception):
    """A file that cannot be read as a workbook; `code` is a problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(row_index: int, column_index: int) -> str:
    """Excel's name of a cell, from 0-based indexes."""
    return f"{column_letter(column_index)}{row_index + 1}"


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    unsaved_formulas: set[str] = field(default_factory=set)
    unsaved_rows: set[int] = field(default_factory=set)  # 0-based rows holding such formulas

    def __post_init__(self) -> None:
        self.unsaved_rows = {int(re.sub("[A-Z]", "", ref)) - 1 for ref in self.unsaved_formulas}
        # calamine's grid stops at the last value; a trailing row holding only a formula is still a row.
        while self.unsaved_rows and len(self.rows) <= max(self.unsaved_rows):
            self.rows.append([])

    def value(self, row_index: int, column_index: int) -> object:
        row = self.rows[row_index] if row_index < len(self.rows) else []
        return row[column_index] if column_index < len(row) else ""


@dataclass
class Workbook:
    path: Path
    sheets: dict[str, Sheet]  # keyed by normalised sheet name

    @property
    def file_name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(normalize_key(name))


def workbook_files(folder: Path) -> list[Path]:
    """The workbooks of a sheets folder, by name; lock files and dot files skipped."""
    return sorted(
        (path for path in folder.iterdir()
         if path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file()
         and not path.name.startswith(("~$", "."))),
        key=lambda path: path.name,
    )


def read_workbook(path: Path) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise WorkbookReadError(
            "password-protected",
            "パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。",
        ) from exc
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError, OSError,
            ValueError) as exc:
        if _looks_encrypted(path):
            raise WorkbookReadError(
                "password-protected",
                "パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。",
            ) from exc
        if zipfile.is_zipfile(path) or _starts_like_zip(path):
            raise WorkbookReadError(
                "corrupt-workbook",
                "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。",
            ) from exc
        raise WorkbookReadError(
            "unreadable-workbook",
            "Excel のブック（.xlsx）として読めません。Excel で開き、「名前を付けて保存」で .xlsx 形式を選んで保存し直してください。",
        ) from exc
    unsaved = _unsaved_formula_cells(path)
    sheets: dict[str, Sheet] = {}
    try:
        for name in book.sheet_names:
            raw = book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=False)
            sheets[normalize_key(name)] = Sheet(name=name, rows=rows, unsaved_formulas=unsaved.get(name, set()))
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as exc:
        raise WorkbookReadError(
            "corrupt-workbook",
            "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。",
        ) from exc
    finally:
        book.close()
    return Workbook(path=path, sheets=sheets)


def _looks_encrypted(path: Path) -> bool:
    # Password-protected .xlsx files are OLE compound files, not zips.
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and path.suffix.lower() in WORKBOOK_SUFFIXES


def _starts_like_zip(path: Path) -> bool:
    # A workbook cut short (an interrupted copy) has lost the zip directory at its end but
    # still starts like one: it is a corrupt workbook, not some other kind of file.
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_TEXT_TYPE = re.compile(rb'\bt="(?:str|inlineStr)"')


def _has_stored_value(attributes: bytes, body: bytes) -> bool:
    # openpyxl writes `<v />` for a formula it never calculated; Excel stores an empty text
    # result as an empty <v> on a cell of type "str", which is a real (empty) value.
    value = _VALUE.search(body)
    if value is None:
        return b"<is" in body
    return bool(value.group(1)) or bool(_TEXT_TYPE.search(attributes))


def _unsaved_formula_cells(path: Path) -> dict[str, set[str]]:
    """Cells holding a formula with no stored value, per sheet name."""
    found: dict[str, set[str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return found
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target") for rel in rels}
            for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
                target = targets.get(sheet.get(_REL_NS), "")
                member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                if member not in names:
                    continue
                xml = archive.read(member)
                if not _FORMULA.search(xml):
                    continue
                cells = set()
                for match in _CELL.finditer(xml):
                    body = match.group(2) or b""
                    if _FORMULA.search(body) and not _has_stored_value(match.group(1), body):
                        ref = _REF.search(match.group(1))
                        if ref:
                            cells.add(ref.group(1).decode())
                if cells:
                    found[sheet.get("name")] = cells
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return found  # calamine reports unreadable files; this scan is only a supplement
    return found
