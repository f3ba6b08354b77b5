/* Every page: the interface's words in the page's language, and the language switcher.
   The build writes <language>/messages.js (window.NavigatorMessages: msgid → translation) from the same gettext
   catalog as the templates' words; Japanese pages have none, a msgid being its own Japanese text.
   Values are written %(name)s, as in the templates. */
(function () {
  "use strict";
  var messages = window.NavigatorMessages || {};
  var own = Object.prototype.hasOwnProperty;

  function t(msgid, values) {
    var text = own.call(messages, msgid) && messages[msgid] ? messages[msgid] : msgid;
    if (!values) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return own.call(values, name) ? String(values[name]) : whole;
    });
  }

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

  // A switcher link keeps the answers and the step: they live in the #fragment (navi.html, counter.html,
  // search.html), the same in every language, since choices are the answers' keys whatever the language.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-link]");
    if (!link || !location.hash) return;
    link.href = link.href.split("#")[0] + location.hash;
  });
})();
