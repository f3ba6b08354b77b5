"""Generated sheet sets for the benchmark: N programs spread over W department workbooks.

The sets look like the sample city's (sheets/), scaled up: its common.xlsx (every question,
every category), department workbooks with every condition column, and program texts made
from the sample programs' texts, so the share of Markdown cells (bold, lists, tables) is the
sample city's. Every program text is unique, as in real sheets: each cell carries the program's
own number and place name. Deterministic for a given (programs, workbooks, seed).

    python bench/sheetset.py 1000 50 /tmp/sheets-1000
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sheets"
FIELDS = ("summary", "target", "benefit", "how_to_apply")
PLACES = ("北", "南", "東", "西", "中央", "桜ケ丘", "みなと", "山手", "川辺", "緑町", "旭", "若葉")


def _sample():
    sys.path.insert(0, str(REPO))
    from navigator.check.validate import validate_folder

    site = validate_folder(SAMPLE).site
    assert site is not None, "the sample city in sheets/ must be valid"
    return site


def _unique(text: str, n: int, label: str) -> str:
    """The sample text with this program's own words in it, keeping its Markdown structure."""
    if not text:
        return ""
    place = PLACES[n % len(PLACES)]
    tag = f"（{place}地区 第{n + 1}号{label}）"
    lines = text.split("\n")
    last = lines[-1]
    if last.startswith(("|", "-", "*", "#", " ")) or last[:1].isdigit():
        return text + f"\n\n{place}地区の受付番号は{n + 1}です。"
    lines[-1] = last + tag
    return "\n".join(lines)


def headers(questions) -> list[str]:
    conditions = []
    for q in questions:
        if q.kind == "number":
            conditions.append(q.id)
        else:
            conditions.extend(f"{q.id}:{c}" for c in q.choices)
    return (["制度ID", "制度名", "分類", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類", "問い合わせ先",
             "オンライン申請URL", "詳細URL", "公開", "備考"] + conditions)


def _conditions(rng: random.Random, questions) -> dict:
    cells = {}
    for q in rng.sample(list(questions), rng.choice((0, 1, 1, 2, 2, 3))):
        if q.kind == "number":
            cells[q.id] = rng.choice((f"2{q.unit}以上", f"65{q.unit}以上", f"1〜4{q.unit}", f"3{q.unit}未満"))
        else:
            for choice in rng.sample(list(q.choices), rng.randint(1, max(1, len(q.choices) // 2))):
                cells[f"{q.id}:{choice}"] = "○"
    return cells


def program_rows(n: int, rng: random.Random, site, header: list[str], department: str) -> list[list]:
    """The program's row, and a または row for one program in twenty."""
    base = site.programs[n % len(site.programs)]
    other = site.programs[(n * 7 + 3) % len(site.programs)]
    place = PLACES[n % len(PLACES)]
    deadline = rng.choice((dt.date(2027, 3, 31) + dt.timedelta(days=n % 400), "随時", "災害発生日から13か月以内",
                           f"令和9年{n % 12 + 1}月{n % 28 + 1}日", None))
    cells = {
        "制度ID": f"p{n:05d}-{base.id}",
        "制度名": f"{base.name}（{place}地区 {n + 1}）",
        "分類": site.categories[n % len(site.categories)].name,
        "概要": _unique(base.summary, n, "の概要"),
        "対象者": _unique(other.target or base.target, n, "の対象"),
        "支援内容": _unique(base.benefit, n, "の内容"),
        "申請期限": deadline,
        "申請方法": _unique(base.how_to_apply, n, "の申請"),
        "必要書類": "\n".join([*base.documents, f"{place}地区の申請書（様式第{n + 1}号）"]),
        "問い合わせ先": f"{department} {place}分室\n電話 012-{n % 900 + 100:03d}-{n % 10000:04d}" if n % 5 == 0 else None,
        "オンライン申請URL": f"https://apply.example.jp/{n}" if n % 3 == 0 else None,
        "詳細URL": f"https://city.example.jp/programs/{n}.html",
        "公開": "×" if n % 50 == 49 else None,
        "備考": f"内部メモ {n}",
        **_conditions(rng, site.questions),
    }
    rows = [[cells.get(h) for h in header]]
    if n % 20 == 7:
        extra = {"制度ID": cells["制度ID"], **_conditions(rng, site.questions)}
        rows.append([extra.get(h) for h in header])
    return rows


def department_name(number: int) -> str:
    return f"部署{number + 1:03d}課"


def write_department(folder: Path, number: int, workbooks: int, programs: int, site, header, edit: int = 0) -> Path:
    """Workbook `number` of `workbooks`: programs number, number + workbooks, ... (`edit` > 0 changes its texts)."""
    rng = random.Random(number * 1_000_003)  # the same conditions whatever the edit
    name = department_name(number)
    book = openpyxl.Workbook(write_only=True)
    info = book.create_sheet("部署")
    for row in (["項目", "値"], ["部署名", f"健康福祉部 {name}"], ["電話番号", f"012-555-{number:04d}"],
                ["メール", f"dept{number}@city.example.jp"], ["窓口", f"市役所本庁舎{number % 5 + 1}階（平日 8時30分〜17時15分）"]):
        info.append(row)
    sheet = book.create_sheet("制度")
    sheet.append([f"被災者支援制度一覧（{name}）"])
    sheet.append(header)
    for n in range(number, programs, workbooks):
        for position, row in enumerate(program_rows(n, rng, site, header, name)):
            if edit and n == number and position == 0:  # the program's row, not its または row
                row[header.index("概要")] = f"{row[header.index('概要')]}（{edit}回目の更新）"
            sheet.append(row)
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path


def generate(folder: Path, programs: int, workbooks: int) -> Path:
    site = _sample()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy2(SAMPLE / "common.xlsx", folder / "common.xlsx")
    header = headers(site.questions)
    for number in range(workbooks):
        write_department(folder, number, workbooks, programs, site, header)
    return folder


def touch_one(folder: Path, programs: int, workbooks: int, edit: int, number: int = 0) -> Path:
    """Rewrite department workbook `number` with one program's 概要 changed (as a department's save)."""
    site = _sample()
    return write_department(folder, number, workbooks, programs, site, headers(site.questions), edit=edit)


if __name__ == "__main__":
    generate(Path(sys.argv[3]), int(sys.argv[1]), int(sys.argv[2]))
