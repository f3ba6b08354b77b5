"""read → validate → merge → render → write, and the accounting line."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from navigator.catalog import catalog
from navigator.diff import next_history, read_history
from navigator.output import BUILD_MARKER, OutputError, check_output_folder, write_site
from navigator.render import program_page, render_site
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


CHANGES_FILE = "changes.json"  # the 更新情報 history, carried over from the previous OUT


def build(sheets: Path, out: Path, progress=None, today: dt.date | None = None) -> BuildResult:
    """Validate every workbook, then render and swap the site in; on any error write nothing.

    `today` is the build date recorded in the 更新情報 history (default: NAVIGATOR_BUILD_DATE,
    else the local date); it is the only time-dependent value of the site.
    """
    started = time.perf_counter()
    check_output_folder(out, sheets)
    day = build_date(today)
    validation = validate_folder(sheets, progress=progress)
    result = BuildResult(validation)
    if validation.report.ok and validation.site is not None:
        if progress:
            progress("ページを作成中")
        site = validation.site
        history = next_history(read_history(_read_text(out / CHANGES_FILE)), previous_catalog(out),
                               catalog(site, program_page), day.isoformat(), [p.id for p in site.unpublished])
        pages = render_site(site, history=history)
        result.files_written = write_site(pages, out)
        result.pages_written = sum(1 for page in pages if page.path.endswith(".html"))
    result.seconds = time.perf_counter() - started
    return result


def build_date(today: dt.date | None = None) -> dt.date:
    if today is not None:
        return today
    value = os.environ.get("NAVIGATOR_BUILD_DATE", "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise OutputError(f"環境変数 NAVIGATOR_BUILD_DATE の「{value}」は日付として読めません。"
                          "2027-03-31 のように YYYY-MM-DD の形で指定してください。") from None


def previous_catalog(out: Path) -> dict | None:
    """The catalog.json of the site in OUT, or None (no previous site, or unreadable)."""
    try:
        data = json.loads(_read_text(out / BUILD_MARKER) or "null")
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("programs"), list) else None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def accounting_line(accounting: Accounting) -> str:
    return (f"制度 {accounting.programs_read}件を読み込み: 公開 {accounting.published}、"
            f"非公開（公開=×）{accounting.unpublished}、エラーで除外 {accounting.rejected}"
            f"（部署 {accounting.departments}、ブック {accounting.workbooks}）")
