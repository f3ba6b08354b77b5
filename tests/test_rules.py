"""The condition semantics of docs/sheet-format.md, as a table of cases.

Each case: a program's condition rows, a resident's answers, and how the program is shown.
"""

from __future__ import annotations

import pytest

from navigator.contract.conditions import parse_range
from navigator.model import ConditionRow, Department, Program, Question, Range, Requirement, Settings, Site
from navigator.rules import asked_questions, match

DAMAGE = Question("住家被害", "住まいの被害は？", "", "single", ("全壊", "大規模半壊", "半壊", "被害なし"), "", (), 2)
REBUILD = Question("再建方法", "再建方法は？", "", "single", ("建設・購入", "補修", "賃借"), "",
                   (Requirement("住家被害", choices=("全壊", "大規模半壊")),), 3)
SIZE = Question("世帯人数", "世帯の人数は？", "", "number", (), "人", (), 4)
HOUSEHOLD = Question("世帯の状況", "当てはまるものは？", "", "multiple", ("小中学生", "高齢者", "障害者"), "", (), 5)
SCHOOL = Question("学年", "お子さんの学年は？", "", "single", ("小学生", "中学生"), "",
                  (Requirement("世帯の状況", choices=("小中学生",)),), 6)
AGE = Question("年齢", "世帯主の年齢は？", "", "number", (), "歳",
               (Requirement("世帯人数", range=parse_range("1以上")),), 7)
QUESTIONS = (DAMAGE, REBUILD, SIZE, HOUSEHOLD, SCHOOL, AGE)
DEPARTMENT = Department("福祉課", "", "", "", "福祉課.xlsx")


def choose(question: str, *choices: str) -> Requirement:
    return Requirement(question, choices=choices)


def in_range(question: str, text: str) -> Requirement:
    return Requirement(question, range=parse_range(text))


def program(*rows: tuple[Requirement, ...], program_id: str = "p") -> Program:
    return Program(
        id=program_id, name=program_id, category="生活再建", summary="", target="", benefit="", deadline=None,
        how_to_apply="", documents=(), contact="", online_url="", detail_url="", department=DEPARTMENT,
        condition_rows=tuple(ConditionRow(tuple(r), 10 + i) for i, r in enumerate(rows)), published=True,
        file="福祉課.xlsx", row=10,
    )


def shown_as(prog: Program, answers: dict) -> str:
    site = Site(Settings("ナビ", "テスト市"), QUESTIONS, (), (DEPARTMENT,), (prog,))
    result = match(site, answers)
    if result.applies:
        return "対象"
    if result.may_apply:
        return "対象の可能性あり"
    return "表示しない"


SPEC_EXAMPLE = program((choose("住家被害", "全壊", "大規模半壊"), in_range("世帯人数", "2以上")))


@pytest.mark.parametrize("answers, expected", [
    # The example table of docs/sheet-format.md.
    ({"住家被害": "全壊", "世帯人数": 3.0}, "対象"),
    ({"住家被害": "全壊", "世帯人数": 1.0}, "表示しない"),
    ({"住家被害": "全壊"}, "対象の可能性あり"),
    ({"住家被害": "半壊"}, "表示しない"),
    # Both unanswered: unknown, unknown.
    ({}, "対象の可能性あり"),
    ({"住家被害": "大規模半壊", "世帯人数": 2.0}, "対象"),
])
def test_the_example_of_the_sheet_format(answers, expected):
    assert shown_as(SPEC_EXAMPLE, answers) == expected


def test_a_program_without_conditions_applies_to_everyone():
    assert shown_as(program(()), {}) == "対象"
    assert shown_as(program(()), {"住家被害": "被害なし"}) == "対象"


@pytest.mark.parametrize("answers, expected", [
    ({"世帯の状況": frozenset({"高齢者"})}, "対象"),
    ({"世帯の状況": frozenset({"高齢者", "小中学生"})}, "対象"),
    ({"世帯の状況": frozenset({"小中学生"})}, "表示しない"),
    ({"世帯の状況": frozenset()}, "表示しない"),  # "none of these" is an answer
    ({}, "対象の可能性あり"),  # unanswered
])
def test_multiple_choice_fits_when_at_least_one_marked_choice_was_chosen(answers, expected):
    assert shown_as(program((choose("世帯の状況", "高齢者", "障害者"),)), answers) == expected


@pytest.mark.parametrize("text, inside, outside", [
    ("2以上", [2, 2.5, 10], [1.99, 0]),
    ("2以下", [2, -1], [2.01]),
    ("2超", [2.01], [2]),
    ("2未満", [1.99], [2]),
    ("2〜4", [2, 3, 4], [1.9, 4.1]),
    ("2~4", [2, 4], [5]),
    ("2以上4以下", [2, 4], [1, 5]),
    ("2以上4未満", [2, 3.9], [4]),
    ("2超4以下", [2.1, 4], [2]),
    ("2超4未満", [3], [2, 4]),
    ("3", [3], [2, 4, 3.1]),
    ("1.5以上", [1.5], [1.4]),
    ("-1以下", [-1, -2], [0]),
])
def test_numeric_ranges_of_every_form(text, inside, outside):
    prog = program((in_range("世帯人数", text),))
    for number in inside:
        assert shown_as(prog, {"世帯人数": float(number)}) == "対象", (text, number)
    for number in outside:
        assert shown_as(prog, {"世帯人数": float(number)}) == "表示しない", (text, number)


