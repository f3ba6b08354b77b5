"""The default sheets/ is the product's sample city: it must build clean, without a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.check.validate import validate_folder
from navigator.rules import match

SHEETS = Path(__file__).parent.parent / "sheets"


@pytest.fixture(scope="module")
def validation():
    return validate_folder(SHEETS)


def test_the_default_sheets_have_no_problem(validation):
    assert [str(p) for p in validation.report.problems] == []
    assert validation.site is not None


def test_the_default_sheets_are_a_realistic_city(validation):
    site = validation.site
    assert len(site.departments) >= 8
    assert len(site.programs) >= 40
    kinds = {q.kind for q in site.questions}
    assert kinds == {"single", "multiple", "number"}
    assert any(q.display_conditions for q in site.questions)
    assert any(len(p.condition_rows) > 1 for p in site.programs), "または rows"
    assert any(not any(row.requirements for row in p.condition_rows) for p in site.programs), "for everyone"
    assert validation.accounting.unpublished >= 1


def test_support_money_follows_the_real_rules(validation):
    """被災者生活再建支援金 (基礎支援金): 全壊, or a 半壊 home that is demolished; not a 半壊 home kept."""
    site = validation.site
    names = lambda result: {m.program.name for m in result.applies}  # noqa: E731
    destroyed = match(site, {"住家被害": "全壊", "世帯人数": 3.0})
    demolished = match(site, {"住家被害": "半壊", "住宅の解体": "はい", "世帯人数": 3.0})
    repaired = match(site, {"住家被害": "半壊", "住宅の解体": "いいえ", "世帯人数": 3.0, "長期避難": "いいえ"})
    kiso = "被災者生活再建支援金（基礎支援金）"
    assert kiso in names(destroyed)
    assert kiso in names(demolished)
    assert kiso not in names(repaired)
