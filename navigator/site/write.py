"""Writing the site so that a failed build leaves the previous one exactly as it was: the only writer.

The new site is written into a temporary folder beside OUT, then swapped in with two
renames; on any failure the temporary folder is removed and OUT is untouched. A full disk or
a folder that cannot be written is an OutputError with a Japanese message. SIGTERM (as from a
service manager) stops a build like Ctrl+C does, removing the temporary folder; neither signal
can cut the two renames apart. A temporary folder left by a build that was killed outright
(SIGKILL, a power cut) is removed by the next build into the same OUT.

Long: the temporary folder, what is kept of the previous site, the swap and the signals are one guarantee; split
into modules, each would hold half of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import gzip
import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: the writer needs none of the planning's imports
    from navigator.site.plan import Job

BUILD_MARKER = "catalog.json"  # a folder holding it was built by navigator and may be replaced


class OutputError(Exception):
    """OUT cannot be used; the message is for the user."""


class Interrupted(KeyboardInterrupt):
    """A build stopped by SIGTERM: like Ctrl+C's KeyboardInterrupt, it runs every cleanup on its way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()  # only it may set signal handlers


def _restore(signum: int, handler) -> None:
    signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextlib.contextmanager
def terminate_raises():
    """Within: SIGTERM raises Interrupted instead of ending the process where it stands."""
    if not _in_main_thread():
        yield
        return

    def stop(signum, frame):
        raise Interrupted(signum)

    if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:  # started to ignore it: it stays ignored
        yield
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        _restore(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held():
    """Within: SIGINT and SIGTERM wait; they are raised when the block is done."""
    if not _in_main_thread():
        yield
        return
    received: list[int] = []
    # a signal the build was started to ignore (a shell's background job ignores SIGINT) stays ignored
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) != signal.SIG_IGN}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            _restore(signum, handler)
    if received:
        raise KeyboardInterrupt() if received[0] == signal.SIGINT else Interrupted(received[0])


_WHY = {
    errno.ENOSPC: "ディスクの空き容量が足りません",
    errno.EDQUOT: "ディスクの使用量の上限（クォータ）を超えました",
    errno.EACCES: "書き込む権限がありません",
    errno.EPERM: "書き込む権限がありません",
    errno.EROFS: "読み取り専用の場所です",
    errno.ENAMETOOLONG: "フォルダの名前が長すぎます",
}


def write_error_message(error: OSError, out: Path) -> str:
    why = _WHY.get(error.errno) or error.strerror or type(error).__name__
    return (f"出力先「{out}」にサイトを書き込めませんでした（{why}）。書きかけのファイルは消し、前のサイトはそのまま残しています。"
            "原因を取り除いてから、もう一度実行してください。")


def check_output_folder(out: Path, sheets: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"出力先「{out}」はフォルダではなくファイルです。別の出力先を -o で指定してください。")
    resolved_out, resolved_sheets = out.resolve(), sheets.resolve()
    if resolved_out == resolved_sheets or resolved_out in resolved_sheets.parents:
        raise OutputError(f"出力先「{out}」にはシートのフォルダが含まれるため使えません。別の出力先を -o で指定してください。")
    if out.is_dir() and any(out.iterdir()) and not (out / BUILD_MARKER).is_file():
        raise OutputError(
            f"出力先「{out}」には navigator が作ったものではないファイルがあります（{BUILD_MARKER} がありません）。"
            "中身を置き換えないよう中止しました。空のフォルダか新しいフォルダを -o で指定してください。"
        )


# What the previous build wrote: path → (job key, sha256 of the bytes, file_state), kept by the build cache.
Manifest = dict[str, tuple[str | None, str, tuple | None]]


@dataclasses.dataclass
class Written:
    manifest: Manifest  # of the site now in OUT
    rendered: set[str]  # the paths rendered by this build (the others were kept from the previous site)


# Text files a host may serve precompressed (nginx gzip_static, brotli_static): `.gz` and `.br` beside each.
COMPRESSED_TYPES = (".html", ".js", ".css", ".json", ".svg", ".webmanifest", ".txt")
COMPRESSIONS = (".gz", ".br")


def compressed_copies(path: str) -> list[str]:
    """The precompressed files written beside `path` with --precompress (none for other kinds of file)."""
    return [path + suffix for suffix in COMPRESSIONS] if path.endswith(COMPRESSED_TYPES) else []


