"""How fast workbooks are read: python-calamine (what navigator uses) against openpyxl.

Writes one large department workbook (ROWS program rows, every column of the format plus
condition columns), then reads it whole several times with each library and prints the
medians and their ratio.

    python bench/read_speed.py [ROWS] [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import python_calamine

HEADERS = (["制度ID", "制度名", "分類", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類", "問い合わせ先",
            "オンライン申請URL", "詳細URL", "公開", "備考"]
           + [f"住家被害:{c}" for c in ("全壊", "大規模半壊", "中規模半壊", "半壊", "準半壊", "一部損壊", "被害なし")]
           + [f"世帯の状況:{c}" for c in ("小中学生", "高校生", "高齢者", "障害者", "乳幼児", "ひとり親")]
           + ["世帯人数", "年齢"])


def write_large_workbook(path: Path, rows: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    workbook.create_sheet("部署").append(["項目", "値"])
    sheet = workbook.create_sheet("制度")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"program-{n}", f"支援制度その{n}", "生活再建", f"制度{n}の概要。**被災された方**に支給します。",
                      f"市内に住む方（条件{n}）", f"{n % 300 + 1}万円", "2027/3/31", "窓口で申請", "り災証明書\n本人確認書類",
                      "", f"https://example.jp/apply/{n}", f"https://example.jp/p/{n}", "", f"メモ{n}"]
                     + ["○" if (n + i) % 3 == 0 else "" for i in range(13)] + ["2以上" if n % 2 else "", ""])
    workbook.save(path)


def read_with_calamine(path: Path) -> int:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = sum(len(row) for name in book.sheet_names
                for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    book.close()
    return cells


def read_with_openpyxl(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    book.close()
    return cells


def median_seconds(function, path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "large.xlsx"
        write_large_workbook(path, rows)
        calamine = median_seconds(read_with_calamine, path, runs)
        openpyxl_seconds = median_seconds(read_with_openpyxl, path, runs)
        size = path.stat().st_size
    print(f"workbook: {rows} rows x {len(HEADERS)} columns, {size / 1e6:.1f} MB, median of {runs} runs")
    print(f"python-calamine: {calamine:.3f} s")
    print(f"openpyxl (read_only): {openpyxl_seconds:.3f} s")
    print(f"openpyxl / calamine: {openpyxl_seconds / calamine:.1f}x")


if __name__ == "__main__":
    main()
