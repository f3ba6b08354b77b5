"""The interface's own words (buttons, headings, messages) and formats, in each language of the site.

The words are written in Japanese in the templates (`{{ _("…") }}`), the page's JavaScript
(`_("…")`, static/i18n.js) and the site's Python (`interface.gettext("…")`); each other language's
are a gettext catalog, `site_templates/locales/<code>.po`, kept with Babel
(`python -m navigator.tooling.messages` extracts the words and updates every catalog; docs/languages.md
says how a city corrects one). One catalog serves both runtimes: the build gives the page's
JavaScript the entries its files use, as `<code>/messages.js`.

A missing or fuzzy entry is shown in Japanese (tests/test_interface_catalogs.py fails on one).
Values are written `%(name)s` in both runtimes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as htmllib
import json
from dataclasses import dataclass, field
from pathlib import Path

from navigator.contract import languages as lang
from navigator.site.templates import templates_dir

JAPANESE = "ja"  # the site's own language: its pages at the root, its words the templates' own

# The language's name in itself, for the switcher (a resident looks for their own language's name).
OWN_NAMES: dict[str, str] = {
    "ja": "日本語",
    "easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "中文（简体）",
    "zh-Hant": "中文（繁體）",
    "ko": "한국어",
    "vi": "Tiếng Việt",
    "tl": "Tagalog",
    "pt": "Português",
    "ne": "नेपाली",
    "id": "Bahasa Indonesia",
    "my": "မြန်မာဘာသာ",
    "th": "ภาษาไทย",
    "es": "Español",
}
# `<html lang>` and hreflang (BCP 47): やさしい日本語 is Japanese, told apart by the path only.
HTML_LANG: dict[str, str] = {"easy": "ja"}
# og:locale of link previews: the territory whose residents most read the language in Japan.
OG_LOCALES: dict[str, str] = {"ja": "ja_JP", "easy": "ja_JP", "en": "en_US", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW",
                              "ko": "ko_KR", "vi": "vi_VN", "tl": "tl_PH", "pt": "pt_BR", "ne": "ne_NP", "id": "id_ID",
                              "my": "my_MM", "th": "th_TH", "es": "es_PE"}
# Babel's locale for dates (やさしい日本語: Japanese).
BABEL_LOCALE: dict[str, str] = {"ja": "ja", "easy": "ja", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}


def N_(message: str) -> str:
    """A word for the catalogs, translated where it is shown (language.gettext): the extraction finds it by this name."""
    return message


def locales_dir() -> Path:
    return templates_dir() / "locales"


def catalog_path(code: str) -> Path:
    return locales_dir() / f"{code}.po"


@dataclass(frozen=True)
class Interface:
    """One language's interface: its words (msgid → translation), where each is used, and its formats."""

    code: str
    messages: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    script_ids: frozenset[str] = field(default=frozenset(), repr=False, compare=False)  # msgids of the JavaScript

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.code, self.code)

    @property
    def hreflang(self) -> str:
        # やさしい日本語 is Japanese; a private-use subtag tells its pages from the Japanese ones (BCP 47).
        return "ja-x-easy" if self.code == "easy" else self.html_lang

    @property
    def og_locale(self) -> str:
        """og:locale (language_TERRITORY), for link previews."""
        return OG_LOCALES.get(self.code, "ja_JP")

    @property
    def own_name(self) -> str:
        return OWN_NAMES[self.code]

    @property
    def is_japanese(self) -> bool:
        return self.code == JAPANESE

    @property
    def prefix(self) -> str:
        """Where the language's pages are, from the site root: `` (Japanese) or `en/`."""
        return "" if self.is_japanese else f"{self.code}/"

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        # The words are written without plural forms (Japanese has none; a catalog words a count neutrally).
        return self.gettext(singular if count == 1 else plural)

    def format(self, message: str, **values) -> str:
        return self.gettext(message) % values if values else self.gettext(message)

    def script_messages(self) -> dict[str, str]:
        """The translations the page's JavaScript uses (static/i18n.js reads them from messages.js)."""
        return {msgid: text for msgid, text in self.messages.items() if msgid in self.script_ids}

    def date(self, day: dt.date) -> str:
        """A date as residents of the language write it: Japanese with both calendars, others by Babel."""
        if self.code in (JAPANESE, "easy"):
            return japanese_date(day)
        from babel.dates import format_date

        return format_date(day, format="full", locale=BABEL_LOCALE.get(self.code, self.code))


WEEKDAYS = "月火水木金土日"


def japanese_date(day: dt.date) -> str:
    """`2027年（令和9年）3月31日（水）`: residents read both calendars."""
    era = ""
    if day >= dt.date(2019, 5, 1):
        year = day.year - 2018
        era = f"（令和{'元' if year == 1 else year}年）"
    return f"{day.year}年{era}{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def messages_script(interface: Interface, furigana=None) -> bytes:
    """`<code>/messages.js`: window.NavigatorMessages for static/i18n.js (a file: the site's CSP runs no inline script).

    With `furigana` (the やさしい日本語 edition's, site/ruby.py), also window.NavigatorRuby: each translation that has
    kanji → its HTML with ルビ, %(name)s kept, for the words the page's JavaScript writes (i18n.js puts them in)."""
    messages = interface.script_messages()
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    script = f"window.NavigatorMessages = {text};\n"
    if furigana is not None:
        ruby = {}
        for translation in sorted(set(messages.values())):
            html = furigana.annotate(htmllib.escape(translation, quote=False))
            if "<ruby>" in html:
                ruby[translation] = html
        script += f"window.NavigatorRuby = {json.dumps(ruby, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n"
    return script.encode("utf-8")


@functools.cache
def interface(code: str) -> Interface:
    """The language's interface; Japanese has no catalog (its words are the templates' own)."""
    if code == JAPANESE:
        return Interface(code)
    if code not in lang.LANGUAGES:
        raise KeyError(code)
    path = catalog_path(code)
    if not path.is_file():
        return Interface(code)
    messages, script_ids = read_catalog(path)
    return Interface(code, messages, script_ids)


def read_catalog(path: Path) -> tuple[dict[str, str], frozenset[str]]:
    """A .po file's translated, not fuzzy entries, and the msgids used in JavaScript (by their locations)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po)
    messages: dict[str, str] = {}
    script_ids: set[str] = set()
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.id, str) or not message.string:
            continue
        messages[message.id] = message.string
        if any(location.endswith(".js") for location, _ in message.locations):
            script_ids.add(message.id)
    return messages, frozenset(script_ids)


def available_interfaces() -> tuple[str, ...]:
    """The codes that have a catalog, in the contract's order."""
    return tuple(code for code in lang.CODES if catalog_path(code).is_file())
