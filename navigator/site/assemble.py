"""A checked site written into OUT: the program data, every language's edition, the pages, the 更新情報 history.

The pipeline calls this when the site in OUT cannot be kept as it is; it holds the whole rendering stack
(jinja2, nh3, markdown, Sudachi), which a rebuild with nothing changed does not import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from navigator.model import Site
from navigator.site.catalog import catalog, program_data
from navigator.site.changes import next_history, read_history
from navigator.site.data import prepare_fragments
from navigator.site.edition import edition
from navigator.site.environment import Renderer
from navigator.site.interface import interface
from navigator.site.memo import RenderMemo
from navigator.site.pages import program_page
from navigator.site.plan import Job, language_jobs, program_jobs, site_jobs, site_languages
from navigator.site.search import SEARCH_FRAGMENTS
from navigator.site.write import BUILD_MARKER, Manifest, Written, file_state, write_site

CHANGES_FILE = "changes.json"  # the 更新情報 history, carried over from the previous OUT


def write_new_site(site: Site, out: Path, manifest: Manifest, memo: RenderMemo, day: dt.date,
                   catalog_before: dict | None, bytecode: Path | None, run: Callable, precompress: bool,
                   done: Callable[[str], None], fragments_made: Callable[[], None] = lambda: None,
                   renderer: Renderer | None = None) -> tuple[Written, list[Job], dict]:
    """Render SITE and swap it into OUT (site/write.py), keeping the pages of the previous site that are unchanged.

    `manifest` and `catalog_before`: what the cache recorded of the site in OUT; `done(phase)` ends each phase's timing;
    `fragments_made()` is called once every program's parts are in `memo` (the cache may start writing them).
    `renderer`: the Japanese site's, when made before (with `memo` and `bytecode`). Gives what was written, the jobs,
    and the catalog's skeleton for the cache to keep.
    """
    skeleton = catalog_skeleton(site, memo)
    history = _history(out, manifest, catalog_before, memo, site, skeleton, day)
    done("history")
    renderer = renderer or Renderer(memo, bytecode)
    languages = [renderer.language] + [interface(code) for code in site.translations]
    # Each language's program pages, planned first: a program's page is made right after its parts (below).
    planned: dict[str, dict[str, Job]] = {}  # by the language's prefix, then the program's ID

    def plan_program_pages(edition_site: Site, edition_renderer: Renderer) -> None:
        found = program_jobs(edition_site, edition_renderer, languages)
        if found is not None:
            planned[edition_renderer.language.prefix] = dict(zip((p.id for p in edition_site.programs), found))

    def planned_pages(prefix: str) -> list[Job] | None:
        """The program pages planned for the language of `prefix`, in the programs' order (None: not planned)."""
        programs = planned.get(prefix)
        return list(programs.values()) if programs is not None else None

    plan_program_pages(site, renderer)
    editions: list[tuple[Site, Renderer]] = []

    def make_editions() -> list[tuple[Site, Renderer]]:
        """The other languages' sites and their program pages' plans: made while the workers make the Japanese
        site's parts and pages (the build of 1,000 programs in four languages: about 0.35 s that were this
        process's alone)."""
        editions.extend(language_editions(site, renderer, bytecode))
        for edition_site, edition_renderer in editions:
            edition_renderer.load_templates()  # here, not after the last of the workers' runs, the other core idle
            plan_program_pages(edition_site, edition_renderer)
        return editions

    jobs: list[Job] = []

    def plan(make_early):
        """In write_site, its temporary folder made: each program's parts of results.js, catalog.json, … and with
        them its page (its texts' HTML at hand, in the same process: no HTML sent back), the Japanese site's in one
        run, every other language's in the next; then the other pages' jobs."""
        def page(edition_renderer: Renderer, program) -> tuple[str, tuple[str, bool]] | None:
            """The program's page made now: its path and what make_early gave (None: not made here)."""
            job = planned.get(edition_renderer.language.prefix, {}).get(program.id)
            made = make_early(job) if job is not None else None
            return (job.path, made) if made is not None else None

        japanese_jobs: list[tuple[list[Job], list[str]]] = []

        def plan_japanese() -> None:
            """The Japanese site's other pages and data scripts, planned while the workers make the other languages'
            parts (not after them, with the other core idle)."""
            japanese_jobs.append(language_jobs(site, renderer, history, site_languages(renderer, editions),
                                               planned_pages(renderer.language.prefix)))

        made = prepare_fragments(site, renderer, run, SEARCH_FRAGMENTS, make_editions, then=page,
                                 japanese_made=plan_japanese)
        fragments_made()
        done("data")
        jobs.extend(site_jobs(site, renderer, history=history, editions=editions,
                              planned={prefix: planned_pages(prefix) for prefix in planned},
                              japanese=japanese_jobs[0] if japanese_jobs else None))
        done("plan")
        return jobs, dict(after for _, _, after in made if after is not None)

    written = write_site(plan, out, manifest, run, precompress)
    done("render and write")
    return written, jobs, skeleton


