#!/usr/bin/env python3
"""Write the sample workbook set ``sheets/*.xlsx`` from ``tools/sample_data.py``.

    python tools/make_sample_sheets.py            # writes into sheets/
    python tools/make_sample_sheets.py --out DIR  # writes into DIR

The workbooks follow SHEET_FORMAT.md and look like files a city would keep:
title rows above some headers, different column orders, only the condition
columns a department needs, dropdowns for ○ marks, and in every workbook the 記入方法
sheet that ``navigator init`` and ``navigator template`` write. The output is byte-for-byte the same on every run (fixed document
timestamps and zip entry dates), so regenerating does not create diffs.

openpyxl and navigator itself are needed. The contents live in ``tools/sample_data.py``.
"""

import argparse
import datetime
import io
import json
import math
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "sample_translations"  # the sample city's 翻訳_<code>.xlsx, as data
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(REPO))
import sample_data as data  # noqa: E402

from navigator.contract.sheets import DOCUMENTS, TERMS, split_document_line  # noqa: E402
from navigator.contract.text import normalize_key  # noqa: E402
from navigator.tooling.template.common import read_common  # noqa: E402
from navigator.tooling.template.instructions import write_common_instructions, write_department_instructions  # noqa: E402
from navigator.tooling.template.style import INSTRUCTIONS_SHEET  # noqa: E402

MARK = "○"
FIXED_TIME = datetime.datetime(2026, 9, 1, 9, 0, 0)

FONT = "游ゴシック"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
COND_FILL = PatternFill("solid", fgColor="FFF2CC")
KEY_FILL = PatternFill("solid", fgColor="E2EFDA")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")

COLUMN_WIDTHS = {
    "制度ID": 26, "制度名": 30, "分類": 16, "概要": 44, "対象者": 44, "支援内容": 40,
    "申請期限": 18, "申請方法": 34, "必要書類": 34, "問い合わせ先": 28,
    "オンライン申請URL": 30, "詳細URL": 30, "公開": 6, "備考": 28,
}
PROGRAM_COLUMNS = set(COLUMN_WIDTHS)
COND_WIDTH = 10
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

QUESTIONS = {q["質問ID"]: q for q in data.QUESTIONS}
QUESTION_ORDER = [q["質問ID"] for q in data.QUESTIONS]
CATEGORY_NAMES = [name for name, _ in data.CATEGORIES]


# --------------------------------------------------------------------------
# checks on the data (fail early, with the program named)
# --------------------------------------------------------------------------

def _nfkc(text):
    return unicodedata.normalize("NFKC", str(text)).strip()


def _check_data():
    seen = {}
    for q in data.QUESTIONS:
        qid = q["質問ID"]
        assert re.fullmatch(r"[^\s:=,、#&?/%\"'<>]{1,32}", qid), qid
        if q["回答形式"] != "数値":
            assert len(set(q["選択肢"])) == len(q["選択肢"]), qid
        for line in filter(None, q.get("表示条件", "").splitlines()):
            target, _, values = _nfkc(line).partition("=")
            earlier = QUESTION_ORDER[: QUESTION_ORDER.index(qid)]
            assert target in earlier, (qid, line)
            for value in re.split("[,、]", values):
                assert value in {_nfkc(c) for c in QUESTIONS[target]["選択肢"]}, (qid, value)
    for dept in data.DEPARTMENTS:
        allowed = set(dept["columns"]) - {"条件"}
        for prog in dept["制度"]:
            pid = prog["制度ID"]
            assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", pid), pid
            assert pid.lower() not in seen, (pid, seen.get(pid.lower()))
            seen[pid.lower()] = dept["file"]
            assert prog["分類"] in CATEGORY_NAMES, (pid, prog["分類"])
            extra = set(prog) - allowed - {"条件"}
            assert not extra, (pid, "columns missing in the layout", extra)
            for row in prog.get("条件", []):
                for qid, value in row.items():
                    if qid == "備考":
                        continue
                    question = QUESTIONS[qid]
                    if question["回答形式"] == "数値":
                        assert isinstance(value, (int, str)), (pid, qid)
                    else:
                        assert set(value) <= set(question["選択肢"]), (pid, qid, value)
            rows = prog.get("条件", [])
            if rows and "備考" in rows[0]:
                assert "備考" not in prog, (pid, "備考 twice on the first row")
    names = {}
    for name, _, _, issued_by in data.DOCUMENTS:
        assert normalize_key(name) not in names, ("書類名 twice", name)
        assert not re.search(r"[(（]", name), ("a 書類名 in parentheses takes no note", name)
        assert not issued_by or issued_by.lower() in seen, ("発行する制度", name, issued_by)
        names[normalize_key(name)] = name
    for dept in data.DEPARTMENTS:
        for prog in dept["制度"]:
            for line in prog.get("必要書類", []):
                assert split_document_line(line, names), (prog["制度ID"], "no 書類名", line)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def _cell_text(value):
    if isinstance(value, list):
        return "\n".join(value)
    return value


