"""The 更新情報 page: changes.json carried from build to build, rendered as changes.html."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sheetmaker import PROGRAMS, program_row, small_city, write_department

from navigator.pipeline import build
from navigator.site.write import OutputError


def entries(out: Path) -> list[dict]:
    return json.loads((out / "changes.json").read_text(encoding="utf-8"))["entries"]


def main_text(out: Path) -> str:
    html = (out / "changes.html").read_text(encoding="utf-8")
    body = html[html.index("<main"):html.index("</main>")]
    body = re.sub(r"</?(a|time)\b[^>]*>", "", body)  # inline
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


@pytest.fixture
def sheets(tmp_path) -> Path:
    return small_city(tmp_path / "sheets")


def test_the_first_build_records_the_start(sheets, tmp_path):
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    assert entries(out) == [{"date": "2026-07-01", "kind": "start", "programs": 3, "changes": []}]
    assert main_text(out) == ("更新情報 このサイトに載せている制度の追加・変更・掲載終了の記録です（新しい順）。 "
                              "2026年（令和8年）7月1日（水） サイトの公開を始めました（制度 3件）。")


def test_a_second_build_with_a_change_adds_an_entry(sheets, tmp_path):
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    changed = [dict(p, 支援内容="最大350万円") if p.get("制度名") == "生活再建支援金" else p
               for p in PROGRAMS if p.get("制度ID") != "kasetsu"]
    write_department(sheets, programs=changed + [program_row("new-one", "新しい制度", category="住まい")])
    assert build(sheets, out, today=dt.date(2026, 7, 15)).ok

    history = entries(out)
    assert [(e["date"], e["kind"]) for e in history] == [("2026-07-01", "start"), ("2026-07-15", "update")]
    assert [(c["kind"], c["id"], [f["label"] for f in c["fields"]]) for c in history[1]["changes"]] == [
        ("added", "new-one", []), ("changed", "shien-kin", ["支援内容"]), ("removed", "kasetsu", [])]
    assert history[1]["changes"][1]["fields"][0]["new"] == "最大350万円"

    text = main_text(out)
    assert text.index("2026年（令和8年）7月15日（水）") < text.index("2026年（令和8年）7月1日（水）")  # newest first
    assert ("7月15日（水） 追加 新しい制度（福祉課） 更新 生活再建支援金（福祉課）: 支援内容を変更しました "
            "掲載終了 応急仮設住宅（福祉課）") in text
    html = (out / "changes.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-07-15">' in html
    assert '<a href="programs/new-one.html">新しい制度</a>' in html
    assert "programs/kasetsu.html" not in html  # no link to a page that is gone


def test_a_build_without_changes_adds_no_entry(sheets, tmp_path):
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    assert build(sheets, out, today=dt.date(2026, 7, 2)).ok
    assert [e["date"] for e in entries(out)] == ["2026-07-01"]


def test_a_failed_build_leaves_changes_json_untouched(sheets, tmp_path):
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    before = (out / "changes.json").read_bytes(), (out / "changes.html").read_bytes()
    write_department(sheets, programs=[program_row("broken", "壊れた行", category="存在しない分類")])
    assert not build(sheets, out, today=dt.date(2026, 7, 2)).ok
    assert ((out / "changes.json").read_bytes(), (out / "changes.html").read_bytes()) == before


def test_the_history_survives_a_build_after_a_failed_one(sheets, tmp_path):
    out = tmp_path / "out"
    assert build(sheets, out, today=dt.date(2026, 7, 1)).ok
    write_department(sheets, programs=[program_row("broken", "壊れた行", category="存在しない分類")])
    assert not build(sheets, out, today=dt.date(2026, 7, 2)).ok
    write_department(sheets, programs=[p for p in PROGRAMS if p.get("制度ID") != "risai"])
    assert build(sheets, out, today=dt.date(2026, 7, 3)).ok
    assert [(e["date"], [c["id"] for c in e["changes"]]) for e in entries(out)] == [
        ("2026-07-01", []), ("2026-07-03", ["risai"])]


def test_the_build_date_can_come_from_the_environment(sheets, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_BUILD_DATE", "2027-01-02")
    assert build(sheets, tmp_path / "out").ok
    assert entries(tmp_path / "out")[0]["date"] == "2027-01-02"
    monkeypatch.setenv("NAVIGATOR_BUILD_DATE", "来週")
    with pytest.raises(OutputError, match="NAVIGATOR_BUILD_DATE"):
        build(sheets, tmp_path / "other")
    assert not (tmp_path / "other").exists()


def test_the_date_is_the_only_difference_between_two_days(sheets, tmp_path):
    assert build(sheets, tmp_path / "a", today=dt.date(2026, 7, 1)).ok
    assert build(sheets, tmp_path / "b", today=dt.date(2026, 7, 2)).ok
    differ = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*")
                    if p.is_file() and p.read_bytes() != (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes())
    assert differ == ["changes.html", "changes.json", "sw.js"]  # sw.js: named by the hash of every file
