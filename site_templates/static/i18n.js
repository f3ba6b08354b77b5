/* Every page: the interface's words in the page's language, and the language switcher.
   The build writes <language>/messages.js (window.NavigatorMessages: msgid → translation) from the same gettext
   catalog as the templates' words; Japanese pages have none, a msgid being its own Japanese text.
   Values are written %(name)s, as in the templates. */
(function () {
  "use strict";
  var messages = window.NavigatorMessages || {};
  var rubyTemplates = window.NavigatorRuby || null;  // the やさしい日本語 edition's: translation → its HTML with ルビ
  var own = Object.prototype.hasOwnProperty;
  var rubyOf = new Map();  // a text t() gave → the same with ルビ (HTML made by the build, its values escaped here)

  function fill(template, values, escaped) {
    if (!values) return template;
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      if (!own.call(values, name)) return whole;
      return escaped ? escapeHtml(String(values[name])) : String(values[name]);
    });
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function t(msgid, values) {
    var template = own.call(messages, msgid) && messages[msgid] ? messages[msgid] : msgid;
    var text = fill(template, values, false);
    if (rubyTemplates && own.call(rubyTemplates, template)) {
      if (rubyOf.size > 5000) rubyOf.clear();  // counts and names make new texts: not kept for ever
      rubyOf.set(text, fill(rubyTemplates[template], values, true));
      // And the words between its values, for a sentence a page writes around elements of its own (a link).
      var pieces = template.split(PLACEHOLDER), rubyPieces = rubyTemplates[template].split(PLACEHOLDER);
      if (pieces.length > 1 && pieces.length === rubyPieces.length) {
        pieces.forEach(function (piece, index) { if (piece !== rubyPieces[index]) rubyOf.set(piece, rubyPieces[index]); });
      }
    }
    return text;
  }

  var PLACEHOLDER = /%\(\w+\)s/;

  var _ = t;  // the name the catalogs' extraction looks for (navigator/tooling/messages.py)

  // A text of the data files as the page shows it: `entry.ja` names the fields still in Japanese (not translated
  // yet), `entry.mt` those machine-translated (site/data.py); such a text is marked as the server's pages mark it
  // (site/edition.py): lang="ja" and a label in the page's language. Otherwise the text itself.
  function shown(entry, field, text) {
    if (text === undefined) text = entry[field];
    var kind = entry.ja && entry.ja.indexOf(field) !== -1 ? "ja" : entry.mt && entry.mt.indexOf(field) !== -1 ? "mt" : null;
    if (!kind || !text) return text;
    var span = document.createElement("span"), label = document.createElement("span");
    span.className = kind === "ja" ? "untranslated" : "machine-translated";
    if (kind === "ja") { span.lang = "ja"; label.lang = document.documentElement.lang; }
    label.className = kind === "ja" ? "untranslated-label" : "machine-label";
    label.textContent = kind === "ja" ? _("日本語") : _("機械翻訳");
    span.appendChild(document.createTextNode(text));
    span.appendChild(label);
    return span;
  }

  window.NavigatorI18n = { t: t, shown: shown, lang: document.documentElement.lang };

  // ルビ on the words the page's JavaScript writes (the やさしい日本語 edition): static/ruby.js puts them in.
  if (rubyTemplates && window.NavigatorFurigana) window.NavigatorFurigana.watch(rubyOf);

  // A switcher link keeps the answers and the step: they live in the #fragment (navi.html, counter.html,
  // search.html), the same in every language, since choices are the answers' keys whatever the language.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-link]");
    if (!link || !location.hash) return;
    link.href = link.href.split("#")[0] + location.hash;
  });
})();
