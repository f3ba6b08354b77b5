"""Problems found in the sheets, as data: what the department staff read.

Every problem knows where it is (file / sheet / cell, as Excel names them), its code and
a one-line Japanese message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import json
import re
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
    "unsupported-format": ("error", "読まない形式のファイル（.xls・.ods・.csv など）"),
    "empty-file": ("error", "中身が空（0 バイト）のファイル"),
    "workbook-too-large": ("error", "上限を超える大きさ（ファイル・展開後の中身・行・列・セルの文字数）"),
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
    "too-many-problems": ("error", "1つのブックの問題が多すぎて、一部だけを表示"),
    "unknown-setting": ("warning", "知らない設定項目"),
    "unknown-column": ("warning", "知らない列（無視される）"),
    "too-many-warnings": ("warning", "1つのブックの警告が多すぎて、一部だけを表示"),
}


# Characters that would break a message's one line or a terminal: control characters, line
# separators, and the stand-ins Python uses for file-name bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_LONG_QUOTE = re.compile("「([^「」]{200,})」")
MESSAGE_MAX = 2000  # characters; a message quoting a huge cell keeps its start and its fix
# Problems listed per workbook. A sheet with the same mistake in every row (a renamed column, a
# paste shifted by one) would list 10,000 lines no one reads, and a hostile one millions: the rest
# are counted, still make their rows rejected, and are summed up in one line.
PROBLEMS_PER_WORKBOOK = 500


def _visible(match: re.Match) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␊ for a line break, ␉ for a tab: seen, and on one line
    if code == 0x7F:
        return "\u2421"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte of a file name that is not UTF-8
    return f"\\u{code:04x}"


def one_line(text: str | None) -> str | None:
    """Text from cells and file names made safe for a one-line message: nothing invisible, no line break."""
    return None if text is None else _UNPRINTABLE.sub(_visible, text)


def _short_message(message: str) -> str:
    message = _LONG_QUOTE.sub(lambda m: f"「{m.group(1)[:100]}…（全{len(m.group(1)):,}文字）」", message)
    if len(message) > MESSAGE_MAX:
        message = f"{message[:MESSAGE_MAX - 400]} …（省略）… {message[-300:]}"
    return one_line(message)


def severity_of(code: str) -> Severity:
    if code not in PROBLEM_KINDS:
        raise ValueError(f"unknown problem code {code!r}")
    return PROBLEM_KINDS[code][0]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    severity: Severity = field(default="error")

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", severity_of(self.code))
        object.__setattr__(self, "message", _short_message(self.message))
        for name in ("file", "sheet", "cell"):
            object.__setattr__(self, name, one_line(getattr(self, name)))

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
        self.problems: list[Problem] = []  # appended to only
        self._sorted = 0  # how many of `problems` are in _errors or _warnings
        self._errors: list[Problem] = []
        self._warnings: list[Problem] = []
        self._listed: dict[str, int] = {}  # file → problems listed
        self._withheld: dict[str, list[int]] = {}  # file → [errors, warnings] found beyond PROBLEMS_PER_WORKBOOK
        self.withheld_errors = 0  # over all files, never decreasing

    def add(self, code: str, message: str, file: str | None = None, sheet: str | None = None,
            cell: str | None = None) -> None:
        if file is not None:
            listed = self._listed.get(file, 0)
            if listed >= PROBLEMS_PER_WORKBOOK:
                is_error = severity_of(code) == "error"
                self._withheld.setdefault(file, [0, 0])[0 if is_error else 1] += 1
                self.withheld_errors += is_error
                return
            self._listed[file] = listed + 1
        self.problems.append(Problem(code=code, message=message, file=file, sheet=sheet, cell=cell))

    def close_file(self, file: str) -> None:
        """After the last problem of `file`: one line saying how many were found and not listed."""
        errors, warnings = self._withheld.pop(file, (0, 0))
        if not errors and not warnings:
            return
        found = "、".join(f"{label} {count:,}件" for label, count in (("エラー", errors), ("警告", warnings)) if count)
        code = "too-many-problems" if errors else "too-many-warnings"
        self.problems.append(Problem(
            code=code, file=file,
            message=f"このブックには問題が多いため、最初の{PROBLEMS_PER_WORKBOOK}件だけを表示しています（ほかに{found}）。"
                    "多くの行に同じ間違いがあるときは、見出しの行と列の位置を確かめてください。"
                    "表示された問題を直してから、もう一度確認してください。"))

    @property
    def error_count(self) -> int:
        """Errors found, listed or not: what the checks compare to tell whether a row had one."""
        return len(self.errors) + self.withheld_errors

    def _sort_new(self) -> None:
        # The checks ask for len(errors) on every row: kept up to date, not rebuilt (a sheet with
        # thousands of mistakes made that quadratic).
        for problem in self.problems[self._sorted:]:
            (self._errors if problem.severity == "error" else self._warnings).append(problem)
        self._sorted = len(self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The errors, in order (do not change the list)."""
        if self._sorted != len(self.problems):
            self._sort_new()
        return self._errors

    @property
    def warnings(self) -> list[Problem]:
        """The warnings, in order (do not change the list)."""
        if self._sorted != len(self.problems):
            self._sort_new()
        return self._warnings

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def to_json(self) -> str:
        return json.dumps([p.as_dict() for p in self.problems], ensure_ascii=False, indent=2)
