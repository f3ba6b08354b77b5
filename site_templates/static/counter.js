/* 窓口モード (counter.html): every question on one screen, the results updated as answers are given, a 手続き案内票 to
 * print, and 「次の方へ」 that clears everything.
 *
 * For staff who know the questions and type while they talk. The answers are in the URL fragment in the format of
 * navi.html (docs/navigator-url.md), so a resident's link opens here and this page's link opens in navi.html; but
 * the page only ever replaces its history entry (never adds one): after 「次の方へ」 no Back shows an earlier
 * household. Keys: Tab moves between the questions; in a question, 1–9 pick its choices, 0 「わからない」.
 * Nothing is sent anywhere; the parts (rules, results, checks of typed numbers) are static/navi.js's.
 */
(function () {
  "use strict";

  var _ = window.NavigatorI18n.t;
  var page = window.NavigatorPage;
  if (!page) return;
  var el = page.el, add = page.add, trusted = page.trusted, hidden = page.hidden, button = page.button;
  var box = page.box, questions = page.questions;
  var answers = {}, asked = {}, typedErrors = {};
  var formBox = el("div", { "class": "counter-form" }), resultsBox = el("div", { "class": "counter-results-body" });
  var guideBox = el("div");

  function has(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  // ------------------------------------------------------------------ the questions, all on one screen

  function fieldId(q, i) {
    return "cq-" + questions.indexOf(q) + (i === undefined ? "" : "-" + i);
  }

  // Texts and nodes (a marked Japanese name) in a line, with the language's separator between them.
  function joined(items) {
    return items.reduce(function (line, item, i) { return i ? line.concat([_("、"), item]) : [item]; }, []);
  }

  function option(q, type, value, label, number, checked) {
    var id = fieldId(q, number);
    var input = el("input", { type: type, id: id, name: fieldId(q), value: value, checked: checked, "data-key": number });
    return el("label", { "class": "counter-choice", "for": id }, [input, el("span", { "class": "counter-key", "aria-hidden": "true" }, String(number)), label]);
  }

  function questionField(q, n) {
    var set = el("fieldset", { "class": "counter-q", id: fieldId(q), "data-question-id": q.id }, [
      el("legend", null, [el("span", { "class": "counter-n" }, n + "."), " ", page.shown(q, "text")])
    ]);
    var value = has(answers, q.id) ? answers[q.id] : null;
    if (q.type === "number") {
      var id = fieldId(q, "n"), errorId = id + "-error";
      var input = el("input", { type: "text", id: id, inputmode: "decimal", autocomplete: "off", "class": "counter-number",
                                value: value === null ? (typedErrors[q.id] ? typedErrors[q.id].text : "") : value, "aria-describedby": id + "-range " + errorId });
      add(set, [
        el("label", { "for": id, "class": "navi-vh" }, page.shown(q, "text")),
        input, q.unit ? el("span", { "class": "counter-unit" }, q.unit) : null,
        el("span", { "class": "navi-small counter-range", id: id + "-range" }, _("（%(range)s。空欄は「わからない」）", { range: page.rangeWords(q) })),
        el("span", { "class": "counter-error", id: errorId }, typedErrors[q.id] ? typedErrors[q.id].error : "")
      ]);
      input.addEventListener("input", function () { readNumberField(q, input); });
      return set;
    }
    var multiple = q.type === "multiple";
    var row = el("div", { "class": "counter-choices" });
    q.choices.forEach(function (choice, i) {
      var checked = value !== null && (multiple ? value.indexOf(choice) !== -1 : value === choice);
      add(row, option(q, multiple ? "checkbox" : "radio", choice, page.choiceLabel(q, choice), i + 1, checked));  // the key, as shown
    });
    if (multiple) {
      add(row, option(q, "checkbox", "", page.NONE, q.choices.length + 1, value !== null && !value.length));
      add(set, el("p", { "class": "navi-small counter-hint" }, _("何も選ばなければ「わからない」です。")));
    } else {
      add(row, option(q, "radio", "", page.UNKNOWN, 0, value === null));
    }
    set.insertBefore(row, set.querySelector(".counter-hint"));
    set.addEventListener("change", function (event) { readChoiceField(q, set, event.target); });
    return set;
  }

  function readNumberField(q, input) {
    var text = input.value;
    var error = document.getElementById(input.id + "-error");
    delete typedErrors[q.id];
    if (!text.trim()) {
      delete answers[q.id];
      error.textContent = "";
      return update();
    }
    var typed = page.typedNumber(text, q); // the flow's own reading and message (navi.js)
    if (typed.error) {
      typedErrors[q.id] = { text: text, error: typed.error };
      delete answers[q.id];
      error.textContent = typed.error;
      input.setAttribute("aria-invalid", "true");
      return update();
    }
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    answers[q.id] = typed.value;
    update();
  }

  function readChoiceField(q, set, target) {
    if (q.type === "multiple") {
      var none = target.value === "" && target.checked;
      var boxes = Array.prototype.slice.call(set.querySelectorAll("input"));
      boxes.forEach(function (input) { if (none ? input !== target : input.value === "") input.checked = false; });
      var chosen = boxes.filter(function (input) { return input.checked && input.value !== ""; }).map(function (input) { return input.value; });
      var noneChecked = boxes.some(function (input) { return input.checked && input.value === ""; });
      if (chosen.length || noneChecked) answers[q.id] = chosen;
      else delete answers[q.id];
    } else {
      var picked = set.querySelector("input:checked");
      if (picked && picked.value !== "") answers[q.id] = picked.value;
      else delete answers[q.id];
    }
    update();
  }

  /* 1–9 pick the choice with that number in the focused question, 0 「わからない」 (not while typing a number). */
  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[0-9]$/.test(event.key)) return;
    var target = event.target;
    if (target && target.type === "text") return;
    var set = target && target.closest ? target.closest("fieldset.counter-q") : null;
    if (!set) return;
    var input = set.querySelector("input[data-key='" + event.key + "']");
    if (!input && event.key === "0") {
      set.querySelectorAll("input").forEach(function (other) { other.checked = false; });
      input = null;
      event.preventDefault();
      return readChoiceField(page.byId[set.getAttribute("data-question-id")], set, set.querySelector("input"));
    }
    if (!input) return;
    event.preventDefault();
    input.checked = input.type === "checkbox" ? !input.checked : true;
    input.focus();
    readChoiceField(page.byId[set.getAttribute("data-question-id")], set, input);
  }

  function drawForm() {
    var focused = document.activeElement && document.activeElement.id;
    formBox.textContent = "";
    var n = 0;
    questions.forEach(function (q) {
      if (asked[q.id]) formBox.appendChild(questionField(q, ++n));
    });
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  // ------------------------------------------------------------------ the results, updated as answers are given

  var shownAsked = null;

  function update() {
    var settled = page.settle(answers);
    answers = settled.answers;
    var askedNow = questions.filter(function (q) { return settled.asked[q.id]; }).map(function (q) { return q.id; }).join("\n");
    asked = settled.asked;
    history.replaceState(null, "", page.link("results", null, answers)); // never an entry of its own
    if (askedNow !== shownAsked) {
      shownAsked = askedNow;
      drawForm();
    }
    drawResults();
  }

  function drawResults() {
    var texts = page.texts();
    var open = Array.prototype.map.call(resultsBox.querySelectorAll("details.navi-details[open]"), function (d) {
      return d.parentNode.getAttribute("data-program-id");
    });
    resultsBox.textContent = "";
    guideBox.textContent = "";
    if (!texts) {
      resultsBox.appendChild(el("p", null, _("結果のデータを読み込んでいます。")));
      return;
    }
    var r = page.resultsOf(answers);
    var lead = page.leadText(r.found);
    page.statusBox.textContent = lead;
    add(resultsBox, [el("p", { "class": "navi-lead" }, lead), page.overview(r)]);
    if (open.length) page.allLines(); // the lines staff had opened are opened again
    else page.linesLater();
    open.forEach(function (id) {
      var item = resultsBox.querySelector(".navi-result[data-program-id='" + id + "'] > details");
      if (item) item.open = true;
    });
    guideBox.appendChild(guideSheet(r));
  }

  // ------------------------------------------------------------------ the 手続き案内票

  /* The places the resident goes, each with its programs in the order of the results: the departments of 設定's
   * 窓口の順番 first, in that order, then the others as the results meet them. A place is the contact the program
   * shows (its own 問い合わせ先, or its department's). */
  function places(r) {
    var texts = page.texts(), order = texts.counter_order || [], byKey = {}, list = [];
    window.NavigatorRules.inOrder(r.arrangement).forEach(function (m) {
      var p = page.programText(m.program.id), key = p.contact_html || p.department || "";
      var place = byKey[key];
      if (!place) list.push(place = byKey[key] = { contact_html: p.contact_html, department: p.department, programs: [], seen: list.length });
      place.programs.push(m);
    });
    var rank = function (place) {
      var i = order.indexOf(place.department);
      return i === -1 ? order.length : i;
    };
    return list.sort(function (a, b) { return rank(a) - rank(b) || a.seen - b.seen; });
  }

  function guideSheet(r) {
    var texts = page.texts(), day = r.day;
    var url = location.href.split("#")[0].replace(/counter\.html$/, "navi.html") + page.link("results", null, answers);
    var qr = page.qrCode(url);
    var sheet = el("div", { "class": "navi-print navi-guide", id: "navi-guide" }, [
      el("h1", { id: "navi-guide-heading", tabindex: "-1" }, _("手続き案内票")),
      el("p", { "class": "navi-cl-meta" }, [page.siteName, "　", _("作成日: "), page.localDate(day.date)]),
      el("div", { "class": "navi-cl-head" }, [
        qr ? el("div", { "class": "navi-cl-qr" }, [qr, el("p", null, _("このQRコードで、結果と各制度の説明をスマートフォンで見られます。"))]) : null,
        el("div", { "class": "navi-guide-intro" }, [
          el("p", null, _("上から順に、それぞれの窓口で手続きをしてください。□ は済んだら印を付けてください。")),
          texts.contact_html ? el("p", null, [_("わからないときは: "), trusted("span", null, texts.contact_html)]) : null
        ])
      ])
    ]);
    var list = places(r);
    if (!list.length) {
      sheet.appendChild(el("p", null, _("いまの回答で案内する制度はありません。")));
      return sheet;
    }
    var first = {};
    r.arrangement.first_steps.forEach(function (step) { first[step.found.program.id] = true; });
    var placesBox = el("div", { "class": "navi-guide-places" });
    sheet.appendChild(placesBox);
    list.forEach(function (place, i) {
      var documents = [], seen = {};
      place.programs.forEach(function (m) {
        (page.programText(m.program.id).documents || []).forEach(function (need) {
          var k = need.key || need.name;
          if (!seen[k]) documents.push(seen[k] = page.shown(need, "label", need.label || need.name));
        });
      });
      var name = placeName(place), contact = place.contact_html ? trusted("div", { "class": "navi-guide-contact" }, place.contact_html) : null;
      var named = contact && contact.querySelector("p");
      if (named && named.textContent.trim() === name && contact.querySelector("ul")) contact.removeChild(named); // said in the heading
      placesBox.appendChild(el("section", { "class": "navi-guide-place", "data-place": i + 1 }, [
        el("h2", null, [el("span", { "class": "navi-guide-letter" }, _("窓口 %(number)s", { number: i + 1 })), " ", name]),
        contact,
        el("ul", { "class": "navi-guide-programs" }, place.programs.map(function (m) {
          var p = page.programText(m.program.id), deadline = page.shortDeadline(p, day);
          return el("li", { "data-guide-program": m.program.id }, [
            el("span", { "class": "navi-guide-box", "aria-hidden": "true" }, "□"), " ",
            el("span", { "class": "navi-cl-number" }, r.numbers[m.program.id] + "."), " ", page.shown(p, "name"),
            first[m.program.id] ? el("strong", null, _("（まず最初に）")) : null,
            r.kinds[m.program.id] === "may_apply" ? el("span", { "class": "navi-small" }, _("（対象か確認）")) : null,
            deadline ? el("span", { "class": "navi-small" }, "　" + _("期限: %(deadline)s", { deadline: deadline })) : null
          ]);
        })),
        documents.length ? el("p", { "class": "navi-guide-documents" }, [el("span", { "class": "navi-cl-label" }, _("持っていく書類: ")), joined(documents)]) : null
      ]));
    });
    sheet.appendChild(el("section", { "class": "navi-guide-notes" }, [
      el("h2", null, _("職員メモ")), el("div", { "class": "navi-guide-lines", "aria-hidden": "true" }, [el("span"), el("span"), el("span")])
    ]));
    return sheet;
  }

  /* The first line of the place's contact (the 部署名, or the first line of a program's own 問い合わせ先). */
  function placeName(place) {
    var first = el("div");
    first.innerHTML = place.contact_html || "";
    var p = first.querySelector("p");
    if (!p) return place.department || "";
    first.innerHTML = p.innerHTML.split(/<br\s*\/?>/i)[0];
    return first.textContent.trim();
  }

  function printGuide() {
    if (typeof window.print === "function") window.print(); // the print style shows the 案内票 only
  }

  // ------------------------------------------------------------------ 次の方へ

  function nextPerson() {
    answers = {};
    typedErrors = {};
    shownAsked = null;
    update();
    page.statusBox.textContent = _("回答をすべて消しました。次の方の回答を入力できます。");
    window.scrollTo(0, 0);
    var firstField = formBox.querySelector("input");
    if (firstField) firstField.focus();
  }

  // ------------------------------------------------------------------ the screen

  function start() {
    page.statusBox.classList.add("navi-vh"); // said to screen readers; the lead shows it on the screen
    var found = page.readLocation();
    answers = page.settle(found.answers).answers;
    var residentLink = el("a", { "class": "navi-back counter-resident", href: "navi.html" }, _("住民向けの画面で開く"));
    box.appendChild(el("div", { "class": "counter-screen navi-screen" }, [
      el("p", { "class": "navi-small counter-help" }, [
        _("すべての質問を1画面に出しています。Tab キーで次の質問へ、数字キーで選択肢を選べます（0 は「わからない」）。"),
        _("回答すると、結果がすぐに変わります。この画面はブラウザの履歴に回答を残しません。")
      ]),
      el("div", { "class": "counter-tools" }, [
        button(_("次の方へ"), "navi-primary counter-next", nextPerson),
        button(_("手続き案内票を印刷"), "navi-secondary", printGuide),
        residentLink
      ]),
      el("div", { "class": "counter-layout" }, [
        el("section", { "class": "counter-questions", "aria-labelledby": "counter-q-heading" }, [
          el("h2", { id: "counter-q-heading" }, _("質問")), formBox]),
        el("section", { "class": "counter-results", "aria-labelledby": "counter-r-heading" }, [
          el("h2", { id: "counter-r-heading" }, _("結果")), resultsBox])
      ])
    ]));
    box.appendChild(guideBox);
    box.addEventListener("keydown", onKey);
    // The resident's view of the same answers: the link follows them.
    var follow = function () { residentLink.setAttribute("href", "navi.html" + page.link("results", null, answers)); };
    box.addEventListener("change", follow);
    box.addEventListener("input", follow);
    // Links inside the page never change the address (that would add an entry and lose the answers): 「…に答える」 in
    // a result's reasons goes to the question, on this screen; a jump link moves the focus.
    box.addEventListener("click", function (event) {
      var anchor = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!anchor) return;
      event.preventDefault();
      var hash = anchor.getAttribute("href").slice(1), target;
      if (hash.indexOf("q/") === 0) {
        var q = page.byId[decodeURIComponent(hash.slice(2).split("?")[0])];
        target = q && document.getElementById(fieldId(q));
        target = target && target.querySelector("input");
      } else {
        target = document.getElementById(decodeURIComponent(hash));
        for (var up = target && target.parentNode; up && up.tagName; up = up.parentNode) {
          if (up.tagName === "DETAILS" && !up.open) up.open = true;
        }
        if (target && target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      }
      if (target) target.focus();
    });
    // A link pasted into the address bar (or a resident's link opened here): read it, still without an entry.
    window.addEventListener("hashchange", function () {
      answers = page.settle(page.readLocation().answers).answers;
      typedErrors = {};
      shownAsked = null;
      update();
      follow();
    });
    update();
    follow();
    page.whenTexts(drawResults, function () {
      resultsBox.textContent = "";
      resultsBox.appendChild(el("p", null, _("結果の表示に必要なデータを読み込めませんでした。ページを再読み込みしてください。")));
    });
  }

  start();
})();
