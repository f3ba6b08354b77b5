"""Fuzzing: workbooks in the format, generated and then broken the ways real files go wrong.

Each example writes a small city (common.xlsx and one or two department workbooks with random
programs, built from sheetmaker's valid set), applies random mutations (odd Unicode and control
characters, huge strings, numbers and dates where text is expected and the reverse, deleted or
duplicated headers, merged cells, hidden sheets, formulas with and without a stored value,
empty rows in the middle, values thousands of columns away, renamed or missing sheets, cut or
scrambled bytes), runs `navigator build` and `navigator check --format json` (half of the time
with the work shared out to a second process, as on a large site) and asserts:

- no traceback: the exit code is 0 or 1 and every output line is a problem (on one line), the
  summary or the result;
- the accounting identity: programs read = published + unpublished + rejected by errors;
- `check` and `build` report the same problems;
- on exit 0 the site is whole and safe (no inline script, no event-handler attribute, no
  javascript: link, every JSON file parses, one page per published program); on exit 1 OUT was
  not created and no temporary folder is left.

Budgets are the hypothesis profiles of tests/conftest.py: "ci" when CI is set (derandomized,
inside a minute), "dev" otherwise, and "long" to run by hand:

    HYPOTHESIS_PROFILE=long python -m pytest -p no:cacheprovider tests/test_fuzz.py --hypothesis-show-statistics
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html.parser
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from sheetmaker import CATEGORIES, DEPARTMENT, PROGRAM_HEADERS, QUESTION_HEADERS, QUESTIONS, SETTINGS

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from navigator import workers  # noqa: E402
from navigator.cli import main  # noqa: E402
from navigator.contract.text import normalize_key  # noqa: E402

EXAMPLES = settings.default.max_examples  # from the loaded profile

# ---------------------------------------------------------------- values

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "[クリック](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "</script><script>alert(1)</script>",
    "{{ 7*7 }}{% raw %}",
    "${alert(1)}",
    "'; alert(1); //",
    "\u2028\u2029</p>",
    "\u202eevil\u202c",
    "ｓｃｒｉｐｔ：ａｌｅｒｔ",
    "**太字** _x0007_ &amp; &lt;b&gt;",
    "a\r\nb\rc\n\n\td",
    "",
    " ",
    "\u200b",
]
ODD = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"))
text = st.one_of(st.text(ODD, max_size=30), st.sampled_from(PAYLOADS), st.text(max_size=10))
huge = st.integers(1_000, 32_767).map(lambda n: ("長い文章<b>" * (n // 7 + 1))[:n])
numbers = st.one_of(st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True))
dates = st.one_of(st.dates(min_value=dt.date(1900, 3, 1)), st.datetimes(min_value=dt.datetime(1900, 3, 1)),
                  st.times(), st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=9999)))


class Formula(str):
    """A cell value written as a formula; any other text starting with = is written as text."""


formulas = st.sampled_from(["=1+1", "=A1", '="<script>"&1', "=NOW()", "=1/0", "=制度!A1", "=SUM(A:A)"]).map(Formula)
marks = st.sampled_from(["○", "〇", "◯", "●", "✓", "1", "TRUE", "ＴＲＵＥ", "", "×", "-", "0", "△", "要相談", True, False, 1, 0])
values = st.one_of(text, huge, numbers, dates, formulas, marks, st.booleans(), st.none())
filled = st.tuples(st.sampled_from(["支援", "A", "ｱ", "<b>"]), text).map("".join)  # for required cells: never empty

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses them; Excel stores them as _xHHHH_


def excel_value(value):
    if isinstance(value, str):
        return CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


# ---------------------------------------------------------------- workbooks as data


@dataclass
class Book:
    name: str
    sheets: dict[str, list[list]]
    hidden: dict[str, str] = field(default_factory=dict)  # sheet → "hidden" | "veryHidden"
    merges: list[tuple[str, str]] = field(default_factory=list)  # (sheet, "B2:C3")
    cached: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, cell) → a formula's stored value
    overlong: set[tuple[str, str]] = field(default_factory=set)  # (sheet, cell): 40,000 characters
    damage: tuple | None = None  # what to do to the saved bytes
    far: list[tuple[str, int, int, object]] = field(default_factory=list)  # (sheet, row, column, value), 0-based

    def save(self, folder: Path) -> Path:
        path = folder / self.name
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in self.sheets.items():
            sheet = book.create_sheet(name)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        cell = sheet.cell(row=r + 1, column=c + 1, value=excel_value(value))
                        if isinstance(value, str) and not isinstance(value, Formula):
                            cell.data_type = "s"  # openpyxl would make "=0" a formula
            for far_sheet, r, c, value in self.far:
                if far_sheet == name and value is not None:
                    sheet.cell(row=r + 1, column=c + 1, value=excel_value(value))
            if name in self.hidden:
                sheet.sheet_state = self.hidden[name]
        for name, cells in self.merges:
            if name in book.sheetnames:
                book[name].merge_cells(cells)
        if book.sheetnames and all(book[n].sheet_state != "visible" for n in book.sheetnames):
            book[book.sheetnames[0]].sheet_state = "visible"  # a workbook needs one visible sheet
        if not book.sheetnames:
            book.create_sheet("Sheet1")
        book.save(path)
        if self.cached or self.overlong:
            _patch_sheets(path, book.sheetnames, self.cached, self.overlong)
        if self.damage:
            _damage(path, self.damage)
        return path


def _patch_sheets(path: Path, names: list[str], cached: dict, overlong: set) -> None:
    """What openpyxl cannot write: a formula with its stored value, a cell longer than Excel allows."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match:
                name = names[int(match.group(1)) - 1]
                for (sheet, ref), value in cached.items():
                    if sheet == name:
                        data = re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*><f>(.*?)</f><v ?/></c>',
                                      lambda m: (b'<c r="' + ref.encode() + b'" t="str"><f>' + m.group(1) + b"</f><v>"
                                                 + _xml(value) + b"</v></c>"), data)
                for sheet, ref in overlong:
                    if sheet == name:
                        data = re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)',
                                      b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t>' + b"y" * 40_000 + b"</t></is></c>",
                                      data, flags=re.S)
            archive.writestr(info, data)


