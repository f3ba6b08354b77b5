/* Every page: the service worker (sw.js at the site root) that keeps the site usable without a connection.
 *
 * - Registered only over http(s) (not from file://), with updateViaCache "none": the browser asks the
 *   server for sw.js itself on every check, so a new build is seen on the next online visit.
 * - A page the service worker had to take from the device's cache says so, and of when:
 *   「オフラインで表示しています。12月2日15時の情報です。」 (the Date of the saved copy).
 * - A new build found while a page is open (the connection came back, the tab was shown again, or every
 *   ten minutes): 「新しい情報があります」 with a button to show it. The answers stay: they are in the
 *   URL fragment, which reloading keeps.
 * Nothing is sent but the requests for the site's own files; nothing of the answers is stored.
 */
(function () {
  "use strict";
  var _ = window.NavigatorI18n.t;

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  var root = new URL("../", script.src).href;
  var sw = navigator.serviceWorker;
  var box = null, offline = false, checked = false, announced = false;

  function status() {
    if (!box) {
      box = document.createElement("div");
      box.className = "offline-status";
      box.id = "offline-status";
      box.setAttribute("role", "status");
      var main = document.getElementById("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  function show(text, action) {
    var node = status();
    node.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    node.appendChild(p);
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "offline-reload";
      button.textContent = action;
      button.addEventListener("click", function () { location.reload(); });
      node.appendChild(button);
    }
  }

  function when(header) {
    var date = header ? new Date(header) : null;
    if (!date || isNaN(date.getTime())) return _("この端末に保存した時点の情報です。");
    var lang = document.documentElement.lang || "ja";
    var moment = lang === "ja" ? (date.getMonth() + 1) + "月" + date.getDate() + "日" + date.getHours() + "時"
      : new Intl.DateTimeFormat(lang, { month: "long", day: "numeric", hour: "numeric" }).format(date);
    return _("%(moment)sの情報です。", { moment: moment });
  }

  sw.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "served" && data.how && data.how.offline) {
      offline = true;
      show(_("オフラインで表示しています。") + when(data.how.date));
    }
  });

  function newer() {
    if (announced) return;
    announced = true;
    show(_("新しい情報があります。いまの回答はそのままで、最新の情報を表示できます。"), _("最新の情報を表示する"));
  }

  if (sw.controller) sw.controller.postMessage({ type: "how", url: location.href.split("#")[0] });

  // After the page has loaded: on a weak connection the first question comes before the files saved for later.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);

  function register() {
    sw.register(root + "sw.js", { scope: root, updateViaCache: "none" }).then(function (registration) {
      registration.addEventListener("updatefound", function () {
        // The check made by this page's own load found a build this page already has from the network;
        // a later check (or a page taken from the cache) means this page is older than the build found.
        if (!(checked || offline) || !sw.controller) return;
        var worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "activated") newer();
        });
      });
      function check() {
        checked = true;
        registration.update().catch(function () {}); // offline: nothing to do
      }
      window.addEventListener("online", function () {
        if (offline && !announced) show(_("インターネットに接続できるようになりました。"), _("最新の情報を表示する"));
        check();
      });
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") check();
      });
      setInterval(check, 10 * 60 * 1000);
    }).catch(function () {}); // a browser that refuses (private mode, storage full): the site works as before
  }
})();
