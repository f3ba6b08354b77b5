"""申請期限: a date cell, a date written as text in a known form (西暦 or 和暦), or other text kept as text.

Text kept as text that is a date in another form (`R9.3.31`, `9/3/31`, `令和9年3月末`, `2027.3.31`,
with or without まで) is the date it might mean (`date_it_might_mean`): the check warns with it.
"""

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
# A date in a form not read: 和暦 (令和, R, 平成, H) or 西暦, or a year of 1-2 digits taken as 令和; 年月日 or . / -
# between; a day or 末 (the month's last day); the whole text but for a final まで.
_ERA_NAMES = {"令和": "令和", "R": "令和", "平成": "平成", "H": "平成"}
_OTHER_DATE = re.compile(r"(?P<era>令和|平成|R|H)?(?P<year>元|\d{1,4})(?:年|[./-])(?P<month>\d{1,2})(?:月|[./-])"
                         r"(?P<day>\d{1,2}|末)日?(?:まで|迄)?", re.IGNORECASE)


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


def date_it_might_mean(text: str) -> dt.date | None:
    """The date a 申請期限 text not read as a date seems to mean (`R9.3.31` → 2027-03-31), or None."""
    match = _OTHER_DATE.fullmatch(re.sub(r"\s+", "", normalize_key(text)))
    if match is None:
        return None
    era, year, month, day = match.group("era", "year", "month", "day")
    if year == "元" and not era:
        return None
    year_number = 1 if year == "元" else int(year)
    if era:
        if year_number > 99:
            return None
        year_number += _ERA_START[_ERA_NAMES[era.upper()]]
    elif year_number < 100:
        year_number += _ERA_START["令和"]  # 9/3/31: 令和9年
    elif year_number < 1900:
        return None
    if day == "末":
        next_month = dt.date(year_number + int(month) // 12, int(month) % 12 + 1, 1) if 1 <= int(month) <= 12 else None
        return next_month - dt.timedelta(days=1) if next_month else None
    return _date_or_none(year_number, int(month), int(day))


def japanese_date(date: dt.date) -> str:
    """令和9年3月31日 (平成 before 2019-05-01, 西暦 before 1989-01-08)."""
    if date >= dt.date(2019, 5, 1):
        era, year = "令和", date.year - _ERA_START["令和"]
    elif date >= dt.date(1989, 1, 8):
        era, year = "平成", date.year - _ERA_START["平成"]
    else:
        era, year = "", date.year
    return f"{era}{'元' if era and year == 1 else year}年{date.month}月{date.day}日"