@pytest.mark.parametrize("text, unit, expected", [
    ("65歳以上", "歳", Range(65, True, None, False, "65歳以上")),
    ("1人〜3人", "人", Range(1, True, 3, True, "1人〜3人")),
    ("1〜3人", "人", Range(1, True, 3, True, "1〜3人")),
    ("１００万円未満", "万円", Range(None, False, 100, False, "100万円未満")),
    ("1,000以上", "", Range(1000, True, None, False, "1,000以上")),
])
def test_ranges_may_carry_the_question_unit(text, unit, expected):
    assert parse_range(text, unit) == expected


def test_a_question_not_asked_makes_conditions_on_it_fail():
    """再建方法 is asked only for 全壊/大規模半壊; for 半壊 a row needing it does not fit."""
    prog = program((choose("再建方法", "補修"),))
    assert shown_as(prog, {"住家被害": "全壊", "再建方法": "補修"}) == "対象"
    assert shown_as(prog, {"住家被害": "半壊", "再建方法": "補修"}) == "表示しない"  # given, but never asked
    assert shown_as(prog, {"住家被害": "半壊"}) == "表示しない"
    # 住家被害 unanswered: the 表示条件 holds (better one question too many), 再建方法 unanswered.
    assert shown_as(prog, {}) == "対象の可能性あり"


def test_display_conditions():
    assert asked_questions(QUESTIONS, {})["再建方法"] is True  # unanswered earlier question: holds
    assert asked_questions(QUESTIONS, {"住家被害": "全壊"})["再建方法"] is True
    assert asked_questions(QUESTIONS, {"住家被害": "被害なし"})["再建方法"] is False
    # 複数選択 answered "none of these" when choices are listed: does not hold.
    assert asked_questions(QUESTIONS, {"世帯の状況": frozenset()})["学年"] is False
    assert asked_questions(QUESTIONS, {"世帯の状況": frozenset({"小中学生", "高齢者"})})["学年"] is True
    # A numeric 表示条件.
    assert asked_questions(QUESTIONS, {"世帯人数": 0.0})["年齢"] is False
    assert asked_questions(QUESTIONS, {"世帯人数": 1.0})["年齢"] is True


def test_a_line_naming_a_question_never_asked_does_not_hold():
    chained = Question("学校", "学校は？", "", "single", ("公立", "私立"), "", (choose("学年", "中学生"),), 8)
    questions = QUESTIONS + (chained,)
    # 学年 is never asked ("none of these" in 世帯の状況), so a line naming it fails even if answered.
    asked = asked_questions(questions, {"世帯の状況": frozenset(), "学年": "中学生"})
    assert asked["学年"] is False and asked["学校"] is False
    # 学年 asked but unanswered: the line holds.
    assert asked_questions(questions, {"世帯の状況": frozenset({"小中学生"})})["学校"] is True


def test_or_rows_any_path_may_qualify():
    """被災者生活再建支援金: 全壊, or 大規模半壊 and the home is rebuilt by 建設・購入."""
    prog = program((choose("住家被害", "全壊"),),
                   (choose("住家被害", "大規模半壊"), choose("再建方法", "建設・購入")))
    assert shown_as(prog, {"住家被害": "全壊"}) == "対象"
    assert shown_as(prog, {"住家被害": "大規模半壊", "再建方法": "建設・購入"}) == "対象"
    assert shown_as(prog, {"住家被害": "大規模半壊", "再建方法": "補修"}) == "表示しない"
    assert shown_as(prog, {"住家被害": "大規模半壊"}) == "対象の可能性あり"
    assert shown_as(prog, {"住家被害": "半壊"}) == "表示しない"


def test_one_applying_row_beats_a_may_apply_row():
    prog = program((in_range("世帯人数", "3以上"),), (choose("住家被害", "全壊"),))
    assert shown_as(prog, {"住家被害": "全壊"}) == "対象"


def test_why_a_program_applies_names_the_row_and_the_answers():
    prog = program((choose("住家被害", "全壊"),),
                   (choose("住家被害", "大規模半壊"), in_range("世帯人数", "2以上")))
    site = Site(Settings("ナビ", "テスト市"), QUESTIONS, (), (DEPARTMENT,), (prog,))
    found = match(site, {"住家被害": "大規模半壊", "世帯人数": 4.0}).applies[0]
    assert found.row.row_position == 2 and found.row.row_number == 11
    assert [r.question_id for r in found.row.fitting] == ["住家被害", "世帯人数"]
    maybe = match(site, {"住家被害": "大規模半壊"}).may_apply[0]
    assert [r.question_id for r in maybe.row.unknown] == ["世帯人数"]


def test_results_keep_site_order():
    first, second, third = (program((), program_id="a"), program((choose("住家被害", "全壊"),), program_id="b"),
                            program((), program_id="c"))
    site = Site(Settings("ナビ", "テスト市"), QUESTIONS, (), (DEPARTMENT,), (first, second, third))
    assert match(site, {}).as_ids() == {"applies": ["a", "c"], "may_apply": ["b"]}
