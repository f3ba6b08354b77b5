"""What changed between two builds: two catalogs (catalog.json's shape) → a list of changes.

Pure: no files, no clock. `navigator diff` compares the sheets with the site last built,
`navigator build` keeps a history of these lists (`changes.json`) for the 更新情報 page.

Unpublished programs are not in a catalog, so what is unpublished now is passed in
(`unpublished`, from Validation.site.unpublished); what was unpublished before is only known
from the history (`unpublished_in_history`): a program absent from the previous catalog and
not known to have been unpublished is simply 追加.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

ChangeKind = Literal["added", "published", "changed", "unpublished", "removed"]

KIND_LABELS: dict[str, str] = {
    "added": "追加", "published": "公開になった", "changed": "変更", "unpublished": "非公開になった", "removed": "削除",
}
KIND_ORDER = tuple(KIND_LABELS)

# The compared fields of a catalog program, with the sheet's column names ("id" and "page" follow 制度ID).
FIELD_LABELS: dict[str, str] = {
    "name": "制度名", "category": "分類", "department": "部署", "summary": "概要", "target": "対象者",
    "benefit": "支援内容", "deadline": "申請期限", "how_to_apply": "申請方法", "documents": "必要書類",
    "contact": "問い合わせ先", "online_url": "オンライン申請URL", "detail_url": "詳細URL", "conditions": "条件",
}

HISTORY_LIMIT = 100  # entries kept in changes.json
START = "start"  # the first build's entry (公開開始)
UPDATE = "update"


@dataclass(frozen=True)
class FieldChange:
    field: str  # the catalog key
    label: str  # the sheet's column name
    old: str  # in words, "" when empty
    new: str

    def as_dict(self) -> dict:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    id: str
    name: str
    department: str
    category: str
    page: str | None  # the program's page in the new site; None when it is no longer published
    fields: tuple[FieldChange, ...] = field(default=())

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "id": self.id, "name": self.name,
                "department": self.department, "category": self.category, "page": self.page,
                "fields": [f.as_dict() for f in self.fields]}


EMPTY_CATALOG: dict = {"departments": [], "programs": []}


def diff_catalogs(old: dict | None, new: dict, unpublished: Iterable[str] = (),
                  previously_unpublished: Iterable[str] = ()) -> list[Change]:
    """The changes from catalog `old` (None: no previous site) to catalog `new`.

    `unpublished`: IDs of programs kept out of `new` by 公開=×; `previously_unpublished`: IDs
    known to have been kept out of `old` the same way. Ordered by department (the new
    catalog's order, then departments that are gone), then kind, then catalog order.
    """
    old = old or EMPTY_CATALOG
    old_programs = {p["id"]: p for p in old.get("programs", [])}
    new_programs = {p["id"]: p for p in new.get("programs", [])}
    unpublished, previously_unpublished = set(unpublished), set(previously_unpublished)

    changes: list[Change] = []
    for program_id, program in new_programs.items():
        before = old_programs.get(program_id)
        if before is None:
            kind = "published" if program_id in previously_unpublished else "added"
            changes.append(_change(kind, program, program["page"]))
            continue
        fields = tuple(_field_changes(before, program))
        if fields:
            changes.append(_change("changed", program, program["page"], fields))
    for program_id, program in old_programs.items():
        if program_id not in new_programs:
            changes.append(_change("unpublished" if program_id in unpublished else "removed", program, None))

    departments = [d["name"] for d in new.get("departments", [])]
    for name in [d["name"] for d in old.get("departments", [])] + [c.department for c in changes]:
        if name not in departments:
            departments.append(name)
    position = {program_id: n for n, program_id in enumerate([*new_programs, *old_programs])}
    return sorted(changes, key=lambda c: (departments.index(c.department), KIND_ORDER.index(c.kind), position[c.id]))


def by_department(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.department, []).append(change)
    return list(groups.items())


def counts(changes: Iterable[Change]) -> dict[str, int]:
    found = {kind: 0 for kind in KIND_ORDER}
    for change in changes:
        found[change.kind] += 1
    return found


def _change(kind: ChangeKind, program: dict, page: str | None, fields: tuple[FieldChange, ...] = ()) -> Change:
    return Change(kind, program["id"], program["name"], program["department"], program["category"], page, fields)


def _field_changes(old: dict, new: dict) -> Iterable[FieldChange]:
    for key, label in FIELD_LABELS.items():
        before, after = old.get(key), new.get(key)
        if key == "conditions":
            before, after = conditions_in_words(before or [[]]), conditions_in_words(after or [[]])
        else:
            before, after = value_in_words(before), value_in_words(after)
        if before != after:
            yield FieldChange(key, label, before, after)


def value_in_words(value) -> str:
    """A catalog value as text: lists one item a line, a deadline as written, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, dict):  # deadline
        return value.get("text") or value.get("date") or ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def condition_in_words(condition: dict) -> str:
    """`住家被害: 全壊 または 大規模半壊`, `世帯人数: 2以上`."""
    if "range" in condition:
        return f"{condition['question']}: {condition['range']['text']}"
    return f"{condition['question']}: {' または '.join(condition['choices'])}"


