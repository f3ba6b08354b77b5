"""ルビ (furigana) for the やさしい日本語 pages: `<ruby>` on every run of kanji in an HTML page's text.

    furigana = Furigana({"桜川": "さくらがわ"})       # the 用語 sheet's 語 → 読み (hiragana);
    furigana = Furigana.from_terms(site.terms)      # the same, from the model
    html = furigana.annotate(html)                  # a whole page or a fragment
    furigana.unknown_words(text)                    # words with kanji the analyser cannot read (for the review)

The readings come from a morphological analyser (site/readings.py), SudachiPy with the sudachidict_core dictionary
(bench/ruby.py measured it against fugashi + unidic-lite; the figures and the reason are in bench/RESULTS.md).
It is imported only when the first text is annotated, and one tokenizer serves the whole process. Words of `readings` are
matched first, longest first, and get their 読み as one ruby: the override for names the analyser reads
wrong (a place name, a building).

Only text nodes are annotated, never tags or attribute values, and never inside `<head>` (its
`<title>`), `<script>`, `<style>`, `<textarea>`, `<option>` (which may hold text only), `<svg>`,
`<math>`, an existing `<ruby>` (so annotating twice adds nothing), nor an element whose `lang` is not
Japanese (an English word inside, and what is inside that again unless it says `lang="ja"`), nor anything inside
an element of the class `visually-hidden`: that text is for screen readers only, and they read a ruby's base and
its reading both (り災証明書りさいしょうめいしょ), so a ruby there could only be heard twice. Text split
across inline tags (`<strong>`) is annotated per text node. Okurigana stay outside the ruby
(書いて → `<ruby>書<rp>(</rp><rt>か</rt><rp>)</rp></ruby>いて`), digits and kana are untouched.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from functools import lru_cache

from navigator.model import Term
from navigator.site.readings import (
    HAS_KANJI,
    KANJI,
    Analyse,
    Token,
    counted,
    irregular,
    load_analyser,
    ruby,
    sudachi_tokens,
    to_hiragana,
    word_ruby,
)

_DIGITS = re.compile("([0-9０-９][0-9０-９,，.．]*)")
_DIGIT = re.compile("[0-9０-９]")

# Elements whose text never gets ruby; the raw-text ones are skipped to their end tag without reading tags.
RAW_TEXT = {"script", "style", "textarea", "title"}
SKIPPED = RAW_TEXT | {"head", "ruby", "rt", "rp", "option", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# A comment, a doctype / CDATA / processing instruction, or a tag (an attribute value may hold ">").
_MARKUP = re.compile(r"<!--.*?-->|<[!?][^>]*>|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
# The same, with its parts: "/" of an end tag, the name, the rest (None for a comment or a doctype).
# Possessive (Python 3.11): it matches what _MARKUP does, twice as fast, without retrying each run of characters.
_TAG_REST = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*"""
_TAG = re.compile(rf"<!--.*?-->|<[!?][^>]*>|<(/?)([A-Za-z][^\s/>]*)({_TAG_REST})>", re.S)
# The class of text for screen readers only (style.css): skipped, and so is everything inside it, whatever its lang.
HIDDEN_CLASS = "visually-hidden"
# What can be passed over outside the skipped elements: a comment, a doctype, any end tag, and a start tag whose name
# (without quotes) is not one of SKIPPED and which has neither "lang" nor HIDDEN_CLASS anywhere (more than _LANG and
# _CLASS find: such a tag is only looked at more closely). Each matches what _TAG matches; any other tag stops _PLAIN_RUN.
_NOT_LANG = "(?!(?i:ang))"  # after an l
_NOT_HIDDEN = "(?!isually-hidden)"  # after a v (a class is matched as written)
_PASSED_TAG = (rf"<!--.*?-->|<[!?][^>]*>|</[A-Za-z][^\s/>]*{_TAG_REST}>"
               rf"|<(?!(?i:{'|'.join(sorted(SKIPPED))})[\s/>])[A-Za-z][^\s/>\"']*+(?=[\s/>])"
               rf"""(?:[^>"'lLv]++|[lL]{_NOT_LANG}|v{_NOT_HIDDEN}"""
               rf"""|"(?:[^"lLv]++|[lL]{_NOT_LANG}|v{_NOT_HIDDEN})*+"|'(?:[^'lLv]++|[lL]{_NOT_LANG}|v{_NOT_HIDDEN})*+')*>""")
