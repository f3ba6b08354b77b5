"""Writing small workbooks for tests, the way department staff would fill them in.

`small_city(folder)` writes a valid set (common.xlsx and one or two departments); tests then
change one thing and look at what the tool says.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

SETTINGS = [
    ["項目", "値"],
    ["サイト名", "テスト市 被災者支援ナビ"],
    ["自治体名", "テスト市"],
    ["はじめに", "質問に答えると、**使える制度**が分かります。"],
    ["問い合わせ先", "テスト市 総合窓口 電話 012-345-6789"],
    ["注意事項", "最終的な判断は各担当課が行います。"],
    ["お知らせ", ""],
]

QUESTION_HEADERS = ["質問ID", "質問文", "補足説明", "回答形式", "選択肢", "単位", "表示条件"]
QUESTIONS = [
    ["住家被害", "住まいの被害の程度は？", "り災証明書の判定です。", "単一選択", "全壊\n大規模半壊\n半壊\n一部損壊\n被害なし", "", ""],
    ["再建方法", "住まいをどう再建しますか？", "", "単一選択", "建設・購入\n補修\n賃借", "", "住家被害=全壊、大規模半壊"],
    ["世帯人数", "世帯の人数は？", "", "数値", "", "人", ""],
    ["世帯の状況", "当てはまるものをすべて選んでください", "", "複数選択", "小中学生がいる\n65歳以上の方がいる\n障害のある方がいる", "", ""],
    ["事業", "事業を営んでいますか？", "", "単一選択", "はい\nいいえ", "", ""],
]

CATEGORIES = [
    ["分類名", "説明"],
    ["生活再建", "給付金など"],
    ["住まい", "住まいの確保と修理"],
    ["子育て・教育", ""],
]

DEPARTMENT = [
    ["項目", "値"],
    ["部署名", "福祉課"],
    ["電話番号", "012-345-0001"],
    ["メール", "fukushi@city.test.example.jp"],
    ["窓口", "市役所本庁舎1階 平日8時30分〜17時15分"],
]

PROGRAM_HEADERS = ["制度ID", "制度名", "分類", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類",
                   "問い合わせ先", "オンライン申請URL", "詳細URL", "公開", "備考",
                   "住家被害:全壊", "住家被害:大規模半壊", "住家被害:半壊", "世帯人数"]


def program_row(program_id: str, name: str, category: str = "生活再建", **cells) -> dict:
    row = {"制度ID": program_id, "制度名": name, "分類": category, "概要": f"{name}の概要です。"}
    row.update(cells)
    return row


PROGRAMS = [
    program_row("shien-kin", "生活再建支援金", 支援内容="最大300万円", 申請期限=dt.date(2027, 3, 31),
                必要書類="り災証明書\n預金通帳の写し", **{"住家被害:全壊": "○", "世帯人数": "2以上"}),
    {"制度ID": "shien-kin", "住家被害:大規模半壊": "○"},
    program_row("risai", "り災証明書の交付", category="生活再建", 申請期限="随時"),
    program_row("kasetsu", "応急仮設住宅", category="住まい", 備考="内部メモ: 戸数調整中",
                **{"住家被害:全壊": "○"}),
    program_row("old", "終了した制度", 公開="×"),
]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def table(headers: list[str], records: list[dict]) -> list[list]:
    return [headers] + [[record.get(header, None) for header in headers] for record in records]


def write_common(folder: Path, settings=None, questions=None, categories=None, name: str = "common.xlsx") -> Path:
    return write_workbook(folder / name, {
        "設定": settings if settings is not None else SETTINGS,
        "質問": [QUESTION_HEADERS] + (questions if questions is not None else QUESTIONS),
        "分類": categories if categories is not None else CATEGORIES,
    })


def write_department(folder: Path, name: str = "福祉課.xlsx", programs=None, headers=None, department=None,
                     title_rows: list[list] | None = None) -> Path:
    rows = table(headers or PROGRAM_HEADERS, programs if programs is not None else PROGRAMS)
    return write_workbook(folder / name, {
        "部署": department if department is not None else DEPARTMENT,
        "制度": (title_rows or []) + rows,
    })


def small_city(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_common(folder)
    write_department(folder)
    return folder
