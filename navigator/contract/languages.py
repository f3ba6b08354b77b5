"""The languages a site may be published in besides Japanese, and the translation workbooks' names and states.

docs/sheet-format.md, "Additions": 設定's 言語 lists codes of LANGUAGES, one a line; each language's
translations are in `翻訳_<code>.xlsx` (sheet 翻訳, contract/sheets.TRANSLATIONS).
"""

from __future__ import annotations

import unicodedata

from navigator.contract.text import did_you_mean

# code → its name in Japanese (for the coordinating division) and in English.
LANGUAGES: dict[str, tuple[str, str]] = {
    "easy": ("やさしい日本語", "Easy Japanese"),
    "en": ("英語", "English"),
    "zh-Hans": ("中国語（簡体字）", "Chinese (Simplified)"),
    "zh-Hant": ("中国語（繁体字）", "Chinese (Traditional)"),
    "ko": ("韓国語", "Korean"),
    "vi": ("ベトナム語", "Vietnamese"),
    "tl": ("タガログ語", "Tagalog"),
    "pt": ("ポルトガル語", "Portuguese"),
    "ne": ("ネパール語", "Nepali"),
    "id": ("インドネシア語", "Indonesian"),
    "my": ("ミャンマー語", "Burmese"),
    "th": ("タイ語", "Thai"),
    "es": ("スペイン語", "Spanish"),
}
CODES = tuple(LANGUAGES)

TRANSLATION_PREFIX = "翻訳_"
TRANSLATION_SUFFIXES = (".xlsx", ".xlsm")

CONFIRMED = "確認済み"  # checked by a person
MACHINE = "機械翻訳"  # machine translation, shown with a notice
STATES = (CONFIRMED, MACHINE)  # a 訳 with another 状態 (or none) is not published


def codes_text() -> str:
    """`easy（やさしい日本語）、en（英語）、…`: the codes as a message names them."""
    return "、".join(f"{code}（{names[0]}）" for code, names in LANGUAGES.items())


def language_code(text: str) -> str | None:
    """The code as LANGUAGES spells it (`EN`, `ｅｎ`, `zh-hans` are known), or None."""
    key = unicodedata.normalize("NFKC", text).strip().casefold().replace("_", "-")
    return next((code for code in CODES if code.casefold() == key), None)


# Codes people write for the same languages (region tags, other standards).
_ALIASES = {"zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "fil": "tl", "kr": "ko",
            "jp-easy": "easy", "ja-easy": "easy", "yasashii": "easy", "bur": "my", "mya": "my", "vn": "vi"}


def likely_code(text: str) -> str | None:
    """The code meant by an unknown one: `en-US` → en, `zh-TW` → zh-Hant, `EASY ` → easy; None when none is close."""
    key = unicodedata.normalize("NFKC", text).strip().casefold().replace("_", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    return language_code(key.split("-")[0]) or did_you_mean(key, CODES)


def code_suggestion(text: str) -> str:
    """`（もしかして「en」？）` or nothing."""
    code = likely_code(text)
    return f"（もしかして「{code}」？）" if code else ""


def translation_file_code(file_name: str) -> str | None:
    """`翻訳_en.xlsx` → `en` (as written, known or not); None for a file that is not a translation workbook."""
    name = unicodedata.normalize("NFKC", file_name)
    lower = name.lower()
    suffix = next((s for s in TRANSLATION_SUFFIXES if lower.endswith(s)), None)
    if suffix is None or not name.startswith(TRANSLATION_PREFIX):
        return None
    return name[len(TRANSLATION_PREFIX):-len(suffix)]


def translation_file_name(code: str) -> str:
    return f"{TRANSLATION_PREFIX}{code}.xlsx"