def compress(data: bytes, suffix: str, path: str = "") -> bytes:
    """The same bytes for the same input (no time or name in the gzip header)."""
    if suffix == ".gz":
        return gzip.compress(data, compresslevel=9, mtime=0)
    import brotli  # only a build with --precompress needs it

    # Quality 11 where it pays: the data files every resident downloads (results.*.js), a tenth smaller than
    # at 8 for a second or two; elsewhere quality 9 and above cost 10 ms or more per page, or seconds for
    # catalog.json and the list of programs on every edit, for 1 %; 8 takes 0.2 ms a page.
    quality = 11 if path.startswith("data/") and len(data) <= 4 << 20 else 8
    return brotli.compress(data, quality=quality)


def write_site(jobs: list[Job] | Planner, out: Path, previous: Manifest | None = None, run: Callable | None = None,
               precompress: bool = False) -> Written:
    """Write every job's file and put the new site in OUT, whole; on any failure OUT is as it was.

    A job whose key matches `previous` (the manifest of the site in OUT), and whose file in OUT is
    untouched since, is kept instead of rendered; every other job is rendered
    (`run(count, work, weights)` may share that out between processes), and kept too when
    its bytes turn out the same. A job with `after` is rendered last, given the sha256 of every
    other file (sw.js lists the build's files and is named by them).

    `jobs` may be a Planner instead: called once the temporary folder is there, it gives the jobs, and may render
    some of them itself beforehand, with the `make_early` it is given (in this process or a forked one; see Planner).

    The rendered files go into a temporary folder beside OUT. When OUT holds the previous site and
    few files change (an edit to one workbook: 17 of 10,000), only those are renamed into OUT, the
    files they replace moved aside until all are in (`_replace_in_place`); otherwise the kept files are
    hard-linked into the temporary folder and it is swapped in for OUT with two renames (`_swap`).
    Either way OUT ends holding exactly the jobs' files.

    With `precompress`, every text file gets a `.gz` and a `.br` copy beside it, in the manifest
    like any file (keyed by their source's sha256): made again when the source changes, kept
    when it did not, and gone with their source.
    """
    if not callable(jobs):
        _check_paths(jobs)
    previous = previous or {}
    run = run or (lambda count, work, weights: [work(index) for index in range(count)])
    given = out
    out = Path(out).absolute()
    hashes: dict[str, str] = {}
    keys: dict[str, str] = {}  # of the precompressed copies
    rendered: set[str] = set()
    staged: set[str] = set()  # written into the temporary folder
    kept: list[str] = []  # the previous site's file stands (its job's key or its bytes are the same)
    base = os.fspath(out) + os.sep  # base + a job's path (checked above) is os.path.join(out, path), made cheaper
    root = ""  # the temporary folder's, likewise, once it is made
    whole = False  # until told, after the rendering: a file kept now is linked in if the swap is whole
    folders: set[str] = set()  # made in the temporary folder

    def previous_if_same(path: str, key: str | None, sha: str | None) -> bool:
        entry = previous.get(path)
        if entry is None or (key is None or entry[0] != key) and (sha is None or entry[1] != sha):
            return False
        return file_state(base + path) == entry[2]

    def make_job(job: Job, render: Callable[[], str | bytes]) -> tuple[str, bool]:
        """The job's sha256, and whether its file was written (else the previous one stands). In a worker, maybe:
        what it tells is recorded by the caller."""
        content = render()
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        sha = job.sha256 or hashlib.sha256(data).hexdigest()  # a data file's is known: 35 MB at 10,000 programs
        if not whole and previous_if_same(job.path, None, sha):  # kept (linked in, once the swap is whole)
            return sha, False
        _write_file(root + job.path, data)
        return sha, True

    def make_early(job: Job) -> tuple[str, bool] | None:
        """make_job for a Planner: None when the previous site's file stands by its key (fill keeps it, as any)."""
        _check_paths([job])
        if job.after or job.key is not None and previous_if_same(job.path, job.key, None):
            return None
        folder = job.path.rpartition("/")[0]
        if folder and folder not in folders:  # in a forked worker, the same folder may be made by another: exist_ok
            os.makedirs(root + folder, exist_ok=True)
            folders.add(folder)
        return make_job(job, job.render)

    def fill(jobs: list[Job], early: dict[str, tuple[str, bool]]) -> bool:
        """The new files into the temporary folder; whether OUT is then swapped whole (else its changed files are
        replaced). `early`: what make_early made, by path."""
        nonlocal whole
        for folder in sorted({job.path.rpartition("/")[0] for job in jobs} - {""} - folders):
            os.makedirs(root + folder, exist_ok=True)
        pending, last = [], []
        for job in jobs:
            made = early.get(job.path)
            if made is not None:
                record(job, made)
            elif job.after:
                last.append(job)
            elif job.key is not None and previous_if_same(job.path, job.key, None):
                hashes[job.path] = previous[job.path][1]
                kept.append(job.path)
            else:
                pending.append(job)

        def make(index: int) -> tuple[str, bool]:
            return make_job(pending[index], pending[index].render)

        for job, made in zip(pending, run(len(pending), make, [job.weight for job in pending])):
            record(job, made)
        # Renaming each changed file, and the one it replaces, costs two renames; linking each kept one, one link
        # and one unlink (when the old folder goes): past a quarter changed, the whole swap is the cheaper.
        whole = present is None or len(staged) > len(jobs) // 4
        if whole:
            by_path = {job.path: job for job in jobs}
            for path in kept:
                if not _link_or_copy(base + path, root + path):  # gone meanwhile: made again, the same bytes
                    make_job(by_path[path], by_path[path].render)
                    rendered.add(path)
        made_before = dict(hashes)
        for job in last:
            record(job, make_job(job, functools.partial(job.render, made_before)))
        if precompress:
            compress_all(jobs)
        return whole

    def record(job: Job, made: tuple[str, bool]) -> None:
        hashes[job.path] = made[0]
        rendered.add(job.path)
        (staged.add if made[1] else kept.append)(job.path)

    def compress_all(jobs: list[Job]) -> None:
        todo = []
        for job in jobs:
            for copy in compressed_copies(job.path):
                key = f"{copy[-3:]}:{hashes[job.path]}"
                if previous_if_same(copy, key, None) and (not whole or _link_or_copy(base + copy, root + copy)):
                    hashes[copy], keys[copy] = previous[copy][1], key
                else:
                    todo.append((job.path, copy, key))

        def squeeze(index: int) -> str:
            source, copy, _ = todo[index]
            with open((root if whole or source in staged else base) + source, "rb") as handle:
                data = compress(handle.read(), copy[-3:], source)
            _write_file(root + copy, data)
            return hashlib.sha256(data).hexdigest()

        for (_, copy, key), sha in zip(todo, run(len(todo), squeeze, [1] * len(todo))):
            hashes[copy], keys[copy] = sha, key
            rendered.add(copy)
            staged.add(copy)

    with terminate_raises():
        staging = None
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(out)
            with _signals_held():  # a signal right after mkdir must still find `staging` set, to remove it
                staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent))
            root = os.fspath(staging) + os.sep
            early: dict[str, tuple[str, bool]] = {}
            if callable(jobs):
                jobs, early = jobs(make_early)
                _check_paths(jobs)
            wanted = [job.path for job in jobs]
            if early.keys() - set(wanted):  # a file in the temporary folder that no job names: it would be published
                raise ValueError(f"made early but not planned: {sorted(early.keys() - set(wanted))[:3]}")
            if precompress:
                wanted += [copy for path in wanted for copy in compressed_copies(path)]
            present = _files_if_replaceable(out, wanted) if previous else None  # None: OUT is swapped whole
            whole = fill(jobs, early)
            if whole:
                staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for a web server to read
                with _signals_held():  # the two renames go together
                    _swap(staging, out)
            else:
                with _signals_held():  # every file in, or none
                    _replace_in_place(staging, out, sorted(staged), sorted(present - set(wanted)))
                shutil.rmtree(staging, ignore_errors=True)  # its folders, emptied
        except BaseException as exc:
            if staging is not None:
                with _signals_held():  # a second Ctrl+C does not leave half a folder behind
                    shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise OutputError(write_error_message(exc, given)) from exc
            raise
    manifest = {job.path: (job.key, hashes[job.path], file_state(base + job.path)) for job in jobs}
    manifest.update({copy: (key, hashes[copy], file_state(base + copy)) for copy, key in keys.items()})
    return Written(manifest, rendered)


