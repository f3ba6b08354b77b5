"""The やさしい日本語 review (part of `navigator check --review`): the measurable rules of 在留支援のためのやさしい日本語
ガイドライン (出入国在留管理庁・文化庁, 2020) applied to the `easy` translations (翻訳_easy.xlsx).

None of this is an error: a person decides. The rules (documented in docs/easy-japanese.md):

- a sentence longer than MAX_SENTENCE characters (white space, Markdown marks and web addresses not counted);
- 二重否定 (〜ないことはない, 〜なくはない, 〜ないわけではない, 〜ないとは限らない, 〜ざるを得ない …);
- 尊敬語・謙譲語, the forms a list can tell without reading the sentence (いらっしゃる, 申し上げる, いただく,
  いたします, ございます, お〜ください …);
- a word with kanji the analyser cannot read and that no 読み of the 用語 sheet overrides: its ルビ would be
  missing on the page.

`easy_findings` is pure (the Site's translations, the 用語 readings, the cells where each 場所 is); `easy_lines`
words them, one Japanese line each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from navigator.model import Site

CODE = "easy"
# The guideline asks for short sentences that say one thing each. It gives no hard number we could rely on, so
# the limit is ours: 50 characters is about two lines of the page on a phone, and room for one idea with its
# subject and object (「り災証明書を もらうには、市役所の 1階の 窓口に 行って ください。」 is 31).
MAX_SENTENCE = 50

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
_URL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_MARKDOWN = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#+|>)\s+|\*\*|__|`|\[|\]\([^)]*\)|^\s*\|?[-:| ]+\|?\s*$")
_SPACE = re.compile(r"[\s\u3000]+")

NEG = r"(?:ない|なく|ず|ぬ)"
DOUBLE_NEGATIVES = re.compile(
    r"ない(?:こと|わけ|もの)(?:で)?[はも](?:ない|ありません|ないです|ございません)"
    r"|なく[はも](?:ない|ありません|ないです)"
    r"|ないとは(?:限|かぎ)(?:らない|らず|りません)"
    r"|ざるを(?:得|え)(?:ない|ません)"
    r"|" + NEG + r"(?:で|に)?は(?:いられ|おられ|すまされ|済まされ)(?:ない|ません)"
    r"|ないでも(?:ない|ありません)"
    r"|ないものでも(?:ない|ありません)")

# Honorific and humble forms, each with the plain です・ます form the guideline suggests. Only forms that are never
# something else: 申し込み is not 申し上げる, おります is left out (in kana it may be 降ります).
HONORIFICS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), fix) for p, fix in (
    (r"いらっしゃ[いらりるれっ]", "「います」「来ます」「行きます」"),
    (r"おっしゃ[いらりるれっ]", "「言います」"),
    (r"召し上が|めしあが", "「食べます」「飲みます」"),
    (r"ご覧|ごらん", "「見ます」「見てください」"),
    (r"申し上げ|もうしあげ|申し(?:ます|ました)", "「言います」"),
    (r"(?:伺|うかが)(?:い|う|っ|え)", "「行きます」「聞きます」"),
    (r"(?:いただ|頂)(?:き|く|け|か)|頂戴", "「もらいます」「〜てください」"),
    (r"(?:いた|致)し(?:ます|まし|て)", "「します」"),
    (r"ござい(?:ます|ません)", "「あります」「です」"),
    (r"存じ", "「知っています」「思います」"),
    (r"拝見|拝読|差し上げ|さしあげ|賜|たまわ", "「見ます」「読みます」「あげます」「もらいます」"),
    (r"[おご][\u4e00-\u9fff]+[きしちにびみりいえけせてねべめれ]?くださ[いる]", "「〜してください」「〜てください」"),
))


@dataclass(frozen=True)
class EasyFinding:
    place: str  # 場所 of the translation
    cell: str  # its 訳 cell as `翻訳_easy.xlsx / 翻訳 / C12`, or "" when unknown
    rule: str  # "長い文", "二重否定", "敬語", "読み"
    message: str  # what is wrong and how to fix it, in Japanese

    def line(self) -> str:
        return f"  {self.cell or self.place}: {self.message}"


def sentences(text: str) -> list[str]:
    """The sentences of a 訳 as a reader sees them: Markdown marks and web addresses out, split at 。！？ and lines."""
    found = []
    for piece in _SENTENCE_END.split(text):
        plain = _SPACE.sub(" ", _MARKDOWN.sub("", _URL.sub("", piece or ""))).strip()
        if plain:
            found.append(plain)
    return found


def sentence_length(sentence: str) -> int:
    return len(_SPACE.sub("", sentence))


def easy_findings(site: Site, cells: Mapping[str, str] | None = None,
                  unknown_words: Callable[[str], list[str]] | None = None) -> list[EasyFinding]:
    """Every finding for the `easy` translations, in the site's order of 場所.

    `cells`: 場所 → where its 訳 is (translation_cells); `unknown_words`: the analyser's (navigator.site.ruby's
    Furigana with the 用語 readings, made here when not given: the analyser is loaded only when there is an
    `easy` translation to look at)."""
    translations = site.translations.get(CODE) or {}
    if not translations:
        return []
    if unknown_words is None:
        from navigator.site.ruby import Furigana

        unknown_words = Furigana({t.word: t.reading for t in site.terms}).unknown_words
    cells = cells or {}
    found: list[EasyFinding] = []
    for place, (text, _state) in translations.items():
        cell = cells.get(place, "")

        def add(rule: str, message: str) -> None:
            found.append(EasyFinding(place, cell, rule, message))

        for sentence in sentences(text):
            length = sentence_length(sentence)
            if length > MAX_SENTENCE:
                add("長い文", f"文が長すぎます（{length}字、{MAX_SENTENCE}字まで）:「{_short(sentence)}」。"
                              "1つの文で 1つのことを言うように、文を分けてください。")
        for match in DOUBLE_NEGATIVES.finditer(text):
            add("二重否定", f"二重否定「{match.group()}」があります。「〜ます」「〜できます」のように、"
                           "否定を使わない言い方にしてください。")
        for pattern, fix in HONORIFICS:
            for match in pattern.finditer(text):
                add("敬語", f"尊敬語・謙譲語「{match.group()}」があります。{fix}のように、ふつうの「です・ます」の形に"
                           "してください。")
        for word in unknown_words(text):
            add("読み", f"「{word}」の読みが分からないため、ルビが付きません。common.xlsx の用語シートに"
                       f"「{word}」と その読み（ひらがな）を書くか、ひらがなで書いてください。")
    return found


def _short(sentence: str, limit: int = 30) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


def translation_cells(path: Path) -> dict[str, str]:
    """場所 → `翻訳_easy.xlsx / 翻訳 / C12` for the 訳 cells of a translation workbook ({} if it cannot be read)."""
    from navigator.check.translations import TranslationReader
    from navigator.contract import sheets as schema
    from navigator.contract.problems import Report
    from navigator.read.workbook import WorkbookReadError, read_workbook

    try:
        workbook = read_workbook(path, (schema.TRANSLATIONS.sheet,))
    except (WorkbookReadError, OSError):
        return {}
    rows = TranslationReader(workbook, Report()).rows() or {}
    return {row.place: f"{path.name} / {schema.TRANSLATIONS.sheet} / {row.cell}" for row in rows.values() if row.cell}


def easy_lines(findings: list[EasyFinding], file_name: str = "翻訳_easy.xlsx") -> list[str]:
    """The section of the review report: a heading with the count, one line per finding (or なし)."""
    out = [f"■ やさしい日本語（{file_name}）: 長い文、二重否定、尊敬語・謙譲語、読みの分からない語（{len(findings)}件）"]
    out.extend([f.line() for f in findings] or ["  なし"])
    out.append("")
    return out
