"""A city whose sheets use every part of the condition language, for the Python/JavaScript parity test.

Written with the sheetmaker helpers, the way department staff fill the sheets in: every
answer form, every kind of 表示条件 (several choices with `、`, on a 複数選択, on a number
range, two lines, a chain three deep, a choice that itself contains `、`), every range form
with and without units, または rows, programs without conditions and unpublished programs.
"""

from __future__ import annotations

from pathlib import Path

from sheetmaker import DEPARTMENT, PROGRAM_HEADERS, SETTINGS, program_row, write_common, write_department

# 質問ID, 質問文, 補足説明, 回答形式, 選択肢, 単位, 表示条件
QUESTIONS = [
    ["住家被害", "住まいの被害の程度は？", "", "単一選択", "全壊\n大規模半壊\n中規模半壊\n半壊\n一部損壊\n被害なし", "", ""],
    # 表示条件 on a single choice, several choices listed with 、
    ["再建方法", "住まいをどう再建しますか？", "", "単一選択", "建設・購入\n補修\n賃借", "",
     "住家被害=全壊、大規模半壊、中規模半壊"],
    # a chain: 再建資金 → 再建方法 → 住家被害 ("never asked" propagates)
    ["再建資金", "再建の資金は？", "", "単一選択", "融資を受ける\n自己資金\n未定", "", "再建方法=建設・購入,補修"],
    ["世帯人数", "世帯の人数は？", "", "数値", "", "人", ""],
    ["年齢", "世帯主の年齢は？", "", "数値", "", "歳", ""],
    ["世帯の状況", "当てはまるものをすべて選んでください", "", "複数選択",
     "小中学生がいる\n65歳以上の方がいる\n障害のある方がいる\nひとり親世帯", "", ""],
    # 表示条件 on a multiple choice
    ["学年", "お子さんの学年は？", "", "単一選択", "小学生\n中学生", "", "世帯の状況=小中学生がいる"],
    # 表示条件 on a number range, with the unit
    ["要介護", "要介護認定は？", "", "単一選択", "要支援\n要介護\n認定なし", "", "年齢=65歳以上"],
    # a choice that itself contains 、
    ["家財", "家財は残っていますか？", "", "単一選択", "全部残っている\n一部残っている\n残っていない、ない", "", ""],
    # a 複数選択 asked only for some answers; the 表示条件 lists the choice containing 、 whole
    ["家財支援", "必要な家財は？", "", "複数選択", "家電\n家具\n寝具", "", "家財=一部残っている、残っていない、ない"],
    ["事業", "事業を営んでいますか？", "", "単一選択", "はい\nいいえ", "", ""],
    ["事業被害額", "事業の被害額は？", "", "数値", "", "万円", "事業=はい"],
    # two 表示条件 lines, one a 〜 range: both must hold
    ["収入", "世帯の年収は？", "", "数値", "", "万円", "世帯人数=1〜20\n住家被害=全壊、大規模半壊、中規模半壊、半壊"],
    # a chain through a 複数選択: 子の人数 → 学年 → 世帯の状況
    ["子の人数", "お子さんの人数は？", "", "数値", "", "人", "学年=小学生、中学生"],
]

CATEGORIES = [
    ["分類名", "説明"],
    ["生活再建", "給付金など"],
    ["住まい", "住まいの確保と修理"],
    ["子育て・福祉", ""],
]

HOUSING = [["項目", "値"], ["部署名", "住宅課"], ["電話番号", "012-345-0002"]]


def c(**cells) -> dict:
    """A または row: the 制度ID is added by the caller, only condition columns are filled."""
    return cells


def prog(program_id: str, category: str, *orows: dict, **cells) -> list[dict]:
    rows = [program_row(program_id, f"制度{program_id}", category=category, **cells)]
    rows += [{"制度ID": program_id, **extra} for extra in orows]
    return rows


