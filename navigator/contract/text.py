"""How cell text is compared: the normalisation rules of docs/sheet-format.md, in one place."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from urllib.parse import urlsplit

# Characters Excel users paste in without seeing them.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _without_zero_width(text: str) -> str:
    # str.translate walks every character in Python objects; a regex search first is many times faster.
    return text.translate(_ZERO_WIDTH) if _HAS_ZERO_WIDTH.search(text) else text


# The full-width forms of ASCII (FF01–FF5E): each is, in NFKD, the ASCII character 0xFEE0 below it.
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_COMMONEST_FULL_WIDTH = (("（", "("), ("）", ")"))  # most of departments' full-width characters, in their sheets


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), several times faster for Japanese text (0.24 → 0.03 s for 39,000 cells).

    Full-width parentheses, digits and letters are most of what NFKC changes in a department's cells; each is
    replaced by its NFKD (the same NFKD for the text, so the same NFKC), and only a text still not normalised then
    is normalised whole (is_normalized is a quick check in C)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _COMMONEST_FULL_WIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", text):
        text = _FULL_WIDTH.sub(_narrow, text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text


def _narrow(match: re.Match) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def normalize_key(value: object) -> str:
    """The comparable form of a key (header, ID, choice, mark, range...).

    NFKC folds full-width and half-width forms together (`：` → `:`, `２` → `2`),
    zero-width characters are removed and surrounding spaces trimmed.
    """
    if value is None:
        return ""  # most cells of a sheet are empty: skip the work
    return _without_zero_width(unicodedata.normalize("NFKC", value if value.__class__ is str else cell_text(value))).strip()


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing a person sees: `normalize_key(value) == ""`, mostly without normalising.

    NFKC turns no character into nothing, and none but the spaces strip() removes into spaces alone: a text is
    blank only if each of its characters is a space or zero-width. An ASCII or kana/kanji first character
    (after the spaces) settles it at once."""
    if value is None:
        return True
    if value.__class__ is not str:
        return False  # a number, a date, TRUE/FALSE: something, even 0
    text = value.strip()
    if not text:
        return True
    first = text[0]
    if first < "\x80" or "\u3041" <= first <= "\u9fff":
        return False
    return not normalize_key(text)


def cell_text(value: object) -> str:
    """A cell's value as text, the way a person reading the sheet sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # 1.0 typed into a cell is the number 1: the same mark, the same value.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return value
    return str(value)


def display_text(value: object) -> str:
    """Text shown to residents: published as written, only trimmed."""
    return _without_zero_width(value if value.__class__ is str else cell_text(value)).strip()


def lines(value: object) -> list[str]:
    """Non-empty lines of a multi-line cell (Alt+Enter), each trimmed."""
    text = display_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


# A phone number as staff type it: half- or full-width digits, any of the hyphens Japanese input gives.
_DIGIT = "[0-9０-９]"
_HYPHEN = "[-‐‑‒–—―−ーｰ－]"
PHONE = re.compile(rf"(?<!{_DIGIT})([0０]{_DIGIT}{{1,4}}{_HYPHEN}{_DIGIT}{{1,4}}{_HYPHEN}{_DIGIT}{{3,4}}"
                   rf"|[0０]{_DIGIT}{{9,10}})(?!{_DIGIT})")


def tel_digits(number: str) -> str:
    """The digits of a phone number as a tel: link dials them (`０１２－３４５－６７８９` → `0123456789`)."""
    return re.sub(r"[^0-9+]", "", unicodedata.normalize("NFKC", number))


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest candidate to a mistyped word, if one is close enough to suggest."""
    key = normalize_key(word)
    if not key:
        return None
    by_key = {normalize_key(c): c for c in candidates}
    # Case-insensitive first: `ABC` for `abc` is the most common slip.
    for candidate_key, candidate in by_key.items():
        if candidate_key.casefold() == key.casefold():
            return candidate
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    if close:
        return by_key[close[0]]
    # Short Japanese words differ by a character or two; a containing match helps there.
    containing = [c for k, c in by_key.items() if len(key) >= 2 and (key in k or k in key) and len(k) >= 2]
    return containing[0] if len(containing) == 1 else None


def suggestion(word: str, candidates) -> str:
    """`（もしかして「…」？）` or nothing."""
    close = did_you_mean(word, candidates)
    return f"（もしかして「{close}」？）" if close else ""


def quote_list(items, limit: int | None = 8) -> str:
    """`「a」「b」「c」`: the first `limit` items and `ほかN件`; every item with limit=None (a list to choose from)."""
    items = list(items)
    if limit is None:
        limit = len(items)
    shown = "".join(f"「{item}」" for item in items[:limit])
    return shown + (f" ほか{len(items) - limit}件" if len(items) > limit else "")


# A Markdown link as python-markdown reads one: [text](address), [text](<address>), [text](address "title"); not an
# image (![…](…)), which the site does not show.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")  # (…) inside, as Markdown
_TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")
_OTHER_SCHEME = re.compile(r"(?i:mailto:\S|tel:[+0-9０-９(])")


def unusable_links(text: str) -> list[tuple[str, str]]:
    """(text, address) of each Markdown link in a cell whose address the site cannot open as written: none
    (`[申請書]()`), no https:// (`www.example.jp`: a page of the site itself), another scheme (`javascript:`), one
    the sanitiser drops (a space in it, `https://[…`, a full-width ／ in the host)."""
    if "](" not in text:
        return []
    found = []
    for match in _MARKDOWN_LINK.finditer(text):
        if match.start() and text[match.start() - 1] in "!\\":
            continue  # an image, or an escaped bracket: no link
        inside = match.group(2).strip()
        if inside.startswith("<") and ">" in inside:
            address = inside[1:inside.index(">")]
            opens = _opens(address.replace(" ", "%20"))  # between < >, a space is part of the address (Markdown encodes it)
        else:
            # What a quoted title leaves; a space not before one stays in the address.
            address = _TITLE.sub("", inside) if " " in inside or "\t" in inside else inside
            opens = _opens(address)
        if not opens:
            found.append((match.group(1), address))
    return found


def _opens(address: str) -> bool:
    return _OTHER_SCHEME.match(address) is not None or is_web_address(address)


# http(s)://, an ASCII host name, then the end, a port, a path, a query or a fragment; no space or control anywhere:
# what urlsplit finds well formed, told without it (most addresses are like this).
_PLAIN_WEB_ADDRESS = re.compile(r"(?i:https?)://[A-Za-z0-9.\-]+(?::[0-9]*)?(?:[/?#][^\s\x00-\x1f]*)?\Z")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # \s: exactly the characters str.isspace() accepts


def is_web_address(text: str) -> bool:
    """Whether `text` is an http(s) address with a host, as urlsplit reads it, with no space or control character:
    the URL columns' rule, and the one a link in a cell's text must meet."""
    if _PLAIN_WEB_ADDRESS.match(text):
        return True
    if _SPACE_OR_CONTROL.search(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:  # `https://[…`, a host that NFKC makes hold / ? # @ or : (`https://ｅｘａｍｐｌｅ／.jp`)
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
