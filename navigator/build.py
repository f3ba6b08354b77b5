"""read → validate → merge → render → write, and the accounting line."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from navigator.output import check_output_folder, write_site
from navigator.render import render_site
from navigator.validate import Accounting, Validation, validate_folder


@dataclass
class BuildResult:
    validation: Validation
    pages_written: int = 0  # HTML pages
    files_written: int = 0  # every file, pages included
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.validation.report.ok and self.validation.site is not None


def build(sheets: Path, out: Path, progress=None) -> BuildResult:
    """Validate every workbook, then render and swap the site in; on any error write nothing."""
    started = time.perf_counter()
    check_output_folder(out, sheets)
    validation = validate_folder(sheets, progress=progress)
    result = BuildResult(validation)
    if validation.report.ok and validation.site is not None:
        if progress:
            progress("ページを作成中")
        pages = render_site(validation.site)
        result.files_written = write_site(pages, out)
        result.pages_written = sum(1 for page in pages if page.path.endswith(".html"))
    result.seconds = time.perf_counter() - started
    return result


def accounting_line(accounting: Accounting) -> str:
    return (f"制度 {accounting.programs_read}件を読み込み: 公開 {accounting.published}、"
            f"非公開（公開=×）{accounting.unpublished}、エラーで除外 {accounting.rejected}"
            f"（部署 {accounting.departments}、ブック {accounting.workbooks}）")
