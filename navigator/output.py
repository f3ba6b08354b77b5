"""Writing the site so that a failed build leaves the previous one exactly as it was.

The new site is written into a temporary folder beside OUT, then swapped in with two
renames; on any failure the temporary folder is removed and OUT is untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from navigator.render import Page

BUILD_MARKER = "catalog.json"  # a folder holding it was built by navigator and may be replaced


class OutputError(Exception):
    """OUT cannot be used; the message is for the user."""


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


def write_site(pages: list[Page], out: Path) -> int:
    """Write every page into OUT, replacing the previous site whole. Returns the number of files."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        for page in pages:
            target = (staging / page.path).resolve()
            if staging.resolve() not in target.parents:
                raise ValueError(f"page path outside the site: {page.path!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(page.content, bytes):
                target.write_bytes(page.content)
            else:
                target.write_text(page.content, encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for a web server to read
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(pages)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
