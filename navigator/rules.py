"""The condition semantics of docs/sheet-format.md: which questions are asked, which programs apply.

This is the Python half of "one rule engine, two runtimes"; site_templates/static/rules.js
is the other half and the tests hold both to the same answers.

Answers map a question ID to: the chosen choice (単一選択), a frozenset of chosen choices
(複数選択; empty means "none of these"), or a float (数値). A question missing from the
answers was left unanswered.
"""

from __future__ import annotations

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
