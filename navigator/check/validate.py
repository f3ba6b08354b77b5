"""Checks that turn workbook rows into model objects, or into problems: a folder, or one workbook.

Every check reports and goes on, so that one run shows every mistake in every workbook.
The site model is only assembled when no error was found (merge.py). The sheets' checks are
cells.py (shared), common.py (common.xlsx) and department.py (each department's workbook).
"""

from __future__ import annotations

import functools
from pathlib import Path

from navigator.check.accounting import Accounting, Validation
from navigator.check.common import Common, CommonReader
from navigator.check.department import DepartmentReader
from navigator.check.merge import merge
from navigator.check.translations import read_translation_rows
from navigator.contract import problem_kinds as kinds
from navigator.contract.problems import Report
from navigator.model import (
    Department,
    Program,
)
from navigator.read.folder import SheetsFolder
from navigator.read.workbook import Workbook, WorkbookReadError, read_workbook, unusable_files


def validate_folder(folder: Path, progress=None, cache=None, with_translations: bool = True) -> Validation:
    """Read and check every workbook of a sheets folder; build the model when all is well.

    `cache` (build.py's cache.WorkbookCache) replays the reading and checking of a workbook whose
    bytes are unchanged: the same problems, accounting and programs, without reading it again.
    Without `with_translations`, the 翻訳_<code>.xlsx are not read (navigator translate rewrites them).
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
    translations = list(sheets.translations) if with_translations else []
    read_translations = None
    if cache is not None:
        # A full build: the department and translation workbooks the cache lacks, checked on every core first.
        cache.prefetch(list(sheets.departments), common, _read_department, translations, read_translation_rows)
        read_translations = functools.partial(cache.translations, read=read_translation_rows)
    departments, programs, program_ids = _read_departments(list(sheets.departments), common, report, accounting,
                                                           progress, cache)
    return merge(report, accounting, common, departments, programs, program_ids, translations, read_translations)


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
    departments, programs, _ = _read_departments(department_files, common, report, accounting, progress)
    # Other departments' 制度ID are unknown here: documents' 発行する制度 are checked with the whole folder only.
    return merge(report, accounting, common, departments, programs)


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
                      progress, cache=None) -> tuple[list[Department], list[Program], dict[str, str]]:
    seen_ids: dict[str, str] = {}  # 制度ID (casefolded) → where it was first seen, across workbooks
    departments: list[Department] = []
    programs: list[Program] = []
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
    return departments, programs, seen_ids


def _read_department(path: Path, common: Common, seen_ids: dict[str, str], report: Report,
                     accounting: Accounting) -> tuple[Department | None, list[Program]]:
    workbook = _read(path, report)
    if workbook is None:
        return None, []
    department, programs = DepartmentReader(workbook, common, seen_ids, report, accounting).read()
    report.close_file(path.name)
    return department, programs


def _read(path: Path, report: Report) -> Workbook | None:
    try:
        return read_workbook(path)
    except WorkbookReadError as exc:
        report.add(exc.kind, file=path.name, sheet=exc.sheet, cell=exc.cell, **exc.values)
        return None
