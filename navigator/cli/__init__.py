"""The command line: parse, call one function, print. Messages are Japanese.

Exit codes: 0 success, 1 problems in the sheets, 2 wrong usage of the command.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path

import click

from navigator import __version__
from navigator.answers import AnswerError, parse_answers
from navigator.check.validate import Validation, validate_folder
from navigator.contract.text import suggestion
from navigator.model import Site
from navigator.pipeline import accounting_line, build
from navigator.rules import ProgramMatch, match
from navigator.site.write import Interrupted, OutputError, terminate_raises

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
    validation = validate_folder(sheets_folder(sheets_dir))
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


class _CheckCommand(click.Command):
    """`check` has many options: a "did you mean" is offered only for a near typo (`--colour` is not `--common`)."""

    def parse_args(self, ctx, args):
        import difflib

        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            exc.possibilities = [p for p in exc.possibilities or ()
                                 if difflib.SequenceMatcher(None, exc.option_name, p).ratio() >= 0.75]
            raise


@cli.command(cls=_CheckCommand)
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR | FILE.xlsx]")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: 問題を JSON の一覧で出力します（severity, code, file, sheet, cell, message）。")
@click.option("--common", "common_option", metavar="PATH",
              help="FILE.xlsx を確認するときに照らし合わせる common.xlsx。省略するとブックと同じフォルダの common.xlsx です。")
@click.option("--annotate", "annotate_dir", metavar="DIR",
              help="問題のあるブックごとに、問題のセルに色とコメントを付け「確認結果」シートを加えたコピーを DIR に書き出します"
                   "（元のブックは変更しません）。")
@click.option("--review", "with_review", is_flag=True,
              help="レビュー: 選択肢ごとの制度数、対象にならない制度、期限切れ、問い合わせ先なし、似た名前の制度、使われていない質問・選択肢。")
@click.option("--today", metavar="YYYY-MM-DD", help="--review で申請期限と比べる日付（省略すると今日）。")
def check(sheets_dir: str, output_format: str, common_option: str | None, annotate_dir: str | None,
          with_review: bool, today: str | None) -> None:
    """ブックをすべて読み、エラーと警告をすべて表示します。

    フォルダの代わりに1つのブック（FILE.xlsx）を指定すると、そのブックだけを同じフォルダの common.xlsx
    （または --common で指定したもの）と照らして確認します。各課が送る前の確認に使えます。
    common.xlsx が見つからないときは使い方の誤り（終了コード 2）です。

    エラーがなければ終了コード 0、1件でもあれば 1 です（--review の指摘はエラーではありません）。

    \b
    例: navigator check sheets/
        navigator check 福祉課.xlsx --common sheets/common.xlsx
        navigator check --annotate 確認結果/
        navigator check --review --today 2026-08-01
        navigator check --format json > problems.json
    """
    import datetime as dt

    from navigator.check.validate import validate_workbook
    from navigator.contract.text import normalize_key
    from navigator.read.folder import SheetsFolder, is_common_workbook
    from navigator.read.workbook import WORKBOOK_SUFFIXES
    from navigator.tooling.review import Locator, review, review_lines

    target = Path(sheets_dir)
    one_file = target.is_file() or (not target.exists() and target.suffix.lower() in WORKBOOK_SUFFIXES)
    if one_file:
        if not target.exists():
            raise JapaneseUsageError(f"ブック「{sheets_dir}」がありません。ファイルの場所を確かめてください。")
        if target.suffix.lower() not in WORKBOOK_SUFFIXES:
            raise JapaneseUsageError(f"「{sheets_dir}」は Excel のブック（.xlsx / .xlsm）ではありません。"
                                     "確認するブックか、ブックの入ったフォルダを指定してください。")
        if common_option is not None:
            common_path = Path(common_option)
            if common_path.is_dir():
                found = SheetsFolder.of(common_path).common
                if found is None:
                    raise JapaneseUsageError(f"--common のフォルダ「{common_option}」に common.xlsx がありません。")
                common_path = found
            elif not common_path.is_file():
                raise JapaneseUsageError(f"--common のブック「{common_option}」がありません。ファイルの場所を確かめてください。")
            elif common_path.suffix.lower() not in WORKBOOK_SUFFIXES:
                raise JapaneseUsageError(f"--common の「{common_option}」は Excel のブック（.xlsx / .xlsm）ではありません。")
        elif is_common_workbook(target):
            common_path = target
        else:
            found = SheetsFolder.of(target.parent).common
            if found is None:
                raise JapaneseUsageError(
                    f"ブック「{target.name}」と同じフォルダに common.xlsx がありません。"
                    f"--common で common.xlsx の場所を指定してください（例: navigator check {target.name} --common sheets/common.xlsx）。")
            common_path = found
        sources = list(dict.fromkeys([common_path, target]))
        source_folders = [common_path.parent, target.parent]
    else:
        if common_option is not None:
            raise JapaneseUsageError("--common は1つのブック（FILE.xlsx）を確認するときだけ使えます。"
                                     "フォルダを確認するときは、そのフォルダの common.xlsx を使います。")
        folder = sheets_folder(sheets_dir)
        source_folders = [folder]
    review_day = dt.date.today()
    if today is not None:
        if not with_review:
            raise JapaneseUsageError("--today は --review と一緒に指定してください。")
        try:
            review_day = dt.date.fromisoformat(normalize_key(today))
        except ValueError:
            raise JapaneseUsageError(f"--today の「{today}」が日付として読めません。2026-08-01 の形で指定してください。") from None
    if with_review and output_format == "json":
        raise JapaneseUsageError("--review は --format json と一緒には使えません。")
    out_dir = Path(annotate_dir) if annotate_dir is not None else None
    if out_dir is not None:
        from navigator.tooling.annotate import annotate_workbooks, same_folder  # openpyxl: imported only when needed

        if out_dir.exists() and not out_dir.is_dir():
            raise JapaneseUsageError(f"--annotate の「{annotate_dir}」はフォルダではありません。書き出すフォルダを指定してください。")
        if any(same_folder(out_dir, f) for f in source_folders):
            raise JapaneseUsageError(f"--annotate のフォルダ「{annotate_dir}」には元のブックがあります。"
                                     "元のブックを上書きしないよう、別のフォルダを指定してください。")

    progress = progress_printer() if output_format == "text" else None
    if one_file:
        validation = validate_workbook(target, common_path, progress=progress)
    else:
        validation = validate_folder(folder, progress=progress)
        sources = list(SheetsFolder.of(folder).files)
    clear_progress(progress)
    if output_format == "json":
        click.echo(validation.report.to_json())
    else:
        print_problems(validation)
        click.echo(summary_line(validation))
    if out_dir is not None:
        result = annotate_workbooks(validation.report.problems, sources, out_dir)
        to_stderr = output_format == "json"
        if not result.written and not result.not_written:
            click.echo("確認結果を書き出すブックはありません（問題のあるブックがありません）。", err=to_stderr)
        if result.written:
            click.echo(f"確認結果を書き込んだブック（{len(result.written)}件、元のブックは変更していません）:", err=to_stderr)
            for written in result.written:
                click.echo(f"  {written.path}（エラー {written.errors}件、警告 {written.warnings}件）", err=to_stderr)
        if result.not_written:
            click.echo(f"読めないため確認結果を書き込めなかったブック（{len(result.not_written)}件）:", err=to_stderr)
            for name, why in result.not_written:
                click.echo(f"  {name}: {why}", err=to_stderr)
    if with_review:
        click.echo("")
        if validation.site is None:
            click.echo("エラーがあるため、レビューはしませんでした。エラーを直してからもう一度実行してください。")
        else:
            common_name = next((p.name for p in sources if is_common_workbook(p)), "common.xlsx")
            for line in review_lines(review(validation.site, review_day), review_day, Locator(), common_name):
                click.echo(line)
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
    site = valid_site(sheets_dir, "シートにエラーがあるため判定できません。上のエラーを直してください。")
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
        with terminate_raises():  # SIGTERM stops the build cleanly, like Ctrl+C
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


@cli.command(name="diff")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("--against", "out", default=DEFAULT_OUT, show_default=True, metavar="OUT",
              help="比べる相手: 前回 build で作ったサイトのフォルダ（その catalog.json）。")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: 変更を JSON で出力します（制度は部署ごと、設定・質問・分類・部署の連絡先は site）。")
def diff_command(sheets_dir: str, out: str, output_format: str) -> None:
    """今のシートと前回作ったサイトを比べ、変わるところを前後の値とともに表示します。

    common.xlsx の設定・質問・分類と各部署の連絡先の変更を先に、次に制度の追加・削除・公開・非公開と変わった項目を部署ごとに表示します。

    公開する前に、変更を確認するためのコマンドです。何も書き出しません。

    \b
    例: navigator diff
        navigator diff sheets/ --against public/ --format json
    """
    from navigator.pipeline import CHANGES_FILE, previous_catalog
    from navigator.site.catalog import catalog
    from navigator.site.changes import (
        changes_json,
        changes_text,
        diff_catalogs,
        read_history,
        site_changes,
        site_changes_text,
        summary_words,
        unpublished_in_history,
    )
    from navigator.site.pages import program_page
    from navigator.site.write import BUILD_MARKER

    site = valid_site(sheets_dir, "シートにエラーがあるため比べられません。上のエラーを直してください。",
                      as_json=output_format == "json")
    catalog_file = Path(out) / BUILD_MARKER
    previous = previous_catalog(Path(out))
    if previous is None and catalog_file.exists():
        raise SheetsProblem(f"「{catalog_file}」が読めません。navigator build で作り直してから比べてください。")
    history_file = Path(out) / CHANGES_FILE
    history = read_history(history_file.read_text(encoding="utf-8", errors="replace") if history_file.is_file() else None)
    current = catalog(site, program_page)
    changes = diff_catalogs(previous, current, [p.id for p in site.unpublished], unpublished_in_history(history))
    site_wide = site_changes(previous, current)
    if output_format == "json":
        click.echo(changes_json(changes, str(catalog_file), previous is not None, site_wide))
        return
    if previous is None:
        click.echo(f"「{out}」には前回作ったサイト（{BUILD_MARKER}）がありません。"
                   f"公開する制度 {len(site.programs)}件は、すべて新しく公開されます。")
    elif not changes and not site_wide:
        click.echo(f"前回作ったサイト（{catalog_file}）から、制度にもサイト全体にも変更はありません。")
    else:
        click.echo(f"前回作ったサイト（{catalog_file}）からの変更: {summary_words(changes, site_wide)}")
    for line in site_changes_text(site_wide) + changes_text(changes):
        click.echo(line)


@cli.command(name="export")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("-o", "--output", "file", metavar="FILE",
              help="書き出すファイル。拡張子で形式を選びます: .xlsx（Excel）か .csv（UTF-8、BOM付き）。")
def export_command(sheets_dir: str, file: str) -> None:
    """全部署の制度を1つの表（取りまとめ表）に書き出します。

    制度ごとに1行: 部署、すべての項目、条件（言葉で）、公開（○/×、非公開の制度も含む）。

    \b
    例: navigator export -o 取りまとめ表.xlsx
        navigator export sheets/ -o 制度一覧.csv
    """
    from navigator.tooling.export import SUFFIXES, ExportError, export_table

    if not file:
        raise JapaneseUsageError("書き出すファイルを -o で指定してください（例: -o 取りまとめ表.xlsx）。")
    path = Path(file)
    if path.suffix.lower() not in SUFFIXES:
        raise JapaneseUsageError(f"「{file}」の形式が分かりません。ファイル名の最後を .xlsx か .csv にしてください。")
    if not path.parent.is_dir():
        raise JapaneseUsageError(f"「{file}」を書き出すフォルダ「{path.parent}」がありません。")
    site = valid_site(sheets_dir, "シートにエラーがあるため書き出しませんでした。上のエラーを直してください。")
    try:
        rows = export_table(site, path)
    except ExportError as exc:
        raise SheetsProblem(str(exc)) from exc
    click.echo(f"制度 {rows}件（公開 {len(site.programs)}、非公開 {len(site.unpublished)}）を「{file}」に書き出しました。")


@cli.command(name="init")
@click.argument("DIR")
@click.option("--city", default="〇〇市", show_default=True, metavar="自治体名",
              help="common.xlsx の自治体名とサイト名に入れる名前（あとで common.xlsx で直せます）。")
def init_command(dir: str, city: str) -> None:  # noqa: A002 - click names the argument after DIR
    """新しい自治体のシートのフォルダ DIR を作ります。

    記入を始められる common.xlsx（設定・質問・分類の例、記入方法シート付き）と、
    部署のブックの例を1つ作ります。DIR が空でなければ何も書きません。

    \b
    例: navigator init みどり市/ --city みどり市
        navigator check みどり市/
    """
    from navigator.tooling.template import TemplateError, init_city

    try:
        result = init_city(Path(dir), city)
    except TemplateError as exc:
        _template_failure(exc)
    for line in result.lines():
        click.echo(line)


@cli.command(name="template")
@click.argument("department", required=False, metavar="[DEPARTMENT_NAME]")
@click.option("-o", "--output", metavar="FILE",
              help="書き出すファイル。省略すると SHEETS_DIR の「部署名.xlsx」。すでにあるファイルは上書きしません。")
@click.option("--sheets", "sheets_dir", metavar="SHEETS_DIR",
              help="質問と分類を読む common.xlsx のあるフォルダ。省略すると sheets（--update では、ブックと同じフォルダに"
                   " common.xlsx があればそのフォルダ）。")
@click.option("--update", "update_file", metavar="FILE",
              help="今ある部署のブックを、common.xlsx の今の質問・分類に合わせて更新します（入力済みの値は消しません。"
                   "元のファイルは「バックアップ」フォルダに残します）。")
def template_command(department: str | None, output: str | None, sheets_dir: str | None,
                     update_file: str | None) -> None:
    """部署のブックを common.xlsx の質問・分類から作ります（--update で更新します）。

    「制度」シートには、すべての列と、質問の選択肢ごとの条件の列、分類・公開・○ の
    ドロップダウン、見出しの説明が入ります。書き方は「記入方法」シートにあります。

    \b
    例: navigator template 福祉課
        navigator template "健康福祉局 福祉課" -o 福祉課.xlsx --sheets sheets/
        navigator template --update sheets/福祉課.xlsx
    """
    from navigator.tooling.template import TemplateError, make_template, update_template

    if update_file and department:
        raise JapaneseUsageError("部署名と --update は一緒に指定できません。新しいブックを作るなら部署名だけを、"
                                 "今のブックを更新するなら --update だけを指定してください。")
    if update_file and output:
        raise JapaneseUsageError("--update と -o は一緒に指定できません（ブックはその場で更新し、元のファイルはバックアップに残します）。")
    if not update_file and not department:
        raise JapaneseUsageError("部署名を指定してください（例: navigator template 福祉課）。"
                                 "今のブックを更新するなら --update ファイル名 を指定します。")
    folder = sheets_folder(sheets_dir) if sheets_dir else None
    try:
        if update_file:
            result = update_template(Path(update_file), folder)
        else:
            result = make_template(department, folder or sheets_folder(DEFAULT_SHEETS), Path(output) if output else None)
    except TemplateError as exc:
        _template_failure(exc)
    for line in result.lines():
        click.echo(line)


def _template_failure(exc) -> None:
    for problem in exc.problems:
        click.echo(str(problem))
    if exc.usage:
        raise JapaneseUsageError(exc.message)
    raise SheetsProblem(exc.message)


@cli.command(name="serve")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("-o", "--output", "out", default=None, metavar="OUT",
              help="サイトを書き出すフォルダ（省略すると一時フォルダ。終了時に消えます）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="待ち受けるアドレス。")
@click.option("--port", default=8000, show_default=True, type=int, help="待ち受けるポート（0 なら空いているポート）。")
def serve_command(sheets_dir: str, out: str | None, host: str, port: int) -> None:
    """サイトを作ってこのパソコンで表示し、ブックが保存されるたびに作り直します。

    エラーがあるときは、最後に作れたサイトの上にエラーを表示します。Ctrl+C で終了します。

    \b
    例: navigator serve
        navigator serve sheets/ --port 8080
    """
    import tempfile
    import threading

    from navigator.tooling.serve import ServeState, make_server, rebuild, watch

    folder = sheets_folder(sheets_dir)
    with tempfile.TemporaryDirectory(prefix="navigator-serve-") as work:
        site = Path(out) if out else Path(work) / "site"
        state = ServeState()
        rebuild(folder, site, state, click.echo)
        try:
            server = make_server(site, state, host, port)
        except OSError as exc:
            raise JapaneseUsageError(f"{host}:{port} で待ち受けられません（{exc.strerror}）。--port で別のポートを指定してください。")
        click.echo(f"http://{host}:{server.server_address[1]}/ でサイトを表示しています。"
                   f"「{folder}」のブックを保存すると作り直します。Ctrl+C で終了します。")
        stop = threading.Event()
        threading.Thread(target=watch, args=(folder, site, state, click.echo, stop), daemon=True).start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("終了しました。")
        finally:
            stop.set()
            server.server_close()


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
    except (click.Abort, KeyboardInterrupt) as exc:
        # click turns a KeyboardInterrupt (Ctrl+C, or SIGTERM during build) into Abort.
        cause = exc.__cause__ if isinstance(exc, click.Abort) else exc
        signum = cause.signum if isinstance(cause, Interrupted) else 2
        _print_error("中断しました。" if signum == 2 else f"中断しました（{signal.Signals(signum).name} を受けました）。")
        sys.exit(128 + signum)
    except Exception as exc:  # a bug, not a user's mistake: short message unless --debug
        if debug:
            traceback.print_exc()
        _print_error(f"内部エラーが発生しました（{type(exc).__name__}: {exc}）。--debug を付けて実行すると詳細が表示されます。")
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
