/* The site's pages other than the question flow: what only the device can know.
 *
 * - Deadlines: an element with data-deadline="YYYY-MM-DD" (the 申請期限 of a program) gets 「受付終了」 once the
 *   device's date is past it, and 「まもなく締切」 within 30 days. Without JavaScript the date stays as text.
 * - The top page's はじめる button (the question flow needs JavaScript) is shown only when this runs.
 * Nothing is stored and nothing is sent.
 */
(function () {
  "use strict";
  var _ = window.NavigatorI18n.t;

  function iso(day) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return day.getFullYear() + "-" + pad(day.getMonth() + 1) + "-" + pad(day.getDate());
  }

  var now = new Date();
  var today = iso(now), soon = iso(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 30));

  Array.prototype.forEach.call(document.querySelectorAll("[data-deadline]"), function (node) {
    var date = node.getAttribute("data-deadline");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    var closed = date < today, near = !closed && date <= soon;
    if (!closed && !near) return;
    var mark = document.createElement("strong");
    mark.className = closed ? "deadline-closed" : "deadline-soon";
    mark.textContent = closed ? _("受付終了") : _("まもなく締切");
    node.appendChild(document.createTextNode(" "));
    node.appendChild(mark);
    var item = node.closest ? node.closest(".program-summary, .program") : null;
    if (item && closed) item.classList.add("is-closed");
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-needs-js]"), function (node) {
    node.hidden = false;
  });
})();
