"""`navigator diff` for people: the changes a next build makes, as lines of text or as JSON.

The changes themselves are found in site/changes.py (the 更新情報 history is made of them too).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from navigator.model import Program
from navigator.site.changes import KIND_LABELS, KIND_ORDER, OR_ROWS, PART_LABELS, Change, FieldChange, SiteChange


def by_department(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    return _grouped(changes, lambda change: change.department)


def _grouped(items: Iterable, key) -> list[tuple[str, list]]:
    """Items grouped by key(item), the groups in the order their first items came."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())


def counts(changes: Iterable[Change]) -> dict[str, int]:
    found = {kind: 0 for kind in KIND_ORDER}
    for change in changes:
        found[change.kind] += 1
    return found


def counts_words(changes: list[Change]) -> str:
    """`追加 1件、変更 2件` (kinds with none are left out)."""
    return "、".join(f"{KIND_LABELS[kind]} {n}件" for kind, n in counts(changes).items() if n)


def condition_cells(programs: Iterable[Program]) -> dict[str, list[str]]:
    """Where each program's condition rows are in the sheets now: `福祉課.xlsx / 制度 / A5`, one per row, in order."""
    found: dict[str, list[str]] = {}
    for program in programs:
        letter = next((letter for name, letter in program.cells.columns if name == "制度ID"), "A")
        found[program.id] = [f"{program.file} / {program.cells.sheet or '制度'} / {letter}{row.row}"
                             for row in program.condition_rows]
    return found


def changes_text(changes: list[Change], cells: dict[str, list[str]] | None = None) -> list[str]:
    """The changes as lines, grouped by department; old and new values of each changed field.

    Changed conditions come one condition row (or または row) a line; with `cells` (condition_cells of the
    current sheets) each new row names the cell it is read from.
    """
    lines: list[str] = []
    for department, found in by_department(changes):
        lines.append("")
        lines.append(f"■ {department}")
        for change in found:
            lines.append(f"  {change.label}: {change.name} [{change.id}]")
            for changed in change.fields:
                lines.extend(_field_lines(changed, where=(cells or {}).get(change.id, [])))
    return lines


def _field_lines(changed: FieldChange, named: bool = True, where: list[str] = ()) -> list[str]:
    """A changed field: its name (unless `named` is False), then its values before and after."""
    if changed.field == "conditions":
        return ([f"    {changed.label}:"] + _paths_lines("前", changed.old, [])
                + _paths_lines("後", changed.new, where))
    return ([f"    {changed.label}:"] if named else []) + _value_lines("前", changed.old) + _value_lines("後", changed.new)


def _paths_lines(which: str, value: str, where: list[str]) -> list[str]:
    """Conditions, one row a line (または before each after the first), each with its cell when known."""
    paths = value.split(OR_ROWS)
    cells = where if len(where) == len(paths) else []  # 条件なし stands for all rows at once: no cell to name
    lines = [f"{'または ' if n else ''}{path}" + (f"（{cells[n]}）" if cells else "") for n, path in enumerate(paths)]
    return [f"      {which}: {lines[0]}"] + [f"          {line}" for line in lines[1:]]


def _value_lines(which: str, value: str) -> list[str]:
    parts = value.splitlines() or ["（空欄）"]
    return [f"      {which}: {parts[0]}"] + [f"          {part}" for part in parts[1:]]


def summary_words(changes: list[Change], site: list[SiteChange]) -> str:
    """`制度 追加 1件、変更 2件。サイト全体 3件。`, or "" when nothing changed."""
    parts = ([f"制度 {counts_words(changes)}。"] if changes else []) + ([f"サイト全体 {len(site)}件。"] if site else [])
    return "".join(parts)


def site_changes_text(changes: list[SiteChange]) -> list[str]:
    """The site-wide changes as lines, one section per part, like `changes_text`."""
    lines: list[str] = []
    for part, found in by_part(changes):
        lines.append("")
        # A department's contact is printed on the pages of its programs whose 問い合わせ先 is empty.
        note = "（問い合わせ先が空欄の制度のページに出ます）" if part == "departments" else ""
        lines.append(f"■ {PART_LABELS[part]}{note}")
        for change in found:
            lines.append(f"  {change.label}: {change.title}")
            for changed in change.fields:
                # A setting's only field is the setting itself, already named.
                lines.extend(_field_lines(changed, named=part != "settings"))
    return lines


def by_part(changes: Iterable[SiteChange]) -> list[tuple[str, list[SiteChange]]]:
    return sorted(_grouped(changes, lambda change: change.part), key=lambda group: list(PART_LABELS).index(group[0]))


def changes_json(changes: list[Change], against: str, previous_site: bool, site: Iterable[SiteChange] = ()) -> str:
    return json.dumps({
        "against": against,
        "previous_site": previous_site,
        "counts": counts(changes),
        "departments": [{"name": name, "changes": [c.as_dict() for c in found]}
                        for name, found in by_department(changes)],
        "site": [c.as_dict() for c in site],
    }, ensure_ascii=False, indent=1)