# From a text node's beginning, over text without kanji and passed tags: it stops at a kanji, at a "<" that is not
# passed (a tag to look at, or a "<" of the text), or at the end. Group 1 ends at the last passed tag.
_PLAIN_RUN = re.compile(rf"((?:[^<{KANJI}]*+(?:{_PASSED_TAG}))*+)[^<{KANJI}]*+", re.S)
_RAW_TEXT_END = {name: re.compile(f"</{name}[\\s>/]", re.I) for name in RAW_TEXT}
# A sentence with the marks and new lines that end it. Departments repeat sentences across programs (電話でご相談
# ください。): each is analysed once. Read alone, a sentence reads as it does within its text (every text of the bench
# set, the sample city and the Kumamoto data). A new line stays with the sentence before it: without it the word before
# may read otherwise (方 before a new line).
_SENTENCE = re.compile(r"[^。！？\n]+[。！？\n]*|[。！？\n]+")
# A text node of an HTML fragment, for Furigana.prepare: to the next "<", after a ">" or at the start.
_TEXT_NODE = re.compile(rf"(?:^|(?<=>))[^<]*[{KANJI}][^<]*")
_LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# What _skips gives for an element of HIDDEN_CLASS (true, as any skipped element's): inherited whatever the lang inside.
HIDDEN = 2


# ---------------------------------------------------------------- the pages


