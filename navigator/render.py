"""Rendering the model into the site's files (in memory; output.py writes them).

Text from cells is untrusted: Markdown is rendered with `markdown` and sanitised with nh3
(only http(s), mailto and tel links), everything else is escaped by jinja2's autoescape.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape

from navigator.catalog import catalog_json, question_data
from navigator.diff import history_json
from navigator.model import Category, Deadline, Program, Requirement, Site

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "blockquote",
                "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "del", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
WEEKDAYS = "月火水木金土日"


def templates_dir() -> Path:
    """site_templates/ from an installed wheel (inside the package) or from a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "site_templates", package.parent / "site_templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("site_templates/ not found beside the navigator package")


@functools.lru_cache(maxsize=1)
def _markdown_converter() -> markdown_lib.Markdown:
    # Building a converter costs as much as converting a short cell: build one, reset it per cell.
    return markdown_lib.Markdown(extensions=["nl2br", "sane_lists", "tables"], output_format="html")


@functools.lru_cache(maxsize=None)
def render_markdown(text: str) -> Markup:
    if not text:
        return Markup("")
    converter = _markdown_converter()
    html = converter.reset().convert(text)
    # Headings in a cell sit under the page's own h1/h2: shift them down two levels.
    html = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 2)}", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer")
    return Markup(clean)


def plain_lines(text: str) -> Markup:
    """Plain text with its line breaks kept (contacts, office hours)."""
    return Markup("<br>").join(escape(line) for line in text.splitlines() if line.strip())


_PHONE = re.compile(r"(?<![0-9])(0\d{1,4}-\d{1,4}-\d{3,4}|0120-\d{2,3}-\d{3}|0\d{9,10})(?![0-9])")


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


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=render_markdown, lines=plain_lines, contact=contact_html, tel=tel_href, deadline=deadline_html,
                       japanese_date=japanese_date)
    env.globals.update(program_page=program_page, category_page=category_page)
    return env


def flow_data(site: Site) -> dict:
    """What the question flow needs to ask the questions and compute the results (small)."""
    return {
        "site_name": site.settings.site_name,
        "questions": [_flow_question(q) for q in site.questions],
        "categories": [{"name": c.name, "page": category_page(c)} for c in site.categories],
        "programs": [{"id": p.id, "category": p.category,
                      "conditions": [[req.as_dict() for req in row.requirements] for row in p.condition_rows]}
                     for p in site.programs],
    }


def _flow_question(question) -> dict:
    data = question_data(question)
    data["help_html"] = str(render_markdown(data.pop("help")))
    return data


def results_data(site: Site, env: jinja2.Environment) -> dict:
    """The program texts shown with the results: one file every resident downloads whole."""
    contact = env.get_template("_contact.html")
    programs = {}
    for program in site.programs:
        deadline = program.deadline
        programs[program.id] = {
            "name": program.name,
            "page": program_page(program),
            "summary_html": str(render_markdown(program.summary)),
            "benefit_html": str(render_markdown(program.benefit)),
            "target_html": str(render_markdown(program.target)),
            "deadline": None if deadline is None else {
                "date": deadline.date.isoformat() if deadline.date else None,
                "html": str(deadline_html(deadline))},
            "documents": list(program.documents),
            "contact_html": contact.render(program=program).strip(),
            "online_url": program.online_url or None,
            "department": program.department.name,
        }
    return {
        "disclaimer_html": str(render_markdown(site.settings.disclaimer)),
        "contact_html": str(contact_html(site.settings.contact)),
        "programs": programs,
    }


def script_page(folder: str, name: str, variable: str, data: dict) -> Page:
    """Data as a script file (works from file:// too), named by its content so caches never serve it stale."""
    text = f"window.{variable} = {json.dumps(data, ensure_ascii=False, separators=(',', ':'))};\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Page(f"{folder}/{name}.{digest}.js", text)


def render_site(site: Site, env: jinja2.Environment | None = None, history: list[dict] = ()) -> list[Page]:
    """Every file of the site, in memory; nothing is written here. `history`: the 更新情報 entries (diff.py)."""
    env = env or make_environment()
    flow_script = script_page("data", "flow", "NavigatorFlow", flow_data(site))
    results_script = script_page("data", "results", "NavigatorResults", results_data(site, env))
    common = {"site": site, "settings": site.settings,
              "data_scripts": {"flow": flow_script.path, "results": results_script.path}}

    def page(path: str, template: str, **context) -> Page:
        depth = path.count("/")
        root = "../" * depth
        html = env.get_template(template).render(root=root, path=path, **common, **context)
        return Page(path, html)

    pages = [page("index.html", "index.html", counts={c.name: len(site.programs_in(c)) for c in site.categories})]
    pages.append(page("programs/index.html", "programs.html",
                      groups=[(c, site.programs_in(c)) for c in site.categories]))
    for category in site.categories:
        pages.append(page(category_page(category), "category.html", category=category,
                          programs=site.programs_in(category)))
    for program in site.programs:
        category = next(c for c in site.categories if c.name == program.category)
        rows = [[requirement_words(req, site) for req in row.requirements] for row in program.condition_rows]
        pages.append(page(program_page(program), "program.html", program=program, category=category,
                          condition_rows=[r for r in rows if r], applies_to_everyone=not any(rows)))
    for name in STANDALONE_PAGES:
        pages.append(page(name, name))
    pages.append(page("changes.html", "changes.html", live_pages={program_page(p) for p in site.programs},
                      entries=[{**e, "day": dt.date.fromisoformat(e["date"])} for e in reversed(history)]))
    pages.append(Page("changes.json", history_json(list(history))))
    for static in sorted((templates_dir() / "static").rglob("*")):
        if static.is_file():
            pages.append(Page("static/" + static.relative_to(templates_dir() / "static").as_posix(), static.read_bytes()))
    pages.append(Page("catalog.json", catalog_json(site, program_page)))
    pages.extend([flow_script, results_script])
    return pages
