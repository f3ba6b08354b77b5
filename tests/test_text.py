"""contract/text.py: how a cell's text is compared, and when a cell counts as empty."""

from __future__ import annotations

import datetime as dt
import sys

from hypothesis import given
from hypothesis import strategies as st

from navigator.contract.text import display_text, is_blank, normalize_key

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