def _estimate_lines(value, width):
    """Rough number of wrapped lines of a cell (Japanese text ~ 2 units/char)."""
    if value is None or isinstance(value, (datetime.date, int, float)):
        return 1
    per_line = max(1, int(width * 0.9 / 2))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in str(value).split("\n"))


def _fit_rows(ws, first_row, widths, max_height=300):
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            width = widths.get(cell.column_letter, 10)
            lines = max(lines, _estimate_lines(cell.value, width))
        ws.row_dimensions[row[0].row].height = min(max_height, 8 + 15 * lines)


def _write_key_value(ws, rows, title=None, key_width=16, value_width=90):
    r = 1
    if title:
        ws.cell(r, 1, title).font = Font(name=FONT, bold=True, size=13)
        r = 3
    for c, head in enumerate(("項目", "値"), start=1):
        cell = ws.cell(r, c, head)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = HEAD_ALIGN
    for key, value in rows:
        r += 1
        k = ws.cell(r, 1, key)
        k.font = Font(name=FONT, bold=True)
        k.fill = KEY_FILL
        v = ws.cell(r, 2, value)
        v.font = Font(name=FONT)
        for cell in (k, v):
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    ws.column_dimensions["A"].width = key_width
    ws.column_dimensions["B"].width = value_width
    _fit_rows(ws, 3 if title else 2, {"A": key_width, "B": value_width})


def _header_cell(ws, row, col, text, fill=HEAD_FILL):
    cell = ws.cell(row, col, text)
    cell.font = Font(name=FONT, bold=True)
    cell.fill = fill
    cell.border = BORDER
    cell.alignment = HEAD_ALIGN
    return cell


def _save(wb, path):
    """Save with fixed timestamps so that the file is identical on every run."""
    wb.properties.creator = "さくら市"
    wb.properties.lastModifiedBy = "さくら市"
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            zout.writestr(entry, content)


# --------------------------------------------------------------------------
# common.xlsx
# --------------------------------------------------------------------------

def write_common(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "設定"
    _write_key_value(ws, data.SETTINGS)

    ws = wb.create_sheet("質問")
    heads = ["質問ID", "質問文", "補足説明", "回答形式", "選択肢", "単位", "表示条件"]
    widths = {"質問ID": 16, "質問文": 44, "補足説明": 50, "回答形式": 12, "選択肢": 34,
              "単位": 8, "表示条件": 40}
    for c, head in enumerate(heads, start=1):
        _header_cell(ws, 1, c, head)
        ws.column_dimensions[get_column_letter(c)].width = widths[head]
    for r, q in enumerate(data.QUESTIONS, start=2):
        for c, head in enumerate(heads, start=1):
            value = q.get(head)
            if head == "選択肢" and value:
                value = "\n".join(value)
            cell = ws.cell(r, c, value)
            cell.font = Font(name=FONT)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
            if head == "質問ID":
                cell.number_format = "@"
    kinds = DataValidation(type="list", formula1='"単一選択,複数選択,数値"', allow_blank=True)
    kinds.add(f"D2:D{len(data.QUESTIONS) + 30}")
    ws.add_data_validation(kinds)
    ws.freeze_panes = "B2"
    _fit_rows(ws, 2, {get_column_letter(c): widths[h] for c, h in enumerate(heads, start=1)})

    ws = wb.create_sheet("分類")
    for c, head in enumerate(("分類名", "説明"), start=1):
        _header_cell(ws, 1, c, head)
    for r, (name, text) in enumerate(data.CATEGORIES, start=2):
        for c, value in enumerate((name, text), start=1):
            cell = ws.cell(r, c, value)
            cell.font = Font(name=FONT)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 60

    _write_documents(wb.create_sheet(DOCUMENTS.sheet))
    _write_terms(wb.create_sheet(TERMS.sheet))
    write_common_instructions(wb.create_sheet(INSTRUCTIONS_SHEET))
    _save(wb, path)


def _write_terms(ws):
    """The 用語 sheet: headers and widths from the contract; 同義語 one a line."""
    widths = {}
    for c, column in enumerate(TERMS.columns, start=1):
        _header_cell(ws, 1, c, column.header)
        letter = get_column_letter(c)
        widths[letter] = column.width
        ws.column_dimensions[letter].width = column.width
    words = set()
    for r, (word, reading, synonyms) in enumerate(data.TERMS, start=2):
        assert normalize_key(word) not in words, ("語 twice", word)
        words.add(normalize_key(word))
        for c, value in enumerate((word, reading, "\n".join(synonyms)), start=1):
            cell = ws.cell(r, c, value or None)
            cell.font = Font(name=FONT)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    ws.freeze_panes = "B2"
    _fit_rows(ws, 2, widths)


def _write_documents(ws):
    """The 書類 sheet: headers and widths from the contract (navigator/contract/sheets.py)."""
    widths = {}
    for c, column in enumerate(DOCUMENTS.columns, start=1):
        _header_cell(ws, 1, c, column.header)
        letter = get_column_letter(c)
        widths[letter] = column.width
        ws.column_dimensions[letter].width = column.width
    issued_by = DOCUMENTS.headers.index("発行する制度") + 1
    for r, row in enumerate(data.DOCUMENTS, start=2):
        assert len(row) == len(DOCUMENTS.columns), row
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value or None)
            cell.font = Font(name=FONT)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
            if c == issued_by:
                cell.number_format = "@"
    ws.freeze_panes = "B2"
    _fit_rows(ws, 2, widths)


