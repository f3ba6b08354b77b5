"""Rendering the model into the site's files (in memory; output.py writes them).

Text from cells is untrusted: Markdown is rendered with `markdown` and sanitised with nh3
(only http(s), mailto and tel links), everything else is escaped by jinja2's autoescape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import json.encoder
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
import nh3
from markupsafe import Markup, escape

from navigator.model import Category, Deadline, Program, Requirement, Settings, Site
from navigator.site.catalog import catalog, program_data, question_data
from navigator.site.changes import history_json

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "blockquote",
                "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "del", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
WEEKDAYS = "月火水木金土日"


def templates_dir() -> Path:
    """site_templates/ from an installed wheel (inside the package) or from a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "site_templates", package.parent / "site_templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("site_templates/ not found beside the navigator package")


@functools.lru_cache(maxsize=1)
def _markdown_converter():
    # Building a converter costs as much as converting a short cell: build one, reset it per cell.
    # Imported here: most cells never need the parser (simple_html), and most builds none at all.
    import markdown as markdown_lib

    return markdown_lib.Markdown(extensions=["nl2br", "sane_lists", "tables"], output_format="html")


# Text → sanitised HTML, for every cell rendered in this process.
MARKDOWN_MEMO: dict[str, str] = {}

# Most cells need no Markdown parser: plain text, `**bold**` and simple `- ` lists. Text made only
# of characters that neither Markdown, its extensions (nl2br, sane_lists, tables) nor the sanitiser
# treat specially, whose lines start like no other block (heading, quote, code, ordered or nested
# list, rule, setext underline) and have nothing to trim, is turned into HTML here (`simple_html`),
# byte for byte what the parser and nh3 give: tests/test_incremental.py checks it over many strings,
# and anything else, or in doubt, goes through the parser.
_SIMPLE_CHARACTERS = (
    r"\n !\"$%'()*+,\-./0-9:;=?@A-Za-z^"  # ASCII: not & < > _ ` [ ] \ | ~ # { } or a tab
    "\u00a1-\u00ac\u00ae-\u167f\u1681-\u180d\u180f-\u1fff\u2010-\u2027\u2030-\u205e"  # not NBSP, soft hyphen,
    "\u2070-\ud7ff\ue000-\ufefe\uff00-\uffef\U00010000-\U0010ffff"  # odd spaces, zero-width or bidi marks
)
_NOT_SIMPLE_CHARACTER = re.compile(f"[^{_SIMPLE_CHARACTERS}]")
_NOT_SIMPLE_LINE = re.compile(
    r"^(?:[+=]|-(?! )|- (?:[-+=*\u3000]|\d+\.(?:[ \u3000]|$))|\*(?!\*[^*\s])|\d+\.(?:[ \u3000]|$))"  # block starts
    r"|^[ \u3000]|[ \u3000]$|  |\A\n|\n\Z", re.M)  # something to trim, a hard break
_STRONG = re.compile(r"\*\*([^*\s](?:[^*\n]*?[^*\s])?)\*\*")


def _simple_inline(line: str) -> str | None:
    if "*" not in line:
        return line
    html = _STRONG.sub(r"<strong>\1</strong>", line)
    return None if "*" in html else html


def simple_html(text: str) -> str | None:
    """What Markdown and nh3 make of simple text (paragraphs, <br> at line breaks, **bold**, `- ` lists); None for other text."""
    if not text:
        return ""
    if _NOT_SIMPLE_CHARACTER.search(text) is not None or _NOT_SIMPLE_LINE.search(text) is not None:
        return None
    parts = []
    previous_list = False
    for block in re.split(r"\n\n+", text):
        lines = block.split("\n")
        items = sum(1 for line in lines if line.startswith("- "))
        if items == 0:
            inline = [_simple_inline(line) for line in lines]
            if None in inline:
                return None
            parts.append("<p>" + "<br>\n".join(inline) + "</p>")
            previous_list = False
        elif items == len(lines) and not previous_list:  # two lists in a row would be one loose list
            inline = [_simple_inline(line[2:]) for line in lines]
            if None in inline:
                return None
            parts.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in inline) + "</ul>")
            previous_list = True
        else:
            return None
    return "\n".join(parts)


