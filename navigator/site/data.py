"""The site's data files: flow.js (questions and conditions), results.js (program texts), catalog.json.

Each is assembled from each program's part, kept in the RenderMemo (site/memo.py), so that a
rebuild renders only the parts of programs that changed. The assembled bytes are those of the
whole-file reference functions (`flow_data`, `results_data`, catalog.catalog_json): tested.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import json.encoder
from collections.abc import Callable, Iterable, Sequence

from markupsafe import escape

from navigator.contract.numbers import accepted_units, whole_numbers
from navigator.contract.text import normalize_key
from navigator.model import Document, DocumentNeed, Program, Site
from navigator.site.catalog import catalog, program_data, question_data
from navigator.site.discovery import compact_json
from navigator.site.edition import MachineTranslated, Untranslated
from navigator.site.environment import Renderer
from navigator.site.formatting import apply_ways, escape_text, one_line
from navigator.site.pages import LIST_ROOT, category_page, program_page


@dataclasses.dataclass(frozen=True)
class Page:
    path: str  # relative to the site root, with / separators
    content: str | bytes
    sha256: str | None = None  # of the content, when it is already known (a data file is named by it)


def flow_data(site: Site, renderer: Renderer) -> dict:
    """What the question flow needs to ask the questions and compute the results (small)."""
    return {
        "site_name": site.settings.site_name,
        "questions": [_flow_question(q, renderer) for q in site.questions],
        "categories": [_marked({"name": c.name, "page": category_page(c)}, name=c.name) for c in site.categories],
        "programs": [_flow_program(p) for p in site.programs],
    }


def _flow_program(program: Program) -> dict:
    return {"id": program.id, "category": program.category,
            "conditions": [[req.as_dict() for req in row.requirements] for row in program.condition_rows]}


def _flow_question(question, renderer: Renderer) -> dict:
    data = question_data(question)
    data["help_html"] = renderer.ruby(renderer.markdown.html(data.pop("help")))
    if question.labels:  # a language's edition: each choice as shown (the choices stay the answers' keys)
        data["labels"] = list(question.labels)
    if renderer.furigana is not None:  # やさしい日本語: the question and its choices with ルビ, as the pages have them
        data["text_html"] = renderer.ruby(str(escape(question.text)))
        data["labels_html"] = [renderer.ruby(str(escape(label))) for label in question.labels or question.choices]
        _marked(data, **{f"labels.{i}": label for i, label in enumerate(question.labels)})
    _marked(data, text=question.text, unit=question.unit)
    if question.kind == "number":  # how the page reads an answer: contract/numbers.py's rules, as data
        data["units"] = list(accepted_units(question.unit))
        data["whole"] = whole_numbers(question.unit)
    return data


def _marked(entry: dict, **texts) -> dict:
    """`entry` with the names of its fields shown in Japanese ("ja") or machine-translated ("mt") in a language's
    edition (site/edition.py), for the page's script to mark as the pages are (static/i18n.js, NavigatorI18n.shown)."""
    for kind, names in (("ja", [n for n, t in texts.items() if type(t) is Untranslated]),
                        ("mt", [n for n, t in texts.items() if type(t) is MachineTranslated])):
        if names:
            entry[kind] = entry.get(kind, []) + names
    return entry


def results_data(site: Site, renderer: Renderer) -> dict:
    """The program texts shown with the results: one file every resident downloads whole."""
    return {
        **_results_head(site, renderer),
        "programs": {program.id: _results_entry(program, renderer) for program in site.programs},
    }


def _results_head(site: Site, renderer: Renderer) -> dict:
    return {"disclaimer_html": renderer.ruby(renderer.markdown.html(site.settings.disclaimer)),
            "contact_html": renderer.ruby(str(renderer.contact_html(site.settings.contact))),
            "documents": [_results_document(d, renderer) for d in site.documents],
            "counter_order": list(site.counter_order)}


def _results_document(document: Document, renderer: Renderer) -> dict:
    entry = {"name": document.name, "description_html": renderer.ruby(renderer.markdown.html(document.description)),
             "source": document.source}
    if document.issued_by:
        entry["issued_by"] = document.issued_by
    if document.label and document.label != document.name:
        entry["label"] = document.label
    return _marked(entry, label=document.label, source=document.source)


