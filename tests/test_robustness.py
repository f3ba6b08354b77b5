"""Broken and hostile input, the limits, output paths, interrupted builds and determinism.

A navigator is published in a crisis: whatever is in `sheets/`, the tool says what is wrong in
one line and exits 0 or 1 (2 for a wrong command), never writes outside OUT, never leaves the
previous site half replaced or a temporary folder behind, and builds the same bytes every time.
The limits are in docs/limits.md; the hostile-text tests in the browser are tests/test_hostile.py.
"""

from __future__ import annotations

import errno
import filecmp
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from clirun import run
from sheetmaker import PROGRAMS, program_row, small_city, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.contract import sheets as schema
from navigator.contract.problems import Problem
from navigator.hashing import digest
from navigator.read import workbook as workbook_reader
from navigator.site import write as output
from navigator.site.plan import Job

ROOT = Path(__file__).resolve().parent.parent
CORRUPT = "ブックが壊れていて読めません。Excel で開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください。"
PASSWORD = "パスワードで保護されているため読めません。Excel でパスワードを解除して保存し直してください。"


def problems(folder: Path) -> list[tuple[str, str | None, str | None, str]]:
    return [(p.code, p.file, p.cell, p.message) for p in validate_folder(folder).report.problems]


def codes(folder: Path) -> list[tuple[str, str | None]]:
    return [(p.code, p.file) for p in validate_folder(folder).report.problems]


def check(capsys, folder: Path) -> tuple[int, list[str], str]:
    code, out, err = run(capsys, "check", str(folder))
    return code, out.splitlines(), err


