"""What a check gives back: its report, where every program row went, and the model when all is well."""

from __future__ import annotations

from dataclasses import dataclass, field

from navigator.contract.problems import Report
from navigator.model import (
    Site,
)


@dataclass
class Accounting:
    """Where every program row went: the identity read = published + unpublished + rejected holds."""

    programs_read: int = 0
    published: int = 0
    unpublished: int = 0
    rejected: int = 0  # rows reported as errors
    departments: int = 0
    workbooks: int = 0


@dataclass
class Validation:
    report: Report
    accounting: Accounting
    site: Site | None = None
    languages: list = field(default_factory=list)  # check/translations.LanguageCount, one per language


def accounting_line(accounting: Accounting) -> str:
    """`制度 66件を読み込み: 公開 64、非公開（公開=×）2、エラーで除外 0。部署 14・ブック 15`: the departments and
    workbooks read stand apart from the programs excluded (not read as excluded departments)."""
    return (f"制度 {accounting.programs_read}件を読み込み: 公開 {accounting.published}、"
            f"非公開（公開=×）{accounting.unpublished}、エラーで除外 {accounting.rejected}。"
            f"部署 {accounting.departments}・ブック {accounting.workbooks}")
