"""`navigator export`: the 取りまとめ表 as .xlsx or .csv, and pandas kept out of check/build."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap

import openpyxl
import pytest
from clirun import run
from sheetmaker import program_row, write_department

from navigator.tooling.export import COLUMNS

EXPECTED_COLUMNS = ["部署", "制度ID", "制度名", "分類", "公開", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類",
                    "問い合わせ先", "オンライン申請URL", "詳細URL", "条件", "ブック", "行"]


def check_rows(rows: list[dict]) -> None:
    """The small city: 4 programs in sheet order, the unpublished one marked ×, conditions in words."""
    assert [(r["制度ID"], r["公開"]) for r in rows] == [("shien-kin", "○"), ("risai", "○"), ("kasetsu", "○"), ("old", "×")]
    shien = rows[0]
    assert shien["部署"] == "福祉課" and shien["分類"] == "生活再建" and shien["支援内容"] == "最大300万円"
    assert shien["条件"] == "住家被害: 全壊 かつ 世帯人数: 2以上 ／ または 住家被害: 大規模半壊"
    assert shien["必要書類"] == "り災証明書\n預金通帳の写し"
    assert shien["申請期限"] == "2027-03-31"
    assert rows[1]["条件"] == "条件なし（どなたでも対象）" and rows[1]["申請期限"] == "随時"
    assert (shien["ブック"], str(shien["行"])) == ("福祉課.xlsx", "2")
    assert all(not r.get("備考") for r in rows)  # the internal note is not a column


def test_export_xlsx(capsys, sheets, tmp_path):
    target = tmp_path / "取りまとめ表.xlsx"
    code, out, err = run(capsys, "export", str(sheets), "-o", str(target))
    assert (code, err) == (0, "")
    assert out == f"制度 4件（公開 3、非公開 1）を「{target}」に書き出しました。\n"
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "制度一覧"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == EXPECTED_COLUMNS == list(COLUMNS)
    check_rows([{k: ("" if v is None else v) for k, v in zip(values[0], row)} for row in values[1:]])


def test_export_csv_in_utf8_with_bom(capsys, sheets, tmp_path):
    target = tmp_path / "制度一覧.CSV"
    code, _, _ = run(capsys, "export", str(sheets), "-o", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf\xe9\x83\xa8\xe7\xbd\xb2,")  # BOM, then 部署
    with target.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == EXPECTED_COLUMNS
        check_rows(list(reader))


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