def patch_part(path: Path, member: str, change) -> None:
    """Rewrite one part of a workbook's zip (what openpyxl would not write)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == member else data)


# The zip member of the 制度 sheet in sheetmaker's department workbooks (openpyxl numbers sheets in order).
PROGRAMS_PART = "xl/worksheets/sheet2.xml"


# ---------------------------------------------------------------- files that are not workbooks


@pytest.mark.parametrize("cut", [0.01, 0.3, 0.5, 0.9, 0.999])
def test_a_truncated_workbook_is_one_corrupt_message(capsys, sheets, cut):
    whole = (sheets / "福祉課.xlsx").read_bytes()
    (sheets / "福祉課.xlsx").write_bytes(whole[: max(4, int(len(whole) * cut))])
    code, lines, err = check(capsys, sheets)
    assert code == 1 and err == ""
    assert lines[0] == f"[エラー] 福祉課.xlsx: {CORRUPT}"
    assert len([line for line in lines if line.startswith("[エラー]")]) == 1


def test_a_workbook_with_scrambled_bytes_inside_is_corrupt(sheets):
    path = sheets / "福祉課.xlsx"
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 200):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    assert codes(sheets) == [("corrupt-workbook", "福祉課.xlsx")]


def test_a_real_password_protected_workbook(sheets, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    write_department(tmp_path, name="plain.xlsx")
    with plain.open("rb") as source, (sheets / "福祉課.xlsx").open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    assert msoffcrypto.OfficeFile((sheets / "福祉課.xlsx").open("rb")).is_encrypted()
    assert problems(sheets) == [("password-protected", "福祉課.xlsx", None, PASSWORD)]


@pytest.mark.parametrize("name, kind", [
    ("防災課.xls", "Excel 97-2003 形式（.xls）"),
    ("防災課.xlsb", "Excel バイナリ形式（.xlsb）"),
    ("防災課.ods", "OpenDocument 形式（.ods）"),
    ("防災課.csv", "CSV 形式（.csv）"),
    ("防災課.XLS", "Excel 97-2003 形式（.xls）"),
])
def test_other_spreadsheet_formats_are_refused_by_name(capsys, sheets, name, kind):
    """Decided: only .xlsx/.xlsm are read (docs/sheet-format.md); the others are errors, never skipped silently."""
    (sheets / name).write_bytes(b"whatever is inside")
    code, lines, _ = check(capsys, sheets)
    assert code == 1
    assert lines[0].startswith(f"[エラー] {name}: {kind}のファイルです。{kind}のファイルは読みません。")
    assert len(lines) == 2  # the message and the summary


def test_an_xls_or_ods_renamed_to_xlsx_says_what_it_is(sheets):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "Workbook\0".encode("utf-16-le") + bytes(400)
    (sheets / "古い.xlsx").write_bytes(ole)
    with zipfile.ZipFile(sheets / "ods.xlsx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    found = {file: message for _, file, _, message in problems(sheets)}
    assert found["古い.xlsx"].startswith("中身がExcel 97-2003 形式（.xls）のファイルです。")
    assert found["ods.xlsx"].startswith("中身がOpenDocument 形式（.ods）のファイルです。")
    assert codes(sheets) == [("unsupported-format", "ods.xlsx"), ("unsupported-format", "古い.xlsx")]


def test_a_zero_byte_common_workbook(capsys, sheets):
    (sheets / "common.xlsx").write_bytes(b"")
    code, lines, _ = check(capsys, sheets)
    assert code == 1
    assert lines[0] == ("[エラー] common.xlsx: ファイルの中身が空です（0 バイト）。コピーや保存が途中で止まったファイルです。"
                        "元のブックを Excel で保存し直して、もう一度置いてください。")


@pytest.mark.parametrize("content", [b"%PDF-1.7\n" + bytes(300), b"\x89PNG\r\n\x1a\n" + bytes(300), b"PK\x05\x06" + bytes(18)])
def test_other_files_named_xlsx(sheets, content):
    (sheets / "福祉課.xlsx").write_bytes(content)
    [(code, file)] = codes(sheets)
    assert file == "福祉課.xlsx" and code in ("unreadable-workbook", "corrupt-workbook")


def test_a_zip_that_is_not_a_workbook(sheets):
    with zipfile.ZipFile(sheets / "福祉課.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert codes(sheets) == [("corrupt-workbook", "福祉課.xlsx")]


def test_other_files_in_the_folder_are_left_alone(sheets):
    (sheets / "README.md").write_text("メモ", encoding="utf-8")
    (sheets / "写真.jpg").write_bytes(b"\xff\xd8\xff")
    (sheets / "~$福祉課.xlsx").write_bytes(b"lock")
    (sheets / ".~lock.福祉課.ods#").write_bytes(b"lock")
    (sheets / "古い版").mkdir()
    (sheets / "古い版" / "福祉課.xls").write_bytes(b"old")
    (sheets / "フォルダ.xlsx").mkdir()  # sub-folders are not read, whatever their name
    assert problems(sheets) == []


# ---------------------------------------------------------------- links, pipes, folders


def test_a_link_to_a_workbook_is_read_wherever_it_points(sheets, tmp_path):
    """Decided: a link is followed (a coordinator may link the departments' shared-drive files)."""
    shared = tmp_path / "共有ドライブ" / "福祉課"
    shared.mkdir(parents=True)
    (sheets / "福祉課.xlsx").rename(shared / "制度一覧.xlsx")
    (sheets / "福祉課.xlsx").symlink_to(shared / "制度一覧.xlsx")
    validation = validate_folder(sheets)
    assert validation.report.problems == []
    assert {p.file for p in validation.site.programs} == {"福祉課.xlsx"}


def test_a_broken_link_is_one_message(capsys, sheets, tmp_path):
    (sheets / "防災課.xlsx").symlink_to(tmp_path / "消えた.xlsx")
    (sheets / "ループ.xlsx").symlink_to(sheets / "ループ.xlsx")
    code, lines, _ = check(capsys, sheets)
    assert code == 1
    assert lines[:2] == [
        "[エラー] ループ.xlsx: リンク先のファイル「" + str(sheets / "ループ.xlsx") + "」がありません。"
        "リンクを作り直すか、ブックそのものをフォルダに置いてください。",
        f"[エラー] 防災課.xlsx: リンク先のファイル「{tmp_path / '消えた.xlsx'}」がありません。"
        "リンクを作り直すか、ブックそのものをフォルダに置いてください。"]


def test_a_pipe_named_xlsx_is_never_opened(sheets):
    os.mkfifo(sheets / "防災課.xlsx")  # opening it would wait forever
    assert problems(sheets) == [("unreadable-workbook", "防災課.xlsx", None,
                                 "ふつうのファイルではありません（パイプや装置のファイルです）。ブックそのものをフォルダに置いてください。")]


def test_sheets_folder_missing_empty_or_a_file(capsys, tmp_path):
    code, out, err = run(capsys, "build", str(tmp_path / "ない"), "-o", str(tmp_path / "site"))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"エラー: シートのフォルダ「{tmp_path / 'ない'}」がありません。フォルダの場所を確かめてください。"
    (tmp_path / "空").mkdir()
    code, out, _ = run(capsys, "build", str(tmp_path / "空"), "-o", str(tmp_path / "site"))
    assert code == 1
    assert out.splitlines()[0] == (f"[エラー] フォルダ「{tmp_path / '空'}」に common.xlsx がありません。"
                                   "設定・質問・分類を書いた common.xlsx をこのフォルダに置いてください。")
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "build", str(tmp_path / "file"))
    assert code == 2 and "はフォルダではありません" in err
    assert not (tmp_path / "site").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_files_and_folders_that_cannot_be_read(capsys, sheets, tmp_path):
    (sheets / "福祉課.xlsx").chmod(0)
    assert codes(sheets) == [("unreadable-workbook", "福祉課.xlsx")]
    sheets.chmod(0)
    try:
        code, _, err = run(capsys, "check", str(sheets))
        assert code == 2 and "を読めません" in err
    finally:
        sheets.chmod(0o755)


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize("name", [
    "福祉 課（2024年度）#1 & 'x' ;.xlsx",
    "emoji 🌸 支援.xlsx",
    "か\u3099んきょう.xlsx",  # NFD, as a Mac writes names
    "-o.xlsx",
    "a%20b?c=d.xlsx",
])
def test_odd_file_names_build(capsys, sheets, tmp_path, name):
    (sheets / "福祉課.xlsx").rename(sheets / name)
    out = tmp_path / "出力 先"
    code, text, err = run(capsys, "build", str(sheets), "-o", str(out))
    assert (code, err) == (0, ""), text
    assert json.loads((out / "catalog.json").read_text(encoding="utf-8"))["programs"]


