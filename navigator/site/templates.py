"""Where the site's templates are (site_templates/): its own module, so that the renderer (environment.py) and the
interface's catalogs (interface.py, site_templates/locales/) both find them without importing each other."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """site_templates/ from an installed wheel (inside the package) or from a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "site_templates", package.parent / "site_templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("site_templates/ not found beside the navigator package")
