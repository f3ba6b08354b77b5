"""Generated sheet sets for the benchmark: N programs spread over W department workbooks.

The sets look like the sample city's (sheets/), scaled up: its common.xlsx (every question,
every category, the 書類 sheet), department workbooks with every condition column. Each program
is modelled on one sample program (its 分類, its condition rows, または rows included, and its
必要書類 lines, 書類名（note）, with one or two more of the 書類 sheet's documents in half of
them) and carries texts as departments write them, every one unique (the program's number,
place name and links in it): 概要 with a bold phrase and in two of five a `[text](https://…)`
link; 対象者 on several lines (a `- ` list in one of three); 支援内容 with a bold amount, a `- `
list in half and a link in three of five; 申請方法 with a link in half and a `- ` list of steps in
one of four. Lengths are the sample city's plus a sentence or two. Deterministic for a given
(programs, workbooks).

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


LINK_PAGES = ("制度の詳しい案内", "市ホームページの案内ページ", "支給額の一覧（PDF）", "よくある質問", "申請書の様式（PDF）",
              "記入例", "国の制度の説明", "対象となる区域の地図")
NOTES = ("写し可", "世帯全員分", "発行から3か月以内のもの", "原本", "申請者本人のもの", "コピー可", "マイナンバーの記載のないもの")
TARGET_LINES = ("{place}地区（{n}番地を含む）にお住まいの方", "世帯の代表者が申請してください", "令和8年7月1日時点で市内に住民登録がある方",
                "同じ世帯で既にこの制度を受けた方は対象外です", "代理人による申請もできます（委任状が必要です）",
                "市外に避難している方も対象です", "受付番号 R9-{n:05d} の世帯を含みます")
STEPS = ("申請書に記入する", "必要書類をそろえる", "{office}の窓口に持参するか、郵送する", "市から審査の結果が届く",
         "指定の口座に振り込まれる（申請から約{weeks}週間）")


def _url(kind: str, program_id: str, n: int) -> str:
    return f"https://www.city.sakura.example.jp/r8gouu/{kind}/{program_id}-{n}.html"


def _summary(base, n: int, rng: random.Random, place: str) -> str:
    """概要: the sample's sentence, a bold phrase, and (in two of five) a link to the program's page."""
    text = base.summary
    extra = rng.choice((f"{place}地区（第{n + 1}号）では**令和9年{n % 12 + 1}月{n % 28 + 1}日まで**受付を延長しています。",
                        f"第{n + 1}次の受付です（**{place}地区**の世帯が対象）。",
                        f"**{place}地区**で{n + 1}件目の申請を受け付けています。"))
    text += extra
    if rng.random() < 0.4:
        text += f"詳しくは[{rng.choice(LINK_PAGES)}]({_url('gaiyou', base.id, n)})をご覧ください。"
    return text


def _target(base, other, n: int, rng: random.Random, place: str) -> str:
    """対象者: several lines, as departments write them (single line breaks; a `- ` list in one of three)."""
    head = (other.target or base.target).split("\n\n")[0]
    lines = [TARGET_LINES[0], *rng.sample(TARGET_LINES[1:], rng.randint(0, 2))]  # the first one is the program's own
    rng.shuffle(lines)
    lines = [line.format(place=place, n=n + 1) for line in lines]
    if rng.random() < 0.33:
        return head + "\n\n" + "\n".join(f"- {line}" for line in lines)
    return head + "\n" + "\n".join(lines)


def _benefit(base, n: int, rng: random.Random, place: str) -> str:
    """支援内容: the sample's text with a bold amount, a `- ` list in half, a link in three of five."""
    text = base.benefit
    amount = f"**{(n % 90 + 1) * 1000:,}円**"
    if rng.random() < 0.5:
        text += (f"\n\n- {place}地区の加算：{amount}\n- 受付番号：R9-{n + 1:05d}"
                 + ("\n- 上限を超える部分は自己負担です" if rng.random() < 0.5 else ""))
    else:
        text += f"\n\n{place}地区の世帯には{amount}を加算します（受付番号 R9-{n + 1:05d}）。"
    if rng.random() < 0.6:
        text += f"\n\n[{rng.choice(LINK_PAGES)}]({_url('naiyou', base.id, n)})"
    return text


