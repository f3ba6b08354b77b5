"""The code fingerprint: what, besides the sheets, shapes what a build reads and writes.

Every key of the build cache starts with it; any change here, and nothing cached is used.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from pathlib import Path

from navigator.site.templates import templates_dir

LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "python-calamine")


def code_fingerprint() -> str:
    """The hash of navigator's code (every module), its templates and static files, Python's version and
    the versions of the libraries that shape the output. A few milliseconds: the pipeline computes it
    once a build and passes it on."""
    from navigator import __version__

    hashed = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for library in LIBRARIES:
        try:
            hashed.update(f"{library}={importlib.metadata.version(library)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            hashed.update(f"{library}=?\0".encode())
    package = Path(__file__).resolve().parent.parent
    templates = templates_dir()
    files = [(f"navigator/{p.relative_to(package).as_posix()}", p) for p in package.rglob("*.py")]
    files += [(f"templates/{p.relative_to(templates).as_posix()}", p) for p in templates.rglob("*") if p.is_file()]
    for name, path in sorted(files):
        hashed.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()
