"""`navigator check --review`: each finding from a small constructed city, and the default sheets."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sheetmaker import PROGRAM_HEADERS, PROGRAMS, QUESTIONS, program_row, small_city, write_common, write_department

from navigator.check.validate import validate_folder
from navigator.cli import main
from navigator.rules import match
from navigator.tooling import review as review_module
from navigator.tooling.review import (
    choice_usage,
    expired,
    look_alikes,
    never_applies,
    review,
    row_can_apply,
    unused_choices,
    unused_questions,
    without_contact,
)

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def site_of(folder: Path):
    validation = validate_folder(folder)
    assert validation.report.problems == []
    return validation.site


# ---------------------------------------------------------------- never shown

MORE_QUESTIONS = [
    ["年齢", "世帯主の年齢は？", "", "数値", "", "歳", ""],
    ["高齢者向け", "高齢者向け住宅を希望しますか？", "", "単一選択", "はい\nいいえ", "", "年齢=65歳以上"],
    ["補修の内容", "どこを補修しますか？", "", "単一選択", "屋根\n外壁", "", "再建方法=補修"],
    ["介護", "介護が必要な方はいますか？", "", "単一選択", "はい\nいいえ", "", "世帯の状況=65歳以上の方がいる"],
]
MORE_HEADERS = PROGRAM_HEADERS + ["住家被害:被害なし", "再建方法:補修", "年齢", "高齢者向け:はい", "補修の内容:屋根",
                                  "世帯の状況:小中学生がいる", "介護:はい"]
IMPOSSIBLE = [
    # 再建方法 is asked only for 全壊 or 大規模半壊.
    program_row("contra", "補修支援（被害なし）", **{"再建方法:補修": "○", "住家被害:被害なし": "○"}),
    # 高齢者向け is asked only from 65.
    program_row("young-elder", "若年高齢者住宅", **{"年齢": "20歳未満", "高齢者向け:はい": "○"}),
    program_row("edge-no", "64歳まで", **{"年齢": "65未満", "高齢者向け:はい": "○"}),
    program_row("edge-ok", "65歳まで", **{"年齢": "65以下", "高齢者向け:はい": "○"}),
    # 補修の内容 needs 再建方法=補修, which needs 住家被害 全壊 or 大規模半壊.
    program_row("chain", "屋根補修（半壊）", **{"補修の内容:屋根": "○", "住家被害:半壊": "○"}),
    # Several choices of a 複数選択 question can be chosen together: this one can apply.
    program_row("multi-ok", "介護と子ども", **{"世帯の状況:小中学生がいる": "○", "介護:はい": "○"}),
    # The first row applies to some, its または row to nobody.
    program_row("half-dead", "一部の行だけ矛盾", **{"住家被害:全壊": "○"}),
    {"制度ID": "half-dead", "再建方法:補修": "○", "住家被害:被害なし": "○"},
]


@pytest.fixture
def contradictions(tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_common(folder, questions=QUESTIONS + MORE_QUESTIONS)
    write_department(folder, headers=MORE_HEADERS, programs=PROGRAMS + IMPOSSIBLE)
    return site_of(folder)


def test_programs_whose_conditions_contradict_the_display_conditions(contradictions):
    found = {f.program.id: f for f in never_applies(contradictions)}
    assert sorted(found) == ["chain", "contra", "edge-no", "half-dead", "young-elder"]
    assert [(f.program.id, f.every_row) for f in found.values() if not f.every_row] == [("half-dead", False)]
    assert [(d.row, d.reason) for d in found["contra"].dead_rows] == [(7, (
        "質問「再建方法」は表示条件「住家被害=全壊、大規模半壊」のときだけ聞かれますが、"
        "この行は「住家被害=被害なし」も条件にしているため、その質問が聞かれません。"))]
    assert found["young-elder"].dead_rows[0].reason == (
        "質問「高齢者向け」は表示条件「年齢=65歳以上」のときだけ聞かれますが、"
        "この行は「年齢=20歳未満」も条件にしているため、その質問が聞かれません。")
    assert found["chain"].dead_rows[0].reason == (
        "質問「補修の内容」は表示条件「再建方法=補修」のときだけ聞かれますが、"
        "この行は「住家被害=半壊」も条件にしているため、その質問が聞かれません。")
    assert [(d.row, d.reason) for d in found["half-dead"].dead_rows] == [(14, found["contra"].dead_rows[0].reason)]
    result = review(contradictions, dt.date(2027, 1, 1))
    assert [f.program.id for f in result.never_shown] == ["contra", "young-elder", "edge-no", "chain"]
    assert [f.program.id for f in result.dead_rows] == ["half-dead"]


def test_never_shown_agrees_with_the_rule_engine(contradictions):
    """Every answer combination of the questions involved, unanswered included, through rules.match."""
    site = contradictions
    options = {
        "住家被害": [None, *site.question("住家被害").choices],
        "再建方法": [None, *site.question("再建方法").choices],
        "補修の内容": [None, *site.question("補修の内容").choices],
        "年齢": [None, 19.0, 20.0, 64.0, 64.5, 65.0, 66.0],
        "高齢者向け": [None, "はい", "いいえ"],
    }
    applies: set[str] = set()
    may_apply: set[str] = set()
    for combination in itertools.product(*options.values()):
        answers = {q: v for q, v in zip(options, combination) if v is not None}
        result = match(site, answers).as_ids()
        applies.update(result["applies"])
        may_apply.update(result["may_apply"])
    never = {"contra", "young-elder", "edge-no", "chain"}
    assert not never & applies
    # With the contradicting question unanswered they still show as 対象の可能性あり (why they are worth a look).
    assert never <= may_apply
    assert {"edge-ok", "half-dead"} <= applies


def test_an_empty_row_and_a_plain_row_can_apply(contradictions):
    site = contradictions
    assert row_can_apply(site, ()) is True
    assert all(row_can_apply(site, row.requirements) for p in site.programs if p.id in ("shien-kin", "risai", "kasetsu")
               for row in p.condition_rows)


def test_too_many_combinations_is_said_not_guessed(contradictions, monkeypatch):
    monkeypatch.setattr(review_module, "MAX_COMBINATIONS", 0)
    result = review(contradictions, dt.date(2027, 1, 1))
    assert "multi-ok" in [p.id for p in result.unchecked]
    assert result.never_shown == ()


def test_the_default_sheets_have_no_program_that_is_never_shown():
    site = site_of(ROOT / "sheets")
    result = review(site, dt.date(2026, 8, 1))
    assert [f.program.id for f in result.never_shown] == []
    assert [f.program.id for f in result.dead_rows] == []
    assert result.unchecked == ()


# ---------------------------------------------------------------- deadlines, contacts, look-alikes


def test_expired_deadlines(tmp_path):
    site = site_of(small_city(tmp_path / "sheets"))  # shien-kin: 2027-03-31; risai: 随時
    assert [p.id for p in expired(site, dt.date(2027, 3, 31))] == []
    assert [p.id for p in expired(site, dt.date(2027, 4, 1))] == ["shien-kin"]


def test_programs_without_a_contact(tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_department(folder, name="住宅課.xlsx", department=[["項目", "値"], ["部署名", "住宅課"]], programs=[
        program_row("no-contact", "連絡先なし"),
        program_row("own-contact", "連絡先あり", 問い合わせ先="住宅課 電話 012-000-0000"),
    ])
    assert [p.id for p in without_contact(site_of(folder))] == ["no-contact"]


def test_look_alike_programs_of_different_departments(tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_department(folder, name="住宅課.xlsx", programs=[
        program_row("shien-kin-2", "生活再建 支援金"),  # the same after normalisation
        program_row("risai-2", "り災証明書交付"),  # near the same
        program_row("kasetsu-2", "応急仮設住宅の提供"),  # not near enough
    ])
    write_department(folder, programs=PROGRAMS + [program_row("kasetsu-b", "応急仮設住宅", category="住まい")])
    found = [(a.first.id, a.second.id, round(a.ratio, 2)) for a in look_alikes(site_of(folder))]
    # kasetsu and kasetsu-b share a name but are one department's own business. Pairs come in site order
    # (分類, then file name: 住宅課 before 福祉課).
    assert found == [("shien-kin-2", "shien-kin", 1.0), ("risai-2", "risai", 0.93)]


# ---------------------------------------------------------------- usage


def test_programs_per_choice_and_what_nothing_uses(tmp_path):
    site = site_of(small_city(tmp_path / "sheets"))
    usage = {(u.question.id, u.choice): ([p.id for p in u.programs], u.display_conditions_of) for u in choice_usage(site)}
    assert usage[("住家被害", "全壊")] == (["shien-kin", "kasetsu"], ("再建方法",))
    assert usage[("住家被害", "大規模半壊")] == (["shien-kin"], ("再建方法",))  # its または row
    assert usage[("住家被害", "半壊")] == ([], ())
    assert usage[("世帯人数", None)] == (["shien-kin"], ())
    assert usage[("事業", "はい")] == ([], ())
    assert [q.id for q in unused_questions(site)] == ["再建方法", "世帯の状況", "事業"]
    assert [(u.question.id, u.choice) for u in unused_choices(site)] == [
        ("住家被害", "半壊"), ("住家被害", "一部損壊"), ("住家被害", "被害なし")]


def test_a_question_used_only_to_decide_another_is_in_use(tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_department(folder, headers=PROGRAM_HEADERS + ["再建方法:補修"],
                     programs=[program_row("hoshu", "補修支援", **{"再建方法:補修": "○"})])
    site = site_of(folder)
    assert [q.id for q in unused_questions(site)] == ["世帯人数", "世帯の状況", "事業"]


# ---------------------------------------------------------------- the command


def test_the_review_as_printed(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    code, out, err = run(capsys, "check", str(folder), "--review", "--today", "2027-04-01")
    assert (code, err) == (0, "")
    assert out == """\
