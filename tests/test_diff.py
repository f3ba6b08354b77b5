"""`navigator diff` and navigator/diff.py: what changed between the site last built and the sheets."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sheetmaker import CATEGORIES, DEPARTMENT, QUESTIONS, SETTINGS, program_row, small_city, write_common, write_department

from navigator.cli import main
from navigator.pipeline import build
from navigator.site.changes import (
    FieldChange,
    SiteChange,
    conditions_in_words,
    diff_catalogs,
    next_history,
    site_changes,
    unpublished_in_history,
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def program(program_id: str, name: str, department: str = "福祉課", **fields) -> dict:
    data = {"id": program_id, "name": name, "category": "生活再建", "department": department, "summary": f"{name}の概要",
            "target": "", "benefit": "", "deadline": None, "how_to_apply": "", "documents": [], "contact": "",
            "online_url": None, "detail_url": None, "page": f"programs/{program_id}.html", "conditions": [[]]}
    data.update(fields)
    return data


def catalog(*programs: dict, departments=("福祉課", "住宅課")) -> dict:
    return {"departments": [{"name": d} for d in departments], "programs": list(programs)}


OLD = catalog(program("a", "制度A"), program("b", "制度B"), program("c", "制度C", department="住宅課"))


def test_nothing_changed():
    assert diff_catalogs(OLD, copy.deepcopy(OLD)) == []


def test_added_removed_and_unpublished():
    new = catalog(program("a", "制度A"), program("d", "制度D", department="住宅課"))
    changes = diff_catalogs(OLD, new, unpublished=["b"])
    assert [(c.department, c.kind, c.id, c.page) for c in changes] == [
        ("福祉課", "unpublished", "b", None),
        ("住宅課", "added", "d", "programs/d.html"),
        ("住宅課", "removed", "c", None),
    ]
    assert [c.label for c in changes] == ["非公開になった", "追加", "削除"]


def test_absent_before_is_added_unless_known_unpublished():
    new = catalog(*OLD["programs"], program("x", "制度X"))
    assert [c.kind for c in diff_catalogs(OLD, new)] == ["added"]
    assert [c.kind for c in diff_catalogs(OLD, new, previously_unpublished=["x"])] == ["published"]


def test_field_changes_with_old_and_new_values_in_words():
    new = copy.deepcopy(OLD)
    a = new["programs"][0]
    a.update(benefit="最大350万円", documents=["り災証明書", "通帳"], deadline={"date": "2027-03-31", "text": "令和9年3月31日"},
             page="programs/a.html")
    [change] = diff_catalogs(OLD, new)
    assert (change.kind, change.id, change.name) == ("changed", "a", "制度A")
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("支援内容", "", "最大350万円"),
        ("申請期限", "", "令和9年3月31日"),
        ("必要書類", "", "り災証明書\n通帳"),
    ]


def test_condition_changes_are_shown_in_words():
    zenkai = {"question": "住家被害", "choices": ["全壊", "大規模半壊"]}
    people = {"question": "世帯人数", "range": {"min": 2, "min_inclusive": True, "max": None, "max_inclusive": False,
                                                 "text": "2人以上"}}
    new = copy.deepcopy(OLD)
    new["programs"][1]["conditions"] = [[zenkai, people], [{"question": "事業", "choices": ["はい"]}]]
    [change] = diff_catalogs(OLD, new)
    [field] = change.fields
    assert (field.field, field.label, field.old) == ("conditions", "条件", "条件なし（どなたでも対象）")
    assert field.new == "住家被害: 全壊 または 大規模半壊 かつ 世帯人数: 2人以上 ／ または 事業: はい"


def test_moving_to_another_department_is_grouped_under_the_new_one():
    new = copy.deepcopy(OLD)
    new["programs"][0]["department"] = "住宅課"
    [change] = diff_catalogs(OLD, new)
    assert change.department == "住宅課"
    assert [(f.label, f.old, f.new) for f in change.fields] == [("部署", "福祉課", "住宅課")]


def test_no_previous_catalog_makes_everything_added():
    assert [c.kind for c in diff_catalogs(None, OLD)] == ["added"] * 3


def test_conditions_in_words_of_an_empty_row():
    assert conditions_in_words([[]]) == "条件なし（どなたでも対象）"


def test_history_remembers_unpublished_programs():
    history = next_history([], None, OLD, "2026-07-01")
    assert history == [{"date": "2026-07-01", "kind": "start", "programs": 3, "changes": []}]
    without_b = catalog(program("a", "制度A"), program("c", "制度C", department="住宅課"))
    history = next_history(history, OLD, without_b, "2026-07-02", unpublished=["b"])
    assert unpublished_in_history(history) == {"b"}
    history = next_history(history, without_b, without_b, "2026-07-03")
    assert len(history) == 2  # nothing changed: no entry
    history = next_history(history, without_b, OLD, "2026-07-04")
    assert [c["kind"] for c in history[-1]["changes"]] == ["published"]
    assert unpublished_in_history(history) == set()


def test_history_is_capped():
    history = [{"date": "2026-07-01", "kind": "update", "changes": []}] * 100
    history = next_history(history, OLD, catalog(*OLD["programs"][:2]), "2026-08-01")
    assert len(history) == 100 and history[-1]["date"] == "2026-08-01"


# --- the rest of the site: 設定, 質問, 分類, 部署 -------------------------------------------------

def question(question_id: str, text: str, kind: str = "single", choices=("はい", "いいえ"), **fields) -> dict:
    data = {"id": question_id, "text": text, "help": "", "type": kind, "choices": list(choices), "unit": "",
            "display_conditions": []}
    data.update(fields)
    return data


SITE = {
    "settings": {"site_name": "テスト市 被災者支援ナビ", "municipality": "テスト市", "intro": "", "contact": "",
                 "disclaimer": "", "notice": ""},
    "questions": [question("住家被害", "住まいの被害は？", choices=("全壊", "半壊")),
                  question("世帯人数", "世帯の人数は？", "number", (), unit="人"),
                  question("事業", "事業を営んでいますか？")],
    "categories": [{"name": "生活再建", "description": "給付金など", "page": "categories/1.html"},
                   {"name": "住まい", "description": "", "page": "categories/2.html"}],
    "departments": [{"name": "福祉課", "phone": "012-345-0001", "email": "", "office": ""},
                    {"name": "住宅課", "phone": "", "email": "", "office": ""}],
    "programs": [],
}


def test_site_changes_of_an_unchanged_site_are_none():
    assert site_changes(SITE, copy.deepcopy(SITE)) == []


def test_site_changes_without_a_previous_site_are_none():
    assert site_changes(None, SITE) == []  # every program is new: nothing to compare the rest with


def test_a_changed_setting_is_named_by_its_項目():
    new = copy.deepcopy(SITE)
    new["settings"]["notice"] = "断水しています。"
    assert site_changes(SITE, new) == [
        SiteChange("settings", "changed", "お知らせ", "お知らせ", (FieldChange("notice", "お知らせ", "", "断水しています。"),))]


def test_a_question_added_removed_and_changed_in_words():
    new = copy.deepcopy(SITE)
    new["questions"] = [
        question("住家被害", "住まいの被害の程度は？", "multiple", ("全壊", "大規模半壊", "半壊")),
        question("世帯人数", "世帯の人数は？", "number", (), unit="人",
                 display_conditions=[{"question": "住家被害", "choices": ["全壊", "大規模半壊"]}]),
        question("年齢", "年齢は？", "number", (), unit="歳"),
    ]
    changes = site_changes(SITE, new)
    assert [(c.kind, c.key, c.name, c.label) for c in changes] == [
        ("added", "年齢", "年齢は？", "追加"),
        ("changed", "住家被害", "住まいの被害の程度は？", "変更"),
        ("changed", "世帯人数", "世帯の人数は？", "変更"),
        ("removed", "事業", "事業を営んでいますか？", "削除"),
    ]
    assert [(f.label, f.old, f.new) for f in changes[1].fields] == [
        ("質問文", "住まいの被害は？", "住まいの被害の程度は？"),
        ("回答形式", "単一選択", "複数選択"),
        ("選択肢", "全壊\n半壊", "全壊\n大規模半壊\n半壊"),
    ]
    assert [(f.label, f.old, f.new) for f in changes[2].fields] == [("表示条件", "", "住家被害: 全壊 または 大規模半壊")]
    assert changes[1].title == "住まいの被害の程度は？ [住家被害]"


def test_a_question_asked_earlier_is_moved_and_only_it():
    new = copy.deepcopy(SITE)
    new["questions"] = [new["questions"][2], *new["questions"][:2]]
    [change] = site_changes(SITE, new)
    assert (change.part, change.kind, change.key, change.label) == ("questions", "moved", "事業", "順番の変更")
    assert change.fields == (FieldChange("position", "順番", "3番目", "1番目"),)


def test_a_question_moved_and_changed_is_changed_with_its_place():
    new = copy.deepcopy(SITE)
    new["questions"] = [new["questions"][2], *new["questions"][:2]]
    new["questions"][0]["help"] = "個人事業も含みます。"
    [change] = site_changes(SITE, new)
    assert change.kind == "changed"
    assert [(f.label, f.old, f.new) for f in change.fields] == [("補足説明", "", "個人事業も含みます。"), ("順番", "3番目", "1番目")]


def test_a_question_added_before_the_others_moves_none_of_them():
    new = copy.deepcopy(SITE)
    new["questions"].insert(0, question("避難", "避難していますか？"))
    assert [(c.kind, c.key) for c in site_changes(SITE, new)] == [("added", "避難")]


def test_categories_added_removed_moved_and_described():
    new = copy.deepcopy(SITE)
    new["categories"] = [{"name": "住まい", "description": "住まいの確保と修理", "page": "categories/1.html"},
                         {"name": "子育て・教育", "description": "", "page": "categories/2.html"}]
    changes = site_changes(SITE, new)
    assert [(c.part, c.kind, c.key, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("categories", "added", "子育て・教育", []),
        ("categories", "changed", "住まい", [("説明", "", "住まいの確保と修理")]),
        ("categories", "removed", "生活再建", []),
    ]
    new["categories"].insert(0, SITE["categories"][0])
    new["categories"].reverse()
    assert [(c.kind, c.key) for c in site_changes(SITE, new)] == [
        ("added", "子育て・教育"), ("changed", "住まい"), ("moved", "生活再建")]


def test_departments_added_removed_and_their_contact_changed():
    new = copy.deepcopy(SITE)
    new["departments"] = [{"name": "福祉課", "phone": "012-345-0009", "email": "", "office": "本庁舎1階"},
                          {"name": "税務課", "phone": "", "email": "", "office": ""}]
    changes = site_changes(SITE, new)
    assert [(c.part, c.kind, c.key, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("departments", "added", "税務課", []),
        ("departments", "changed", "福祉課", [("電話番号", "012-345-0001", "012-345-0009"), ("窓口", "", "本庁舎1階")]),
        ("departments", "removed", "住宅課", []),
    ]
    new["departments"] = list(reversed(SITE["departments"]))
    assert site_changes(SITE, new) == []  # their order follows the file names and is not shown


def test_site_changes_come_in_the_order_of_the_sheets():
    new = copy.deepcopy(SITE)
    new["departments"][1]["email"] = "jutaku@city.test.example.jp"
    new["categories"][1]["description"] = "仮設住宅など"
    new["questions"][2]["choices"] = ["はい", "いいえ", "わからない"]
    new["settings"]["site_name"] = "テスト市 支援ナビ"
    assert [c.part for c in site_changes(SITE, new)] == ["settings", "questions", "categories", "departments"]


def test_a_part_missing_from_a_catalog_is_not_compared():
    assert site_changes({"programs": []}, SITE) == []


# --- the command --------------------------------------------------------------------------------

@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    sheets = small_city(tmp_path / "sheets")
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    return sheets, out


def change_the_sheets(sheets: Path) -> None:
    """shien-kin: 支援内容 and its または row changed; risai unpublished; kasetsu deleted; two added."""
    write_department(sheets, programs=[
        program_row("shien-kin", "生活再建支援金", 支援内容="最大350万円", 申請期限=dt.date(2027, 3, 31),
                    必要書類="り災証明書\n預金通帳の写し", **{"住家被害:全壊": "○", "世帯人数": "2以上"}),
        program_row("risai", "り災証明書の交付", 申請期限="随時", 公開="×"),
        program_row("old", "終了した制度", 公開="×"),
        program_row("new-one", "新しい制度", category="住まい"),
    ])
    write_department(sheets, name="住宅課.xlsx", department=[["項目", "値"], ["部署名", "住宅課"]],
                     programs=[program_row("shuri", "住宅の応急修理", category="住まい", **{"住家被害:半壊": "○"})])


def test_diff_prints_the_changes_grouped_by_department(capsys, built):
    sheets, out = built
    change_the_sheets(sheets)
    code, printed, err = run(capsys, "diff", str(sheets), "--against", str(out))
    assert (code, err) == (0, "")
    assert printed == (
        f"前回作ったサイト（{out / 'catalog.json'}）からの変更: 制度 追加 2件、変更 1件、非公開になった 1件、削除 1件。"
        "サイト全体 1件。\n"
        "\n"
        "■ 部署の連絡先（問い合わせ先が空欄の制度のページに出ます）\n"
        "  追加: 住宅課\n"
        "\n"
        "■ 住宅課\n"
        "  追加: 住宅の応急修理 [shuri]\n"
        "\n"
        "■ 福祉課\n"
        "  追加: 新しい制度 [new-one]\n"
        "  変更: 生活再建支援金 [shien-kin]\n"
        "    支援内容:\n"
        "      前: 最大300万円\n"
        "      後: 最大350万円\n"
        "    条件:\n"
        "      前: 住家被害: 全壊 かつ 世帯人数: 2以上\n"
        "          または 住家被害: 大規模半壊\n"
        "      後: 住家被害: 全壊 かつ 世帯人数: 2以上（福祉課.xlsx / 制度 / A2）\n"
        "  非公開になった: り災証明書の交付 [risai]\n"
        "  削除: 応急仮設住宅 [kasetsu]\n"
    )


def test_diff_prints_each_condition_row_with_its_cell(capsys, built):
    """A changed 条件: one row a line, the rows now in the sheets each with the cell of its 制度ID."""
    sheets, out = built
    write_department(sheets, programs=[
        program_row("shien-kin", "生活再建支援金", 支援内容="最大300万円", 申請期限=dt.date(2027, 3, 31),
                    必要書類="り災証明書\n預金通帳の写し", **{"住家被害:全壊": "○", "世帯人数": "2以上"}),
        {"制度ID": "shien-kin", "住家被害:大規模半壊": "○"},
        {"制度ID": "shien-kin", "住家被害:半壊": "○", "世帯人数": "3以上"},
        program_row("risai", "り災証明書の交付", category="生活再建", 申請期限="随時"),
        program_row("kasetsu", "応急仮設住宅", category="住まい", 備考="内部メモ: 戸数調整中", **{"住家被害:全壊": "○"}),
        program_row("old", "終了した制度", 公開="×"),
    ])
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out))
    assert code == 0
    assert printed.splitlines()[-6:] == [
        "    条件:",
        "      前: 住家被害: 全壊 かつ 世帯人数: 2以上",
        "          または 住家被害: 大規模半壊",
        "      後: 住家被害: 全壊 かつ 世帯人数: 2以上（福祉課.xlsx / 制度 / A2）",
        "          または 住家被害: 大規模半壊（福祉課.xlsx / 制度 / A3）",
        "          または 住家被害: 半壊 かつ 世帯人数: 3以上（福祉課.xlsx / 制度 / A4）",
    ]


def test_diff_json(capsys, built):
    sheets, out = built
    change_the_sheets(sheets)
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out), "--format", "json")
    assert code == 0
    data = json.loads(printed)
    assert data["against"] == str(out / "catalog.json") and data["previous_site"] is True
    assert data["counts"] == {"added": 2, "published": 0, "changed": 1, "unpublished": 1, "removed": 1}
    assert [(d["name"], [(c["kind"], c["id"]) for c in d["changes"]]) for d in data["departments"]] == [
        ("住宅課", [("added", "shuri")]),
        ("福祉課", [("added", "new-one"), ("changed", "shien-kin"), ("unpublished", "risai"), ("removed", "kasetsu")]),
    ]
    changed = data["departments"][1]["changes"][1]
    assert changed["fields"][0] == {"field": "benefit", "label": "支援内容", "old": "最大300万円", "new": "最大350万円"}
    assert changed["page"] == "programs/shien-kin.html"
    assert [(c["part"], c["kind"], c["key"]) for c in data["site"]] == [("departments", "added", "住宅課")]


def change_the_rest_of_the_site(sheets: Path) -> None:
    """お知らせ set, 住家被害 gets a choice, 福祉課's phone number changed; no program changed."""
    settings = [row if row[0] != "お知らせ" else ["お知らせ", "断水のため給水所を開設しています。"] for row in SETTINGS]
    questions = [row if row[0] != "住家被害" else [*row[:4], "全壊\n大規模半壊\n中規模半壊\n半壊\n一部損壊\n被害なし", *row[5:]]
                 for row in QUESTIONS]
    write_common(sheets, settings=settings, questions=questions, categories=CATEGORIES)
    write_department(sheets, department=[row if row[0] != "電話番号" else ["電話番号", "012-345-0009"] for row in DEPARTMENT])


