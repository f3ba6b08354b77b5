"""Incremental builds are never stale: a change in any field of any workbook reaches every page.

A small city (two departments, Markdown, または rows, a notice) is changed one field at a time —
every 設定 item, every column of 質問 and 分類, every 部署 item, every 制度 column, condition
marks and ranges, rows and whole workbooks added, removed and reordered — and after each change
the site rebuilt incrementally in OUT (with its cache) is compared, file by file and byte by byte,
with a build without any cache into a copy of the previous site (so that both have the same
更新情報 history). Also: the Markdown fast path and the assembled data files against their
reference implementations, a site changed by hand, a failed build in between, rendering shared
between processes.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sheetmaker import CATEGORIES, DEPARTMENT, QUESTION_HEADERS, QUESTIONS, SETTINGS, write_workbook

from navigator import workers
from navigator.check.validate import validate_folder
from navigator.incremental.fingerprint import code_fingerprint
from navigator.incremental.store import BuildCache
from navigator.pipeline import build
from navigator.site import data
from navigator.site.catalog import catalog_json
from navigator.site.data import flow_data, results_data, script_page
from navigator.site.environment import Renderer
from navigator.site.markdown import Markdown, simple_html
from navigator.site.memo import RenderMemo
from navigator.site.pages import program_page
from navigator.site.write import Manifest, file_state, site_as_written

HEADERS = ["制度ID", "制度名", "分類", "概要", "対象者", "支援内容", "申請期限", "申請方法", "必要書類", "問い合わせ先",
           "オンライン申請URL", "詳細URL", "公開", "備考",
           "住家被害:全壊", "住家被害:大規模半壊", "住家被害:半壊", "再建方法:補修", "世帯人数",
           "世帯の状況:小中学生がいる", "世帯の状況:65歳以上の方がいる", "事業:はい"]


class City:
    """The workbooks of a city as plain data, written with openpyxl as a department would save them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.settings = [list(row) for row in SETTINGS]
        self.settings[-1] = ["お知らせ", "**避難所**の情報は[防災ページ](https://city.test.example.jp/bousai)へ"]
        self.questions = [list(row) for row in QUESTIONS]
        self.categories = [list(row) for row in CATEGORIES]
        self.departments = {
            "福祉課.xlsx": {"info": [list(row) for row in DEPARTMENT], "programs": [
                {"制度ID": "shien-kin", "制度名": "生活再建支援金", "分類": "生活再建", "概要": "住まいを失った世帯に支給します。",
                 "支援内容": "- 全壊：**100万円**\n- 大規模半壊：50万円", "申請期限": dt.datetime(2027, 3, 31),
                 "必要書類": "り災証明書\n預金通帳の写し", "住家被害:全壊": "○", "世帯人数": "2以上"},
                {"制度ID": "shien-kin", "住家被害:大規模半壊": "○"},
                {"制度ID": "risai", "制度名": "り災証明書の交付", "分類": "生活再建", "概要": "被害の程度を証明します。",
                 "申請期限": "随時", "申請方法": "窓口か郵送で申請します。"},
                {"制度ID": "kasetsu", "制度名": "応急仮設住宅", "分類": "住まい", "概要": "住まいを提供します。",
                 "対象者": "| 被害 | 入居 |\n|---|---|\n| 全壊 | できる |", "備考": "内部メモ", "住家被害:全壊": "○"},
                {"制度ID": "gakuyou", "制度名": "学用品の給与", "分類": "子育て・教育", "概要": "教科書や文房具を支給します。",
                 "世帯の状況:小中学生がいる": "○", "住家被害:半壊": "○"},
                {"制度ID": "old", "制度名": "終了した制度", "分類": "生活再建", "概要": "終わりました。", "公開": "×"},
            ]},
            "住宅課.xlsx": {"info": [["項目", "値"], ["部署名", "都市整備局 住宅課"], ["電話番号", "012-345-0002"]],
                            "programs": [
                {"制度ID": "oukyu-shuri", "制度名": "住宅の応急修理", "分類": "住まい",
                 "概要": "壊れた住まいを**市が業者に依頼して**修理します。\n\n- 屋根\n- 台所", "支援内容": "739,000円まで",
                 "申請期限": "令和9年3月31日", "オンライン申請URL": "https://apply.city.test.example.jp/shuri",
                 "詳細URL": "https://city.test.example.jp/shuri", "問い合わせ先": "応急修理受付センター\n電話 0120-111-222",
                 "住家被害:大規模半壊": "○", "住家被害:半壊": "○", "再建方法:補修": "○"},
                {"制度ID": "jigyou", "制度名": "事業再建の融資", "分類": "生活再建", "概要": "事業を営む方に低利で融資します。",
                 "事業:はい": "○", "世帯人数": "1〜4人"},
            ]},
        }

    def write(self) -> None:
        for path in self.folder.glob("*.xlsx"):
            if path.name != "common.xlsx" and path.name not in self.departments:
                path.unlink()
        write_workbook(self.folder / "common.xlsx", {
            "設定": self.settings, "質問": [QUESTION_HEADERS] + self.questions, "分類": self.categories})
        for name, department in self.departments.items():
            write_workbook(self.folder / name, {
                "部署": department["info"],
                "制度": [HEADERS] + [[row.get(h) for h in HEADERS] for row in department["programs"]]})

    # helpers for the changes below
    def setting(self, name: str, value: str) -> None:
        next(row for row in self.settings if row[0] == name)[1] = value

    def question(self, question_id: str, column: str, value) -> None:
        next(row for row in self.questions if row[0] == question_id)[QUESTION_HEADERS.index(column)] = value

    def program(self, program_id: str, column: str, value, workbook: str | None = None) -> None:
        for name, department in self.departments.items():
            if workbook in (None, name):
                for row in department["programs"]:
                    if row.get("制度ID") == program_id and "制度名" in row:
                        row[column] = value
                        return
        raise KeyError(program_id)

    def info(self, workbook: str, item: str, value: str) -> None:
        rows = self.departments[workbook]["info"]
        found = [row for row in rows if row[0] == item]
        if found:
            found[0][1] = value
        else:
            rows.append([item, value])


