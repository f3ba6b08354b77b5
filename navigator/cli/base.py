"""What every command shares: the group, Japanese usage errors, progress, problems printed, `main`.

Exit codes: 0 success, 1 problems in the sheets, 2 wrong usage of the command.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from navigator import __version__
from navigator.check.accounting import Validation, accounting_line
from navigator.check.validate import validate_folder
from navigator.contract.text import normalize_key, suggestion
from navigator.workers import Pool

if TYPE_CHECKING:
    from navigator.model import Site

# click's own words (help headings, the --help and --version options) in Japanese. click looks
# them up through each module's `_` (gettext) at call time, so a small table is enough.
_CLICK_WORDS = {
    "Usage:": "使い方:",
    "Options": "オプション",
    "Commands": "コマンド",
    "Show this message and exit.": "このヘルプを表示して終了します。",
    "Show the version and exit.": "バージョンを表示して終了します。",
    "default: {default}": "省略時: {default}",
    "Aborted!": "中断しました。",
}
for _module in (click.core, click.formatting, click.decorators):
    _module._ = lambda text: _CLICK_WORDS.get(text, text)  # noqa: E731

DEFAULT_SHEETS = "sheets"
DEFAULT_OUT = "build"


class SheetsProblem(click.ClickException):
    """Problems in the sheets (exit 1); the problems themselves are already printed."""

    exit_code = 1


class JapaneseUsageError(click.UsageError):
    exit_code = 2


class NavigatorGroup(click.Group):
    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and self.get_command(ctx, name) is None and not name.startswith("-"):
            raise JapaneseUsageError(
                f"コマンド「{name}」はありません。使えるコマンドは {', '.join(self.list_commands(ctx))} です"
                f"{suggestion(name, self.list_commands(ctx))}。", ctx)
        return super().resolve_command(ctx, args)


def day_from_option(today: str | None) -> dt.date:
    """The day of a --today option (2026-08-01, full-width digits too), or today."""
    if today is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(normalize_key(today))
    except ValueError:
        raise JapaneseUsageError(f"--today の「{today}」が日付として読めません。2026-08-01 の形で指定してください。") from None


def sheets_folder(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise JapaneseUsageError(f"シートのフォルダ「{value}」がありません。フォルダの場所を確かめてください。")
    if not path.is_dir():
        raise JapaneseUsageError(f"「{value}」はフォルダではありません。ブックの入ったフォルダを指定してください。")
    try:
        next(path.iterdir(), None)
    except OSError as exc:
        raise JapaneseUsageError(f"シートのフォルダ「{value}」を読めません（{exc.strerror}）。フォルダのアクセス権を確かめてください。") from None
    return path


def progress_printer():
    """A one-line progress display on a terminal; nothing when output is not a TTY."""
    if not sys.stderr.isatty():
        return None

    def show(step: str) -> None:
        sys.stderr.write(f"\r\033[K処理中: {step}")
        sys.stderr.flush()

    return show


def clear_progress(progress) -> None:
    if progress:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def print_problems(validation: Validation) -> None:
    for problem in validation.report.problems:
        click.echo(str(problem))


def valid_site(sheets_dir: str, refusal: str, as_json: bool = False) -> Site:
    """The site model of the sheets; if they have errors, the errors are printed and the command stops with `refusal`."""
    validation = validate_folder(sheets_folder(sheets_dir), pool=Pool())  # the workbooks checked on every core
    if validation.site is None:
        if as_json:
            click.echo(validation.report.to_json())
        else:
            print_problems(validation)
            click.echo(summary_line(validation))
        raise SheetsProblem(refusal)
    return validation.site


def summary_line(validation: Validation) -> str:
    report = validation.report
    verdict = "問題はありません" if not report.problems else f"エラー {len(report.errors)}件、警告 {len(report.warnings)}件"
    return f"{verdict}。{accounting_line(validation.accounting)}"


@click.group(cls=NavigatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="予期しないエラーのときに詳しい情報（トレースバック）を表示します。")
@click.version_option(__version__, prog_name="navigator")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """各課の Excel シートから支援制度ナビのサイトを作ります。

    \b
    例:
      navigator check              sheets/ のブックを確認する
      navigator build              sheets/ から build/ にサイトを作る
      navigator serve              サイトを表示し、ブックを保存するたびに作り直す
      navigator template 福祉課    新しい課のブックを作る
      navigator match --answer 住家被害=全壊
    """
    ctx.obj = {"debug": debug}



def _print_error(message: str) -> None:
    click.echo(f"エラー: {message}", err=True)


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, JapaneseUsageError):
        return exc.message
    if isinstance(exc, click.NoSuchOption):
        hint = f"（もしかして「{sorted(exc.possibilities)[0]}」？）" if exc.possibilities else ""
        return f"オプション「{exc.option_name}」はありません{hint}。"
    # MissingParameter is a kind of BadParameter: ask it first.
    if isinstance(exc, click.MissingParameter):
        name = exc.param.opts[0] if exc.param is not None and getattr(exc.param, "opts", None) else "値"
        return f"{name} を指定してください。"
    if isinstance(exc, click.BadParameter):
        name = exc.param.opts[0] if exc.param is not None and getattr(exc.param, "opts", None) else "値"
        choices = getattr(getattr(exc.param, "type", None), "choices", None)
        allowed = f"使える値は {', '.join(choices)} です。" if choices else ""
        return f"{name} の値が正しくありません。{allowed}"
    if isinstance(exc, click.BadOptionUsage):
        return f"オプション「{exc.option_name}」の使い方が正しくありません（{exc.format_message()}）。"
    return f"コマンドの使い方が正しくありません（{exc.format_message()}）。"


def main(argv: list[str] | None = None) -> None:
    """`navigator ARGS…`: with no `argv`, this process's own arguments, and the process ends with the command."""
    if argv is not None:
        _run(argv)  # as a library or a test calls it: SystemExit, as ever
        return
    try:
        _run(sys.argv[1:])
    except SystemExit as exc:
        _end_process(exc.code)