def _xml(value: str) -> bytes:
    value = CONTROL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _damage(path: Path, damage: tuple) -> None:
    kind, where, size = damage
    data = bytearray(path.read_bytes())
    at = int(where * len(data))
    if kind == "cut":
        data = data[:at]
    elif kind == "flip":
        for i in range(at, min(len(data), at + size)):
            data[i] ^= 0xFF
    elif kind == "garbage":
        data = bytearray(b"\x00garbage" * size)
    elif kind == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


SHEETS_OF = {"common.xlsx": ("設定", "質問", "分類")}


def city(programs: list[list], second: list[list] | None) -> list[Book]:
    books = [Book("common.xlsx", {"設定": [list(r) for r in SETTINGS],
                                  "質問": [list(QUESTION_HEADERS)] + [list(r) for r in QUESTIONS],
                                  "分類": [list(r) for r in CATEGORIES]}),
             Book("福祉課.xlsx", {"部署": [list(r) for r in DEPARTMENT], "制度": [list(PROGRAM_HEADERS)] + programs})]
    if second is not None:
        books.append(Book("防災 課（2024年度）#1.xlsx",
                          {"部署": [["項目", "値"], ["部署名", "防災課"]], "制度": [list(PROGRAM_HEADERS)] + second}))
    return books


program_ids = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)
category = st.sampled_from(["生活再建", "住まい", "子育て・教育"])


@st.composite
def program_rows(draw, max_size=6) -> list[list]:
    rows = []
    for program_id in draw(st.lists(program_ids, max_size=max_size, unique=True)):
        row = [None] * len(PROGRAM_HEADERS)
        row[0], row[1], row[2], row[3] = program_id, draw(filled), draw(category), draw(filled)
        for column in range(4, 10):
            if draw(st.booleans()):
                row[column] = draw(text)
        row[6] = draw(st.one_of(st.none(), dates, st.sampled_from(["随時", "2027/3/31", "令和9年3月31日", "2027/2/30"])))
        row[10] = draw(st.sampled_from([None, "https://example.jp/申請?a=1&b=<2>", 'https://x.example/"><script>alert(1)</script>']))
        row[12] = draw(st.sampled_from([None, "○", "×", "公開", "非公開"]))
        for column in range(14, 17):
            row[column] = draw(st.sampled_from([None, None, "○"]))
        row[17] = draw(st.sampled_from([None, "2以上", "1〜3人", "5未満"]))
        rows.append(row)
        if draw(st.integers(0, 4)) == 0:  # a または row
            extra = [None] * len(PROGRAM_HEADERS)
            extra[0], extra[15] = program_id, "○"
            rows.append(extra)
    return rows


# ---------------------------------------------------------------- mutations


# Columns whose values are compared (0-based, in the sheets city() writes).
KEY_COLUMNS = {"制度": [0, 2, 6, 10, 11, 12, 14, 15, 16, 17], "質問": [0, 3, 4, 6], "分類": [0], "設定": [0, 1], "部署": [0, 1]}


MUTATIONS = ["cell", "key-cell", "display", "header-delete", "header-duplicate", "merge", "hide", "formula-stored",
             "empty-rows", "far-column", "far-cell", "rename-sheet", "delete-sheet", "duplicate-row", "overlong", "bytes"]