def markdown_html(text: str) -> str:
    """A cell's Markdown as sanitised HTML (a str; `render_markdown` gives it as Markup)."""
    html = MARKDOWN_MEMO.get(text)
    if html is None:
        html = MARKDOWN_MEMO[text] = _convert(text)
    return html


def _convert(text: str) -> str:
    if not text:
        return ""
    html = simple_html(text)
    return parsed_markdown(text) if html is None else html


def parsed_markdown(text: str) -> str:
    """The Markdown parser's and nh3's way, for any text (the fast path's reference)."""
    converter = _markdown_converter()
    html = converter.reset().convert(text)
    # Headings in a cell sit under the page's own h1/h2: shift them down two levels.
    html = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 2)}", html)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def render_markdown(text: str) -> Markup:
    return Markup(markdown_html(text))


def plain_lines(text: str) -> Markup:
    """Plain text with its line breaks kept (contacts, office hours)."""
    return Markup("<br>").join(escape(line) for line in text.splitlines() if line.strip())


_PHONE = re.compile(r"(?<![0-9])(0\d{1,4}-\d{1,4}-\d{3,4}|0120-\d{2,3}-\d{3}|0\d{9,10})(?![0-9])")


@functools.lru_cache(maxsize=None)  # the site's contact is in every page's footer: made once a build
def contact_html(text: str) -> Markup:
    """A contact text with its line breaks kept and its phone numbers tappable."""
    def link(line: str) -> Markup:
        parts, last = [], 0
        for found in _PHONE.finditer(line):
            parts.append(escape(line[last:found.start()]))
            parts.append(Markup('<a href="{}">{}</a>').format(tel_href(found.group(0)), found.group(0)))
            last = found.end()
        parts.append(escape(line[last:]))
        return Markup("").join(parts)
    return Markup("<br>").join(link(line) for line in text.splitlines() if line.strip())


def tel_href(number: str) -> str:
    digits = re.sub(r"[^0-9+]", "", number)
    return f"tel:{digits}" if len(digits) >= 3 else ""


def japanese_date(day: dt.date) -> str:
    """`2027年（令和9年）3月31日（水）`: residents read both calendars."""
    era = ""
    if day >= dt.date(2019, 5, 1):
        year = day.year - 2018
        era = f"（令和{'元' if year == 1 else year}年）"
    return f"{day.year}年{era}{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


@functools.lru_cache(maxsize=None)  # many programs share a deadline: made once a build
def deadline_html(deadline: Deadline | None) -> Markup:
    if deadline is None:
        return Markup("")
    if deadline.date is None:
        return escape(deadline.text)
    return Markup('<time datetime="{}">{}</time>').format(deadline.date.isoformat(), japanese_date(deadline.date))


def requirement_words(requirement: Requirement, site: Site) -> str:
    question = site.question(requirement.question_id)
    if requirement.range is not None:
        return f"{question.text} → {requirement.range.text}"
    return f"{question.text} → {' または '.join(requirement.choices)}"


# Pages rendered once from the template of the same name, at the site root.
STANDALONE_PAGES: tuple[str, ...] = ("404.html", "accessibility.html", "navi.html")


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site root, with / separators
    content: str | bytes


def program_page(program: Program) -> str:
    return f"programs/{program.id}.html"


def category_page(category: Category) -> str:
    return f"categories/{category.number}.html"


