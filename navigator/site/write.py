"""Writing the site so that a failed build leaves the previous one exactly as it was.

The new site is written into a temporary folder beside OUT, then swapped in with two
renames; on any failure the temporary folder is removed and OUT is untouched. A full disk or
a folder that cannot be written is an OutputError with a Japanese message. SIGTERM (as from a
service manager) stops a build like Ctrl+C does, removing the temporary folder; neither signal
can cut the two renames apart. A temporary folder left by a build that was killed outright
(SIGKILL, a power cut) is removed by the next build into the same OUT.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from navigator.site.render import Page

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
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
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


def write_site(pages: list[Page], out: Path, fill=None) -> int:
    """Write every page into OUT, replacing the previous site whole. Returns the number of files.

    `fill(staging)`, if given, puts more files into the new site's folder before the swap (build.py:
    files kept from the previous site by hard link, pages written by worker processes) and returns
    their number.
    """
    given = out
    out = Path(out).absolute()
    with terminate_raises():
        staging = None
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(out)
            with _signals_held():  # a signal right after mkdir must still find `staging` set, to remove it
                staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent))
            root = staging.resolve()
            for page in pages:
                target = (staging / page.path).resolve()
                if root not in target.parents:
                    raise ValueError(f"page path outside the site: {page.path!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_file(target, page.content)
            filled = fill(staging) if fill is not None else 0
            staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for a web server to read
            with _signals_held():  # the two renames go together
                _swap(staging, out)
        except BaseException as exc:
            if staging is not None:
                with _signals_held():  # a second Ctrl+C does not leave half a folder behind
                    shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise OutputError(write_error_message(exc, given)) from exc
            raise
    return len(pages) + filled


def _write_file(target: Path, content: str | bytes) -> None:
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


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