def mutate(draw, books: list[Book], kind: str | None = None) -> None:
    book = draw(st.sampled_from(books))
    kind = kind or draw(st.sampled_from(MUTATIONS))
    event(f"mutation: {kind}")
    if kind == "bytes":
        book.damage = (draw(st.sampled_from(["cut", "flip", "garbage", "empty"])), draw(st.floats(0, 1)),
                       draw(st.integers(1, 64)))
        return
    if not book.sheets:
        return
    name = draw(st.sampled_from(sorted(book.sheets)))
    rows = book.sheets[name]
    width = max((len(r) for r in rows), default=1)
    if kind == "key-cell" and len(rows) > 1:  # a cell that is compared, not just shown: IDs, marks, 公開, 回答形式...
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.sampled_from(KEY_COLUMNS.get(name, [0, 1])))
        rows[r] = list(rows[r]) + [None] * max(0, c + 1 - len(rows[r]))
        rows[r][c] = draw(values)
    elif kind in ("cell", "display", "formula-stored", "overlong"):
        r = draw(st.integers(0, len(rows) + 2))
        c = draw(st.integers(0, width + 1))
        if kind == "display" and len(rows) > 1 and width > 2:
            r, c = draw(st.integers(1, len(rows) - 1)), draw(st.integers(1, min(width, 10) - 1))
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        while len(row) <= c:
            row.append(None)
        ref = f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"
        if kind == "cell":
            row[c] = draw(values)
        elif kind == "display":
            row[c] = draw(text)
        elif kind == "formula-stored":
            row[c] = draw(formulas)
            book.cached[(name, ref)] = draw(st.one_of(text, st.sampled_from(["○", "住まい", "risai", "1"])))
        else:
            row[c] = "x"
            book.overlong.add((name, ref))
    elif kind == "header-delete" and rows:
        header = rows[0]
        if header:
            header[draw(st.integers(0, len(header) - 1))] = None
    elif kind == "header-duplicate" and rows and rows[0]:
        header = rows[0]
        header.append(header[draw(st.integers(0, len(header) - 1))])
    elif kind == "merge":
        top, left = draw(st.integers(1, len(rows) + 1)), draw(st.integers(1, width))
        bottom, right = top + draw(st.integers(0, 2)), left + draw(st.integers(1, 3))
        book.merges.append((name, f"{openpyxl.utils.get_column_letter(left)}{top}:"
                                  f"{openpyxl.utils.get_column_letter(right)}{bottom}"))
    elif kind == "hide":
        book.hidden[name] = draw(st.sampled_from(["hidden", "veryHidden"]))
    elif kind == "empty-rows":
        at = draw(st.integers(1, max(1, len(rows))))
        rows[at:at] = [[] for _ in range(draw(st.integers(1, 5)))]
    elif kind == "far-column":
        r = draw(st.integers(0, max(0, len(rows) - 1)))
        c = draw(st.sampled_from([1_000, 1_999, 2_000, 2_500, 4_000]))
        while len(rows) <= r:
            rows.append([])
        rows[r] = list(rows[r]) + [None] * (c - len(rows[r])) + [draw(values)]
    elif kind == "far-cell":  # a value typed far away: the last row or column Excel has, or just past a limit
        r = draw(st.sampled_from([10_001, 1_048_575]))
        c = draw(st.sampled_from([2, 16_383]))
        book.far.append((name, r, c, draw(values)))
    elif kind == "rename-sheet":
        new = draw(st.sampled_from(["制度一覧", " 制度 ", "制度\u200b", "Sheet1", "設定", "ｾｲﾄﾞ", "質問"]))
        if new not in book.sheets:
            book.sheets = {(new if n == name else n): v for n, v in book.sheets.items()}
    elif kind == "delete-sheet":
        del book.sheets[name]
    elif kind == "duplicate-row" and len(rows) > 1:
        source = draw(st.integers(1, len(rows) - 1))
        rows.insert(draw(st.integers(1, len(rows))), list(rows[source]))


# ---------------------------------------------------------------- running the tool


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exited:
            code = exited.code
    return code, out.getvalue(), err.getvalue()


ACCOUNTING = re.compile(r"制度 (\d+)件を読み込み: 公開 (\d+)、非公開（公開=×）(\d+)、エラーで除外 (\d+)")


