/* The ふりがな of the やさしい日本語 pages: its switch (site_templates/_ruby_switch.html), and the script's words.
 *
 * Loaded in <head>: the class "ruby-off" on <html> (style.css hides <rt> and <rp> under it) is set from the stored
 * choice before the page is drawn, so a reader who turned ふりがな off never sees them flash. The button, hidden
 * without JavaScript (the ruby then shows), is shown once the page is read; pressing it toggles the class and
 * remembers the choice in localStorage, on this device only: nothing is sent. It also puts ルビ on the words the
 * page's JavaScript writes (NavigatorFurigana, below), as the build does on the pages.
 */
(function () {
  "use strict";

  var KEY = "navigator-ruby";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }  // storage off: the default
  }

  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* not remembered, still switched */ }
  }

  function show(on) {
    root.classList.toggle("ruby-off", !on);
    Array.prototype.forEach.call(document.querySelectorAll("[data-ruby-switch]"), function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "ふりがなを けす" : "ふりがなを つける";
    });
  }

  show(stored() !== "off");

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ruby-switch]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = root.classList.contains("ruby-off");
        store(on ? "on" : "off");
        show(on);
      });
    });
    show(!root.classList.contains("ruby-off"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();

  // ルビ on the interface's words the page's JavaScript writes (the server's pages have theirs already): static/i18n.js
  // gives, for each text its t() made, the build's HTML of it with ルビ (messages.js, values escaped); a text node
  // that is exactly such a text is replaced by it, where site/ruby.py would put ルビ: not in <title>, <option>, text
  // for screen readers only, an existing <ruby>, nor an element whose language is not Japanese.
  var SKIPPED = { TITLE: 1, OPTION: 1, SCRIPT: 1, STYLE: 1, TEXTAREA: 1, RUBY: 1, RT: 1, RP: 1, svg: 1, math: 1 };

  function skipped(node) {
    for (var element = node.parentNode; element && element.nodeType === 1; element = element.parentNode) {
      if (SKIPPED[element.nodeName] || SKIPPED[element.localName]) return true;
      if (element.classList.contains("visually-hidden") || element.classList.contains("navi-vh")) return true;
      var language = element.getAttribute("lang");
      if (language !== null) return !/^ja(-|$)/i.test(language);
    }
    return false;
  }

  function annotate(root, rubyOf) {
    var found = [];
    if (root.nodeType === 3) found.push(root);
    else if (root.nodeType === 1 || root.nodeType === 11) {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) found.push(node);
    }
    found.forEach(function (text) {
      var html = rubyOf.get(text.nodeValue);
      if (html === undefined) html = ofData(text.nodeValue);
      if (html === undefined || !text.parentNode || skipped(text)) return;
      var made = document.createElement("template");
      made.innerHTML = html;  // the build's HTML of our own words, every value in it escaped
      text.parentNode.replaceChild(made.content, text);
    });
  }

  // The plain texts of the results' rows (a program's "ruby": text → HTML, made by the build), once they are loaded.
  var dataRuby = new Map(), indexed = null;

  function ofData(text) {
    var data = window.NavigatorResults;
    if (data && data.programs && indexed !== data.programs) {
      indexed = data.programs;
      Object.keys(indexed).forEach(function (id) {
        var own = indexed[id].ruby;
        if (own) Object.keys(own).forEach(function (plain) { dataRuby.set(plain, own[plain]); });
      });
    }
    return dataRuby.get(text);
  }

  window.NavigatorFurigana = {
    watch: function (rubyOf) {
      if (!window.MutationObserver || !document.body) return;
      new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          Array.prototype.forEach.call(change.addedNodes, function (node) { annotate(node, rubyOf); });
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
  };
})();