def test_a_file_name_that_is_not_utf8_is_reported_on_one_printable_line(capsys, sheets):
    bad = os.fsdecode(b"\xff\xfe-\x95\x9f\x8e\x83.xlsx")  # Shift_JIS bytes from an old file server
    write_department(sheets, name=bad, programs=[program_row("other", "別の制度", 公開="未定")])
    code, out, err = run(capsys, "check", str(sheets))
    assert code == 1 and err == ""
    line = out.splitlines()[0]
    assert line.startswith("[エラー] \\xff\\xfe-\\x95\\x9f\\x8e\\x83.xlsx / 制度 / M2: 公開「未定」が読めません。")
    run(capsys, "check", str(sheets), "--format", "json")  # encodable too


def test_control_characters_and_huge_values_never_break_a_message_line(capsys, sheets):
    rows = [dict(row) for row in PROGRAMS]
    rows[2]["公開"] = "未定\n_x0007_[エラー] 偽のメッセージ\u2028" + "長" * 5000  # _x0007_: how Excel stores BEL
    write_department(sheets, programs=rows)
    code, out, _ = run(capsys, "check", str(sheets))
    [line, summary] = out.splitlines()
    assert code == 1 and summary.startswith("エラー 1件")
    assert line.startswith("[エラー] 福祉課.xlsx / 制度 / M4: 公開「未定␊␇[エラー] 偽のメッセージ\\u2028長長")
    assert "（全5,018文字）" in line and line.endswith("公開しないなら「×」にしてください。")
    assert len(line) < 400


def test_problem_fields_are_one_line():
    problem = Problem("missing-value", "a\nb", file="x\ny.xlsx", sheet="s\tt", cell="A1")
    assert (problem.message, problem.file, problem.sheet) == ("a␊b", "x␊y.xlsx", "s␉t")


# ---------------------------------------------------------------- workbooks saved by other software

LIBREOFFICE = ROOT / "tests" / "fixtures" / "libreoffice"


def test_workbooks_saved_by_libreoffice_read_the_same(tmp_path):
    """sheetmaker's small_city, with an autofilter on 制度, opened and saved by LibreOffice Calc 7.4 (made
    with `soffice --headless --convert-to xlsx --outdir tests/fixtures/libreoffice common.xlsx 福祉課.xlsx`):
    its own shared strings, styles and number formats, and an empty drawing part where a sheet has a
    filter. The same model as from the files openpyxl wrote, dates and line breaks included."""
    from_libreoffice = validate_folder(LIBREOFFICE)
    original = validate_folder(small_city(tmp_path / "sheets"))
    assert from_libreoffice.report.problems == original.report.problems == []
    assert from_libreoffice.accounting == original.accounting
    assert repr(from_libreoffice.site) == repr(original.site)
    assert "LibreOffice" in zipfile.ZipFile(LIBREOFFICE / "福祉課.xlsx").read("docProps/app.xml").decode()


# ---------------------------------------------------------------- limits


def test_a_value_in_the_last_cell_of_excel_is_refused_not_a_crash(sheets):
    """calamine holds A1:XFD1048576 as one rectangle (512 GB): before the limits this aborted the process."""
    book = openpyxl.load_workbook(sheets / "福祉課.xlsx")
    book["制度"]["XFD1048576"] = "."
    book.save(sheets / "福祉課.xlsx")
    result = subprocess.run([sys.executable, "-m", "navigator", "check", str(sheets)], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "[エラー] 福祉課.xlsx / 制度 / XFD1048576: シートの値が 1,048,576 行目まであり、上限の 10,000 行を超えています。"
        "使っていない行や列（離れたセルに入った値）を削除して保存し直してください。")


def test_too_many_columns_and_too_large_an_area(sheets):
    book = openpyxl.load_workbook(sheets / "福祉課.xlsx")
    book["制度"].cell(row=3, column=schema.MAX_COLUMNS + 1, value="x")
    book.save(sheets / "福祉課.xlsx")
    assert problems(sheets) == [("workbook-too-large", "福祉課.xlsx", "BXY3",
                                 "シートの値が BXY 列（2,001 列目）まであり、上限の 2,000 列（BXX 列）を超えています。"
                                 "使っていない行や列（離れたセルに入った値）を削除して保存し直してください。")]
    write_department(sheets)
    book = openpyxl.load_workbook(sheets / "福祉課.xlsx")
    book["部署"].cell(row=1500, column=1500, value="x")
    book.save(sheets / "福祉課.xlsx")
    [(code, file, cell, message)] = problems(sheets)
    assert (code, cell) == ("workbook-too-large", "BER1500")
    assert message.startswith("シートの使われている範囲が 2,250,000 セルあり、上限の 2,000,000 セルを超えています。")


