"""The command line as users type it: exit codes and exact output."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run
from sheetmaker import PROGRAMS, SETTINGS, program_row, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.rules import arrange, match

SAMPLE_CITY = Path(__file__).parent.parent / "sheets"


def test_check_a_clean_folder(capsys, sheets):
    code, out, err = run(capsys, "check", str(sheets))
    assert (code, err) == (0, "")
    assert out == "問題はありません。制度 4件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2\n"


def test_check_prints_every_problem_and_exits_1(capsys, sheets):
    write_department(sheets, programs=PROGRAMS + [
        program_row("a", "分類違い", category="すまい"),
        program_row("b", "印違い", **{"住家被害:全壊": "△"}),
    ])
    code, out, _ = run(capsys, "check", str(sheets))
    assert code == 1
    assert out.splitlines() == [
        "[エラー] 福祉課.xlsx / 制度 / C7: 分類「すまい」は common.xlsx の分類シートにありません。"
        "「生活再建」「住まい」「子育て・教育」 のどれかにしてください（もしかして「住まい」？）。",
        "[エラー] 福祉課.xlsx / 制度 / O8: 条件列「住家被害:全壊」の「△」は読めません。対象にするなら「○」、しないなら空欄にしてください。",
        "エラー 2件、警告 0件。制度 6件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 2。部署 1・ブック 2",
    ]


def test_check_json(capsys, sheets):
    write_department(sheets, programs=PROGRAMS + [program_row("a", "分類違い", category="すまい")])
    code, out, _ = run(capsys, "check", str(sheets), "--format", "json")
    assert code == 1
    assert json.loads(out) == [{
        "severity": "error", "code": "unknown-category", "file": "福祉課.xlsx", "sheet": "制度", "cell": "C7",
        "message": "分類「すまい」は common.xlsx の分類シートにありません。「生活再建」「住まい」「子育て・教育」 のどれかにしてください"
                   "（もしかして「住まい」？）。",
    }]


def test_check_json_of_a_clean_folder_is_an_empty_list(capsys, sheets):
    code, out, _ = run(capsys, "check", str(sheets), "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_a_folder_without_common_xlsx_is_a_sheet_problem(capsys, tmp_path):
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 1
    assert out.splitlines()[0] == (f"[エラー] フォルダ「{tmp_path}」に common.xlsx がありません。"
                                   "設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください。")


@pytest.mark.parametrize("args, message", [
    (["check", "no/such/folder"], "エラー: シートのフォルダ「no/such/folder」がありません。フォルダの場所を確かめてください。"),
    (["check", "--colour"], "エラー: オプション「--colour」はありません。"),
    (["check", "--formt", "json"], "エラー: オプション「--formt」はありません（もしかして「--format」？）。"),
    (["check", "--format", "xml"], "エラー: --format の値が正しくありません。使える値は text, json です。"),
    (["chek"], "エラー: コマンド「chek」はありません。使えるコマンドは build, check, diff, export, init, match, serve, template, translate です（もしかして「check」？）。"),
])
def test_wrong_usage_exits_2_with_a_japanese_message(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.splitlines()[0] == message
    assert err.splitlines()[1].startswith("使い方は「navigator")


def test_match_json_in_site_order(capsys, sheets):
    code, out, _ = run(capsys, "match", str(sheets), "--answer", "住家被害=全壊", "--json")
    assert code == 0
    # 世帯人数 unanswered: 生活再建支援金 may apply; 応急仮設住宅 (住まい) comes after 生活再建.
    assert json.loads(out) == {"applies": ["risai", "kasetsu"], "may_apply": ["shien-kin"]}


def test_match_explains_why(capsys, sheets):
    code, out, _ = run(capsys, "match", str(sheets), "-a", "住家被害=大規模半壊", "-a", "世帯人数=3")
    assert code == 0
    assert out == (
        "対象となる制度（2件）\n"
        "  ■ 生活再建支援金 [shien-kin]（生活再建 / 福祉課）\n"
        "    理由: 住家被害=大規模半壊（1つ目のまたは行（3行目））\n"
        "  ■ り災証明書の交付 [risai]（生活再建 / 福祉課）\n"
        "    理由: 条件なし（どなたでも対象です）\n"
        "\n"
        "対象の可能性がある制度（0件）\n"
        "\n"
    )


def test_match_in_the_order_of_the_results_page(capsys):
    """--in-order: まず最初に, まもなく締切 (on --today), then each section by 分類, as the page shows them."""
    code, out, _ = run(capsys, "match", str(SAMPLE_CITY), "-a", "住家被害=全壊", "--in-order", "--today", "2026-09-15")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["まず最初に（2件）", "  ■ り災証明書の交付 [risai-shomei]（証明書・手続き / 総務部 危機管理課）"]
    assert re.fullmatch(r"    「り災証明書」は、ほかの\d+件の制度で必要", lines[3])
    soon = lines.index("まもなく締切（30日以内・2件）")
    assert lines[soon + 1] == "  2026-09-30まで  応急仮設住宅（建設型・賃貸型）への入居 [oukyu-kasetsu-jutaku]"
    assert lines[soon + 4:soon + 6] == ["対象となる制度（26件）", " 【生活再建・給付金】"]

    code, out, _ = run(capsys, "match", str(SAMPLE_CITY), "-a", "住家被害=全壊", "--in-order", "--today", "2026-09-15", "--json")
    site = validate_folder(SAMPLE_CITY).site
    assert json.loads(out) == arrange(site, match(site, {"住家被害": "全壊"}), dt.date(2026, 9, 15)).as_ids()


def test_match_takes_today_only_with_in_order(capsys):
    code, _, err = run(capsys, "match", str(SAMPLE_CITY), "--today", "2026-09-15")
    assert code == 2 and "--today は --in-order と一緒に指定してください。" in err


def test_match_names_the_unanswered_questions_a_program_depends_on(capsys, sheets):
    code, out, _ = run(capsys, "match", str(sheets), "-a", "住家被害=全壊")
    assert code == 0
    assert ("  ■ 生活再建支援金 [shien-kin]（生活再建 / 福祉課）\n"
            "    理由: 住家被害=全壊（1行目の条件）\n"
            "    未回答の質問: 世帯人数（世帯の人数は？） — 答えると対象かどうかが決まります\n") in out


def test_match_accepts_full_width_and_units(capsys, sheets):
    code, out, _ = run(capsys, "match", str(sheets), "-a", "住家被害＝全壊", "-a", "世帯人数=３人", "--json")
    assert (code, json.loads(out)) == (0, {"applies": ["shien-kin", "risai", "kasetsu"], "may_apply": []})


def test_match_ignores_answers_to_questions_not_asked(capsys, sheets):
    # 再建方法 is asked only for 全壊 or 大規模半壊.
    code, out, _ = run(capsys, "match", str(sheets), "-a", "住家被害=半壊", "-a", "再建方法=補修", "--json")
    assert (code, json.loads(out)) == (0, {"applies": ["risai"], "may_apply": []})


@pytest.mark.parametrize("written", ["3", "3人", "３", "３人", "3 人", "3名"])
def test_match_reads_numbers_as_people_type_them(capsys, sheets, written):
    code, out, _ = run(capsys, "match", str(sheets), "-a", "住家被害=全壊", "-a", f"世帯人数={written}", "--json")
    assert code == 0 and "shien-kin" in json.loads(out)["applies"]


def test_match_none_of_these_on_a_multiple_choice_question(capsys, sheets):
    code, out, _ = run(capsys, "match", str(sheets), "-a", "世帯の状況=", "--json")
    assert code == 0 and json.loads(out)["applies"] == ["risai"]


@pytest.mark.parametrize("answer, message", [
    ("住家被害=全部", "エラー: 「全部」は質問「住家被害」の選択肢にありません。選択肢は 「全壊」「大規模半壊」「半壊」「一部損壊」「被害なし」 です。"),
    ("住家被害=全壊x", "エラー: 「全壊x」は質問「住家被害」の選択肢にありません。選択肢は 「全壊」「大規模半壊」「半壊」「一部損壊」「被害なし」 です（もしかして「全壊」？）。"),
    ("住宅被害=全壊", "エラー: 質問ID「住宅被害」はありません。質問IDは 「住家被害」「再建方法」「世帯人数」「世帯の状況」「事業」 です（もしかして「住家被害」？）。"),
    ("世帯人数=たくさん", "エラー: 質問「世帯人数」は数値の質問です。「たくさん」は数として読めません。0人以上の整数で答えてください（例: 世帯人数=3）。"),
    ("世帯人数=-2", "エラー: 質問「世帯人数」は数値の質問です。「-2」は受け付けられません。0人以上の整数で答えてください（例: 世帯人数=3）。"),
    ("世帯人数=2.5人", "エラー: 質問「世帯人数」は数値の質問です。「2.5人」は受け付けられません。0人以上の整数で答えてください（例: 世帯人数=3）。"),
    ("住家被害", "エラー: 回答「住家被害」が読めません。「質問ID=回答」の形で指定してください（例: --answer 住家被害=全壊）。"),
])
def test_match_refuses_unknown_questions_and_choices(capsys, sheets, answer, message):
    code, out, err = run(capsys, "match", str(sheets), "--answer", answer)
    assert code == 2
    assert err.splitlines()[0] == message


def test_match_on_sheets_with_errors_exits_1(capsys, sheets):
    write_department(sheets, programs=[program_row("a", "分類違い", category="すまい")])
    code, out, err = run(capsys, "match", str(sheets))
    assert code == 1
    assert err == "エラー: シートにエラーがあるため判定できません。上のエラーを直してください。\n"


def test_build_prints_the_accounting_line(capsys, sheets, tmp_path):
    code, out, err = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert re.fullmatch(
        r"制度 4件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2。"
        rf"ページ 14件を含む 38ファイルを「{re.escape(str(tmp_path / 'site'))}」に書き出しました（\d+\.\d\d秒）。\n", out)


def test_build_with_a_public_url_also_writes_the_sitemap_and_robots_txt(capsys, sheets, tmp_path):
    write_common(sheets, settings=[*SETTINGS, ["公開URL", "https://navi.test.example.jp/"]])
    code, out, err = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert "ページ 14件を含む 40ファイルを" in out  # 38 and sitemap.xml, robots.txt
    assert (tmp_path / "site" / "sitemap.xml").is_file() and (tmp_path / "site" / "robots.txt").is_file()


def test_build_with_errors_writes_nothing(capsys, sheets, tmp_path):
    write_department(sheets, programs=[program_row("a", "分類違い", category="すまい")])
    code, out, err = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert code == 1
    assert not (tmp_path / "site").exists()
    assert err == f"エラー: エラーがあるためサイトを作りませんでした。「{tmp_path / 'site'}」は前のままです。\n"


def test_python_dash_m_works_the_same_and_defaults_to_sheets(sheets):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "navigator", "check"], cwd=sheets.parent, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("問題はありません。")
    built = subprocess.run([sys.executable, "-m", "navigator", "build"], cwd=sheets.parent, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (sheets.parent / "build" / "index.html").is_file()


def test_the_process_ends_with_the_commands_exit_code_and_all_it_printed(sheets, tmp_path):
    """Run as a process, navigator ends without freeing its objects one by one (cli/base.py's _end_process): the
    exit code, every line on stdout and stderr, and the atexit handlers are as sys.exit would leave them."""
    write_department(sheets, programs=PROGRAMS + [program_row("a", "分類違い", category="すまい")])
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    checked = subprocess.run([sys.executable, "-m", "navigator", "check", str(sheets)], env=env,
                             capture_output=True, text=True)
    assert checked.returncode == 1
    assert checked.stdout.splitlines()[-1].startswith("エラー 1件、警告 0件。")
    built = subprocess.run([sys.executable, "-m", "navigator", "build", str(sheets), "-o", str(tmp_path / "site")],
                           env=env, capture_output=True, text=True)
    assert (built.returncode, built.stderr.splitlines()[-1]) == (1, f"エラー: エラーがあるためサイトを作りませんでした。「{tmp_path / 'site'}」は前のままです。")
    wrong = subprocess.run([sys.executable, "-m", "navigator", "check", "--colour"], env=env, capture_output=True, text=True)
    assert wrong.returncode == 2 and "使い方は「navigator check --help」" in wrong.stderr
    at_exit = subprocess.run([sys.executable, "-c", "import atexit, sys; from navigator.cli import main; "
                              "atexit.register(lambda: print('atexit ran', flush=True)); sys.argv = ['navigator', '--version']; main()"],
                             env=env, capture_output=True, text=True)
    assert at_exit.returncode == 0 and at_exit.stdout.splitlines()[-1] == "atexit ran"


def test_no_traceback_for_a_broken_workbook(capsys, sheets):
    (sheets / "壊れた.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run(capsys, "check", str(sheets))
    assert code == 1
    assert "Traceback" not in out + err
    assert "[エラー] 壊れた.xlsx: " in out


def test_every_command_has_japanese_help_with_an_example(capsys):
    from navigator.cli import cli

    assert len(cli.commands) >= 8
    for command in cli.commands:
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert "例:" in out, command




def test_an_internal_error_is_one_line_unless_debug(capsys, sheets, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("navigator.cli.check.validate_folder", broken)
    code, out, err = run(capsys, "check", str(sheets))
    assert code == 3
    assert err == "エラー: 内部エラーが発生しました（RuntimeError: boom）。--debug を付けて実行すると詳細が表示されます。\n"
    code, out, err = run(capsys, "--debug", "check", str(sheets))
    assert code == 3
    assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err


def test_progress_is_silent_when_not_a_terminal(capsys, sheets, tmp_path):
    code, out, err = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert code == 0 and err == "" and "\r" not in out


def test_help_is_in_japanese(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("使い方: navigator")
    assert "このヘルプを表示して終了します。" in out and "Show this message" not in out
