"""data/search.<hash>.js: what the search page searches, one file every visitor downloads alike.

Search runs in the resident's browser (static/search.js, with MiniSearch): the query never leaves the
device. The file holds, for each published program, the texts searched and shown (制度名, 分類, 部署名,
and 概要・対象者・支援内容 as plain text), and the 用語 sheet's words as groups of ways of writing one
word. Texts are written NFKC-normalised, so that the page's folding (lower case, katakana to
hiragana) keeps every character where it was: the snippet's <mark> falls on what was matched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from navigator.contract.text import nfkc
from navigator.model import Program, Site
from navigator.site.data import Page, compact_json, program_parts_page
from navigator.site.environment import Renderer
from navigator.site.formatting import deadline_html
from navigator.site.interface import Interface
from navigator.site.pages import program_page

# Markdown's marks and links as their text: what a resident reads of a cell (raw HTML is shown as text on the site).
# (MARKS_RULE, written faster: the first character told first, and the line's start once for its four kinds of mark.)
MARKS_RULE = r"\[([^\]]*)\]\([^)]*\)|[*_`|]+|^\s*[#>]+|^\s*[-+]\s+|^\s*\d+\.\s+|^\s*:?-{3,}:?\s*$"
_MARKS = re.compile(r"(?=[\[*_`|\s#>+\-\d:])(?:\[([^\]]*)\]\([^)]*\)|[*_`|]+"
                    r"|^(?:\s*[#>]+|\s*[-+]\s+|\s*\d+\.\s+|\s*:?-{3,}:?\s*$))", re.MULTILINE)


def _mark_text(mark: str) -> str:
    """What a mark other than a link becomes: emphasis joins the words around it; a tag, list mark, table bar parts them."""
    stripped = mark.strip()
    return "" if stripped and not stripped.strip("*_`") else " "


# The commonest marks' texts, looked up first: at 10,000 programs 93,000 marks, most of them bold and list marks.
_COMMON_MARKS = {mark: _mark_text(mark) for mark in ("**", "- ", "\n- ", "|")}


def _unmarked(match: re.Match) -> str:
    found = _COMMON_MARKS.get(match.group(0))
    if found is not None:
        return found
    if match.group(1) is not None:
        return match.group(1)  # a link: its text
    return _mark_text(match.group(0))


def plain(text: str) -> str:
    """A Markdown cell as one line of plain text, NFKC-normalised (the page folds it further, character by character)."""
    return one_line(html.unescape(_MARKS.sub(_unmarked, text)))


def one_line(text: str) -> str:
    """A plain text cell (制度名, 分類, 部署名) NFKC-normalised, its spaces and line breaks as one space."""
    return " ".join(nfkc(text).split())  # str.split's white space is \s's (str.isspace)


def _deadline(program: Program, language: Interface) -> str:
    deadline = program.deadline
    if deadline is None:
        return ""
    return language.date(deadline.date) if deadline.date else one_line(html.unescape(str(deadline_html(deadline, language))))


def search_entry(program: Program, language: Interface, ruby: Callable[[str], str | None] | None = None) -> dict:
    """One program as search.js reads it: short keys, the file is downloaded by every visitor of the search page.

    With `ruby` (Renderer.text_ruby: a text as HTML with ルビ, None without), the name, category, department and
    deadline also as that HTML ("nr", "cr", "dr", "lr") where they have a ルビ: search.js shows it, its marks put in
    the text. Made of the text as the entry has it, its base text is that text, character for character (the marks
    fall where they are found)."""
    texts = [plain(text) for text in (program.summary, program.target, program.benefit)]
    entry = {"p": program_page(program), "n": one_line(program.name), "c": one_line(program.category),
             "d": one_line(program.department.name), "t": " ／ ".join(t for t in texts if t)}
    deadline = _deadline(program, language)
    if deadline:
        entry["l"] = deadline
        if program.deadline.date:
            entry["ld"] = program.deadline.date.isoformat()
    if ruby is not None:
        for key in ("n", "c", "d", "l"):
            with_ruby = ruby(entry[key]) if key in entry else None
            if with_ruby is not None:
                entry[key + "r"] = with_ruby
    return entry


def search_data(site: Site, language: Interface) -> dict:
    """The whole file's data (the reference search_page is tested against)."""
    return {**_head(site), "programs": [search_entry(p, language) for p in site.programs]}


def _head(site: Site) -> dict:
    groups = []
    for term in site.terms:  # {"w": the 語 and its 同義語, "r": the 読み}: a reading finds the word, and is not searched
        ways = list(dict.fromkeys(way for way in (one_line(w) for w in (term.word, *term.synonyms)) if way))
        group = {"w": ways}
        if one_line(term.reading):
            group["r"] = one_line(term.reading)
        if len(ways) > 1 or "r" in group:
            groups.append(group)
    return {"terms": groups}


def search_fragments(programs: Sequence[Program], renderer: Renderer) -> list[bytes]:
    """The programs' parts of data/search.<hash>.js, kept in the memo between builds."""
    language, ruby = renderer.language, renderer.text_ruby if renderer.furigana is not None else None
    return renderer.memo.fragments_of(renderer.fragment_kind("search"), programs,
                                      lambda program: compact_json(search_entry(program, language, ruby)))


# The parts the data phase makes with the others (site/data.py's prepare_fragments: on every core).
SEARCH_FRAGMENTS = (("search", search_fragments),)


def search_page(site: Site, renderer: Renderer) -> Page:
    """data/search.<hash>.js: the bytes of search_data(site), each program's part kept in the memo between builds."""
    return program_parts_page("data", "search", "NavigatorSearch", compact_json(_head(site))[:-1] + ',"programs":[',
                              search_fragments(site.programs, renderer), "]}")