問題はありません。制度 4件を読み込み: 公開 3、非公開（公開=×）1、エラーで除外 0。部署 1・ブック 2

■ 選択肢ごとの制度数（公開中の制度のうち、その回答を条件にしている制度の数）
  住家被害
    全壊: 2件（表示条件で使用: 再建方法）
    大規模半壊: 1件（表示条件で使用: 再建方法）
    半壊: 0件
    一部損壊: 0件
    被害なし: 0件
  再建方法
    建設・購入: 0件
    補修: 0件
    賃借: 0件
  世帯人数（数値）: 1件
  世帯の状況
    小中学生がいる: 0件
    65歳以上の方がいる: 0件
    障害のある方がいる: 0件
  事業
    はい: 0件
    いいえ: 0件

■ 対象と判定されることのない制度（条件が質問の表示条件と矛盾しています。その質問に答えなかった人にだけ「対象の可能性あり」と表示されます）（0件）
  なし

■ 対象と判定されることのない行がある制度（ほかの行では対象になります）（0件）
  なし

■ 申請期限を過ぎた制度（2027-04-01 時点）（1件）
  福祉課.xlsx / 制度 / G2: 生活再建支援金 [shien-kin]（福祉課） 申請期限「2027-03-31」

■ 問い合わせ先のない制度（問い合わせ先が空で、部署シートにも電話番号・メール・窓口がありません）（0件）
  なし

