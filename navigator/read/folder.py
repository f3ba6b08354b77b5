"""A sheets folder: its workbooks, the common.xlsx among them (or none), and the department workbooks.

Every command that looks for common.xlsx in a folder asks here, so that "which file is common.xlsx"
has one answer: a workbook named common.xlsx or common.xlsm (any case); the first by name is read,
and no file so named is ever read as a department's. Nor is a translation workbook, `翻訳_<code>.xlsx`
(contract/languages.py; its code is checked in check/translations.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from navigator.contract.languages import translation_file_code
from navigator.contract.sheets import COMMON_WORKBOOK_NAMES
from navigator.read.workbook import workbook_files


def is_common_workbook(path: Path) -> bool:
    return path.name.lower() in COMMON_WORKBOOK_NAMES


def is_translation_workbook(path: Path) -> bool:
    return translation_file_code(path.name) is not None


@dataclass(frozen=True)
class SheetsFolder:
    path: Path
    files: tuple[Path, ...]  # every workbook, by name (lock files and dot files skipped)

    @classmethod
    def of(cls, path: Path) -> SheetsFolder:
        return cls(path, tuple(workbook_files(path)))

    @property
    def commons(self) -> tuple[Path, ...]:
        return tuple(p for p in self.files if is_common_workbook(p))

    @property
    def common(self) -> Path | None:
        """The common.xlsx that is read, or None when the folder has none."""
        return next(iter(self.commons), None)

    @property
    def departments(self) -> tuple[Path, ...]:
        return tuple(p for p in self.files if not is_common_workbook(p) and not is_translation_workbook(p))

    @property
    def translations(self) -> tuple[Path, ...]:
        """Every 翻訳_<code>.xlsx, its code known or not."""
        return tuple(p for p in self.files if is_translation_workbook(p))
