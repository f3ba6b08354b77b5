"""`navigator check` (a folder or one workbook, --annotate, --review) and `navigator match`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from navigator.check.validate import validate_folder
from navigator.cli.base import (
    DEFAULT_SHEETS,
    JapaneseUsageError,
    clear_progress,
    cli,
    day_from_option,
    print_problems,
    progress_printer,
    sheets_folder,
    summary_line,
    valid_site,
)

if TYPE_CHECKING:
    from navigator.rules import Arrangement, ProgramMatch


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
@click.option("--links", "with_links", is_flag=True,
              help="オンライン申請URL・詳細URLと文章中のリンクをすべて開いてみて、開けないものを警告にします（インターネットが必要です）。")
@click.option("--link-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="秒",
              help="--links で1つのアドレスの応答を待つ秒数。")
def check(sheets_dir: str, output_format: str, common_option: str | None, annotate_dir: str | None,
          with_review: bool, today: str | None, with_links: bool, link_timeout: float) -> None:
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
        navigator check --links
        navigator check --format json > problems.json
    """
    from navigator.check.validate import validate_workbook
    from navigator.read.folder import SheetsFolder, is_common_workbook, is_translation_workbook
    from navigator.read.workbook import WORKBOOK_SUFFIXES
    from navigator.workers import Pool

    target = Path(sheets_dir)
    one_file = target.is_file() or (not target.exists() and target.suffix.lower() in WORKBOOK_SUFFIXES)
    if one_file:
        if not target.exists():
            raise JapaneseUsageError(f"ブック「{sheets_dir}」がありません。ファイルの場所を確かめてください。")
        if target.suffix.lower() not in WORKBOOK_SUFFIXES:
            raise JapaneseUsageError(f"「{sheets_dir}」は Excel のブック（.xlsx / .xlsm）ではありません。"
                                     "確認するブックか、ブックの入ったフォルダを指定してください。")
        if is_translation_workbook(target):
            raise JapaneseUsageError(f"「{target.name}」は翻訳のブックです。翻訳は今の日本語の文章と照らすため、フォルダごと確認してください"
                                     f"（例: navigator check {target.parent}）。")
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
    if today is not None and not with_review:
        raise JapaneseUsageError("--today は --review と一緒に指定してください。")
    review_day = day_from_option(today)
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
        validation = validate_folder(folder, progress=progress, pool=Pool())  # the workbooks checked on every core
        sources = list(SheetsFolder.of(folder).files)
    clear_progress(progress)
    links_checked = None
    if with_links and validation.site is not None:
        from navigator.tooling.links import check_links  # httpx: imported only when needed

        site = validation.site  # 公開 = × keeps a program off the site, not out of the checks
        common_name = common_path.name if one_file else next((p.name for p in sources if is_common_workbook(p)), "common.xlsx")
        links_checked = check_links(site.programs + site.unpublished, validation.report, timeout=link_timeout, site=site,
                                    common_file=common_name)
    if output_format == "json":
        click.echo(validation.report.to_json())
    else:
        print_problems(validation)
        click.echo(summary_line(validation))
        for count in validation.languages:  # one line per language: 設定's 言語 and every 翻訳_<code>.xlsx
            click.echo(count.line())
        if with_links:
            click.echo(f"リンク {links_checked}件を開いて確かめました。" if links_checked is not None
                       else "エラーがあるため、リンクは確かめませんでした。エラーを直してからもう一度実行してください。")
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
            from navigator.tooling.review import Locator, review, review_lines  # and the rule engine: --review only

            common_name = next((p.name for p in sources if is_common_workbook(p)), "common.xlsx")
            for line in review_lines(review(validation.site, review_day), review_day, Locator(), common_name):
                click.echo(line)
            if validation.site.translations.get("easy"):  # the analyser is loaded only for an easy translation
                from navigator.tooling.easy_review import easy_findings, easy_lines, translation_cells

                easy = next((p for p in SheetsFolder.of(source_folders[0]).translations if p.name == "翻訳_easy.xlsx"), None)
                cells = translation_cells(easy) if easy is not None else {}
                for line in easy_lines(easy_findings(validation.site, cells)):
                    click.echo(line)
    if not validation.report.ok:
        sys.exit(1)


