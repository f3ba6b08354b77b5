"""read → validate → merge → render → write, and the accounting line."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from navigator.check.validate import Accounting, Validation, validate_folder
from navigator.incremental import pool as workers
from navigator.incremental.store import BuildCache, WorkbookCache, digest, file_state, fingerprint
from navigator.site import render
from navigator.site import write as output
from navigator.site.catalog import catalog, program_data
from navigator.site.changes import next_history, read_history
from navigator.site.render import Job, program_page, site_jobs
from navigator.site.write import BUILD_MARKER, OutputError, check_output_folder, write_site


@dataclass
class BuildResult:
    validation: Validation
    pages_written: int = 0  # HTML pages
    files_written: int = 0  # every file, pages included
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds by step (bench/run.py shows them)
    rendered: int = 0  # files rendered in this build (the others were kept from the previous site)

    @property
    def ok(self) -> bool:
        return self.validation.report.ok and self.validation.site is not None


CHANGES_FILE = "changes.json"  # the 更新情報 history, carried over from the previous OUT


def build(sheets: Path, out: Path, progress=None, today: dt.date | None = None, cache: bool = True) -> BuildResult:
    """Validate every workbook, then render and swap the site in; on any error write nothing.

    `today` is the build date recorded in the 更新情報 history (default: NAVIGATOR_BUILD_DATE,
    else the local date); it is the only time-dependent value of the site.

    With `cache` (cache.py), work whose inputs are unchanged since the last build into OUT is
    skipped: unchanged workbooks are not read again (their problems are replayed), unchanged
    pages are hard-linked from the site in OUT instead of rendered, and when nothing at all
    changed and OUT is exactly as written, OUT is left as it is. The result is byte for byte the
    site a build without cache writes (tests/test_incremental.py).
    """
    started = time.perf_counter()
    check_output_folder(out, sheets)
    day = build_date(today)
    phases: dict[str, float] = {}

    def done(phase: str) -> None:
        phases[phase] = time.perf_counter() - started - sum(phases.values())

    with _collector_paused():
        store = BuildCache(out).load() if cache else None
        inputs = input_key(sheets) if store is not None else None
        workbooks = WorkbookCache(store.workbooks) if store is not None else None
        done("cache")
        validation = validate_folder(sheets, progress=progress, cache=workbooks)
        result = BuildResult(validation, phases=phases)
        done("validate")
        if validation.report.ok and validation.site is not None:
            if progress:
                progress("ページを作成中")
            manifest = store.manifest if store is not None else {}
            if inputs is not None and inputs == store.state.get("inputs") and site_as_written(out, manifest):
                # Nothing changed: the site in OUT is what this build would write, byte for byte.
                result.files_written = len(manifest)
                result.pages_written = sum(1 for path in manifest if path.endswith(".html"))
                store.touch()
                done("check site")
            else:
                site = validation.site
                if store is not None:
                    store.load_fragments()
                skeleton = catalog_skeleton(site)
                old, new = changed_catalogs(out, manifest, store.state.get("catalog") if store else None, skeleton, site)
                if old is None:
                    old, new = previous_catalog(out), catalog(site, program_page)
                history = next_history(read_history(_read_text(out / CHANGES_FILE)), old, new, day.isoformat(),
                                       [p.id for p in site.unpublished])
                done("history")
                if store is not None:
                    render.KNOWN_TEMPLATE_VARIABLES.update(store.template_variables)
                env = render.make_environment(store.bytecode_folder if store is not None else None)
                render.prepare_fragments(site, env, workers.run)  # the program parts of results.js, catalog.json
                done("data")
                jobs = site_jobs(site, env, history=history)
                done("plan")
                new_manifest = write_jobs(jobs, out, manifest)
                done("render and write")
                result.files_written = len(jobs)
                result.pages_written = sum(1 for job in jobs if job.path.endswith(".html"))
                result.rendered = sum(1 for path, entry in new_manifest.items() if entry[3])
                if store is not None:
                    store.save(inputs, {path: entry[:3] for path, entry in new_manifest.items()},
                               workbooks.entries_to_keep(), catalog=skeleton,
                               variables=dict(render.KNOWN_TEMPLATE_VARIABLES))
                done("save cache")
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def _collector_paused():
    """A build makes millions of objects and no cycles worth collecting: the cycle collector only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    fingerprint.cache_clear()  # templates edited since the last build (under `navigator serve`) count
    render.start_of_build(fingerprint())
    try:
        yield
    finally:
        render.end_of_build()
        if enabled:
            gc.enable()