class Furigana:
    """ルビ for HTML, with the 用語 sheet's readings (語 → 読み in hiragana) taking precedence over the analyser's."""

    def __init__(self, readings: Mapping[str, str] | None = None, analyse: Analyse | None = None,
                 cache_size: int = 65536) -> None:
        # Only words with kanji need a ruby; an empty 読み is no override.
        self.readings = {w: to_hiragana(r) for w, r in (readings or {}).items() if w and r and HAS_KANJI.search(w)}
        self._analyse = analyse or sudachi_tokens
        words = sorted(self.readings, key=len, reverse=True)  # longest first: 市役所本庁舎 before 市役所
        self._override = re.compile("|".join(map(re.escape, words))) if words else None
        # Pages repeat their texts (header, footer, the same 必要書類 on many programs): each text once. The oldest
        # go first beyond `cache_size`; what this process annotated is also kept apart (`fresh`) for another to `learn`.
        self._cache_size = cache_size
        self._known: OrderedDict[str, str] = OrderedDict()
        self._fresh: dict[str, str] = {}
        self._sentences: dict[str, str] = {}
        self._prepared: dict[str, list[Token]] = {}  # the analyser's tokens of sentences soon to come (`prepare`)

    def __reduce__(self):
        # Sent to the build's worker processes as its readings: each rebuilds its cache (and loads its own tokenizer).
        return (type(self), (self.readings, self._analyse, self._cache_size))

    @classmethod
    def from_terms(cls, terms: Iterable[Term]) -> Furigana:
        """With the readings of the 用語 sheet (Site.terms): each 語 that has a 読み."""
        return cls({term.word: term.reading for term in terms if term.reading})

    def text(self, text: str) -> str:
        """A text node as it stands in HTML → with ruby (made once: see `_text`)."""
        found = self._known.get(text)
        if found is None:
            found = self._known[text] = self._fresh[text] = self._text(text)
            if len(self._known) > self._cache_size:
                self._known.popitem(last=False)
                if len(self._fresh) > self._cache_size:  # nobody takes them (a page worker's): not kept for ever
                    self._fresh.clear()
        return found

    def fresh(self) -> dict[str, str]:
        """The text nodes annotated since the last call (to hand to another process's Furigana: `learn`); a build's
        data workers give theirs back, so that the page workers, forked after, do not analyse them again."""
        fresh, self._fresh = self._fresh, {}
        return fresh

    def learn(self, annotated: dict[str, str]) -> None:
        """Take the text nodes `fresh` gave in another process (the same annotations, made there)."""
        for text, html in annotated.items():
            self._known.setdefault(text, html)
        while len(self._known) > self._cache_size:
            self._known.popitem(last=False)

    def annotate(self, html: str) -> str:
        """`html` with ruby on the kanji of its text nodes (see the module's docstring for where not)."""
        if not HAS_KANJI.search(html):
            return html
        # Outside the skipped elements (almost all of a page) only a text node with kanji and a start tag that may
        # begin a skipped element matter: _PLAIN_RUN passes over the rest in one match, and only the text nodes that
        # change are cut out and replaced (the rest is copied in slices). A skipped element is walked tag by tag.
        out: list[str] = []
        emitted = pos = node = 0  # html[:emitted] is in out; the text node at pos begins at node
        length = len(html)
        plain_run, next_tag, tag_at, text = _PLAIN_RUN.match, _TAG.search, _TAG.match, self.text
        while True:
            run = plain_run(html, pos)
            if run.end(1) > pos:  # passed a tag: a new text node
                node = run.end(1)
            pos = run.end()
            if pos >= length:
                break
            if html[pos] != "<":  # a kanji: its text node runs to the next tag
                tag = next_tag(html, pos)
                end = tag.start() if tag else length
                out.append(html[emitted:node])
                out.append(text(html[node:end]))
                emitted = pos = node = end
                continue
            match = tag_at(html, pos)
            if match is None:  # a "<" of the text
                pos += 1
                continue
            pos = node = match.end()  # a start tag: _PLAIN_RUN passes over every other
            name = _tag_name(match)
            if name in RAW_TEXT:  # verbatim to the end tag
                close = _RAW_TEXT_END[name].search(html, pos)
                pos = node = close.start() if close else length
                continue
            skip = name not in VOID and not html.startswith("/>", pos - 2) and _skips(name, match)
            if not skip:
                continue  # nothing is skipped inside: as if passed over
            simple = _simple_content(name).match(html, pos)
            if simple is not None:  # to its end tag over nothing the walk could stop at (a page's <head>)
                pos = node = simple.end()
                continue
            walked = self._walk(html, pos, [(name, skip)], out, emitted)
            if walked is None:  # an end tag closed an element opened before the skipped one: the walk of every tag
                return self._walk(html, 0, [], [], 0)
            pos, emitted = walked
            node = pos
        out.append(html[emitted:])
        return "".join(out)

    def _walk(self, html: str, pos: int, stack: list[tuple[str, bool]], out: list[str], emitted: int):
        """Tag by tag from `pos`, keeping the open elements (name, text inside is skipped) on `stack`.

        With elements on `stack` (a skipped element just opened): to the end tag that closes the last of them, giving
        where it ends and `emitted`; None when an end tag closes none of them (it closes one opened before, or none:
        only the whole walk can tell). With an empty `stack`: the whole of `html` from `pos`, as a string."""
        nested = bool(stack)
        skipped = stack[-1][1] if stack else False  # the innermost open element's
        length = len(html)
        finditer, has_kanji, text = _TAG.finditer, HAS_KANJI.search, self.text
        while pos < length:
            resume = None  # where to look for tags again, past a raw-text element's content
            for match in finditer(html, pos):  # one iterator over the tags, not a search call for each
                end = match.start()
                if end > pos and not skipped and has_kanji(html, pos, end):
                    out.append(html[emitted:pos])
                    out.append(text(html[pos:end]))
                    emitted = end
                pos = match.end()
                closing, name, attributes = match.groups()
                if name is None:  # a comment, a doctype
                    continue
                name = _tag_name(match)
                if closing:
                    if stack and stack[-1][0] == name:
                        stack.pop()
                    else:
                        for i in range(len(stack) - 2, -1, -1):
                            if stack[i][0] == name:
                                del stack[i:]
                                break
                        else:  # it closes none of them (a raw-text or void element's is never open)
                            if nested and name not in RAW_TEXT and name not in VOID:
                                return None
                    if nested and not stack:
                        return pos, emitted
                    skipped = stack[-1][1] if stack else False
                    continue
                if name in RAW_TEXT:  # verbatim to the end tag
                    close = _RAW_TEXT_END[name].search(html, pos)
                    resume = close.start() if close else length
                    break
                if name in VOID or html.startswith("/>", pos - 2):
                    continue
                inner = _skips(name, match, skipped)
                stack.append((name, inner))
                skipped = inner
            if resume is None:  # no tag left: the rest is a text node
                if length > pos and not skipped and has_kanji(html, pos, length):
                    out.append(html[emitted:pos])
                    out.append(text(html[pos:length]))
                    emitted = length
                break
            pos = resume
        if nested:
            return length, emitted
        out.append(html[emitted:])
        return "".join(out)

    def load(self) -> None:
        """The analyser made ready now (its dictionary loaded), not when the first text comes."""
        if self._analyse is sudachi_tokens:
            load_analyser()

    def prepare(self, fragments: Iterable[str]) -> None:
        """Analyse now, one after another, the sentences of these HTML fragments' text nodes, for `annotate` to meet
        soon (a program's texts, before its parts and its page are made); what it meets otherwise it analyses then.

        Each call of the analyser walks its dictionary's tables: in a run of calls they stay in the processor's
        caches, between two pages' rendering they do not (the build's sentences, the caches emptied before each
        run of 10: 0.77 s, of 200: 0.25 s; the やさしい日本語 build of 1,000 programs 3.76 → 3.59 s in one process).
        Only the sentences of the last call are kept. A text node is told as the walk tells it, to the next "<"
        (one in a tag's quotes is only analysed for nothing)."""
        prepared: dict[str, list[Token]] = {}
        known, sentences, analyse = self._known, self._sentences, self._analyse
        for html in fragments:
            for node in _TEXT_NODE.findall(html):
                if node in known or not HAS_KANJI.search(node):
                    continue
                for segment in self._override.split(node) if self._override is not None else (node,):
                    for sentence in _SENTENCE.findall(segment) if HAS_KANJI.search(segment) else ():
                        if sentence not in prepared and sentence not in sentences and HAS_KANJI.search(sentence):
                            prepared[sentence] = analyse(sentence)
        self._prepared = prepared

    def _read(self, sentence: str) -> list[Token]:
        tokens = self._prepared.get(sentence)
        return self._analyse(sentence) if tokens is None else tokens

    def _text(self, text: str) -> str:
        """A text node as it stands in HTML → with ruby. Entities are kept as written (a kanji is never part of one)."""
        out: list[str] = []
        pos = 0
        if self._override is not None:
            for match in self._override.finditer(text):
                out.append(self._analysed(text[pos:match.start()]))
                out.append(ruby(match.group(), htmllib.escape(self.readings[match.group()])))
                pos = match.end()
        out.append(self._analysed(text[pos:]))
        return "".join(out)

    def _analysed(self, text: str) -> str:
        if not HAS_KANJI.search(text):
            return text
        sentences = _SENTENCE.findall(text)
        if len(sentences) == 1:  # most text nodes: the text cache (`text`) keeps it already
            return self._sentence(text)
        known, out = self._sentences, []
        for sentence in sentences:
            found = known.get(sentence)
            if found is None:
                found = known[sentence] = self._sentence(sentence) if HAS_KANJI.search(sentence) else sentence
            out.append(found)
        if len(known) > self._cache_size:
            known.clear()
        return "".join(out)

    def _sentence(self, text: str) -> str:
        tokens = self.tokens(text)
        # A token without a reading is shown as it is (most are kana or signs: no kanji to look for).
        out = [surface if not reading or unknown or not HAS_KANJI.search(surface)
               else ruby(surface, reading) if whole
               else word_ruby(surface, reading) for surface, reading, unknown, whole in tokens]
        # MeCab skips white space: put the text's own back between the tokens.
        return _rejoin(text, [t[0] for t in tokens], out)

    def tokens(self, text: str) -> list[Token]:
        """The analyser's tokens, with numbers made readable.

        - A number read the ordinary way (3 = さん) stays without ruby and the counter after it gets its own
          (3<ruby>件</ruby>). A number read another way together with its counter (3日 = みっか, 2人 = ふたり,
          Sudachi's dictionary words 1人 and 2人, or 3 = みっ before 日間) gets one ruby over both: the reading of
          the number is not the digits' (as NHK's NEWS WEB EASY writes <ruby>2人<rt>ふたり</rt></ruby>).
        - Days and minutes are read by readings.counted, not as the analyser reads them (it gives 12月4日 よんか,
          2日 ににち, 30分 さんじゅうふん): 4日 = よっか, 1日 after 月 = ついたち, 28 + 日 = にち, 30分 = さんじゅっぷん.
        - Any other token of digits and kanji (Sudachi joins 3万 or 35万8千 into a word it does not know; 31番 is
          3 + 1番 = いちばん) is split: the digits without ruby, the kanji read alone (万 = まん, 番 = ばん)."""
        if _DIGIT.search(text) is None:  # no number to join to its counter or to split off: the words as they are
            return list(self._read(text))
        tokens: list[Token] = []
        for token in self._read(text):
            surface = token.surface
            if _DIGIT.search(surface) is None:  # most words: joined to a number before them, or as they are
                previous = tokens[-1] if tokens else None
                if previous is None or not previous.surface[:1].isdigit() or not _DIGITS.fullmatch(previous.surface):
                    tokens.append(token)  # not after a number (most words)
                    continue
                count = None if previous.whole else counted(
                    previous.surface, token, len(tokens) > 1 and tokens[-2].surface == "月")
                if count is not None:  # days and minutes: read by the rules of readings.counted
                    if count.whole:
                        tokens[-1] = count
                    else:
                        tokens[-1] = Token(previous.surface, "")  # the digits bare, as any number read the usual way
                        tokens.append(count)
                elif not token.unknown and HAS_KANJI.search(surface) and irregular(previous):
                    tokens[-1] = Token(previous.surface + surface, previous.reading + token.reading, whole=True)
                else:
                    tokens.append(token)
                continue
            after_digit = bool(tokens) and tokens[-1].surface[-1:].isdigit()
            if _DIGITS.fullmatch(surface) and not token.unknown and not after_digit:
                tokens.append(Token(surface, token.reading))  # joined to the next token below if read irregularly
                continue
            previous = tokens[-1] if tokens else None
            if (previous is not None and _DIGITS.fullmatch(previous.surface) and not token.unknown
                    and HAS_KANJI.search(surface) and irregular(previous)):
                tokens[-1] = Token(previous.surface + surface, previous.reading + token.reading, whole=True)
                continue
            if not (_DIGITS.search(surface) and HAS_KANJI.search(surface)):
                tokens.append(token)
                continue
            leading = _DIGITS.match(surface)
            if (not token.unknown and not after_digit and leading and token.reading
                    and irregular(Token(leading.group(), token.reading), prefix=True)):
                tokens.append(Token(surface, token.reading, whole=True))  # 1人 = ひとり
                continue
            for part in _DIGITS.split(surface):
                if part and HAS_KANJI.search(part) and not _DIGITS.fullmatch(part):
                    tokens.extend(self._analyse(part))
                elif part:
                    tokens.append(Token(part, ""))
        return tokens

    def unknown_words(self, text: str) -> list[str]:
        """The words with kanji of `text` that the analyser cannot read and that no 読み overrides, in order, once each."""
        if self._override is not None:
            text = self._override.sub("\n", text)
        found: dict[str, None] = {}
        for token in self.tokens(text):
            if token.unknown and HAS_KANJI.search(token.surface):
                found.setdefault(token.surface, None)
        return list(found)


