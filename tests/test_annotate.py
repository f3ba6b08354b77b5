"""`navigator check --annotate DIR`: copies to send back, with the problems marked on the cells."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from sheetmaker import DEPARTMENT, PROGRAM_HEADERS, PROGRAMS, program_row, small_city, write_department, write_workbook

from navigator.check.validate import validate_folder
from navigator.cli import main
from navigator.contract.problems import Problem
from navigator.tooling.annotate import COMMENT_AUTHOR, ERROR_COLOUR, RESULT_HEADERS, WARNING_COLOUR, annotate_workbook

BAD_CATEGORY = ("分類「すまい」は common.xlsx の分類シートにありません。「生活再建」「住まい」「子育て・教育」 のどれかにしてください"
                "（もしかして「住まい」？）。")
BAD_MARK = "条件列「住家被害:全壊」の「△」は読めません。対象にするなら「○」、しないなら空欄にしてください。"
UNKNOWN_COLUMN = "列「メモ」は使われません（無視します）。制度の列か条件列にするなら見出しを直してください。"
CORRUPT = "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def values(book, skip=("確認結果",)) -> dict:
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets if ws.title not in skip}


@pytest.fixture
def sheets(tmp_path) -> Path:
    folder = small_city(tmp_path / "sheets")
    # C7: an error; O8: an error; S1: a warning (an unknown column).
    write_department(folder, headers=PROGRAM_HEADERS + ["メモ"], programs=PROGRAMS + [
        program_row("a", "分類違い", category="すまい"),
        program_row("b", "印違い", **{"住家被害:全壊": "△"}),
    ])
    return folder


def test_the_copy_marks_each_problem_cell(capsys, sheets, tmp_path):
    out_dir = tmp_path / "返却"
    before = digests(sheets)
    code, out, err = run(capsys, "check", str(sheets), "--annotate", str(out_dir))
    assert (code, err) == (1, "")
    assert out.splitlines()[-2:] == [
        "確認結果を書き込んだブック（1件、元のブックは変更していません）:",
        f"  {out_dir / '福祉課.xlsx'}（エラー 2件、警告 1件）",
    ]
    assert digests(sheets) == before  # the originals are byte-identical
    assert sorted(p.name for p in out_dir.iterdir()) == ["福祉課.xlsx"]  # common.xlsx has no problems

    book = openpyxl.load_workbook(out_dir / "福祉課.xlsx")
    programs = book["制度"]
    assert programs["C7"].fill.fgColor.rgb == ERROR_COLOUR
    assert programs["O8"].fill.fgColor.rgb == ERROR_COLOUR
    assert programs["S1"].fill.fgColor.rgb == WARNING_COLOUR
    assert ERROR_COLOUR != WARNING_COLOUR
    assert programs["C7"].comment.text == f"[エラー] {BAD_CATEGORY}"
    assert programs["C7"].comment.author == COMMENT_AUTHOR
    assert programs["S1"].comment.text == f"[警告] {UNKNOWN_COLUMN}"
    assert programs["A2"].comment is None and programs["A2"].fill.fill_type is None
    # Nothing else changed: every value of every sheet is as in the original.
    assert values(book) == values(openpyxl.load_workbook(sheets / "福祉課.xlsx"))


def test_the_result_sheet_lists_every_problem_with_a_link(capsys, sheets, tmp_path):
    run(capsys, "check", str(sheets), "--annotate", str(tmp_path / "返却"))
    book = openpyxl.load_workbook(tmp_path / "返却" / "福祉課.xlsx")
    assert book.sheetnames == ["確認結果", "部署", "制度"]
    assert book.active.title == "確認結果"
    result = book["確認結果"]
    assert [[c.value for c in row] for row in result.iter_rows()] == [
        list(RESULT_HEADERS),
        ["警告", "制度", "S1", UNKNOWN_COLUMN],
        ["エラー", "制度", "C7", BAD_CATEGORY],
        ["エラー", "制度", "O8", BAD_MARK],
    ]
    assert [result.cell(row, 3).hyperlink.location for row in (2, 3, 4)] == ["'制度'!S1", "'制度'!C7", "'制度'!O8"]
    assert all(result.cell(row, 3).hyperlink.target is None for row in (2, 3, 4))  # internal links, no file


def test_the_annotated_copy_reads_the_same(capsys, sheets, tmp_path):
    """The 確認結果 sheet is ignored by the reader: the copy gives the same problems as the original."""
    out_dir = tmp_path / "返却"
    run(capsys, "check", str(sheets), "--annotate", str(out_dir))
    (out_dir / "common.xlsx").write_bytes((sheets / "common.xlsx").read_bytes())
    assert validate_folder(out_dir).report.problems == validate_folder(sheets).report.problems


def test_an_earlier_result_sheet_is_replaced(capsys, sheets, tmp_path):
    first, second = tmp_path / "1回目", tmp_path / "2回目"
    run(capsys, "check", str(sheets), "--annotate", str(first))
    (first / "common.xlsx").write_bytes((sheets / "common.xlsx").read_bytes())
    code, _, _ = run(capsys, "check", str(first), "--annotate", str(second))
    assert code == 1
    book = openpyxl.load_workbook(second / "福祉課.xlsx")
    assert book.sheetnames == ["確認結果", "部署", "制度"]
    assert book["確認結果"].max_row == 4
    # Our own earlier comment is replaced, not repeated.
    assert book["制度"]["C7"].comment.text == f"[エラー] {BAD_CATEGORY}"


def test_a_result_sheet_in_a_clean_workbook_is_ignored(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    book = openpyxl.load_workbook(folder / "福祉課.xlsx")
    old = book.create_sheet("確認結果")
    old.append(["種類", "シート", "セル", "内容"])
    old.append(["エラー", "制度", "C7", "古い指摘"])
    book.save(folder / "福祉課.xlsx")
    code, out, _ = run(capsys, "check", str(folder), "--annotate", str(tmp_path / "返却"))
    assert code == 0
    assert out.splitlines()[-1] == "確認結果を書き出すブックはありません（問題のあるブックがありません）。"
    assert not (tmp_path / "返却").exists() or not any((tmp_path / "返却").iterdir())


def test_a_missing_sheet_is_listed_only(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_workbook(folder / "福祉課.xlsx", {"部署": DEPARTMENT, "制度一覧": [["制度ID", "制度名"]]})
    run(capsys, "check", str(folder), "--annotate", str(tmp_path / "返却"))
    book = openpyxl.load_workbook(tmp_path / "返却" / "福祉課.xlsx")
    rows = [[c.value for c in row] for row in book["確認結果"].iter_rows()]
    assert rows == [list(RESULT_HEADERS),
                    ["エラー", None, None, "シート「制度」がありません。シート「制度一覧」のことなら、シート名を「制度」に直してください。"]]
    assert book["確認結果"]["B2"].hyperlink is None and book["確認結果"]["C2"].hyperlink is None
    assert all(cell.comment is None for ws in book.worksheets for row in ws.iter_rows() for cell in row)


def test_a_problem_on_a_sheet_without_a_cell_links_to_the_sheet(tmp_path):
    folder = small_city(tmp_path / "sheets")
    problem = Problem("missing-header", "見出し行が見つかりません。", file="福祉課.xlsx", sheet="制度")
    annotate_workbook(folder / "福祉課.xlsx", [problem], tmp_path / "返却" / "福祉課.xlsx")
    result = openpyxl.load_workbook(tmp_path / "返却" / "福祉課.xlsx")["確認結果"]
    assert [c.value for c in result[2]] == ["エラー", "制度", None, "見出し行が見つかりません。"]
    assert result["B2"].hyperlink.location == "'制度'!A1"


def test_several_problems_in_one_cell_make_one_comment(tmp_path):
    folder = small_city(tmp_path / "sheets")
    book = openpyxl.load_workbook(folder / "福祉課.xlsx")
    book["制度"]["B4"].comment = Comment("課のメモ: 名称確認中", "福祉課 山田")
    book["制度"].merge_cells("D4:E4")
    book.save(folder / "福祉課.xlsx")
    problems = [
        Problem("unknown-column", "警告の文。", file="福祉課.xlsx", sheet="制度", cell="B4"),
        Problem("missing-value", "エラーの文。", file="福祉課.xlsx", sheet="制度", cell="B4"),
        Problem("missing-value", "結合セルの中。", file="福祉課.xlsx", sheet="制度", cell="E4"),
    ]
    target = tmp_path / "返却" / "福祉課.xlsx"
    annotate_workbook(folder / "福祉課.xlsx", problems, target)
    sheet = openpyxl.load_workbook(target)["制度"]
    # An error and a warning in one cell: one comment with both, in the error colour; the department's note kept.
    assert sheet["B4"].comment.text == "[警告] 警告の文。\n[エラー] エラーの文。\n（元のコメント）課のメモ: 名称確認中"
    assert sheet["B4"].fill.fgColor.rgb == ERROR_COLOUR
    # Inside a merged area the mark goes on the cell that shows it, naming the cell.
    assert sheet["D4"].comment.text == "[エラー]（E4） 結合セルの中。"
    assert sheet["D4"].fill.fgColor.rgb == ERROR_COLOUR


def test_unreadable_workbooks_are_listed_not_copied(capsys, sheets, tmp_path):
    (sheets / "壊れた.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    out_dir = tmp_path / "返却"
    code, out, _ = run(capsys, "check", str(sheets), "--annotate", str(out_dir))
    assert code == 1
    assert out.splitlines()[-2:] == ["読めないため確認結果を書き込めなかったブック（1件）:", f"  壊れた.xlsx: {CORRUPT}"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["福祉課.xlsx"]


def test_one_workbook_annotated(capsys, sheets, tmp_path):
    out_dir = tmp_path / "返却"
    code, out, _ = run(capsys, "check", str(sheets / "福祉課.xlsx"), "--annotate", str(out_dir))
    assert code == 1
    assert out.splitlines()[-1] == f"  {out_dir / '福祉課.xlsx'}（エラー 2件、警告 1件）"
    assert openpyxl.load_workbook(out_dir / "福祉課.xlsx")["確認結果"].max_row == 4


def test_with_json_the_report_stays_on_stdout(capsys, sheets, tmp_path):
    code, out, err = run(capsys, "check", str(sheets), "--format", "json", "--annotate", str(tmp_path / "返却"))
    assert code == 1
    assert len(json.loads(out)) == 3
    assert err.splitlines()[0] == "確認結果を書き込んだブック（1件、元のブックは変更していません）:"


@pytest.mark.parametrize("where", ["{sheets}", "{sheets}/../sheets", "{sheets}/福祉課.xlsx"])
def test_never_into_the_folder_of_the_originals(capsys, sheets, where):
    before = digests(sheets)
    code, out, err = run(capsys, "check", str(sheets), "--annotate", where.format(sheets=sheets))
    assert (code, out) == (2, "")
    assert digests(sheets) == before
    assert err.splitlines()[0] in (
        f"エラー: --annotate のフォルダ「{where.format(sheets=sheets)}」には元のブックがあります。"
        "元のブックを上書きしないよう、別のフォルダを指定してください。",
        f"エラー: --annotate の「{where.format(sheets=sheets)}」はフォルダではありません。書き出すフォルダを指定してください。",
    )


def test_the_result_sheet_prints_in_one_piece(capsys, sheets, tmp_path):
    """Printed, 確認結果 is A4 landscape, every column across the page, the headings on each page, long lines wrapped."""
    run(capsys, "check", str(sheets), "--annotate", str(tmp_path / "返却"))
    result = openpyxl.load_workbook(tmp_path / "返却" / "福祉課.xlsx")["確認結果"]
    setup = result.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4
    assert result.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as many pages down as it takes
    assert result.print_title_rows == "$1:$1"
    assert all(result.cell(row, 4).alignment.wrap_text for row in (2, 3, 4))


def test_the_copy_keeps_the_original_mode(capsys, sheets, tmp_path):
    """A workbook the office shares (group-writable, say) comes back with the same permissions, not private."""
    (sheets / "福祉課.xlsx").chmod(0o664)
    run(capsys, "check", str(sheets), "--annotate", str(tmp_path / "返却"))
    assert (tmp_path / "返却" / "福祉課.xlsx").stat().st_mode & 0o777 == 0o664
