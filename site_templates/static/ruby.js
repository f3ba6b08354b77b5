/* The ふりがな switch of the やさしい日本語 pages (site_templates/_ruby_switch.html).
 *
 * Loaded in <head>: the class "ruby-off" on <html> (style.css hides <rt> and <rp> under it) is set from the stored
 * choice before the page is drawn, so a reader who turned ふりがな off never sees them flash. The button, hidden
 * without JavaScript (the ruby then shows), is shown once the page is read; pressing it toggles the class and
 * remembers the choice in localStorage, on this device only: nothing is sent.
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
})();
