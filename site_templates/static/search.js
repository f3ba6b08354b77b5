/* Search, on the device only (issue 20).
 *
 * - Every page: the header's link to the list of all programs (what shows without JavaScript: a form would send
 *   the query to a server) becomes a search box. Searching opens search.html#q=…; a URL's fragment is never sent,
 *   so the request is the same whatever was typed.
 * - search.html: once the page has loaded, the search data (data/search.<hash>.js: every program's texts, the
 *   same file for every visitor) and MiniSearch are loaded, whatever is typed, and the search runs here.
 *   Nothing is sent, nothing is stored. The header's query comes in the address's fragment; what is typed on the
 *   page is kept in its history entry (for 戻る), never in the address.
 *
 * Japanese has no spaces between words, and residents write one word many ways. So the text is folded (NFKC:
 * full/half width; lower case; katakana to hiragana) and cut into character bigrams (児童扶養手当 →
 * 児童 童扶 扶養 養手 手当): a part of a compound word (扶養手当, 生活再建) is found without a dictionary of words,
 * which a static site would have to ship to every visitor. Latin letters and numbers are whole words. A query
 * also searches the other ways of writing a word listed in the 用語 sheet (同義語 and 読み: 罹災証明書 ≡ り災証明書,
 * りさい → り災), and a reading typed with one kana wrong or missing still finds its word. Programs whose 制度名
 * has what was typed come first.
 */
