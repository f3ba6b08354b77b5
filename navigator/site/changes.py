"""What changed between two builds: two catalogs (catalog.json's shape) → a list of changes.

Pure: no files, no clock. `navigator diff` compares the sheets with the site last built (tooling/diff.py prints it),
`navigator build` keeps a history of these lists (`changes.json`) for the 更新情報 page.
`site_changes` compares the rest of the site (設定, 質問, 分類, 部署): `navigator diff` shows it,
the 更新情報 history stays about programs.

Unpublished programs are not in a catalog, so what is unpublished now is passed in
(`unpublished`, from Validation.site.unpublished); what was unpublished before is only known
from the history (`unpublished_in_history`): a program absent from the previous catalog and
not known to have been unpublished is simply 追加.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from navigator.contract import sheets as schema
from navigator.site.interface import N_

ChangeKind = Literal["added", "published", "changed", "unpublished", "removed"]

KIND_LABELS: dict[str, str] = {
    "added": "追加", "published": "公開になった", "changed": "変更", "unpublished": "非公開になった", "removed": "削除",
}
KIND_ORDER = tuple(KIND_LABELS)

CONDITIONS_LABEL = "条件"


def _program_labels() -> dict[str, str]:
    """The compared fields of a catalog program, with the sheet's column names, 部署 right after 分類.

    Not compared: 制度ID names the program (and "page" follows it), 公開 decides whether it is in the catalog.
    """
    labels: dict[str, str] = {}
    for key, label in schema.compared_labels(schema.PROGRAMS, identity="id").items():
        if key == "published":
            continue
        labels[key] = label
        if key == "category":
            labels["department"] = schema.DEPARTMENT.sheet
    labels["conditions"] = CONDITIONS_LABEL
    return labels


FIELD_LABELS = _program_labels()

# The labels as the 更新情報 page shows them, for the catalogs (the page shows each stored label through gettext;
# tests/test_interface_catalogs.py checks this lists every one of FIELD_LABELS).
SHOWN_FIELD_LABELS = (N_("制度名"), N_("分類"), N_("部署"), N_("概要"), N_("対象者"), N_("支援内容"), N_("申請期限"),
                      N_("申請方法"), N_("必要書類"), N_("問い合わせ先"), N_("オンライン申請URL"), N_("詳細URL"), N_("条件"))

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
    return OR_ROWS.join(w or "条件なし（どなたでも対象）" for w in words)


OR_ROWS = " ／ または "  # between the words of a program's condition rows, in their order


# --- the rest of the site: 設定, 質問, 分類, 部署 -------------------------------------------------

SitePart = Literal["settings", "questions", "categories", "departments"]
SiteChangeKind = Literal["added", "changed", "moved", "removed"]

PART_LABELS: dict[str, str] = {
    "settings": "設定（common.xlsx）", "questions": "質問（common.xlsx）", "categories": "分類（common.xlsx）",
    "departments": "部署の連絡先",
}
SITE_KIND_LABELS: dict[str, str] = {"added": "追加", "changed": "変更", "moved": "順番の変更", "removed": "削除"}
SITE_KIND_ORDER = tuple(SITE_KIND_LABELS)

# Each part's compared keys with the sheet's 項目 or column names.
SETTING_LABELS = schema.compared_labels(schema.SETTINGS)
QUESTION_LABELS = schema.compared_labels(schema.QUESTIONS, identity="id")
CATEGORY_LABELS = schema.compared_labels(schema.CATEGORIES, identity="name")
DEPARTMENT_LABELS = schema.compared_labels(schema.DEPARTMENT, identity="name")
QUESTION_TYPES: dict[str, str] = {"single": "単一選択", "multiple": "複数選択", "number": "数値"}
POSITION = "position"  # the FieldChange.field of a moved question or category


@dataclass(frozen=True)
class SiteChange:
    part: SitePart
    kind: SiteChangeKind
    key: str  # as the sheet names the item: the 項目 of a setting, 質問ID, 分類名, 部署名
    name: str  # what residents read: 質問文 for a question, else the same as key
    fields: tuple[FieldChange, ...] = field(default=())

    @property
    def label(self) -> str:
        return SITE_KIND_LABELS[self.kind]

    @property
    def title(self) -> str:
        return f"{self.name} [{self.key}]" if self.part == "questions" else self.key

    def as_dict(self) -> dict:
        return {"part": self.part, "kind": self.kind, "label": self.label, "key": self.key, "name": self.name,
                "fields": [f.as_dict() for f in self.fields]}


def site_changes(old: dict | None, new: dict) -> list[SiteChange]:
    """The changes to the settings, questions, categories and departments from catalog `old` to `new`.

    `old` None (no previous site): nothing, as every program is new anyway. A part missing from
    either catalog is not compared. Ordered by part, then kind, then position (new order first).
    A question or category whose order among the others changed, and nothing else, is `moved`.
    """
    if old is None:
        return []
    changes: list[SiteChange] = []
    if "settings" in old and "settings" in new:
        for key, label in SETTING_LABELS.items():
            before, after = value_in_words(old["settings"].get(key)), value_in_words(new["settings"].get(key))
            if before != after:
                changes.append(SiteChange("settings", "changed", label, label, (FieldChange(key, label, before, after),)))
    changes += _list_changes(old, new, "questions", "id", QUESTION_LABELS, _question_words, ordered=True)
    changes += _list_changes(old, new, "categories", "name", CATEGORY_LABELS, _words, ordered=True)
    # Departments follow the workbooks' file names, an order residents never see.
    changes += _list_changes(old, new, "departments", "name", DEPARTMENT_LABELS, _words, ordered=False)
    return changes


def _list_changes(old: dict, new: dict, part: SitePart, key: str, labels: dict[str, str], words,
                  ordered: bool) -> list[SiteChange]:
    if part not in old or part not in new:
        return []
    before = {item[key]: item for item in old[part]}
    after = {item[key]: item for item in new[part]}
    moved = _moved([k for k in before if k in after], [k for k in after if k in before]) if ordered else set()

    def name(item: dict) -> str:
        return item.get("text", item[key]) if part == "questions" else item[key]

    found: list[SiteChange] = []
    for n, (item_key, item) in enumerate(after.items()):
        previous = before.get(item_key)
        if previous is None:
            found.append(SiteChange(part, "added", item_key, name(item)))
            continue
        fields = [FieldChange(k, label, words(k, previous.get(k)), words(k, item.get(k))) for k, label in labels.items()]
        fields = [f for f in fields if f.old != f.new]
        if item_key in moved:
            fields.append(FieldChange(POSITION, "順番", f"{list(before).index(item_key) + 1}番目", f"{n + 1}番目"))
        if fields:
            kind = "moved" if [f.field for f in fields] == [POSITION] else "changed"
            found.append(SiteChange(part, kind, item_key, name(item), tuple(fields)))
    found += [SiteChange(part, "removed", k, name(item)) for k, item in before.items() if k not in after]
    position = {k: n for n, k in enumerate([*after, *before])}
    return sorted(found, key=lambda c: (SITE_KIND_ORDER.index(c.kind), position[c.key]))


def _moved(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """The fewest items whose moving turns old_order into new_order: those off a longest common subsequence."""
    if list(old_order) == list(new_order):
        return set()  # the usual case, without the quadratic table
    rows, cols = len(old_order), len(new_order)
    length = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            length[i][j] = (length[i + 1][j + 1] + 1 if old_order[i] == new_order[j]
                            else max(length[i + 1][j], length[i][j + 1]))
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if old_order[i] == new_order[j]:
            kept.add(old_order[i])
            i, j = i + 1, j + 1
        elif length[i + 1][j] >= length[i][j + 1]:
            i += 1
        else:
            j += 1
    return set(new_order) - kept


def _words(key: str, value) -> str:
    return value_in_words(value)


def _question_words(key: str, value) -> str:
    if key == "type":
        return QUESTION_TYPES.get(value, value_in_words(value))
    if key == "display_conditions":
        return "\n".join(condition_in_words(c) for c in value or [])
    return value_in_words(value)


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