■ ほかの部署に似た名前の制度（重複していないか確認してください）（0件）
  なし

■ どの制度にも使われていない質問・選択肢（「いいえ」「被害なし」のように、対象にならないことを表す選択肢なら問題ありません）（6件）
  質問「再建方法」（common.xlsx / 質問 / A3）
  質問「世帯の状況」（common.xlsx / 質問 / A5）
  質問「事業」（common.xlsx / 質問 / A6）
  選択肢「住家被害:半壊」（common.xlsx / 質問 / E2）
  選択肢「住家被害:一部損壊」（common.xlsx / 質問 / E2）
  選択肢「住家被害:被害なし」（common.xlsx / 質問 / E2）
"""


def test_never_shown_as_printed(capsys, tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_common(folder, questions=QUESTIONS + MORE_QUESTIONS)
    write_department(folder, headers=["分類"] + [h for h in MORE_HEADERS if h != "分類"], programs=PROGRAMS + IMPOSSIBLE[:1])
    code, out, _ = run(capsys, "check", str(folder), "--review")
    assert code == 0
    assert ("■ 対象と判定されることのない制度（条件が質問の表示条件と矛盾しています。"
            "その質問に答えなかった人にだけ「対象の可能性あり」と表示されます）（1件）\n"
            "  福祉課.xlsx / 制度 / B7: 補修支援（被害なし） [contra]（福祉課）\n"
            "    7行目: 質問「再建方法」は表示条件「住家被害=全壊、大規模半壊」のときだけ聞かれますが、"
            "この行は「住家被害=被害なし」も条件にしているため、その質問が聞かれません。\n") in out


def test_look_alikes_and_missing_contacts_as_printed(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_department(folder, name="住宅課.xlsx", department=[["項目", "値"], ["部署名", "住宅課"]],
                     programs=[program_row("risai-2", "り災証明書交付")])
    code, out, _ = run(capsys, "check", str(folder), "--review", "--today", "2027-01-01")
    assert code == 0
    assert ("■ 問い合わせ先のない制度（問い合わせ先が空で、部署シートにも電話番号・メール・窓口がありません）（1件）\n"
            "  住宅課.xlsx / 制度 / A2: り災証明書交付 [risai-2]（住宅課）\n") in out
    assert ("■ ほかの部署に似た名前の制度（重複していないか確認してください）（1件）\n"
            "  住宅課.xlsx / 制度 / A2: り災証明書交付 [risai-2]（住宅課）と\n"
            "  福祉課.xlsx / 制度 / A4: り災証明書の交付 [risai]（福祉課）（類似度 0.93）\n") in out


def test_the_review_of_one_workbook(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    code, out, _ = run(capsys, "check", str(folder / "福祉課.xlsx"), "--review", "--today", "2027-04-01")
    assert code == 0
    assert "  福祉課.xlsx / 制度 / G2: 生活再建支援金 [shien-kin]（福祉課） 申請期限「2027-03-31」\n" in out


def test_a_passed_deadline_points_at_its_own_cell_wherever_the_column_is(capsys, tmp_path):
    """The 申請期限 cell to change, not the 制度ID: here the department moved 申請期限 to column B."""
    folder = small_city(tmp_path / "sheets")
    headers = ["制度ID", "申請期限"] + [h for h in PROGRAM_HEADERS if h not in ("制度ID", "申請期限")]
    write_department(folder, headers=headers)
    code, out, _ = run(capsys, "check", str(folder), "--review", "--today", "2027-04-01")
    assert code == 0
    assert "  福祉課.xlsx / 制度 / B2: 生活再建支援金 [shien-kin]（福祉課） 申請期限「2027-03-31」\n" in out


def test_no_review_when_there_are_errors(capsys, tmp_path):
    folder = small_city(tmp_path / "sheets")
    write_department(folder, programs=[program_row("a", "分類違い", category="すまい")])
    code, out, _ = run(capsys, "check", str(folder), "--review")
    assert code == 1
    assert out.splitlines()[-1] == "エラーがあるため、レビューはしませんでした。エラーを直してからもう一度実行してください。"


@pytest.mark.parametrize("args, message", [
    (["--review", "--today", "2027/13/01"], "エラー: --today の「2027/13/01」が日付として読めません。2026-08-01 の形で指定してください。"),
    (["--today", "2027-04-01"], "エラー: --today は --review と一緒に指定してください。"),
    (["--review", "--format", "json"], "エラー: --review は --format json と一緒には使えません。"),
    (["--reveiw"], "エラー: オプション「--reveiw」はありません（もしかして「--review」？）。"),
])
def test_review_usage_errors(capsys, tmp_path, args, message):
    folder = small_city(tmp_path / "sheets")
    code, out, err = run(capsys, "check", str(folder), *args)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == message
