/* The condition semantics of the sheet format, in the browser.
 *
 * The JavaScript half of "one rule engine, two runtimes": navigator/rules.py is the Python
 * half, and the tests hold both to the same answers. Keep the two side by side when changing
 * either.
 *
 * Answers map a question ID to: the chosen choice (単一選択, a string), the chosen choices
 * (複数選択, an array; empty means "none of these"), or a number (数値). A question missing
 * from the answers was left unanswered (わからない・答えない).
 */
(function (global) {
  "use strict";

  function inRange(range, number) {
    if (range.min !== null && (number < range.min || (number === range.min && !range.min_inclusive))) return false;
    if (range.max !== null && (number > range.max || (number === range.max && !range.max_inclusive))) return false;
    return true;
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* One question's verdict for a condition: "fits", "fails" or "unknown". */
  function verdict(condition, question, answers, asked) {
    if (!asked[condition.question]) return "fails"; // never asked: its own 表示条件 did not hold
    if (!has(answers, condition.question)) return "unknown";
    var answer = answers[condition.question];
    if (question.type === "number") return inRange(condition.range, Number(answer)) ? "fits" : "fails";
    if (question.type === "multiple") {
      for (var i = 0; i < answer.length; i++) {
        if (condition.choices.indexOf(answer[i]) !== -1) return "fits";
      }
      return "fails";
    }
    return condition.choices.indexOf(answer) !== -1 ? "fits" : "fails";
  }

  function questionsById(questions) {
    var byId = Object.create(null); // IDs are data: even `__proto__` must be a plain key
    questions.forEach(function (q) { byId[q.id] = q; });
    return byId;
  }

  /* Whether each question is asked, in order: a 表示条件 line holds when it fits or is unknown. */
  function askedQuestions(questions, answers) {
    var byId = questionsById(questions);
    var asked = Object.create(null);
    questions.forEach(function (question) {
      asked[question.id] = question.display_conditions.every(function (line) {
        return verdict(line, byId[line.question], answers, asked) !== "fails";
      });
    });
    return asked;
  }

  /* The answers that count: an answer to a question that is not asked is dropped. */
  function effectiveAnswers(questions, answers) {
    var asked = askedQuestions(questions, answers);
    var counted = Object.create(null);
    Object.keys(answers).forEach(function (id) {
      if (asked[id]) counted[id] = answers[id];
    });
    return { answers: counted, asked: asked };
  }

  /* {match: "applies"|"may_apply", row: {position, fitting: [conditions], unknown: [conditions]}} or null. */
  function evaluateProgram(program, byId, answers, asked) {
    var bestMaybe = null;
    for (var position = 1; position <= program.conditions.length; position++) {
      var row = program.conditions[position - 1];
      var fitting = [], unknown = [], failed = false;
      for (var i = 0; i < row.length && !failed; i++) {
        var v = verdict(row[i], byId[row[i].question], answers, asked);
        if (v === "fails") failed = true;
        else (v === "fits" ? fitting : unknown).push(row[i]);
      }
      if (failed) continue;
      var result = { position: position, fitting: fitting, unknown: unknown };
      if (!unknown.length) return { match: "applies", row: result };
      if (bestMaybe === null || unknown.length < bestMaybe.unknown.length) bestMaybe = result;
    }
    return bestMaybe ? { match: "may_apply", row: bestMaybe } : null;
  }

  /* Every program that applies or may apply, in site order: {applies: [...], may_apply: [...]}. */
  function match(data, answers) {
    var effective = effectiveAnswers(data.questions, answers);
    var byId = questionsById(data.questions);
    var result = { applies: [], may_apply: [] };
    data.programs.forEach(function (program) {
      var found = evaluateProgram(program, byId, effective.answers, effective.asked);
      if (found) result[found.match].push({ program: program, row: found.row });
    });
    return result;
  }

  // --- the order the results are shown in: まず最初に, まもなく締切, then by 分類 with the closed last ---------
  // (navigator/rules.py: arrange, the same order). The deadlines and documents are the results texts'
  // (window.NavigatorResults); `day` is {iso: "2026-09-15", soon: the date SOON_DAYS later}.

  function deadlineDate(texts, id) {
    var p = texts.programs[id];
    return p && p.deadline && p.deadline.date ? p.deadline.date : null;
  }

  function isClosed(texts, id, day) {
    var date = deadlineDate(texts, id);
    return date !== null && date < day.iso;
  }

  function isSoon(texts, id, day) {
    var date = deadlineDate(texts, id);
    return date !== null && date >= day.iso && date <= day.soon;
  }

  /* The open programs issuing a document (発行する制度) that other open shown programs need, those needed by the
   * most first: [{found, documents: [書類名], needed_by: [制度ID]}]. */
  function firstSteps(texts, shown, day) {
    var open = shown.filter(function (m) { return !isClosed(texts, m.program.id, day); });
    var issued = Object.create(null);
    (texts.documents || []).forEach(function (d) {
      if (d.issued_by) (issued[d.issued_by] = issued[d.issued_by] || []).push(d.name);
    });
    var steps = [];
    open.forEach(function (found) {
      var documents = issued[found.program.id] || [];
      if (!documents.length) return;
      var names = Object.create(null), neededBy = [];
      open.forEach(function (other) {
        if (other === found) return;
        var p = texts.programs[other.program.id], needs = false;
        ((p && p.documents) || []).forEach(function (need) {
          if (documents.indexOf(need.name) !== -1) names[need.name] = needs = true;
        });
        if (needs) neededBy.push(other.program.id);
      });
      if (neededBy.length) {
        steps.push({ found: found, documents: documents.filter(function (d) { return names[d]; }), needed_by: neededBy,
                     place: steps.length });
      }
    });
    steps.sort(function (a, b) { return b.needed_by.length - a.needed_by.length || a.place - b.place; });
    return steps;
  }

  /* [{category, found}] in the order of the 分類 sheet, then any other 分類 as met; programs keep their order. */
  function byCategory(categories, found) {
    var groups = Object.create(null), met = [];
    found.forEach(function (m) {
      var name = m.program.category;
      if (!groups[name]) {
        groups[name] = [];
        met.push(name);
      }
      groups[name].push(m);
    });
    var names = categories.map(function (c) { return c.name; });
    return names.filter(function (n) { return groups[n]; }).concat(met.filter(function (n) { return names.indexOf(n) === -1; }))
      .map(function (n) { return { category: n, found: groups[n] }; });
  }

  /* {first_steps, soon: [found], sections: [{kind, groups, closed}] (applies, may_apply; without the first steps)}. */
  function arrange(data, texts, result, day) {
    var shown = result.applies.concat(result.may_apply);
    var steps = firstSteps(texts, shown, day);
    var first = Object.create(null);
    steps.forEach(function (step) { first[step.found.program.id] = true; });
    var soon = shown.filter(function (m) { return isSoon(texts, m.program.id, day); })
      .map(function (m, place) { return { m: m, place: place, date: deadlineDate(texts, m.program.id) }; })
      .sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : a.place - b.place; })
      .map(function (entry) { return entry.m; });
    var section = function (kind) {
      var rest = result[kind].filter(function (m) { return !first[m.program.id]; });
      var closed = function (m) { return isClosed(texts, m.program.id, day); };
      return { kind: kind, groups: byCategory(data.categories, rest.filter(function (m) { return !closed(m); })),
               closed: byCategory(data.categories, rest.filter(closed)) };
    };
    return { first_steps: steps, soon: soon, sections: [section("applies"), section("may_apply")] };
  }

  /* Every shown program once, in the order of the page: its numbers on the screen and on paper. */
  function inOrder(arrangement) {
    var out = arrangement.first_steps.map(function (step) { return step.found; });
    arrangement.sections.forEach(function (section) {
      section.groups.concat(section.closed).forEach(function (group) { out.push.apply(out, group.found); });
    });
    return out;
  }

  global.NavigatorRules = {
    inRange: inRange,
    verdict: verdict,
    askedQuestions: askedQuestions,
    effectiveAnswers: effectiveAnswers,
    evaluateProgram: evaluateProgram,
    match: match,
    isClosed: isClosed,
    isSoon: isSoon,
    firstSteps: firstSteps,
    arrange: arrange,
    inOrder: inOrder
  };
})(typeof window !== "undefined" ? window : globalThis);
