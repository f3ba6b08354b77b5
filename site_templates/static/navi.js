/* The question flow of navi.html: one question per screen, a summary, the results, a checklist to print.
 *
 * All state is in the URL fragment, in the format of docs/navigator-url.md:
 *   navi.html#<view>?<answers>   view: q/<質問ID> | summary | results | (empty)
 * Nothing is stored on the device and nothing is sent anywhere: the page reads the data files that
 * every resident loads whole (window.NavigatorFlow, window.NavigatorResults) and decides with
 * window.NavigatorRules. The results texts (NavigatorResults, the largest file) and the QR library
 * are fetched right after the page has loaded, whatever the answers. Text from cells goes in with
 * textContent; only the *_html fields, sanitised when the site was built, go in as HTML.
 */
(function () {
  "use strict";

  var _ = window.NavigatorI18n.t;
  // A text of the data as shown: marked where a language's edition shows it in Japanese or machine-translated.
  var shown = window.NavigatorI18n.shown;
  var flow = window.NavigatorFlow, texts = window.NavigatorResults || null, rules = window.NavigatorRules;
  var box = document.getElementById("navi");
  var statusBox = document.getElementById("navi-status");
  if (!box || !flow || !rules) return;

  var UNKNOWN = _("わからない・答えない");
  var NONE = _("どれも当てはまらない");
  var ERROR_PREFIX = _("エラー：");
  var root = box.getAttribute("data-root") || "";
  var siteName = flow.site_name || document.title;
  var questions = flow.questions;
  var byId = {}, byKey = {}, position = {};
  var categoryEntries = {};
  (flow.categories || []).forEach(function (c) { categoryEntries[c.name] = c; });
  function categoryName(name) { return categoryEntries[name] ? shown(categoryEntries[name], "name") : name; }
  questions.forEach(function (q, i) {
    byId[q.id] = q;
    byKey[key(q.id)] = q;
    position[q.id] = i;
  });

  var editing = null; // {pending: {id: true}} while an answer is changed from the summary or the results
  var passed = {}; // questions the resident went past in this visit (to show 「わからない・答えない」 again)
  var aside = {}; // answers of questions a changed answer hid: memory only, for this visit; they come back with their question
  var status = null; // {text, hash}: said in #navi-status while the view is that hash

  // This document's history entries: each knows its place (n) and the visit it belongs to (navi), in history.state,
  // so that 「回答を消す」 can go back over them and make them show nothing (see clearAnswers).
  // The tokens of cleared visits also live in window.name (the tab's, no answer in it), so that an entry made by an
  // earlier load of this page (before a reload, or before a visit to a program's page) shows nothing either.
  var NAME_PREFIX = "navigator-cleared:";
  var visit = token(), cleared = readCleared(), entryIndex = 0, loadIndex = 0, clearing = false;
  if (history.state && typeof history.state.navi === "string" && typeof history.state.n === "number") {
    visit = history.state.navi;
    entryIndex = loadIndex = history.state.n;
  }

  function readCleared() {
    var name = typeof window.name === "string" ? window.name : "";
    if (name.indexOf(NAME_PREFIX) !== 0) return [];
    return name.slice(NAME_PREFIX.length).split(",").filter(function (t) { return /^[0-9a-z-]{1,40}$/.test(t); }).slice(-20);
  }

  var CLEARED = _("回答をすべて消しました。このタブでブラウザの「戻る」「進む」を押しても、前の回答は出ません。ただし、ほかのタブやウィンドウで開いた画面と、ブラウザの「履歴」の一覧（回答を含むアドレスが残ることがあります）は消せません。共用のパソコンでは、使い終わったらブラウザのウィンドウをすべて閉じ、必要なら履歴も削除してください。");

  // ------------------------------------------------------------------ small helpers

  function has(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  /* The comparable form of a key, as in SHEET_FORMAT.md: NFKC, no zero-width characters, trimmed. */
  function key(text) {
    text = String(text);
    if (text.normalize) text = text.normalize("NFKC");
    return text.replace(/[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g, "").trim();
  }

  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return null;
    }
  }

  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    add(node, content);
    return node;
  }

  function add(node, content) {
    if (content === null || content === undefined) return node;
    if (Array.isArray(content)) content.forEach(function (part) { add(node, part); });
    else if (typeof content === "string" || typeof content === "number") node.appendChild(document.createTextNode(String(content)));
    else node.appendChild(content);
    return node;
  }

  /* Only for the *_html fields of the data files: sanitised when the site was built. */
  function trusted(tag, attrs, html) {
    var node = el(tag, attrs);
    node.innerHTML = html;
    return node;
  }

  function hidden(text) {
    return el("span", { "class": "navi-vh" }, text);
  }

  function button(label, className, onClick) {
    var node = el("button", { type: "button", "class": "navi-button " + className }, label);
    node.addEventListener("click", onClick);
    return node;
  }

  // ------------------------------------------------------------------ answers and the URL

  function findChoice(question, value) {
    if (question.choices.indexOf(value) !== -1) return value;
    var wanted = key(value);
    for (var i = 0; i < question.choices.length; i++) {
      if (key(question.choices[i]) === wanted) return question.choices[i];
    }
    return null;
  }

  /* A decimal number as text ("3", "2.5"), or null. `typed` also takes what a person types: ３人, 1,000, 78 歳, 78才,
     by the rules of navigator/contract/numbers.py, which flow.js carries for each 数値 question (`units`, `whole`). */
  function readNumber(text, q, typed) {
    var value = key(text);
    if (!typed) {
      var u = q.unit ? key(q.unit) : "";
      if (u && value.length > u.length && value.slice(-u.length) === u) value = value.slice(0, -u.length).trim();
      return shortest(/^-?\d+(\.\d+)?$/.test(value) ? value : null);
    }
    value = value.replace(/[,\s]/g, "").replace(/^[\u2212\u2010-\u2015]/, "-").replace(/^\+/, "").replace(/[\u3002\uff61]$/, "");
    var found = /^(-?\d+(?:\.\d+)?)(.*)$/.exec(value);
    if (!found || (found[2] && (q.units || []).indexOf(found[2]) === -1)) return null;
    return shortest(found[1]);
  }

  function shortest(value) {
    if (value === null) return null;
    var text = String(Number(value));
    return /e/i.test(text) ? value : text;
  }

  /* A number typed into a 数値 question's field: {value} when the question takes it, else {error} saying the range. */
  function typedNumber(text, q) {
    var number = readNumber(text, q, true), range = numberRange(q);
    if (number === null) {
      return { error: _("「%(text)s」は数として読めません。%(range)sを数字で入力してください（例: 3%(unit)s）。", { text: text.trim(), range: rangeWords(q), unit: q.unit || "" }) };
    }
    var n = Number(number);
    if (n < range.min || (range.max !== null && n > range.max) || (range.whole && Math.floor(n) !== n)) {
      return { error: _("「%(text)s」は答えにできません。%(range)sを入力してください。", { text: text.trim(), range: rangeWords(q) }) };
    }
    return { value: number };
  }

  /* The range a 数値 question takes: `min`/`max` from the flow data when given, else 0 and no upper limit. */
  function numberRange(q) {
    var min = typeof q.min === "number" && isFinite(q.min) ? q.min : 0;
    var max = typeof q.max === "number" && isFinite(q.max) ? q.max : null;
    return { min: min, max: max, whole: q.whole === true };
  }

  function rangeWords(q) {
    var range = numberRange(q), unit = q.unit || "";
    var values = { min: range.min, max: range.max, unit: unit };
    if (range.max !== null) {
      return range.whole ? _("%(min)s%(unit)s以上、%(max)s%(unit)s以下の整数（小数点のない数）", values)
                         : _("%(min)s%(unit)s以上、%(max)s%(unit)s以下の数", values);
    }
    return range.whole ? _("%(min)s%(unit)s以上の整数（小数点のない数）", values) : _("%(min)s%(unit)s以上の数", values);
  }

  /* `質問ID=回答&…` → answers; pairs naming an unknown question or choice, or a non-number, are ignored. */
  function readAnswers(query) {
    var answers = {};
    query.split("&").forEach(function (pair) {
      var cut = pair.indexOf("=");
      if (cut === -1) return;
      var name = decode(pair.slice(0, cut)), value = decode(pair.slice(cut + 1));
      if (name === null || value === null) return;
      var question = byId[name] || byKey[key(name)];
      if (!question) return;
      if (question.type === "number") {
        var number = readNumber(value, question, false);
        if (number !== null && !has(answers, question.id)) answers[question.id] = number;
      } else if (question.type === "multiple") {
        if (!has(answers, question.id) && value === "") answers[question.id] = [];
        var picked = value === "" ? null : findChoice(question, value);
        if (picked === null) return;
        var chosen = answers[question.id] || (answers[question.id] = []);
        if (chosen.indexOf(picked) === -1) chosen.push(picked);
      } else {
        var choice = findChoice(question, value);
        if (choice !== null && !has(answers, question.id)) answers[question.id] = choice;
      }
    });
    return answers;
  }

  function forRules(answers) {
    var out = {};
    Object.keys(answers).forEach(function (id) {
      out[id] = byId[id].type === "number" ? Number(answers[id]) : answers[id];
    });
    return out;
  }

  /* The answers that count (answers to questions not asked are dropped) and which questions are asked. */
  function settle(answers) {
    var effective = rules.effectiveAnswers(questions, forRules(answers));
    var kept = {};
    Object.keys(answers).forEach(function (id) {
      if (has(effective.answers, id)) kept[id] = answers[id];
    });
    return { answers: kept, asked: effective.asked };
  }

  function query(answers) {
    var pairs = [];
    questions.forEach(function (q) {
      if (!has(answers, q.id)) return;
      var name = encodeURIComponent(q.id), value = answers[q.id];
      if (q.type !== "multiple") {
        pairs.push(name + "=" + encodeURIComponent(value));
      } else if (!value.length) {
        pairs.push(name + "=");
      } else {
        q.choices.forEach(function (choice) {
          if (value.indexOf(choice) !== -1) pairs.push(name + "=" + encodeURIComponent(choice));
        });
      }
    });
    return pairs.join("&");
  }

  /* "#q/<id>?<answers>", "#summary?<answers>", "#results?<answers>" */
  function link(view, id, answers) {
    var pairs = query(answers);
    return "#" + (view === "q" ? "q/" + encodeURIComponent(id) : view) + (pairs ? "?" + pairs : "");
  }

  function readLocation() {
    var hash = location.hash.replace(/^#/, "");
    var cut = hash.indexOf("?");
    var viewText = decode(cut === -1 ? hash : hash.slice(0, cut)) || "";
    var found = { view: "start", id: null, text: viewText, hasAnswers: cut !== -1,
                  answers: readAnswers(cut === -1 ? "" : hash.slice(cut + 1)) };
    if (viewText.indexOf("q/") === 0) {
      found.view = "q";
      found.id = viewText.slice(2);
    } else if (viewText === "summary" || viewText === "results") {
      found.view = viewText;
    }
    return found;
  }

  function askedList(asked) {
    return questions.filter(function (q) { return asked[q.id]; });
  }

  /* That question if it is asked, else the next one that is; null when none is left. */
  function questionFrom(id, asked) {
    var start = 0;
    if (id !== null) {
      var q = byId[id] || byKey[key(id)];
      if (q) start = position[q.id];
    }
    for (var i = start; i < questions.length; i++) {
      if (asked[questions[i].id]) return questions[i];
    }
    return null;
  }

  function answerText(q, answers) {
    if (!has(answers, q.id)) return UNKNOWN;
    var value = answers[q.id];
    if (q.type === "multiple") return value.length ? value.map(function (c) { return choiceText(q, c); }).join(_("、")) : NONE;
    if (q.type === "number") return value + (q.unit || "");
    return choiceText(q, value);
  }

  function go(hash) {
    if (location.hash === hash) route(false);
    else location.hash = hash;
  }

  function say(text, hash) {
    status = { text: text, hash: hash };
  }

  function token() {
    return String(Math.random()).slice(2, 14) + "-" + Date.now().toString(36);
  }

  function entryState() {
    return { navi: visit, n: entryIndex };
  }

  /* Every entry this page makes gets its state; an entry of a cleared visit shows nothing and forgets its answers. */
  function markEntry(first) {
    var st = history.state;
    if (st && typeof st.navi === "string" && typeof st.n === "number") {
      entryIndex = st.n;
      if (cleared.indexOf(st.navi) !== -1) { // an entry of a cleared visit: it shows nothing, and stays so
        if (st.navi === visit) visit = token();
        loadIndex = Math.min(loadIndex, entryIndex);
        history.replaceState(entryState(), "", startLink());
        return;
      }
    } else {
      if (!first) entryIndex++; // a new entry, made by location.hash = …
      history.replaceState(entryState(), "", location.href);
    }
  }

  function startLink() {
    return link("q", questions.length ? questions[0].id : "", {});
  }

  // ------------------------------------------------------------------ dates

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var iso = function (d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); };
    var ahead = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 30);
    return { date: now, iso: iso(now), soon: iso(ahead) };
  }

  /* 2027年（令和9年）3月31日（水）, as the site's pages write dates. */
  function japaneseDate(day) {
    var y = day.getFullYear(), m = day.getMonth() + 1, d = day.getDate();
    var era = "";
    if (y > 2019 || (y === 2019 && m >= 5)) era = "（令和" + (y === 2019 ? "元" : y - 2018) + "年）";
    return y + "年" + era + m + "月" + d + "日（" + "日月火水木金土".charAt(day.getDay()) + "）";
  }

  /* A translated sentence with elements in it: `text` keeps its %(name)s where `parts` has an element (a link). */
  function sentence(text, parts) {
    return text.split(/(%\(\w+\)s)/).map(function (piece) {
      var name = /^%\((\w+)\)s$/.exec(piece);
      return name && parts[name[1]] ? parts[name[1]] : piece;
    }).filter(function (piece) { return piece !== ""; });
  }

  /* A date in the page's language: the Japanese pages' own writing (japaneseDate), else the browser's for that language. */
  var japanesePage = (document.documentElement.lang || "ja") === "ja";
  function localDate(day) {
    if (japanesePage) return japaneseDate(day);
    return new Intl.DateTimeFormat(document.documentElement.lang, { year: "numeric", month: "long", day: "numeric", weekday: "short" }).format(day);
  }

  // ------------------------------------------------------------------ the files fetched after the page

  var later = { state: texts ? "done" : "idle", waiting: null, ready: [] }; // state: idle | loading | done | failed

  function fetchLater() {
    if (later.state !== "idle") return;
    later.state = "loading";
    var pending = 0;
    function one(src) {
      if (!src) return;
      pending++;
      var script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = function () {
        if (--pending) return;
        texts = window.NavigatorResults || null;
        later.state = texts ? "done" : "failed";
        later.ready.splice(0).forEach(function (then) { then(); });
        if (later.waiting) {
          var first = later.waiting.first;
          later.waiting = null;
          route(first);
        }
      };
      document.body.appendChild(script);
    }
    one(box.getAttribute("data-results"));
    if (typeof window.qrcode !== "function") one(box.getAttribute("data-qrcode"));
    if (!pending) later.state = texts ? "done" : "failed";
  }

  function showWaiting() {
    var failed = later.state === "failed";
    var heading = el("h1", { id: "navi-heading", tabindex: "-1" }, failed ? _("結果を表示できません") : _("結果を読み込んでいます"));
    box.appendChild(el("div", { "class": "navi-screen" }, [
      heading,
      el("p", { "class": "navi-lead" }, failed
        ? _("結果の表示に必要なデータを読み込めませんでした。通信できることを確かめて、ページを再読み込みしてください。回答はページのアドレスに残っています。")
        : _("少しお待ちください。"))
    ]));
    return heading;
  }

  // ------------------------------------------------------------------ the views

  function route(first) {
    markEntry(first);
    var found = readLocation();
    var settled = settle(found.answers);
    var view = found.view, question = null;
    if (view === "q" || view === "start") {
      question = questionFrom(view === "q" ? found.id : null, settled.asked);
      view = question ? "q" : "summary";
    }
    var canonical = link(view, question && question.id, settled.answers);
    if (location.hash !== canonical) history.replaceState(history.state, "", canonical);
    if (view !== "q") editing = null;

    box.classList.remove("navi-checklist-mode");
    box.textContent = "";
    unmadeChecklist = null;
    lines.reset();
    statusBox.textContent = "";
    var heading;
    if (view === "q") heading = showQuestion(question, settled);
    else if (view === "summary") heading = showSummary(settled);
    else if (texts) heading = showResults(settled);
    else {
      fetchLater();
      if (later.state === "loading") later.waiting = { first: first };
      heading = showWaiting();
    }
    if (status && status.hash === canonical) statusBox.textContent = status.text;
    else status = null;
    if (!first) {
      window.scrollTo(0, 0);
      heading.focus();
    }
  }

  function progress(current, total) {
    var bar = el("span", { "class": "navi-bar-fill" });
    bar.style.width = Math.round((current / total) * 100) + "%";
    return el("div", { "class": "navi-progress" }, [
      el("p", { "class": "navi-progress-text" }, [
        el("span", { "aria-hidden": "true" }, _("%(current)s / %(total)s 問目", { current: current, total: total })),
        hidden(_("全%(total)s問のうち%(current)s問目", { current: current, total: total }))
      ]),
      el("span", { "class": "navi-bar", "aria-hidden": "true" }, bar)
    ]);
  }

  /* Back to this load's first entry, shown empty, then push the first question: the entries after it, answers and
   * all, leave the tab's history (a new entry drops the forward ones). Entries from before a reload cannot be
   * reached: said on the page. */
  function clearAnswers() {
    editing = null;
    passed = {};
    aside = {};
    cleared.push(visit);
    cleared = cleared.slice(-20);
    try {
      window.name = NAME_PREFIX + cleared.join(",");
    } catch (e) { /* without it, entries of earlier loads are not reached: said on the page */ }
    visit = token();
    say(CLEARED, startLink());
    var back = entryIndex - loadIndex;
    if (back > 0) {
      clearing = true;
      history.go(-back); // → popstate → finishClear
      // Should no popstate come (a browser that refuses the move), clear here: entries reached later still show
      // nothing, their visit being cleared.
      window.setTimeout(function () { if (clearing) finishClear(); }, 1500);
    } else {
      finishClear();
    }
  }

  function finishClear() {
    clearing = false;
    entryIndex = loadIndex;
    history.replaceState(entryState(), "", startLink());
    entryIndex++;
    history.pushState(entryState(), "", startLink());
    route(false);
  }

  function clearRow(note) {
    return el("div", { "class": "navi-clear" }, [
      button(_("回答を消す"), "navi-secondary", clearAnswers),
      note ? el("p", { "class": "navi-small" }, note) : null
    ]);
  }

  function showQuestion(q, settled) {
    var answers = settled.answers;
    var asked = askedList(settled.asked);
    var answered = has(answers, q.id);
    var skipped = !answered && wentPast(q, answers);
    var form = el("form", { "class": "navi-question", novalidate: true, "data-question-id": q.id });
    var heading = el("h1", { id: "navi-heading", tabindex: "-1" });
    var help = q.help_html ? trusted("div", { id: "navi-help", "class": "navi-help" }, q.help_html) : null;
    var describedBy = help ? ["navi-help"] : [];
    var group, field = null, unknownBox;
    document.title = _("質問 %(current)s / %(total)s：%(question)s", { current: asked.indexOf(q) + 1, total: asked.length, question: q.text }) + " | " + siteName;
    form.appendChild(progress(asked.indexOf(q) + 1, asked.length));

    if (q.type === "number") {
      heading.appendChild(el("label", { "for": "navi-number" }, questionText(q)));
      form.appendChild(heading);
      add(form, help);
      if (q.unit) describedBy.push("navi-unit");
      describedBy.push("navi-range");
      field = el("input", { id: "navi-number", name: "answer", type: "text", inputmode: "decimal", autocomplete: "off",
                            spellcheck: "false", "class": "navi-number-input", value: answered ? answers[q.id] : null,
                            "aria-describedby": describedBy.join(" ") || null });
      group = el("div", { "class": "navi-number" }, [field, q.unit ? el("span", { id: "navi-unit", "class": "navi-unit" }, q.unit) : null]);
      form.appendChild(group);
      form.appendChild(el("p", { id: "navi-range", "class": "navi-small navi-range" }, _("%(range)sで入力してください。", { range: rangeWords(q) })));
      unknownBox = choice("checkbox", "navi-unknown", UNKNOWN, skipped);
      form.appendChild(el("div", { "class": "navi-choices navi-choices-unknown" }, unknownBox.wrap));
      field.addEventListener("input", function () { if (field.value) unknownBox.input.checked = false; });
      unknownBox.input.addEventListener("change", function () { if (unknownBox.input.checked) field.value = ""; });
    } else {
      var multiple = q.type === "multiple";
      var kind = multiple ? "checkbox" : "radio";
      var text = questionText(q);
      heading.appendChild(typeof text === "string" ? document.createTextNode(text) : text);
      group = el("fieldset", { "class": "navi-fieldset" }, el("legend", { "class": "navi-legend" }, heading));
      add(group, help);
      if (multiple) {
        group.appendChild(el("p", { id: "navi-hint", "class": "navi-hint" },
          _("いくつでも選べます。当てはまるものがなければ、何も選ばずに「次へ」を押してください（「どれも当てはまらない」という回答になります）。")));
        describedBy.push("navi-hint");
      }
      if (describedBy.length) group.setAttribute("aria-describedby", describedBy.join(" "));
      var list = el("div", { "class": "navi-choices" });
      var boxes = q.choices.map(function (text, i) {
        var picked = answered && (multiple ? answers[q.id].indexOf(text) !== -1 : answers[q.id] === text);
        var made = choice(kind, "navi-choice-" + i, text, picked, choiceLabel(q, text));
        list.appendChild(made.wrap);
        return made.input;
      });
      group.appendChild(list);
      unknownBox = choice(kind, "navi-unknown", UNKNOWN, skipped);
      group.appendChild(el("div", { "class": "navi-choices navi-choices-unknown" }, unknownBox.wrap));
      form.appendChild(group);
      if (multiple) {
        boxes.forEach(function (input) {
          input.addEventListener("change", function () { if (input.checked) unknownBox.input.checked = false; });
        });
        unknownBox.input.addEventListener("change", function () {
          if (unknownBox.input.checked) boxes.forEach(function (input) { input.checked = false; });
        });
      }
    }

    var previous = null;
    for (var i = position[q.id] - 1; i >= 0 && !previous; i--) {
      if (settled.asked[questions[i].id]) previous = questions[i];
    }
    var back = editing ? link("summary", null, answers) : previous ? link("q", previous.id, answers) : root + "index.html";
    form.appendChild(el("div", { "class": "navi-actions" }, [
      el("button", { type: "submit", "class": "navi-button navi-primary" }, _("次へ")),
      el("a", { href: back, "class": "navi-back" }, _("戻る"))
    ]));
    form.appendChild(clearRow(null));

    var sent = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sent) return; // a double click moves one step, not two
      var got = readForm(q, form, field, unknownBox.input);
      if (got.error) {
        if (q.type === "number") showError(form, got.error, group, field, got.focus);
        else showError(form, got.error, group.querySelector(".navi-choices"), group, got.focus);
        return;
      }
      var changed = {};
      Object.keys(answers).forEach(function (id) { changed[id] = answers[id]; });
      var changing = has(answers, q.id) || passed[q.id] || !!editing;
      if (got.unknown) delete changed[q.id];
      else changed[q.id] = got.value;
      passed[q.id] = true;
      var after = settleKeeping(changed, settled);
      var next = null;
      if (editing) {
        questions.forEach(function (other) {
          if (after.asked[other.id] && !settled.asked[other.id] && after.restored.indexOf(other.id) === -1) {
            editing.pending[other.id] = true;
          }
        });
        delete editing.pending[q.id];
        next = questions.filter(function (other) { return after.asked[other.id] && editing.pending[other.id]; })[0] || null;
      } else {
        for (var j = position[q.id] + 1; j < questions.length && !next; j++) {
          if (after.asked[questions[j].id]) next = questions[j];
        }
      }
      sent = true;
      // This step's history entry keeps the answer just given, so the back button shows it again.
      history.replaceState(history.state, "", link("q", q.id, after.answers));
      var target = next ? link("q", next.id, after.answers) : link("summary", null, after.answers);
      if (changing) sayChanges(after, target);
      go(target);
    });
    box.appendChild(form);
    return heading;
  }

  /* settle(), and: the answers of questions that stop being asked go aside (memory only); questions asked again
   * get theirs back. `added`, `removed` and `restored` say what changed, for the message. */
  function settleKeeping(changed, before) {
    var after = settle(changed), restored = [];
    for (var round = 0; round <= questions.length; round++) {
      var more = false;
      questions.forEach(function (other) {
        if (after.asked[other.id] && !has(changed, other.id) && has(aside, other.id)) {
          changed[other.id] = aside[other.id];
          delete aside[other.id];
          restored.push(other.id);
          more = true;
        }
      });
      if (!more) break;
      after = settle(changed);
    }
    after.added = questions.filter(function (other) { return after.asked[other.id] && !before.asked[other.id]; });
    after.removed = questions.filter(function (other) { return !after.asked[other.id] && before.asked[other.id]; });
    after.removed.forEach(function (other) {
      if (has(before.answers, other.id)) aside[other.id] = before.answers[other.id];
    });
    after.restored = restored;
    return after;
  }

  function sayChanges(after, hash) {
    var quote = function (list) { return list.map(function (q) { return _("「%(question)s」", { question: q.text }); }).join(""); };
    var parts = [];
    if (after.added.length) {
      parts.push(_("回答を変えたので、次の質問が増えました：%(questions)s。", { questions: quote(after.added) }) +
        (after.restored.length ? _("前に答えていた回答を戻しました。") : ""));
    }
    if (after.removed.length) {
      parts.push(_("回答を変えたので、次の質問が減りました：%(questions)s。その回答は、この画面を開いている間だけ覚えておき、質問がまた必要になると戻ります（端末には保存しません）。", { questions: quote(after.removed) }));
    }
    if (parts.length) say(parts.join(""), hash);
  }

  /* Whether the resident already went past this question (so leaving it unanswered was their answer). */
  function wentPast(q, answers) {
    if (passed[q.id] || (editing && !editing.pending[q.id])) return true;
    for (var i = position[q.id] + 1; i < questions.length; i++) {
      if (has(answers, questions[i].id)) return true;
    }
    return false;
  }

  function choice(kind, id, text, checked, label) {
    var input = el("input", { type: kind, id: id, name: "answer", value: text, checked: checked });
    return { input: input, wrap: el("div", { "class": "navi-choice" }, [input, el("label", { "for": id }, label === undefined ? text : label)]) };
  }

  // A choice as the page's language shows it (flow.js "labels"; the choice itself is the answer's key in every language).
  function choiceLabel(q, value) {
    var at = q.choices.indexOf(value);
    if (q.labels_html && at !== -1) return trusted("span", null, q.labels_html[at]);  // やさしい日本語: with ルビ (site/data.py)
    var i = q.labels ? at : -1;
    return i === -1 ? value : shown(q, "labels." + i, q.labels[i]);
  }

  // A question's text as a node: with ルビ on the やさしい日本語 pages, marked if not translated yet.
  function questionText(q) {
    return q.text_html ? trusted("span", null, q.text_html) : shown(q, "text");
  }

  // A program's name as the results show it: with ルビ on the やさしい日本語 pages.
  function programName(p) {
    return p.name_html ? trusted("span", null, p.name_html) : shown(p, "name");
  }

  // A document of the 書類 sheet by its name (the key), as the page's language names it.
  function documentLabel(name) {
    var found = ((texts && texts.documents) || []).filter(function (d) { return d.name === name; })[0];
    return found && found.label ? found.label : name;
  }

  function choiceText(q, value) {
    var i = q.labels ? q.choices.indexOf(value) : -1;
    return i === -1 ? value : q.labels[i];
  }

  function readForm(q, form, field, unknown) {
    if (unknown.checked) return { unknown: true };
    if (q.type === "number") {
      if (!field.value.trim()) {
        return { error: _("数を入力してください。わからないときや答えたくないときは「%(unknown)s」を選んでください。", { unknown: UNKNOWN }), focus: field };
      }
      var typed = typedNumber(field.value, q);
      return typed.error ? { error: typed.error, focus: field } : typed;
    }
    var checked = Array.prototype.filter.call(form.querySelectorAll(".navi-choices input"), function (input) {
      return input.checked && input !== unknown;
    }).map(function (input) { return input.value; });
    if (q.type === "multiple") return { value: checked };
    if (!checked.length) {
      return { error: _("選択肢から1つ選んでください。わからないときや答えたくないときは「%(unknown)s」を選んでください。", { unknown: UNKNOWN }),
               focus: form.querySelector(".navi-choices input") };
    }
    return { value: checked[0] };
  }

  /* The message goes just above the choices or the field, which it describes (aria-describedby), and is announced. */
  function showError(form, message, before, described, focus) {
    var error = document.getElementById("navi-error");
    if (!error) {
      error = el("p", { id: "navi-error", "class": "navi-error", role: "alert" });
      before.parentNode.insertBefore(error, before);
      var ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      ids.unshift("navi-error");
      described.setAttribute("aria-describedby", ids.join(" "));
      if (described.tagName === "INPUT") described.setAttribute("aria-invalid", "true");
      form.classList.add("navi-has-error");
    }
    if (error.textContent) {
      // The same message again: empty it first, then set it in the next turn, so that it is announced again.
      error.textContent = "";
      window.setTimeout(function () { add(error, [hidden(ERROR_PREFIX), message]); }, 50);
    } else {
      add(error, [hidden(ERROR_PREFIX), message]);
    }
    if (focus) focus.focus();
  }

  function showSummary(settled) {
    var answers = settled.answers;
    var asked = askedList(settled.asked);
    var heading = el("h1", { id: "navi-heading", tabindex: "-1" }, _("回答の確認"));
    document.title = _("回答の確認") + " | " + siteName;
    var list = el("dl", { "class": "navi-answers" });
    asked.forEach(function (q) {
      list.appendChild(el("div", { "class": "navi-answer", "data-question-id": q.id }, [
        el("dt", null, shown(q, "text")),
        el("dd", null, [
          el("span", { "class": has(answers, q.id) ? "navi-answer-text" : "navi-answer-text navi-answer-unknown" }, answerText(q, answers)),
          " ",
          el("a", { href: link("q", q.id, answers), "class": "navi-change", "data-edit": "" }, [_("変更する"), hidden(_("（%(question)s）", { question: q.text }))])
        ])
      ]));
    });
    var last = asked[asked.length - 1];
    var view = el("div", { "class": "navi-summary" }, [
      heading,
      el("p", null, _("次の回答で、使える制度を探します。変えたい回答があれば「変更する」を押してください。")),
      list,
      el("div", { "class": "navi-actions" }, [
        button(_("結果を見る"), "navi-primary", function () { go(link("results", null, answers)); }),
        last ? el("a", { href: link("q", last.id, answers), "class": "navi-back" }, _("戻る")) : null
      ]),
      clearRow(null)
    ]);
    box.appendChild(view);
    return heading;
  }

  // ------------------------------------------------------------------ the results

  function conditionAnswer(condition, answers) {
    var q = byId[condition.question], value = answers[condition.question];
    if (q.type === "multiple") return value.filter(function (c) { return condition.choices.indexOf(c) !== -1; }).map(function (c) { return choiceText(q, c); }).join(_("、"));
    if (q.type === "number") return value + (q.unit || "");
    return choiceText(q, value);
  }

  function everyone(m) {
    return !m.row.fitting.length && !m.row.unknown.length;
  }

  function programText(id) {
    return texts.programs[id] || { name: id, page: "", documents: [] };
  }

  /* The deadline in a few characters: 「12月28日まで」 (with the year when it is not this year), or its text. */
  function shortDeadline(p, day) {
    if (!p.deadline) return "";
    if (!p.deadline.date) return trusted("span", null, p.deadline.html).textContent;
    var parts = p.deadline.date.split("-").map(Number);
    var thisYear = parts[0] === day.date.getFullYear();
    if (!japanesePage) {
      var options = thisYear ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" };
      return _("%(date)sまで", { date: new Intl.DateTimeFormat(document.documentElement.lang, options).format(new Date(parts[0], parts[1] - 1, parts[2])) });
    }
    return (thisYear ? "" : parts[0] + "年") + parts[1] + "月" + parts[2] + "日まで";
  }

  function field(name, value) {
    return value ? [el("dt", null, name), value] : null;
  }

  /* A program's line, its details opening in place; `step`: its 「まず最初に」 entry, if it is one. */
  function resultItem(m, kind, answers, day, number, step) {
    var id = m.program.id, p = programText(id);
    var closed = rules.isClosed(texts, id, day), soon = !closed && rules.isSoon(texts, id, day);
    var item = el("li", { "class": "navi-result", "data-program-id": id, "data-match": kind,
                          "data-deadline": closed ? "closed" : soon ? "soon" : null });
    var badges = [
      el("span", { "class": "navi-badge navi-badge-" + kind }, kind === "applies" ? _("対象") : _("可能性あり")),
      closed ? el("span", { "class": "navi-badge navi-badge-closed" }, _("受付終了")) : null,
      soon ? el("span", { "class": "navi-badge navi-badge-soon" }, _("まもなく締切")) : null
    ];
    var dated = !!(p.deadline && p.deadline.date);
    var deadline = shortDeadline(p, day);
    var summary = el("summary", { "class": "navi-row", id: "navi-p-" + number }, [
      el("span", { "class": "navi-row-name" }, programName(p)),
      p.benefit_short ? el("span", { "class": "navi-row-what" }, [hidden(_("支援内容: ")), p.benefit_short]) : null,
      el("span", { "class": "navi-row-meta" }, [
        badges,
        deadline ? el("span", { "class": dated ? "navi-row-deadline navi-row-dated" : "navi-row-deadline" }, [hidden(_("申請期限: ")), dated ? "" : _("期限 "), deadline]) : null,
        p.how_short ? el("span", { "class": "navi-row-how" }, [hidden(_("申請方法: ")), _("申請 "), p.how_short]) : null
      ]),
      step ? el("span", { "class": "navi-row-first" }, neededBySentence(step)) : null
    ]);
    var details = el("details", { "class": "navi-details" }, summary);
    item.appendChild(details);
    // Made when first opened: a closed line is a few elements, not some two hundred.
    details.addEventListener("toggle", function () {
      if (details.open && details.childNodes.length === 1) details.appendChild(resultBody(m, kind, answers, day, p, closed, soon));
    });
    return item;
  }

  /* The opened part of a program's line: its page, what it gives, when, how, where, and why it is shown. */
  function resultBody(m, kind, answers, day, p, closed, soon) {
    var body = el("div", { "class": "navi-result-body" });
    body.appendChild(el("p", { "class": "navi-result-name" }, el("a", { href: root + p.page }, [_("「%(program)s」のページ", { program: p.name }), hidden(_("を開く"))])));
    if (everyone(m)) body.appendChild(el("p", { "class": "navi-badges" }, el("span", { "class": "navi-badge navi-badge-everyone" }, _("どなたでも対象"))));
    if (p.summary_html) body.appendChild(trusted("div", { "class": "navi-result-summary" }, p.summary_html));
    var fields = el("dl", { "class": "navi-fields" });
    add(fields, field(_("支援内容"), p.benefit_html ? trusted("dd", null, p.benefit_html) : null));
    if (p.deadline) {
      var full = trusted("dd", null, p.deadline.html);
      if (closed) add(full, [" ", el("strong", { "class": "navi-closed" }, _("受付終了"))]);
      if (soon) add(full, [" ", el("strong", { "class": "navi-soon-mark" }, _("まもなく締切"))]);
      add(fields, field(_("申請期限"), full));
    }
    add(fields, field(_("申請方法"), p.how_html ? trusted("dd", null, p.how_html) : null));
    add(fields, field(_("窓口"), p.office ? el("dd", null, p.office) : null));
    add(fields, field(_("必要書類"), p.documents && p.documents.length ? el("dd", null, el("ul", { "class": "navi-documents" },
      p.documents.map(function (need) {
        var name = shown(need, "label", need.label || need.name);
        return el("li", null, need.note ? sentence(_("%(document)s（%(note)s）"), { document: name, note: shown(need, "note") }) : name);
      }))) : null));
    add(fields, field(_("問い合わせ先"), p.contact_html ? trusted("dd", { "class": "navi-contact" }, p.contact_html) : null));
    body.appendChild(fields);
    if (p.online_url && /^https?:\/\//i.test(p.online_url)) {
      body.appendChild(el("p", { "class": "navi-online" }, el("a", { href: p.online_url, rel: "noopener noreferrer" },
        [_("オンラインで申請する"), hidden(_("（%(program)s）", { program: p.name }))])));
    }
    if (p.target_html) {
      body.appendChild(el("div", { "class": "navi-target" }, [
        el("p", { "class": "navi-target-intro" }, _("このほかに次の条件があります（対象となる方）")),
        trusted("div", null, p.target_html)
      ]));
    }
    var why = el("div", { "class": "navi-why" }, el("p", { "class": "navi-why-title" }, _("表示した理由")));
    if (everyone(m)) {
      why.appendChild(el("p", null, _("どなたでも対象です（回答にかかわらず表示しています）。")));
    }
    if (m.row.fitting.length) {
      why.appendChild(el("p", null, kind === "applies" ? _("次の回答が条件に当てはまりました。") : _("次の回答は条件に当てはまりました。")));
      why.appendChild(el("ul", { "class": "navi-reasons" }, m.row.fitting.map(function (c) {
        return el("li", { "data-question-id": c.question }, [
          byId[c.question].text, " → ", el("strong", null, conditionAnswer(c, answers)),
          c.range ? el("span", { "class": "navi-small" }, _("（条件: %(range)s）", { range: c.range.text })) : null
        ]);
      })));
    }
    if (m.row.unknown.length) {
      why.appendChild(el("p", null, _("次の質問に答えると、対象かどうかがはっきりします。")));
      why.appendChild(el("ul", { "class": "navi-reasons" }, m.row.unknown.map(function (c) {
        return el("li", { "data-question-id": c.question },
          el("a", { href: link("q", c.question, answers), "data-edit": "" }, _("「%(question)s」に答える", { question: byId[c.question].text })));
      })));
    }
    body.appendChild(why);
    return body;
  }

  /* 「り災証明書」は、ほかの25件の制度で必要: why a program is among the first steps */
  function neededBySentence(step) {
    var documents = step.documents.map(function (d) { return _("「%(document)s」", { document: documentLabel(d) }); }).join("");
    return _("%(documents)sは、ほかの%(count)s件の制度で必要", { documents: documents, count: step.needed_by.length });
  }

  /* The programs whose documents others need, first: on the first screen, above everything else. */
  function firstStepsBlock(arrangement, kinds, answers, day, numbers) {
    var steps = arrangement.first_steps;
    if (!steps.length) return null;
    return el("section", { "class": "navi-first", "aria-labelledby": "navi-first-heading", "data-section": "first" }, [
      el("h2", { id: "navi-first-heading" }, [_("まず最初に"), el("span", { "class": "navi-count" }, _("（%(count)s件）", { count: steps.length }))]),
      el("ul", { "class": "navi-results" }, steps.map(function (step) {
        return resultItem(step.found, kinds[step.found.program.id], answers, day, numbers[step.found.program.id], step);
      }))
    ]);
  }

  function resultSection(idName, title, section, count, intro, answers, day, numbers, firstCount) {
    var kind = section.kind;
    var section_ = el("section", { "class": "navi-section navi-section-" + kind, "aria-labelledby": idName, "data-section": kind }, [
      el("h2", { id: idName }, [title, el("span", { "class": "navi-count" }, _("（%(count)s件）", { count: count }))])
    ]);
    if (!count) {
      section_.appendChild(el("p", null, kind === "applies" ? _("いまの回答で対象となる制度はありませんでした。")
                                                           : _("対象の可能性がある制度はありません。")));
      return section_;
    }
    add(section_, intro ? el("p", { "class": "navi-small" }, intro) : null);
    var total = function (groups) { return groups.reduce(function (n, g) { return n + g.found.length; }, 0); };
    var jumps = section.groups.map(function (group, i) {
      return el("li", null, el("a", { href: "#navi-c-" + kind + "-" + i }, [categoryName(group.category), el("span", { "class": "navi-count" }, " " + _("%(count)s件", { count: group.found.length }))]));
    });
    if (firstCount) jumps.unshift(el("li", null, el("a", { href: "#navi-first-heading" }, [_("まず最初に"), el("span", { "class": "navi-count" }, " " + _("%(count)s件", { count: firstCount }))])));
    var closedCount = total(section.closed);
    if (closedCount) jumps.push(el("li", null, el("a", { href: "#navi-closed-" + kind }, [_("受付終了"), el("span", { "class": "navi-count" }, " " + _("%(count)s件", { count: closedCount }))])));
    if (jumps.length > 1) section_.appendChild(el("nav", { "class": "navi-jump", "aria-label": _("%(title)sの分類へ移動", { title: title }) }, el("ul", null, jumps)));
    var list = function (found) {
      var ul = el("ul", { "class": "navi-results" });
      found.forEach(function (m) {
        lines.add(ul, function () { return resultItem(m, kind, answers, day, numbers[m.program.id], null); });
      });
      return ul;
    };
    section.groups.forEach(function (group, i) {
      section_.appendChild(el("h3", { "class": "navi-category", id: "navi-c-" + kind + "-" + i }, [categoryName(group.category), el("span", { "class": "navi-count" }, _("（%(count)s件）", { count: group.found.length }))]));
      section_.appendChild(list(group.found));
    });
    if (closedCount) {
      var closed = el("details", { "class": "navi-closed-group", id: "navi-closed-" + kind }, [
        el("summary", null, [el("span", { "class": "navi-closed-title" }, _("受付終了")), el("span", { "class": "navi-count" }, _("（%(count)s件）", { count: closedCount })),
                             el("span", { "class": "navi-small" }, " " + _("申請期限を過ぎた制度です。担当課に相談できる場合があります。"))])
      ]);
      section.closed.forEach(function (group) {
        closed.appendChild(el("p", { "class": "navi-closed-category" }, categoryName(group.category)));
        closed.appendChild(list(group.found));
      });
      section_.appendChild(closed);
    }
    return section_;
  }

  /* Lines past the first screens are made 100 ms at a time once shown (9,800 lines took 8.9 s on a slow phone
   * before the first frame); a link to one, the print and the counter make them all at once. */
  var lines = {
    reset: function () {
      lines.queue = [];
      lines.next = 0;
      lines.eager = 120;
      lines.round = (lines.round || 0) + 1; // an earlier screen's chunks stop
    },
    add: function (list, make) {
      if (lines.eager-- > 0) return list.appendChild(make());
      lines.queue.push([list, make]);
      list.naviLeft = (list.naviLeft || 0) + 1;
      list.setAttribute("aria-busy", "true");
    },
    left: function () { return lines.next < lines.queue.length; },
    make: function (until) {
      while (lines.left() && until()) {
        var list = lines.queue[lines.next][0], made = document.createDocumentFragment(); // a list's lines at once
        while (lines.left() && until() && lines.queue[lines.next][0] === list) {
          made.appendChild(lines.queue[lines.next][1]());
          lines.queue[lines.next++] = 0;
          list.naviLeft--;
        }
        list.appendChild(made);
        if (!list.naviLeft) list.removeAttribute("aria-busy");
      }
    },
    later: function () {
      var round = lines.round, frame = requestAnimationFrame;
      frame(function () { // once the screen is painted
        frame(function () {
          setTimeout(function chunk() {
            var started = Date.now();
            if (round !== lines.round) return;
            lines.make(function () { return Date.now() - started < 100; });
            if (lines.left()) setTimeout(chunk);
          });
        });
      });
    },
    all: function () {
      lines.make(function () { return true; });
    }
  };
  lines.reset();
  box.addEventListener("click", function (event) {
    if (lines.left() && event.target.closest("a[href^='#navi-p-']")) lines.all();
  }, true);
  window.addEventListener("beforeprint", lines.all);

  /* Programs open for 30 more days at most: a strip above the overview, each a link to its line. */
  function soonStrip(arrangement, day, numbers) {
    var soon = arrangement.soon;
    if (!soon.length) return null;
    return el("section", { "class": "navi-soon", "aria-labelledby": "navi-soon-heading" }, [
      el("h2", { id: "navi-soon-heading" }, [_("まもなく締切"), el("span", { "class": "navi-count" }, _("（30日以内・%(count)s件）", { count: soon.length }))]),
      el("ul", null, soon.map(function (m) {
        var p = programText(m.program.id);
        return el("li", null, [el("span", { "class": "navi-soon-date" }, shortDeadline(p, day)), " ",
                               el("a", { href: "#navi-p-" + numbers[m.program.id] }, programName(p))]);
      }))
    ]);
  }

  /* Each program's number: its place in the results, the checklist and the list of documents. */
  function numbering(arrangement) {
    var numbers = {}, counter = 0;
    rules.inOrder(arrangement).forEach(function (m) { numbers[m.program.id] = ++counter; });
    return numbers;
  }

  /* The results of these answers, arranged (rules.arrange) and numbered: what the results screen, the checklist and
   * the counter's 手続き案内票 show. */
  function resultsOf(answers) {
    var found = rules.match(flow, forRules(answers)), day = today();
    var arrangement = rules.arrange(flow, texts, found, day), kinds = {};
    found.applies.forEach(function (m) { kinds[m.program.id] = "applies"; });
    found.may_apply.forEach(function (m) { kinds[m.program.id] = "may_apply"; });
    return { answers: answers, found: found, day: day, arrangement: arrangement, kinds: kinds, numbers: numbering(arrangement) };
  }

  /* The overview below the lead: まず最初に, the deadlines strip, both sections and the disclaimer. */
  function overview(r) {
    lines.reset();
    var firstIn = function (kind) {
      return r.arrangement.first_steps.filter(function (step) { return r.kinds[step.found.program.id] === kind; }).length;
    };
    return [
      firstStepsBlock(r.arrangement, r.kinds, r.answers, r.day, r.numbers),
      soonStrip(r.arrangement, r.day, r.numbers),
      resultSection("navi-applies-heading", _("対象となる制度"), r.arrangement.sections[0], r.found.applies.length, null, r.answers,
        r.day, r.numbers, firstIn("applies")),
      resultSection("navi-may-heading", _("対象の可能性がある制度"), r.arrangement.sections[1], r.found.may_apply.length,
        _("答えていない質問があるため、対象かどうかがまだ分からない制度です。制度を開くと「表示した理由」から質問に答えられます。"), r.answers,
        r.day, r.numbers, firstIn("may_apply")),
      texts.disclaimer_html ? el("section", { "class": "navi-disclaimer", "aria-labelledby": "navi-disclaimer-heading" }, [
        el("h2", { id: "navi-disclaimer-heading", tabindex: "-1" }, _("注意事項")), trusted("div", null, texts.disclaimer_html)]) : null
    ];
  }

  function leadText(found) {
    return _("対象 %(applies)s件・対象の可能性あり %(may)s件", { applies: found.applies.length, may: found.may_apply.length });
  }

  function showResults(settled) {
    var r = resultsOf(settled.answers);
    var heading = el("h1", { id: "navi-heading", tabindex: "-1" }, _("使える可能性のある制度"));
    document.title = _("結果（%(count)s）", { count: leadText(r.found) }) + " | " + siteName;
    var screen = el("div", { "class": "navi-screen" }, [
      heading,
      el("p", { "class": "navi-lead" }, leadText(r.found)),
      el("p", { "class": "navi-small navi-intro" }, texts.disclaimer_html ?  // one message: the space between sentences is the language's
        sentence(_("制度名を押すと、申請方法・窓口などが開きます。結果は目安です（%(link)s）。"),
                 { link: el("a", { href: "#navi-disclaimer-heading" }, _("注意事項")) }) :
        _("制度名を押すと、申請方法・窓口などが開きます。")),
      el("div", { "class": "navi-tools" }, [
        button(_("印刷用チェックリスト"), "navi-secondary", openChecklist),
        el("a", { href: link("summary", null, r.answers), "class": "navi-back" }, _("回答を確認・変更する"))
      ]),
      overview(r),
      clearRow(_("窓口などの共用のパソコンでは、使い終わったら「回答を消す」を押してください。"))
    ]);
    box.appendChild(screen);
    lines.later();
    unmadeChecklist = r;
    return heading;
  }

  // The results whose checklist is made when opened or printed (40,000 elements at 1,000 programs).
  var unmadeChecklist = null;
  function makeChecklist() {
    var r = unmadeChecklist;
    if (!r) return;
    unmadeChecklist = null;
    box.appendChild(checklist(r.arrangement, r.kinds, r.answers, r.day, r.numbers));
  }
  window.addEventListener("beforeprint", makeChecklist); // the browser's own 印刷 prints the checklist too

  // ------------------------------------------------------------------ the checklist to print

  function qrCode(text) {
    if (typeof window.qrcode !== "function") return null;
    var code = null;
    // Level L: the fewest modules, so each is as large as possible on paper (a results link is long).
    ["L"].some(function (level) {
      try {
        code = window.qrcode(0, level);
        code.addData(text);
        code.make();
        return true;
      } catch (e) {
        code = null;
        return false;
      }
    });
    if (!code) return null;
    var count = code.getModuleCount(), quiet = 4, path = "";
    for (var r = 0; r < count; r++) {
      for (var c = 0; c < count; c++) {
        if (!code.isDark(r, c)) continue;
        var run = 1;
        while (c + run < count && code.isDark(r, c + run)) run++;
        path += "M" + (c + quiet) + " " + (r + quiet) + "h" + run + "v1h-" + run + "z";
        c += run - 1;
      }
    }
    var ns = "http://www.w3.org/2000/svg", size = count + quiet * 2;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "navi-qr");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", _("この結果をもう一度開くためのQRコード"));
    svg.setAttribute("shape-rendering", "crispEdges");
    var background = document.createElementNS(ns, "rect");
    background.setAttribute("width", size);
    background.setAttribute("height", size);
    background.setAttribute("fill", "#fff");
    var modules = document.createElementNS(ns, "path");
    modules.setAttribute("d", path);
    modules.setAttribute("fill", "#000");
    svg.appendChild(background);
    svg.appendChild(modules);
    return svg;
  }

  function checkItem(id, labelContent) {
    return el("label", { "class": "navi-check", "for": id }, [el("input", { type: "checkbox", id: id }), " ", labelContent]);
  }

  function checklistProgram(m, day, number) {
    var id = m.program.id, p = programText(id);
    var closed = rules.isClosed(texts, id, day), soon = !closed && rules.isSoon(texts, id, day);
    return el("li", { "class": "navi-cl-program", "data-checklist-program": id }, [
      el("div", { "class": "navi-cl-name" }, checkItem("navi-cl-p-" + number[id], [
        el("span", { "class": "navi-cl-number" }, number[id] + "."), " ", programName(p),
        el("span", { "class": "navi-cl-category" }, _("（%(category)s）", { category: m.program.category }))])),
      p.benefit_short ? el("div", { "class": "navi-cl-benefit" }, [el("span", { "class": "navi-cl-label" }, _("支援内容: ")), p.benefit_short]) : null,
      el("div", { "class": "navi-cl-deadline" }, [el("span", { "class": "navi-cl-label" }, _("申請期限: ")),
        p.deadline ? trusted("span", null, p.deadline.html) : "—",
        closed ? el("strong", { "class": "navi-closed" }, " " + _("受付終了")) : null,
        soon ? el("strong", { "class": "navi-soon-mark" }, " " + _("まもなく締切")) : null]),
      el("div", { "class": "navi-cl-how" }, [el("span", { "class": "navi-cl-label" }, _("申請方法: ")),
        p.how_html ? trusted("div", null, p.how_html) : "—"]),
      el("div", { "class": "navi-cl-office" }, [el("span", { "class": "navi-cl-label" }, _("窓口: ")), p.office || "—"]),
      el("div", { "class": "navi-cl-contact" }, [el("span", { "class": "navi-cl-label" }, _("問い合わせ先: ")),
        p.contact_html ? trusted("div", null, p.contact_html) : "—"])
    ]);
  }

  /* [{number, note}] → 「3〜6・8／写し可: 7・10」: the programs' numbers, those with the same note together. */
  function numbersByNote(needs) {
    var notes = [""], byNote = { "": [] };
    needs.forEach(function (need) {
      if (!byNote[need.note]) {
        byNote[need.note] = [];
        notes.push(need.note);
      }
      byNote[need.note].push(need.number);
    });
    return notes.filter(function (note) { return byNote[note].length; }).map(function (note) {
      return (note ? note + ": " : "") + runs(byNote[note]);
    }).join(_("／"));
  }

  /* [3, 4, 5, 6, 8] → 「3〜6・8」 */
  function runs(numbers) {
    var sorted = numbers.slice().sort(function (a, b) { return a - b; }), out = [];
    for (var i = 0; i < sorted.length; i++) {
      var j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      if (j - i >= 2) out.push(_("%(first)s〜%(last)s", { first: sorted[i], last: sorted[j] }));
      else for (var k = i; k <= j; k++) out.push(String(sorted[k]));
      i = j;
    }
    return out.join(_("・"));
  }

  /* Each document once (the names are the 書類 sheet's, or the lines' own words made comparable when the site was
   * built), with where to get it and the numbers of the programs that need it, each with its note. */
  function checklistDocuments(arrangement, number) {
    var documents = [], byName = Object.create(null), sheet = Object.create(null);
    (texts.documents || []).forEach(function (d) { sheet[d.name] = d; });
    var first = Object.create(null);
    arrangement.first_steps.forEach(function (step) { first[step.found.program.id] = true; });
    rules.inOrder(arrangement).forEach(function (m) {
      var p = programText(m.program.id);
      (p.documents || []).forEach(function (need) {
        var k = need.key || need.name, d = byName[k];
        if (!d) documents.push(d = byName[k] = { name: need.name, shown: shown(need, "label", need.label || need.name), needs: [], numbers: {} });
        var n = number[m.program.id];
        if (d.numbers[n]) return;
        d.numbers[n] = true;
        d.needs.push({ number: n, note: need.note || "" });
      });
    });
    var out = [el("h2", null, [_("持ち物（必要な書類）"), el("span", { "class": "navi-count" }, _("（%(count)s種類）", { count: documents.length }))])];
    if (!documents.length) {
      out.push(el("p", null, _("書類の情報はありません。各制度の問い合わせ先でご確認ください。")));
      return out;
    }
    out.push(el("p", { "class": "navi-small" }, _("同じ書類は1回だけ載せています。「制度」の後は、その書類が必要な制度の番号です（「写し可」などは、その制度での注意）。")));
    out.push(el("ul", { "class": "navi-cl-documents" }, documents.map(function (d, i) {
      var known = sheet[d.name], issuer = known && known.issued_by && first[known.issued_by] ? number[known.issued_by] : null;
      var source = ((known && known.source) || "") + (issuer ? _("（%(issuer)s. の手続きで受け取れます）", { issuer: issuer }) : "");
      return el("li", { "class": "navi-cl-document", "data-document": d.name }, [
        checkItem("navi-cl-d-" + (i + 1), el("span", { "class": "navi-cl-doc-name" }, d.shown)),
        el("span", { "class": "navi-cl-for" }, _("制度 %(numbers)s", { numbers: numbersByNote(d.needs) })),
        source ? el("span", { "class": "navi-cl-source" }, [el("span", { "class": "navi-cl-label" }, _("入手先: ")), source]) : null
      ]);
    })));
    return out;
  }

  function checklist(arrangement, kinds, answers, day, number) {
    var heading = el("h1", { id: "navi-checklist-heading", tabindex: "-1" }, _("支援制度チェックリスト"));
    var url = location.href.split("#")[0] + link("results", null, answers);
    var qr = qrCode(url);
    var wrap = el("div", { "class": "navi-print", id: "navi-checklist" }, [
      el("div", { "class": "navi-print-tools" }, [
        button(_("印刷する"), "navi-primary", function () { if (typeof window.print === "function") window.print(); }),
        button(_("結果の表示に戻る"), "navi-secondary", closeChecklist)
      ]),
      heading,
      el("p", { "class": "navi-cl-meta" }, [siteName, "　", _("印刷日: "), el("span", { "class": "navi-cl-date" }, localDate(day.date))]),
      el("div", { "class": "navi-cl-head" }, [
        qr ? el("div", { "class": "navi-cl-qr" }, [qr, el("p", null, _("スマートフォンでこのQRコードを読み取ると、この結果をもう一度開けます。"))]) : null,
        el("div", { "class": "navi-cl-site-contact" }, [
          el("h2", null, _("問い合わせ先")),
          texts.contact_html ? trusted("p", null, texts.contact_html) : el("p", null, _("各制度の問い合わせ先へお問い合わせください。")),
          el("p", { "class": "navi-small" }, _("申請が済んだ制度、用意ができた書類に印を付けてお使いください。"))
        ])
      ]),
      texts.disclaimer_html ? el("div", { "class": "navi-cl-disclaimer" }, [
        el("h2", { "class": "navi-vh" }, _("注意事項")), trusted("div", null, texts.disclaimer_html)]) : null
    ]);
    var steps = arrangement.first_steps.map(function (step) { return step.found; });
    var parts = [["first", _("まず最初に"), steps, steps.length]].concat(arrangement.sections.map(function (section, i) {
      var listed = [];
      section.groups.concat(section.closed).forEach(function (group) { listed.push.apply(listed, group.found); });
      var moved = steps.filter(function (m) { return kinds[m.program.id] === section.kind; }).length;
      return [section.kind, i ? _("対象の可能性がある制度") : _("対象となる制度"), listed, moved ? _("ほかに%(count)s", { count: listed.length }) : listed.length];
    }));
    parts.forEach(function (part) {
      if (part[0] === "first" && !part[2].length) return;
      wrap.appendChild(el("h2", null, [part[1], el("span", { "class": "navi-count" }, _("（%(count)s件）", { count: part[3] }))]));
      if (!part[2].length) {
        wrap.appendChild(el("p", null, _("ありません。")));
        return;
      }
      wrap.appendChild(el("ul", { "class": "navi-cl-programs" }, part[2].map(function (m) { return checklistProgram(m, day, number); })));
    });
    add(wrap, checklistDocuments(arrangement, number));
    var asked = askedList(rules.askedQuestions(questions, forRules(answers)));
    wrap.appendChild(el("h2", null, _("あなたの回答")));
    wrap.appendChild(el("dl", { "class": "navi-cl-answers" }, asked.map(function (q) {
      return el("div", null, [el("dt", null, q.text), el("dd", null, answerText(q, answers))]);
    })));
    return wrap;
  }

  function openChecklist() {
    makeChecklist();
    box.classList.add("navi-checklist-mode");
    document.title = _("印刷用チェックリスト") + " | " + siteName;
    window.scrollTo(0, 0);
    document.getElementById("navi-checklist-heading").focus();
    if (typeof window.print === "function") window.print();
  }

  function closeChecklist() {
    box.classList.remove("navi-checklist-mode");
    var heading = document.getElementById("navi-heading");
    window.scrollTo(0, 0);
    heading.focus();
  }

  // ------------------------------------------------------------------ 窓口モード

  // counter.html draws its own screen (static/counter.js) with these parts, and makes no history entry.
  if (box.getAttribute("data-mode") === "counter") {
    window.NavigatorPage = {
      flow: flow, questions: questions, byId: byId, box: box, statusBox: statusBox, siteName: siteName,
      UNKNOWN: UNKNOWN, NONE: NONE,
      el: el, add: add, trusted: trusted, hidden: hidden, button: button,
      readLocation: readLocation, settle: settle, link: link, typedNumber: typedNumber, rangeWords: rangeWords,
      answerText: answerText, resultsOf: resultsOf, overview: overview, leadText: leadText,
      linesLater: lines.later, allLines: lines.all,
      qrCode: qrCode, japaneseDate: japaneseDate, localDate: localDate, programText: programText, shortDeadline: shortDeadline,
      choiceLabel: choiceLabel, shown: shown,
      texts: function () { return texts; },
      /* then() once the results texts are here; failed() if they cannot be loaded. */
      whenTexts: function (then, failed) {
        if (texts) return then();
        later.ready.push(function () { (texts ? then : failed)(); });
        fetchLater();
        if (later.state === "failed") failed();
      }
    };
    return;
  }

  // ------------------------------------------------------------------ events

  document.addEventListener("click", function (event) {
    var target = event.target;
    var anchor = target && target.closest ? target.closest("a[href^='#']") : null;
    if (!anchor) return;
    var hash = anchor.getAttribute("href").slice(1);
    if (/^(q\/|summary|results)/.test(hash)) {
      if (anchor.hasAttribute("data-edit")) editing = { pending: {} };
      return;
    }
    // An in-page link such as the skip link: move the focus, keep the answers in the URL.
    var inPage = document.getElementById(decode(hash) || "");
    if (!inPage) return;
    event.preventDefault();
    for (var up = inPage.parentNode; up && up.tagName; up = up.parentNode) {
      if (up.tagName === "DETAILS" && !up.open) up.open = true; // a line inside the closed 受付終了 group
    }
    if (inPage.tabIndex < 0 && !inPage.hasAttribute("tabindex")) inPage.setAttribute("tabindex", "-1");
    inPage.focus();
  });

  // Back into this page kept whole by the browser (back-forward cache): look again at what was cleared meanwhile.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    cleared = readCleared();
    route(false);
  });
  window.addEventListener("popstate", function () {
    if (clearing) finishClear();
  });
  window.addEventListener("hashchange", function () {
    if (!clearing) route(false);
  });
  route(true);
  if (document.readyState === "complete") fetchLater();
  else window.addEventListener("load", fetchLater);
})();
