"""The code fingerprint: what, besides the sheets, shapes what a build reads and writes.

Every key of the build cache starts with it; any change here, and nothing cached is used.
"""

from __future__ import annotations

import hashlib
import os
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
    for library, version in library_versions(LIBRARIES).items():
        hashed.update(f"{library}={version}\0".encode())
    package = Path(__file__).resolve().parent.parent
    templates = templates_dir()
    files = [(f"navigator/{p.relative_to(package).as_posix()}", p) for p in package.rglob("*.py")]
    files += [(f"templates/{p.relative_to(templates).as_posix()}", p) for p in templates.rglob("*") if p.is_file()]
    for name, path in sorted(files):
        hashed.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def library_versions(libraries: tuple[str, ...]) -> dict[str, str]:
    """Each library's installed version ("?" if none): the name of its .dist-info folder, the first along sys.path, as
    importlib.metadata finds it. One listing of each folder of sys.path: importing importlib.metadata takes 20-40 ms,
    more than the rest of the fingerprint, and the fingerprint is made on every build (the one that changes nothing too)."""
    wanted = {_normalized(library): library for library in libraries}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[:-len(".dist-info")].partition("-")
                library = wanted.get(_normalized(project))
                if library is not None and library not in found and version:
                    found[library] = version
        if len(found) == len(wanted):
            break
    missing = [library for library in libraries if library not in found]
    if missing:  # installed some other way (an .egg-info, a zip): importlib.metadata knows those
        import importlib.metadata

        for library in missing:
            try:
                found[library] = importlib.metadata.version(library)
            except importlib.metadata.PackageNotFoundError:
                found[library] = "?"
    return {library: found[library] for library in libraries}


def _normalized(name: str) -> str:
    # A distribution's name as its .dist-info folder may spell it (PEP 503: -, _ and . alike, any case).
    return name.replace("-", "_").replace(".", "_").lower()