def make_environment(bytecode_folder: Path | None = None) -> jinja2.Environment:
    """The templates' environment; `bytecode_folder` keeps the compiled templates for the next build (build.py)."""
    bytecode_cache = None
    if bytecode_folder is not None:
        try:
            bytecode_folder.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_folder))  # checked against each source
        except OSError:
            bytecode_cache = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no stat() of every template for every page
    )
    env.filters.update(markdown=render_markdown, lines=plain_lines, contact=contact_html, tel=tel_href, deadline=deadline_html,
                       japanese_date=japanese_date)
    env.globals.update(program_page=program_page, category_page=category_page,
                       program_summaries=lambda programs, root: Markup(
                           "".join([_summary_fragment(program, env, root) for program in programs])),
                       program_contact=lambda program: Markup(contact_block(program, env.get_template("_contact.html"))))
    return env


def flow_data(site: Site) -> dict:
    """What the question flow needs to ask the questions and compute the results (small)."""
    return {
        "site_name": site.settings.site_name,
        "questions": [_flow_question(q) for q in site.questions],
        "categories": [{"name": c.name, "page": category_page(c)} for c in site.categories],
        "programs": [_flow_program(p) for p in site.programs],
    }


def _flow_program(program: Program) -> dict:
    return {"id": program.id, "category": program.category,
            "conditions": [[req.as_dict() for req in row.requirements] for row in program.condition_rows]}


def _flow_question(question) -> dict:
    data = question_data(question)
    data["help_html"] = str(render_markdown(data.pop("help")))
    return data


def results_data(site: Site, env: jinja2.Environment) -> dict:
    """The program texts shown with the results: one file every resident downloads whole."""
    contact = env.get_template("_contact.html")
    return {
        "disclaimer_html": str(render_markdown(site.settings.disclaimer)),
        "contact_html": str(contact_html(site.settings.contact)),
        "programs": {program.id: _results_entry(program, contact) for program in site.programs},
    }


_CONTACT_BLOCKS: dict[tuple, str] = {}


def contact_block(program: Program, template: jinja2.Template) -> str:
    """_contact.html for a program: made of its 問い合わせ先 and its department only, so made once for each."""
    key = (program.contact, program.department)
    html = _CONTACT_BLOCKS.get(key)
    if html is None:
        html = _CONTACT_BLOCKS[key] = template.render(program=program)
    return html


def _results_entry(program: Program, contact: jinja2.Template) -> dict:
    deadline = program.deadline
    return {
        "name": program.name,
        "page": program_page(program),
        "summary_html": str(render_markdown(program.summary)),
        "benefit_html": str(render_markdown(program.benefit)),
        "target_html": str(render_markdown(program.target)),
        "deadline": None if deadline is None else {
            "date": deadline.date.isoformat() if deadline.date else None,
            "html": str(deadline_html(deadline))},
        "documents": list(program.documents),
        "contact_html": contact_block(program, contact).strip(),
        "online_url": program.online_url or None,
        "department": program.department.name,
    }


def script_page(folder: str, name: str, variable: str, data: dict) -> Page:
    """Data as a script file (works from file:// too), named by its content so caches never serve it stale."""
    return script_text_page(folder, name, variable, _compact_json(data))


def script_text_page(folder: str, name: str, variable: str, json_text: str) -> Page:
    data = f"window.{variable} = {json_text};\n".encode("utf-8")  # as bytes: large, encoded once
    digest = hashlib.sha256(data).hexdigest()[:12]
    return Page(f"{folder}/{name}.{digest}.js", data)


def _compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- the site as jobs: what each file is made from, and a key for it ----------------------------
#
# Each program's part of results.js and catalog.json is kept here by a key of everything it is made
# of (filled by build.py from its cache, so an unchanged program is not rendered again), and every
# page whose inputs can be named has a key too: the hash of the code, templates and libraries
# (cache.fingerprint), the template and every value it is given. Same key, same bytes.
FRAGMENTS: dict[str, str] = {}
FRAGMENTS_USED: set[str] = set()  # the keys this build used: the cache keeps these only


@dataclass
class Job:
    """One file of the site: `render()` makes its content; `key` is None when it is made every build."""

    path: str
    key: str | None
    render: Callable[[], str | bytes]
    weight: int = 1  # about how long it takes to render, in program pages