def _end_process(code: object) -> None:
    """Exit as sys.exit(code) would, without freeing every object one by one first: after a build of 10,000
    programs that alone took 0.45 s. What must happen at exit still does: the atexit handlers (the workers', the
    temporary folders' finalizers) and the flushing of stdout and stderr; every file the command wrote is closed."""
    import atexit

    atexit._run_exitfuncs()
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int) and code is not None:
        print(code, file=sys.stderr)  # as sys.exit("message") prints it
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`navigator check | head`): nothing more can be said there
            status = status or 1
    os._exit(status)


def _run(args: list[str]) -> None:
    debug = "--debug" in args or os.environ.get("NAVIGATOR_DEBUG") == "1"
    try:
        code = cli.main(args=args, prog_name="navigator", standalone_mode=False)
    except click.UsageError as exc:
        _print_error(_usage_message(exc))
        command = exc.ctx.command_path if exc.ctx is not None else "navigator"
        click.echo(f"使い方は「{command} --help」で確認できます。", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        _print_error(exc.format_message())
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt) as exc:
        # click turns a KeyboardInterrupt (Ctrl+C, or SIGTERM during build) into Abort.
        cause = exc.__cause__ if isinstance(exc, click.Abort) else exc
        write = sys.modules.get("navigator.site.write")  # not imported by the commands that write no site (check)
        signum = cause.signum if write is not None and isinstance(cause, write.Interrupted) else 2
        _print_error("中断しました。" if signum == 2 else f"中断しました（{signal.Signals(signum).name} を受けました）。")
        sys.exit(128 + signum)
    except Exception as exc:  # a bug, not a user's mistake: short message unless --debug
        if debug:
            traceback.print_exc()
        _print_error(f"内部エラーが発生しました（{type(exc).__name__}: {exc}）。--debug を付けて実行すると詳細が表示されます。")
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