@cli.command(name="match")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("--answer", "-a", "given", multiple=True, metavar="質問ID=回答",
              help="住民の回答。質問ごとに繰り返します（複数選択は選んだ選択肢ごとに1回、"
                   "「質問ID=」だけなら「どれも当てはまらない」）。指定しない質問は「わからない・答えない」です。")
@click.option("--json", "as_json", is_flag=True, help='{"applies": [...], "may_apply": [...]} を出力します。')
@click.option("--in-order", "in_order", is_flag=True,
              help="結果のページと同じ順（まず最初に、まもなく締切、分類ごと、受付終了は最後）で表示します。")
@click.option("--today", metavar="YYYY-MM-DD", help="--in-order で申請期限と比べる日付（省略すると今日）。")
def match_command(sheets_dir: str, given: tuple[str, ...], as_json: bool, in_order: bool, today: str | None) -> None:
    """住民の回答に対して、対象となる制度と対象の可能性がある制度を表示します。

    \b
    例: navigator match --answer 住家被害=全壊 --answer 世帯人数=3
        navigator match --answer 世帯の状況= --json
        navigator match --answer 住家被害=全壊 --in-order --today 2026-08-01
    """
    from navigator.answers import AnswerError, parse_answers  # the rule engine: not for `check`
    from navigator.rules import arrange, match

    if today is not None and not in_order:
        raise JapaneseUsageError("--today は --in-order と一緒に指定してください。")
    day = day_from_option(today)
    site = valid_site(sheets_dir, "シートにエラーがあるため判定できません。上のエラーを直してください。")
    try:
        answers = parse_answers(site, given)
    except AnswerError as exc:
        raise JapaneseUsageError(str(exc)) from exc
    result = match(site, answers)
    if in_order:
        arrangement = arrange(site, result, day)
        if as_json:
            click.echo(json.dumps(arrangement.as_ids(), ensure_ascii=False))
        else:
            _echo_in_order(arrangement, result, site, answers, day)
        return
    if as_json:
        click.echo(json.dumps(result.as_ids(), ensure_ascii=False))
        return
    for title, matches in (("対象となる制度", result.applies), ("対象の可能性がある制度", result.may_apply)):
        click.echo(f"{title}（{len(matches)}件）")
        for found in matches:
            click.echo(_describe(found, site, answers))
        click.echo("")


def _echo_in_order(arrangement: Arrangement, result, site, answers, day: dt.date) -> None:
    """The results as the page shows them: まず最初に, まもなく締切, then each section by 分類, 受付終了 last."""
    from navigator import rules

    if arrangement.first_steps:
        click.echo(f"まず最初に（{len(arrangement.first_steps)}件）")
        for step in arrangement.first_steps:
            click.echo(_describe(step.found, site, answers))
            documents = "".join(f"「{name}」" for name in step.documents)
            click.echo(f"    {documents}は、ほかの{len(step.needed_by)}件の制度で必要")
        click.echo("")
    if arrangement.soon:
        click.echo(f"まもなく締切（{rules.SOON_DAYS}日以内・{len(arrangement.soon)}件）")
        for found in arrangement.soon:
            click.echo(f"  {found.program.deadline.date:%Y-%m-%d}まで  {found.program.name} [{found.program.id}]")
        click.echo("")
    for section, title, count in zip(arrangement.sections, ("対象となる制度", "対象の可能性がある制度"),
                                     (len(result.applies), len(result.may_apply))):
        click.echo(f"{title}（{count}件）")
        for group in section.groups:
            click.echo(f" 【{group.category}】")
            for found in group.found:
                click.echo(_describe(found, site, answers))
        for group in section.closed:
            click.echo(f" 【受付終了（{day:%Y-%m-%d}現在）・{group.category}】")
            for found in group.found:
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


