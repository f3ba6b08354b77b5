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

  global.NavigatorRules = {
    inRange: inRange,
    verdict: verdict,
    askedQuestions: askedQuestions,
    effectiveAnswers: effectiveAnswers,
    evaluateProgram: evaluateProgram,
    match: match
  };
})(typeof window !== "undefined" ? window : globalThis);
