"""Extract the interface's words and refresh every language's catalog: `python -m navigator.tooling.messages`.

The words are found where they are written: `_("…")` in the templates (jinja2's Babel extractor),
in the page's JavaScript (Babel's JavaScript extractor) and in the site's Python. The result is
`site_templates/locales/messages.pot`; each `<code>.po` is updated from it (Babel's Catalog.update):
new words are added untranslated, words that are gone are dropped, a word whose Japanese changed
slightly is kept as fuzzy (shown in Japanese until a person checks it). `--check` changes nothing
and says what is missing, which tests/test_interface_catalogs.py asserts is nothing.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from navigator.site.interface import BABEL_LOCALE, available_interfaces, catalog_path, locales_dir
from navigator.site.templates import templates_dir

PACKAGE = Path(__file__).resolve().parent.parent
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
# The site's Python that words the pages (not the tooling: that speaks to department staff, in Japanese).
PYTHON_FOLDERS = ("site",)
# The site's Python words them with language.gettext / language.format, and marks module-level words N_("…").
PYTHON_KEYWORDS = {**DEFAULT_KEYWORDS, "format": None, "N_": None}


def extract() -> Catalog:
    """Every word of the interface, with where it is used (paths from the repository root)."""
    catalog = Catalog(project="navigator", charset="utf-8", fuzzy=False)
    templates = templates_dir()
    sources = [(templates, [("**.html", "jinja2"), ("**/vendor/**.js", "ignore"), ("**.js", "javascript")],
                {"**.html": JINJA_OPTIONS}, templates.name, DEFAULT_KEYWORDS)]
    sources += [(PACKAGE / folder, [("**.py", "python")], {}, f"navigator/{folder}", PYTHON_KEYWORDS)
                for folder in PYTHON_FOLDERS]
    for folder, method_map, options, shown_as, keywords in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map, options, keywords=keywords, strip_comment_tags=True):
            catalog.add(message, locations=[(f"{shown_as}/{filename}", lineno)], auto_comments=comments,
                        context=context, flags=("python-format",) if "%(" in _text(message) else ())
    return catalog


def _text(message) -> str:
    return message if isinstance(message, str) else "".join(message)


def missing(code: str, template: Catalog | None = None, path: Path | None = None) -> list[str]:
    """The msgids of the interface that `code`'s catalog (or the catalog at `path`) does not translate (or holds as fuzzy)."""
    template = template or extract()
    path = path or catalog_path(code)
    translated = {}
    if path.is_file():
        with path.open("rb") as po:
            translated = {m.id: m for m in read_po(po) if m.id}
    gaps = []
    for message in template:
        if not message.id:
            continue
        found = translated.get(message.id)
        if found is None or found.fuzzy or not found.string:
            gaps.append(message.id)
    return gaps


def update(codes: tuple[str, ...] | None = None) -> Catalog:
    """Write messages.pot and refresh each catalog (or create `codes`' new ones) from it."""
    template = extract()
    locales_dir().mkdir(parents=True, exist_ok=True)
    pot = locales_dir() / "messages.pot"
    if pot.is_file():  # the same words where they were: the same date, so a refresh that changes nothing shows no diff
        with pot.open("rb") as previous_file:
            previous = read_po(previous_file)
        if _entries(previous) == _entries(template):
            template.creation_date = previous.creation_date
    _write(template, pot)
    for code in codes or available_interfaces():
        path = catalog_path(code)
        if path.is_file():
            with path.open("rb") as po:
                catalog = read_po(po)
        else:
            catalog = Catalog(locale=BABEL_LOCALE.get(code, code), project="navigator", charset="utf-8", fuzzy=False)
            catalog.language_team = code
        catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # words that are gone: the .pot's history is git's
        _write(catalog, path)
    return template


def _entries(catalog: Catalog) -> list:
    return [(m.id, m.context, sorted(m.locations), sorted(m.auto_comments)) for m in catalog if m.id]


def _write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=False, include_previous=False, omit_header=False)
    path.write_bytes(out.getvalue())


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--check":
        template = extract()
        gaps = {code: missing(code, template) for code in available_interfaces()}
        for code, ids in gaps.items():
            for msgid in ids:
                print(f"{code}: 訳がありません: {msgid!r}")
        return 1 if any(gaps.values()) else 0
    update(tuple(argv) or None)
    print(f"{locales_dir() / 'messages.pot'} と各言語の .po を更新しました。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