def test_a_mistake_in_every_cell_lists_500_lines_per_workbook(capsys, sheets, tmp_path):
    """40,000 errors in one workbook: 500 lines and a count of the rest, the same when replayed from the cache."""
    choices = [f"選択肢{n}" for n in range(20)]
    write_common(sheets, questions=[["多", "多い質問", None, "複数選択", "\n".join(choices), None, None]])
    rows = [{"制度ID": f"p{n}", "制度名": f"制度{n}", "分類": "生活再建", "概要": "x", **{f"多:{c}": "△" for c in choices}}
            for n in range(2000)]
    write_department(sheets, headers=["制度ID", "制度名", "分類", "概要"] + [f"多:{c}" for c in choices], programs=rows)
    first = run(capsys, "check", str(sheets))
    assert run(capsys, "check", str(sheets)) == first
    code, out, err = first
    lines = out.splitlines()
    assert code == 1 and err == "" and len(lines) == 502
    assert lines[-2] == ("[エラー] 福祉課.xlsx: このブックには問題が多いため、最初の500件だけを表示しています（ほかにエラー 39,500件）。"
                         "多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。表示された問題を直してから、もう一度確認してください。")
    assert lines[-1].startswith("エラー 501件、警告 0件。制度 2000件を読み込み: 公開 0、非公開（公開=×）0、エラーで除外 2000")
    code, out, _ = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert code == 1 and not (tmp_path / "site").exists()


def test_limits_apply_only_to_the_sheets_that_are_read(sheets):
    book = openpyxl.load_workbook(sheets / "福祉課.xlsx")
    book.create_sheet("作業用")["XFD1048576"] = "遠くのメモ"
    book.create_sheet("記入方法")["A1"] = "y" * 30_000
    book.save(sheets / "福祉課.xlsx")
    assert problems(sheets) == []


def test_cells_without_a_position_are_counted_too(sheets):
    """A writer may omit r="A1": the scan counts cells in order, as calamine does."""
    def strip_positions(xml: bytes) -> bytes:
        xml = re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)
        return xml.replace(b"</row>", b"".join([b"<c><v>1</v></c>"] * (schema.MAX_COLUMNS + 5)) + b"</row>", 1)
    patch_part(sheets / "福祉課.xlsx", PROGRAMS_PART, strip_positions)
    [(code, file, cell, message)] = problems(sheets)
    assert code == "workbook-too-large" and "上限の 2,000 列" in message


def test_the_quick_look_at_a_sheet_decides_as_the_scan_does(monkeypatch):
    """_surely_within_limits (every cell tag with its position first) against the scan without it: 3,000 sheets
    of cells near and over the limits, written as Excel and openpyxl write them and otherwise."""
    monkeypatch.setattr(schema, "MAX_ROWS", 40)
    monkeypatch.setattr(schema, "MAX_COLUMNS", 12)
    monkeypatch.setattr(schema, "MAX_CELLS", 300)
    forms = ['<c r="{ref}" t="n"><v>1</v></c>', '<c r="{ref}" s="2"/>', '<c r="{ref}" s="2" />', '<c r="{ref}"></c>',
             '<c s="1" r="{ref}"><v>2</v></c>', '<c><v>3</v></c>', '<x:c r="{ref}"><x:v>4</x:v></x:c>',
             '<c\tr="{ref}"><v>5</v></c>', '<c r="{letters}"><v>6</v></c>', '<c r="{ref}" t="inlineStr"><is><t>a:c &lt;c</t></is></c>']
    rng = random.Random(20261205)

    def outcome(xml: bytes):
        try:
            return sorted(workbook_reader._scan_sheet("制度", xml))
        except workbook_reader.WorkbookReadError as exc:
            return exc.code, exc.cell, exc.message

    for _ in range(3000):
        rows, widest = [], rng.choice([7, 12, 13, 16])  # the limits' edges: 40 rows, 12 columns, 300 cells
        numbers = set(rng.sample(range(1, 60), rng.randint(0, 6))) | set(rng.sample([40, 41], rng.randint(0, 1)))
        for row in sorted(numbers):
            cells = []
            for column in sorted(rng.sample(range(widest), rng.randint(0, 5))):
                form = rng.choice(forms[:4] * 6 + forms[4:])  # most sheets are written the usual way
                letters = workbook_reader.column_letter(column)
                cells.append(form.format(ref=f"{letters}{row}", letters=letters))
            rows.append(f'<row r="{row}">{"".join(cells)}</row>')
        xml = f'<worksheet><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()
        quick = outcome(xml)
        with monkeypatch.context() as scan_only:
            scan_only.setattr(workbook_reader, "_surely_within_limits", lambda xml: False)
            assert quick == outcome(xml), xml


