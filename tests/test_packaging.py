"""The installed package finds its templates: site_templates/ travels inside the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The wheel, built from a copy of the project, and what the build printed (pip -v: the backend's own output)."""
    # Build from a copy: setuptools leaves a build/ folder where it builds, and build/ is the site's.
    tmp_path = tmp_path_factory.mktemp("wheel")
    source = tmp_path / "source"
    for name in ("navigator", "site_templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps",
                           "--wheel-dir", str(tmp_path / "dist"), str(source)], check=True, capture_output=True, text=True)
    return next((tmp_path / "dist").glob("navigator-*.whl")), done.stdout + done.stderr


def test_the_build_prints_no_packaging_warning(built):
    """setuptools has nothing to warn about: the licence is an SPDX string, every data folder is declared.

    Left out: pip's own notes about this machine's package index ("WARNING: Location ... is ignored") and
    distutils saying pip turned byte-compiling off, which are not about the project.
    """
    _, printed = built
    warnings = [line.strip() for line in printed.splitlines()
                if re.search(r"warning", line, re.I) and "Location 'file:" not in line and "byte-compiling is disabled" not in line]
    assert warnings == []


def test_the_wheel_carries_the_site_templates(built):
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "site_templates").rglob("*") if p.is_file()}
    assert templates
    assert {f"navigator/{name}" for name in templates} <= names
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "navigator").rglob("*.py")}
    assert "navigator/cli/__init__.py" in modules
    assert modules <= names  # every package of the pipeline, not only the top one