# --------------------------------------------------------------------------
# department workbooks
# --------------------------------------------------------------------------

def _condition_columns(dept):
    """(header, question ID, choice or None) for each condition column, in question order."""
    used = {}
    for prog in dept["制度"]:
        for row in prog.get("条件", []):
            for qid, value in row.items():
                if qid == "備考":
                    continue
                if QUESTIONS[qid]["回答形式"] == "数値":
                    used.setdefault(qid, set())
                else:
                    used.setdefault(qid, set()).update(value)
    for qid in dept.get("extra_condition_questions", []):
        used.setdefault(qid, set())
    colon = dept.get("colon", ":")
    columns = []
    for qid in QUESTION_ORDER:
        if qid not in used:
            continue
        question = QUESTIONS[qid]
        if question["回答形式"] == "数値":
            columns.append((qid, qid, None))
            continue
        choices = question["選択肢"]
        if dept.get("used_choices_only") and used[qid]:
            choices = [c for c in choices if c in used[qid]]
        columns.extend((f"{qid}{colon}{choice}", qid, choice) for choice in choices)
    return columns


def _program_rows(prog):
    """The program's own row and its または rows, as {column key: value}."""
    rows = []
    conditions = prog.get("条件") or [{}]
    for i, cond in enumerate(conditions):
        row = {}
        if i == 0:
            row = {k: _cell_text(v) for k, v in prog.items() if k != "条件"}
        else:
            row["制度ID"] = prog["制度ID"]
        for qid, value in cond.items():
            if qid == "備考":
                row["備考"] = value
            elif QUESTIONS[qid]["回答形式"] == "数値":
                row[("cond", qid, None)] = value
            else:
                for choice in value:
                    row[("cond", qid, choice)] = MARK
        rows.append(row)
    return rows