# 福祉課.xlsx (rows in this order)
WELFARE = [
    *prog("risai", "生活再建"),  # no conditions: applies to everyone
    *prog("shienkin", "生活再建",
          c(**{"住家被害:全壊": "○", "世帯人数": "1"}),  # exact A
          c(**{"世帯の状況:障害のある方がいる": "○"}),
          **{"住家被害:全壊": "○", "住家被害:大規模半壊": "〇", "世帯人数": "2以上"}),
    *prog("korei", "子育て・福祉", **{"年齢": "65歳以上"}),
    *prog("wakamono", "子育て・福祉", **{"年齢": "40歳未満"}),
    *prog("chunen", "子育て・福祉", **{"年齢": "40以上64以下"}),
    *prog("kodomo", "子育て・福祉", **{"世帯の状況:小中学生がいる": "○", "世帯の状況:ひとり親世帯": "1"}),
    *prog("gakuyou", "子育て・福祉", **{"学年:中学生": "○"}),
    *prog("kaigo", "子育て・福祉", **{"要介護:要介護": "○", "要介護:要支援": "✓"}),
    *prog("ninzu-dash", "生活再建", **{"世帯人数": "2〜4"}),
    *prog("ninzu-tilde", "生活再建", **{"世帯人数": "3~5"}),
    *prog("ninzu-wide", "生活再建", **{"世帯人数": "２人～６人"}),  # full-width digits and tilde
    *prog("old", "生活再建", 公開="×"),  # would apply to everyone, but is kept out
    *prog("income-low", "生活再建", **{"収入": "300万円以下"}),
    *prog("income-band", "生活再建", **{"収入": "100以上200未満"}),
    *prog("income-band2", "生活再建", **{"収入": "100超200以下"}),
    *prog("income-band3", "生活再建", **{"収入": "0超100未満"}),
    *prog("income-none", "生活再建", **{"収入": "0以下"}),
    *prog("income-neg", "生活再建", **{"収入": "-50以上-10以下"}),
    *prog("hitori", "子育て・福祉", **{"世帯の状況:ひとり親世帯": "○", "学年:小学生": "○", "子の人数": "2以上"}),
    *prog("choju", "子育て・福祉",
          c(**{"要介護:要介護": "○"}),
          c(**{"世帯の状況:65歳以上の方がいる": "●", "世帯人数": "1.5以上"}),
          **{"年齢": "75以上"}),
    *prog("setai-four", "生活再建", **{"世帯人数": "4人"}),  # exact A with the unit
    *prog("tasu", "子育て・福祉", **{"子の人数": "3人以上", "学年:小学生": "○", "学年:中学生": "○"}),
]

# 住宅課.xlsx (sorts before 福祉課.xlsx, so its programs come first within a category)
HOUSING_PROGRAMS = [
    *prog("kasetsu", "住まい", **{"住家被害:全壊": "○", "住家被害:大規模半壊": "○", "住家被害:中規模半壊": "○"}),
    *prog("shuri", "住まい", **{"住家被害:中規模半壊": "○", "住家被害:半壊": "○", "再建方法:補修": "○"}),
    *prog("kensetsu-loan", "住まい", **{"再建資金:融資を受ける": "○"}),
    *prog("risoku", "住まい",
          c(**{"再建方法:建設・購入": "○", "世帯人数": "5以上"}),
          **{"再建方法:建設・購入": "○", "再建資金:融資を受ける": "○", "年齢": "60歳未満"}),
    *prog("chintai", "住まい", **{"再建方法:賃借": "○", "収入": "500以下"}),
    *prog("kazai", "生活再建", **{"家財:残っていない、ない": "○", "家財支援:家電": "○", "家財支援:寝具": "○"}),
    *prog("kazai2", "生活再建", **{"家財:一部残っている": "○", "家財:残っていない、ない": "○"}),
    *prog("jigyo", "生活再建", **{"事業:はい": "○", "事業被害額": "1.5以上"}),
    *prog("jigyo-small", "生活再建", **{"事業被害額": "0.5超10未満"}),
    *prog("jigyo-big", "生活再建", **{"事業被害額": "100万円超"}),
    *prog("ichibu", "住まい",
          c(**{"住家被害:被害なし": "○", "年齢": "80以上"}),
          c(**{"家財支援:家具": "○"}),
          **{"住家被害:一部損壊": "○"}),
    *prog("closed", "住まい", 公開="×", **{"住家被害:全壊": "○"}),
    *prog("gakusei", "子育て・福祉", **{"年齢": "18以上22未満", "世帯の状況:小中学生がいる": "○"}),
    *prog("jigyo-mid", "生活再建", **{"事業被害額": "10以上100以下", "年齢": "20超70未満"}),
    *prog("anyone-house", "住まい"),  # no conditions, in another workbook and category
]

UNPUBLISHED = ("old", "closed")


def _headers(programs: list[dict]) -> list[str]:
    base = [h for h in PROGRAM_HEADERS if ":" not in h and h not in ("世帯人数",)]
    conditions: list[str] = []
    for row in programs:
        for key in row:
            if key not in base and key not in conditions:
                conditions.append(key)
    return base + conditions


def write_parity_city(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_common(folder, settings=SETTINGS, questions=QUESTIONS, categories=CATEGORIES)
    write_department(folder, name="福祉課.xlsx", programs=WELFARE, headers=_headers(WELFARE), department=DEPARTMENT)
    write_department(folder, name="住宅課.xlsx", programs=HOUSING_PROGRAMS, headers=_headers(HOUSING_PROGRAMS),
                     department=HOUSING)
    return folder


def expected_site_order() -> list[str]:
    """分類 order, then workbook file name, then row; unpublished programs left out."""
    order = {row[0]: i for i, row in enumerate(CATEGORIES[1:])}
    rows = []
    for file, programs in (("福祉課.xlsx", WELFARE), ("住宅課.xlsx", HOUSING_PROGRAMS)):
        for index, row in enumerate(programs):
            if "制度名" in row and row["制度ID"] not in UNPUBLISHED:
                rows.append((order[row["分類"]], file, index, row["制度ID"]))
    return [program_id for *_, program_id in sorted(rows)]
