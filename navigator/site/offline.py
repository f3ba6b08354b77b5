"""The files that make the site installable and usable offline: the web app manifest and the service worker.

sw.js (from site_templates/sw.js) is written last (site/write.py, a job with `after`): it names the
build by the sha256 of every other file, so any change of any file is a new version, and a new
version drops the caches of the old one. Its precache list is the same for every resident: the
pages and files of the question flow (PRECACHED_PAGES, static/*, the two data files).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from navigator.hashing import digest
from navigator.model import Settings
from navigator.site.interface import Interface
from navigator.site.templates import templates_dir

SERVICE_WORKER = "sw.js"
WEB_MANIFEST = "manifest.webmanifest"
# Saved on the first visit: the top page, the flow (its results and print view are in navi.html), the list of
# every program and the page that says what is stored on the device. Program pages are saved when opened.
PRECACHED_PAGES = ("index.html", "navi.html", "search.html", "programs/index.html", "accessibility.html", WEB_MANIFEST)


def precache_list(paths: list[str], data_scripts: list[str]) -> list[str]:
    """What the service worker saves on install, in the order of `paths` (the build's files)."""
    wanted = set(PRECACHED_PAGES) | set(data_scripts)
    return [path for path in paths if path in wanted or path.startswith("static/") and not path.endswith(".txt")]


def service_worker(precache: list[str], hashes: dict[str, str], languages: Sequence[Interface] = ()) -> str:
    """sw.js for a build whose files (all but sw.js itself) have these sha256 hashes.

    `languages`: the site's other languages; the page sw.js shows for a page not saved is in the address's language
    (its words are sw.js's msgids, from the language's catalog)."""
    version = digest(*(f"{path}\0{sha}" for path, sha in sorted(hashes.items())))[:16]
    contents = {"version": version, "precache": precache}
    others = [language for language in languages if not language.is_japanese]
    if others:
        words = _service_worker_words()
        contents["languages"] = {language.code: {"lang": language.html_lang, "words": {
            msgid: language.gettext(msgid) for msgid in words if language.gettext(msgid) != msgid}} for language in others}
    build = json.dumps(contents, ensure_ascii=False, separators=(",", ":"))
    source = (templates_dir() / SERVICE_WORKER).read_text(encoding="utf-8")
    return source.replace("/* BUILD */null", build, 1)


def _service_worker_words() -> list[str]:
    """The msgids of sw.js (its _("…") calls hold plain string literals only)."""
    source = (templates_dir() / SERVICE_WORKER).read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', source)))


def web_manifest(settings: Settings, language: Interface) -> str:
    name = settings.site_name
    manifest = {
        "name": name,
        "short_name": name if len(name) <= 12 else name[:12],
        "description": language.format("%(municipality)sの支援制度を、質問に答えて探せます。一度開くと、接続がなくても使えます。",
                                       municipality=settings.municipality),
        "lang": language.html_lang,
        "dir": "ltr",
        "start_url": "index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#00418c",
        # PNGs too: Android's install prompt asks for 192 and 512 px ones (the mark sits in the middle, so maskable).
        "icons": [{"src": "static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
                  {"src": "static/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
                  {"src": "static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"}],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
