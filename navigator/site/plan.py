"""The site as jobs: every file, what it is made from, and a key for it (pure: nothing is written here).

Every page whose inputs can be named has a key: the hash of the code, templates and libraries
(RenderMemo.code), the template and every value it is given. Same key, same bytes: the writer
(site/write.py) keeps such a page from the previous site instead of rendering it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from navigator.hashing import digest, digest_after
from navigator.model import Category, Program, Settings, Site
from navigator.site.changes import history_json
from navigator.site.data import catalog_json, flow_page, results_page
from navigator.site.discovery import ROBOTS, SITEMAP, robots_txt, sitemap_entries, sitemap_xml
from navigator.site.environment import Renderer, templates_dir
from navigator.site.formatting import requirement_words
from navigator.site.interface import Interface, messages_script
from navigator.site.offline import SERVICE_WORKER, WEB_MANIFEST, precache_list, service_worker, web_manifest
from navigator.site.pages import JAPANESE_ONLY_PAGES, STANDALONE_PAGES, category_page, program_page
from navigator.site.search import search_page


@dataclass
class Job:
    """One file of the site: `render()` makes its content; `key` is None when it is made every build."""

    path: str
    key: str | None
    render: Callable[[], str | bytes]
    weight: int = 1  # about how long it takes to render, in program pages
    after: bool = False  # rendered last, as render(sha256 of every other file by path): sw.js
    sha256: str | None = None  # of what render() gives, when known before (the writer need not hash it again)


class _Canonical:
    """repr(), with sets sorted and each program by its digest (the same for the same program)."""

    def __init__(self, renderer: Renderer) -> None:
        self.digests = renderer.memo.digests
        self._reprs: dict[int, tuple[object, str]] = {}

    def __call__(self, value) -> str:
        kind = type(value)  # a program page's kinds of values first, by identity: 9,800 pages, five values each
        if kind is str:
            return repr(value)
        if kind is Program or isinstance(value, Program):
            return f"Program#{self.digests(value)}"
        if kind is Category or kind is Settings or isinstance(value, (Category, Settings)):
            found = self._reprs.get(id(value))  # frozen, and the same few objects on every page
            if found is None or found[0] is not value:
                found = self._reprs[id(value)] = (value, repr(value))
            return found[1]
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], Program):
            return repr([self(v) for v in value])
        if isinstance(value, (set, frozenset)):
            return repr(sorted(value))
        return repr(value)


def site_jobs(site: Site, renderer: Renderer, history: list[dict] = (),
              editions: Sequence[tuple[Site, Renderer]] = (), planned: dict[str, list[Job]] | None = None,
              japanese: tuple[list[Job], list[str]] | None = None) -> list[Job]:
    """Every file of the site as a job; nothing is rendered here but the data scripts.

    `editions`: the site in each other language of 言語 (site/edition.py) with its renderer; each
    language's pages are under `<code>/`, the Japanese ones at the root, the static files shared.
    `planned`: each language's program pages by its prefix, as `program_jobs` gave them (planned before).
    `japanese`: the Japanese site's own jobs and data scripts, if `language_jobs` gave them before."""
    languages = site_languages(renderer, editions)
    planned = planned or {}
    jobs, data_scripts = japanese or language_jobs(site, renderer, history, languages,
                                                   planned.get(renderer.language.prefix))
    jobs = list(jobs)
    listed = [(renderer.language.hreflang, "", [job.path for job in jobs if _is_listed_page(job.path)])]
    for edition_site, edition_renderer in editions:
        # Not precached (sw.js): a visitor downloads the Japanese site and the language they open, as they open it.
        language = edition_renderer.language
        edition = language_jobs(edition_site, edition_renderer, history, languages, planned.get(language.prefix))[0]
        listed.append((language.hreflang, language.prefix,
                       [job.path[len(language.prefix):] for job in edition if _is_listed_page(job.path)]))
        jobs += edition
        jobs.append(Job(f"{language.prefix}messages.js", None,
                        functools.partial(messages_script, language, edition_renderer.furigana)))
    code = renderer.memo.code
    static_root = templates_dir() / "static"
    for static in sorted(static_root.rglob("*")):
        if static.is_file():
            path = "static/" + static.relative_to(static_root).as_posix()
            jobs.append(Job(path, digest(code, path), static.read_bytes))  # its bytes are in the code fingerprint
    # As long as the list of all programs takes (programs.html): with the two, the last pages are worth a worker.
    jobs.append(Job("catalog.json", None, lambda: catalog_json(site, renderer), 1 + len(site.programs) // 32))
    jobs.append(Job("changes.json", None, lambda: history_json(list(history))))
    jobs.append(Job(WEB_MANIFEST, None, lambda: web_manifest(site.settings, renderer.language)))
    precache = precache_list([job.path for job in jobs], data_scripts)
    jobs.append(Job(SERVICE_WORKER, None, functools.partial(service_worker, precache, languages=languages), after=True))
    public_url = site.settings.public_url
    if public_url:  # absolute addresses only: without a 公開URL there is no sitemap, and no robots.txt to name it
        jobs.append(Job(SITEMAP, None, functools.partial(sitemap_xml, public_url, sitemap_entries(listed))))
        jobs.append(Job(ROBOTS, None, functools.partial(robots_txt, public_url)))
    return jobs


def program_jobs(site: Site, renderer: Renderer, languages: list[Interface]) -> list[Job] | None:
    """One language's program pages, as site_jobs plans them, before any program's parts are made: they use none of
    the data scripts (None if program.html came to: then site_jobs plans them, after the data)."""
    used = renderer.variables("program.html")
    if used is None or "data_scripts" in used:
        return None
    return _EditionPlan(site, renderer, languages).program_jobs()


def site_languages(renderer: Renderer, editions: Sequence[tuple[Site, Renderer]]) -> list[Interface]:
    """The site's languages, Japanese first: each page's language switcher lists them."""
    return [renderer.language] + [edition_renderer.language for _, edition_renderer in editions]


def language_jobs(site: Site, renderer: Renderer, history, languages: list[Interface],
                  programs: list[Job] | None = None) -> tuple[list[Job], list[str]]:
    """The pages and data scripts of one language, under its prefix (none for Japanese); `programs`: its program
    pages if planned before (program_jobs). Made of its programs' parts: once they are all in the memo."""
    plan = _EditionPlan(site, renderer, languages)
    flow_script = flow_page(site, renderer)
    results_script = results_page(site, renderer)
    search_script = search_page(site, renderer)
    plan.common["data_scripts"] = {"flow": flow_script.path, "results": results_script.path,
                                   "search": search_script.path}
    page, programs_in = plan.page, plan.programs_in
    jobs = [page("index.html", "index.html", counts={c.name: len(programs_in[c.name]) for c in site.categories})]
    jobs.append(page("programs/index.html", "programs.html",
                     groups=[(c, programs_in[c.name]) for c in site.categories]))
    for category in site.categories:
        jobs.append(page(category_page(category), "category.html", category=category,
                         programs=programs_in[category.name]))
    jobs.extend(programs if programs is not None else plan.program_jobs())
    public_url = site.settings.public_url
    language = renderer.language
    for name in STANDALONE_PAGES:
        if language.is_japanese or name not in JAPANESE_ONLY_PAGES:
            # Served for a missing address at any depth: with a 公開URL its links are absolute (see 404.html).
            absolute = {"root": public_url, "site_root": public_url} if name == NOT_FOUND and public_url else {}
            jobs.append(page(name, name, **absolute))
    jobs.append(page("changes.html", "changes.html", live_pages={program_page(p) for p in site.programs},
                     entries=[{**e, "day": dt.date.fromisoformat(e["date"])} for e in reversed(history)]))
    prefix = language.prefix
    jobs.extend(Job(prefix + made.path, None, functools.partial(getattr, made, "content"), sha256=made.sha256)
                for made in (flow_script, results_script, search_script))
    return jobs, [prefix + flow_script.path, prefix + results_script.path, prefix + search_script.path]


class _EditionPlan:
    """How one language's pages become jobs: the values its pages share, and each page's key."""

    def __init__(self, site: Site, renderer: Renderer, languages: list[Interface]) -> None:
        self.site, self.renderer = site, renderer
        # data_scripts is added by language_jobs, once the data scripts are made (program pages do not use it).
        self.common = {"site": site, "settings": site.settings, "language": renderer.language, "languages": languages}
        self.canonical = _Canonical(renderer)
        # The values every page of a template shares, and the key of a page as a function of its own values (None: no key).
        self._shared_by_template: dict[str, tuple[dict, Callable[..., str] | None]] = {}
        self.programs_in = {c.name: [] for c in site.categories}  # site.programs_in(c) for every category, in one pass
        for program in site.programs:
            self.programs_in[program.category].append(program)

    def shared_values(self, template: str) -> tuple[dict, Callable[..., str] | None]:
        found = self._shared_by_template.get(template)
        if found is None:  # once per template, not once per page: 9,800 program pages share theirs
            used = self.renderer.variables(template)
            common = self.common
            shared = dict(common) if used is None else {name: value for name, value in common.items() if name in used}
            # No key for a page of the whole site (below): then not its text either, which would hold every program.
            key = None if used is None or "site" in shared else digest_after(self.renderer.memo.code, template, "\0".join(
                f"{name}={self.canonical(shared[name])}" for name in sorted(shared)))
            found = self._shared_by_template[template] = (shared, key)
        return found

    def render(self, template: str, shared: dict, own: dict, derived: Callable[[], dict] | None) -> str:
        values = {**shared, **own, **derived()} if derived is not None else {**shared, **own}
        renderer = self.renderer
        return renderer.ruby(renderer.template(template).render(values))

    def page(self, path: str, template: str, derived: Callable[[], dict] | None = None, derived_from: str = "",
             **context) -> Job:
        """`derived()`: more values, made only if the page is rendered; `derived_from`, all they are made of
        besides the other values (in the key instead of them). `path` is within the language's pages."""
        prefix = self.renderer.language.prefix
        depth = path.count("/")
        shared, shared_key = self.shared_values(template)
        own = {"root": "../" * depth, "site_root": "../" * (depth + prefix.count("/")), "path": path, **context}
        # The whole site as an input (index, all programs): made every build, as cheap to make as to key.
        canonical = self.canonical
        key = None if shared_key is None else shared_key(
            "\0".join([f"{name}={canonical(own[name])}" for name in sorted(own)]), derived_from, self.renderer.readings)
        listed = context.get("programs", self.site.programs if template == "programs.html" else ())
        return Job(prefix + path, key, functools.partial(self.render, template, shared, own, derived), 1 + len(listed) // 32)

    def program_jobs(self) -> list[Job]:
        site, language = self.site, self.renderer.language
        category_of = {c.name: c for c in site.categories}
        # A program page's conditions are in words of the questions (requirement_words): made from the program
        # (in its key) and the questions' texts, as for every page.
        questions = digest(repr(site.questions))

        def conditions(program: Program) -> dict:
            rows = [[requirement_words(req, site, language) for req in row.requirements] for row in program.condition_rows]
            return {"condition_rows": [r for r in rows if r], "applies_to_everyone": not any(rows)}

        return [self.page(program_page(program), "program.html", functools.partial(conditions, program),
                          f"questions={questions}", program=program, category=category_of[program.category])
                for program in site.programs]


NOT_FOUND = "404.html"


def _is_listed_page(path: str) -> bool:
    """A page for sitemap.xml: every HTML page but the 404 page (not a page of its own address)."""
    return path.endswith(".html") and path != NOT_FOUND and not path.startswith("static/")