@lru_cache(maxsize=64)
def _simple_content(name: str) -> re.Pattern:
    """A skipped element's content when it holds only text, comments, void elements and raw-text ones, then its
    end tag: where the walk of its tags would end it, with nothing to annotate in between (a page's <head>: meta,
    link, title, script). Any other tag, or a "<" of the text, is left to the walk; so is a raw-text element whose first
    end tag the walk would not read as a tag (atomic: not matched to a later one)."""
    raw_text = "".join(rf"|<(?i:{raw})(?=[\s/>]){_TAG_REST}>(?>.*?(?=</(?i:{raw})[\s>/]))</[A-Za-z][^\s/>]*{_TAG_REST}>"
                       for raw in sorted(RAW_TEXT))
    void = "|".join(sorted(VOID))
    return re.compile(rf"(?:[^<]++|<!--.*?-->|<[!?][^>]*>|<(?i:{void})(?=[\s/>]){_TAG_REST}>{raw_text})*+"
                      rf"</(?i:{re.escape(name)})(?=[\s/>]){_TAG_REST}>", re.S)


def _tag_name(match: re.Match) -> str:
    """A start or end tag's name (of a _TAG match), in lower case."""
    name, attributes = match.group(2), match.group(3)
    if attributes[:1] in ("\"", "'"):  # the name holds a quote, given back for the rest to match: all of it
        name = _TAG_NAME.match(match.group()).group(1)
    return name.lower()


