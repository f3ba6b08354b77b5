"""The accounting, and the site model in site order (分類, then workbook, then row) when no error was found."""

from __future__ import annotations

import dataclasses
import functools

from navigator.check.accounting import Accounting, Validation
from navigator.check.common import Common
from navigator.check.translations import check_translations, resident_texts
from navigator.contract import problem_kinds as kinds
from navigator.contract.problems import Report
from navigator.contract.text import lines, normalize_key, suggestion
from navigator.model import (
    Department,
    Document,
    Program,
    Site,
)


def merge(report: Report, accounting: Accounting, common: Common, departments: list[Department],
          programs: list[Program], program_ids: dict[str, str] | None = None, translation_files=(),
          read_translations=None) -> Validation:
    """The accounting, and the site model in site order (分類, then workbook, then row) when no error was found.

    `program_ids`: every 制度ID read (casefolded), rejected rows' too, when every department was read (a
    folder): then each document's 発行する制度 is checked against them. `translation_files`: the folder's
    翻訳_<code>.xlsx, checked once the rest is free of errors (check/translations.py), each read by
    `read_translations` (default: check/translations.py's read_translation_rows).
    """
    if program_ids is not None:
        _check_issuing_programs(report, common, program_ids)
    counter_order = _counter_order(report if program_ids is not None else None, common, departments)
    accounting.departments = len(departments)
    accounting.published = sum(1 for p in programs if p.published)
    accounting.unpublished = sum(1 for p in programs if not p.published)
    if program_ids is not None and accounting.published == 0 and report.ok:  # a folder whose site would list nothing
        if accounting.programs_read:
            report.add(kinds.NOTHING_PUBLISHED, read=accounting.programs_read)
        else:
            report.add(kinds.NOTHING_PUBLISHED.variant("no-programs"))
    order = {c.name: c.number for c in common.categories}
    in_site_order = sorted(programs, key=lambda p: (order.get(p.category, 0), p.file, p.row))
    texts = None  # listed only when a language is there to count
    if report.ok and common.settings is not None:
        texts = functools.partial(resident_texts, common.settings, common.questions, common.categories, departments,
                                  [p for p in in_site_order if p.published], common.documents)
    counts = check_translations(report, common.settings, common.languages_cell, texts, translation_files,
                                read_translations)
    validation = Validation(report, accounting, languages=counts)
    if report.ok and common.settings is not None:
        validation.site = Site(
            settings=common.settings,
            questions=tuple(common.questions),
            categories=tuple(common.categories),
            departments=tuple(departments),
            programs=tuple(p for p in in_site_order if p.published),
            unpublished=tuple(p for p in in_site_order if not p.published),
            documents=_issued_by_as_spelled(common.documents, programs),
            translations={c.code: c.translations for c in counts if c.published},
            terms=tuple(common.terms),
            counter_order=counter_order,
        )
    return validation


def _issued_by_as_spelled(documents: list[Document], programs: list[Program]) -> tuple[Document, ...]:
    """Each 発行する制度 spelled as its program's 制度ID (they compare casefolded), so that both runtimes match it as is."""
    spelled = {p.id.casefold(): p.id for p in programs}
    return tuple(dataclasses.replace(d, issued_by=spelled.get(d.issued_by.casefold(), d.issued_by)) if d.issued_by else d
                 for d in documents)


def _counter_order(report: Report | None, common: Common, departments: list[Department]) -> tuple[str, ...]:
    """設定's 窓口の順番 as the departments' own 部署名; with `report` (a folder: every department known), each line
    naming no department is a warning."""
    if common.settings is None:
        return ()
    names = {normalize_key(d.name): d.name for d in departments}
    order = []
    for line in lines(common.settings.counter_order):
        if normalize_key(line) in names:
            order.append(names[normalize_key(line)])
        elif report is not None and common.counter_order_cell is not None:
            file, sheet, cell = common.counter_order_cell
            report.add(kinds.UNKNOWN_COUNTER_DEPARTMENT, file=file, sheet=sheet, cell=cell, name=line,
                       suggestion=suggestion(line, list(names.values())))
    return tuple(order)


def _check_issuing_programs(report: Report, common: Common, program_ids: dict[str, str]) -> None:
    known = [p for p in program_ids]
    for document in common.documents:
        if document.issued_by and document.issued_by.casefold() not in program_ids:
            file, sheet, cell = common.issued_by_cells[document.name]
            report.add(kinds.UNKNOWN_ISSUING_PROGRAM, file=file, sheet=sheet, cell=cell, name=document.name,
                       program_id=document.issued_by, suggestion=suggestion(document.issued_by.casefold(), known))