def language_editions(site: Site, renderer: Renderer, bytecode: Path | None) -> list[tuple[Site, Renderer]]:
    """The site in each language of 設定's 言語 (site/edition.py), each with its renderer: its pages go under <code>/."""
    editions = []
    for code in site.translations:
        language = interface(code)
        furigana = None
        if code == "easy":
            from navigator.site.ruby import Furigana  # its patterns take 20 ms to compile: only for a site with easy

            furigana = Furigana.from_terms(site.terms)
        editions.append((edition(site, language),
                         Renderer(renderer.memo, bytecode, language, renderer.markdown, furigana,
                                  renderer.template_code)))
    return editions


def _history(out: Path, manifest: Manifest, catalog_before: dict | None, memo: RenderMemo, site: Site, skeleton: dict,
             day: dt.date) -> list[dict]:
    """The 更新情報 history with this build's entry: the previous catalog against the new one (only the programs
    that differ, when the cache tells which)."""
    old, new = changed_catalogs(out, manifest, catalog_before, skeleton, site, memo)
    if old is None:
        old = previous_catalog(out)
        # Without a previous catalog the history only counts the programs (公開開始): no need to assemble a whole one.
        new = catalog(site, program_page) if old is not None else {"programs": site.programs}
    return next_history(read_history(_read_text(out / CHANGES_FILE)), old, new, day.isoformat(),
                        [p.id for p in site.unpublished])


def catalog_skeleton(site: Site, memo: RenderMemo) -> dict:
    """What catalog.json is made of: the departments, and each program by the key of its part (in the memo)."""
    return {"departments": [d.name for d in site.departments],
            "programs": [(p.id, memo.key("catalog", p)) for p in site.programs]}


def changed_catalogs(out: Path, manifest: Manifest, before: dict | None, now: dict, site: Site,
                     memo: RenderMemo) -> tuple[dict | None, dict | None]:
    """The previous and the new catalog with only the programs that differ (diff.py finds the same changes in
    them as in the whole catalogs: unchanged programs make none, and the order of the others is kept), or
    (None, None) when the catalog.json in OUT is not the one the cache describes."""
    entry = manifest.get(BUILD_MARKER)
    if not isinstance(before, dict) or entry is None or file_state(out / BUILD_MARKER) != entry[2]:
        return None, None
    now_keys = dict(now["programs"])
    before_keys = dict(before["programs"])
    old_programs = []
    for program_id, key in before["programs"]:
        if now_keys.get(program_id) != key:
            text = memo.fragments.get(key)
            if text is None:
                return None, None
            old_programs.append(json.loads(text))
    new_programs = [program_data(p, program_page(p)) for p in site.programs if before_keys.get(p.id) != now_keys[p.id]]
    return ({"departments": [{"name": name} for name in before["departments"]], "programs": old_programs},
            {"departments": [{"name": name} for name in now["departments"]], "programs": new_programs})


def previous_catalog(out: Path) -> dict | None:
    """The catalog.json of the site in OUT, or None (no previous site, or unreadable)."""
    try:
        data = json.loads(_read_text(out / BUILD_MARKER) or "null")
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("programs"), list) else None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
