"""`navigator check` loads only what checking needs: none of the build's libraries (jinja2, nh3, markdown), whose
imports are a good part of a check's time (issue 19, item e); nor does a build that keeps the site as it is."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from navigator.cli import main
try:
    main(sys.argv[1:])  # given its arguments, main raises SystemExit instead of ending the process
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_check_does_not_import_the_build(tmp_path):
    env = {"PYTHONPATH": str(REPO), "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    result = modules_loaded(env, tmp_path, "check", str(REPO / "sheets"))
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert not loaded & {"jinja2", "nh3", "markdown", "openpyxl"}, sorted(loaded & {"jinja2", "nh3", "markdown", "openpyxl"})
    assert not [name for name in result["modules"] if name.startswith(("navigator.site.environment", "navigator.pipeline",
                                                                         "navigator.incremental"))]
    # Nor the rule engine (match, --review) or the site's writer: a few milliseconds each, on every check.
    assert not {"navigator.rules", "navigator.tooling.review", "navigator.site.write"} & set(result["modules"])


RENDERING = {"jinja2", "nh3", "markdown", "sudachipy", "babel"}


def test_a_rebuild_with_nothing_changed_does_not_import_the_rendering(tmp_path):
    env = {"PYTHONPATH": str(REPO), "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "NAVIGATOR_BUILD_DATE": "2027-01-01"}
    first = modules_loaded(env, tmp_path, "build", str(REPO / "sheets"), "-o", str(tmp_path / "out"))
    # it rendered (python-markdown only if a cell needs the parser: the sample city's all take the fast path)
    assert {name.split(".")[0] for name in first["modules"]} >= {"jinja2", "nh3"}
    again = modules_loaded(env, tmp_path, "build", str(REPO / "sheets"), "-o", str(tmp_path / "out"))
    assert re.sub(r"（[\d.]+秒）", "", again["output"]) == re.sub(r"（[\d.]+秒）", "", first["output"])  # the same site
    loaded = {name.split(".")[0] for name in again["modules"]}
    assert not loaded & RENDERING, sorted(loaded & RENDERING)
    assert "navigator.site.assemble" not in again["modules"]


def modules_loaded(env: dict, cwd: Path, *arguments: str) -> dict:
    """The modules `navigator ARGUMENTS` had loaded when it ended, its exit code and what it printed."""
    done = subprocess.run([sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stdout + done.stderr
    return result | {"output": "".join(done.stdout.splitlines(keepends=True)[:-1]) + done.stderr}


def test_a_site_without_easy_does_not_load_the_ruby(tmp_path):
    from sheetmaker import small_city

    sheets = small_city(tmp_path / "sheets")  # Japanese only: no 言語
    env = {"PYTHONPATH": str(REPO), "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "NAVIGATOR_BUILD_DATE": "2027-01-01"}
    result = modules_loaded(env, tmp_path, "build", str(sheets), "-o", str(tmp_path / "out"))
    assert "navigator.site.assemble" in result["modules"]  # it rendered
    assert "navigator.site.ruby" not in result["modules"] and "sudachipy" not in result["modules"]