def input_key(sheets: Path) -> str:
    """The hash of everything validation reads from the sheets folder: every entry's name and kind,
    and every workbook's bytes (other files by size and time)."""
    parts = [fingerprint()]
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


def site_as_written(out: Path, manifest: dict) -> bool:
    """Whether OUT holds exactly the files of the manifest, each untouched since it was written."""
    if not manifest:
        return False
    found = 0
    for folder, _, files in os.walk(out):
        for name in files:
            path = os.path.join(folder, name)
            entry = manifest.get(os.path.relpath(path, out).replace(os.sep, "/"))
            if entry is None or file_state(Path(path)) != entry[2]:
                return False
            found += 1
    return found == len(manifest)


def write_jobs(jobs: list[Job], out: Path, manifest: dict) -> dict:
    """Write the site through output.write_site (staging folder, atomic swap), rendering only what changed.

    A job whose key matches the manifest's, and whose file in OUT is untouched, is hard-linked from
    OUT; every other job is rendered (on every core), and hard-linked too when its bytes turn out
    the same. Returns the new manifest, each entry with whether the file was rendered.
    """
    out = Path(out)
    for job in jobs:
        parts = job.path.split("/")
        if job.path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"page path outside the site: {job.path!r}")
    hashes: dict[str, str] = {}
    rendered: set[str] = set()

    base = os.fspath(out) + os.sep  # base + a job's path (checked above) is os.path.join(out, path), made cheaper

    def previous_if_same(path: str, key: str | None, sha: str | None) -> bool:
        entry = manifest.get(path)
        if entry is None or (key is None or entry[0] != key) and (sha is None or entry[1] != sha):
            return False
        return file_state(base + path) == entry[2]

    def fill(staging: Path) -> int:
        root = os.fspath(staging) + os.sep
        for folder in sorted({job.path.rpartition("/")[0] for job in jobs} - {""}):
            os.makedirs(root + folder, exist_ok=True)
        pending = []
        for job in jobs:
            if (job.key is not None and previous_if_same(job.path, job.key, None)
                    and _link_or_copy(base + job.path, root + job.path)):
                hashes[job.path] = manifest[job.path][1]
            else:
                pending.append(job)

        def make(index: int) -> str:
            job = pending[index]
            content = job.render()
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            sha = hashlib.sha256(data).hexdigest()
            target = root + job.path
            if not (previous_if_same(job.path, None, sha) and _link_or_copy(base + job.path, target)):
                output._write_file(Path(target), data)  # output.py's writer, as for every page
            return sha

        for job, sha in zip(pending, workers.run(len(pending), make, [job.weight for job in pending])):
            hashes[job.path] = sha
            rendered.add(job.path)
        return len(jobs)

    write_site([], out, fill=fill)
    return {job.path: (job.key, hashes[job.path], file_state(base + job.path), job.path in rendered)
            for job in jobs}


def _link_or_copy(source: str, target: str) -> bool:
    """The previous site's file into the new one; False when it cannot be had (gone meanwhile): render it then."""
    try:
        os.link(source, target)
    except OSError:
        try:
            shutil.copy2(source, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(target)
            return False
    return True


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


def catalog_skeleton(site) -> dict:
    """What catalog.json is made of: the departments, and each program by the key of its part (render.FRAGMENTS)."""
    return {"departments": [d.name for d in site.departments],
            "programs": [(p.id, render.fragment_key("catalog", p)) for p in site.programs]}


def changed_catalogs(out: Path, manifest: dict, before: dict | None, now: dict, site) -> tuple[dict | None, dict | None]:
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
            text = render.FRAGMENTS.get(key)
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


def accounting_line(accounting: Accounting) -> str:
    return (f"制度 {accounting.programs_read}件を読み込み: 公開 {accounting.published}、"
            f"非公開（公開=×）{accounting.unpublished}、エラーで除外 {accounting.rejected}"
            f"（部署 {accounting.departments}、ブック {accounting.workbooks}）")
