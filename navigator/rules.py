"""The condition semantics of docs/sheet-format.md: which questions are asked, which programs apply.

This is the Python half of "one rule engine, two runtimes"; site_templates/static/rules.js
is the other half and the tests hold both to the same answers.

Answers map a question ID to: the chosen choice (単一選択), a frozenset of chosen choices
(複数選択; empty means "none of these"), or a float (数値). A question missing from the
answers was left unanswered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Mapping, Union

from navigator.model import Program, Question, Requirement, Site

Answer = Union[str, frozenset, float]
Verdict = Literal["fits", "fails", "unknown"]


def requirement_verdict(requirement: Requirement, question: Question, answers: Mapping[str, Answer],
                        asked: Mapping[str, bool]) -> Verdict:
    """One question's verdict for a condition row (or a 表示条件 line)."""
    if not asked.get(requirement.question_id, False):
        return "fails"  # never asked, because its own 表示条件 did not hold
    if requirement.question_id not in answers:
        return "unknown"  # わからない・答えない
    answer = answers[requirement.question_id]
    if question.kind == "number":
        return "fits" if requirement.range.contains(float(answer)) else "fails"
    if question.kind == "multiple":
        return "fits" if set(answer) & set(requirement.choices) else "fails"
    return "fits" if answer in requirement.choices else "fails"


def asked_questions(questions: tuple[Question, ...] | list[Question], answers: Mapping[str, Answer]) -> dict[str, bool]:
    """Whether each question is asked, in order: a 表示条件 line holds when it fits or is unknown."""
    asked: dict[str, bool] = {}
    by_id = {q.id: q for q in questions}
    for question in questions:
        asked[question.id] = all(
            requirement_verdict(line, by_id[line.question_id], answers, asked) != "fails"
            for line in question.display_conditions
        )
    return asked


def effective_answers(questions, answers: Mapping[str, Answer]) -> tuple[dict[str, Answer], dict[str, bool]]:
    """The answers that count: an answer to a question that is not asked is dropped."""
    asked = asked_questions(questions, answers)
    return {qid: value for qid, value in answers.items() if asked.get(qid)}, asked


@dataclass(frozen=True)
class RowResult:
    row_number: int  # the Excel row of the condition row
    row_position: int  # 1 = the program's first row, 2 = its first または row, ...
    verdict: Verdict
    fitting: tuple[Requirement, ...]  # what made it fit
    unknown: tuple[Requirement, ...]  # unanswered questions it depends on


@dataclass(frozen=True)
class ProgramMatch:
    program: Program
    match: Literal["applies", "may_apply"]
    row: RowResult  # the row that decided it (the first applying one, or the may-apply row with fewest unknowns)


@dataclass(frozen=True)
class MatchResult:
    applies: tuple[ProgramMatch, ...]
    may_apply: tuple[ProgramMatch, ...]

    def as_ids(self) -> dict[str, list[str]]:
        return {"applies": [m.program.id for m in self.applies], "may_apply": [m.program.id for m in self.may_apply]}


def evaluate_program(program: Program, site: Site, answers: Mapping[str, Answer],
                     asked: Mapping[str, bool]) -> ProgramMatch | None:
    best_maybe: RowResult | None = None
    for position, row in enumerate(program.condition_rows, start=1):
        verdicts = [(req, requirement_verdict(req, site.question(req.question_id), answers, asked))
                    for req in row.requirements]
        if any(v == "fails" for _, v in verdicts):
            continue
        unknown = tuple(req for req, v in verdicts if v == "unknown")
        result = RowResult(row.row, position, "unknown" if unknown else "fits",
                           tuple(req for req, v in verdicts if v == "fits"), unknown)
        if not unknown:
            return ProgramMatch(program, "applies", result)
        if best_maybe is None or len(unknown) < len(best_maybe.unknown):
            best_maybe = result
    return ProgramMatch(program, "may_apply", best_maybe) if best_maybe else None


def match(site: Site, answers: Mapping[str, Answer]) -> MatchResult:
    """Every published program that applies or may apply, in site order."""
    counted, asked = effective_answers(site.questions, answers)
    applies: list[ProgramMatch] = []
    may_apply: list[ProgramMatch] = []
    for program in site.programs:
        result = evaluate_program(program, site, counted, asked)
        if result is not None:
            (applies if result.match == "applies" else may_apply).append(result)
    return MatchResult(tuple(applies), tuple(may_apply))


# --- the order the results are shown in: まず最初に, まもなく締切, then by 分類 with the closed last -------------

SOON_DAYS = 30  # a deadline this many days ahead at most is 「まもなく締切」


