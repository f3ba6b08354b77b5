"""The generated parts of docs/department-guide.md, so that the guide cannot drift from the code.

The guide is written by hand, except the parts between `<!-- 自動生成ここから: NAME -->` and
`<!-- 自動生成ここまで: NAME -->`: the columns (from navigator.contract.sheets, input messages
included) and the errors (from navigator.contract.problem_kinds: each kind's summary and fix,
and its example made from its message template). A test fails when the file differs from what
this module generates.

    python -m navigator.tooling.guide    # rewrites the generated parts of docs/department-guide.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from navigator.contract import sheets as schema
from navigator.contract.problem_kinds import COORDINATOR, DEPARTMENT, KINDS, ProblemKind
from navigator.contract.problems import Report

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "department-guide.md"


def example_line(kind: ProblemKind) -> str:
    """The kind's example as `navigator check` prints it: made by a Report, like every problem."""
    report = Report()
    where = kind.example
    report.add(kind, file=where.file, sheet=where.sheet, cell=where.cell, **where.values)
    return str(report.problems[0])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def program_columns() -> str:
    lines = ["| 列 | 必須 | 書き方 |", "|---|---|---|"]
    for column in schema.PROGRAMS.columns:
        lines.append(f"| {column.header} | {'必須' if column.required else ''} | {_cell(column.help)} |")
    return "\n".join(lines)


def department_items() -> str:
    lines = ["| 項目 | 必須 | 書き方 |", "|---|---|---|"]
    for item in schema.DEPARTMENT.items:
        lines.append(f"| {item.header} | {'必須' if item.required else ''} | {_cell(item.help)} |")
    return "\n".join(lines)


def problems() -> str:
    parts = []
    for where, title in ((DEPARTMENT, "部署のブックで出るもの"), (COORDINATOR, "取りまとめ課（common.xlsx・フォルダ）で出るもの")):
        parts.append(f"### {title}\n")
        for kind in KINDS.values():
            if kind.where != where:
                continue
            label = "エラー" if kind.severity == "error" else "警告"
            parts.append(f"#### {kind.summary}（{label}・`{kind.code}`）\n\n"
                         f"表示の例:\n\n> {example_line(kind)}\n\n"
                         f"直し方: {kind.fix}\n")
    return "\n".join(parts).rstrip()


BLOCKS = {"制度の列": program_columns, "部署の項目": department_items, "エラーと警告": problems}


def _markers(name: str) -> tuple[str, str]:
    return (f"<!-- 自動生成ここから: {name}（python -m navigator.tooling.guide で作り直します。ここは手で直さないでください） -->",
            f"<!-- 自動生成ここまで: {name} -->")


def refresh(text: str) -> str:
    """The guide with its generated parts made from the code again."""
    for name, make in BLOCKS.items():
        begin, end = _markers(name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"marker for {name!r} not found in the guide")
        text = pattern.sub(lambda _: f"{begin}\n{make()}\n{end}", text)
    return text


def main() -> int:
    text = GUIDE.read_text(encoding="utf-8")
    new = refresh(text)
    if new != text:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"{GUIDE} を更新しました。")
    else:
        print(f"{GUIDE} は最新です。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