def write_department(dept, path, common):
    """A department workbook; its 記入方法 sheet is the one `navigator template` writes, from the sample's common.xlsx."""
    wb = Workbook()
    ws_dept = wb.active
    ws_dept.title = "部署"
    _write_key_value(ws_dept, dept["部署"], title=dept.get("dept_title"), value_width=70)

    ws = wb.create_sheet("制度")
    header_row = dept.get("header_row", 1)
    if dept.get("title"):
        title = ws.cell(1, 1, dept["title"])
        title.font = Font(name=FONT, bold=True, size=14)
        ws.row_dimensions[1].height = 24
    if dept.get("note"):
        ws.cell(header_row - 1, 1, dept["note"]).font = Font(name=FONT, color="C00000")

    cond_columns = _condition_columns(dept)
    layout = []  # (header text, key)
    for name in dept["columns"]:
        if name == "条件":
            layout.extend((head, ("cond", qid, choice)) for head, qid, choice in cond_columns)
        else:
            layout.append((name, name))

    widths = {}
    choice_cols, range_cols = [], []
    for c, (head, key) in enumerate(layout, start=1):
        letter = get_column_letter(c)
        is_cond = isinstance(key, tuple)
        _header_cell(ws, header_row, c, head, COND_FILL if is_cond else HEAD_FILL)
        widths[letter] = COND_WIDTH if is_cond else COLUMN_WIDTHS[key]
        ws.column_dimensions[letter].width = widths[letter]
        if is_cond:
            (range_cols if key[2] is None else choice_cols).append(letter)
    longest = max(len(head) for head, _ in layout)
    ws.row_dimensions[header_row].height = min(150, 15 * math.ceil(longest / 4) + 10)

    r = header_row
    for prog in dept["制度"]:
        for row in _program_rows(prog):
            r += 1
            for c, (head, key) in enumerate(layout, start=1):
                value = row.get(key)
                cell = ws.cell(r, c, value)
                cell.font = Font(name=FONT)
                cell.border = BORDER
                if isinstance(key, tuple):
                    cell.alignment = Alignment(horizontal="center", vertical="top")
                else:
                    cell.alignment = WRAP_TOP
                if key == "制度ID":
                    cell.number_format = "@"
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE_FORMAT
    last = r

    # dropdowns, as in the template the coordinating division hands out
    end = max(last, header_row) + 100
    first = header_row + 1
    if choice_cols:
        marks = DataValidation(type="list", formula1=f'"{MARK}"', allow_blank=True,
                               errorTitle="入力できない値です",
                               error="対象となる回答には ○ を入力してください。", showErrorMessage=True)
        for letter in choice_cols:
            marks.add(f"{letter}{first}:{letter}{end}")
        ws.add_data_validation(marks)
    headers = [head for head, _ in layout]
    if "分類" in headers:
        letter = get_column_letter(headers.index("分類") + 1)
        cats = DataValidation(type="list", formula1='"' + ",".join(CATEGORY_NAMES) + '"',
                              allow_blank=True)
        cats.add(f"{letter}{first}:{letter}{end}")
        ws.add_data_validation(cats)
    if "公開" in headers:
        letter = get_column_letter(headers.index("公開") + 1)
        pub = DataValidation(type="list", formula1='"○,×"', allow_blank=True)
        pub.add(f"{letter}{first}:{letter}{end}")
        ws.add_data_validation(pub)

    name_col = headers.index("制度名") + 2
    ws.freeze_panes = ws.cell(header_row + 1, name_col).coordinate
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(layout))}{last}"
    _fit_rows(ws, header_row + 1, widths)

    write_department_instructions(wb.create_sheet(INSTRUCTIONS_SHEET), common)
    _save(wb, path)


# --------------------------------------------------------------------------

def write_translations(folder):
    """翻訳_<code>.xlsx for each language of tools/sample_translations/<code>.json ({場所: [原文, 訳, 状態]}),
    as `navigator translate` lays them out: the sample city publishes them (設定's 言語)."""
    from navigator.check.translations import TranslationRow, site_texts
    from navigator.check.validate import validate_folder
    from navigator.tooling.translate import write_translation_workbook

    texts = site_texts(validate_folder(folder, with_translations=False).site)
    written = []
    for source in sorted(TRANSLATIONS.glob("*.json")):
        code = source.stem
        entries = json.loads(source.read_text(encoding="utf-8"))
        # Every text of the site, in its order; those the sample has no 訳 for yet, empty (as navigator translate leaves them).
        rows = [TranslationRow(place, *entries[place]) if place in entries else TranslationRow(place, text, "", "")
                for place, text in texts.items()]
        _save(write_translation_workbook(rows, [], code), folder / f"翻訳_{code}.xlsx")
        written.append((code, sum(1 for r in rows if r.state == "確認済み"), sum(1 for r in rows if r.state == "機械翻訳"),
                        sum(1 for r in rows if not r.state)))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "sheets",
                        help="folder to write into (default: sheets/ of the repository)")
    args = parser.parse_args(argv)
    _check_data()
    args.out.mkdir(parents=True, exist_ok=True)
    write_common(args.out / "common.xlsx")
    print(f"{args.out / 'common.xlsx'}: {len(data.QUESTIONS)} questions, "
          f"{len(data.CATEGORIES)} categories, {len(data.DOCUMENTS)} documents, {len(data.TERMS)} terms")
    common, _ = read_common(args.out)  # the questions and categories the 記入方法 example is made from
    for dept in data.DEPARTMENTS:
        write_department(dept, args.out / dept["file"], common)
        print(f"{args.out / dept['file']}: {len(dept['制度'])} programs")
    for code, confirmed, machine, empty in write_translations(args.out):
        print(f"{args.out / f'翻訳_{code}.xlsx'}: {confirmed} confirmed, {machine} machine-translated, {empty} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
