"""Parsing the condition language of the sheets: numeric ranges and 表示条件 choice lists.

Parsing only; what a condition means for a resident's answers is in rules.py.
"""

from __future__ import annotations

import re

from navigator.contract.text import normalize_key
from navigator.model import Range

_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RANGE_DASH = "〜~"  # NFKC turns the full-width ～ into ~; the wave dash 〜 stays


class RangeError(ValueError):
    pass


class ReversedRangeError(RangeError):
    """Both ends readable, but the first is above the second (`5〜2`)."""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_range(raw: object, unit: str = "") -> Range:
    """Read a range such as `65歳以上`, `2〜4`, `1以上3未満` or `3` (exactly 3).

    Each number may be followed by the question's unit. Raises RangeError.
    """
    if isinstance(raw, bool):
        raise RangeError("not a range")
    if isinstance(raw, (int, float)):
        return Range(float(raw), True, float(raw), True, normalize_key(raw))
    text = normalize_key(raw)
    compact = re.sub(r"\s+", "", text)
    unit_key = re.escape(re.sub(r"\s+", "", normalize_key(unit))) if unit else ""
    num = f"({_NUMBER})(?:{unit_key})?" if unit_key else f"({_NUMBER})"
    patterns = (
        (rf"^{num}(以上|超){num}(以下|未満)$", "both"),
        (rf"^{num}[{_RANGE_DASH}]{num}$", "dash"),
        (rf"^{num}(以上|以下|超|未満)$", "one"),
        (rf"^{num}$", "exact"),
    )
    for pattern, form in patterns:
        match = re.match(pattern, compact)
        if not match:
            continue
        if form == "exact":
            value = _number(match.group(1))
            return Range(value, True, value, True, text)
        if form == "one":
            value, word = _number(match.group(1)), match.group(2)
            if word in ("以上", "超"):
                return Range(value, word == "以上", None, False, text)
            return Range(None, False, value, word == "以下", text)
        if form == "dash":
            low, high = _number(match.group(1)), _number(match.group(2))
            low_inclusive = high_inclusive = True
        else:
            low, high = _number(match.group(1)), _number(match.group(3))
            low_inclusive, high_inclusive = match.group(2) == "以上", match.group(4) == "以下"
        if low > high:
            raise ReversedRangeError("low above high")
        return Range(low, low_inclusive, high, high_inclusive, text)
    raise RangeError("not a range")


def split_choices(text: str, choices: tuple[str, ...]) -> list[str] | None:
    """Split a 表示条件 value such as `全壊、大規模半壊` into known choices.

    Choices are separated by `,` or `、`, but a choice that itself contains one (like
    `残っていない、ない`) is recognised whole. Returns the choices as written in 質問, or
    None when the text cannot be read as known choices.
    """
    by_key = {normalize_key(choice): choice for choice in choices}
    boundaries = [-1] + [i for i, ch in enumerate(text) if ch in ",、"] + [len(text)]
    # reachable[i]: the choices read so far when a parse ends at boundary i.
    reachable: dict[int, list[str]] = {0: []}
    for start in range(len(boundaries)):
        if start not in reachable:
            continue
        for end in range(start + 1, len(boundaries)):
            piece = normalize_key(text[boundaries[start] + 1:boundaries[end]])
            if piece in by_key and end not in reachable:
                reachable[end] = reachable[start] + [by_key[piece]]
    return reachable.get(len(boundaries) - 1)


def unknown_pieces(text: str, choices: tuple[str, ...]) -> list[str]:
    """The separator-split parts of a 表示条件 value that are not choices (for the message)."""
    keys = {normalize_key(choice) for choice in choices}
    pieces = [normalize_key(p) for p in re.split("[,、]", text)]
    return [p for p in pieces if p and p not in keys]