def test_a_cell_longer_than_excel_allows(sheets):
    write_department(sheets, programs=[program_row("long", "長い", 概要="MARKER")])
    patch_part(sheets / "福祉課.xlsx", PROGRAMS_PART, lambda xml: xml.replace(b"MARKER", b"y" * 40_000))
    assert problems(sheets) == [("workbook-too-large", "福祉課.xlsx", "D2",
                                 "セルの文字数が 40,000 文字あり、上限の 32,767 文字（Excel の1つのセルの上限）を超えています。"
                                 "文章を短くするか、いくつかの項目に分けてください。")]


def test_a_cell_as_long_as_excel_allows_is_published(sheets):
    long_text = "長" * schema.MAX_CELL_CHARS
    write_department(sheets, programs=[program_row("long", "長い", 支援内容=long_text)])
    validation = validate_folder(sheets)
    assert validation.report.problems == []
    assert validation.site.programs[0].benefit == long_text


def test_a_file_over_the_size_limit(sheets, monkeypatch):
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 4096)
    found = problems(sheets)
    assert found[0][:3] == ("workbook-too-large", "common.xlsx", None)
    assert found[0][3].startswith("ファイルの大きさが ") and "上限の 4 KB を超えています。" in found[0][3]


def test_a_zip_bomb_is_refused_after_reading_the_limit(sheets):
    """150 MB of XML compressed to a few hundred KB: stopped at 100 MB of unzipped XML, quickly."""
    padding = b" " * (150 * 1024 * 1024)
    patch_part(sheets / "福祉課.xlsx", PROGRAMS_PART, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding))
    assert (sheets / "福祉課.xlsx").stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    assert problems(sheets) == [("workbook-too-large", "福祉課.xlsx", None,
                                 "ブックの中身（zip を展開した大きさ）が上限の 100 MB を超えています。"
                                 "使っていない行や列、シートを削除して保存し直してください。")]
    assert time.perf_counter() - started < 10


def test_a_zip_that_lies_about_its_sizes_is_not_believed(sheets, monkeypatch):
    """The directory says 100 bytes; the part unzips to more than the limit."""
    monkeypatch.setattr(schema, "MAX_XML_BYTES", 64 * 1024)
    patch_part(sheets / "福祉課.xlsx", PROGRAMS_PART,
               lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (200 * 1024)))
    path = sheets / "福祉課.xlsx"
    data = bytearray(path.read_bytes())
    name = PROGRAMS_PART.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature + b"")
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (100).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo(name.decode()).file_size == 100
    assert codes(sheets) == [("workbook-too-large", "福祉課.xlsx")]


def test_hidden_sheets_rows_and_merged_cells_are_read_like_visible_ones(sheets):
    book = openpyxl.load_workbook(sheets / "福祉課.xlsx")
    book["制度"].row_dimensions[4].hidden = True
    book["部署"].sheet_state = "hidden"
    book["制度"].merge_cells("E2:F2")
    book.save(sheets / "福祉課.xlsx")
    validation = validate_folder(sheets)
    assert validation.report.problems == []
    assert [p.id for p in validation.site.programs] == ["shien-kin", "risai", "kasetsu"]


# ---------------------------------------------------------------- output paths


def test_page_paths_can_never_leave_the_site(tmp_path):
    for path in ("../outside.html", "/etc/passwd", "programs/../../outside.html", "a/../../x"):
        with pytest.raises(ValueError):
            output.write_site([Job("index.html", None, lambda: "ok"), Job(path, None, lambda: "x")], tmp_path / "site")
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_ids_names_and_categories_never_make_paths(capsys, sheets, tmp_path):
    write_common(sheets, categories=[["分類名", "説明"], ["../../生活再建", "x"], ["住まい", ""], ["子育て・教育", ""],
                                     ["生活再建", ""], ["/etc/passwd", ""], ["..", ""]])
    write_department(sheets, programs=[program_row("../../evil", "x"), program_row("ok", "../../名前", category="/etc/passwd"),
                                       program_row("dots", "..", category="..")])
    code, out, _ = run(capsys, "check", str(sheets))
    assert code == 1
    assert "[エラー] 福祉課.xlsx / 制度 / A2: 制度ID「../../evil」は使えません。" in out
    write_department(sheets, programs=[program_row("ok", "../../名前", category="/etc/passwd"),
                                       program_row("dots", "..", category="..")])
    before = set(tmp_path.rglob("*"))
    code, out, _ = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert code == 0, out
    made = set(tmp_path.rglob("*")) - before
    assert made and all(tmp_path / "site" in p.parents or p == tmp_path / "site" for p in made)
    assert (tmp_path / "site" / "programs" / "ok.html").is_file()


