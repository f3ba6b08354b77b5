"""The default sheets/ is the product's sample city: it must build clean, without a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.check.validate import validate_folder
from navigator.contract.sheets import split_document_line
from navigator.contract.text import normalize_key
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


# --- the 書類 sheet: each document named once for the whole city ---------------------------

def _document_names(site) -> dict[str, str]:
    """Each normalised 書類名 → the name as written, as the check reads them."""
    return {normalize_key(document.name): document.name for document in site.documents}


def _documents_needed(programs, names) -> set[str]:
    """The 書類名 that the programs' 必要書類 lines name (their notes left aside)."""
    return {split_document_line(line, names)[0] for program in programs for line in program.documents}


def test_the_sample_city_has_a_documents_sheet(validation):
    site = validation.site
    assert len(site.documents) >= 30
    assert len(_document_names(site)) == len(site.documents), "each 書類名 once"
    for document in site.documents:
        assert document.description, document.name
        assert document.source, document.name
    by_name = {document.name: document for document in site.documents}
    assert "市民課" in by_name["住民票"].source
    assert by_name["振込先口座の預金通帳の写し"].source == "お手元の通帳"


def test_every_document_line_of_every_program_names_a_document(validation):
    """`り災証明書（写し可）` is the document り災証明書 with the note 写し可 for that program."""
    site = validation.site
    names = _document_names(site)
    for program in site.programs + site.unpublished:
        for line in program.documents:
            assert split_document_line(line, names) is not None, (program.id, line)
    assert split_document_line("り災証明書（写し可）", names) == ("り災証明書", "写し可")
    assert split_document_line("り災証明書（被災証明書でも可）", names) == ("り災証明書", "被災証明書でも可")


def test_the_certificates_are_issued_by_their_programs(validation):
    site = validation.site
    issued_by = {document.name: document.issued_by for document in site.documents if document.issued_by}
    assert issued_by == {"り災証明書": "risai-shomei", "被災証明書": "hisai-shomei"}
    published = {program.id for program in site.programs}
    assert set(issued_by.values()) <= published


def test_the_biggest_result_set_names_each_document_once(validation):
    """Everything unknown shows every program; the documents they need are the sheet's 書類名, no two alike.

    The same document has one name: no 書類名 is another one with a note (住民票 and 住民票（世帯全員分）),
    and none is two others joined by または (り災証明書または被災証明書).
    """
    site = validation.site
    names = _document_names(site)
    result = match(site, {})
    shown = [m.program for m in result.applies + result.may_apply]
    assert {p.id for p in shown} == {p.id for p in site.programs}
    needed = _documents_needed(shown, names)
    only_unpublished = _documents_needed(site.unpublished, names) - needed
    assert needed | only_unpublished == set(names.values()), "no 書類 nobody needs"
    assert {"り災証明書", "被災証明書", "本人確認書類", "住民票", "振込先口座の預金通帳の写し"} <= needed
    for name in names.values():
        others = {key: other for key, other in names.items() if other != name}
        assert split_document_line(name, others) is None, ("the same document twice", name)
        parts = normalize_key(name).split("または")
        assert not (len(parts) > 1 and all(part in others for part in parts)), ("two documents in one", name)


def test_every_sample_workbook_says_how_to_fill_it_in():
    """Each workbook of the sample city has the 記入方法 sheet that navigator init and navigator template write."""
    import openpyxl

    books = sorted(SHEETS.glob("*.xlsx"))
    assert len(books) >= 9
    lacking = [book.name for book in books if "記入方法" not in openpyxl.load_workbook(book, read_only=True).sheetnames]
    assert lacking == []
