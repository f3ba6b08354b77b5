"""Where each page of the site lives (paths relative to the site root, with / separators)."""

from __future__ import annotations

from navigator.model import Category, Program

# Pages rendered once from the template of the same name, at the site root.
STANDALONE_PAGES: tuple[str, ...] = ("404.html", "accessibility.html", "navi.html", "counter.html", "search.html")
# At the site root only: the server answers every unknown address with it, whatever the language.
JAPANESE_ONLY_PAGES: tuple[str, ...] = ("404.html",)
# The pages listing programs (categories/*.html, programs/index.html) are one level down.
LIST_ROOT = "../"


def program_page(program: Program) -> str:
    return f"programs/{program.id}.html"


def category_page(category: Category) -> str:
    return f"categories/{category.number}.html"
