"""A build: read → check → plan → write, composed; each step is a function of what the one before gave.

The steps live in their own places (check/, site/, incremental/); this module only passes their
results on, times them, and asks the cache what can be kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from navigator.check.accounting import Validation
from navigator.check.validate import collector_paused, validate_folder
from navigator.hashing import digest
from navigator.incremental.fingerprint import code_fingerprint
from navigator.incremental.replay import WorkbookCache
from navigator.incremental.store import BuildCache
from navigator.site.memo import ProgramDigests, RenderMemo
from navigator.site.write import OutputError, check_output_folder, site_as_written
from navigator.workers import Pool


class KeptValidation(Validation):
    """The last build's checking, given again when nothing it read has changed: its report, accounting and
    languages as they were; the site model made from the cache the first time `site` is asked for."""

    def __init__(self, report, accounting, languages, make_site) -> None:
        super().__init__(report, accounting, None, languages)
        self._make_site = make_site

    @property
    def site(self):
        if self._site is None and self._make_site is not None:
            self._site, self._make_site = self._make_site(), None
        return self._site

    @site.setter
    def site(self, value) -> None:
        self._site = value


@dataclass
class BuildResult:
    validation: Validation
    pages_written: int = 0  # HTML pages
    files_written: int = 0  # every file, pages included
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds by step (bench/run.py shows them)
    rendered: int = 0  # files rendered in this build (the others were kept from the previous site)
    forks: int = 0  # worker processes this build started

    @property
    def ok(self) -> bool:
        # A kept validation is the last good build's (its model is not made just to say so).
        return self.validation.report.ok and (isinstance(self.validation, KeptValidation)
                                              or self.validation.site is not None)


class _Phases(dict):
    """Seconds by step, each ended by `done(name)`."""

    def __init__(self) -> None:
        super().__init__()
        self.started = time.perf_counter()

    def done(self, phase: str) -> None:
        self[phase] = time.perf_counter() - self.started - sum(self.values())


def build(sheets: Path, out: Path, progress=None, today: dt.date | None = None, cache: bool = True,
          precompress: bool = False) -> BuildResult:
    """Validate every workbook, then render and swap the site in; on any error write nothing.

    `today` is the build date recorded in the 更新情報 history (default: NAVIGATOR_BUILD_DATE,
    else the local date); it is the only time-dependent value of the site.

    With `cache` (incremental/), work whose inputs are unchanged since the last build into OUT is
    skipped: unchanged workbooks are not read again (their problems are replayed), unchanged
    pages are hard-linked from the site in OUT instead of rendered, and when nothing at all
    changed and OUT is exactly as written, OUT is left as it is and the last build's report given again
    (no workbook is read; `validation.site` is made when first asked for). The result is byte for byte the
    site a build without cache writes (tests/test_incremental.py).

    `precompress` writes a `.gz` and a `.br` beside every text file (site/write.py), kept in step with it.
    """
    phases = _Phases()
    check_output_folder(out, sheets)
    day = build_date(today)
    pool = Pool()
    with collector_paused():
        code = code_fingerprint()
        store = BuildCache(out, code).load() if cache else None
        inputs = input_key(sheets, f"{code}:{precompress}") if store is not None else None
        outcome = store.state.get("outcome") if inputs is not None and inputs == store.state.get("inputs") else None
        if outcome is not None and site_as_written(out, store.manifest):
            # Nothing changed, not even a workbook: the last build's checking stands, and OUT is what this build
            # would write, byte for byte. No workbook is read or replayed (the model is made only if asked for).
            validation = KeptValidation(*outcome, lambda: validate_folder(sheets, cache=WorkbookCache(
                store.workbooks, code, Pool(), ProgramDigests())).site)
            manifest = store.manifest
            store.touch()
            phases.done("check site")
            return BuildResult(validation, pages_written=sum(1 for path in manifest if path.endswith(".html")),
                               files_written=len(manifest), seconds=time.perf_counter() - phases.started,
                               phases=phases)
        digests = ProgramDigests()
        workbooks = WorkbookCache(store.workbooks, code, pool, digests) if store is not None else None
        phases.done("cache")
        rendering = _Rendering(store, code, digests)
        validation = validate_folder(sheets, progress=progress, cache=workbooks, pool=pool, meanwhile=rendering.prepare)
        result = BuildResult(validation, phases=phases)
        phases.done("validate")
        if validation.report.ok and validation.site is not None:
            if progress:
                progress("ページを作成中")
            manifest = store.manifest if store is not None else {}
            memo, renderer = rendering.made()
            from navigator.site.assemble import write_new_site

            try:
                written, jobs, skeleton = write_new_site(
                    validation.site, out, manifest, memo, day, store.state.get("catalog") if store else None,
                    store.bytecode_folder if store is not None else None, pool.run, precompress, phases.done,
                    (lambda: store.write_memo_early(memo)) if store is not None else (lambda: None), renderer)
            except BaseException:
                if store is not None:
                    store.abandon()
                raise
            result.files_written = len(written.manifest)
            result.pages_written = sum(1 for job in jobs if job.path.endswith(".html"))
            result.rendered = len(written.rendered)
            if store is not None:
                store.save(inputs, written.manifest, workbooks.entries_to_keep(), memo, catalog=skeleton,
                           outcome=(validation.report, validation.accounting,
                                    [count.counted() for count in validation.languages]))
            phases.done("save cache")
    result.forks = pool.forks
    result.seconds = time.perf_counter() - phases.started
    return result


class _Rendering:
    """The rendering stack of a build that makes pages (jinja2, nh3, markdown: a site kept as it is needs none of
    it), with the memo and the Japanese site's renderer. `prepare()` makes them, their templates compiled, while the
    workers check the workbooks: the build process's share of that time, not the other core's idle time after it
    (and the workers forked for the pages have the templates). `made()`: them, made now if not made before."""

    def __init__(self, store: BuildCache | None, code: str, digests: ProgramDigests) -> None:
        self.store, self.code, self.digests = store, code, digests
        self._made = None

    def prepare(self, common) -> None:
        """Made now, with the interface catalogs of the languages that common.xlsx's 設定 lists (Babel reads each .po
        file in about 20 ms: not after the check, the other core idle)."""
        self.made()[1].load_templates()
        if common.settings is not None:
            from navigator.check.translations import published_languages
            from navigator.contract.problems import Report
            from navigator.site.interface import interface

            # 言語 read as the check reads it (its problems are the check's to report: not kept here).
            for code in published_languages(common.settings, None, Report()):
                interface(code)

    def made(self):
        if self._made is None:
            from navigator.site.environment import Renderer

            store = self.store
            memo = store.memo(self.digests) if store is not None else RenderMemo(self.code, digests=self.digests)
            self._made = memo, Renderer(memo, store.bytecode_folder if store is not None else None)
        return self._made


def input_key(sheets: Path, code: str) -> str:
    """The hash of everything validation reads from the sheets folder (and the code reading it): every entry's
    name and kind, and every workbook's bytes (other files by size and time)."""
    parts = [code]
    for entry in sorted(os.scandir(sheets), key=lambda e: e.name):
        try:
            is_file = entry.is_file()
            st = entry.stat() if is_file else None
        except OSError:
            is_file, st = False, None
        kind = f"{entry.is_symlink()}{entry.is_dir()}{is_file}"
        if is_file and entry.name.lower().endswith((".xlsx", ".xlsm")):
            try:
                with open(entry.path, "rb") as handle:
                    content = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                content = "unreadable"
        else:
            content = f"{st.st_size}:{st.st_mtime_ns}" if st else ""
        parts.append(f"{entry.name}\0{kind}\0{content}")
    return digest(*parts)


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
