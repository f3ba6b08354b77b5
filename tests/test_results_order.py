"""The order the results are shown in (rules.arrange): まず最初に, まもなく締切, then by 分類 with the closed last.

The browser's half (rules.js: arrange) is held to the same order on the sample city in
tests/test_navigator_guide.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from navigator.contract.sheets import document_need
from navigator.model import (
    Category,
    ConditionRow,
    Deadline,
    Department,
    Document,
    DocumentNeed,
    Program,
    Settings,
    Site,
)
from navigator.rules import arrange, match

TODAY = dt.date(2026, 9, 1)
DEPARTMENT = Department("危機管理課", "", "", "", "危機管理課.xlsx")
CATEGORIES = (Category("証明書・手続き", "", 1), Category("住まい", "", 2), Category("生活再建", "", 3))


def program(program_id: str, category: str = "生活再建", needs: tuple[str, ...] = (), deadline: dt.date | None = None) -> Program:
    return Program(
        id=program_id, name=program_id, category=category, summary="", target="", benefit="",
        deadline=Deadline(deadline, deadline.isoformat()) if deadline else None, how_to_apply="",
        documents=needs, contact="", online_url="", detail_url="", department=DEPARTMENT,
        condition_rows=(ConditionRow((), 10),), published=True, file="危機管理課.xlsx", row=10,
        needs=tuple(DocumentNeed(*document_need(line, {})) for line in needs))


def city(*programs: Program, documents: tuple[Document, ...] = ()) -> Site:
    return Site(Settings("ナビ", "テスト市"), (), CATEGORIES, (DEPARTMENT,), programs, documents=documents)


RISAI = Document("り災証明書", "住家の被害の程度の証明", "市役所本庁舎1階", "risai")


def shown(site: Site, today: dt.date = TODAY) -> dict:
    return arrange(site, match(site, {}), today).as_ids()


def test_the_program_issuing_a_document_others_need_comes_first():
    site = city(program("kasetsu", "住まい", ("り災証明書（写し可）",)),
                program("shienkin", needs=("り災証明書", "通帳")),
                program("risai", "証明書・手続き", ("本人確認書類",)),
                documents=(RISAI,))
    result = shown(site)
    assert result["first_steps"] == [{"id": "risai", "documents": ["り災証明書"], "needed_by": ["kasetsu", "shienkin"]}]
    assert result["order"] == ["risai", "kasetsu", "shienkin"]
    assert result["sections"]["applies"]["groups"] == [{"category": "住まい", "ids": ["kasetsu"]},
                                                       {"category": "生活再建", "ids": ["shienkin"]}]


def test_no_first_step_when_no_other_shown_program_needs_the_document():
    site = city(program("risai", "証明書・手続き"), program("shienkin", needs=("通帳",)), documents=(RISAI,))
    assert shown(site)["first_steps"] == []
    assert shown(city(program("risai", "証明書・手続き"), program("shienkin", needs=("り災証明書",))))["first_steps"] == []


def test_the_step_needed_by_the_most_programs_is_first():
    hisai = Document("被災証明書", "", "", "hisai")
    site = city(program("hisai", "証明書・手続き"), program("risai", "証明書・手続き"),
                program("a", needs=("被災証明書",)), program("b", needs=("り災証明書",)), program("c", needs=("り災証明書",)),
                documents=(RISAI, hisai))
    assert [step["id"] for step in shown(site)["first_steps"]] == ["risai", "hisai"]


def test_a_closed_program_is_not_a_first_step_and_closed_programs_come_last():
    site = city(program("risai", "証明書・手続き", deadline=dt.date(2026, 8, 31)),
                program("old", needs=("り災証明書",), deadline=dt.date(2026, 8, 1)),
                program("open", needs=("り災証明書",)), documents=(RISAI,))
    result = shown(site)
    assert result["first_steps"] == []
    assert result["sections"]["applies"]["groups"] == [{"category": "生活再建", "ids": ["open"]}]
    assert result["sections"]["applies"]["closed"] == [{"category": "証明書・手続き", "ids": ["risai"]},
                                                       {"category": "生活再建", "ids": ["old"]}]
    assert result["order"] == ["open", "risai", "old"]


def test_deadlines_within_30_days_are_soon_the_nearest_first():
    site = city(program("late", deadline=dt.date(2026, 10, 2)), program("near", deadline=dt.date(2026, 9, 5)),
                program("edge", deadline=dt.date(2026, 10, 1)), program("today", deadline=TODAY),
                program("gone", deadline=dt.date(2026, 8, 31)))
    assert shown(site)["soon"] == ["today", "near", "edge"]


@pytest.mark.parametrize("line, names, expected", [
    ("り災証明書（写し可）", {"り災証明書": "り災証明書"}, ("り災証明書", "写し可")),
    ("り災証明書 (写し可)", {"り災証明書": "り災証明書"}, ("り災証明書", "写し可")),
    ("罹災証明書", {"り災証明書": "り災証明書"}, ("罹災証明書", "")),  # no 書類名: its own words (and a warning in check)
    # Without a 書類 sheet, a final note is set apart all the same: one document on the checklist.
    ("住民票（世帯全員分）", {}, ("住民票", "世帯全員分")),
    ("住民票", {}, ("住民票", "")),
    ("死亡診断書（死体検案書）の写し", {}, ("死亡診断書（死体検案書）の写し", "")),  # not a final note
])
def test_a_document_line_read(line, names, expected):
    assert document_need(line, names) == expected
