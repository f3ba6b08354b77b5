"""申請期限: a date cell, a date written as text in a known form (西暦 or 和暦), or other text kept as text."""

from __future__ import annotations

import datetime as dt
import re

from navigator.contract.text import display_text, normalize_key
from navigator.model import (
    Deadline,
)

_DATE_FORMS = (
    re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_ERA = re.compile(r"^(令和|平成)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_ERA_START = {"令和": 2018, "平成": 1988}


def parse_deadline(raw: object) -> Deadline | None:
    """申請期限: a date cell, a date written as text in a known form, or other text kept as text."""
    if isinstance(raw, dt.datetime):
        return Deadline(raw.date(), display_text(raw.date().isoformat()))
    if isinstance(raw, dt.date):
        return Deadline(raw, raw.isoformat())
    text = display_text(raw)
    if not text:
        return None
    key = re.sub(r"\s+", "", normalize_key(text))
    for form in _DATE_FORMS:
        match = form.match(key)
        if match:
            return Deadline(_date_or_none(*map(int, match.groups())), text)
    match = _ERA.match(key)
    if match:
        era, year, month, day = match.groups()
        year_number = 1 if year == "元" else int(year)
        return Deadline(_date_or_none(_ERA_START[era] + year_number, int(month), int(day)), text)
    return Deadline(None, text)


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # 2027/2/30 is not a date; shown as written