def _digest(*parts: str) -> str:
    # The sha256 of every part followed by a NUL, encoded once.
    return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint() -> str:
    from navigator.incremental.store import fingerprint

    return fingerprint()


_PROGRAM_DIGESTS: dict[int, tuple[Program, str]] = {}


def program_digest(program: Program) -> str:
    """The hash of everything a program is (its repr: every field, its department and conditions), once per object.

    The build cache keeps it with the workbook's checked programs (cache.WorkbookCache) and gives it
    back with them (`known_program_digest`): the same workbook bytes make the same programs.
    """
    found = _PROGRAM_DIGESTS.get(id(program))
    if found is None or found[0] is not program:
        found = _PROGRAM_DIGESTS[id(program)] = (program, _digest(repr(program)))
    return found[1]


def known_program_digest(program: Program, digest: str) -> None:
    _PROGRAM_DIGESTS[id(program)] = (program, digest)


_FRAGMENTS_FINGERPRINT = [""]


def start_of_build(fingerprint: str) -> None:
    """Fragments kept in this process were made by the code and templates of `fingerprint` only."""
    if _FRAGMENTS_FINGERPRINT[0] != fingerprint:
        FRAGMENTS.clear()
        KNOWN_TEMPLATE_VARIABLES.clear()
        _FRAGMENTS_FINGERPRINT[0] = fingerprint
    FRAGMENTS_USED.clear()


def end_of_build() -> None:
    """Let go of what one build kept (a long `navigator serve` builds again and again; the next may have
    other templates: build.py calls this in a `finally`)."""
    _PROGRAM_DIGESTS.clear()
    _REPRS.clear()
    contact_html.cache_clear()
    deadline_html.cache_clear()
    _CONTACT_BLOCKS.clear()
    for key in [key for key in FRAGMENTS if key not in FRAGMENTS_USED]:
        del FRAGMENTS[key]
    FRAGMENTS_USED.clear()


def fragment_key(kind: str, program: Program) -> str:
    return _fragment_key(kind, program_digest(program))


def _fragment_key(kind: str, digest: str) -> str:
    # The fingerprint is not in it: the cache drops every fragment when the fingerprint changes (cache.py).
    return f"{kind}:{digest}"


def _fragment(kind: str, program: Program, make: Callable[[], str]) -> str:
    key = fragment_key(kind, program)
    FRAGMENTS_USED.add(key)
    text = FRAGMENTS.get(key)
    if text is None:
        text = FRAGMENTS[key] = make()
    return text


def _results_fragment(program: Program, contact: jinja2.Template) -> str:
    return _fragment("results", program,
                     lambda: f"{_compact_json(program.id)}:{_compact_json(_results_entry(program, contact))}")


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


def _catalog_fragment(program: Program) -> str:
    # Nested two levels down in catalog.json ("programs": [ ... ]).
    return _fragment("catalog", program, lambda: indented_json(program_data(program, program_page(program)), 2))


# The pages listing programs (categories/*.html, programs/index.html) are one level down.
LIST_ROOT = "../"


def _summary_fragment(program: Program, env: jinja2.Environment, root: str) -> str:
    """A program's entry in the lists of programs (_program_summary.html), once for every page that lists it."""
    return _fragment(f"summary{root}", program,
                     lambda: env.get_template("_program_summary.html").render(root=root, program=program))


def prepare_fragments(site: Site, env: jinja2.Environment, run=None) -> int:
    """Render the flow.js, results.js and catalog.json parts of programs that have none yet, and their entries in
    the lists of programs; `run` may share the work out."""
    contact = env.get_template("_contact.html")
    kinds = ("results", "catalog", "flow", f"summary{LIST_ROOT}")
    missing = [p for p, digest in ((p, program_digest(p)) for p in site.programs)
               if any(_fragment_key(kind, digest) not in FRAGMENTS for kind in kinds)]

    def make(index: int) -> None:
        _results_fragment(missing[index], contact)
        _catalog_fragment(missing[index])
        _flow_fragment(missing[index])
        _summary_fragment(missing[index], env, LIST_ROOT)

    if run is None:
        for index in range(len(missing)):
            make(index)
    else:
        run(len(missing), make, [2] * len(missing))
    return len(missing)


