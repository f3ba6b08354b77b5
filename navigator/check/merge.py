"""The accounting, and the site model in site order (分類, then workbook, then row) when no error was found."""

from __future__ import annotations

from navigator.check.accounting import Accounting, Validation
from navigator.check.common import Common
from navigator.contract.problems import Report
from navigator.model import (
    Department,
    Program,
    Site,
)


def merge(report: Report, accounting: Accounting, common: Common, departments: list[Department],
           programs: list[Program]) -> Validation:
    """The accounting, and the site model in site order (分類, then workbook, then row) when no error was found."""
    accounting.departments = len(departments)
    accounting.published = sum(1 for p in programs if p.published)
    accounting.unpublished = sum(1 for p in programs if not p.published)
    validation = Validation(report, accounting)
    if report.ok and common.settings is not None:
        order = {c.name: c.number for c in common.categories}
        in_site_order = sorted(programs, key=lambda p: (order[p.category], p.file, p.row))
        validation.site = Site(
            settings=common.settings,
            questions=tuple(common.questions),
            categories=tuple(common.categories),
            departments=tuple(departments),
            programs=tuple(p for p in in_site_order if p.published),
            unpublished=tuple(p for p in in_site_order if not p.published),
        )
    return validation
