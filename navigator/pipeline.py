"""A build: read → check → plan → write, composed; each step is a function of what the one before gave.

The steps live in their own places (check/, site/, incremental/); this module only passes their
results on, times them, and asks the cache what can be kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
from navigator.model import Site
from navigator.site.catalog import catalog, program_data
from navigator.site.changes import next_history, read_history
from navigator.site.data import prepare_fragments
from navigator.site.edition import edition
from navigator.site.environment import Renderer
from navigator.site.interface import interface
from navigator.site.memo import ProgramDigests, RenderMemo
from navigator.site.pages import program_page
from navigator.site.plan import site_jobs
from navigator.site.ruby import Furigana
from navigator.site.write import BUILD_MARKER, Manifest, OutputError, check_output_folder, file_state, site_as_written, write_site
from navigator.workers import Pool


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
        return self.validation.report.ok and self.validation.site is not None


CHANGES_FILE = "changes.json"  # the 更新情報 history, carried over from the previous OUT


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
    changed and OUT is exactly as written, OUT is left as it is. The result is byte for byte the
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
        digests = ProgramDigests()
        workbooks = WorkbookCache(store.workbooks, code, pool, digests) if store is not None else None
        phases.done("cache")
        validation = validate_folder(sheets, progress=progress, cache=workbooks, pool=pool)
        result = BuildResult(validation, phases=phases)
        phases.done("validate")
        if validation.report.ok and validation.site is not None:
            if progress:
                progress("ページを作成中")
            manifest = store.manifest if store is not None else {}
            if inputs is not None and inputs == store.state.get("inputs") and site_as_written(out, manifest):
                # Nothing changed: the site in OUT is what this build would write, byte for byte.
                result.files_written = len(manifest)
                result.pages_written = sum(1 for path in manifest if path.endswith(".html"))
                store.touch()
                phases.done("check site")
            else:
                site = validation.site
                memo = store.memo(digests) if store is not None else RenderMemo(code, digests=digests)
                skeleton = catalog_skeleton(site, memo)
                history = _history(out, manifest, store, memo, site, skeleton, day)
                phases.done("history")
                bytecode = store.bytecode_folder if store is not None else None
                renderer = Renderer(memo, bytecode)
                prepare_fragments(site, renderer, pool.run)  # the program parts of results.js, catalog.json
                editions = language_editions(site, renderer, bytecode)
                for edition_site, edition_renderer in editions:
                    prepare_fragments(edition_site, edition_renderer, pool.run)
                phases.done("data")
                jobs = site_jobs(site, renderer, history=history, editions=editions)
                phases.done("plan")
                written = write_site(jobs, out, manifest, pool.run, precompress)
                phases.done("render and write")
                result.files_written = len(written.manifest)
                result.pages_written = sum(1 for job in jobs if job.path.endswith(".html"))
                result.rendered = len(written.rendered)
                if store is not None:
                    store.save(inputs, written.manifest, workbooks.entries_to_keep(), memo, catalog=skeleton)
                phases.done("save cache")
    result.forks = pool.forks
    result.seconds = time.perf_counter() - phases.started
    return result


def language_editions(site: Site, renderer: Renderer, bytecode: Path | None) -> list[tuple[Site, Renderer]]:
    """The site in each language of 設定's 言語 (site/edition.py), each with its renderer: its pages go under <code>/."""
    editions = []
    for code in site.translations:
        language = interface(code)
        furigana = Furigana.from_terms(site.terms) if code == "easy" else None
        editions.append((edition(site, language),
                         Renderer(renderer.memo, bytecode, language, renderer.markdown, furigana)))
    return editions


def _history(out: Path, manifest: Manifest, store: BuildCache | None, memo: RenderMemo, site: Site, skeleton: dict,
             day: dt.date) -> list[dict]:
    """The 更新情報 history with this build's entry: the previous catalog against the new one (only the programs
    that differ, when the cache tells which)."""
    old, new = changed_catalogs(out, manifest, store.state.get("catalog") if store else None, skeleton, site, memo)
    if old is None:
        old = previous_catalog(out)
        # Without a previous catalog the history only counts the programs (公開開始): no need to assemble a whole one.
        new = catalog(site, program_page) if old is not None else {"programs": site.programs}
    return next_history(read_history(_read_text(out / CHANGES_FILE)), old, new, day.isoformat(),
                        [p.id for p in site.unpublished])


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


def catalog_skeleton(site: Site, memo: RenderMemo) -> dict:
    """What catalog.json is made of: the departments, and each program by the key of its part (in the memo)."""
    return {"departments": [d.name for d in site.departments],
            "programs": [(p.id, memo.key("catalog", p)) for p in site.programs]}


def changed_catalogs(out: Path, manifest: Manifest, before: dict | None, now: dict, site: Site,
                     memo: RenderMemo) -> tuple[dict | None, dict | None]:
    """The previous and the new catalog with only the programs that differ (diff.py finds the same changes in
    them as in the whole catalogs: unchanged programs make none, and the order of the others is kept), or
    (None, None) when the catalog.json in OUT is not the one the cache describes."""
    entry = manifest.get(BUILD_MARKER)
    if not isinstance(before, dict) or entry is None or file_state(out / BUILD_MARKER) != entry[2]:
        return None, None
    now_keys = dict(now["programs"])
    before_keys = dict(before["programs"])
    old_programs = []
    for program_id, key in before["programs"]:
        if now_keys.get(program_id) != key:
            text = memo.fragments.get(key)
            if text is None:
                return None, None
            old_programs.append(json.loads(text))
    new_programs = [program_data(p, program_page(p)) for p in site.programs if before_keys.get(p.id) != now_keys[p.id]]
    return ({"departments": [{"name": name} for name in before["departments"]], "programs": old_programs},
            {"departments": [{"name": name} for name in now["departments"]], "programs": new_programs})


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