def _results_entry(program: Program, renderer: Renderer) -> dict:
    deadline = program.deadline

    def markdown(text: str) -> str:
        return renderer.ruby(renderer.markdown.html(text))

    entry = {
        "name": program.name,
        "page": program_page(program),
        "summary_html": markdown(program.summary),
        "benefit_html": markdown(program.benefit),
        "target_html": markdown(program.target),
        "deadline": None if deadline is None else {
            "date": deadline.date.isoformat() if deadline.date else None,
            "html": str(renderer.deadline_html(deadline))},
        # Each document once per line, as its 書類名 (or its own words) and the note of this program: the checklist
        # lists each document once (by "key" where the comparable form of a name differs from it), and
        # 「まず最初に」 is told by these names (rules.js).
        "documents": [_results_need(need) for need in program.needs],
        "contact_html": renderer.ruby(renderer.contact_block(program).strip()),
        "online_url": program.online_url or None,
        "department": program.department.name,
        # The overview's lines (navi.js): what one gets and how to apply, in a few words; where (the 窓口 of the
        # 部署 sheet) and the 申請方法 in full for the details and the checklist.
        "benefit_short": one_line(program.benefit),
        "how_short": apply_ways(program.how_to_apply, renderer.language),
        "how_html": markdown(program.how_to_apply),
        "office": program.department.office or None,
    }
    if renderer.furigana is not None:  # やさしい日本語: the name with ルビ (and marked, if not translated yet)
        entry["name_html"] = renderer.ruby(str(escape(program.name)))
        # And the plain texts of its row and details: static/ruby.js puts this HTML in for a text node that is exactly
        # one of them (a deadline as navi.js writes it: its text, or its date in the row, with the year or without).
        texts = [entry["benefit_short"], entry["how_short"], entry["office"]]
        if deadline is not None and deadline.date is None:
            texts.append(deadline.text)
        elif deadline is not None:
            day = deadline.date
            texts += [renderer.language.date(day), f"{day.month}月{day.day}日まで", f"{day.year}年{day.month}月{day.day}日まで"]
        ruby = {}
        for text in texts:
            if text and text not in ruby:
                html = renderer.text_ruby(text)
                if html is not None:
                    ruby[text] = html
        if ruby:
            entry["ruby"] = ruby
    return _marked(entry, name=program.name, benefit_short=program.benefit, department=program.department.name,
                   office=program.department.office,
                   # the first words of its 申請方法 (not the ways it names, which are the interface's words)
                   how_short=program.how_to_apply if entry["how_short"].rstrip("…") in program.how_to_apply else "")


def _texts_to_read(program: Program, renderer: Renderer) -> list[str]:
    """The HTML of most of what a program's parts and page put ルビ on: its cells, its name, its deadline, its
    documents (what is left out is read when it comes: the same ルビ, later)."""
    html = renderer.markdown.html
    texts = [html(program.summary), html(program.target), html(program.benefit), html(program.how_to_apply),
             escape_text(program.name), escape_text(program.department.name)]
    if program.deadline is not None:
        texts.append(str(renderer.deadline_html(program.deadline)))
    for need in program.needs:
        texts.append(escape_text(need.label or need.name))
        if need.note:
            texts.append(escape_text(need.note))
    return texts


def _results_need(need: DocumentNeed) -> dict:
    entry = {"name": need.name}
    if need.note:
        entry["note"] = need.note
    key = normalize_key(need.name)
    if key != need.name:
        entry["key"] = key
    if need.label and need.label != need.name:  # a language's edition: the name as shown; `name` stays the key
        entry["label"] = need.label
    return _marked(entry, label=need.label, note=need.note)


def script_page(folder: str, name: str, variable: str, data: dict) -> Page:
    """Data as a script file (works from file:// too), named by its content so caches never serve it stale."""
    return script_text_page(folder, name, variable, compact_json(data))


def script_text_page(folder: str, name: str, variable: str, json_text: str | bytes) -> Page:
    encoded = json_text.encode("utf-8") if isinstance(json_text, str) else json_text  # large: encoded once
    return _script_bytes_page(folder, name, b"".join((f"window.{variable} = ".encode(), encoded, b";\n")))


def program_parts_page(folder: str, name: str, variable: str, head: str, programs: list[bytes], tail: str) -> Page:
    """script_text_page of the JSON `head`, then every program's part (UTF-8, from the memo) separated by commas, then
    `tail`: joined once (the results' file is 24 MB at 10,000 programs)."""
    start, end = f"window.{variable} = {head}".encode("utf-8"), f"{tail};\n".encode("utf-8")
    if not programs:
        return _script_bytes_page(folder, name, start + end)
    parts = list(programs)
    parts[0] = start + parts[0]
    parts[-1] = parts[-1] + end
    return _script_bytes_page(folder, name, b",".join(parts))


def _script_bytes_page(folder: str, name: str, data: bytes) -> Page:
    sha = hashlib.sha256(data).hexdigest()
    return Page(f"{folder}/{name}.{sha[:12]}.js", data, sha)


# --- each program's part, kept in the memo ------------------------------------------------------

def _results_part(program: Program, renderer: Renderer) -> str:
    return f"{compact_json(program.id)}:{compact_json(_results_entry(program, renderer))}"


