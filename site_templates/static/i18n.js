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

  window.NavigatorI18n = { t: t, lang: document.documentElement.lang };

  // A switcher link keeps the answers and the step: they live in the #fragment (navi.html, counter.html,
  // search.html), the same in every language, since choices are the answers' keys whatever the language.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-link]");
    if (!link || !location.hash) return;
    link.href = link.href.split("#")[0] + location.hash;
  });
})();
