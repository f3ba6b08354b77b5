/* The site's service worker (sw.js at the site root; navigator/site/offline.py fills in BUILD).
 *
 * - Install: the files every resident needs for the question flow (BUILD.precache: the top page,
 *   navi.html, the two data files, the scripts and styles, the list of all programs) go into a cache
 *   named after this build (navigator-<version>, the hash of every file of the build).
 * - Activate: the caches of earlier builds are dropped; the pages a resident opened are carried
 *   over (shown only offline, with their date, never in place of the network).
 * - Pages and static files: the network first (TIMEOUT ms), then the cache, and the page says it is
 *   shown offline and of when (the Date of the cached response). A correction reaches residents at once.
 * - data/*.<hash>.js: the cache first (a new build gives new content a new name).
 *
 * Private: every request it makes is one the page made, or a file of BUILD.precache (the same for
 * every resident). Answers live in the URL fragment, which is never part of a request nor of a cache key.
 */
"use strict";

var BUILD = {"version":"ba465ab2d5c8bda6","precache":["index.html","programs/index.html","accessibility.html","navi.html","search.html","data/flow.f5b4567b249e.js","data/results.4e2c08a5225e.js","data/search.d9d673bbaf58.js","static/counter.js","static/i18n.js","static/icon-192.png","static/icon-512.png","static/icon.svg","static/navi.css","static/navi.js","static/offline.js","static/pages.js","static/ruby.js","static/rules.js","static/search.js","static/style.css","static/vendor/minisearch.js","static/vendor/qrcode.js","manifest.webmanifest"]};
var PREFIX = "navigator-";
var CACHE = PREFIX + BUILD.version;
var TIMEOUT = 3500;
var served = {}; // client id, and page address → how its page was served, for the page to ask ("how")

function inScope(url) {
  return url.indexOf(self.registration.scope) === 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(BUILD.precache.map(function (path) {
      // Past the HTTP cache (this build's bytes), but for the data files: named by their content, the copy the
      // page has just loaded is the one (not loaded twice on a weak connection).
      return new Request(path, { cache: /^data\//.test(path) ? "default" : "no-cache" });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; });
    return Promise.all(old.map(function (name) {
      return carryPages(name).then(function () { return caches.delete(name); });
    }));
  }).then(function () { return self.clients.claim(); }));
});

// The pages a resident opened under an earlier build, into this build's cache (unless this build has them).
function carryPages(name) {
  return Promise.all([caches.open(name), caches.open(CACHE)]).then(function (both) {
    return both[0].keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        if (!/\.html$/.test(new URL(request.url).pathname)) return null;
        return both[1].match(request).then(function (have) {
          if (have) return null;
          return both[0].match(request).then(function (response) { return response && both[1].put(request, response); });
        });
      }));
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !inScope(request.url)) return;
  var path = new URL(request.url).pathname.slice(new URL(self.registration.scope).pathname.length);
  if (/^data\//.test(path)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, event.resultingClientId || event.clientId));
  }
});

function store(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function cacheFirst(request) {
  return caches.match(request).then(function (found) {
    return found || fetch(request).then(function (response) { return store(request, response); });
  });
}

function networkFirst(request, clientId) {
  var navigation = request.mode === "navigate";
  // "no-cache": past the browser's HTTP cache to the server (a 304 when unchanged), as a host may not say
  // Cache-Control and the browser would then keep a page for a while by its own rule.
  var network = fetch(request, { cache: "no-cache" }).then(function (response) { return store(request, response); });
  return new Promise(function (resolve) {
    var done = false;
    var finish = function (response) {
      if (!done && response) { done = true; resolve(response); }
      return response;
    };
    var fromCache = function () {
      return caches.match(request, { ignoreSearch: true }).then(function (found) {
        // The site's address as residents type it (…/navi/): its index.html.
        var url = new URL(request.url);
        if (found || !navigation || !/\/$/.test(url.pathname)) return found;
        return caches.match(new URL("index.html", url).href);
      }).then(function (found) {
        if (found && !done && navigation) {
          var how = { offline: true, date: found.headers.get("Date"), at: Date.now() };
          served[request.url] = how; // a navigation retried by the browser has a client id of its own
          if (clientId) served[clientId] = how;
        }
        return finish(found);
      });
    };
    var timer = setTimeout(fromCache, TIMEOUT); // a weak connection: the saved copy now, the network keeps going
    network.then(function (response) {
      clearTimeout(timer);
      // An overloaded server (5xx): the saved copy, if there is one, rather than an error page.
      if (response.status >= 500) return fromCache().then(function (found) { return found || finish(response); });
      finish(response);
    }, function () {
      clearTimeout(timer);
      fromCache().then(function (found) { if (!found) finish(navigation ? notSaved(request) : Response.error()); });
    });
  });
}

// A page never opened on this device, asked for without a connection: in the language of the address's
// <code>/ (BUILD.languages: code → html lang and the words of this page, from the catalogs), else Japanese.
// The links stay to the saved Japanese pages: only they are precached.
function notSaved(request) {
  var root = self.registration.scope;
  var path = new URL(request.url).pathname.slice(new URL(root).pathname.length);
  var code = path.split("/")[0], language = (BUILD.languages || {})[code];
  var words = language ? language.words : {};
  var _ = function (msgid) { return Object.prototype.hasOwnProperty.call(words, msgid) ? words[msgid] : msgid; };
  var escape = function (text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]; });
  };
  var html = "<!doctype html><html lang=\"" + (language ? escape(language.lang) : "ja") + "\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>" + escape(_("オフラインのため表示できません")) + "</title><link rel=\"stylesheet\" href=\"" + root + "static/style.css\"></head>" +
    "<body><main id=\"main\" class=\"wrap\"><h1>" + escape(_("オフラインのため表示できません")) + "</h1>" +
    "<p>" + escape(_("インターネットに接続できず、このページはまだこの端末に保存されていません。接続できるようになってから、もう一度開いてください。")) + "</p>" +
    "<p>" + escape(_("これまでに開いたページと、次のページは接続がなくても見られます。")) + "</p><ul>" +
    "<li><a href=\"" + root + "index.html\">" + escape(_("トップページ")) + "</a></li>" +
    "<li><a href=\"" + root + "navi.html\">" + escape(_("質問に答えて制度を探す")) + "</a></li>" +
    "<li><a href=\"" + root + "programs/index.html\">" + escape(_("すべての制度")) + "</a></li></ul></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "how" || !event.source) return;
  var url = String(data.url || "").split("#")[0];
  var byUrl = served[url] && Date.now() - served[url].at < 30000 ? served[url] : null;
  var how = served[event.source.id] || byUrl || { offline: false };
  delete served[event.source.id]; // asked once, by offline.js as the page loads
  delete served[url];
  how.version = BUILD.version;
  event.source.postMessage({ type: "served", how: how });
});
