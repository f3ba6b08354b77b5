"""The commands about the site: `build`, `diff` (what the next build changes), `export`, `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from navigator.check.accounting import accounting_line
from navigator.cli.base import (
    DEFAULT_OUT,
    DEFAULT_SHEETS,
    JapaneseUsageError,
    SheetsProblem,
    clear_progress,
    cli,
    day_from_option,
    print_problems,
    progress_printer,
    sheets_folder,
    summary_line,
    valid_site,
)


@cli.command(name="build")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("-o", "--output", "out", default=DEFAULT_OUT, show_default=True, metavar="OUT",
              help="サイトを書き出すフォルダ。エラーがあれば何も書かず、前のサイトをそのまま残します。")
@click.option("--precompress", is_flag=True,
              help="テキストのファイルごとに圧縮済みの .gz と .br を横に書き出します（nginx の gzip_static など向け）。")
def build_command(sheets_dir: str, out: str, precompress: bool) -> None:
    """ブックを確認し、エラーがなければ静的サイトを作ります。

    \b
    例: navigator build
        navigator build sheets/ -o public/
        navigator build sheets/ -o public/ --precompress
    """
    from navigator.pipeline import build  # jinja2, nh3 and the rest of the build: not for `check`
    from navigator.site.write import OutputError, terminate_raises

    folder = sheets_folder(sheets_dir)
    progress = progress_printer()
    try:
        with terminate_raises():  # SIGTERM stops the build cleanly, like Ctrl+C
            result = build(folder, Path(out), progress=progress, precompress=precompress)
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
    from navigator.site.assemble import CHANGES_FILE, previous_catalog
    from navigator.site.catalog import catalog
    from navigator.site.changes import diff_catalogs, read_history, site_changes, unpublished_in_history
    from navigator.site.pages import program_page
    from navigator.site.write import BUILD_MARKER
    from navigator.tooling.diff import changes_json, changes_text, condition_cells, site_changes_text, summary_words

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
    for line in site_changes_text(site_wide) + changes_text(changes, condition_cells(site.programs + site.unpublished)):
        click.echo(line)


@cli.command(name="export")
@click.argument("sheets_dir", default=DEFAULT_SHEETS, metavar="[SHEETS_DIR]")
@click.option("-o", "--output", "file", metavar="FILE",
              help="書き出すファイル。拡張子で形式を選びます: .xlsx（Excel）か .csv（UTF-8、BOM付き）。")
@click.option("--today", metavar="YYYY-MM-DD", help="受付終了（申請期限が過ぎた）かどうかを決める日付（省略すると今日）。")
@click.option("--force", is_flag=True, help="同じ名前のファイルがあっても上書きします。")
@click.option("--format", "form", type=click.Choice(["table", "gif"]), default="table", show_default=True,
              help="table: 取りまとめ表。gif: 公開する制度を、デジタル庁の GIF 実装データモデル「行政サービス・制度」の列で"
                   "（.csv、UTF-8。対応は docs/sheet-format.md）。")
def export_command(sheets_dir: str, file: str, today: str | None, force: bool, form: str) -> None:
    """全部署の制度を1つの表（取りまとめ表）に書き出します。

    制度ごとに1行: 部署、すべての項目、条件（言葉で）、公開（○/×、非公開の制度も含む）。
    申請期限は日付（並べ替え・絞り込みができます）で、書いたとおりの表記と受付終了（○）がその右の列です。
    --format gif では、公開する制度を国の GIF 実装データモデルの列で書き出します（ほかのシステムに渡すため）。

    \b
    例: navigator export -o 取りまとめ表.xlsx
        navigator export sheets/ -o 制度一覧.csv --today 2026-08-01
        navigator export --format gif -o 行政サービス・制度.csv
    """
    from navigator.tooling.export import SUFFIXES, ExportError, export_table

    if not file:
        raise JapaneseUsageError("書き出すファイルを -o で指定してください（例: -o 取りまとめ表.xlsx）。")
    path = Path(file)
    if form == "gif" and path.suffix.lower() != ".csv":
        raise JapaneseUsageError(f"「{file}」: --format gif は CSV だけです。ファイル名の最後を .csv にしてください。")
    if path.suffix.lower() not in SUFFIXES:
        raise JapaneseUsageError(f"「{file}」の形式が分かりません。ファイル名の最後を .xlsx か .csv にしてください。")
    if not path.parent.is_dir():
        raise JapaneseUsageError(f"「{file}」を書き出すフォルダ「{path.parent}」がありません。")
    if path.exists() and not force:
        raise JapaneseUsageError(f"「{file}」はすでにあります。上書きはしません。別のファイル名を -o で指定するか、"
                                 "上書きしてよければ --force を付けてください。")
    day = day_from_option(today)
    site = valid_site(sheets_dir, "シートにエラーがあるため書き出しませんでした。上のエラーを直してください。")
    if form == "gif":
        _export_gif(site, path, file)
        return
    try:
        rows = export_table(site, path, day)
    except ExportError as exc:
        raise SheetsProblem(str(exc)) from exc
    click.echo(f"制度 {rows}件（公開 {len(site.programs)}、非公開 {len(site.unpublished)}）を「{file}」に書き出しました"
               f"（受付終了は {day:%Y-%m-%d} 現在）。")


def _export_gif(site, path: Path, file: str) -> None:
    from navigator.tooling.gif import MODEL, export_gif, gif_notes

    try:
        result = export_gif(site, path)
    except OSError as exc:
        raise SheetsProblem(f"「{path}」に書き込めませんでした（{exc.strerror or exc}）。"
                            "Excel などで開いていれば閉じてから、もう一度実行してください。") from exc
    click.echo(f"公開する制度 {result.rows}件を、{MODEL}の列で「{file}」に書き出しました（UTF-8）。")
    for note in gif_notes(result):
        click.echo(note)


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

    from navigator.site.write import terminate_raises
    from navigator.tooling.serve import ServeState, make_server, rebuild, watch

    folder = sheets_folder(sheets_dir)
    # SIGTERM (a service manager, `kill`) ends serve like Ctrl+C: the temporary folder is removed on the way out.
    with terminate_raises(), tempfile.TemporaryDirectory(prefix="navigator-serve-") as work:
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


