"""Problems found in the sheets, as data: what the department staff read.

Every problem knows where it is (file / sheet / cell, as Excel names them), its code and
a one-line Japanese message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# The catalogue of problem kinds: code → (severity, what it means in a few words).
# The department guide and the tests are checked against this list.
PROBLEM_KINDS: dict[str, tuple[Severity, str]] = {
    "no-common-workbook": ("error", "common.xlsx がない"),
    "unreadable-workbook": ("error", "ブックとして読めないファイル"),
    "password-protected": ("error", "パスワードで保護されたブック"),
    "corrupt-workbook": ("error", "壊れたブック"),
    "missing-sheet": ("error", "必須のシートがない"),
    "missing-header": ("error", "必須の見出しがない"),
    "duplicate-header": ("error", "同じ見出しが2つある"),
    "missing-value": ("error", "必須の値が空"),
    "formula-without-value": ("error", "計算結果が保存されていない数式"),
    "id-not-text": ("error", "IDが数値や日付として入力されている"),
    "invalid-question-id": ("error", "質問IDに使えない文字や長さ"),
    "invalid-program-id": ("error", "制度IDに使えない文字や長さ"),
    "duplicate-setting": ("error", "設定の項目が2つある"),
    "duplicate-question-id": ("error", "同じ質問IDが2つある"),
    "duplicate-choice": ("error", "同じ選択肢が2つある"),
    "duplicate-category": ("error", "同じ分類名が2つある"),
    "duplicate-program-id": ("error", "同じ制度IDが2つある"),
    "unknown-answer-type": ("error", "回答形式が単一選択・複数選択・数値のどれでもない"),
    "missing-choices": ("error", "選択式の質問に選択肢がない"),
    "unknown-category": ("error", "分類シートにない分類"),
    "unknown-condition-question": ("error", "条件列の見出しが知らない質問を指している"),
    "unknown-condition-choice": ("error", "条件列の見出しが知らない選択肢を指している"),
    "unknown-mark": ("error", "条件列の印が読めない"),
    "unknown-publish-value": ("error", "公開列の値が読めない"),
    "bad-range": ("error", "数値の範囲が読めない"),
    "bad-display-condition": ("error", "表示条件が読めない"),
    "display-condition-later-question": ("error", "表示条件が後の質問を指している"),
    "display-condition-unknown-question": ("error", "表示条件が知らない質問を指している"),
    "display-condition-unknown-choice": ("error", "表示条件が知らない選択肢を指している"),
    "bad-url": ("error", "URLが http(s) ではない"),
    "row-without-id": ("error", "制度IDのない行"),
    "unknown-setting": ("warning", "知らない設定項目"),
    "unknown-column": ("warning", "知らない列（無視される）"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    severity: Severity = field(default="error")

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_KINDS:
            raise ValueError(f"unknown problem code {self.code!r}")
        object.__setattr__(self, "severity", PROBLEM_KINDS[self.code][0])

    @property
    def location(self) -> str:
        return " / ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def __str__(self) -> str:
        label = "エラー" if self.severity == "error" else "警告"
        where = f"{self.location}: " if self.location else ""
        return f"[{label}] {where}{self.message}"

    def as_dict(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in ("severity", "code", "file", "sheet", "cell", "message")}


class Report:
    """Every problem found, in the order found; nothing stops at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, file: str | None = None, sheet: str | None = None,
            cell: str | None = None) -> None:
        self.problems.append(Problem(code=code, message=message, file=file, sheet=sheet, cell=cell))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> str:
        return json.dumps([p.as_dict() for p in self.problems], ensure_ascii=False, indent=2)
