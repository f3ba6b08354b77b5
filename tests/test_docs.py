"""The documentation stays true to the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from snapshot import SNAPSHOT

from navigator.contract import sheets

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


MARKDOWN_FILES = [ROOT / "README.md", ROOT / "sheets" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("document", MARKDOWN_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(document):
    """A link such as [sheet format](../docs/sheet-format.md) opens a file that is there."""
    targets = re.findall(r"\]\(([^)\s]+)\)", document.read_text(encoding="utf-8"))
    relative = [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:|#", t)]
    assert [t for t in relative if not (document.parent / t).exists()] == []


def test_sheets_readme_links_the_sheet_format():
    readme = (ROOT / "sheets" / "README.md").read_text(encoding="utf-8")
    assert "[`docs/sheet-format.md`](../docs/sheet-format.md)" in readme
    assert "SHEET_FORMAT.md" not in readme  # a file of the shared workspace, not of this repository


@pytest.mark.parametrize("spec", [sheets.SETTINGS, sheets.QUESTIONS, sheets.CATEGORIES, sheets.DOCUMENTS,
                                  sheets.DEPARTMENT, sheets.PROGRAMS], ids=lambda spec: spec.sheet)
def test_every_column_help_is_in_whole_sentences(spec):
    """The help shows in Excel and in the department guide: no full-width space runs an example into the next sentence.

    制度ID says 「…アドレスになります（例: kasetsu-jutaku）。または行には、上の行と同じ制度IDを書きます。」
    """
    for column in spec.items if isinstance(spec, sheets.KeyValueSpec) else spec.columns:
        assert "　" not in column.help.replace("（　）", ""), column.header
