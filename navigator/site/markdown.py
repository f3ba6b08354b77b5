"""Cells' Markdown as sanitised HTML.

Text from cells is untrusted: Markdown is rendered with `markdown` and sanitised with nh3 (only
http(s), mailto and tel links); everything else is escaped by jinja2's autoescape.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from navigator.site.edition import marked_html

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "blockquote",
                "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "del", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Most cells need no Markdown parser: plain text, `**bold**`, simple `- ` lists and tables. Text made
# only of characters that neither Markdown, its extensions (nl2br, sane_lists, tables) nor the sanitiser
# treat specially (`|` only in a table's own lines), whose lines start like no other block (heading, quote,
# code, ordered or nested list, rule, setext underline) and have nothing to trim, is turned into HTML here (`simple_html`),
# byte for byte what the parser and nh3 give: tests/test_incremental.py checks it over many strings,
# and anything else, or in doubt, goes through the parser.
_SIMPLE_CHARACTERS = (
    r"\n !\"$%'()*+,\-./0-9:;=?@A-Za-z^"  # ASCII: not & < > _ ` [ ] \ | ~ # { } or a tab
    "\u00a1-\u00ac\u00ae-\u167f\u1681-\u180d\u180f-\u1fff\u2010-\u2027\u2030-\u205e"  # not NBSP, soft hyphen,
    "\u2070-\ud7ff\ue000-\ufefe\uff00-\uffef\U00010000-\U0010ffff"  # odd spaces, zero-width or bidi marks
)
_NOT_SIMPLE_CHARACTER = re.compile(f"[^{_SIMPLE_CHARACTERS}]")
_NOT_SIMPLE_TEXT_CHARACTER = re.compile(f"[^|{_SIMPLE_CHARACTERS}]")  # a bar: in a table (_simple_table), else not simple
# Every match starts at a line's start or at a space or line break: that told first (a text is searched whole, and
# most have none), then the line's start once for all it may begin.
_NOT_SIMPLE_LINE = re.compile(
    r"(?=^|[\n \u3000])(?:^(?:[+=]|-(?! )|- (?:[-+=\u3000]|\*(?!\*[^*\s])|\d+\.(?:[ \u3000]|$))|\*(?!\*[^*\s])"
    r"|\d+\.(?:[ \u3000]|$)"  # block starts
    r"|[ \u3000])|[ \u3000]$|  |\A\n|\n\Z)", re.M)  # something to trim, a hard break
_STRONG = re.compile(r"\*\*([^*\s](?:[^*\n]*?[^*\s])?)\*\*")


def _simple_inline(line: str) -> str | None:
    if "*" not in line:
        return line
    html = _STRONG.sub(r"<strong>\1</strong>", line)
    return None if "*" in html else html


# Links departments write, `[text](https://host/path)`: text of simple characters on one line (no brackets, no `*`,
# nothing to trim), not after `!` (an image); an http(s) URL the sanitiser keeps as written: a host name of letters,
# digits and single hyphens whose last label starts with a letter (no port, no IP address, no punycode), then a path
# of characters Markdown passes through (no spaces, quotes, parentheses, `;`, `*`, `_`, `~`, `<>`; `%` only before
# two hex digits; `&`, which Markdown escapes, only where no entity can follow, as `;` never does).
_LINK = re.compile(
    r"(?<!!)\[([^\s\[\]*](?:[^\n\[\]*]*[^\s\[\]*])?)\]"
    r"\((https?://(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
    r"(?:[/?#](?:[A-Za-z0-9\-./?=#:+,@&]|%[0-9A-Fa-f]{2})*)?)\)")
_LINK_MARK = "\ue000"  # where a link was, while the rest is checked and converted (text holding it is not simple)


def simple_html(text: str) -> str | None:
    """What Markdown and nh3 make of simple text (paragraphs, <br> at line breaks, **bold**, `- ` lists, links); None
    for other text."""
    if not text:
        return ""
    links: list[str] = []
    if "](" in text:
        if _LINK_MARK in text:
            return None

        def mark(match: re.Match) -> str:
            label = match.group(1)
            if _NOT_SIMPLE_CHARACTER.search(label) is not None or "  " in label:
                raise _NotSimple
            links.append(f'<a href="{match.group(2).replace("&", "&amp;")}" rel="noopener noreferrer">{label}</a>')
            return _LINK_MARK

        try:
            text = _LINK.sub(mark, text)
        except _NotSimple:
            return None
    if _NOT_SIMPLE_TEXT_CHARACTER.search(text) is not None or _NOT_SIMPLE_LINE.search(text) is not None:
        return None
    html = _simple_blocks(text)
    if html is None or not links:
        return html
    parts = html.split(_LINK_MARK)
    return "".join(part + link for part, link in zip(parts, links)) + parts[-1]


class _NotSimple(Exception):
    pass


def _simple_blocks(text: str) -> str | None:
    """Paragraphs, `- ` lists and tables as python-markdown makes them: a line after an item that starts no item
    continues it (a line break); a list right after a list (a blank line between) is one loose list, in which the
    items on either side of the blank line have their text in a <p>."""
    blocks: list[tuple[str, list]] = []  # ("p", lines), ("ul", [[lines, loose], ...]) or ("table", [html])
    for block in re.split(r"\n\n+", text):
        lines = block.split("\n")
        if "|" in block:
            table = _simple_table(lines)
            if table is None:
                return None
            blocks.append(("table", [table]))
            continue
        if not lines[0].startswith("- "):
            if any(line.startswith("- ") for line in lines):
                return None
            inline = [_simple_inline(line) for line in lines]
            if None in inline:
                return None
            blocks.append(("p", inline))
            continue
        items: list[list] = []
        for line in lines:
            if line.startswith("- "):
                items.append([[], False])
                line = line[2:]
            html = _simple_inline(line)
            if html is None:
                return None
            items[-1][0].append(html)
        if blocks and blocks[-1][0] == "ul":
            blocks[-1][1][-1][1] = True
            items[0][1] = True
            blocks[-1][1].extend(items)
        else:
            blocks.append(("ul", items))
    parts = []
    for kind, content in blocks:
        if kind == "p":
            parts.append("<p>" + "<br>\n".join(content) + "</p>")
        elif kind == "table":
            parts.append(content[0])
        else:
            parts.append("<ul>\n" + "".join(
                "<li>\n<p>" + "<br>\n".join(lines) + "</p>\n</li>\n" if loose else "<li>" + "<br>\n".join(lines) + "</li>\n"
                for lines, loose in content) + "</ul>")
    return "\n".join(parts)


_TABLE_SEPARATOR = re.compile(r"\|(?: ?:?-+:? ?\|)+")


def _simple_table(lines: list[str]) -> str | None:
    """A block that is a table as the tables extension reads it, every line between bars (`| a | b |`): a header
    row, a separator row (`|---|:--:|`: the alignment, whose style attribute nh3 removes), body rows of no more
    cells than the header's (fewer are filled with empty cells). None for any other block with a bar in it."""
    if len(lines) < 2 or not all(len(line) >= 2 and line[0] == "|" and line[-1] == "|" for line in lines):
        return None
    header = lines[0][1:-1].split("|")
    if _TABLE_SEPARATOR.fullmatch(lines[1]) is None or lines[1].count("|") != len(header) + 1:
        return None
    rows = []
    for tag, line in [("th", lines[0])] + [("td", line) for line in lines[2:]]:
        cells = line[1:-1].split("|")
        if len(cells) > len(header):  # the parser drops the cells past the header's (and any link in them)
            return None
        cells += [""] * (len(header) - len(cells))
        html = [_simple_inline(cell.strip(" ")) for cell in cells]
        if None in html:
            return None
        rows.append("<tr>\n" + "".join(f"<{tag}>{cell}</{tag}>\n" for cell in html) + "</tr>\n")
    if len(lines) == 2:  # no body rows: the parser gives one row of empty cells
        rows.append("<tr>\n" + "<td></td>\n" * len(header) + "</tr>\n")
    return "<table>\n<thead>\n" + rows[0] + "</thead>\n<tbody>\n" + "".join(rows[1:]) + "</tbody>\n</table>"


