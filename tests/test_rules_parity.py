"""One rule engine, two runtimes: navigator/rules.py and static/rules.js give the same answers.

A city using every part of the condition language (tests/parity_city.py) is built into a
site; hundreds of generated answer sets are then matched by Python (the library, and the
`navigator match` command for some of them) and by the browser (rules.js on the built
site's flow data, in chromium). Both must find the same programs, in the same order, for
the same reason: the row that decided, the questions that fit, the questions left unknown.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from parity_city import QUESTIONS, UNPUBLISHED, expected_site_order, write_parity_city

from navigator.check.validate import validate_folder
from navigator.cli import main
from navigator.contract.numbers import whole_numbers
from navigator.model import Site
from navigator.pipeline import build
from navigator.rules import asked_questions, match

SEED = 20240601
RANDOM_SETS = 320
CLI_SETS = 20

# ---------------------------------------------------------------- the two runtimes, one shape


def python_result(site: Site, answers: dict) -> dict:
    result = match(site, answers)
    asked = asked_questions(site.questions, answers)

    def pack(found) -> dict:
        return {"id": found.program.id, "row": found.row.row_position,
                "fitting": [r.question_id for r in found.row.fitting],
                "unknown": [r.question_id for r in found.row.unknown]}

    return {"asked": [q.id for q in site.questions if asked[q.id]],
            "applies": [pack(m) for m in result.applies], "may_apply": [pack(m) for m in result.may_apply]}


BROWSER_MATCH = """(sets) => sets.map((answers) => {
  const data = window.NavigatorFlow, rules = window.NavigatorRules;
  const result = rules.match(data, answers);
  const asked = rules.askedQuestions(data.questions, answers);
  const pack = (m) => ({id: m.program.id, row: m.row.position,
                        fitting: m.row.fitting.map((c) => c.question), unknown: m.row.unknown.map((c) => c.question)});
  return {asked: data.questions.filter((q) => asked[q.id]).map((q) => q.id),
          applies: result.applies.map(pack), may_apply: result.may_apply.map(pack)};
})"""


def to_js(answers: dict) -> dict:
    """Python answers → rules.js answers: a frozenset becomes an array (in a shuffled but fixed order)."""
    converted = {}
    for qid, value in answers.items():
        if isinstance(value, frozenset):
            chosen = sorted(value)
            random.Random(f"{SEED}-{qid}-{chosen}").shuffle(chosen)
            converted[qid] = chosen
        else:
            converted[qid] = value
    return converted


def to_cli(site: Site, answers: dict, with_unit: bool) -> list[str]:
    """Python answers → `--answer 質問ID=回答` pairs, as the navigator URL writes them."""
    pairs: list[str] = []
    for qid, value in answers.items():
        question = site.question(qid)
        if isinstance(value, frozenset):
            pairs += [f"{qid}={choice}" for choice in sorted(value)] or [f"{qid}="]
        elif isinstance(value, float):
            pairs.append(f"{qid}={value!r}{question.unit if with_unit else ''}")
        else:
            pairs.append(f"{qid}={value}")
    return pairs


def show(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=sorted)


# ---------------------------------------------------------------- the answer sets


def range_ends(site: Site) -> dict[str, set[float]]:
    """Every end of every range, per 数値 question (program conditions and 表示条件)."""
    requirements = [r for p in site.programs + site.unpublished for row in p.condition_rows for r in row.requirements]
    requirements += [r for q in site.questions for r in q.display_conditions]
    ends: dict[str, set[float]] = {q.id: set() for q in site.questions if q.kind == "number"}
    for r in requirements:
        if r.range is not None:
            ends[r.question_id].update(x for x in (r.range.low, r.range.high) if x is not None)
    return ends


def number_pool(ends: set[float]) -> list[float]:
    pool = {0.0, -0.0, -1.0, -0.5, 0.25, 1000.0, 123456.78}
    for end in ends:
        pool.update(round(end + delta, 4) for delta in (0, -0.01, 0.01, -0.5, 0.5, -1, 1))
    return sorted(pool, key=lambda x: (x, str(x)))


def domain(question, pool: dict[str, list[float]]) -> list:
    """Every answer worth trying on its own for one question."""
    if question.kind == "single":
        return list(question.choices)
    if question.kind == "multiple":
        return [frozenset(), frozenset(question.choices)] + [frozenset({c}) for c in question.choices]
    return pool[question.id]


def random_answer(rng: random.Random, question, pool: dict[str, list[float]]):
    if question.kind == "single":
        return rng.choice(question.choices)
    if question.kind == "multiple":
        if rng.random() < 0.25:
            return frozenset()  # none of these
        return frozenset(c for c in question.choices if rng.random() < 0.45)
    if rng.random() < 0.85:
        return rng.choice(pool[question.id])
    return round(rng.uniform(-100, 1000), rng.choice((0, 1, 2)))


def answer_sets(site: Site) -> list[dict]:
    rng = random.Random(SEED)
    pool = {qid: number_pool(ends) for qid, ends in range_ends(site).items()}
    sets: list[dict] = [{}]

    def random_set() -> dict:
        return {q.id: random_answer(rng, q, pool) for q in site.questions if rng.random() >= 0.25}

    # Every answer of every question: alone (every other question unanswered, so it is asked), then
    # on top of random answers to the others (so it is sometimes not asked).
    for question in site.questions:
        for value in domain(question, pool):
            sets.append({question.id: value})
            sets.append({**random_set(), question.id: value})
    sets += [random_set() for _ in range(RANDOM_SETS)]
    return sets


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, Site]:
    folder = write_parity_city(tmp_path_factory.mktemp("parity") / "sheets")
    validation = validate_folder(folder)
    assert validation.report.ok, validation.report
    return folder, validation.site


# ---------------------------------------------------------------- hand-written expectations

EVERYONE = ["risai", "anyone-house"]


def row(position: int, fitting=(), unknown=()) -> dict:
    return {"row": position, "fitting": list(fitting), "unknown": list(unknown)}


# (answers, expectations): "applies"/"may_apply" are ids that must be in that section (all of it
# when "exact" is set), "absent" ids shown in neither, "rows" the deciding row of some programs,
# "not_asked" questions that must not be asked.
HAND_CASES = [
    # Nothing answered: every question asked; only programs without conditions apply.
    ({}, {"applies": EVERYONE, "exact": True,
          "rows": {"risai": row(1), "shienkin": row(3, (), ["世帯の状況"]),  # the may-apply row with fewest unknowns
                   "risoku": row(2, (), ["再建方法", "世帯人数"]), "choju": row(1, (), ["年齢"])}}),
    # The example table of docs/sheet-format.md.
    ({"住家被害": "全壊", "世帯人数": 3.0}, {"applies": ["shienkin", "kasetsu", "risai"],
                                   "rows": {"shienkin": row(1, ["住家被害", "世帯人数"])}}),
    ({"住家被害": "全壊", "世帯人数": 1.0}, {"applies": ["shienkin"], "rows": {"shienkin": row(2, ["住家被害", "世帯人数"])}}),
    ({"住家被害": "全壊"}, {"may_apply": ["shienkin"], "rows": {"shienkin": row(1, ["住家被害"], ["世帯人数"])}}),
    ({"住家被害": "半壊", "世帯の状況": frozenset()}, {"absent": ["shienkin", "kodomo", "kasetsu"]}),
    ({"世帯の状況": frozenset({"障害のある方がいる"})}, {"applies": ["shienkin"], "rows": {"shienkin": row(3, ["世帯の状況"])}}),
    # A chain: 再建資金 is never asked when 再建方法 is not, which is not asked for 半壊.
    ({"住家被害": "半壊", "再建方法": "建設・購入", "再建資金": "融資を受ける"},
     {"absent": ["kensetsu-loan", "risoku", "shuri", "chintai"], "not_asked": ["再建方法", "再建資金"]}),
    ({"再建資金": "融資を受ける"}, {"applies": ["kensetsu-loan"], "rows": {"kensetsu-loan": row(1, ["再建資金"])}}),
    ({"住家被害": "全壊", "再建資金": "融資を受ける"},
     {"applies": ["kensetsu-loan"], "may_apply": ["risoku"], "rows": {"risoku": row(1, ["再建資金"], ["再建方法", "年齢"])}}),
    ({"住家被害": "大規模半壊", "再建方法": "建設・購入", "再建資金": "自己資金", "世帯人数": 5.0},
     {"applies": ["risoku"], "absent": ["kensetsu-loan"], "rows": {"risoku": row(2, ["再建方法", "世帯人数"])}}),
    # Numbers at the ends of ranges, with units in the sheet.
    ({"年齢": 65.0}, {"applies": ["korei"], "may_apply": ["jigyo-mid"], "absent": ["chunen", "wakamono"]}),
    ({"年齢": 64.99}, {"absent": ["korei", "chunen", "wakamono"], "not_asked": ["要介護"]}),
    ({"年齢": 64.0}, {"applies": ["chunen"], "absent": ["korei"]}),
    ({"年齢": 40.0}, {"applies": ["chunen"], "absent": ["wakamono"]}),
    ({"年齢": 39.99}, {"applies": ["wakamono"], "absent": ["chunen"]}),
    ({"年齢": 64.0, "要介護": "要介護"}, {"absent": ["kaigo"], "may_apply": ["choju"],
                                    "rows": {"choju": row(3, (), ["世帯人数", "世帯の状況"])}}),
    ({"要介護": "要支援"}, {"applies": ["kaigo"]}),
    ({"年齢": 80.0, "要介護": "認定なし"}, {"applies": ["choju", "korei"], "absent": ["kaigo"],
                                      "rows": {"choju": row(1, ["年齢"])}}),
    # 表示条件 on a multiple choice: "none of these" does not hold.
    ({"世帯の状況": frozenset(), "学年": "中学生"}, {"absent": ["gakuyou", "kodomo", "tasu"], "not_asked": ["学年", "子の人数"]}),
    ({"世帯の状況": frozenset({"小中学生がいる"}), "学年": "中学生"}, {"applies": ["gakuyou", "kodomo"]}),
    ({"世帯の状況": frozenset({"ひとり親世帯"}), "学年": "小学生", "子の人数": 2.0},
     {"applies": ["kodomo"], "absent": ["hitori", "gakuyou", "tasu"], "not_asked": ["学年", "子の人数"]}),
    ({"世帯の状況": frozenset({"ひとり親世帯", "小中学生がいる"}), "学年": "小学生", "子の人数": 3.0},
     {"applies": ["kodomo", "hitori", "tasu"], "rows": {"hitori": row(1, ["世帯の状況", "学年", "子の人数"])}}),
    # A choice containing 、, in a condition column and in a 表示条件.
    ({"家財": "残っていない、ない", "家財支援": frozenset({"寝具"})}, {"applies": ["kazai", "kazai2"]}),
    ({"家財": "全部残っている", "家財支援": frozenset({"寝具", "家具"})},
     {"absent": ["kazai", "kazai2"], "may_apply": ["ichibu"], "not_asked": ["家財支援"],
      "rows": {"ichibu": row(1, (), ["住家被害"])}}),
    # 収入 is asked only when both of its 表示条件 lines hold.
    ({"世帯人数": 2.0, "住家被害": "半壊", "収入": 100.0},
     {"applies": ["income-band", "income-low"], "absent": ["income-band2", "income-band3", "income-none"]}),
    ({"世帯人数": 2.0, "住家被害": "半壊", "収入": 200.0}, {"applies": ["income-band2", "income-low"], "absent": ["income-band"]}),
    ({"世帯人数": 2.0, "住家被害": "半壊", "収入": 0.0}, {"applies": ["income-none"], "absent": ["income-band3", "income-neg"]}),
    ({"世帯人数": 2.0, "住家被害": "半壊", "収入": -10.0}, {"applies": ["income-none", "income-neg"]}),
    ({"世帯人数": 2.0, "住家被害": "一部損壊", "収入": 100.0},
     {"absent": ["income-band", "income-low", "income-none"], "not_asked": ["収入"]}),
    ({"世帯人数": 21.0, "収入": 100.0}, {"absent": ["income-band", "income-low"], "not_asked": ["収入"]}),
    ({"世帯人数": 0.5, "収入": 100.0}, {"absent": ["income-band"], "not_asked": ["収入"]}),
    # Decimals.
    ({"事業": "いいえ", "事業被害額": 50.0}, {"absent": ["jigyo", "jigyo-small", "jigyo-big", "jigyo-mid"]}),
    ({"事業": "はい", "事業被害額": 1.5}, {"applies": ["jigyo", "jigyo-small"]}),
    ({"事業被害額": 0.5}, {"absent": ["jigyo-small", "jigyo"]}),
    ({"事業被害額": 1.5}, {"applies": ["jigyo-small"], "may_apply": ["jigyo"], "rows": {"jigyo": row(1, ["事業被害額"], ["事業"])}}),
    ({"事業": "はい", "事業被害額": 100.0}, {"absent": ["jigyo-big"], "may_apply": ["jigyo-mid"]}),
    ({"事業": "はい", "事業被害額": 100.01}, {"applies": ["jigyo-big"], "absent": ["jigyo-mid"]}),
    ({"世帯人数": 4.0}, {"applies": ["setai-four", "ninzu-dash", "ninzu-tilde", "ninzu-wide"], "may_apply": ["shienkin"]}),
    ({"世帯人数": 4.5}, {"applies": ["ninzu-tilde", "ninzu-wide"], "absent": ["setai-four", "ninzu-dash"]}),
    ({"世帯人数": 1.5}, {"absent": ["ninzu-dash", "setai-four"], "may_apply": ["choju", "shienkin"],
                      "rows": {"choju": row(1, (), ["年齢"])}}),  # a tie of unknowns: the first row wins
]


def check_expectations(answers: dict, expected: dict, result: dict, side: str) -> None:
    where = f"{side} for {show(answers)}: {show(result)}"
    applies = [m["id"] for m in result["applies"]]
    may_apply = [m["id"] for m in result["may_apply"]]
    if expected.get("exact"):
        assert applies == expected["applies"], where
    for program_id in expected.get("applies", []):
        assert program_id in applies, f"{program_id} should apply: {where}"
    for program_id in expected.get("may_apply", []):
        assert program_id in may_apply, f"{program_id} should may-apply: {where}"
    for program_id in expected.get("absent", []):
        assert program_id not in applies + may_apply, f"{program_id} should not be shown: {where}"
    for question_id in expected.get("not_asked", []):
        assert question_id not in result["asked"], f"{question_id} should not be asked: {where}"
    decided = {m["id"]: {k: m[k] for k in ("row", "fitting", "unknown")} for m in result["applies"] + result["may_apply"]}
    for program_id, why in expected.get("rows", {}).items():
        assert decided.get(program_id) == why, f"{program_id} decided by {why}: {where}"


# ---------------------------------------------------------------- the tests


def test_the_fixture_city_uses_the_whole_condition_language(city):
    _, site = city
    assert [p.id for p in site.programs] == expected_site_order()
    assert len(site.programs) >= 25 and {p.id for p in site.unpublished} == set(UNPUBLISHED)
    assert len({p.file for p in site.programs}) == 2 and len({p.category for p in site.programs}) == 3
    assert [q.id for q in site.questions] == [q[0] for q in QUESTIONS]
    assert {q.kind for q in site.questions} == {"single", "multiple", "number"}
    ranges = {r.range.text for p in site.programs for row in p.condition_rows for r in row.requirements if r.range}
    assert {"65歳以上", "40歳未満", "300万円以下", "100万円超", "2〜4", "3~5", "40以上64以下", "100以上200未満",
            "100超200以下", "0超100未満", "1", "4人", "1.5以上"} <= ranges
    assert {p.id for p in site.programs if len(p.condition_rows) > 2} == {"shienkin", "choju", "ichibu"}
    assert [p.id for p in site.programs if not any(row.requirements for row in p.condition_rows)] == EVERYONE


def test_generated_answer_sets_cover_what_they_should(city):
    _, site = city
    sets = answer_sets(site)
    assert len(sets) >= 300
    assert sets == answer_sets(site)  # deterministic
    asked_answers = [(qid, value) for answers in sets
                     for qid, value in answers.items() if asked_questions(site.questions, answers)[qid]]
    for qid, ends in range_ends(site).items():
        for end in ends:
            for near in (end - 0.01, end, end + 0.01):
                assert (qid, round(near, 4)) in asked_answers, (qid, near)
    for question in site.questions:
        if question.kind == "single":
            assert {v for q, v in asked_answers if q == question.id} == set(question.choices), question.id
        if question.kind == "multiple":
            assert (question.id, frozenset()) in asked_answers
    assert any(value < 0 for _, value in asked_answers if isinstance(value, float))
    assert any(value != int(value) for _, value in asked_answers if isinstance(value, float))
    not_asked = sum(1 for answers in sets
                    for qid in answers if not asked_questions(site.questions, answers)[qid])
    assert not_asked > 100  # answers to questions that are not asked, which must be ignored
    assert sum(1 for answers in sets if len(answers) < len(site.questions)) > 300  # unanswered questions


def test_hand_written_cases_in_python(city):
    _, site = city
    for answers, expected in HAND_CASES:
        check_expectations(answers, expected, python_result(site, answers), "Python")
    everything_unknown = python_result(site, {})
    assert [m["id"] for m in everything_unknown["may_apply"]] == [p for p in expected_site_order() if p not in EVERYONE]


def test_the_match_command_agrees_with_the_library(city, capsys):
    folder, site = city
    sets = answer_sets(site)
    typeable = [answers for answers in sets if answers and accepted_as_typed(site, answers)]
    chosen = typeable[:: len(typeable) // CLI_SETS][:CLI_SETS]
    # 1.49人, -1人: the rules can judge them (a URL may hold them), a resident cannot type them in.
    chosen += [answers for answers in sets if answers and not accepted_as_typed(site, answers)][:3]
    chosen[0] = {"世帯の状況": frozenset(), "年齢": 65.0, "家財": "残っていない、ない"}  # none of these, a unit, a 、
    agreed = 0
    for index, answers in enumerate(chosen):
        pairs = to_cli(site, answers, with_unit=index % 2 == 1)
        with pytest.raises(SystemExit) as exited:
            main(["match", str(folder), *[arg for pair in pairs for arg in ("--answer", pair)], "--json"])
        out, err = capsys.readouterr()
        if not accepted_as_typed(site, answers):
            assert exited.value.code == 2 and "受け付けられません" in err, (pairs, err)
            continue
        assert (exited.value.code, err) == (0, ""), (pairs, err)
        assert json.loads(out) == match(site, answers).as_ids(), f"answers {pairs}"
        agreed += 1
    assert agreed == CLI_SETS


def accepted_as_typed(site, answers) -> bool:
    """Whether every number answer is one the question accepts (contract/numbers.py: range, whole numbers)."""
    for question_id, value in answers.items():
        question = site.question(question_id)
        if question.kind == "number" and (value < question.minimum or (whole_numbers(question.unit) and value != int(value))
                                          or question.maximum is not None and value > question.maximum):
            return False
    return True


def test_python_and_the_browser_give_the_same_answers(city, tmp_path, serve, page):
    folder, site = city
    out = tmp_path / "site"
    assert build(folder, out).ok
    # A page of our own on the built site: only rules.js and the flow data, nothing else that could interfere.
    (out / "parity.html").write_text("<!doctype html><meta charset='utf-8'><title>parity</title>", encoding="utf-8")
    flow = [p.relative_to(out).as_posix() for p in (out / "data").glob("flow.*.js")]
    assert len(flow) == 1
    server = serve(out)
    page.goto(server.url + "parity.html")
    page.add_script_tag(url=server.url + "static/rules.js")
    page.add_script_tag(url=server.url + flow[0])
    assert page.evaluate("window.NavigatorFlow.programs.map((p) => p.id)") == expected_site_order()

    sets = answer_sets(site)
    cases = [answers for answers, _ in HAND_CASES]
    browser_results = page.evaluate(BROWSER_MATCH, [to_js(a) for a in sets + cases])
    assert page.js_errors == []

    mismatches = []
    for answers, in_browser in zip(sets + cases, browser_results):
        in_python = python_result(site, answers)
        if in_python != in_browser:
            mismatches.append(f"answers {show(answers)}\n  Python:  {show(in_python)}\n  browser: {show(in_browser)}")
        shown = {m["id"] for m in in_python["applies"] + in_python["may_apply"]}
        assert not shown & set(UNPUBLISHED), show(answers)
    assert not mismatches, f"{len(mismatches)} of {len(sets + cases)} answer sets differ; first:\n" + "\n".join(mismatches[:3])

    for (answers, expected), in_browser in zip(HAND_CASES, browser_results[len(sets):]):
        check_expectations(answers, expected, in_browser, "browser")