@dataclass(frozen=True)
class FirstStep:
    """A shown program that issues documents other shown programs need: to be done first."""

    found: ProgramMatch
    documents: tuple[str, ...]  # the 書類名 it issues that they need
    needed_by: tuple[str, ...]  # their 制度ID, in the order shown


@dataclass(frozen=True)
class Group:
    category: str
    found: tuple[ProgramMatch, ...]


@dataclass(frozen=True)
class Section:
    kind: Literal["applies", "may_apply"]
    groups: tuple[Group, ...]  # open programs by 分類, in the 分類 sheet's order
    closed: tuple[Group, ...]  # those whose deadline has passed, by 分類 too


@dataclass(frozen=True)
class Arrangement:
    first_steps: tuple[FirstStep, ...]
    soon: tuple[ProgramMatch, ...]  # open for SOON_DAYS more days at most, the nearest deadline first
    sections: tuple[Section, Section]  # applies, may_apply; without the first steps

    def as_ids(self) -> dict:
        """The arrangement by 制度ID (`navigator match --in-order --json`, and what the parity test compares)."""
        return {
            "first_steps": [{"id": step.found.program.id, "documents": list(step.documents), "needed_by": list(step.needed_by)}
                            for step in self.first_steps],
            "soon": [m.program.id for m in self.soon],
            "sections": {s.kind: {"groups": _group_ids(s.groups), "closed": _group_ids(s.closed)} for s in self.sections},
            "order": [m.program.id for m in self.in_order()],
        }

    def in_order(self) -> list[ProgramMatch]:
        """Every shown program once, in the order of the page: its numbers on the screen and on paper."""
        shown = [step.found for step in self.first_steps]
        for section in self.sections:
            for group in section.groups + section.closed:
                shown.extend(group.found)
        return shown


def _group_ids(groups: tuple[Group, ...]) -> list[dict]:
    return [{"category": group.category, "ids": [m.program.id for m in group.found]} for group in groups]


def is_closed(program: Program, today: dt.date) -> bool:
    return program.deadline is not None and program.deadline.date is not None and program.deadline.date < today


def is_soon(program: Program, today: dt.date) -> bool:
    date = program.deadline.date if program.deadline is not None else None
    return date is not None and today <= date <= today + dt.timedelta(days=SOON_DAYS)


def first_steps(site: Site, shown: list[ProgramMatch], today: dt.date) -> tuple[FirstStep, ...]:
    """The open programs issuing a document (the 書類 sheet's 発行する制度) that other open shown programs need,
    those needed by the most first (then in the order shown)."""
    open_found = [found for found in shown if not is_closed(found.program, today)]
    issued: dict[str, list[str]] = {}
    for document in site.documents:
        if document.issued_by:
            issued.setdefault(document.issued_by, []).append(document.name)
    steps = []
    for found in open_found:
        documents = issued.get(found.program.id, [])
        if not documents:
            continue
        needed = [(other.program.id, {need.name for need in other.program.needs} & set(documents))
                  for other in open_found if other is not found]
        names = set().union(*(names for _, names in needed))
        if names:
            steps.append(FirstStep(found, tuple(d for d in documents if d in names),
                                   tuple(program_id for program_id, names in needed if names)))
    return tuple(sorted(steps, key=lambda step: -len(step.needed_by)))  # sorted() keeps the order shown among equals


def arrange(site: Site, result: MatchResult, today: dt.date) -> Arrangement:
    """The results as the page shows them (site_templates/static/rules.js: arrange, the same order)."""
    shown = list(result.applies + result.may_apply)
    steps = first_steps(site, shown, today)
    first = {step.found.program.id for step in steps}
    soon = sorted((found for found in shown if is_soon(found.program, today)), key=lambda found: found.program.deadline.date)
    category_order = [c.name for c in site.categories]

    def by_category(found: list[ProgramMatch]) -> tuple[Group, ...]:
        groups: dict[str, list[ProgramMatch]] = {}
        for one in found:
            groups.setdefault(one.program.category, []).append(one)
        names = [name for name in category_order if name in groups] + [name for name in groups if name not in category_order]
        return tuple(Group(name, tuple(groups[name])) for name in names)

    def section(kind, found: tuple[ProgramMatch, ...]) -> Section:
        rest = [one for one in found if one.program.id not in first]
        return Section(kind, by_category([one for one in rest if not is_closed(one.program, today)]),
                       by_category([one for one in rest if is_closed(one.program, today)]))

    return Arrangement(steps, tuple(soon), (section("applies", result.applies), section("may_apply", result.may_apply)))