# ---------------------------------------------------------------- interrupted builds


def site_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".building-" in p.name or ".old-" in p.name)


@pytest.fixture
def built(capsys, sheets, tmp_path, monkeypatch):
    """A site built once into tmp_path/site, and the sheets changed since (a second build would differ)."""
    monkeypatch.setenv("NAVIGATOR_BUILD_DATE", "2026-08-01")
    code, out, _ = run(capsys, "build", str(sheets), "-o", str(tmp_path / "site"))
    assert code == 0, out
    write_department(sheets, programs=PROGRAMS + [program_row("new-one", "新しい制度")])
    return tmp_path / "site"


def interrupt_after(monkeypatch, files: int, action) -> None:
    written = []
    real = output._write_file

    def write(target, content):
        written.append(target)
        if len(written) == files:
            action()
        real(target, content)

    monkeypatch.setattr(output, "_write_file", write)


@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGTERM, 143, "エラー: 中断しました（SIGTERM を受けました）。"),
    (signal.SIGINT, 130, "エラー: 中断しました。"),
])
def test_a_signal_while_writing_keeps_the_previous_site(capsys, built, sheets, monkeypatch, signum, code, message):
    before = site_state(built)
    interrupt_after(monkeypatch, 5, lambda: os.kill(os.getpid(), signum))
    exit_code, _, err = run(capsys, "build", str(sheets), "-o", str(built))
    assert (exit_code, err.lstrip("\n")) == (code, message + "\n")  # click starts a line after ^C
    assert site_state(built) == before
    assert leftovers(built.parent) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler is not left behind


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("when", ["writing", "making the temporary folder"])  # there signals are held, then raised
def test_a_signal_the_build_was_started_to_ignore_stays_ignored(capsys, built, sheets, monkeypatch, signum, when):
    """`navigator build &` in a script: the shell makes the job ignore Ctrl+C, and so does the build."""
    if when == "writing":
        interrupt_after(monkeypatch, 5, lambda: os.kill(os.getpid(), signum))
    else:
        real = tempfile.mkdtemp
        monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: (os.kill(os.getpid(), signum), real(**kw))[1])
    previous = signal.signal(signum, signal.SIG_IGN)
    try:
        exit_code, _, err = run(capsys, "build", str(sheets), "-o", str(built))
        assert signal.getsignal(signum) == signal.SIG_IGN
    finally:
        signal.signal(signum, previous)
    assert (exit_code, err) == (0, "")
    assert leftovers(built.parent) == []


def test_a_full_disk_keeps_the_previous_site(capsys, built, sheets, monkeypatch):
    before = site_state(built)

    def full():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    interrupt_after(monkeypatch, 7, full)
    code, out, err = run(capsys, "build", str(sheets), "-o", str(built))
    assert code == 1
    assert err == (f"エラー: 出力先「{built}」にサイトを書き込めませんでした（ディスクの空き容量が足りません）。"
                   "書きかけのファイルは消し、前のサイトはそのまま残しています。原因を取り除いてから、もう一度実行してください。\n")
    assert site_state(built) == before
    assert leftovers(built.parent) == []


def test_a_signal_during_the_swap_waits_for_it(capsys, built, sheets, monkeypatch):
    """The two renames are never cut apart: the signal is raised once the new site is whole."""
    real = output._swap

    def swap(staging, out):
        os.kill(os.getpid(), signal.SIGTERM)
        real(staging, out)

    monkeypatch.setattr(output, "_swap", swap)
    code, _, err = run(capsys, "build", str(sheets), "-o", str(built))
    assert (code, err.lstrip("\n")) == (143, "エラー: 中断しました（SIGTERM を受けました）。\n")
    assert (built / "programs" / "new-one.html").is_file()  # the new site, whole
    assert leftovers(built.parent) == []


def test_folders_left_by_a_killed_build_are_removed_by_the_next(capsys, built, sheets):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [built.parent / f".site.building-{dead.pid}-abc", built.parent / f".site.old-{dead.pid}-def"]
    alive = built.parent / f".site.building-{os.getppid()}-ghi"  # a build still running elsewhere
    for folder in [*stale, alive]:
        (folder / "programs").mkdir(parents=True)
    assert run(capsys, "build", str(sheets), "-o", str(built))[0] == 0
    assert leftovers(built.parent) == [alive.name]


def forty_pages(changed: dict[str, str] | None = None) -> list[Job]:
    """A site of 40 pages in two folders, each keyed by its text; `changed` gives some paths other texts (None: gone)."""
    texts = {f"{folder}/{n}.html": f"{folder} {n}" for folder in ("programs", "categories") for n in range(20)}
    texts.update(changed or {})
    return [Job(path, digest(text), lambda text=text: text)
            for path, text in sorted(texts.items()) if text is not None]


def inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_that_changes_few_files_replaces_just_those(tmp_path, monkeypatch):
    site = tmp_path / "site"
    manifest = output.write_site(forty_pages(), site).manifest
    (site / "stray.html").write_text("left by hand", encoding="utf-8")
    (site / "old" / "deep").mkdir(parents=True)
    (site / "old" / "deep" / "a.html").write_text("left by hand", encoding="utf-8")
    before = inodes(site)

    def no_swap(staging, out):
        raise AssertionError("swapped whole for three changed files")

    monkeypatch.setattr(output, "_swap", no_swap)
    jobs = forty_pages({"programs/3.html": "changed", "programs/4.html": None, "new/page.html": "new"})
    written = output.write_site(jobs, site, manifest)
    assert site_state(site) == {job.path: job.render().encode() for job in jobs}  # the strays and the empty folders gone
    assert sorted(p.name for p in site.iterdir()) == ["categories", "new", "programs"]
    after = inodes(site)
    assert sorted(path for path in after if before.get(path) != after[path]) == ["new/page.html", "programs/3.html"]
    assert written.rendered == {"new/page.html", "programs/3.html"}
    assert sorted(written.manifest) == sorted(after)
    for path, (_, sha, state) in written.manifest.items():  # what the next build trusts, true of every file
        assert (sha, state) == (hashlib.sha256((site / path).read_bytes()).hexdigest(), output.file_state(site / path))
    assert leftovers(tmp_path) == []


def test_a_failure_while_replacing_files_puts_every_one_back(tmp_path, monkeypatch):
    site = tmp_path / "site"
    manifest = output.write_site(forty_pages(), site).manifest
    before = site_state(site)
    real, renames = os.rename, []

    def rename(source, target):
        renames.append(source)
        if len(renames) == 4:  # a new file in, one replaced, the third one's old file about to be moved aside
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(output.OutputError, match="前のサイトはそのまま残しています"):
        output.write_site(forty_pages({"programs/3.html": "a", "programs/5.html": "b", "new/page.html": "c"}), site,
                          manifest)
    monkeypatch.undo()
    assert site_state(site) == before
    assert sorted(p.name for p in site.iterdir()) == ["categories", "programs"]  # the new folder taken away too
    assert leftovers(tmp_path) == []


def test_a_signal_while_replacing_files_waits_for_them(tmp_path, monkeypatch):
    site = tmp_path / "site"
    manifest = output.write_site(forty_pages(), site).manifest
    real = output._replace_in_place

    def replace(*args):
        os.kill(os.getpid(), signal.SIGTERM)
        real(*args)

    monkeypatch.setattr(output, "_replace_in_place", replace)
    with pytest.raises(output.Interrupted):
        output.write_site(forty_pages({"programs/3.html": "changed"}), site, manifest)
    assert (site / "programs" / "3.html").read_text(encoding="utf-8") == "changed"
    assert leftovers(tmp_path) == []


def test_a_file_where_the_new_site_has_a_folder_two_levels_up_is_swapped_away_whole(tmp_path):
    site = tmp_path / "site"
    manifest = output.write_site(forty_pages(), site).manifest
    (site / "guides").write_text("left by hand", encoding="utf-8")
    jobs = forty_pages({"guides/2027/spring.html": "new"})
    output.write_site(jobs, site, manifest)
    assert site_state(site) == {job.path: job.render().encode() for job in jobs}
    assert leftovers(tmp_path) == []


def test_a_site_folder_that_is_a_link_is_replaced_by_a_folder_and_what_it_pointed_to_kept(tmp_path):
    real = tmp_path / "real"
    manifest = output.write_site(forty_pages(), real).manifest
    (tmp_path / "site").symlink_to(real)
    before = site_state(real)
    output.write_site(forty_pages({"programs/3.html": "changed"}), tmp_path / "site", manifest)
    assert not (tmp_path / "site").is_symlink()
    assert (tmp_path / "site" / "programs" / "3.html").read_text(encoding="utf-8") == "changed"
    assert site_state(real) == before


def test_pages_a_planner_makes_early_are_published_and_kept_like_any(tmp_path):
    # As the build does: the program pages made while the data is (make_early), the rest planned after.
    site = tmp_path / "site"

    renders: list[str] = []

    def counted(job: Job) -> Job:
        def render(render=job.render):
            renders.append(job.path)
            return render()
        return Job(job.path, job.key, render)

    def planner(changed=None):
        def plan(make_early):
            jobs = [counted(job) for job in forty_pages(changed)]
            early = {job.path: made for job in jobs if job.path.startswith("programs/")
                     for made in [make_early(job)] if made is not None}
            return jobs, early
        return plan

    first = output.write_site(planner(), site)
    assert site_state(site) == {job.path: job.render().encode() for job in forty_pages()}
    assert len(first.rendered) == 40 and sorted(renders) == sorted(first.rendered)  # each made once
    renders.clear()
    again = output.write_site(planner({"programs/3.html": "changed"}), site, first.manifest)
    assert again.rendered == {"programs/3.html"} == set(renders)  # the others stand by their keys, early or not
    assert (site / "programs" / "3.html").read_text(encoding="utf-8") == "changed"
    assert again.manifest["programs/3.html"][1] == hashlib.sha256(b"changed").hexdigest()
    assert leftovers(tmp_path) == []


