"""A rebuild after a translator's edit (翻訳_<code>.xlsx saved again) with the build cache: every page of that
language shows the edit, byte for byte what a build without the cache writes, and the rest is kept."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
from pathlib import Path

from test_incremental import assert_same_as_a_clean_build, cache_dir  # noqa: F401 (a fixture)
from test_translate import fill

from navigator.pipeline import build

SHEETS = Path(__file__).resolve().parent.parent / "sheets"
DAY = dt.date(2026, 7, 1)


def test_a_translation_edited_between_builds_reaches_every_page_of_its_language(tmp_path, cache_dir):  # noqa: F811
    sheets = tmp_path / "sheets"
    shutil.copytree(SHEETS, sheets)
    out, previous = tmp_path / "out", tmp_path / "previous"
    assert build(sheets, out, today=DAY).ok
    edits = [
        ("en", "a program's name", {"制度/seikatsu-saiken-kiso/制度名": ("Basic Support Payment (edited)", "確認済み")}),
        ("en", "a 訳 made 機械翻訳", {"制度/seikatsu-saiken-kiso/概要": ("Households receive a payment.", "機械翻訳")}),
        ("easy", "a 訳 taken out", {"制度/seikatsu-saiken-kiso/申請方法": (None, None)}),
        ("easy", "a document line", {"制度/seikatsu-saiken-kiso/必要書類": (
            "被災者生活再建支援金支給申請書\nり災証明書\n住民票\n通帳のコピー\n解体したことがわかる書類", "確認済み")}),
    ]
    for day, (code, label, translations) in enumerate(edits, start=1):
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(out, previous)
        fill(sheets / f"翻訳_{code}.xlsx", translations)
        result = build(sheets, out, today=DAY + dt.timedelta(days=day))
        assert result.ok and 0 < result.rendered < result.files_written, label
        assert_same_as_a_clean_build(sheets, out, previous, DAY + dt.timedelta(days=day), label)


def test_a_rebuild_with_nothing_changed_reports_each_language_as_the_build_before(tmp_path, cache_dir):  # noqa: F811
    first = build(SHEETS, tmp_path / "out", today=DAY)
    again = build(SHEETS, tmp_path / "out", today=DAY)
    assert again.ok and "validate" not in again.phases and again.rendered == 0  # nothing read again
    assert [c.line() for c in again.validation.languages] == [c.line() for c in first.validation.languages]
    assert [c.code for c in again.validation.languages] == ["easy", "en", "vi"]
    # The cache keeps the counts, not every 訳 a second time (they are in the workbooks' entries); the model,
    # made again from those when asked for, has them.
    (state,) = (cache_dir / "sites").glob("*/state.pickle")
    kept = pickle.loads(state.read_bytes())["outcome"][2]
    assert [c.line() for c in kept] == [c.line() for c in first.validation.languages]
    assert all(c.translations == {} for c in kept)
    assert again.validation.site.translations == first.validation.site.translations != {}
