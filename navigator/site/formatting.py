"""Formatting of the model's values for pages: dates (Japanese: both calendars), contacts, conditions.

The words go through the page's language (site/interface.py): `language.gettext("…")`; module-level
words are marked `N_("…")` for the extraction (tooling/messages.py) and translated where they are used.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from navigator.contract.text import PHONE, tel_digits
from navigator.model import Deadline, Requirement, Site
from navigator.site.edition import marked_html
from navigator.site.interface import N_, Interface, japanese_date  # noqa: F401  (japanese_date: the pages' filter, from here)


def plain_lines(text: str) -> Markup:
    """Plain text with its line breaks kept (contacts, office hours)."""
    return Markup(marked_html(text, Markup("<br>").join(escape(line) for line in text.splitlines() if line.strip()),
                              block=False))


def contact_html(text: str) -> Markup:
    """A contact text with its line breaks kept and its phone numbers (in either width) tappable."""
    def link(line: str) -> Markup:
        parts, last = [], 0
        for found in PHONE.finditer(line):
            parts.append(escape(line[last:found.start()]))
            parts.append(Markup('<a href="{}">{}</a>').format(tel_href(found.group(0)), found.group(0)))
            last = found.end()
        parts.append(escape(line[last:]))
        return Markup("").join(parts)
    return Markup(marked_html(text, Markup("<br>").join(link(line) for line in text.splitlines() if line.strip()),
                              block=False))


def tel_href(number: str) -> str:
    digits = tel_digits(number)
    return f"tel:{digits}" if len(digits) >= 3 else ""


def deadline_html(deadline: Deadline | None, language: Interface) -> Markup:
    if deadline is None:
        return Markup("")
    if deadline.date is None:
        return escape(deadline.text)
    return Markup('<time datetime="{}">{}</time>').format(deadline.date.isoformat(), language.date(deadline.date))


def requirement_words(requirement: Requirement, site: Site, language: Interface) -> str:
    question = site.question(requirement.question_id)
    if requirement.range is not None:
        answer = requirement.range.text
    else:
        answer = language.gettext(" または ").join(question.label(choice) for choice in requirement.choices)
    return language.format("%(question)s → %(answer)s", question=question.text, answer=answer)


def escape_text(value) -> str:
    """markupsafe.escape(value) as a plain str: what the templates' output is made of (joined into the page, never
    kept as markup) and the share tags' attributes, without a Markup object made for each of the 70 values of a
    page. The same characters written
    the same way (& first, then < > ' "), and a value with __html__ (markup, a text not translated yet) as it gives."""
    if type(value) is not str:
        html = getattr(value, "__html__", None)
        if html is not None:
            return html()
        value = str(value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "'" in value:
        value = value.replace("'", "&#39;")
    if '"' in value:
        value = value.replace('"', "&#34;")
    return value


# [*_`#>|]+|^\s*[-+]\s+|^\s*\d+\.\s+|\[([^\]]*)\]\([^)]*\), with the line's start tested once for both kinds of list mark
_MARKDOWN_MARKS = re.compile(r"[*_`#>|]+|^(?:\s*[-+]\s+|\s*\d+\.\s+)|\[([^\]]*)\]\([^)]*\)", re.MULTILINE)
_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)")


def _link_text(match: re.Match) -> str:
    return match.group(1) or ""


def _without_marks(line: str) -> bool:
    """Whether _MARKDOWN_MARKS cannot match in the line (most lines): told by `in`, faster than the pattern's scan."""
    if "[" in line or "*" in line or "_" in line or "`" in line or "#" in line or ">" in line or "|" in line:
        return False
    start = line.lstrip()[:1]  # \s* is str.isspace's white space, as lstrip's
    return not (start in ("-", "+") or start.isdecimal())


def one_line(text: str, limit: int = 40) -> str:
    """The first line of a Markdown cell as plain text, at most `limit` characters (… when cut): an overview's line."""
    lines = text.splitlines()
    if lines and lines[0].lstrip().startswith("|"):  # a table: its first row of data, cells joined
        rows = [line for line in lines if line.lstrip().startswith("|") and not set(line) <= set("|-: ")]
        if len(rows) > 1:
            cells = [cell.strip() for cell in rows[1].strip().strip("|").split("|")]
            lines = [cells[0] + "：" + "・".join(cells[1:])]
    for line in lines:
        plain = plain_line(line)
        if plain:
            return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"
    return ""


def plain_line(line: str) -> str:
    """A line of a Markdown cell as plain text: its marks gone, its links as their text; "" for a rule or table border."""
    plain = " ".join((line if _without_marks(line) else _MARKDOWN_MARKS.sub(_link_text, line)).split())
    return plain if plain.strip("-: ") else ""


# How a 申請方法 is done, as a resident asks first: in person, by post, online, by phone, through a school.
# (The patterns read the Japanese sheets; the names are shown, in the page's language.)
_WAYS = ((N_("窓口"), re.compile(r"窓口|提出|来所|届け出")), (N_("郵送"), re.compile(r"郵送")),
         (N_("オンライン"), re.compile(r"オンライン|電子申請")), (N_("電話"), re.compile(r"電話")),
         (N_("学校を通じて"), re.compile(r"学校|高校")), (N_("金融機関"), re.compile(r"金融機関|公庫|住宅金融支援機構")))


def apply_ways(text: str, language: Interface, limit: int = 24) -> str:
    """申請方法 shortened for an overview: the ways it names (窓口・郵送…), else its first sentence, cut."""
    plain = one_line(text, 1000)
    first = _BRACKETS.sub("", re.split(r"(?<=。)", plain, maxsplit=1)[0]).strip()
    unbracketed = _BRACKETS.sub("", text)
    ways = [language.gettext(name) for name, pattern in _WAYS if pattern.search(unbracketed)]
    if ways:
        return language.gettext("・").join(ways)
    return first if len(first) <= limit else first[:limit - 1] + "…"
