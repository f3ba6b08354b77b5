"""One site per language (issue 18): each language of 設定's 言語 under /<code>/, its texts from 翻訳_<code>.xlsx by the
publishing rules, the Japanese in place of what is not translated (marked lang="ja" and labelled), a switcher and
hreflang alternates on every page."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from clirun import run
from test_incremental import site_files
from test_translate import city, fill

from navigator.pipeline import build


def built(tmp_path: Path, capsys, translations: dict[str, tuple[str, str]], languages: str = "en\nvi") -> Path:
    folder = city(tmp_path, languages)
    run(capsys, "translate", "en", "--sheets", str(folder))
    fill(folder / "翻訳_en.xlsx", translations)
    out = tmp_path / "site"
    assert build(folder, out, cache=False).ok
    return out


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_each_language_has_its_pages_under_its_code_and_japanese_stays_at_the_root(tmp_path, capsys):
    out = built(tmp_path, capsys, {"制度/shien-kin/制度名": ("Livelihood support payment", "確認済み")})
    japanese = {p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.relative_to(out).parts[0] in ("en", "vi")}
    for code in ("en", "vi"):
        pages = {p.relative_to(out / code).as_posix() for p in (out / code).rglob("*.html")}
        assert pages == japanese - {"404.html"}  # the server's 404 page is one, at the root
        assert (out / code / "messages.js").is_file()
    assert '<html lang="en" data-language="en">' in page(out, "en/index.html")
    assert '<html lang="ja">' in page(out, "index.html")


def test_the_other_languages_parts_are_made_in_one_run_after_the_japanese_sites(tmp_path, capsys):
    # Each run of the worker processes forks them and waits for the last: one run for checking the workbooks, one for
    # the programs' parts of results.js, search.js, … and pages of the Japanese site (while this process makes the
    # other languages' sites), one for every other language's, one for the other pages (one worker forked for each,
    # with NAVIGATOR_WORKERS=2). The site is the one a single process writes.
    folder = city(tmp_path, "easy\nen\nvi")
    run(capsys, "translate", "en", "--sheets", str(folder))
    fill(folder / "翻訳_en.xlsx", {"制度/shien-kin/制度名": ("Livelihood support payment", "確認済み")})
    out, alone = tmp_path / "site", tmp_path / "alone"
    env = {**os.environ, "NAVIGATOR_WORKERS": "2", "NAVIGATOR_MIN_WEIGHT": "1", "NAVIGATOR_BUILD_DATE": "2026-07-01",
           "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache")}
    script = ("import sys; from pathlib import Path; from navigator.pipeline import build; "
              "r = build(Path(sys.argv[1]), Path(sys.argv[2])); assert r.ok; print(r.forks)")
    done = subprocess.run([sys.executable, "-c", script, str(folder), str(out)], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) == 4
    assert build(folder, alone, today=dt.date(2026, 7, 1), cache=False).ok
    assert site_files(out) == site_files(alone)


def test_a_translation_counts_by_its_state(tmp_path, capsys):
    out = built(tmp_path, capsys, {
        "制度/shien-kin/制度名": ("Livelihood support payment", "確認済み"),
        "制度/shien-kin/概要": ("A payment to rebuild your life.", "機械翻訳"),
        "制度/kasetsu/制度名": ("Temporary housing", ""),  # no 状態: not published
    })
    program = page(out, "en/programs/shien-kin.html")
    assert "<h1>Livelihood support payment</h1>" in program
    assert re.search(r'<div class="machine-translated"><p class="machine-label">[^<]+</p><p>A payment to rebuild your life\.</p>',
                     program)
    housing = page(out, "en/programs/kasetsu.html")
    assert "Temporary housing" not in housing
    assert re.search(r'<h1><span lang="ja" class="untranslated">応急仮設住宅<span class="untranslated-label" lang="en">', housing)


def test_a_translation_of_an_older_japanese_text_is_not_shown(tmp_path, capsys):
    folder = city(tmp_path, "en")
    run(capsys, "translate", "en", "--sheets", str(folder))
    fill(folder / "翻訳_en.xlsx", {"制度/shien-kin/制度名": ("Livelihood support payment", "確認済み")})
    from openpyxl import load_workbook

    workbook = load_workbook(folder / "翻訳_en.xlsx")
    for row in workbook["翻訳"].iter_rows(min_row=2):
        if row[0].value == "制度/shien-kin/制度名":
            row[1].value = "生活再建支援金（旧）"  # translated from another Japanese text
    workbook.save(folder / "翻訳_en.xlsx")
    assert build(folder, tmp_path / "site", cache=False).ok
    program = page(tmp_path / "site", "en/programs/shien-kin.html")
    assert "Livelihood support payment" not in program and '<span lang="ja" class="untranslated">生活再建支援金' in program


def test_a_link_in_a_translation_the_site_cannot_open_is_a_warning_on_its_cell(tmp_path, capsys):
    folder = city(tmp_path, "en")
    run(capsys, "translate", "en", "--sheets", str(folder))
    fill(folder / "翻訳_en.xlsx", {
        "制度/shien-kin/支援内容": ("Up to 3 million yen. [Form](www.example.jp/form.pdf)", "確認済み"),
        "制度/shien-kin/制度名": ("Livelihood support [payment](www.example.jp)", "確認済み"),  # not Markdown: text
        "制度/risai/申請方法": ("[Apply online](https://www.example.jp/apply)", "機械翻訳"),
    })
    result = build(folder, tmp_path / "site", cache=False)
    assert result.ok  # a warning: the site is made
    warnings = [p for p in result.validation.report.problems if p.code == "bad-text-link"]
    assert [(w.file, w.sheet) for w in warnings] == [("翻訳_en.xlsx", "翻訳")]
    message = warnings[0].message
    assert "「制度/shien-kin/支援内容」の訳" in message and "「Form」" in message and "www.example.jp/form.pdf" in message
    assert re.fullmatch(r"[A-Z]+\d+", warnings[0].cell)


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self._in_title = tag == "title"
        self.values += [value for _, value in attrs if value]

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def test_untranslated_texts_are_marked_in_the_body_only_never_inside_an_attribute_or_the_title(tmp_path, capsys):
    out = built(tmp_path, capsys, {})
    for path in (out / "vi").rglob("*.html"):
        parsed = Attributes()
        parsed.feed(path.read_text(encoding="utf-8"))
        assert not [v for v in parsed.values if "untranslated" in v and v != "untranslated" and "label" not in v], path
        assert "<" not in parsed.title and "日本語" not in parsed.title.replace("テスト市", ""), (path, parsed.title)
    assert "<title>生活再建支援金 | テスト市 被災者支援ナビ</title>" in page(out, "vi/programs/shien-kin.html")


def test_every_page_links_to_itself_in_every_language_by_its_own_name(tmp_path, capsys):
    out = built(tmp_path, capsys, {})
    program = page(out, "en/programs/shien-kin.html")
    for hreflang, href in (("ja", "../../programs/shien-kin.html"), ("en", "../../en/programs/shien-kin.html"),
                           ("vi", "../../vi/programs/shien-kin.html")):
        assert f'<link rel="alternate" hreflang="{hreflang}" href="{href}">' in program
    switcher = re.search(r'<details class="language-switcher">.*?</details>', program, re.S).group(0)
    assert re.findall(r">([^<>]+)</a>", switcher) == ["日本語", "English", "Tiếng Việt"]
    assert 'href="../../en/programs/shien-kin.html" lang="en" hreflang="en" data-language-link aria-current="true"' in switcher
    assert 'href="../../programs/shien-kin.html" lang="ja"' in page(out, "en/programs/shien-kin.html")
    assert "language-switcher" in page(out, "programs/shien-kin.html")


def test_a_site_without_languages_has_no_switcher_and_no_language_folders(tmp_path):
    from sheetmaker import small_city

    folder = small_city(tmp_path / "sheets")
    assert build(folder, tmp_path / "site", cache=False).ok
    assert "language-switcher" not in page(tmp_path / "site", "index.html")
    assert "hreflang" not in page(tmp_path / "site", "index.html")
    assert not (tmp_path / "site" / "en").exists()


def test_choices_stay_the_answers_keys_in_every_language(tmp_path, capsys):
    out = built(tmp_path, capsys, {"選択肢/住家被害/全壊": ("Completely destroyed", "確認済み")})
    japanese = next((out / "data").glob("flow.*.js")).read_text(encoding="utf-8")
    english = next((out / "en" / "data").glob("flow.*.js")).read_text(encoding="utf-8")
    assert '"全壊"' in english and "Completely destroyed" in english
    choices = re.findall(r'"choices":(\[[^\]]*\])', japanese)
    assert choices == re.findall(r'"choices":(\[[^\]]*\])', english)
