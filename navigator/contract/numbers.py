"""How a resident's answer to a 数値 question is read: the number, its unit as people write it, the allowed range.

The same rules for `navigator match --answer` and the page (flow.js carries `units`, `whole`, `min`
and `max` for each 数値 question, so the page reads answers with these same rules).
"""

from __future__ import annotations

import math
import re

from navigator.contract.text import normalize_key

# The ways people write a unit after the number, each group one unit (compared after normalisation: ７８才 is 78才).
UNIT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("歳", "才", "さい"),
    ("人", "名", "にん"),
    ("か月", "カ月", "ヶ月", "ケ月", "ヵ月", "箇月", "月"),
    ("年", "年間"),
    ("日", "日間"),
)
# Units of things counted one by one: a fraction of them means a typing mistake.
WHOLE_UNITS = frozenset({"人", "名", "歳", "才", "件", "台", "回", "世帯", "棟", "戸", "軒", "か所", "箇所", "社", "枚", "個",
                         "匹", "頭", "校", "本"})

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class NumberAnswerError(ValueError):
    """An answer that is not a number the question accepts; the message (without a final 。) says what is."""


def accepted_units(unit: str) -> tuple[str, ...]:
    """The unit and the other ways of writing it, as they may follow the number (normalised)."""
    unit = normalize_key(unit)
    if not unit:
        return ()
    group = next((group for group in UNIT_GROUPS if unit in group), ())
    return (unit, *(written for written in group if written != unit))


def whole_numbers(unit: str) -> bool:
    return normalize_key(unit) in WHOLE_UNITS


def range_words(minimum: float, maximum: float | None, unit: str) -> str:
    """`0〜20人`, `1人以上`: the answers a question accepts, in words."""
    if maximum is None:
        return f"{minimum:g}{unit}以上"
    return f"{minimum:g}〜{maximum:g}{unit}"


# Example ranges (以上, 未満, from〜to, exactly) that read naturally for a unit; the default ones for any other unit.
_UNIT_EXAMPLES = {"歳": (65, 18, (6, 15), 3)}
_DEFAULT_EXAMPLES = (2, 5, (1, 3), 1)


def range_examples(unit: str, minimum: float = 0, maximum: float | None = None) -> tuple[str, ...]:
    """`2人以上`, `5人未満`, `1〜3人`, `1人`: ranges a 数値 question's condition cell might hold, in its 単位 and
    between its 最小値 and 最大値 (`65歳以上` … for 歳; numbers spread over 最小値〜最大値 when the usual ones do not fit)."""
    key = normalize_key(unit)
    group = next((group[0] for group in UNIT_GROUPS if key in group), key)

    def fits(at_least: float, below: float, between: tuple[float, float], exactly: float) -> bool:
        top = float("inf") if maximum is None else maximum
        low, high = between
        return minimum < at_least <= top and minimum < below <= top and minimum <= low < high <= top and minimum <= exactly <= top

    for examples in (_UNIT_EXAMPLES.get(group), _DEFAULT_EXAMPLES):
        if examples is not None and fits(*examples):
            at_least, below, (low, high), exactly = examples
            break
    else:  # a narrow or far-off 最小値〜最大値: quarters of it, rounded to its scale (whole numbers from a span of 2)
        span = (maximum if maximum is not None else minimum + 4) - minimum
        scale = 10 ** math.floor(math.log10(span / 4)) if span > 0 else 1
        if span >= 2 or whole_numbers(unit):
            scale = max(scale, 1)
        at_least, below, low, high, exactly = (round((minimum + span / 4 * k) / scale) * scale
                                               for k in (2, 3, 1, 2, 1))
    return (f"{at_least:g}{unit}以上", f"{below:g}{unit}未満", f"{low:g}〜{high:g}{unit}", f"{exactly:g}{unit}")


def plain_number(text: str) -> float | None:
    """`20`, `２０`, `-1`, `1.5`, `1,000` as a number (no unit); None for anything else."""
    key = re.sub(r"[,\s]", "", normalize_key(text))
    return float(key) if _NUMBER.fullmatch(key) else None


def read_number(text: str, unit: str, minimum: float = 0, maximum: float | None = None) -> float:
    """`78`, `78歳`, `７８才`, `78 歳`, `1,200`, `+3`, `3。` → the number; NumberAnswerError saying what is accepted otherwise.

    The page (navi.js readNumber) reads typed answers the same way, from the `units` and `whole` flow.js carries.
    """
    key = re.sub(r"[,\s]", "", normalize_key(text))
    key = re.sub(r"^[\u2212\u2010-\u2015]", "-", key).removeprefix("+").removesuffix("。").removesuffix("｡")
    for written in sorted(accepted_units(unit), key=len, reverse=True):
        if key.endswith(written) and len(key) > len(written):
            key = key[:-len(written)]
            break
    allowed = range_words(minimum, maximum, unit) + ("の整数" if whole_numbers(unit) else "の数")
    if not _NUMBER.fullmatch(key):
        raise NumberAnswerError(f"「{text}」は数として読めません。{allowed}で答えてください")
    number = float(key)
    if number < minimum or (maximum is not None and number > maximum) or (whole_numbers(unit) and not number.is_integer()):
        raise NumberAnswerError(f"「{text}」は受け付けられません。{allowed}で答えてください")
    return number
