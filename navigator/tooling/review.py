"""The review report of `navigator check --review`: what the coordinating division should look at.

Nothing here is an error in the sheets; these are the things a person should check before
publishing. The analyses are pure functions on the Site model (published programs only: a
program kept out by 公開 = × is not on the site) returning data; `review_lines` words them
in Japanese for the terminal.

"Never shown" is decided with the rule engine (navigator.rules). A resident may leave any
question unanswered, and an unanswered question's 表示条件 lines hold, so every row with
conditions is at least "may apply" to someone who answers nothing. A row is therefore
reported when no answers make it *apply*: its conditions contradict the 表示条件 of the
questions they use (e.g. 再建方法=補修 with 住家被害=被害なし when 再建方法 is asked only for
全壊 or 大規模半壊), or a range no number fits. Such a row can only ever show as
"対象の可能性あり" to a resident who left the contradicting question unanswered. The search
tries, for the questions the row requires, one answer of each kind that matters (choices
grouped by the condition sets they are in; for a number, every boundary of the ranges on it
and a point between and beyond them); every other question is left unanswered, which never
makes a row less likely to apply.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from dataclasses import dataclass
from typing import Iterable

from navigator.contract import sheets as schema
from navigator.contract.text import normalize_key
from navigator.model import Cells, Program, Question, Requirement, Site
from navigator.rules import asked_questions, is_closed, requirement_verdict

SIMILAR_NAMES = 0.85  # difflib ratio from which two 制度名 look like the same program
MAX_COMBINATIONS = 100_000  # answer combinations tried for one row before giving up on it


@dataclass(frozen=True)
class ChoiceUsage:
    question: Question
    choice: str | None  # None: a 数値 question (programs with a range on it)
    programs: tuple[Program, ...]
    display_conditions_of: tuple[str, ...] = ()  # questions whose 表示条件 name this choice (or question)


@dataclass(frozen=True)
class DeadRow:
    row: int  # Excel row of the condition row
    reason: str


@dataclass(frozen=True)
class NeverApplies:
    program: Program
    dead_rows: tuple[DeadRow, ...]
    every_row: bool  # True: the program can never be 対象; False: only some of its rows are dead


@dataclass(frozen=True)
class LookAlike:
    first: Program
    second: Program
    ratio: float


@dataclass(frozen=True)
class Review:
    usage: tuple[ChoiceUsage, ...]
    never_shown: tuple[NeverApplies, ...]  # every row dead
    dead_rows: tuple[NeverApplies, ...]  # some rows dead, the program is still shown
    unchecked: tuple[Program, ...]  # too many combinations to try
    expired: tuple[Program, ...]
    without_contact: tuple[Program, ...]
    look_alikes: tuple[LookAlike, ...]
    unused_questions: tuple[Question, ...]
    unused_choices: tuple[ChoiceUsage, ...]


def review(site: Site, today: dt.date) -> Review:
    usage = choice_usage(site)
    found = never_applies(site)
    return Review(
        usage=usage,
        never_shown=tuple(f for f in found if isinstance(f, NeverApplies) and f.every_row),
        dead_rows=tuple(f for f in found if isinstance(f, NeverApplies) and not f.every_row),
        unchecked=tuple(f for f in found if isinstance(f, Program)),
        expired=expired(site, today),
        without_contact=without_contact(site),
        look_alikes=look_alikes(site),
        unused_questions=unused_questions(site, usage),
        unused_choices=unused_choices(site, usage),
    )


# ---------------------------------------------------------------- usage


def choice_usage(site: Site) -> tuple[ChoiceUsage, ...]:
    """Per choice (per 数値 question): the published programs with a row that depends on it."""
    usage = []
    for question in site.questions:
        shown_by = [q for q in site.questions if any(line.question_id == question.id for line in q.display_conditions)]
        for choice in (question.choices if question.is_choice else (None,)):
            programs = tuple(p for p in site.programs if any(
                _depends(req, question, choice) for row in p.condition_rows for req in row.requirements))
            gating = tuple(q.id for q in shown_by if any(
                _depends(line, question, choice) for line in q.display_conditions))
            usage.append(ChoiceUsage(question, choice, programs, gating))
    return tuple(usage)


def _depends(requirement: Requirement, question: Question, choice: str | None) -> bool:
    if requirement.question_id != question.id:
        return False
    return choice is None or choice in requirement.choices


def unused_questions(site: Site, usage: tuple[ChoiceUsage, ...] | None = None) -> tuple[Question, ...]:
    """Questions no published program depends on, directly or through the 表示条件 of one it uses."""
    usage = usage if usage is not None else choice_usage(site)
    used = {u.question.id for u in usage if u.programs}
    for question in reversed(site.questions):  # 表示条件 name earlier questions only
        if question.id in used:
            used.update(line.question_id for line in question.display_conditions)
    return tuple(q for q in site.questions if q.id not in used)


def unused_choices(site: Site, usage: tuple[ChoiceUsage, ...] | None = None) -> tuple[ChoiceUsage, ...]:
    """Choices of the questions in use that no published program marks and no 表示条件 names."""
    usage = usage if usage is not None else choice_usage(site)
    unused = {q.id for q in unused_questions(site, usage)}
    return tuple(u for u in usage if u.choice is not None and u.question.id not in unused
                 and not u.programs and not u.display_conditions_of)


# ---------------------------------------------------------------- never shown


def never_applies(site: Site) -> list[NeverApplies | Program]:
    """Published programs with condition rows no answers make apply (a Program: too many combinations to try)."""
    found: list[NeverApplies | Program] = []
    for program in site.programs:
        dead: list[DeadRow] = []
        unchecked = False
        for row in program.condition_rows:
            can = row_can_apply(site, row.requirements)
            if can is None:
                unchecked = True
            elif not can:
                dead.append(DeadRow(row.row, _why(site, row.requirements)))
        if dead:
            found.append(NeverApplies(program, tuple(dead), every_row=len(dead) == len(program.condition_rows)))
        elif unchecked:
            found.append(program)
    return found


def row_can_apply(site: Site, requirements: Iterable[Requirement]) -> bool | None:
    """Whether some answers make every requirement fit (None: too many combinations to try)."""
    requirements = tuple(requirements)
    if not requirements:
        return True
    options = [_candidates(site, req) for req in requirements]
    if any(not values for values in options):
        return False
    total = 1
    for values in options:
        total *= len(values)
    if total > MAX_COMBINATIONS:
        return None
    for combination in itertools.product(*options):
        answers = {req.question_id: value for req, value in zip(requirements, combination)}
        asked = asked_questions(site.questions, answers)
        if all(requirement_verdict(req, site.question(req.question_id), answers, asked) == "fits"
               for req in requirements):
            return True
    return False


def _candidates(site: Site, requirement: Requirement) -> list:
    """The answers worth trying for a required question: one per kind of answer that the conditions tell apart."""
    question = site.question(requirement.question_id)
    lines = [line for q in site.questions for line in q.display_conditions if line.question_id == question.id]
    if question.kind == "multiple":
        # Choosing every choice fits the requirement and holds every 表示条件 line on this question.
        return [frozenset(question.choices)]
    if question.kind == "single":
        sets = [set(requirement.choices)] + [set(line.choices) for line in lines]
        seen: dict[tuple, str] = {}
        for choice in question.choices:
            if choice in requirement.choices:
                seen.setdefault(tuple(choice in s for s in sets), choice)
        return list(seen.values())
    ends = sorted({end for r in [requirement.range] + [line.range for line in lines] if r is not None
                   for end in (r.low, r.high) if end is not None})
    points = set(ends)
    points.update((a + b) / 2 for a, b in zip(ends, ends[1:]))
    points.update((ends[0] - 1, ends[-1] + 1) if ends else (0.0,))
    return [p for p in sorted(points) if requirement.range.contains(p)]


def _why(site: Site, requirements: tuple[Requirement, ...]) -> str:
    """The first contradiction that explains a dead row, in words."""
    for req in requirements:
        if not row_can_apply(site, (req,)):
            return f"条件「{requirement_text(req)}」に当てはまる回答がありません。"
    for req in requirements:
        question = site.question(req.question_id)
        gates = _gating_questions(site, question)
        for other in requirements:
            if other.question_id not in gates or row_can_apply(site, (other, req)) is not False:
                continue
            shown_when = "、".join(requirement_text(line) for line in question.display_conditions)
            return (f"質問「{question.id}」は表示条件「{shown_when}」のときだけ聞かれますが、"
                    f"この行は「{requirement_text(other)}」も条件にしているため、その質問が聞かれません。")
    return "この行の条件（" + "、".join(requirement_text(r) for r in requirements) + "）をすべて満たす回答の組み合わせがありません。"


def _gating_questions(site: Site, question: Question) -> set[str]:
    """The questions whose answers decide whether this one is asked (its 表示条件, and theirs)."""
    found: set[str] = set()
    pending = [question]
    while pending:
        for line in pending.pop().display_conditions:
            if line.question_id not in found:
                found.add(line.question_id)
                pending.append(site.question(line.question_id))
    return found


def requirement_text(requirement: Requirement) -> str:
    if requirement.range is not None:
        return f"{requirement.question_id}={requirement.range.text}"
    return f"{requirement.question_id}={'、'.join(requirement.choices)}"


# ---------------------------------------------------------------- deadlines, contacts, look-alikes


def expired(site: Site, today: dt.date) -> tuple[Program, ...]:
    """Published programs whose 申請期限 is a date before today."""
    return tuple(p for p in site.programs if is_closed(p, today))  # as the results page marks 受付終了


def without_contact(site: Site) -> tuple[Program, ...]:
    """Published programs with no 問い合わせ先 whose department has no 電話番号, メール or 窓口 either."""
    return tuple(p for p in site.programs if not p.contact
                 and not (p.department.phone or p.department.email or p.department.office))


def name_key(name: str) -> str:
    """制度名 compared: NFKC, case folded, letters and digits only (spaces, brackets, ・ dropped)."""
    return "".join(ch for ch in normalize_key(name).casefold() if ch.isalnum())


def look_alikes(site: Site, threshold: float = SIMILAR_NAMES) -> tuple[LookAlike, ...]:
    """Pairs of published programs of different departments whose 制度名 are the same or nearly so."""
    keyed = [(p, name_key(p.name)) for p in site.programs]
    found = []
    for (first, a), (second, b) in itertools.combinations(keyed, 2):
        if first.file == second.file or not a or not b:
            continue
        matcher = difflib.SequenceMatcher(None, a, b)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = 1.0 if a == b else matcher.ratio()
        if ratio >= threshold:
            found.append(LookAlike(first, second, ratio))
    return tuple(found)


# ---------------------------------------------------------------- where things are, and the words


class Locator:
    """Excel's names for where a program or question is: `福祉課.xlsx / 制度 / A7`.

    From the cells the model keeps (column order is free, and the sheet's name is as its tab is written).
    """

    @staticmethod
    def _where(file: str, cells: Cells, spec_sheet: str, header: str, row: int) -> str:
        ref = cells.get(header)
        cell = f"{ref.rstrip('0123456789')}{row}" if ref else f"{row}行目"
        return f"{file} / {cells.sheet or spec_sheet} / {cell}"

    def program(self, program: Program, row: int | None = None, header: str = "制度ID") -> str:
        """Its 制度ID cell, or the cell of `header` when the finding is about that column (申請期限)."""
        return self._where(program.file, program.cells, schema.PROGRAMS.sheet, header, row or program.row)

    def question(self, question: Question, common_file: str, header: str = "質問ID") -> str:
        return self._where(common_file, question.cells, schema.QUESTIONS.sheet, header, question.row)


def review_lines(result: Review, today: dt.date, locate: Locator | None = None,
                 common_file: str = "common.xlsx") -> list[str]:
    """The review report as printed: one heading per finding, file / sheet / cell for each program."""
    locate = locate or Locator()
    out: list[str] = []

    def program_line(p: Program, header: str = "制度ID") -> str:
        return f"  {locate.program(p, header=header)}: {p.name} [{p.id}]（{p.department.name}）"

    def section(title: str, items: list[list[str]]) -> None:
        """A heading with the number of findings, then each finding's lines (or なし)."""
        out.append(f"■ {title}（{len(items)}件）")
        out.extend([line for item in items for line in item] or ["  なし"])
        out.append("")

    out.append("■ 選択肢ごとの制度数（公開中の制度のうち、その回答を条件にしている制度の数）")
    last: str | None = None
    for u in result.usage:
        if u.choice is None:
            out.append(f"  {u.question.id}（数値）: {len(u.programs)}件")
            continue
        if u.question.id != last:
            out.append(f"  {u.question.id}")
            last = u.question.id
        gate = f"（表示条件で使用: {'、'.join(u.display_conditions_of)}）" if u.display_conditions_of else ""
        out.append(f"    {u.choice}: {len(u.programs)}件{gate}")
    out.append("")

    def with_rows(found: NeverApplies) -> list[str]:
        return [program_line(found.program)] + [f"    {d.row}行目: {d.reason}" for d in found.dead_rows]

    section("対象と判定されることのない制度（条件が質問の表示条件と矛盾しています。"
            "その質問に答えなかった人にだけ「対象の可能性あり」と表示されます）",
            [with_rows(f) for f in result.never_shown]
            + [[program_line(p) + " — 組み合わせが多すぎて確認できませんでした"] for p in result.unchecked])
    section("対象と判定されることのない行がある制度（ほかの行では対象になります）", [with_rows(f) for f in result.dead_rows])
    section(f"申請期限を過ぎた制度（{today.isoformat()} 時点）",
            [[program_line(p, "申請期限") + f" 申請期限「{p.deadline.text}」"] for p in result.expired])
    section("問い合わせ先のない制度（問い合わせ先が空で、部署シートにも電話番号・メール・窓口がありません）",
            [[program_line(p)] for p in result.without_contact])
    section("ほかの部署に似た名前の制度（重複していないか確認してください）",
            [[f"  {locate.program(a.first)}: {a.first.name} [{a.first.id}]（{a.first.department.name}）と",
              f"  {locate.program(a.second)}: {a.second.name} [{a.second.id}]（{a.second.department.name}）"
              f"（類似度 {a.ratio:.2f}）"] for a in result.look_alikes])
    section("どの制度にも使われていない質問・選択肢（「いいえ」「被害なし」のように、対象にならないことを表す選択肢なら問題ありません）",
            [[f"  質問「{q.id}」（{locate.question(q, common_file)}）"] for q in result.unused_questions]
            + [[f"  選択肢「{u.question.id}:{u.choice}」（{locate.question(u.question, common_file, '選択肢')}）"]
               for u in result.unused_choices])
    while out and out[-1] == "":
        out.pop()
    return out
