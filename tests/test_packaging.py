"""The installed package finds its templates: site_templates/ travels inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_wheel_carries_the_site_templates(tmp_path):
    # Build from a copy: setuptools leaves a build/ folder where it builds, and build/ is the site's.
    source = tmp_path / "source"
    for name in ("navigator", "site_templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("navigator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "site_templates").rglob("*") if p.is_file()}
    assert templates
    assert {f"navigator/{name}" for name in templates} <= names
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "navigator").rglob("*.py")}
    assert "navigator/cli/__init__.py" in modules
    assert modules <= names  # every package of the pipeline, not only the top one