def test_diff_prints_the_changes_to_the_rest_of_the_site_first(capsys, built):
    sheets, out = built
    change_the_rest_of_the_site(sheets)
    write_department(sheets, name="住宅課.xlsx", department=[["項目", "値"], ["部署名", "住宅課"]],
                     programs=[program_row("shuri", "住宅の応急修理", category="住まい")])
    code, printed, err = run(capsys, "diff", str(sheets), "--against", str(out))
    assert (code, err) == (0, "")
    assert printed == (
        f"前回作ったサイト（{out / 'catalog.json'}）からの変更: 制度 追加 1件。サイト全体 4件。\n"
        "\n"
        "■ 設定（common.xlsx）\n"
        "  変更: お知らせ\n"
        "      前: （空欄）\n"
        "      後: 断水のため給水所を開設しています。\n"
        "\n"
        "■ 質問（common.xlsx）\n"
        "  変更: 住まいの被害の程度は？ [住家被害]\n"
        "    選択肢:\n"
        "      前: 全壊\n"
        "          大規模半壊\n"
        "          半壊\n"
        "          一部損壊\n"
        "          被害なし\n"
        "      後: 全壊\n"
        "          大規模半壊\n"
        "          中規模半壊\n"
        "          半壊\n"
        "          一部損壊\n"
        "          被害なし\n"
        "\n"
        "■ 部署の連絡先（問い合わせ先が空欄の制度のページに出ます）\n"
        "  追加: 住宅課\n"
        "  変更: 福祉課\n"
        "    電話番号:\n"
        "      前: 012-345-0001\n"
        "      後: 012-345-0009\n"
        "\n"
        "■ 住宅課\n"
        "  追加: 住宅の応急修理 [shuri]\n"
    )


