"""What search engines and link previews read: schema.org JSON-LD, share meta tags, sitemap.xml, robots.txt.

Pure functions of what they are given: a page's path is the site path it is written to (with a
language's folder in front when there is one, `en/programs/x.html`), `public_url` is 設定's 公開URL
(`https://…/`, checked by check/common.py) or "" when the city has none. Without it nothing absolute
is made: no canonical link, no og:url, no sitemap, no robots.txt (a relative canonical is wrong).

Every cell text is untrusted. The meta tags are HTML-escaped here; the JSON-LD is made safe inside a
`<script type="application/ld+json">` element (a data block, which the CSP's `script-src 'self'`
allows: it is never run) by writing `<`, `>` and `&` as JSON escapes, so no cell can close the
element or open a comment.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from markupsafe import Markup, escape

from navigator.model import Program, Settings
from navigator.site.formatting import escape_text, plain_line

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
DESCRIPTION_LIMIT = 120  # characters of og:description: what LINE, X and search results show of it
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# A sitemap entry: the page's path, its other languages ({hreflang: path}, may be empty) and its last change.
SitemapEntry = tuple[str, Mapping[str, str], dt.date | None]

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these makes one every call


def page_url(public_url: str, path: str) -> str:
    """The absolute address of a site path, or "" without a 公開URL."""
    return public_url + path if public_url else ""


def plain_text(text: str, limit: int | None = DESCRIPTION_LIMIT) -> str:
    """A Markdown cell as one line of plain text (each line's marks and links as their text, joined by a space),
    at most `limit` characters (… when cut; None: not cut)."""
    line = " ".join(filter(None, map(plain_line, text.splitlines())))  # each line as one_line makes it, uncut
    return line if limit is None or len(line) <= limit else line[:limit - 1].rstrip() + "…"


def compact_json(value: object) -> str:
    """json.dumps(value, ensure_ascii=False, separators=(",", ":")), the same bytes."""
    return _COMPACT.encode(value)


def embeddable_json(value: object) -> str:
    """JSON that can stand inside a <script> element: <, > and & as \\u escapes (the same value once parsed)."""
    text = compact_json(value)
    # str.replace, not str.translate: translate looks up every character of a Japanese text (40 µs a page).
    for character, escaped in _JSON_ESCAPES.items():
        if character in text:
            text = text.replace(character, escaped)
    return text


def government_service(program: Program, settings: Settings, url: str = "") -> dict:
    """A program as schema.org GovernmentService: what a search engine may show of it.

    provider is the department (its name, phone and e-mail as in its 部署 sheet), areaServed the
    municipality, audience the 対象者 as plain text, availableChannel the オンライン申請URL when there
    is one; url is the page's absolute address (none without 公開URL).
    """
    department = program.department
    provider: dict = {"@type": "GovernmentOrganization", "name": department.name}
    if department.phone:
        provider["telephone"] = department.phone
    if department.email:
        provider["email"] = department.email
    service: dict = {"@context": "https://schema.org", "@type": "GovernmentService", "name": program.name,
                     "description": plain_text(program.summary, None), "serviceType": program.category,
                     "provider": provider,
                     "areaServed": {"@type": "City", "name": settings.municipality}}
    if url:
        service["url"] = url
    if program.target:
        service["audience"] = {"@type": "Audience", "audienceType": plain_text(program.target, None)}
    if program.online_url:
        service["availableChannel"] = {"@type": "ServiceChannel", "serviceUrl": program.online_url,
                                       "name": "オンライン申請"}
    return service


def government_service_jsonld(program: Program, settings: Settings, url: str = "") -> str:
    """The JSON-LD of a program page: the text inside its <script type="application/ld+json">."""
    return embeddable_json(government_service(program, settings, url))


def share_meta(title: str, description: str, site_name: str, url: str = "", image_url: str = "",
               locale: str = "ja_JP") -> str:
    """The <head> tags of a page for search engines and link previews (LINE, X, Facebook), HTML-escaped.

    `title` and `description` are plain text (the description is cut to DESCRIPTION_LIMIT); `url`,
    the page's absolute address, gives the canonical link and og:url; `image_url` (absolute) og:image;
    `locale` is og:locale (`en_US` for the English pages, …).
    """
    description = plain_text(description) if description else ""
    tags = []
    if url:
        tags.append(f'<link rel="canonical" href="{escape(url)}">')
    properties = [("og:type", "website"), ("og:site_name", site_name), ("og:title", title)]
    if description:
        properties.append(("og:description", description))
    properties.append(("og:locale", locale))
    if url:
        properties.append(("og:url", url))
    if image_url:
        properties.append(("og:image", image_url))
    tags.extend(f'<meta property="{name}" content="{escape_text(value)}">' for name, value in properties)
    names = [("twitter:card", "summary_large_image" if image_url else "summary"), ("twitter:title", title)]
    if description:
        names.append(("twitter:description", description))
    tags.extend(f'<meta name="{name}" content="{escape_text(value)}">' for name, value in names)
    return "\n".join(tags)


def share_meta_markup(title: str, description: str, site_name: str, url: str = "", image_url: str = "",
                      locale: str = "ja_JP") -> Markup:
    """share_meta for a template: its blocks come rendered (HTML, in a language's edition with the labels of texts not
    translated yet: site/edition.py), so they are made plain text first."""
    return Markup(share_meta(plain_words(title), plain_words(description), plain_words(site_name), url, image_url, locale))


def program_share_markup(program: Program, settings: Settings, url: str = "", locale: str = "ja_JP") -> Markup:
    """share_meta_markup of a program page, its title and description made here as its blocks write them (program.html):
    not rendered a second time for the tags, on each of 10,000 pages."""
    name, summary, site_name = program.name, program.summary, settings.site_name
    if type(name) is str and type(summary) is str and type(site_name) is str:
        # Plain texts (the Japanese site's): plain_words of their escaped HTML is the text, its white space made one.
        return Markup(share_meta(" ".join(f"{name} | {site_name}".split()), " ".join(summary.split()),
                                 " ".join(site_name.split()), url, locale=locale))
    return share_meta_markup(escape(name) + " | " + escape(site_name), escape(summary), site_name, url, locale=locale)


_LABELS = re.compile(r'<(span|p) class="(?:untranslated|machine)-label"[^>]*>[^<]*</\1>')


def plain_words(html) -> str:
    """Rendered markup (or a text of the model) as plain text, without the labels of untranslated texts."""
    text = str(escape(html))
    if "<" not in text and "&" not in text:  # no tag, label or entity: what striptags gives, without its passes
        return " ".join(text.split())
    return Markup(_LABELS.sub("", text)).striptags()


def jsonld_markup(program: Program, settings: Settings, url: str = "") -> Markup:
    return Markup(government_service_jsonld(program, settings, url))  # safe in a <script>: see embeddable_json


def sitemap_entries(editions: Sequence[tuple[str, str, Sequence[str]]],
                    lastmod: Mapping[str, dt.date] | None = None) -> list[SitemapEntry]:
    """The sitemap's entries for a site in one or more languages.

    `editions`: for each language, (hreflang, its folder prefix, its page paths within it), the Japanese
    first (`("ja", "", [...])`, `("en", "en/", [...])`); a page in several languages lists them all, its own
    language included, as alternates; a page in one language (or a site in one) has none. `lastmod`: by
    page path within a language (a program page's last change), when known.
    """
    languages_of: dict[str, dict[str, str]] = {}
    for hreflang, prefix, paths in editions:
        for path in paths:
            languages_of.setdefault(path, {})[hreflang] = prefix + path
    entries: list[SitemapEntry] = []
    for _, prefix, paths in editions:
        for path in paths:
            alternates = languages_of[path] if len(languages_of[path]) > 1 else {}
            entries.append((prefix + path, alternates, (lastmod or {}).get(path)))
    return entries


def xml_escape(text: str) -> str:
    """xml.sax.saxutils.escape: & < > as entities (that module imports urllib.request: 18 ms of every build)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """xml.sax.saxutils.quoteattr: escaped, line breaks and tabs as character references, and quoted."""
    text = xml_escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"%s"' % text.replace('"', "&quot;")


def sitemap_xml(public_url: str, entries: Iterable[SitemapEntry]) -> str:
    """sitemap.xml: every entry's absolute address, its lastmod, and its other languages as xhtml:link alternates.

    An entry's alternates name every language of the page, its own included (as Google asks of hreflang);
    an entry without alternates is written without them.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    # A page's alternates are the same in each of its languages' entries (one dict, from sitemap_entries): written once.
    written: dict[int, tuple[Mapping[str, str], str]] = {}
    for path, alternates, lastmod in entries:
        lines.append(f"<url><loc>{xml_escape(public_url + path)}</loc>")
        if lastmod is not None:
            lines.append(f"  <lastmod>{lastmod.isoformat()}</lastmod>")
        if alternates:
            found = written.get(id(alternates))
            if found is None or found[0] is not alternates:  # the dict is held here, so its id is not another's
                found = written[id(alternates)] = (alternates, "\n".join(
                    f"  <xhtml:link rel=\"alternate\" hreflang={quoteattr(language)} href={quoteattr(public_url + other)}/>"
                    for language, other in alternates.items()))
            lines.append(found[1])
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(public_url: str) -> str:
    """robots.txt: every page may be crawled, and where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {public_url}{SITEMAP}\n"
