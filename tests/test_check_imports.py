"""`navigator check` loads only what checking needs: none of the build's libraries (jinja2, nh3, markdown), whose
imports are a good part of a check's time (issue 19, item e)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, runpy, sys
sys.argv = ["navigator", "check", sys.argv[1]]
try:
    runpy.run_module("navigator", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_check_does_not_import_the_build(tmp_path):
    env = {"PYTHONPATH": str(REPO), "NAVIGATOR_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(REPO / "sheets")], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stdout + done.stderr
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert not loaded & {"jinja2", "nh3", "markdown", "openpyxl"}, sorted(loaded & {"jinja2", "nh3", "markdown", "openpyxl"})
    assert not [name for name in result["modules"] if name.startswith(("navigator.site.environment", "navigator.pipeline",
                                                                         "navigator.incremental"))]
