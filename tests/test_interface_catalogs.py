"""The interface's words: every shipped catalog translates every word the templates, the JavaScript and the site's
Python use, keeps their values, adds no markup; and no Japanese is left outside gettext (docs/languages.md).

A missing word is shown in Japanese on the language's pages; these tests fail on it instead, so that a change of the
templates is followed by `python -m navigator.tooling.messages` and a translation.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from navigator.site.changes import FIELD_LABELS, SHOWN_FIELD_LABELS
from navigator.site.environment import Renderer, TemplateCode, templates_dir
from navigator.site.interface import interface, locales_dir
from navigator.site.memo import RenderMemo
from navigator.tooling import messages

TEMPLATES = templates_dir()
CATALOGS = sorted(locales_dir().glob("*.po"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u3001-\u303f]")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")
CALL = re.compile(r"""\b_\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")

# Japanese that stays Japanese on purpose, outside _(): (file, the text of the line, why).
EXCEPTIONS = [
    ("static/navi.js", '"（令和"', "japaneseDate: the Japanese pages' own date (other languages use Intl.DateTimeFormat)"),
    ("static/navi.js", '"日月火水木金土"', "japaneseDate's weekdays"),
    ("static/navi.js", '"年" + era', "japaneseDate"),
    ("static/navi.js", '"日まで"', "shortDeadline on Japanese pages (other languages: Intl and _(\"%(date)sまで\"))"),
    ("static/offline.js", '"月" + date.getDate()', "when() on Japanese pages (other languages: Intl)"),
    ("static/search.js", "々〆ヵヶー", "search reads Japanese words: the characters of a run of Japanese text"),
    ("static/search.js", "\\u3041-\\u309fー", "search: a reading written in kana only"),
    ("_languages.html", '<span lang="ja">言語</span>', "the switcher's name is in English and Japanese on every page"),
    ("_ruby_switch.html", "ふりがなを けす", "the ふりがな switch is on the やさしい日本語 pages only, in やさしい日本語"),
    ("static/ruby.js", "ふりがなを けす", "the ふりがな switch's label, on the やさしい日本語 pages only"),
]


@pytest.fixture(scope="module")
def template():
    return messages.extract()


def entries(path: Path):
    with path.open("rb") as po:
        return [m for m in read_po(po) if m.id]


def test_there_is_a_catalog_and_a_template():
    assert (locales_dir() / "messages.pot").is_file()
    assert [p.stem for p in CATALOGS] and "en" in [p.stem for p in CATALOGS]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_every_word_is_translated(path, template):
    assert len(template) > 200  # the extraction found the words (templates, JavaScript, Python)
    assert messages.missing(path.stem, template, path) == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_a_translation_keeps_the_values_and_adds_no_markup(path):
    for message in entries(path):
        if not message.string:
            continue
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), message.id
        assert set(TAG.findall(message.string)) <= set(TAG.findall(message.id)), message.id
        # jinja2's newstyle gettext always applies %: a lone % in a translation would break the page.
        message.string % {name: "x" for name in PLACEHOLDER.findall(message.id)}


def test_a_removed_translation_fails(tmp_path, template):
    source = locales_dir() / "en.po"
    with source.open("rb") as po:
        catalog = read_po(po)
    gone = next(m for m in catalog if m.id == "回答を消す")
    gone.string = ""
    fuzzy = next(m for m in catalog if m.id == "次へ")
    fuzzy.flags.add("fuzzy")
    broken = tmp_path / "en.po"
    with broken.open("wb") as po:
        write_po(po, catalog)
    assert messages.missing("en", template, broken) == ["次へ", "回答を消す"] or \
        sorted(messages.missing("en", template, broken)) == sorted(["次へ", "回答を消す"])


def test_the_english_pages_use_the_catalog():
    env = Renderer(RenderMemo("test"), language=interface("en")).env
    assert env.from_string('{{ _("ページが見つかりません") }}').render() == "Page not found"
    assert env.from_string('{{ _("%(count)s件", count=3) }}').render() == "3"
    japanese = Renderer(RenderMemo("test")).env
    assert japanese.from_string('{{ _("ページが見つかりません") }}').render() == "ページが見つかりません"