def rename_category(city: City, old: str, new: str) -> None:
    next(row for row in city.categories if row[0] == old)[0] = new
    for department in city.departments.values():
        for row in department["programs"]:
            if row.get("分類") == old:
                row["分類"] = new


def move_row(city: City, workbook: str, index: int, to: int) -> None:
    programs = city.departments[workbook]["programs"]
    programs.insert(to, programs.pop(index))


CHANGES = [
    # 設定
    ("設定 サイト名", lambda c: c.setting("サイト名", "テスト市 支援制度ナビ")),
    ("設定 自治体名", lambda c: c.setting("自治体名", "テスト町")),
    ("設定 はじめに", lambda c: c.setting("はじめに", "質問に**答える**と分かります。\n\n- 一覧もあります")),
    ("設定 問い合わせ先", lambda c: c.setting("問い合わせ先", "テスト町 総合窓口 電話 012-999-0000")),
    ("設定 注意事項", lambda c: c.setting("注意事項", "判断は担当課が行います。")),
    ("設定 お知らせ", lambda c: c.setting("お知らせ", "")),
    ("設定 お知らせ again", lambda c: c.setting("お知らせ", "避難所が開いています。")),
    # 質問
    ("質問 質問文", lambda c: c.question("住家被害", "質問文", "住まいの被害は？")),
    ("質問 補足説明", lambda c: c.question("世帯人数", "補足説明", "ご本人を含めた人数です。")),
    ("質問 選択肢", lambda c: c.question("住家被害", "選択肢", "全壊\n大規模半壊\n中規模半壊\n半壊\n一部損壊\n被害なし")),
    ("質問 単位", lambda c: (c.question("世帯人数", "単位", "名"), c.program("jigyou", "世帯人数", "1〜4名"))),
    ("質問 表示条件", lambda c: c.question("再建方法", "表示条件", "住家被害=全壊")),
    ("質問 回答形式", lambda c: c.question("事業", "回答形式", "複数選択")),
    ("質問 order", lambda c: c.questions.insert(2, c.questions.pop(3))),
    ("質問 added", lambda c: c.questions.append(["ペット", "ペットはいますか？", "", "単一選択", "はい\nいいえ", "", ""])),
    # 分類
    ("分類 説明", lambda c: c.categories.__setitem__(3, ["子育て・教育", "学校と保育"])),
    ("分類 分類名", lambda c: rename_category(c, "住まい", "住まいの確保")),
    ("分類 order", lambda c: c.categories.insert(1, c.categories.pop(3))),
    ("分類 added", lambda c: c.categories.append(["相談", "困ったときに"])),
    # 部署
    ("部署 部署名", lambda c: c.info("福祉課.xlsx", "部署名", "健康福祉局 福祉課")),
    ("部署 電話番号", lambda c: c.info("福祉課.xlsx", "電話番号", "012-345-1111")),
    ("部署 メール", lambda c: c.info("住宅課.xlsx", "メール", "jutaku@city.test.example.jp")),
    ("部署 窓口", lambda c: c.info("住宅課.xlsx", "窓口", "市役所2階\n平日 9時〜17時")),
    # 制度, every column
    ("制度 制度名", lambda c: c.program("risai", "制度名", "り災証明書")),
    ("制度 分類", lambda c: c.program("risai", "分類", "子育て・教育")),
    ("制度 概要", lambda c: c.program("kasetsu", "概要", "仮設住宅を**無償で**提供します。")),
    ("制度 対象者", lambda c: c.program("risai", "対象者", "被災した方\n（市外の方も）")),
    ("制度 支援内容", lambda c: c.program("shien-kin", "支援内容", "- 全壊：**300万円**")),
    ("制度 申請期限 date", lambda c: c.program("shien-kin", "申請期限", dt.datetime(2027, 6, 30))),
    ("制度 申請期限 text", lambda c: c.program("oukyu-shuri", "申請期限", "災害発生日から13か月以内")),
    ("制度 申請方法", lambda c: c.program("gakuyou", "申請方法", "学校で申請します。")),
    ("制度 必要書類", lambda c: c.program("shien-kin", "必要書類", "り災証明書\n本人確認書類\n預金通帳の写し")),
    ("制度 問い合わせ先", lambda c: c.program("risai", "問い合わせ先", "市民課 電話 012-345-0003")),
    ("制度 問い合わせ先 empty", lambda c: c.program("oukyu-shuri", "問い合わせ先", None)),
    ("制度 オンライン申請URL", lambda c: c.program("risai", "オンライン申請URL", "https://apply.city.test.example.jp/risai")),
    ("制度 詳細URL", lambda c: c.program("oukyu-shuri", "詳細URL", "https://city.test.example.jp/shuri2")),
    ("制度 公開 ×", lambda c: c.program("gakuyou", "公開", "×")),
    ("制度 公開 ○", lambda c: c.program("gakuyou", "公開", "○")),
    ("制度 備考 (never published)", lambda c: c.program("kasetsu", "備考", "別のメモ")),
    ("制度 condition mark", lambda c: c.program("risai", "住家被害:半壊", "○")),
    ("制度 condition mark removed", lambda c: c.program("kasetsu", "住家被害:全壊", None)),
    ("制度 condition range", lambda c: c.program("jigyou", "世帯人数", "3以上")),
    ("制度 multiple-choice mark", lambda c: c.program("gakuyou", "世帯の状況:65歳以上の方がいる", "○")),
    ("制度 または row added", lambda c: c.departments["住宅課.xlsx"]["programs"].insert(
        1, {"制度ID": "oukyu-shuri", "住家被害:全壊": "○", "世帯人数": "1"})),
    ("制度 または row removed", lambda c: c.departments["福祉課.xlsx"]["programs"].pop(1)),
    ("制度 row order", lambda c: move_row(c, "福祉課.xlsx", 0, 2)),
    ("制度 added", lambda c: c.departments["福祉課.xlsx"]["programs"].append(
        {"制度ID": "kokoro", "制度名": "こころの相談", "分類": "相談", "概要": "相談を受けます。"})),
    ("制度 removed", lambda c: c.departments["住宅課.xlsx"]["programs"].pop()),
    ("制度 ID changed", lambda c: c.program("kokoro", "制度ID", "kokoro-soudan")),
    # common.xlsx changes that change what a department's unchanged workbook means
    ("質問 order within a condition row", lambda c: c.questions.insert(0, c.questions.pop(
        next(i for i, q in enumerate(c.questions) if q[0] == "世帯人数")))),
    ("質問 choice written another way", lambda c: c.question(
        "世帯の状況", "選択肢", "小中学生がいる\n６５歳以上の方がいる\n障害のある方がいる")),
    # whole workbooks
    ("workbook added", lambda c: c.departments.__setitem__("教育課.xlsx", {
        "info": [["項目", "値"], ["部署名", "教育委員会"], ["電話番号", "012-345-0009"]],
        "programs": [{"制度ID": "shugaku", "制度名": "就学援助", "分類": "子育て・教育", "概要": "学用品費を援助します。"}]})),
    ("workbook renamed", lambda c: c.departments.__setitem__("あ教育課.xlsx", c.departments.pop("教育課.xlsx"))),
    ("workbook removed", lambda c: c.departments.pop("あ教育課.xlsx")),
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(folder))
    return folder


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_a_clean_build(sheets: Path, out: Path, previous: Path, day: dt.date, label: str) -> None:
    """A build without cache, into a copy of the site OUT held before this build, gives OUT byte for byte."""
    reference = previous.parent / f"{previous.name}-reference"
    shutil.rmtree(reference, ignore_errors=True)
    shutil.copytree(previous, reference)
    result = build(sheets, reference, today=day, cache=False)
    assert result.ok, (label, [str(p) for p in result.validation.report.problems])
    built, expected = site_files(out), site_files(reference)
    assert sorted(built) == sorted(expected), label
    different = [name for name in expected if built[name] != expected[name]]
    assert different == [], label


