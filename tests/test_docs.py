"""The documentation stays true to the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from snapshot import SNAPSHOT

ROOT = Path(__file__).parent.parent


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    commands = [line.split("#")[0].strip() for line in block]
    assert commands == ["bash scripts/build", "bash scripts/test"]
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_catalog_key_is_documented():
    documented = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    catalog = json.loads((SNAPSHOT / "catalog.json").read_text(encoding="utf-8"))
    keys = set(catalog)
    for section in ("settings",):
        keys |= set(catalog[section])
    for section in ("questions", "categories", "departments", "programs"):
        for item in catalog[section]:
            keys |= set(item)
    missing = sorted(key for key in keys if f"`{key}`" not in documented)
    assert missing == []