class Markdown:
    """Cells' Markdown → sanitised HTML, each distinct text converted once (one of these per build)."""

    def __init__(self) -> None:
        self._html: dict[str, str] = {}
        self._converter = None

    def html(self, text: str) -> str:
        """A cell's Markdown as sanitised HTML (a str; `markup` gives it as Markup)."""
        html = self._html.get(text)
        if html is None:
            html = self._html[text] = self._convert(text)
        return marked_html(text, html) if type(text) is not str else html

    def known(self, texts) -> dict[str, str]:
        """The HTML of those of `texts` already converted (to hand to another process's converter: `learn`)."""
        html = self._html
        return {text: html[text] for text in texts if text in html}

    def learn(self, converted: dict[str, str]) -> None:
        """Take the HTML `known` gave in another process (the same conversions, made there)."""
        self._html.update(converted)

    def markup(self, text: str) -> Markup:
        return Markup(self.html(text))

    def _convert(self, text: str) -> str:
        if not text:
            return ""
        html = simple_html(text)
        return self.parsed(text) if html is None else html

    def parsed(self, text: str) -> str:
        """The Markdown parser's and nh3's way, for any text (the fast path's reference)."""
        if self._converter is None:
            # Building a converter costs as much as converting a short cell: one, reset per cell.
            # Imported here: most cells never need the parser (simple_html), and most builds none at all.
            import markdown as markdown_lib

            self._converter = markdown_lib.Markdown(extensions=["nl2br", "sane_lists", "tables"], output_format="html")
        html = self._converter.reset().convert(text)
        # Headings in a cell sit under the page's own h1/h2: shift them down two levels.
        html = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 2)}", html)
        return _cleaner().clean(html)


_CLEANER: list[nh3.Cleaner] = []


def _cleaner() -> nh3.Cleaner:
    """One sanitiser for the process: nh3.clean() with arguments builds its rules again on every call."""
    if not _CLEANER:
        _CLEANER.append(nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                                    link_rel="noopener noreferrer"))
    return _CLEANER[0]
