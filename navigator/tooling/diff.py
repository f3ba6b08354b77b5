"""`navigator diff` for people: the changes a next build makes, as lines of text or as JSON.

The changes themselves are found in site/changes.py (the 更新情報 history is made of them too).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from navigator.site.changes import KIND_LABELS, KIND_ORDER, PART_LABELS, Change, FieldChange, SiteChange


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


def changes_text(changes: list[Change]) -> list[str]:
    """The changes as lines, grouped by department; old and new values of each changed field."""
    lines: list[str] = []
    for department, found in by_department(changes):
        lines.append("")
        lines.append(f"■ {department}")
        for change in found:
            lines.append(f"  {change.label}: {change.name} [{change.id}]")
            for changed in change.fields:
                lines.extend(_field_lines(changed))
    return lines


def _field_lines(changed: FieldChange, named: bool = True) -> list[str]:
    """A changed field: its name (unless `named` is False), then its values before and after."""
    return ([f"    {changed.label}:"] if named else []) + _value_lines("前", changed.old) + _value_lines("後", changed.new)


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
