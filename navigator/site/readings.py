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


Analyse = Callable[[str], list[Token]]


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def to_hiragana(text: str) -> str:
    """Katakana → hiragana (ァ..ヶ → ぁ..ゖ); the long mark ー and everything else as it is."""
    return text.translate(_KATAKANA_TO_HIRAGANA)


# ---------------------------------------------------------------- the analyser (one per process)

_tokenizer = None


def sudachi_tokens(text: str) -> list[Token]:
    """SudachiPy + sudachidict_core, split mode C (the longest units: 被災者, 世帯主 = せたいぬし): each word's
    surface and its reading (Sudachi's reading form, in hiragana)."""
    global _tokenizer
    if _tokenizer is None:
        # Imported only when a page is annotated: check and the other languages never pay for it.
        from sudachipy import Dictionary, SplitMode

        _tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    tokens: list[Token] = []
    append, plain, read = tokens.append, _plain_words, _read_words
    for m in _tokenizer.tokenize(text):
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
    return tokens


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
