"""contract/text.py: how a cell's text is compared, and when a cell counts as empty."""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from navigator.check.validate import validate_folder
from navigator.contract.text import display_text, is_blank, nfkc, normalize_key

SPACES_AND_INVISIBLES = " \t\n\r\u00a0\u3000\u2003\u200b\u200c\u200d\u2060\ufeff\u00ad"


def test_a_cell_is_blank_exactly_when_its_key_is_empty_for_every_character():
    """is_blank's shortcut (no NFKC for an ASCII or kana/kanji first character) against the definition, for every
    code point alone, after spaces and before a zero-width space."""
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters a cell can hold
        character = chr(code)
        for text in (character, f"\u3000 {character}", f"{character}\u200b"):
            assert is_blank(text) == (normalize_key(text) == ""), repr(text)


@given(st.text(alphabet=st.one_of(st.sampled_from(SPACES_AND_INVISIBLES), st.characters()), max_size=12))
def test_any_text_is_blank_exactly_when_its_key_is_empty(text):
    assert is_blank(text) == (normalize_key(text) == "")


def test_values_that_are_not_text_are_never_blank_and_nothing_is():
    assert is_blank(None)
    assert not any(is_blank(value) for value in (0, 0.0, False, dt.date(2027, 3, 31), dt.time(0, 0)))


def test_keys_fold_widths_and_drop_invisible_characters_while_displayed_text_keeps_the_widths():
    assert normalize_key(" 住家被害：全壊\u200b ") == "住家被害:全壊"
    assert normalize_key("ＡＢＣ１２３") == "ABC123"
    assert normalize_key(1.0) == "1"
    assert display_text(" ＡＢＣ：\u200b全壊 ") == "ＡＢＣ：全壊"


def test_each_full_width_form_of_ascii_is_in_nfkd_the_character_it_is_made_one():
    """What nfkc's shortcut rests on: replacing one of them by its narrow form leaves the text's NFKD as it was."""
    for code in range(0xFF01, 0xFF5F):
        assert unicodedata.normalize("NFKD", chr(code)) == chr(code - 0xFEE0)


# Texts where a shortcut could go wrong: full-width forms before combining marks (Ａ + ́ composes to Á), kana before
# their voicing marks, half-width katakana, Hangul jamo, compatibility characters (①, ㍻), and plain Japanese.
TRICKY = "（）：？！～１２Ａｚ\u0301\u0308\u3099\u309a\u309b\uff76\uff9e\u1100\u1161\u11a8①㍻ｶかがAa (:)語\u3000\u00a0"


@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=16))
def test_nfkc_is_unicodedatas_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_is_unicodedatas_nfkc_for_every_text_of_the_sample_programs():
    """sheets/: Kumamoto's real programs, with the full-width parentheses and digits departments type."""
    site = validate_folder(Path(__file__).resolve().parents[1] / "sheets").site
    texts = [text for program in site.programs for text in (program.name, program.summary, program.target,
                                                            program.benefit, program.how_to_apply) if text]
    assert len(texts) > 200 and any("（" in text for text in texts)
    assert [nfkc(text) for text in texts] == [unicodedata.normalize("NFKC", text) for text in texts]
