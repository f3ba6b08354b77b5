"""Problems found in the sheets, as data: what the department staff read.

Every problem knows where it is (file / sheet / cell, as Excel names them), its code and
a one-line Japanese message that says what is wrong and how to fix it. The kinds of problem,
with their message templates, are declared in problem_kinds.py; a Report makes each message
from its kind's template (`report.add(kinds.BAD_URL, file=…, cell=…, header=…, url=…)`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from navigator.contract.problem_kinds import KINDS, TOO_MANY_PROBLEMS, TOO_MANY_WARNINGS, Message, ProblemKind, Severity

# The catalogue lives in problem_kinds.py, one declaration per kind; this view of it, code →
# (severity, summary), is kept for the code and tests that read it.
PROBLEM_KINDS: dict[str, tuple[Severity, str]] = {code: (kind.severity, kind.summary) for code, kind in KINDS.items()}


# Characters that would break a message's one line or a terminal: control characters, line
# separators, and the stand-ins Python uses for file-name bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_LONG_QUOTE = re.compile("「([^「」]{200,})」")
MESSAGE_MAX = 2000  # characters; a message quoting a huge cell keeps its start and its fix
# Problems listed per workbook. A sheet with the same mistake in every row (a renamed column, a
# paste shifted by one) would list 10,000 lines no one reads, and a hostile one millions: the rest
# are counted, still make their rows rejected, and are summed up in one line.
PROBLEMS_PER_WORKBOOK = 500
_SUMMARY_CODES = (TOO_MANY_PROBLEMS.code, TOO_MANY_WARNINGS.code)  # the lines about what was not listed


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
    kind = KINDS.get(code)
    if kind is None:
        raise ValueError(f"unknown problem code {code!r}")
    return kind.severity


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

    def add(self, kind: ProblemKind | Message, /, file: str | None = None, sheet: str | None = None,
            cell: str | None = None, **values: object) -> None:
        """A problem of `kind`, its message made from the kind's template and `values`.

        Over the workbook's cap the problem is only counted: its message is never made.
        """
        if not isinstance(kind, (ProblemKind, Message)):
            raise TypeError(f"{kind!r} is not a problem kind: declare it in contract/problem_kinds.py")
        if file is not None:
            listed = self._listed.get(file, 0)
            if listed >= PROBLEMS_PER_WORKBOOK:
                is_error = kind.severity == "error"
                self._withheld.setdefault(file, [0, 0])[0 if is_error else 1] += 1
                self.withheld_errors += is_error
                return
            self._listed[file] = listed + 1
        self.problems.append(Problem(code=kind.code, message=kind.format(values), file=file, sheet=sheet, cell=cell))

    def replay(self, problems: Iterable[Problem]) -> None:
        """Problems found before (a cache's), appended as they are.

        They were capped and summed up when found (the summary line is among them), so they are
        not capped again; each listed one counts toward its workbook's cap, as if added here. The
        problems withheld then are not counted again: error_count counts the listed ones.
        """
        start = len(self.problems)
        self.problems.extend(problems)
        listed = self._listed
        for problem in self.problems[start:]:
            if problem.file is not None and problem.code not in _SUMMARY_CODES:
                listed[problem.file] = listed.get(problem.file, 0) + 1

    def close_file(self, file: str) -> None:
        """After the last problem of `file`: one line saying how many were found and not listed."""
        errors, warnings = self._withheld.pop(file, (0, 0))
        if not errors and not warnings:
            return
        found = "、".join(f"{label} {count:,}件" for label, count in (("エラー", errors), ("警告", warnings)) if count)
        kind = TOO_MANY_PROBLEMS if errors else TOO_MANY_WARNINGS
        # Appended, not added: the line is over the cap it reports.
        self.problems.append(Problem(code=kind.code, file=file,
                                     message=kind.format({"listed": PROBLEMS_PER_WORKBOOK, "found": found})))

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