def test_diff_of_the_rest_of_the_site_only(capsys, built):
    sheets, out = built
    change_the_rest_of_the_site(sheets)
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out))
    assert code == 0
    assert printed.splitlines()[0] == f"前回作ったサイト（{out / 'catalog.json'}）からの変更: サイト全体 3件。"


def test_diff_json_has_the_rest_of_the_site_under_site(capsys, built):
    sheets, out = built
    change_the_rest_of_the_site(sheets)
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out), "--format", "json")
    assert code == 0
    data = json.loads(printed)
    assert data["departments"] == [] and set(data["counts"].values()) == {0}
    assert data["site"] == [
        {"part": "settings", "kind": "changed", "label": "変更", "key": "お知らせ", "name": "お知らせ",
         "fields": [{"field": "notice", "label": "お知らせ", "old": "", "new": "断水のため給水所を開設しています。"}]},
        {"part": "questions", "kind": "changed", "label": "変更", "key": "住家被害", "name": "住まいの被害の程度は？",
         "fields": [{"field": "choices", "label": "選択肢", "old": "全壊\n大規模半壊\n半壊\n一部損壊\n被害なし",
                     "new": "全壊\n大規模半壊\n中規模半壊\n半壊\n一部損壊\n被害なし"}]},
        {"part": "departments", "kind": "changed", "label": "変更", "key": "福祉課", "name": "福祉課",
         "fields": [{"field": "phone", "label": "電話番号", "old": "012-345-0001", "new": "012-345-0009"}]},
    ]