def test_each_language_compiles_its_own_words_even_with_one_template_cache(tmp_path):
    # The words are folded into the compiled templates: English must not load Japanese code from the cache.
    for _round in range(2):  # compiled, then loaded from the cache
        for code, expected in (("ja", "ページが見つかりません"), ("en", "Page not found"), ("vi", "Không tìm thấy trang")):
            template = Renderer(RenderMemo("test"), tmp_path, language=interface(code)).template("404.html")
            context = template.new_context({"settings": {"site_name": "さくら市ナビ"}})
            assert "".join(template.blocks["title"](context)) == f"{expected} | さくら市ナビ"


def test_every_template_is_generated_once_and_compiles_to_each_languages_own_code():
    # TemplateCode generates each template's Python once, with placeholders for the words: with each language's words
    # put in, it is the code that language's own compile gives (raw=True: compiled alone), for every shipped template.
    shared = TemplateCode()
    for language in ["ja"] + [path.stem for path in CATALOGS]:
        env = Renderer(RenderMemo("test"), language=interface(language), template_code=shared).env
        for path in sorted(TEMPLATES.glob("*.html")):
            source = path.read_text(encoding="utf-8")
            alone = env.compile(source, path.name, raw=True)
            with_placeholders = shared.python(env, source, path.name)
            assert with_placeholders is not None, path.name
            assert ast.dump(ast.parse(with_placeholders)) == ast.dump(ast.parse(alone)), (language, path.name)


def test_a_shared_template_keeps_quotes_percent_signs_and_values_of_each_language():
    shared = TemplateCode()
    # Python quotes the literal around a word with ' or ", as the template's own text needs (the <i class='…'>: ").
    source = ('<p title="{{ _("次へ") }}">{{ _("%(count)s件", count=n) }} {{ _("100%%") }}</p>'
              '{{ _("次へ") | upper }}{% with t=[(_("戻る"), None)] %}{{ t[0][0] }}{% endwith %}'
              "{{ n }}<i class='x'>{{ _(\"次へ\") }}</i>")
    for words, expected in ((None, '<p title="次へ">3件 100%</p>次へ戻る3<i class=\'x\'>次へ</i>'),
                            ({"次へ": "It's \"next\"\\", "%(count)s件": "%(count)s <b>items</b>", "100%%": "all %%",
                              "戻る": "Back"}, '<p title="It\'s \"next\"\\">3 <b>items</b> all %</p>'
                                               'IT\'S "NEXT"\\Back3<i class=\'x\'>It\'s "next"\\</i>')):
        language = interface("ja") if words is None else dataclasses.replace(interface("en"), messages=words)
        env = Renderer(RenderMemo("test"), language=language, template_code=shared).env
        assert env.from_string(source).render(n=3) == expected
    assert len(shared._generated) == 1  # generated once, for both


def test_the_changes_pages_field_labels_are_in_the_catalog():
    assert set(FIELD_LABELS.values()) <= set(SHOWN_FIELD_LABELS)


def _uncovered(name: str, text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not JAPANESE.search(line):
            continue
        if any(name == file and part in line for file, part, _ in EXCEPTIONS):
            continue
        found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_japanese_left_in_the_templates_outside_gettext():
    left = []
    for path in sorted(TEMPLATES.glob("*.html")):
        text = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"), flags=re.S)
        left += _uncovered(path.name, CALL.sub('_(""', text))
    assert left == []


def _without_js_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"(^|[\s;,{}()])//[^\n]*", r"\1", text)  # a // comment (not the // of an address in a string)


def test_no_japanese_left_in_the_javascript_outside_gettext():
    left = []
    for path in sorted([*(TEMPLATES / "static").glob("*.js"), TEMPLATES / "sw.js"]):
        name = path.relative_to(TEMPLATES).as_posix()
        left += _uncovered(name, CALL.sub('_(""', _without_js_comments(path.read_text(encoding="utf-8"))))
    assert left == []


def test_the_templates_write_each_value_as_markupsafe_escapes_it():
    """The compiled templates write `{{ value }}` with escape_text: the same text markupsafe.escape gives, as a str."""
    import random

    from markupsafe import Markup, escape

    from navigator.site.edition import Untranslated
    from navigator.site.formatting import escape_text

    rnd = random.Random(5)
    for _ in range(5000):
        text = "".join(rnd.choice(["&", "<", ">", "'", '"', "a", "あ", "&amp;", " ", "\n"]) for _ in range(rnd.randint(0, 9)))
        assert escape_text(text) == str(escape(text)) and type(escape_text(text)) is str
    for value in (Markup("<b>太字</b>"), 3, None, 1.5, Untranslated("原文 <b>")):
        assert escape_text(value) == str(escape(value))