def _flow_fragment(program: Program) -> str:
    return _fragment("flow", program, lambda: _compact_json(_flow_program(program)))


def flow_page(site: Site) -> Page:
    """data/flow.<hash>.js: the same bytes as script_page(..., flow_data(site)), each program's part kept."""
    head = flow_data(dataclasses.replace(site, programs=()))
    programs = [_flow_fragment(p) for p in site.programs]
    text = _compact_json(head)[:-len("[]}")] + "[" + ",".join(programs) + "]}"
    return script_text_page("data", "flow", "NavigatorFlow", text)


def results_page(site: Site, env: jinja2.Environment) -> Page:
    """data/results.<hash>.js: the same bytes as script_page(..., results_data(site, env)), each program's part kept."""
    contact = env.get_template("_contact.html")
    programs = [_results_fragment(p, contact) for p in site.programs]
    head = {"disclaimer_html": str(render_markdown(site.settings.disclaimer)),
            "contact_html": str(contact_html(site.settings.contact))}
    text = _compact_json(head)[:-1] + ',"programs":{' + ",".join(programs) + "}}"
    return script_text_page("data", "results", "NavigatorResults", text)


def fast_catalog_json(site: Site) -> str:
    """catalog.catalog_json(site, program_page), byte for byte, each program's part kept."""
    data = catalog(dataclasses.replace(site, programs=()), program_page)  # all but the programs
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if not site.programs:
        return text
    tail = '"programs": []\n}\n'
    assert text.endswith(tail)  # "programs" is the catalog's last key
    programs = [_catalog_fragment(p) for p in site.programs]
    return text[:-len(tail)] + '"programs": [\n  ' + ",\n  ".join(programs) + "\n ]\n}\n"


_TEMPLATE_VARIABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# template_variables() of make_environment()'s templates, by name: kept in the build cache (the templates are in
# its fingerprint), so that a rebuild does not parse them again. Emptied when the fingerprint changes.
KNOWN_TEMPLATE_VARIABLES: dict[str, frozenset[str] | None] = {}


def template_variables(env: jinja2.Environment, name: str) -> frozenset[str] | None:
    """Every variable a template reads, with the templates it extends and includes; None if it cannot be told."""
    known = _TEMPLATE_VARIABLES.setdefault(env, {})
    if name not in known and name in KNOWN_TEMPLATE_VARIABLES:
        known[name] = KNOWN_TEMPLATE_VARIABLES[name]
    if name not in known:
        names: set[str] = set()
        pending, seen = [name], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            tree = env.parse(env.loader.get_source(env, current)[0])
            names |= jinja2.meta.find_undeclared_variables(tree)
            for referenced in jinja2.meta.find_referenced_templates(tree):
                if referenced is None:  # a template named at run time: could read anything
                    names = None
                    break
                pending.append(referenced)
            if names is None:
                break
        known[name] = KNOWN_TEMPLATE_VARIABLES[name] = None if names is None else frozenset(names)
    return known[name]


_REPRS: dict[int, tuple[object, str]] = {}


