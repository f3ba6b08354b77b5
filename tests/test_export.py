"""`navigator export`: the 取りまとめ表 as .xlsx or .csv, and pandas kept out of check/build."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import textwrap

import openpyxl
import pytest
from clirun import run
from sheetmaker import program_row, write_department

from navigator.tooling.export import COLUMNS

EXPECTED_COLUMNS = ["部署", "制度ID", "制度名", "分類", "公開", "概要", "対象者", "支援内容", "申請期限", "申請期限（表記）", "受付終了",
                    "申請方法", "必要書類",
                    "問い合わせ先", "オンライン申請URL", "詳細URL", "条件", "ブック", "行"]


def check_rows(rows: list[dict], deadline) -> None:
    """The small city: 4 programs in sheet order, the unpublished one marked ×, conditions in words.

    `deadline` is shien-kin's 申請期限 as the format keeps it: a date in Excel, 2027-03-31 in CSV.
    """
    assert [(r["制度ID"], r["公開"]) for r in rows] == [("shien-kin", "○"), ("risai", "○"), ("kasetsu", "○"), ("old", "×")]
    shien = rows[0]
    assert shien["部署"] == "福祉課" and shien["分類"] == "生活再建" and shien["支援内容"] == "最大300万円"
    assert shien["条件"] == "住家被害: 全壊 かつ 世帯人数: 2以上 ／ または 住家被害: 大規模半壊"
    assert shien["必要書類"] == "り災証明書\n預金通帳の写し"
    assert (shien["申請期限"], shien["申請期限（表記）"]) == (deadline, "2027-03-31")
    assert rows[1]["条件"] == "条件なし（どなたでも対象）"
    assert (rows[1]["申請期限"], rows[1]["申請期限（表記）"]) == ("", "随時")  # no date: the words only
    assert (shien["ブック"], str(shien["行"])) == ("福祉課.xlsx", "2")
    assert all(not r.get("備考") for r in rows)  # the internal note is not a column


def test_export_xlsx(capsys, sheets, tmp_path):
    target = tmp_path / "取りまとめ表.xlsx"
    code, out, err = run(capsys, "export", str(sheets), "-o", str(target), "--today", "2026-08-01")
    assert (code, err) == (0, "")
    assert out == f"制度 4件（公開 3、非公開 1）を「{target}」に書き出しました（受付終了は 2026-08-01 現在）。\n"
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "制度一覧"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == EXPECTED_COLUMNS == list(COLUMNS)
    check_rows([{k: ("" if v is None else v) for k, v in zip(values[0], row)} for row in values[1:]],
               dt.datetime(2027, 3, 31))
    deadline = sheet.cell(2, EXPECTED_COLUMNS.index("申請期限") + 1)
    assert (deadline.is_date, deadline.number_format) == (True, "yyyy-mm-dd")  # Excel sorts and filters it as a date


def test_export_csv_in_utf8_with_bom(capsys, sheets, tmp_path):
    target = tmp_path / "制度一覧.CSV"
    code, _, _ = run(capsys, "export", str(sheets), "-o", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf\xe9\x83\xa8\xe7\xbd\xb2,")  # BOM, then 部署
    with target.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == EXPECTED_COLUMNS
        check_rows(list(reader), "2027-03-31")


@pytest.mark.parametrize(("today", "closed"), [("2027-03-31", ""), ("2027-04-01", "○")])
def test_a_program_whose_deadline_has_passed_is_marked_closed(capsys, sheets, tmp_path, today, closed):
    """受付終了 on the day after shien-kin's 申請期限 (2027-03-31), not on the day itself; 随時 never closes."""
    target = tmp_path / "t.csv"
    assert run(capsys, "export", str(sheets), "-o", str(target), "--today", today)[0] == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["制度ID"]: r["受付終了"] for r in csv.DictReader(handle)}
    assert (rows["shien-kin"], rows["risai"]) == (closed, "")


def test_an_existing_file_is_kept_unless_forced(capsys, sheets, tmp_path):
    target = tmp_path / "取りまとめ表.xlsx"
    target.write_bytes(b"the table of last month")
    code, out, err = run(capsys, "export", str(sheets), "-o", str(target))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (f"エラー: 「{target}」はすでにあります。上書きはしません。別のファイル名を -o で指定するか、"
                                   "上書きしてよければ --force を付けてください。")
    assert target.read_bytes() == b"the table of last month"
    assert run(capsys, "export", str(sheets), "-o", str(target), "--force")[0] == 0
    assert openpyxl.load_workbook(target).active.title == "制度一覧"


def test_an_unreadable_today_is_a_usage_error(capsys, sheets, tmp_path):
    code, _, err = run(capsys, "export", str(sheets), "-o", str(tmp_path / "t.csv"), "--today", "8月1日")
    assert code == 2
    assert err.splitlines()[0] == "エラー: --today の「8月1日」が日付として読めません。2026-08-01 の形で指定してください。"


def test_every_department_is_in_the_table(capsys, sheets, tmp_path):
    write_department(sheets, name="住宅課.xlsx", department=[["項目", "値"], ["部署名", "住宅課"]],
                     programs=[program_row("shuri", "住宅の応急修理", category="住まい")])
    target = tmp_path / "t.csv"
    assert run(capsys, "export", str(sheets), "-o", str(target))[0] == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert [(r["部署"], r["制度ID"]) for r in csv.DictReader(handle)][:2] == [("住宅課", "shuri"), ("福祉課", "shien-kin")]


@pytest.mark.parametrize("name", ["表.txt", "表", "表.xls"])
def test_an_unknown_suffix_is_a_usage_error(capsys, sheets, tmp_path, name):
    code, out, err = run(capsys, "export", str(sheets), "-o", str(tmp_path / name))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"エラー: 「{tmp_path / name}」の形式が分かりません。ファイル名の最後を .xlsx か .csv にしてください。"
    assert not (tmp_path / name).exists()


def test_export_needs_an_output_file(capsys, sheets):
    code, _, err = run(capsys, "export", str(sheets))
    assert code == 2 and err.splitlines()[0] == "エラー: 書き出すファイルを -o で指定してください（例: -o 取りまとめ表.xlsx）。"


def test_export_of_sheets_with_errors_writes_nothing(capsys, sheets, tmp_path):
    write_department(sheets, programs=[program_row("a", "分類違い", category="すまい")])
    target = tmp_path / "t.xlsx"
    code, out, err = run(capsys, "export", str(sheets), "-o", str(target))
    assert code == 1 and "[エラー] 福祉課.xlsx" in out
    assert err == "エラー: シートにエラーがあるため書き出しませんでした。上のエラーを直してください。\n"
    assert not target.exists()


def test_export_has_help_with_an_example(capsys):
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0 and "例:" in out


def test_check_and_build_do_not_import_pandas(sheets, tmp_path):
    script = textwrap.dedent(f"""
        import sys
        import navigator.cli
        assert "pandas" not in sys.modules, "import navigator.cli"
        for args in (["check", {str(sheets)!r}], ["build", {str(sheets)!r}, "-o", {str(tmp_path / 'site')!r}]):
            try:
                navigator.cli.main(args)
            except SystemExit as exited:
                assert exited.code == 0, (args, exited.code)
            assert "pandas" not in sys.modules, args
        print("ok")
    """)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("ok\n")
