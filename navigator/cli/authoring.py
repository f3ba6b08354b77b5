"""The commands that write workbooks for people to fill in: `init` (a new city) and `template` (a department's)."""

from __future__ import annotations

from pathlib import Path

import click

from navigator.cli.base import DEFAULT_SHEETS, JapaneseUsageError, SheetsProblem, cli, sheets_folder
from navigator.contract.sheets import PLACEHOLDER_CITY


@cli.command(name="init")
@click.argument("DIR")
@click.option("--city", default=PLACEHOLDER_CITY, show_default=True, metavar="自治体名",
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




@cli.command(name="translate")
@click.argument("code", metavar="CODE")
@click.option("--sheets", "sheets_dir", default=DEFAULT_SHEETS, show_default=True, metavar="SHEETS_DIR",
              help="ブックのフォルダ。翻訳のブックもここに書きます。")
def translate_command(code: str, sheets_dir: str) -> None:
    """言語 CODE の翻訳のブック（SHEETS_DIR/翻訳_CODE.xlsx）を作るか、今の文章に合わせて更新します。

    住民に表示する文章（制度・質問・選択肢・分類・設定・部署・書類）を1行に1つ並べます。
    更新では、新しい文章を加え、日本語が変わった文章に印を付け（要確認）、書いてある訳はすべて残します
    （元のファイルは「バックアップ」フォルダに残します）。書き方はブックの「記入方法」シートにあります。

    \b
    例: navigator translate en
        navigator translate easy --sheets sheets/
    """
    from navigator.contract.languages import code_suggestion, codes_text, language_code
    from navigator.tooling.template import TemplateError
    from navigator.tooling.translate import translate

    known = language_code(code)
    if known is None:
        raise JapaneseUsageError(f"言語コード「{code}」はありません{code_suggestion(code)}。使える言語コードは {codes_text()} です。")
    folder = sheets_folder(sheets_dir)
    try:
        result = translate(folder, known)
    except TemplateError as exc:
        _template_failure(exc)
    for line in result.lines():
        click.echo(line)