def _catalog_part(program: Program) -> str:
    return indented_json(program_data(program, program_page(program)), 2)  # nested two levels down in catalog.json


def _flow_part(program: Program) -> str:
    return compact_json(_flow_program(program))


def _results_fragments(programs: Sequence[Program], renderer: Renderer) -> list[bytes]:
    return renderer.memo.fragments_of(renderer.fragment_kind("results"), programs,
                                      lambda program: _results_part(program, renderer))


def _catalog_fragments(programs: Sequence[Program], renderer: Renderer) -> list[bytes]:
    return renderer.memo.fragments_of("catalog", programs, _catalog_part)


def _flow_fragments(programs: Sequence[Program], renderer: Renderer) -> list[bytes]:
    return renderer.memo.fragments_of("flow", programs, _flow_part)


# Each program's parts a build makes: here, and its entry in the lists of programs (one level down).
PROGRAM_FRAGMENTS = ("results", "catalog", "flow", f"summary{LIST_ROOT}")


def prepare_fragments(site: Site, renderer: Renderer, run=None, more=(),
                      editions: Callable[[], Sequence[tuple[Site, Renderer]]] | None = None,
                      then: Callable[[Renderer, Program], object] | None = None,
                      japanese_made: Callable[[], None] | None = None) -> list[tuple[Renderer, Program, object]]:
    """Render the flow.js, results.js and catalog.json parts of programs that have none yet, and their entries in
    the lists of programs; `more`: other parts, as (kind, make(program, renderer)) in the renderer's language (the
    search index's: site/search.py). `editions()`: makes the site in other languages with their renderers
    (site/edition.py), called while the workers make the Japanese site's parts (in this process: the workers, forked
    before, do not have them); their parts are made in a second run, every language's in it. `run(count, work,
    weights, ahead, meanwhile)` may share the work out (Pool.run of navigator/workers.py): each run forks its
    workers, and waits for the last of them.
    `then(renderer, program)`, when given, is done for each program right after its parts, in the same process (its
    page, while its texts' HTML is at hand), and what it gives comes back (it must pickle); when it gives something
    other than None, the HTML of the program's texts is not sent back (then only its page needs it).
    `japanese_made()`: done in this process while the workers make the other languages' parts, every part of the
    Japanese site in the memo by then (the Japanese site's pages planned: not after the last run, the other core idle).
    Returns each program rendered, in all languages, with its renderer and what `then` gave."""
    made_later: list[tuple[Site, Renderer]] = []

    def make_editions() -> None:
        if editions is not None:
            made_later.extend(editions())
        _load_analysers(edition_renderer for _, edition_renderer in made_later)  # here, not before the next fork

    def meanwhile_later() -> None:
        if japanese_made is not None:
            japanese_made()
        for edition_site, edition_renderer in made_later:
            if edition_renderer.furigana is not None:
                _annotate_heads(edition_site, edition_renderer)

    made = _make_parts(((site, renderer),), run, more, then, make_editions)
    return made + _make_parts(made_later, run, more, then, meanwhile_later)


def _annotate_heads(site: Site, renderer: Renderer) -> None:
    """The ルビ of what the data files hold besides the programs (the questions, the documents, the disclaimer) made
    now, while the workers make the programs' parts: the data files made after them find it known (Furigana's text
    cache), instead of this process analysing it alone, the other core idle."""
    _results_head(site, renderer)
    for question in site.questions:
        _flow_question(question, renderer)


def _load_analysers(renderers: Iterable[Renderer]) -> set[Renderer]:
    """The renderers that put ルビ, their analyser loaded: before the workers fork, they share its dictionary."""
    annotating = {renderer for renderer in renderers if renderer.furigana is not None}
    for renderer in annotating:
        renderer.furigana.load()
    return annotating


