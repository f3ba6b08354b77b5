"""The built site: snapshot, safety of text from cells, relative links, atomic replacement."""

from __future__ import annotations

import filecmp
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sheetmaker import DEPARTMENT, PROGRAMS, program_row, small_city, write_department
from snapshot import SNAPSHOT, build_fixture_site, snapshot_files

from navigator.pipeline import build
from navigator.site.catalog import SCHEMA_VERSION
from navigator.site.write import OutputError


def test_the_fixture_site_matches_the_snapshot(tmp_path):
    """If this fails after an intended change: `python tests/snapshot.py`, then review the diff."""
    out = tmp_path / "site"
    build_fixture_site(out)
    built = snapshot_files(out)
    assert built == snapshot_files(SNAPSHOT)
    different = [name for name in built if not filecmp.cmp(out / name, SNAPSHOT / name, shallow=False)]
    assert different == []


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.inline_scripts = 0
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            source = dict(attrs).get("src")
            if dict(attrs).get("type") == "application/ld+json":
                pass  # a data block (JSON-LD for search engines): never run; test_discovery checks it stays closed
            elif source is None:
                self.inline_scripts += 1
            else:
                self.scripts.append(source)
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "poster", "data") and value is not None:
                self.links.append((tag, name, value))
            if name.startswith("on"):
                raise AssertionError(f"inline event handler {name} on <{tag}>")


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build_fixture_site(out)
    return out


def test_every_relative_link_resolves_and_nothing_loads_from_other_hosts(site):
    pages = list(site.rglob("*.html"))
    assert pages
    for page in pages:
        for tag, attribute, value in parse(page).links:
            parts = urlsplit(value)
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.scheme or parts.netloc:
                # Other hosts only as links the resident may follow, never as something loaded.
                assert (tag, attribute) == ("a", "href") and parts.scheme in ("http", "https"), (page, value)
                continue
            assert not value.startswith("/"), f"absolute path breaks hosting in a sub-folder: {page}: {value}"
            if parts.path:
                target = (page.parent / parts.path).resolve()
                assert target.is_file(), f"{page.relative_to(site)} links to missing {value}"


def test_internal_notes_never_appear_anywhere(site):
    note = "内部メモ: 戸数調整中"
    assert note in [p.get("備考") for p in PROGRAMS]
    for path in site.rglob("*"):
        if path.is_file():  # as bytes: the icons are PNG
            assert note.encode("utf-8") not in path.read_bytes(), path


def test_unpublished_programs_are_left_out(site):
    assert not (site / "programs" / "old.html").exists()
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert "old" not in [p["id"] for p in catalog["programs"]]


def test_catalog_is_the_published_model(site):
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["schema_version"] == SCHEMA_VERSION
    assert [q["id"] for q in catalog["questions"]] == ["住家被害", "再建方法", "世帯人数", "世帯の状況", "事業"]
    assert catalog["questions"][1]["display_conditions"] == [
        {"question": "住家被害", "choices": ["全壊", "大規模半壊"]}]
    shien = next(p for p in catalog["programs"] if p["id"] == "shien-kin")
    assert shien["conditions"] == [
        [{"question": "住家被害", "choices": ["全壊"]},
         {"question": "世帯人数", "range": {"min": 2.0, "min_inclusive": True, "max": None,
                                            "max_inclusive": False, "text": "2以上"}}],
        [{"question": "住家被害", "choices": ["大規模半壊"]}],
    ]
    assert shien["deadline"] == {"date": "2027-03-31", "text": "2027-03-31"}
    assert shien["page"] == "programs/shien-kin.html"
    assert (site / shien["page"]).is_file()
    for category in catalog["categories"]:
        assert (site / category["page"]).is_file()


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>[click](javascript:alert(3)) <a href="vbscript:x">v</a>'


def test_text_from_cells_cannot_inject_script(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    write_department(sheets, programs=[program_row(
        "evil", f"名前{HOSTILE}", 概要=HOSTILE, 対象者=HOSTILE, 支援内容=HOSTILE, 申請方法=HOSTILE,
        必要書類=HOSTILE, 問い合わせ先=HOSTILE, 申請期限=HOSTILE)])
    out = tmp_path / "out"
    assert build(sheets, out).ok
    for page in out.rglob("*.html"):
        parsed = parse(page)
        assert parsed.inline_scripts == 0, page
        # Only the site's own script files, never one named by data.
        assert all(re.fullmatch(r"(\.\./)*(static/[\w/.-]+|data/(flow|results)\.[0-9a-f]{12})\.js", src)
                   for src in parsed.scripts), (page, parsed.scripts)
        for tag, attribute, value in parsed.links:
            assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (page, value)
            assert tag != "img", page


@pytest.mark.parametrize(("phone", "href"), [("０１２－３４５－６７８９", "tel:0123456789"),
                                           ("012ー345ー6789", "tel:0123456789"), ("0120‐12‐345", "tel:012012345")])
def test_a_phone_number_typed_in_full_width_or_with_other_hyphens_is_tappable(tmp_path, phone, href):
    """The 部署 sheet's 電話番号 and a program's 問い合わせ先, typed the way Japanese input gives them."""
    sheets = small_city(tmp_path / "sheets")
    department = [["電話番号", phone] if row[0] == "電話番号" else row for row in DEPARTMENT]
    write_department(sheets, department=department, programs=[
        program_row("risai", "り災証明書の交付"), program_row("kasetsu", "応急仮設住宅", 問い合わせ先=f"住宅課 電話 {phone}")])
    out = tmp_path / "out"
    assert build(sheets, out).ok
    link = f'<a href="{href}">{phone}</a>'
    assert link in (out / "programs" / "risai.html").read_text(encoding="utf-8")  # the department's
    assert f"住宅課 電話 {link}" in (out / "programs" / "kasetsu.html").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    out = tmp_path / "out"
    assert build(sheets, out).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_department(sheets, programs=[program_row("broken", "壊れた行", category="存在しない分類")])
    result = build(sheets, out)
    assert not result.ok and result.pages_written == 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sheets"]  # no temporary folders left


def test_a_rebuild_replaces_the_site_whole(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    out = tmp_path / "out"
    assert build(sheets, out).ok
    assert (out / "programs" / "kasetsu.html").exists()
    write_department(sheets, programs=[p for p in PROGRAMS if p.get("制度ID") != "kasetsu"])
    assert build(sheets, out).ok
    assert not (out / "programs" / "kasetsu.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sheets"]


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    sheets = small_city(tmp_path / "sheets")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "report.docx").write_text("important")
    with pytest.raises(OutputError):
        build(sheets, precious)
    assert (precious / "report.docx").read_text() == "important"
    with pytest.raises(OutputError):
        build(sheets, tmp_path)  # would contain the sheets folder