# Planner(make_early) -> (jobs, {path: what make_early gave}): see write_site. `make_early(job)` renders a job into the
# temporary folder, in this process or a forked one (it only writes a file, and gives what the caller must record:
# the sha256 and whether the file was written), or gives None when the previous site's file stands.
Planner = Callable[[Callable[["Job"], "tuple[str, bool] | None"]], "tuple[list[Job], dict[str, tuple[str, bool]]]"]


def _check_paths(jobs: list[Job]) -> None:
    for job in jobs:
        parts = job.path.split("/")
        if job.path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"page path outside the site: {job.path!r}")


def _files_if_replaceable(out: Path, wanted: list[str]) -> set[str] | None:
    """Every file in OUT (paths within it), when OUT is a folder whose files can be replaced one by one: not a link
    (that is replaced by a folder, whole), holding only files and folders, no folder where a file will be and no file
    where a folder will be (the swap puts the new site in whatever OUT holds)."""
    if out.is_symlink() or not out.is_dir():
        return None
    files: set[str] = set()
    folders = set()
    try:
        for path, entry in _entries(out):
            if entry.is_dir(follow_symlinks=False):
                folders.add(path)
            elif entry.is_file(follow_symlinks=False):
                files.add(path)
            else:
                return None  # a link, a pipe: the swap leaves no such thing
    except OSError:
        return None
    needed_folders = set()  # every folder a file will be in, and the folders around it
    for path in wanted:
        folder = path.rpartition("/")[0]
        while folder and folder not in needed_folders:
            needed_folders.add(folder)
            folder = folder.rpartition("/")[0]
    if folders.intersection(wanted) or not needed_folders.isdisjoint(files):
        return None
    return files


