"""The command line: parse, call one function, print. Messages are Japanese.

Exit codes: 0 success, 1 problems in the sheets, 2 wrong usage of the command.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from navigator import __version__
from navigator.answers import AnswerError, parse_answers
from navigator.build import accounting_line, build
from navigator.output import OutputError
from navigator.rules import ProgramMatch, match
from navigator.text import suggestion
from navigator.validate import Validation, validate_folder

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


def sheets_folder(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise JapaneseUsageError(f"シートのフォルダ「{value}」がありません。フォルダの場所を確かめてください。")
    if not path.is_dir():
        raise JapaneseUsageError(f"「{value}」はフォルダではありません。ブックの入ったフォルダを指定してください。")
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
      navigator match --answer 住家被害=全壊
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: 問題を JSON の一覧で出力します（severity, code, file, sheet, cell, message）。")
def check(sheets_dir: str, output_format: str) -> None:
    """ブックをすべて読み、エラーと警告をすべて表示します。

    エラーがなければ終了コード 0、1件でもあれば 1 です。

    \b
    例: navigator check sheets/
        navigator check --format json > problems.json
    """
    folder = sheets_folder(sheets_dir)
    progress = progress_printer() if output_format == "text" else None
    validation = validate_folder(folder, progress=progress)
    clear_progress(progress)
    if output_format == "json":
        click.echo(validation.report.to_json())
    else:
        print_problems(validation)
        click.echo(summary_line(validation))
    if not validation.report.ok:
        sys.exit(1)


@cli.command(name="match")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("--answer", "-a", "given", multiple=True, metavar="質問ID=回答",
              help="住民の回答。質問ごとに繰り返します（複数選択は選んだ選択肢ごとに1回、"
                   "「質問ID=」だけなら「どれも当てはまらない」）。指定しない質問は「わからない・答えない」です。")
@click.option("--json", "as_json", is_flag=True, help='{"applies": [...], "may_apply": [...]} を出力します。')
def match_command(sheets_dir: str, given: tuple[str, ...], as_json: bool) -> None:
    """住民の回答に対して、対象となる制度と対象の可能性がある制度を表示します。

    \b
    例: navigator match --answer 住家被害=全壊 --answer 世帯人数=3
        navigator match --answer 世帯の状況= --json
    """
    folder = sheets_folder(sheets_dir)
    validation = validate_folder(folder)
    if validation.site is None:
        print_problems(validation)
        click.echo(summary_line(validation))
        raise SheetsProblem("シートにエラーがあるため判定できません。上のエラーを直してください。")
    site = validation.site
    try:
        answers = parse_answers(site, given)
    except AnswerError as exc:
        raise JapaneseUsageError(str(exc)) from exc
    result = match(site, answers)
    if as_json:
        click.echo(json.dumps(result.as_ids(), ensure_ascii=False))
        return
    for title, matches in (("対象となる制度", result.applies), ("対象の可能性がある制度", result.may_apply)):
        click.echo(f"{title}（{len(matches)}件）")
        for found in matches:
            click.echo(_describe(found, site, answers))
        click.echo("")


def _describe(found: ProgramMatch, site, answers) -> str:
    program, row = found.program, found.row
    lines = [f"  ■ {program.name} [{program.id}]（{program.category} / {program.department.name}）"]
    if not program.condition_rows[row.row_position - 1].requirements:
        lines.append("    理由: 条件なし（どなたでも対象です）")
    elif row.fitting:
        reasons = " ／ ".join(_reason(r, site, answers) for r in row.fitting)
        which = "1行目の条件" if row.row_position == 1 else f"{row.row_position - 1}つ目のまたは行（{row.row_number}行目）"
        lines.append(f"    理由: {reasons}（{which}）")
    if row.unknown:
        pending = "、".join(f"{r.question_id}（{site.question(r.question_id).text}）" for r in row.unknown)
        lines.append(f"    未回答の質問: {pending} — 答えると対象かどうかが決まります")
    return "\n".join(lines)


def _reason(requirement, site, answers) -> str:
    """`住家被害=全壊` or `世帯人数=3人（2以上）`: the answer that fits, and the condition for a number."""
    question = site.question(requirement.question_id)
    answer = answers[requirement.question_id]
    if requirement.range is not None:
        return f"{question.id}={answer:g}{question.unit}（条件: {requirement.range.text}）"
    if question.kind == "multiple":
        return f"{question.id}={'・'.join(c for c in requirement.choices if c in answer)}"
    return f"{question.id}={answer}"


@cli.command(name="build")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("-o", "--output", "out", default=DEFAULT_OUT, show_default=True, metavar="OUT",
              help="サイトを書き出すフォルダ。エラーがあれば何も書かず、前のサイトをそのまま残します。")
def build_command(sheets_dir: str, out: str) -> None:
    """ブックを確認し、エラーがなければ静的サイトを作ります。

    \b
    例: navigator build
        navigator build sheets/ -o public/
    """
    folder = sheets_folder(sheets_dir)
    progress = progress_printer()
    try:
        result = build(folder, Path(out), progress=progress)
    except OutputError as exc:
        clear_progress(progress)
        raise SheetsProblem(str(exc)) from exc
    clear_progress(progress)
    validation = result.validation
    print_problems(validation)
    if not result.ok:
        click.echo(summary_line(validation))
        raise SheetsProblem(f"エラーがあるためサイトを作りませんでした。「{out}」は前のままです。")
    accounting = validation.accounting
    click.echo(f"{accounting_line(accounting)}。ページ {result.pages_written}件を含む {result.files_written}ファイルを「{out}」に書き出しました"
               f"（{result.seconds:.2f}秒）。")


def _print_error(message: str) -> None:
    click.echo(f"エラー: {message}", err=True)


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, JapaneseUsageError):
        return exc.message
    if isinstance(exc, click.NoSuchOption):
        hint = f"（もしかして「{sorted(exc.possibilities)[0]}」？）" if exc.possibilities else ""
        return f"オプション「{exc.option_name}」はありません{hint}。"
    if isinstance(exc, click.BadParameter):
        name = exc.param.opts[0] if exc.param is not None and getattr(exc.param, "opts", None) else "値"
        choices = getattr(getattr(exc.param, "type", None), "choices", None)
        allowed = f"使える値は {', '.join(choices)} です。" if choices else ""
        return f"{name} の値が正しくありません。{allowed}"
    if isinstance(exc, click.MissingParameter):
        name = exc.param.opts[0] if exc.param is not None and getattr(exc.param, "opts", None) else "値"
        return f"{name} に値を指定してください。"
    if isinstance(exc, click.BadOptionUsage):
        return f"オプション「{exc.option_name}」の使い方が正しくありません（{exc.format_message()}）。"
    return f"コマンドの使い方が正しくありません（{exc.format_message()}）。"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
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
    except click.Abort:
        _print_error("中断しました。")
        sys.exit(130)
    except KeyboardInterrupt:
        _print_error("中断しました。")
        sys.exit(130)
    except Exception as exc:  # a bug, not a user's mistake: short message unless --debug
        if debug:
            traceback.print_exc()
        _print_error(f"内部エラーが発生しました（{type(exc).__name__}: {exc}）。--debug を付けて実行すると詳細が表示されます。")
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