def _how_to_apply(base, n: int, rng: random.Random, place: str, department: str) -> str:
    """申請方法: the sample's text, steps as a `- ` list in one of four, a link in half."""
    text = base.how_to_apply
    if rng.random() < 0.25:
        steps = [step.format(office=department, weeks=n % 6 + 2) for step in STEPS[:rng.randint(3, 5)]]
        text += f"申請書には受付番号 R9-{n + 1:05d} を書いてください。\n\n" + "\n".join(f"- {step}" for step in steps)
    else:
        text += f"{place}分室（{department}）でも受け付けます（受付番号 R9-{n + 1:05d}）。"
    if rng.random() < 0.5:
        text += f"\nオンラインでの申請は[こちらのフォーム](https://apply.city.sakura.example.jp/form/{base.id}-{n})から。"
    return text


def _documents(base, n: int, rng: random.Random, site) -> str:
    """必要書類: the sample program's lines (書類名（note）), and one or two more of the 書類 sheet's documents in half."""
    lines = list(base.documents)
    if rng.random() < 0.5 and site.documents:
        for document in rng.sample(list(site.documents), rng.randint(1, 2)):
            if all(not line.startswith(document.name) for line in lines):
                lines.append(f"{document.name}（{rng.choice(NOTES)}）" if rng.random() < 0.6 else document.name)
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


def _condition_cells(row) -> dict:
    """A sample program's condition row as cells: ○ under each choice, the range's own words under a number."""
    cells = {}
    for requirement in row.requirements:
        if requirement.range is not None:
            cells[requirement.question_id] = requirement.range.text
        for choice in requirement.choices:
            cells[f"{requirement.question_id}:{choice}"] = "○"
    return cells


def program_rows(n: int, site, header: list[str], department: str) -> list[list]:
    """The program's row and its または rows: the conditions of the sample program it is modelled on."""
    rng = random.Random(n * 7919 + 17)  # the same texts whatever else changes
    base = site.programs[n % len(site.programs)]
    other = site.programs[(n * 7 + 3) % len(site.programs)]
    place = PLACES[n % len(PLACES)]
    deadline = rng.choice((dt.date(2027, 3, 31) + dt.timedelta(days=n % 400), "随時", "災害発生日から13か月以内",
                           f"令和9年{n % 12 + 1}月{n % 28 + 1}日", None))
    cells = {
        "制度ID": base.id if n < len(site.programs) else f"p{n:05d}-{base.id}",  # the 書類 sheet's 発行する制度
        "制度名": f"{base.name}（{place}地区 {n + 1}）",
        "分類": base.category,
        "概要": _summary(base, n, rng, place),
        "対象者": _target(base, other, n, rng, place),
        "支援内容": _benefit(base, n, rng, place),
        "申請期限": deadline,
        "申請方法": _how_to_apply(base, n, rng, place, department),
        "必要書類": _documents(base, n, rng, site),
        "問い合わせ先": f"{department} {place}分室\n電話 012-{n % 900 + 100:03d}-{n % 10000:04d}" if n % 5 == 0 else None,
        "オンライン申請URL": f"https://apply.example.jp/{n}" if n % 3 == 0 else None,
        "詳細URL": f"https://city.example.jp/programs/{n}.html",
        "公開": "×" if n % 50 == 49 else None,
        "備考": f"内部メモ {n}",
    }
    rows = []
    for position, condition_row in enumerate(base.condition_rows or (None,)):
        row_cells = {"制度ID": cells["制度ID"]} if position else dict(cells)
        if condition_row is not None:
            row_cells.update(_condition_cells(condition_row))
        rows.append([row_cells.get(h) for h in header])
    return rows


def department_name(number: int) -> str:
    return f"部署{number + 1:03d}課"


def write_department(folder: Path, number: int, workbooks: int, programs: int, site, header, edit: int = 0) -> Path:
    """Workbook `number` of `workbooks`: programs number, number + workbooks, ... (`edit` > 0 changes its texts)."""
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
        for position, row in enumerate(program_rows(n, site, header, name)):
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
    _japanese_only_common(folder / "common.xlsx")
    header = headers(site.questions)
    for number in range(workbooks):
        write_department(folder, number, workbooks, programs, site, header)
    return folder


def _japanese_only_common(path: Path) -> None:
    """The sample's common.xlsx without its 言語: the sets measure the Japanese site (bench/languages.py adds them)."""
    workbook = openpyxl.load_workbook(SAMPLE / "common.xlsx")
    sheet = workbook["設定"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "言語":
            sheet.delete_rows(row[0].row)
            break
    workbook.save(path)


def touch_one(folder: Path, programs: int, workbooks: int, edit: int, number: int = 0) -> Path:
    """Rewrite department workbook `number` with one program's 概要 changed (as a department's save)."""
    site = _sample()
    return write_department(folder, number, workbooks, programs, site, headers(site.questions), edit=edit)


if __name__ == "__main__":
    generate(Path(sys.argv[3]), int(sys.argv[1]), int(sys.argv[2]))
