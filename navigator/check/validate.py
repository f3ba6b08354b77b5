"""Checks that turn workbook rows into model objects, or into problems: a folder, or one workbook.

Every check reports and goes on, so that one run shows every mistake in every workbook.
The site model is only assembled when no error was found (merge.py). The sheets' checks are
cells.py (shared), common.py (common.xlsx) and department.py (each department's workbook).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
from collections.abc import Callable
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
from navigator.workers import Pool


def validate_folder(folder: Path, progress=None, cache=None, with_translations: bool = True,
                    pool: Pool | None = None, meanwhile: Callable[[Common], None] | None = None) -> Validation:
    """Read and check every workbook of a sheets folder; build the model when all is well.

    `cache` (build.py's cache.WorkbookCache) replays the reading and checking of a workbook whose
    bytes are unchanged: the same problems, accounting and programs, without reading it again.
    Without a cache, a `pool` checks the workbooks on every core first, each on its own, and they are
    taken in their turn (`take_alone`): the same report as checking them one by one.
    Without `with_translations`, the 翻訳_<code>.xlsx are not read (navigator translate rewrites them).
    `meanwhile(common)`: done in this process while the workers check, if they do (Pool.run's), given common.xlsx as
    read (a build prepares its pages, in the languages of 設定's 言語).
    """
    with collector_paused():  # the programs' objects live to the end: passes over them would find nothing
        return _validate_folder(folder, progress, cache, with_translations, pool, meanwhile)


def _validate_folder(folder: Path, progress, cache, with_translations: bool, pool: Pool | None,
                     meanwhile: Callable[[Common], None] | None) -> Validation:
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
    ready = functools.partial(meanwhile, common) if meanwhile is not None else None
    checked: dict[Path, tuple] = {}
    if cache is not None:
        # A full build: the department and translation workbooks the cache lacks, checked on every core first.
        cache.prefetch(list(sheets.departments), common, _read_department, translations, read_translation_rows, ready)
        read_translations = functools.partial(cache.translations, read=read_translation_rows)
    elif pool is not None:
        checked, read_translations = _check_on_every_core(list(sheets.departments), translations, common, pool, ready)
    departments, programs, program_ids = _read_departments(list(sheets.departments), common, report, accounting,
                                                           progress, cache, checked)
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
                      progress, cache=None, checked: dict[Path, tuple] | None = None,
                      ) -> tuple[list[Department], list[Program], dict[str, str]]:
    seen_ids: dict[str, str] = {}  # 制度ID (casefolded) → where it was first seen, across workbooks
    departments: list[Department] = []
    programs: list[Program] = []
    for path in paths:
        if progress:
            progress(path.name)
        if cache is not None:
            department, found = cache.department(path, common, seen_ids, report, accounting, _read_department)
        elif checked and path in checked:
            department, found = take_alone(checked.pop(path), path, common, seen_ids, report, accounting)
        else:
            department, found = _read_department(path, common, seen_ids, report, accounting)
        if department is not None:
            departments.append(department)
        programs.extend(found)
    return departments, programs, seen_ids


@contextlib.contextmanager
def collector_paused():
    """Reading sheets and building a site make millions of objects and no cycles worth collecting: the cycle
    collector only costs time (unpickling 5,000 programs a worker checked: 0.34 s with it, 0.08 s without)."""
    enabled = gc.isenabled()
    if enabled:
        gc.unfreeze()  # what an earlier build left frozen (below) may be collected again, now that it may be garbage
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Frozen, what was made meanwhile is not gone over by the first collection after (all of it young: at
            # 10,000 programs that collection took 0.17 s, found nothing, and came right at the end of a build).
            gc.freeze()
            gc.enable()


def check_alone(path: Path, common: Common, read=None) -> tuple:
    """A department workbook read and checked on its own, as if it were the first: its problems, department,
    programs, accounting and 制度ID, for `take_alone` to take in its turn (in this process or another)."""
    own_report, own_accounting, own_ids = Report(), Accounting(), {}
    department, programs = (read or _read_department)(path, common, own_ids, own_report, own_accounting)
    return own_report.problems, department, programs, own_accounting, own_ids


def translations_alone(path: Path, read=read_translation_rows) -> tuple:
    """A 翻訳 workbook read on its own: its problems and rows, to be replayed in its turn."""
    own = Report()
    rows = read(path, own)
    return own.problems, rows


def take_alone(checked: tuple, path: Path, common: Common, seen_ids: dict[str, str], report: Report,
               accounting: Accounting, read=None) -> tuple[Department | None, list[Program]]:
    """What `check_alone` gave, taken in the workbook's turn: the same as checking it here, unless one of its 制度ID
    was in an earlier workbook; then it is checked again where it stands, so that the duplicate is reported as ever."""
    problems, department, programs, own_accounting, own_ids = checked
    if any(program_id in seen_ids for program_id in own_ids):
        return (read or _read_department)(path, common, seen_ids, report, accounting)
    report.replay(problems)
    for counter in dataclasses.fields(accounting):
        setattr(accounting, counter.name, getattr(accounting, counter.name) + getattr(own_accounting, counter.name))
    seen_ids.update(own_ids)
    return department, programs


def _check_on_every_core(paths: list[Path], translation_paths: list[Path], common: Common, pool: Pool,
                         meanwhile: Callable[[], None] | None = None):
    """The department workbooks checked alone and the translation workbooks read, shared between the processes of
    `pool`, the largest first; what each gave, and a reader of translations that replays them (merge.py's)."""
    work = sorted([(path, True) for path in paths] + [(path, False) for path in translation_paths],
                  key=lambda item: -_size(item[0]))
    weights = [1 + _size(path) // 200 for path, _ in work]  # about one per program page's rendering time, as the build
    if len(work) < 2 or not pool.would_share(weights):
        return {}, None

    def check(index: int) -> tuple | None:
        path, is_department = work[index]
        try:
            return check_alone(path, common) if is_department else translations_alone(path)
        except Exception:  # noqa: BLE001 - checked again in its turn, where it fails as it would have
            return None

    results = dict(zip(work, pool.run(len(work), check, weights, meanwhile=meanwhile)))
    departments = {path: found for (path, is_department), found in results.items() if is_department and found}
    translations = {path: found for (path, is_department), found in results.items() if not is_department and found}

    def read_translations(path: Path, report: Report):
        found = translations.pop(path, None)
        if found is None:
            return read_translation_rows(path, report)
        problems, rows = found
        report.replay(problems)
        return rows

    return departments, read_translations


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