def _skips(name: str, match: re.Match, inherited: bool | int = False) -> bool | int:
    """Whether the text inside a start tag's element is skipped: HIDDEN inside an element of HIDDEN_CLASS; True for
    one of SKIPPED, or a `lang` that is not Japanese; else as its parent's (`inherited`)."""
    attributes = match.group(3)
    if inherited == HIDDEN or (attributes and HIDDEN_CLASS in attributes and _hidden(match.group())):
        return HIDDEN
    if name in SKIPPED:
        return True
    # _LANG needs a space, then "lang", in the attributes: most tags have a class, few a lang.
    lang = _LANG.search(match.group()) if attributes and "lang" in attributes.lower() else None
    if lang is None:
        return inherited
    code = next(g for g in lang.groups() if g is not None).strip().lower()
    return not (code == "ja" or code.startswith("ja-"))


def _hidden(tag: str) -> bool:
    """Whether a start tag's class attribute holds HIDDEN_CLASS, as one of its classes."""
    found = _CLASS.search(tag)
    return found is not None and HIDDEN_CLASS in next(g for g in found.groups() if g is not None).split()


def _rejoin(text: str, surfaces: Iterable[str], pieces: list[str]) -> str:
    """The pieces (one per token) with whatever of `text` lies between the tokens (white space MeCab skips)."""
    surfaces = list(surfaces)
    if "".join(surfaces) == text:  # nothing between them (Sudachi keeps white space as words)
        return "".join(pieces)
    out, pos = [], 0
    for surface, piece in zip(surfaces, pieces):
        at = text.find(surface, pos)
        if at < 0:  # should not happen; keep the text rather than lose any of it
            return text
        out.append(text[pos:at])
        out.append(piece)
        pos = at + len(surface)
    out.append(text[pos:])
    return "".join(out)