def test_a_change_in_any_field_of_any_workbook_reaches_every_page_that_shows_it(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out, previous = tmp_path / "out", tmp_path / "previous"
    day = dt.date(2026, 7, 1)
    assert build(city.folder, out, today=day).ok
    for number, (label, change) in enumerate(CHANGES):
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(out, previous)
        change(city)
        city.write()
        day += dt.timedelta(days=1)
        result = build(city.folder, out, today=day)
        assert result.ok, (label, [str(p) for p in result.validation.report.problems])
        assert_same_as_a_clean_build(city.folder, out, previous, day, label)
        if label == "設定 お知らせ again":
            # The notice is on every page: every page rendered again.
            assert result.rendered == result.files_written - len(list((out / "static").rglob("*.*"))), label
    assert (cache_dir / "sites").is_dir()


def test_unchanged_pages_are_kept_and_a_change_renders_only_what_shows_it(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out = tmp_path / "out"
    first = build(city.folder, out)
    assert first.ok and first.rendered == first.files_written
    again = build(city.folder, out)
    assert again.ok and again.rendered == 0 and again.phases.get("check site") is not None  # OUT left as it is
    inodes = {p.name: p.stat().st_ino for p in (out / "programs").glob("*.html")}
    city.program("kasetsu", "概要", "仮設住宅を提供します（変更）。")
    city.write()
    changed = build(city.folder, out)
    assert changed.ok
    after = {p.name: p.stat().st_ino for p in (out / "programs").glob("*.html")}
    assert after["kasetsu.html"] != inodes["kasetsu.html"]  # written anew
    assert [name for name in inodes if name != "kasetsu.html" and after[name] != inodes[name]] == [
        "index.html"]  # the list of all programs shows the 概要; the other programs' pages are kept
    assert "仮設住宅を提供します（変更）。" in (out / "programs" / "kasetsu.html").read_text(encoding="utf-8")
    assert changed.rendered < changed.files_written - len(inodes) + 2


def test_a_rebuild_with_nothing_changed_reads_no_workbook_and_gives_the_same_outcome(tmp_path, cache_dir, monkeypatch):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out = tmp_path / "out"
    first = build(city.folder, out)
    import navigator.check.validate as validate

    def read_again(*args, **kwargs):
        raise AssertionError("a workbook was read or replayed")

    with monkeypatch.context() as patched:
        patched.setattr(validate, "_read_departments", read_again)
        again = build(city.folder, out)
    assert again.ok and "validate" not in again.phases and again.rendered == 0
    assert [str(p) for p in again.validation.report.problems] == [str(p) for p in first.validation.report.problems]
    assert vars(again.validation.accounting) == vars(first.validation.accounting)
    assert (again.files_written, again.pages_written) == (first.files_written, first.pages_written)
    # The model is still there for whoever asks (made from the cache then).
    assert again.validation.site == first.validation.site


def test_a_site_changed_by_hand_is_rebuilt_not_trusted(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out, previous = tmp_path / "out", tmp_path / "previous"
    assert build(city.folder, out, today=dt.date(2026, 7, 1)).ok
    shutil.copytree(out, previous)
    page = out / "programs" / "risai.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("被害の程度", "被害のていど"), encoding="utf-8")  # same length in bytes: no
    (out / "programs" / "kasetsu.html").unlink()
    (out / "stray.html").write_text("left by hand", encoding="utf-8")
    result = build(city.folder, out, today=dt.date(2026, 7, 1))
    assert result.ok and result.rendered > 0
    assert_same_as_a_clean_build(city.folder, out, previous, dt.date(2026, 7, 1), "changed by hand")


def built_with_manifest(tmp_path: Path) -> tuple[Path, Manifest]:
    """The city built into tmp_path/built, and the manifest its cache recorded of it."""
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    built = tmp_path / "built"
    assert build(city.folder, built, today=dt.date(2026, 7, 1)).ok
    return built, BuildCache(built, code_fingerprint()).load().manifest


def test_each_change_by_hand_alone_makes_the_site_not_as_written(tmp_path, cache_dir):
    built, manifest = built_with_manifest(tmp_path)

    def by_hand(change) -> bool:
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(built, out)  # copies are new files: record what they are now
        as_copied = {path: (*entry[:2], file_state(out / path)) for path, entry in manifest.items()}
        time.sleep(0.05)  # past the file system's clock tick: a file written now gets a newer time
        change(out)
        return site_as_written(out, as_copied)

    page = "programs/risai.html"
    assert by_hand(lambda out: None)
    assert not by_hand(lambda out: (out / page).write_bytes((out / page).read_bytes()))  # rewritten, same bytes
    assert not by_hand(lambda out: (out / page).unlink())
    assert not by_hand(lambda out: (out / "stray.html").write_text("left by hand", encoding="utf-8"))
    assert not by_hand(lambda out: (out / "programs" / "old").mkdir() or (out / "programs" / "old" / "a.html").touch())
    assert not by_hand(lambda out: (out / page).unlink() or (out / page).symlink_to(built / page))
    assert by_hand(lambda out: (out / "empty").mkdir())  # a folder with no file holds nothing a resident gets


def test_the_manifest_holds_each_files_own_hash(tmp_path, cache_dir):
    # A data file's hash is known from its name's making, and not computed again by the writer: still its own.
    built, manifest = built_with_manifest(tmp_path)
    assert {path.split(".")[0] for path in manifest if path.startswith("data/")} == {"data/flow", "data/results", "data/search"}
    for path, (_, sha, _) in manifest.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == sha, path


def test_a_failed_build_in_between_changes_nothing_and_the_next_one_is_right(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out, previous = tmp_path / "out", tmp_path / "previous"
    assert build(city.folder, out, today=dt.date(2026, 7, 1)).ok
    shutil.copytree(out, previous)
    before = site_files(out)
    city.program("risai", "分類", "存在しない分類")
    city.write()
    assert not build(city.folder, out, today=dt.date(2026, 7, 2)).ok
    assert site_files(out) == before
    city.program("risai", "分類", "住まい")
    city.program("risai", "概要", "証明書を出します。")
    city.write()
    assert build(city.folder, out, today=dt.date(2026, 7, 3)).ok
    assert_same_as_a_clean_build(city.folder, out, previous, dt.date(2026, 7, 3), "after a failed build")


def test_problems_are_reported_on_every_run_even_from_the_cache(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.departments["福祉課.xlsx"]["programs"][2]["未知の列"] = "x"  # a warning, not an error
    HEADERS.append("未知の列")
    try:
        city.write()
    finally:
        HEADERS.remove("未知の列")
    out = tmp_path / "out"
    runs = [build(city.folder, out) for _ in range(3)]
    assert all(r.ok for r in runs)
    messages = [[str(p) for p in r.validation.report.problems] for r in runs]
    assert messages[0] and messages[0] == messages[1] == messages[2]
    assert [vars(r.validation.accounting) for r in runs[1:]] == [vars(runs[0].validation.accounting)] * 2


def test_a_duplicate_id_across_workbooks_is_reported_the_same_with_a_cache(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out = tmp_path / "out"
    assert build(city.folder, out).ok
    city.program("jigyou", "制度ID", "risai")  # 住宅課's program now has 福祉課's 制度ID
    city.write()
    cached = build(city.folder, out)
    fresh = validate_folder(city.folder)
    assert not cached.ok
    assert [str(p) for p in cached.validation.report.problems] == [str(p) for p in fresh.report.problems]
    assert vars(cached.validation.accounting) == vars(fresh.accounting)


def test_rendering_shared_between_processes_writes_the_same_site(tmp_path):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out, reference = tmp_path / "out", tmp_path / "reference"
    env = {**os.environ, "NAVIGATOR_WORKERS": "2", "NAVIGATOR_MIN_WEIGHT": "1", "NAVIGATOR_BUILD_DATE": "2026-07-01",
           "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache")}
    script = ("import sys; from pathlib import Path; from navigator import workers; from navigator.pipeline import build; "
              "r = build(Path(sys.argv[1]), Path(sys.argv[2])); assert r.ok; print(r.forks)")
    for change in (None, lambda c: c.program("risai", "概要", "別の概要です。")):
        if change:
            change(city)
            city.write()
            shutil.rmtree(reference)
            shutil.copytree(out, reference)  # the same previous site, so the same 更新情報 history
        done = subprocess.run([sys.executable, "-c", script, str(city.folder), str(out)], env=env, capture_output=True,
                              text=True, cwd=Path(__file__).parent.parent)
        assert done.returncode == 0, done.stderr
        assert int(done.stdout.split()[-1]) >= 1  # worker processes did render
        assert build(city.folder, reference, today=dt.date(2026, 7, 1), cache=False).ok
        assert site_files(out) == site_files(reference)


def test_the_fast_paths_give_what_the_reference_code_gives(tmp_path):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    site = validate_folder(city.folder).site
    renderer = Renderer(RenderMemo("code"))
    assert data.catalog_json(site, renderer) == catalog_json(site, program_page).encode("utf-8")
    assert data.results_page(site, renderer) == script_page("data", "results", "NavigatorResults",
                                                           results_data(site, renderer))
    assert data.flow_page(site, renderer) == script_page("data", "flow", "NavigatorFlow", flow_data(site, renderer))
    empty = copy.replace(site, programs=()) if hasattr(copy, "replace") else type(site)(
        site.settings, site.questions, site.categories, site.departments, (), site.unpublished)
    assert data.catalog_json(empty, renderer) == catalog_json(empty, program_page).encode("utf-8")
    rng = random.Random(7)

    def value(depth=0):
        roll = rng.random()
        if depth > 3 or roll < 0.3:
            return rng.choice(["", 'a"\\\n\u2028é😀', 0, -5, 1.5, 2.0, 1e300, -0.0, None, True, False, 10 ** 20])
        if roll < 0.6:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(["a", "キー", '"q"']) + str(i): value(depth + 1) for i in range(rng.randint(0, 3))}

    for _ in range(3000):
        value_ = value()
        for level in (0, 2):
            assert data.indented_json(value_, level) == json.dumps(value_, ensure_ascii=False, indent=1).replace(
                "\n", "\n" + " " * level)


PIECES = ["あいう", "漢字", "全壊", "、", "。", "（", "）", "\u3000", " ", "a", "1", "2.", "3. ", "- ", "-", "+", "=", "*",
          "**", "***", "\n", "\n\n", "\n\n\n", "_", "#", "&", "<", ">", "[", "]", "|", "~", "`", "\\", "\t", "\u00a0",
          "\u200b", "x y", "**太字**", "- 項目", "(a)", "1. ", "2.5万円", "\u2028", "é", "😀", ":", "/", "%", "!", "^"]


def test_a_line_without_marks_is_made_plain_as_the_pattern_makes_it():
    """formatting.one_line skips _MARKDOWN_MARKS where `in` tells it cannot match: the same text as the pattern gives."""
    from navigator.site.formatting import _MARKDOWN_MARKS, _without_marks

    rng = random.Random(11)
    for _ in range(20000):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))).replace("\n", "").replace("\u2028", "")
        if _without_marks(line):
            assert _MARKDOWN_MARKS.sub(lambda m: m.group(1) or "", line) == line, repr(line)
    for line in ("- 項目", " + 項目", "1. 一つ目", "１. 全角の数字", "[申請書](https://x.jp)", "**太字**", "a | b", "> 引用"):
        assert not _without_marks(line)


def test_simple_markdown_is_byte_for_byte_what_the_parser_gives():
    """simple_html (no parser) against Markdown + nh3, over the sample city's cells and many made-up strings."""
    sample = validate_folder(Path(__file__).parent.parent / "sheets").site
    corpus = [t for p in sample.programs for t in (p.summary, p.target, p.benefit, p.how_to_apply, p.contact) if t]
    corpus += [q.help for q in sample.questions if q.help]
    rng = random.Random(20260701)
    texts = list(corpus)
    for _ in range(12000):
        roll = rng.random()
        if roll < 0.4:
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        elif roll < 0.7:
            base = rng.choice(corpus)
            start = rng.randint(0, len(base))
            text = base[start:start + rng.randint(1, 120)]
        else:
            base = rng.choice(corpus)
            at = rng.randint(0, len(base))
            text = base[:at] + rng.choice(PIECES) + base[at:]
        texts.append(text.strip())
    fast = 0
    parsed_markdown = Markdown().parsed
    for text in texts:
        html = simple_html(text)
        if html is not None:
            fast += 1
            assert html == parsed_markdown(text), text
    assert fast > len(texts) * 0.4  # the fast path is taken, not just never wrong
    assert sum(simple_html(t) is not None for t in corpus) > len(corpus) * 0.7


def test_the_cache_is_kept_outside_the_site(tmp_path, cache_dir):
    city = City(tmp_path / "sheets")
    city.folder.mkdir()
    city.write()
    out = tmp_path / "out"
    assert build(city.folder, out).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out", "sheets"]
    assert not [p for p in out.rglob("*") if "cache" in p.name or p.suffix == ".pickle"]
    assert workers.MIN_WEIGHT > 1


def city_with_a_warning_and_a_duplicate_id(folder: Path) -> City:
    """A city whose 福祉課 has a column no one knows (a warning) and whose 住宅課 reuses 福祉課's 制度ID (an error)."""
    city = City(folder)
    city.folder.mkdir()
    city.departments["福祉課.xlsx"]["programs"][2]["未知の列"] = "x"
    city.program("jigyou", "制度ID", "risai")  # 住宅課's program has 福祉課's 制度ID
    HEADERS.append("未知の列")
    try:
        city.write()
    finally:
        HEADERS.remove("未知の列")
    return city


def test_workbooks_checked_in_worker_processes_report_the_same(tmp_path, cache_dir, monkeypatch):
    """A full build checks the workbooks the cache lacks on every core first (incremental/replay.py, WorkbookCache.prefetch):
    the same problems (a warning, a 制度ID in two workbooks), in the same order, and the same accounting."""
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setenv(workers.MIN_WEIGHT_ENV, "1")
    city = city_with_a_warning_and_a_duplicate_id(tmp_path / "sheets")
    can_fork = workers.can_fork()  # not with threads running (left by other tests): then all in this process
    cached = build(city.folder, tmp_path / "out")
    assert cached.forks > 0 or not can_fork  # the workbooks were checked in a worker process
    fresh = validate_folder(city.folder)
    assert not cached.ok and fresh.report.problems
    assert [str(p) for p in cached.validation.report.problems] == [str(p) for p in fresh.report.problems]
    assert vars(cached.validation.accounting) == vars(fresh.accounting)


def test_check_on_every_core_reports_what_checking_one_by_one_does(tmp_path, monkeypatch):
    """`navigator check` (and a build without cache) checks the workbooks in worker processes first, each on its
    own (check/validate.py's pool): the same problems in the same order (a warning, a 制度ID in two workbooks, a
    翻訳 state that is not one, a 翻訳 workbook cut short), the same accounting, counts per language and model as checking them one by one."""
    import openpyxl

    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setenv(workers.MIN_WEIGHT_ENV, "1")
    city = city_with_a_warning_and_a_duplicate_id(tmp_path / "city")
    sample = tmp_path / "sample"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sheets", sample)
    workbook = openpyxl.load_workbook(sample / "翻訳_vi.xlsx")
    rows = workbook["翻訳"]
    rows.cell(row=5, column=[c.value for c in rows[1]].index("状態") + 1, value="たぶん")
    workbook.save(sample / "翻訳_vi.xlsx")
    (sample / "翻訳_en.xlsx").write_bytes((sample / "翻訳_en.xlsx").read_bytes()[:3000])  # cut short: cannot be read
    for folder in (city.folder, sample):
        pool = workers.Pool()
        shared, alone = validate_folder(folder, pool=pool), validate_folder(folder)
        assert pool.forks > 0 or not workers.can_fork()  # not with threads running (left by other tests)
        assert alone.report.problems
        assert [str(p) for p in shared.report.problems] == [str(p) for p in alone.report.problems]
        assert vars(shared.accounting) == vars(alone.accounting)
        assert [vars(c) for c in shared.languages] == [vars(c) for c in alone.languages]
        assert shared.site == alone.site


def test_translation_workbooks_read_in_worker_processes_or_replayed_report_the_same(tmp_path, cache_dir, monkeypatch):
    """The 翻訳 workbooks are read on every core with the departments' (prefetch), and replayed from the cache
    while unchanged: the same warnings on their cells and the same counts per language as reading them again."""
    import openpyxl

    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setenv(workers.MIN_WEIGHT_ENV, "1")
    sheets = tmp_path / "sheets"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sheets", sheets)
    workbook = openpyxl.load_workbook(sheets / "翻訳_vi.xlsx")
    rows = workbook["翻訳"]
    rows.cell(row=5, column=[c.value for c in rows[1]].index("状態") + 1, value="たぶん")  # not a 状態: a warning
    workbook.save(sheets / "翻訳_vi.xlsx")
    fresh = validate_folder(sheets)
    assert any("たぶん" in str(p) for p in fresh.report.problems)
    runs = [build(sheets, tmp_path / "out") for _ in range(2)]  # read in workers, then replayed
    for run in runs:
        assert run.ok
        assert [str(p) for p in run.validation.report.problems] == [str(p) for p in fresh.report.problems]
        # The counts (a rebuild with nothing changed keeps those, not the texts: test_incremental_languages.py)
        assert [vars(c.counted()) for c in run.validation.languages] == [vars(c.counted()) for c in fresh.languages]
    assert runs[0].validation.languages == fresh.languages  # the first, read in workers: the texts too


def test_the_fingerprint_reads_the_libraries_versions_as_importlib_metadata_does():
    import importlib.metadata

    from navigator.incremental.fingerprint import LIBRARIES, library_versions

    assert library_versions(LIBRARIES) == {library: importlib.metadata.version(library) for library in LIBRARIES}
    assert library_versions(("jinja2", "no-such-library"))["no-such-library"] == "?"