def conditions_in_words(rows: list[list[dict]]) -> str:
    """A program's condition rows (catalog shape) as one line a department reads.

    Conditions of one row are joined with かつ, the または rows with ／ または.
    """
    words = [" かつ ".join(condition_in_words(c) for c in row) for row in rows]
    if not any(words):
        return "条件なし（どなたでも対象）"
    return " ／ または ".join(w or "条件なし（どなたでも対象）" for w in words)


# --- the history kept in changes.json ------------------------------------------------------------

def next_history(history: list[dict], old: dict | None, new: dict, today: str, unpublished: Iterable[str] = ()
                 ) -> list[dict]:
    """The history after a build on `today` (YYYY-MM-DD): one entry more when something changed.

    No previous catalog and no history: the first build, recorded as 公開開始. No previous
    catalog but a history (the catalog was lost): nothing can be compared, nothing is added.
    """
    history = list(history)
    if old is None:
        if not history:
            history.append({"date": today, "kind": START, "programs": len(new.get("programs", [])), "changes": []})
    else:
        changes = diff_catalogs(old, new, unpublished, unpublished_in_history(history))
        if changes:
            history.append({"date": today, "kind": UPDATE, "changes": [c.as_dict() for c in changes]})
    return history[-HISTORY_LIMIT:]


def unpublished_in_history(history: Iterable[dict]) -> set[str]:
    """IDs whose last recorded change made them unpublished (公開=×) rather than gone."""
    last: dict[str, str] = {}
    for entry in history:
        for change in entry.get("changes", []):
            last[change["id"]] = change["kind"]
    return {program_id for program_id, kind in last.items() if kind == "unpublished"}


def read_history(text: str | None) -> list[dict]:
    """changes.json's entries; anything unreadable counts as no history."""
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    entries = data.get("entries") if isinstance(data, dict) else None
    return [e for e in entries if isinstance(e, dict) and _is_date(e.get("date"))
            and isinstance(e.get("changes"), list)] if isinstance(entries, list) else []


def _is_date(value) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def history_json(history: list[dict]) -> str:
    return json.dumps({"schema_version": 1, "entries": history}, ensure_ascii=False, indent=1) + "\n"


# --- for people: `navigator diff` ---------------------------------------------------------------

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
                lines.append(f"    {changed.label}:")
                lines.extend(_value_lines("前", changed.old))
                lines.extend(_value_lines("後", changed.new))
    return lines


def _value_lines(which: str, value: str) -> list[str]:
    parts = value.splitlines() or ["（空欄）"]
    return [f"      {which}: {parts[0]}"] + [f"          {part}" for part in parts[1:]]


def changes_json(changes: list[Change], against: str, previous_site: bool) -> str:
    return json.dumps({
        "against": against,
        "previous_site": previous_site,
        "counts": counts(changes),
        "departments": [{"name": name, "changes": [c.as_dict() for c in found]}
                        for name, found in by_department(changes)],
    }, ensure_ascii=False, indent=1)