def _canonical(value) -> str:
    """repr(), with sets sorted and each program by its digest (the same for the same program)."""
    if type(value) is str:
        return repr(value)
    if isinstance(value, Program):
        return f"Program#{program_digest(value)}"
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Program):
        return repr([_canonical(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value))
    if isinstance(value, (Category, Settings)):  # frozen, and the same few objects on every page
        found = _REPRS.get(id(value))
        if found is None or found[0] is not value:
            found = _REPRS[id(value)] = (value, repr(value))
        return found[1]
    return repr(value)


def site_jobs(site: Site, env: jinja2.Environment | None = None, history: list[dict] = ()) -> list[Job]:
    """Every file of the site as a job, in render_site's order; nothing is rendered here but the data scripts."""
    env = env or make_environment()
    flow_script = flow_page(site)
    results_script = results_page(site, env)
    common = {"site": site, "settings": site.settings,
              "data_scripts": {"flow": flow_script.path, "results": results_script.path}}
    fingerprint = _fingerprint()

    variables: dict[str, frozenset[str] | None] = {}

    def page(path: str, template: str, derived: Callable[[], dict] | None = None, derived_from: str = "",
             **context) -> Job:
        """`derived()`: more values, made only if the page is rendered; `derived_from`, all they are made of
        besides the other values (in the key instead of them)."""
        depth = path.count("/")
        if template not in variables:
            variables[template] = template_variables(env, template)
        used = variables[template]
        shared = common if used is None else {name: value for name, value in common.items() if name in used}
        values = {"root": "../" * depth, "path": path, **shared, **context}
        # The whole site as an input (index, all programs): made every build, as cheap to make as to key.
        key = None if used is None or "site" in shared else _digest(
            fingerprint, template, "\0".join(f"{name}={_canonical(values[name])}" for name in sorted(values)),
            derived_from)
        listed = context.get("programs", site.programs if template == "programs.html" else ())
        if derived is None:
            make = lambda: env.get_template(template).render(**values)  # noqa: E731
        else:
            make = lambda: env.get_template(template).render(**values, **derived())  # noqa: E731
        return Job(path, key, make, 1 + len(listed) // 32)

    def ready(made: Page) -> Job:
        return Job(made.path, None, lambda: made.content)

    programs_in = {c.name: [] for c in site.categories}  # site.programs_in(c) for every category, in one pass
    for program in site.programs:
        programs_in[program.category].append(program)
    jobs = [page("index.html", "index.html", counts={c.name: len(programs_in[c.name]) for c in site.categories})]
    jobs.append(page("programs/index.html", "programs.html",
                     groups=[(c, programs_in[c.name]) for c in site.categories]))
    category_of = {c.name: c for c in site.categories}
    for category in site.categories:
        jobs.append(page(category_page(category), "category.html", category=category,
                         programs=programs_in[category.name]))
    # A program page's conditions are in words of the questions (requirement_words): made from the program
    # (in its key) and the questions' texts, as for every page.
    questions = _digest(repr(site.questions))

    def conditions(program: Program) -> dict:
        rows = [[requirement_words(req, site) for req in row.requirements] for row in program.condition_rows]
        return {"condition_rows": [r for r in rows if r], "applies_to_everyone": not any(rows)}

    for program in site.programs:
        jobs.append(page(program_page(program), "program.html", functools.partial(conditions, program),
                         f"questions={questions}", program=program, category=category_of[program.category]))
    for name in STANDALONE_PAGES:
        jobs.append(page(name, name))
    jobs.append(page("changes.html", "changes.html", live_pages={program_page(p) for p in site.programs},
                     entries=[{**e, "day": dt.date.fromisoformat(e["date"])} for e in reversed(history)]))
    jobs.append(Job("changes.json", None, lambda: history_json(list(history))))
    static_root = templates_dir() / "static"
    for static in sorted(static_root.rglob("*")):
        if static.is_file():
            path = "static/" + static.relative_to(static_root).as_posix()
            jobs.append(Job(path, _digest(fingerprint, path), static.read_bytes))  # its bytes are in the fingerprint
    jobs.append(Job("catalog.json", None, lambda: fast_catalog_json(site)))
    jobs.extend([ready(flow_script), ready(results_script)])
    return jobs


def render_site(site: Site, env: jinja2.Environment | None = None, history: list[dict] = ()) -> list[Page]:
    """Every file of the site, in memory; nothing is written here. `history`: the 更新情報 entries (diff.py)."""
    return [Page(job.path, job.render()) for job in site_jobs(site, env, history)]
