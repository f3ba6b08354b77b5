"""The analyser's words and their readings, for the ルビ of the やさしい日本語 pages (site/ruby.py walks the pages).

    sudachi_tokens("被災者の申請")   # [Token("被災者", "ひさいしゃ"), Token("の", ""), Token("申請", "しんせい")]
    word_ruby("書いて", "かいて")     # <ruby>書<rp>(</rp><rt>か</rt><rp>)</rp></ruby>いて: okurigana outside

SudachiPy with the sudachidict_core dictionary, split mode C, one tokenizer per process, imported only when the
first text is read (check and the other languages never pay for it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

# Kanji, and the marks written as part of a kanji word: 々 (佐々木), 〆, ヶ (霞ヶ関, 3ヶ月).
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆ヶ"
HAS_KANJI = re.compile(f"[{KANJI}]")
_KANJI_RUN = re.compile(f"[{KANJI}]+")
_READ = re.compile(f"[{KANJI}0-9０-９]")  # a word whose reading counts: kanji, or digits (3日 = みっか)


class Token(NamedTuple):
    """One word of the analyser's (a tuple: a page's text makes hundreds of thousands of them)."""

    surface: str
    reading: str  # hiragana; "" when the analyser has none (or the word has no kanji and no digits: none is shown)
    unknown: bool = False  # the analyser does not know the word (its reading, if any, is a guess)
    whole: bool = False  # one ruby over the whole surface, digits included (2人 = ふたり)


# How each digit is read when a number is read digit by digit or as a plain number (Sudachi reads 10 as いちれい).
_DIGIT_READINGS = {"0": ("れい", "ぜろ", "まる"), "1": ("いち", "じゅう"), "2": ("に",), "3": ("さん",), "4": ("よん", "し"),
                   "5": ("ご",), "6": ("ろく",), "7": ("なな", "しち"), "8": ("はち",), "9": ("きゅう", "く")}
_NUMBER_MARKS = str.maketrans("", "", ",，.．")


def irregular(number: Token, prefix: bool = False) -> bool:
    """Whether the analyser reads these digits otherwise than digit by digit (3 = みっ before 日: みっか); with
    `prefix`, whether the reading does not begin with the digits read so (1人 = ひとり, but 3万 = さんまん)."""
    digits = [c for c in number.surface if c.isdigit()]
    reading = number.reading.translate(_NUMBER_MARKS)
    if not reading or not digits:
        return False
    # Where in the reading each way of reading the digits so far can end (no regex: every phone number and
    # amount is a new sequence of digits, and compiling a pattern for each cost more than the analyser).
    ends = {0}
    for digit in digits:
        ways = _DIGIT_READINGS.get(str(int(digit)), ("",))
        ends = {end + len(way) for end in ends for way in ways if reading.startswith(way, end)}
        if not ends:
            return True
    return False if prefix else len(reading) not in ends


# Days and minutes after a number, which Sudachi reads wrong more often than not (12月4日 よんか, 2日 ににち, 14日
# いちよんか, 30分 さんじゅうふん): read here. A number whose sound changes gets one ruby over both (2日 = ふつか,
# 10分 = じゅっぷん); any other keeps its digits bare and its counter read alone (28 + 日 = にち, 15 + 分 = ふん).
_DAYS = {1: "いちにち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか", 8: "ようか",
         9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか"}
_FIRST_OF_THE_MONTH = "ついたち"  # 4月1日; a day alone (1日3回) is いちにち
_MINUTES = {1: "いっぷん", 6: "ろっぷん", 8: "はっぷん", 10: "じゅっぷん", 20: "にじゅっぷん", 30: "さんじゅっぷん",
            40: "よんじゅっぷん", 50: "ごじゅっぷん"}
_COUNTERS = {"日": "", "日間": "かん", "分": "", "分間": "かん"}  # the counter and what its 間 adds


def counted(number: str, counter: Token, after_month: bool) -> Token | None:
    """The token for the digits `number` and the 日 / 日間 / 分 / 分間 after them (`after_month`: the digits follow
    月, a date), or None for any other counter, and for a 分 the analyser does not read as minutes (2分の1 = にぶんの
    いち: it does). A whole token replaces both; any other, the counter alone."""
    suffix = _COUNTERS.get(counter.surface)
    if suffix is None or counter.surface[0] == "分" and not counter.reading.startswith("ふん"):
        return None
    counter = counter.surface
    digits = number.translate(_NUMBER_MARKS)
    value = int(digits) if digits.isdigit() else None  # int() reads full-width digits (１４) too
    if counter[0] == "日":
        if value == 1 and after_month and not suffix:
            return Token(number + counter, _FIRST_OF_THE_MONTH, whole=True)
        if value in _DAYS:
            return Token(number + counter, _DAYS[value] + suffix, whole=True)
        return Token(counter, "にち" + suffix)
    if value in _MINUTES:
        return Token(number + counter, _MINUTES[value] + suffix, whole=True)
    return Token(counter, ("ぷん" if digits[-1:] in "134680" else "ふん") + suffix)  # 13分 ぷん, 15分 ふん


Analyse = Callable[[str], list[Token]]


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def to_hiragana(text: str) -> str:
    """Katakana → hiragana (ァ..ヶ → ぁ..ゖ); the long mark ー and everything else as it is."""
    return text.translate(_KATAKANA_TO_HIRAGANA)


# ---------------------------------------------------------------- the analyser (one per process)

_tokenizer = None


def load_analyser() -> None:
    """Load Sudachi's dictionary now, if not yet (a build does before it forks its workers: they share it then,
    instead of each loading its own)."""
    global _tokenizer
    if _tokenizer is None:
        # Imported only when a page is annotated: check and the other languages never pay for it.
        from sudachipy import Dictionary, SplitMode

        _tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def sudachi_tokens(text: str) -> list[Token]:
    """SudachiPy + sudachidict_core, split mode C (the longest units: 被災者, 世帯主 = せたいぬし): each word's
    surface and its reading (Sudachi's reading form, in hiragana)."""
    if _tokenizer is None:
        load_analyser()
    tokens: list[Token] = []
    append, plain, read = tokens.append, _plain_words, _read_words
    morphemes = _tokenizer.tokenize(text)
    for m in morphemes:
        surface = m.surface()
        token = plain.get(surface)
        if token is None:
            if not _READ.search(surface):  # kana, Latin, signs: shown as they are, their reading never used
                token = plain[surface] = _new_token(Token, (surface, "", False, False))
            else:
                form = m.reading_form()
                token = read.get((surface, form))
                if token is None:
                    token = _read_token(m, surface, form)
        append(token)
    if len(plain) + len(read) > _WORDS_KEPT:
        plain.clear()
        read.clear()
    if "方" in text:
        _person_or_side(morphemes, tokens)
    if _WEEKDAY_AFTER_DATE.search(text):
        _weekdays(tokens)
    return tokens


# The day of the week after a date, as departments write it: 12月28日（月）, 1月3日（月・祝）, 平日（月〜金）. Sudachi
# reads each kanji as a word of its own (月 がつ, 水 みず, 火 ひ).
_WEEKDAYS = {"月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち", "祝": "しゅく"}
_WEEKDAY_TOKENS = {kanji: Token(kanji, reading) for kanji, reading in _WEEKDAYS.items()}
_BETWEEN_WEEKDAYS = frozenset("・〜～-－、,")
_OPENING, _CLOSING = frozenset("（("), frozenset("）)")
_WEEKDAY_AFTER_DATE = re.compile(f"日[（(][{''.join(_WEEKDAYS)}]")  # the texts worth a look


def _weekdays(tokens: list[Token]) -> None:
    """Each bracket of days of the week right after a date's 日 (or 平日) read as the days of the week."""
    count = len(tokens)
    for i, token in enumerate(tokens):
        if token.surface not in _OPENING or i == 0 or not tokens[i - 1].surface.endswith("日"):
            continue
        end = i + 1
        while end < count and (tokens[end].surface in _WEEKDAYS or tokens[end].surface in _BETWEEN_WEEKDAYS):
            end += 1
        if end == i + 1 or end == count or tokens[end].surface not in _CLOSING:
            continue
        for inside in range(i + 1, end):
            tokens[inside] = _WEEKDAY_TOKENS.get(tokens[inside].surface, tokens[inside])


# Sudachi's dictionary reads 方 alone as ほう (a side) after most words: 申請する方, 高齢の方, お住まいの方 all came out
# ほう (44 of the 51 in the Kumamoto programs, every one of them a person). In what a city writes to its residents
# 方 alone is a person, かた, but where it compares (早めに申請した方がよい, こちらの方が早い) or follows a direction (北の方へ).
_PERSON = Token("方", "かた")
_DIRECTIONS = frozenset("東 西 南 北 上 下 右 左 前 後 後ろ 奥 手前 向こう こちら そちら あちら どちら こっち そっち あっち どっち"
                        .split())
_HOW_MANY = frozenset("多い 少ない 多く おおい すくない".split())  # 利用する方が多い: many people use it
_COMPARED = frozenset("便利 有利 安心 安全 確実 簡単 得 お得 大切 必要 楽".split())  # nouns to Sudachi, compared as adjectives


def _person_or_side(morphemes, tokens: list[Token]) -> None:
    """Each 方 read ほう in `tokens` (one per morpheme) made かた unless it compares or follows a direction."""
    count = len(tokens)
    for i, token in enumerate(tokens):
        if token.surface != "方" or token.reading != "ほう":
            continue
        before = i - 2 if i >= 2 and tokens[i - 1].surface == "の" else i - 1
        if before >= 0 and tokens[before].surface in _DIRECTIONS:
            continue
        if i + 2 < count and tokens[i + 1].surface == "が":
            after = morphemes[i + 2]
            if (after.part_of_speech()[0] in ("形容詞", "形状詞") or after.surface() in _COMPARED) \
                    and after.surface() not in _HOW_MANY:
                continue
        tokens[i] = _PERSON


# Each word as a Token once: a few thousand words (の, を, 被災者, 申請) make most of every text's 16 words, and each
# new Token cost more than the analyser's own call. Cleared when it holds this many (every number is a new word).
_plain_words: dict[str, Token] = {}
_read_words: dict[tuple[str, str], Token] = {}
_WORDS_KEPT = 100_000


def _read_token(morpheme, surface: str, form: str) -> Token:
    reading = to_hiragana(form)
    # Sudachi calls some words it reads out of vocabulary (一 in 一時に, a number with 万): only a reading that is
    # still kanji (an unknown word's reading is its surface) means it could not read the word.
    if reading and not HAS_KANJI.search(reading):  # whether Sudachi knew the word does not matter: kept
        token = _read_words[surface, form] = _new_token(Token, (surface, reading, False, False))
        return token
    unknown = morpheme.is_oov()
    return _new_token(Token, (surface, "" if unknown else reading, unknown, False))


# Token(...) goes through a Python-level __new__ that fills in the defaults: the easy edition of 1,000 programs
# makes 130,000 tokens.
_new_token = tuple.__new__


# ---------------------------------------------------------------- ruby for one word


def ruby(base: str, reading: str) -> str:
    return f"<ruby>{base}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>"


@lru_cache(maxsize=65536)  # the same words come back on every page (被災者, 申請, 証明書)
def word_ruby(surface: str, reading: str) -> str:
    """One word as HTML: a ruby on each kanji run, the kana between them (okurigana) outside.

    The surface's kana are matched in the reading (書いて / かいて: 書 = か); when they cannot be
    (a reading that does not contain them), the span from the first to the last kanji gets the
    reading with the surface's leading and trailing kana taken off."""
    runs = list(_KANJI_RUN.finditer(surface))
    if not runs or not reading:
        return surface
    pattern, pos = [], 0
    for run in runs:
        pattern.append(re.escape(to_hiragana(surface[pos:run.start()])))
        pattern.append("(.+?)")
        pos = run.end()
    pattern.append(re.escape(to_hiragana(surface[pos:])))
    match = re.fullmatch("".join(pattern), reading)
    if match:
        out, pos = [], 0
        for run, rt in zip(runs, match.groups()):
            out.append(surface[pos:run.start()])
            out.append(ruby(run.group(), rt))
            pos = run.end()
        out.append(surface[pos:])
        return "".join(out)
    start, end = runs[0].start(), runs[-1].end()
    head, tail = to_hiragana(surface[:start]), to_hiragana(surface[end:])
    rt = reading
    if head and rt.startswith(head):
        rt = rt[len(head):]
    if tail and rt.endswith(tail):
        rt = rt[:len(rt) - len(tail)]
    return surface[:start] + ruby(surface[start:end], rt or reading) + surface[end:]