class UnsafeMarkup(html.parser.HTMLParser):
    """What in a page could run script: inline <script>, on* attributes, script: URLs, frames, objects."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_data_block = False

    def handle_data(self, data):
        if self.in_data_block and set(data) & set("<>&"):
            self.found.append("markup in a JSON-LD block")  # it could close the element: discovery escapes all three

    def handle_endtag(self, tag):
        self.in_data_block = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        self.in_data_block = False
        if tag == "script" and not names.get("src"):
            if names.get("type") == "application/ld+json":
                self.in_data_block = True  # JSON-LD for search engines: a data block, never run (checked below)
            else:
                self.found.append("inline <script>")
        if tag in ("iframe", "frame", "object", "embed", "base", "form"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and cleaned.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def unsafe_markup(page: str) -> list[str]:
    parser = UnsafeMarkup()
    parser.feed(page)
    parser.close()
    return parser.found


def check_everything(folder: Path) -> tuple[int, dict]:
    out = folder.parent / "site"
    code, text, err = run("build", str(folder), "-o", str(out))
    assert code in (0, 1), (code, text, err)
    assert "内部エラー" not in err and "Traceback" not in err + text, err
    lines = text.splitlines()
    problems = [line for line in lines if line.startswith(("[エラー] ", "[警告] "))]
    others = [line for line in lines if line not in problems]
    assert len(others) == 1, lines  # the summary (exit 1) or the result (exit 0): nothing else, no broken line
    found = ACCOUNTING.search(others[0])
    assert found, others
    read, published, unpublished, rejected = map(int, found.groups())
    assert read == published + unpublished + rejected, others[0]

    json_code, json_text, json_err = run("check", str(folder), "--format", "json")
    reported = json.loads(json_text)
    assert json_code == (1 if any(p["severity"] == "error" for p in reported) else 0), json_err
    assert [str_problem(p) for p in reported] == problems
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".site.")]  # no temporary folder left

    if code == 1:
        assert json_code == 1 and not out.exists()
        event("exit 1")
        return code, {"read": read}
    event("exit 0: site built")
    assert json_code == 0
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert len(catalog["programs"]) == published
    for program in catalog["programs"]:
        assert (out / program["page"]).is_file()
    for path in out.rglob("*"):
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8")
            assert unsafe_markup(page) == [], path
            assert "Content-Security-Policy" in page
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    return code, {"read": read}


@contextlib.contextmanager
def shared_out(on: bool):
    """With `on`, even these small sites are checked and rendered in two processes (navigator/workers.py):
    the problems, the accounting and the site must not depend on it."""
    names = (workers.WORKERS_ENV, workers.MIN_WEIGHT_ENV)
    saved = {name: os.environ.get(name) for name in names}
    if on:
        os.environ.update({workers.WORKERS_ENV: "2", workers.MIN_WEIGHT_ENV: "1"})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def str_problem(problem: dict) -> str:
    label = "エラー" if problem["severity"] == "error" else "警告"
    where = " / ".join(part for part in (problem["file"], problem["sheet"], problem["cell"]) if part)
    return f"[{label}] {where + ': ' if where else ''}{problem['message']}"


# ---------------------------------------------------------------- the properties


@pytest.mark.parametrize("kind", MUTATIONS)  # every kind of mutation, whatever the seed, plus random others
@settings(max_examples=max(3, EXAMPLES // 8))
@given(data=st.data())
def test_generated_and_mutated_workbooks_never_break_the_tool(kind, data):
    programs = data.draw(program_rows(), label="programs")
    second = data.draw(st.one_of(st.none(), program_rows(max_size=3)), label="second department")
    books = city(programs, second)
    mutate(data.draw, books, kind)
    for _ in range(data.draw(st.integers(0, 3), label="more mutations")):
        mutate(data.draw, books)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "sheets"
        folder.mkdir()
        for book in books:
            book.save(folder)
        with shared_out(data.draw(st.booleans(), label="in two processes")):
            check_everything(folder)


@settings(max_examples=EXAMPLES)
@given(st.data())
def test_hostile_text_in_every_text_cell_builds_a_safe_site(data):
    """Only display text changes (any Unicode, payloads, huge strings): the site must build, and be safe."""
    questions = [list(r) for r in QUESTIONS]
    for row in questions:
        row[1] = data.draw(filled, label="質問文") if data.draw(st.booleans()) else row[1]
        row[2] = data.draw(st.one_of(text, huge), label="補足説明")
        if row[4]:
            choices = row[4].split("\n")
            choices[-1] = data.draw(st.sampled_from([c for c in PAYLOADS if normalize_key(c) and not re.search(r"[\r\n,、]", c)]),
                                    label="選択肢")
            row[4] = "\n".join(dict.fromkeys(choices))
    books = city(data.draw(program_rows(), label="programs"), None)
    books[0].sheets["質問"] = [list(QUESTION_HEADERS)] + questions
    for row in books[0].sheets["設定"][1:]:
        row[1] = data.draw(st.one_of(filled, huge) if row[0] in ("サイト名", "自治体名") else st.one_of(text, huge), label=row[0])
    for row in books[1].sheets["部署"][1:]:
        row[1] = data.draw(filled if row[0] == "部署名" else text, label=row[0])
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "sheets"
        folder.mkdir()
        for book in books:
            book.save(folder)
        code, _ = check_everything(folder)
        assert code == 0
