"""What a problem kind is (problem_kinds.py declares every one): its code, severity, who fixes it, its wordings.

A kind has its code, severity, a summary in a few words, who fixes it (部署 or 取りまとめ課), how
(the fix the department guide gives) and its message: a str.format template whose named fields the
place that finds the problem fills in. A kind worded differently for different cases has variants
(`missing-value.item-row`), each its own template, all with the kind's code.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

DEPARTMENT = "部署"  # department workbooks
COORDINATOR = "取りまとめ課"  # common.xlsx and the sheets folder


def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True)
class Message:
    """One wording of a problem kind: its template, and the code and severity of its kind."""

    name: str  # the kind's code, or code.variant
    code: str
    severity: Severity
    template: str

    def format(self, values: Mapping[str, object]) -> str:
        return self.template.format_map(values)

    @property
    def fields(self) -> frozenset[str]:
        return _fields(self.template)


@dataclass(frozen=True)
class Example:
    """A problem as the department guide shows it: where it is, and the values of the main template's fields."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    values: Mapping[str, object] = field(default_factory=dict)


def example(file: str | None = None, sheet: str | None = None, cell: str | None = None, **values: object) -> Example:
    return Example(file, sheet, cell, values)


@dataclass(frozen=True, eq=False)  # each kind is one object: compared and hashed by identity
class ProblemKind:
    """A kind of problem; used as its main wording (it has a Message's code, severity and format)."""

    code: str
    severity: Severity
    summary: str
    where: str
    template: str
    example: Example
    fix: str
    variants: Mapping[str, str] = field(default_factory=dict)  # variant name → template
    _messages: dict[str, Message] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        messages = {"": Message(self.code, self.code, self.severity, self.template)}
        for name, template in self.variants.items():
            messages[name] = Message(f"{self.code}.{name}", self.code, self.severity, template)
        object.__setattr__(self, "_messages", messages)

    def format(self, values: Mapping[str, object]) -> str:
        return self.template.format_map(values)

    @property
    def fields(self) -> frozenset[str]:
        return _fields(self.template)

    def variant(self, name: str) -> Message:
        """The wording `name` of this kind (a KeyError for a name not declared: tests/test_problems.py checks each use)."""
        return self._messages[name]

    @property
    def messages(self) -> tuple[Message, ...]:
        """The main wording, then the variants."""
        return tuple(self._messages.values())