def _make_parts(sites: Sequence[tuple[Site, Renderer]], run, more, then,
                meanwhile: Callable[[], None] | None = None) -> list[tuple[Renderer, Program, object]]:
    """prepare_fragments' one run, over the programs of `sites` (each with its renderer)."""
    work: list[tuple[Renderer, tuple[str, ...], Program]] = []
    for edition_site, edition_renderer in sites:
        kinds = _fragment_kinds(edition_renderer, more)
        work.extend((edition_renderer, kinds, program) for program in edition_renderer.memo.missing(edition_site.programs, kinds))

    def make(index: int) -> tuple[dict[str, bytes], dict[str, str], dict[str, str], object]:
        edition_renderer, kinds, program = work[index]
        memo = edition_renderer.memo
        _results_fragments([program], edition_renderer)
        if edition_renderer.language.is_japanese:
            _catalog_fragments([program], edition_renderer)
        _flow_fragments([program], edition_renderer)
        edition_renderer.summary(program, LIST_ROOT)
        for _, fragments in more:
            fragments([program], edition_renderer)
        # The cells' HTML too: the pages show the same texts, and a worker's conversions are lost with it.
        # And the ルビ of their text nodes (the やさしい日本語 edition): the pages' walk meets the same ones.
        keys = [memo.key(kind, program) for kind in kinds]
        furigana = edition_renderer.furigana
        after = then(edition_renderer, program) if then is not None else None
        html = {} if after is not None else edition_renderer.markdown.known(
            (program.summary, program.target, program.benefit, program.how_to_apply))
        return ({key: memo.fragments[key] for key in keys}, html, furigana.fresh() if furigana is not None else {}, after)

    # About the time each takes: a program of the やさしい日本語 edition, with its ルビ, about two and a half times another's
    # (and its page, when `then` makes it, about as long as its parts).
    weights = [(2 if edition_renderer.furigana is None else 5) * (2 if then is not None else 1)
               for edition_renderer, _, _ in work]
    def ahead(start: int, end: int) -> None:
        # The ルビ's analyser on a chunk's texts in one run (Furigana.prepare), before their parts and pages.
        texts: dict[Renderer, list[str]] = {}
        for edition_renderer, _, program in work[start:end]:
            if edition_renderer.furigana is not None:
                texts.setdefault(edition_renderer, []).extend(_texts_to_read(program, edition_renderer))
        for edition_renderer, fragments in texts.items():
            edition_renderer.furigana.prepare(fragments)

    annotating = _load_analysers(edition_renderer for edition_renderer, _, _ in work)
    if run is None:
        if meanwhile is not None:
            meanwhile()
        made = [make(index) for index in range(len(work))]
    else:
        made = run(len(work), make, weights, ahead if annotating else None, meanwhile)
    for (edition_renderer, _, _), (fragments, html, annotated, _) in zip(work, made):  # from a worker, the only way back
        edition_renderer.memo.add(fragments)
        edition_renderer.markdown.learn(html)
        if annotated:
            edition_renderer.furigana.learn(annotated)
    return [(edition_renderer, program, after) for (edition_renderer, _, program), (_, _, _, after) in zip(work, made)]


def _fragment_kinds(renderer: Renderer, more) -> tuple[str, ...]:
    """The kinds of a program's parts in the renderer's language (the results' and the summaries' words are the
    language's); catalog.json is made of the Japanese site only."""
    japanese = renderer.language.is_japanese
    return tuple(kind if kind in ("catalog", "flow") else renderer.fragment_kind(kind) for kind in PROGRAM_FRAGMENTS
                 if japanese or kind != "catalog") + tuple(renderer.fragment_kind(kind) for kind, _ in more)


def flow_page(site: Site, renderer: Renderer) -> Page:
    """data/flow.<hash>.js: the same bytes as script_page(..., flow_data(site)), each program's part kept."""
    head = flow_data(dataclasses.replace(site, programs=()), renderer)
    return program_parts_page("data", "flow", "NavigatorFlow", compact_json(head)[:-len("[]}")] + "[",
                              _flow_fragments(site.programs, renderer), "]}")


def results_page(site: Site, renderer: Renderer) -> Page:
    """data/results.<hash>.js: the same bytes as script_page(..., results_data(site)), each program's part kept."""
    return program_parts_page("data", "results", "NavigatorResults",
                              compact_json(_results_head(site, renderer))[:-1] + ',"programs":{',
                              _results_fragments(site.programs, renderer), "}}")


def catalog_json(site: Site, renderer: Renderer) -> bytes:
    """catalog.catalog_json(site, program_page) as UTF-8, byte for byte, each program's part kept."""
    data = catalog(dataclasses.replace(site, programs=()), program_page)  # all but the programs
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if not site.programs:
        return text.encode("utf-8")
    tail = '"programs": []\n}\n'
    assert text.endswith(tail)  # "programs" is the catalog's last key
    programs = _catalog_fragments(site.programs, renderer)
    return b"".join((text[:-len(tail)].encode("utf-8"), b'"programs": [\n  ', b",\n  ".join(programs), b"\n ]\n}\n"))


def indented_json(value, level: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1) for JSON data, written `level` levels deep.

    The same bytes (tests/test_incremental.py compares them), without the json module's pure-Python
    encoder, which is what an `indent` makes it use: several times faster.
    """
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return json.dumps(value)
        return float.__repr__(value)
    inner = "\n" + " " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join([
            _encode_string(key) + ": " + (_encode_string(item) if type(item) is str else indented_json(item, level + 1))
            for key, item in value.items()]) + "\n" + " " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([
            _encode_string(item) if type(item) is str else indented_json(item, level + 1)
            for item in value]) + "\n" + " " * level + "]"
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes a string with