(function () {
  "use strict";
  var _ = window.NavigatorI18n.t;

  // ------------------------------------------------------------------ folding and tokens (shared by index and query)

  function fold(text) {
    // Data files are NFKC already: the folding below keeps each character in place (snippets mark by position).
    var s = String(text || "").normalize("NFKC").toLowerCase();
    s = s.replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); });
    // Latin letters without their accents, one for one (hỗ trợ is found by "ho tro", as residents often type it).
    return s.replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, function (c) {
      var bare = c === "đ" ? "d" : c.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      return bare.length === 1 ? bare : c;
    });
  }

  // Runs of text: Japanese (and Chinese), Thai and Burmese, written without spaces between words; or a word of any
  // other script (Latin, Vietnamese, Hangul, Devanagari…), as in every language the site may be published in.
  var RUN = /[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶー]+|[\u0e00-\u0e7f\u1000-\u109f]+|(?:(?![\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶー\u0e00-\u0e7f\u1000-\u109f])[\p{L}\p{M}\p{N}])+/gu;
  var LATIN = /^(?![\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶー\u0e00-\u0e7f\u1000-\u109f])[\p{L}\p{M}\p{N}]/u;  // a word

  // Each run written without spaces as its bigrams (a run of one character as itself); each other run as a word.
  function tokens(text) {
    var out = [], match, run, i;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text))) {
      run = match[0];
      if (LATIN.test(run) || run.length < 2) { out.push(run); continue; }
      for (i = 0; i + 2 <= run.length; i++) out.push(run.substr(i, 2));
    }
    return out;
  }

  function tokenize(text) { return tokens(fold(text)); }

  function editDistanceAtMost1(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < la && j < lb) {
      if (a.charAt(i) === b.charAt(j)) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (la > lb) i++; else if (lb > la) j++; else { i++; j++; }
    }
    return edits + (la - i) + (lb - j) <= 1;
  }

  var KANA_ONLY = /^[\u3041-\u309fー]+$/;
  var COMMON = 0.3;  // a token in more than this share of programs is too common to search (Engine.terms)

  // The query and its variants: each way of writing a 用語 word it contains, replaced by the others; a query that
  // is part of a reading (かせつじゅうたく of おうきゅうかせつじゅうたく) also searches the word.
  // A group is {ways: the 語 and its 同義語, all: with its 読み}: a reading finds the word, and is not searched for
  // itself (program texts are written in kanji).
  function variants(query, groups) {
    var out = [query];
    function add(text) { if (out.indexOf(text) < 0 && out.length < 16) out.push(text); }
    groups.forEach(function (group) {
      var ways = group.ways;
      group.all.forEach(function (way) {
        var at = way.length >= 2 ? query.indexOf(way) : -1, found = way, len, start;
        if (at < 0 && way.length >= 4 && KANA_ONLY.test(way)) {  // a reading typed with one kana wrong or missing
          for (len = way.length - 1; len <= way.length + 1 && at < 0; len++) {
            for (start = 0; start + len <= query.length; start++) {
              if (editDistanceAtMost1(query.substr(start, len), way)) { at = start; found = query.substr(start, len); break; }
            }
          }
        }
        if (at >= 0) {
          ways.forEach(function (other) {
            if (other !== way) add(query.slice(0, at) + other + query.slice(at + found.length));
          });
        }
      });
    });
    // A word of kana that is part of a reading, give or take a kana typed wrong (かせつじゅうたく, りさいしょめい):
    // the 用語 word (and its other ways not in kana) in its place.
    query.split(/\s+/).forEach(function (part) {
      if (part.length < 3 || !KANA_ONLY.test(part)) return;
      var allowed = part.length >= 8 ? 2 : part.length >= 4 ? 1 : 0;
      groups.forEach(function (group) {
        var near = group.all.some(function (way) { return KANA_ONLY.test(way) && inside(part, way) <= allowed; });
        if (!near) return;
        group.ways.forEach(function (other) {
          if (!KANA_ONLY.test(other)) add(query.replace(part, other));
        });
      });
    });
    return out;
  }

  // The fewest edits that make `part` a piece of `text` (Sellers' approximate substring distance).
  function inside(part, text) {
    var previous = [], current, i, j, best = part.length;
    for (i = 0; i <= part.length; i++) previous.push(i);
    for (j = 1; j <= text.length; j++) {
      current = [0];
      for (i = 1; i <= part.length; i++) {
        current.push(Math.min(previous[i] + 1, current[i - 1] + 1,
                              previous[i - 1] + (part.charAt(i - 1) === text.charAt(j - 1) ? 0 : 1)));
      }
      best = Math.min(best, current[part.length]);
      previous = current;
    }
    return best;
  }

  // Each way's pieces (its tokens, where each is in the way) and its length without spaces: made once per query.
  function shapes(ways) {
    return ways.map(function (way) {
      var pieces = [], total = 0, match, run, size, i;
      RUN.lastIndex = 0;
      while ((match = RUN.exec(way))) {
        run = match[0];
        size = LATIN.test(run) || run.length < 2 ? run.length : 2;
        for (i = 0; i + size <= run.length; i++) pieces.push({text: run.substr(i, size), at: match.index + i});
        total += run.length;
      }
      return {pieces: pieces, total: total};
    });
  }

  // How much of the query a 制度名 has: the largest share of one way's characters that its tokens found in the
  // name cover (0 to 1; 家の修理 in 住宅の応急修理: 修理, a half).
  function nameShare(name, shaped) {
    var best = 0;
    shaped.forEach(function (shape) {
      if (!shape.total) return;
      var covered = {}, seen = 0;
      shape.pieces.forEach(function (piece) {
        if (name.indexOf(piece.text) < 0) return;
        for (var k = piece.at; k < piece.at + piece.text.length; k++) {
          if (!covered[k]) { covered[k] = true; seen++; }
        }
      });
      best = Math.max(best, seen / shape.total);
    });
    return best;
  }

  function matchedInName(result) {
    for (var term in result.match) if (result.match[term].indexOf("n") >= 0) return true;
    return false;
  }

  // ------------------------------------------------------------------ the engine

  function Engine(data, MiniSearch) {
    this.programs = data.programs;
    this.groups = (data.terms || []).map(function (term) {
      var ways = term.w.map(fold);
      return {ways: ways, all: term.r ? ways.concat([fold(term.r)]) : ways};
    });
    this.folded = this.programs.map(function (p) { return {n: fold(p.n), c: fold(p.c), d: fold(p.d), t: fold(p.t)}; });
    var folded = this.folded;
    this.index = new MiniSearch({
      fields: ["n", "c", "d", "t"],
      idField: "i",
      extractField: function (doc, field) { return field === "i" ? doc.i : folded[doc.i][field]; },
      tokenize: tokens,
      processTerm: function (term) { return term; },
      searchOptions: {
        boost: {n: 4, c: 2, d: 2, t: 1},
        // One kanji (税) finds the words it begins; one kana alone (の) is no word to search for.
        prefix: function (term) { return term.length === 1 && !KANA_ONLY.test(term) && !LATIN.test(term); },
        fuzzy: function (term) { return LATIN.test(term) && term.length >= 5 ? 1 : false; },
        weights: {fuzzy: 0.3, prefix: 0.5}
      }
    });
  }

  // The tokens of all the ways, each once. A token in most programs (被災, 支援 in a city's disaster programs) is left
  // out when rarer ones remain: it would add little to any score (BM25's IDF is near 0) and costs the most time.
  Engine.prototype.terms = function (ways) {
    var seen = {}, all = [], self = this;
    ways.forEach(function (way) {
      tokens(way).forEach(function (token) { if (!seen[token]) { seen[token] = true; all.push(token); } });
    });
    var limit = this.programs.length * COMMON, rare = all.filter(function (t) {
      var spread = self.spread(t);
      return spread > 0 && spread <= limit;  // in no program: nothing to find with it
    });
    return rare.length ? rare : all;
  };

  // In how many programs a token is (a field's count each: an estimate), from MiniSearch's own index: 0 when unknown.
  Engine.prototype.spread = function (token) {
    var index = this.index._index, fields = index && index.get ? index.get(token) : null, count = 0;
    if (!fields) return 0;
    fields.forEach(function (docs) { count = Math.max(count, docs.size); });
    return count;
  };

  Engine.prototype.addAll = function (done) {
    var self = this, ids = this.programs.map(function (p, i) { return {i: i}; });
    this.index.addAllAsync(ids, {chunkSize: 500}).then(function () { self.ready = true; done(); });
  };

  Engine.prototype.addAllNow = function () {
    this.index.addAll(this.programs.map(function (p, i) { return {i: i}; }));
    this.ready = true;
  };

  // {query, ways, hits: [{i, score, name (its tier)}]}, best first: programs whose 制度名 has the query first.
  Engine.prototype.search = function (text) {
    var query = fold(text).trim();
    if (!tokens(query).length) return {query: query, ways: [], hits: []};
    var ways = variants(query, this.groups);
    var found = this.index.search({combineWith: "OR", queries: this.terms(ways)});
    var folded = this.folded, shaped = shapes(ways);
    // Tiers: the 制度名 has all of the query, half of it or more, less; by MiniSearch's score (BM25) within each.
    // MiniSearch gives them best score first: put in tiers in that order, no sort needed.
    var tiers = [[], [], []];
    found.forEach(function (result) {
      var share = matchedInName(result) ? nameShare(folded[result.id].n, shaped) : 0, tier = share === 1 ? 2 : share >= 0.5 ? 1 : 0;
      tiers[tier].push({i: result.id, score: result.score, name: tier});
    });
    var hits = tiers[2].concat(tiers[1], tiers[0]);
    return {query: query, ways: ways, hits: hits};
  };

  // The ranges [start, end) of `folded` to mark: every place a token of one of the ways matches.
  function ranges(folded, ways) {
    var marks = [];
    ways.forEach(function (way) {
      way.split(/\s+/).forEach(function (word) {
        var pieces = tokens(word);
        if (pieces.length > 1 && folded.indexOf(word) >= 0) pieces = [word];  // the whole word, where it is whole
        pieces.forEach(function (piece) {
          var at = folded.indexOf(piece);
          while (at >= 0 && marks.length < 200) {
            marks.push([at, at + piece.length]);
            at = folded.indexOf(piece, at + piece.length);
          }
        });
      });
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    marks.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  // A window of the text around its longest match: {text, marks} relative to the window.
  function snippet(original, folded, ways, size) {
    var marks = ranges(folded, ways);
    if (!marks.length) return {text: original.length > size ? original.slice(0, size) + "…" : original, marks: [], start: 0};
    var best = marks[0];
    marks.forEach(function (r) { if (r[1] - r[0] > best[1] - best[0]) best = r; });
    var start = Math.max(0, best[0] - Math.floor(size / 4)), end = Math.min(original.length, start + size);
    var inside = marks.filter(function (r) { return r[1] > start && r[0] < end; }).map(function (r) {
      return [Math.max(r[0], start) - start, Math.min(r[1], end) - start];
    });
    return {text: original.slice(start, end), marks: inside, before: start > 0, after: end < original.length};
  }

  // Text with <mark>s, as nodes: textContent only, never markup from data. With `ruby` (やさしい日本語: the build's
  // HTML of the same text with ルビ, its cells escaped), that HTML, the marks put in its text outside the readings.
  function marked(parent, text, marks, ruby) {
    if (ruby) return markedRuby(parent, ruby, marks);
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function markedRuby(parent, html, marks) {
    var holder = document.createElement("template"), texts = [], at = 0;
    holder.innerHTML = html;
    var walker = document.createTreeWalker(holder.content, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var tag = node.parentNode.nodeName;  // a reading holds text only
      if (tag !== "RT" && tag !== "RP") texts.push(node);
    }
    texts.forEach(function (text) {
      var start = at;
      at += text.data.length;
      for (var k = marks.length - 1; k >= 0; k--) {  // from the end: `text` keeps what comes before each mark
        var from = Math.max(marks[k][0], start) - start, to = Math.min(marks[k][1], at) - start;
        if (from >= to) continue;
        var piece = text.splitText(from), mark = document.createElement("mark");
        piece.splitText(to - from);
        piece.parentNode.replaceChild(mark, piece);
        mark.appendChild(piece);
      }
    });
    parent.appendChild(holder.content);
  }

  window.NavigatorSearchEngine = {fold: fold, tokens: tokenize, variants: variants, Engine: Engine, snippet: snippet};

  // ------------------------------------------------------------------ the header's box (every page but search.html)

  function headerBox(holder) {
    var page = holder.getAttribute("data-search-page");
    var box = document.createElement("div");  // not a form: nothing is ever submitted
    box.setAttribute("role", "search");
    box.setAttribute("aria-label", _("サイト内の制度を検索"));
    var label = document.createElement("label");
    label.htmlFor = "header-search-query";
    label.textContent = _("制度を検索");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "header-search-query";
    input.autocomplete = "off";
    input.setAttribute("enterkeyhint", "search");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = _("検索");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(button);
    function go() {
      var q = input.value.trim();
      window.location.href = page + (q ? "#q=" + encodeURIComponent(q) : "");
    }
    button.addEventListener("click", go);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) { event.preventDefault(); go(); }
    });
    holder.replaceChildren(box);
  }

  var holder = document.querySelector(".header-search[data-search-page]");
  if (holder) headerBox(holder);

  // ------------------------------------------------------------------ search.html

  var box = document.getElementById("search");
  if (!box) return;
  var form = box.querySelector("[role=search]"), input = document.getElementById("search-query");
  var status = document.getElementById("search-status"), list = document.getElementById("search-results");
  var more = box.querySelector(".search-more"), root = box.getAttribute("data-root") || "";
  var engine = null, failed = false, announceTimer = null, SHOWN = 30;
  var now = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  Array.prototype.forEach.call(box.querySelectorAll("[data-search-nojs]"), function (node) { node.hidden = true; });
  form.hidden = false;

  function queryInAddress() {
    var match = /(?:^#|&)q=([^&]*)/.exec(window.location.hash);
    if (!match) return "";
    try { return decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { return ""; }
  }

  function announce(text) {
    // Polite and once the typing has paused: a screen reader is not interrupted at every key.
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = text; }, 600);
  }

  function render() {
    var text = input.value;
    // Kept in this history entry's state (for 戻る), not in the address: a changed address makes the browser ask for
    // the page's icon again, a request at the moment of typing.
    if (window.history && window.history.replaceState) window.history.replaceState({q: text}, "");
    list.replaceChildren();
    more.hidden = true;
    if (!text.trim()) { announce(""); return; }
    if (failed) { announce(_("検索の準備ができませんでした。すべての制度の一覧からお探しください。")); more.hidden = false; return; }
    if (!engine || !engine.ready) { announce(_("検索の準備をしています…")); return; }
    var result = engine.search(text), hits = result.hits;
    hits.slice(0, SHOWN).forEach(function (hit) { list.appendChild(item(hit, result.ways)); });
    more.hidden = false;
    if (!hits.length) announce(_("「%(query)s」に当てはまる制度は見つかりませんでした。", { query: text.trim() }));
    else announce(hits.length > SHOWN
                  ? _("「%(query)s」の検索結果: %(count)s件（上位%(shown)s件を表示）", { query: text.trim(), count: hits.length, shown: SHOWN })
                  : _("「%(query)s」の検索結果: %(count)s件", { query: text.trim(), count: hits.length }));
  }

  function item(hit, ways) {
    var program = engine.programs[hit.i], folded = engine.folded[hit.i];
    var li = document.createElement("li");
    li.className = "program-summary search-hit";
    var heading = document.createElement("h2"), link = document.createElement("a");
    link.href = root + program.p;
    marked(link, program.n, ranges(folded.n, ways), program.nr);
    heading.appendChild(link);
    li.appendChild(heading);
    li.appendChild(meta(_("分類"), program.c, ranges(folded.c, ways), program.cr));
    var cut = snippet(program.t, folded.t, ways, 90);
    var p = document.createElement("p");
    p.className = "search-snippet";
    if (cut.before) p.appendChild(document.createTextNode("…"));
    marked(p, cut.text, cut.marks);
    if (cut.after) p.appendChild(document.createTextNode("…"));
    li.appendChild(p);
    if (program.l) {
      var deadline = meta(_("申請期限"), program.l, [], program.lr);
      if (program.ld) {
        deadline.setAttribute("data-deadline", program.ld);
        if (program.ld < today) {  // as pages.js marks the lists: the device's date decides
          var closed = document.createElement("strong");
          closed.className = "deadline-closed";
          closed.textContent = _("受付終了");
          deadline.appendChild(document.createTextNode(" "));
          deadline.appendChild(closed);
          li.classList.add("is-closed");
        }
      }
      li.appendChild(deadline);
    }
    li.appendChild(meta(_("担当"), program.d, ranges(folded.d, ways), program.dr));
    return li;
  }

  function meta(label, text, marks, ruby) {
    var p = document.createElement("p"), span = document.createElement("span");
    p.className = "meta";
    span.className = "label";
    span.textContent = label;
    p.appendChild(span);
    p.appendChild(document.createTextNode(" "));
    marked(p, text, marks, ruby);
    return p;
  }

  // Enter (not while choosing a kanji with the IME) and the button search again; the results follow: Tab reaches them.
  form.querySelector("button").addEventListener("click", render);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.isComposing) { event.preventDefault(); render(); }
  });
  input.addEventListener("input", render);
  window.addEventListener("hashchange", function () {
    var q = queryInAddress();
    if (q !== input.value) { input.value = q; render(); }
  });
  var kept = window.history && window.history.state;
  input.value = kept && typeof kept.q === "string" ? kept.q : queryInAddress();

  function load(src, then) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = then;
    script.onerror = function () { failed = true; render(); };
    document.body.appendChild(script);
  }

  function start() {
    // Both files, always, at the same moment: nothing about the request depends on what was (or will be) typed.
    var pending = 2;
    function loaded() {
      if (--pending) return;
      if (!window.NavigatorSearch || !window.MiniSearch) { failed = true; render(); return; }
      engine = window.NavigatorSearchEngine.current = new Engine(window.NavigatorSearch, window.MiniSearch);
      engine.addAll(function () {
        box.setAttribute("data-ready", "");
        render();
      });
    }
    load(box.getAttribute("data-engine"), loaded);
    load(box.getAttribute("data-index"), loaded);
  }

  render();
  if (input.value) input.focus();
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