def test_the_history_stays_about_programs(built):
    sheets, out = built
    change_the_rest_of_the_site(sheets)
    assert build(sheets, out, today=dt.date(2026, 7, 2)).ok
    entries = json.loads((out / "changes.json").read_text(encoding="utf-8"))["entries"]
    assert [e["kind"] for e in entries] == ["start"]  # no program changed: no 更新情報 entry


def test_diff_without_changes(capsys, built):
    sheets, out = built
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out))
    assert (code, printed) == (0, f"前回作ったサイト（{out / 'catalog.json'}）から、制度にもサイト全体にも変更はありません。\n")
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out), "--format", "json")
    assert json.loads(printed)["site"] == []


def test_diff_names_programs_published_again(capsys, built):
    sheets, out = built
    write_department(sheets, programs=[program_row("risai", "り災証明書の交付", 公開="×")])
    assert build(sheets, out, today=dt.date(2026, 7, 2)).ok
    write_department(sheets, programs=[program_row("risai", "り災証明書の交付")])
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(out))
    assert code == 0 and printed.splitlines()[-1] == "  公開になった: り災証明書の交付 [risai]"


def test_diff_without_a_previous_site_says_everything_is_new(capsys, tmp_path):
    sheets = small_city(tmp_path / "sheets")
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(tmp_path / "nothing"))
    assert code == 0
    assert printed.splitlines()[:3] == [
        f"「{tmp_path / 'nothing'}」には前回作ったサイト（catalog.json）がありません。公開する制度 3件は、すべて新しく公開されます。",
        "",
        "■ 福祉課",
    ]
    assert printed.count("  追加: ") == 3
    code, printed, _ = run(capsys, "diff", str(sheets), "--against", str(tmp_path / "nothing"), "--format", "json")
    data = json.loads(printed)
    assert data["previous_site"] is False and data["site"] == []  # nothing to compare the rest of the site with


def test_diff_of_sheets_with_errors_prints_the_problems_and_exits_1(capsys, built):
    sheets, out = built
    write_department(sheets, programs=[program_row("a", "分類違い", category="すまい")])
    code, printed, err = run(capsys, "diff", str(sheets), "--against", str(out))
    assert code == 1
    assert printed.startswith("[エラー] 福祉課.xlsx / 制度 / C2: 分類「すまい」")
    assert err == "エラー: シートにエラーがあるため比べられません。上のエラーを直してください。\n"


def test_diff_of_an_unreadable_catalog_exits_1(capsys, built):
    sheets, out = built
    (out / "catalog.json").write_text("{broken", encoding="utf-8")
    code, _, err = run(capsys, "diff", str(sheets), "--against", str(out))
    assert code == 1 and "catalog.json」が読めません" in err


def test_diff_has_help_with_an_example(capsys):
    code, printed, _ = run(capsys, "diff", "--help")
    assert code == 0 and "例:" in printed