def _replace_in_place(staging: Path, out: Path, changed: list[str], removed: list[str]) -> None:
    """The CHANGED files of STAGING renamed into OUT and the REMOVED ones taken out of it, all or none: the files
    replaced or removed wait in a folder beside OUT (`.OUT.old-PID-…`) until every rename is done, and are put back
    on any failure. Folders left empty by REMOVED go too."""
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    root, base, held = os.fspath(staging) + os.sep, os.fspath(out) + os.sep, os.fspath(aside) + os.sep
    done: list[tuple[str, str]] = []  # renames made, (from, to), undone in reverse on failure
    made: list[str] = []  # folders made in OUT

    def move(source: str, target: str) -> None:
        os.rename(source, target)
        done.append((source, target))

    def aside_of(path: str) -> None:
        folder = path.rpartition("/")[0]
        if folder:
            os.makedirs(held + folder, exist_ok=True)
        move(base + path, held + path)

    def folders_for(path: str) -> None:
        missing, folder = [], path.rpartition("/")[0]
        while folder and not os.path.isdir(base + folder):
            missing.append(folder)
            folder = folder.rpartition("/")[0]
        for folder in reversed(missing):
            os.mkdir(base + folder)
            made.append(folder)

    try:
        for path in changed:
            if os.path.lexists(base + path):
                aside_of(path)
            else:
                folders_for(path)
            move(root + path, base + path)
        for path in removed:
            aside_of(path)
    except BaseException:
        for source, target in reversed(done):
            with contextlib.suppress(OSError):
                os.rename(target, source)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                os.rmdir(base + folder)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    for folder in sorted({path.rpartition("/")[0] for path in removed} - {""}, key=lambda f: f.count("/"), reverse=True):
        while folder:  # emptied by what was removed (a folder that still holds a file stays)
            try:
                os.rmdir(base + folder)
            except OSError:
                break
            folder = folder.rpartition("/")[0]
    shutil.rmtree(aside, ignore_errors=True)


def _write_file(target: str, data: bytes) -> None:
    with open(target, "wb") as handle:
        handle.write(data)


def file_state(path: Path | str) -> tuple[int, int, int, int] | None:
    """What the file system says of a file: a file changed in any way (even put back) no longer matches."""
    try:
        return _state(os.lstat(path))
    except OSError:
        return None


def _state(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _entries(out: Path):
    """(path within OUT, os.DirEntry) for everything in OUT, folders included, into every folder (not into a link).
    One scandir per folder and names joined as strings: at 10,000 pages this walk is most of a rebuild with nothing
    changed. An OSError (a folder gone or unreadable meanwhile) goes to the caller."""
    folders = [(os.fspath(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, path + "/"))
                yield path, entry


def site_as_written(out: Path, manifest: Manifest) -> bool:
    """Whether OUT holds exactly the files of the manifest, each untouched since it was written (anything else in it,
    a link included, is not as written)."""
    if not manifest:
        return False
    found = 0
    try:
        for path, entry in _entries(out):
            if entry.is_dir(follow_symlinks=False):
                continue
            recorded = manifest.get(path)
            if recorded is None or _state(entry.stat(follow_symlinks=False)) != recorded[2]:
                return False
            found += 1
    except OSError:  # a folder or file gone or unreadable meanwhile: not as written
        return False
    return found == len(manifest)


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


def _remove_leftovers(out: Path) -> None:
    """Temporary folders beside OUT left by builds that were killed outright (their process is gone)."""
    prefixes = (f".{out.name}.building-", f".{out.name}.old-")
    for path in out.parent.iterdir():
        prefix = next((p for p in prefixes if path.name.startswith(p)), None)
        if prefix is None:
            continue
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            _remove(path)


def _remove(path: Path) -> None:
    """A folder of ours, or a link (only the link: never what it points to)."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    _remove(retired)  # OUT as a link: the link is replaced by the new folder; its old target is kept