def test_a_page_made_early_that_no_job_names_fails_the_build_and_the_site_stands(tmp_path):
    site = tmp_path / "site"
    manifest = output.write_site(forty_pages(), site).manifest
    before = site_state(site)

    def plan(make_early):
        stray = Job("programs/stray.html", None, lambda: "not planned")
        return forty_pages(), {stray.path: make_early(stray)}

    with pytest.raises(ValueError, match="not planned"):
        output.write_site(plan, site, manifest)
    assert site_state(site) == before
    assert leftovers(tmp_path) == []


ENV = {**os.environ, "NAVIGATOR_BUILD_DATE": "2026-08-01", "PYTHONIOENCODING": "utf-8"}


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """1,200 programs in four workbooks, built once: writing its files takes long enough to be interrupted."""
    folder = tmp_path_factory.mktemp("big")
    sheets = folder / "sheets"
    sheets.mkdir()
    write_common(sheets)
    for d in range(4):
        rows = [program_row(f"p{d}-{i}", f"制度{d}-{i}", 支援内容="**最大**100万円\n- 一\n- 二", 必要書類="り災証明書\n通帳",
                            **{"住家被害:全壊": "○"}) for i in range(300)]
        write_department(sheets, name=f"課{d}.xlsx", programs=rows, department=[["項目", "値"], ["部署名", f"課{d}"]])
    subprocess.run([sys.executable, "-m", "navigator", "build", str(sheets), "-o", str(folder / "site")], cwd=ROOT,
                   env=ENV, check=True, capture_output=True)
    return folder


def files_in(folder: Path) -> int:
    try:
        return sum(1 for _ in folder.rglob("*"))
    except OSError:
        return 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("when", ["created", "writing"])
def test_a_real_signal_to_a_running_build(big_site, tmp_path, signum, when):
    """A build in its own process, stopped by a real signal as soon as its temporary folder appears
    (found leaving it behind when the signal came right after the folder was made), or half-way through writing."""
    shutil.copytree(big_site / "sheets", tmp_path / "sheets")
    write_department(tmp_path / "sheets", name="課0.xlsx", programs=[program_row("only", "一つだけ")])
    command = [sys.executable, "-m", "navigator", "build", str(tmp_path / "sheets"), "-o", str(tmp_path / "site")]
    for _ in range(3):  # a loaded machine may let the build finish before the signal arrives: then again
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        shutil.copytree(big_site / "site", tmp_path / "site")
        before = site_state(tmp_path / "site")
        process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        while when == "writing" and leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
            if files_in(tmp_path / leftovers(tmp_path)[0]) > 200:
                break
            time.sleep(0.0005)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
        if process.returncode != 0:
            break
    assert process.returncode == 128 + signum, err
    assert err.lstrip("\n").startswith("エラー: 中断しました")
    assert site_state(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- determinism


def test_the_same_sheets_build_the_same_bytes(capsys, sheets, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_BUILD_DATE", "2026-08-01")
    for out in ("a", "b"):
        assert run(capsys, "build", str(sheets), "-o", str(tmp_path / out))[0] == 0
    assert site_state(tmp_path / "a") == site_state(tmp_path / "b")
    assert run(capsys, "build", str(sheets), "-o", str(tmp_path / "a"))[0] == 0  # again into the same OUT
    assert site_state(tmp_path / "a") == site_state(tmp_path / "b")
    monkeypatch.setenv("NAVIGATOR_BUILD_DATE", "2026-08-02")
    assert run(capsys, "build", str(sheets), "-o", str(tmp_path / "c"))[0] == 0
    a, c = site_state(tmp_path / "a"), site_state(tmp_path / "c")
    # The date, only there (and in sw.js, named by the hash of every file)
    assert sorted(name for name in a if a[name] != c.get(name)) == ["changes.html", "changes.json", "sw.js"]


def test_builds_in_other_processes_are_byte_identical(tmp_path):
    """Different hash seeds (set and dict orders) and a different working folder change nothing."""
    sheets = small_city(tmp_path / "sheets")
    for seed, out in (("1", "a"), ("2", "b")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NAVIGATOR_BUILD_DATE": "2026-08-01", "PYTHONIOENCODING": "utf-8"}
        subprocess.run([sys.executable, "-m", "navigator", "build", str(sheets), "-o", str(tmp_path / out)],
                       cwd=ROOT if out == "a" else tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, check=True,
                       capture_output=True)
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert site_state(tmp_path / "a") == site_state(tmp_path / "b"), comparison.diff_files

