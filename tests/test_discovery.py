"""Search engines and link previews: JSON-LD, share meta, canonical links, sitemap.xml, robots.txt, the 404 page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sheetmaker import PROGRAMS, SETTINGS, program_row, write_common, write_department

from navigator.model import Department, Program, Settings
from navigator.pipeline import build
from navigator.site.discovery import (
    embeddable_json,
    government_service,
    government_service_jsonld,
    plain_words,
    robots_txt,
    share_meta,
    sitemap_entries,
    sitemap_xml,
)

PUBLIC_URL = "https://navi.test.example.jp/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


class Head(HTMLParser):
    """The JSON-LD blocks, <link rel=canonical>, <meta> tags and every href/src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.canonical: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content", "")
        self.links.extend(value for name, value in attrs if name in ("href", "src"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def head(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def city(folder: Path, public_url: str | None = PUBLIC_URL, programs=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    settings = SETTINGS if public_url is None else [*SETTINGS, ["公開URL", public_url]]
    write_common(folder, settings=settings)
    write_department(folder, programs=programs if programs is not None else PROGRAMS)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("discovery")
    programs = [*PROGRAMS, program_row("online", "オンライン申請の制度", 対象者="**65歳以上**の方",
                                       オンライン申請URL="https://apply.test.example.jp/x")]
    out = work / "site"
    assert build(city(work / "sheets", programs=programs), out).ok
    return out


def test_a_program_page_carries_government_service_jsonld(site):
    page = head(site / "programs" / "online.html")
    assert len(page.jsonld) == 1
    data = json.loads(page.jsonld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "オンライン申請の制度"
    assert data["description"] == "オンライン申請の制度の概要です。"
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert data["provider"]["name"] == "福祉課"
    assert data["provider"]["telephone"] == "012-345-0001"
    assert data["areaServed"] == {"@type": "City", "name": "テスト市"}
    assert data["audience"] == {"@type": "Audience", "audienceType": "65歳以上の方"}
    assert data["availableChannel"]["serviceUrl"] == "https://apply.test.example.jp/x"
    assert data["url"] == PUBLIC_URL + "programs/online.html"


def test_a_program_without_online_application_or_target_leaves_them_out(site):
    data = json.loads(head(site / "programs" / "risai.html").jsonld[0])
    assert "availableChannel" not in data and "audience" not in data


def test_only_program_pages_carry_jsonld(site):
    assert head(site / "index.html").jsonld == []
    assert head(site / "categories" / "1.html").jsonld == []


def test_jsonld_survives_a_program_name_that_closes_the_script(tmp_path):
    name = '</script><script>alert(1)</script><!-- & "quoted"'
    out = tmp_path / "out"
    assert build(city(tmp_path / "sheets", programs=[program_row("evil", name, 対象者="a < b & c")]), out).ok
    html = (out / "programs" / "evil.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S | re.I).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["name"] == name
    assert data["audience"]["audienceType"] == "a < b & c"
    assert head(out / "programs" / "evil.html").meta["og:title"].startswith(name)


def test_embeddable_json_is_the_same_value_once_parsed():
    value = {"a": "<b>&</b>", "c": ["x>y", "\u2028"]}
    text = embeddable_json(value)
    assert json.loads(text) == value
    assert not set(text) & set("<>&")


def test_every_page_has_an_absolute_canonical_link_and_og_url(site):
    for page in site.rglob("*.html"):
        path = page.relative_to(site).as_posix()
        parsed = head(page)
        if path == "404.html":
            assert parsed.canonical == [] and "og:url" not in parsed.meta
            continue
        assert parsed.canonical == [PUBLIC_URL + path], path
        assert parsed.meta["og:url"] == PUBLIC_URL + path


def test_share_meta_gives_a_preview_of_the_page(site):
    meta = head(site / "programs" / "online.html").meta
    assert meta["og:title"] == "オンライン申請の制度 | テスト市 被災者支援ナビ"
    assert meta["og:description"] == "オンライン申請の制度の概要です。"
    assert meta["og:site_name"] == "テスト市 被災者支援ナビ"
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == meta["og:title"]
    assert "og:image" not in meta  # the contract has no share image (docs/sheet-format.md)
    assert head(site / "index.html").meta["og:description"] == "質問に答えると、使える制度が分かります。"


def test_a_long_description_is_cut_and_marked():
    tags = share_meta("題", "あ" * 300, "サイト")
    description = re.search(r'property="og:description" content="([^"]*)"', tags).group(1)
    assert len(description) == 120 and description.endswith("…")


def test_share_meta_escapes_cell_text():
    tags = share_meta('"><script>x</script>', "a & b", "サイト", url="https://a.jp/x.html")
    assert "<script>" not in tags
    assert 'content="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in tags
    assert '<link rel="canonical" href="https://a.jp/x.html">' in tags


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.name != "404.html" and not p.relative_to(site).as_posix().startswith("static/"))


def test_plain_words_is_what_markupsafe_makes_of_the_text_without_its_labels():
    # The way it was written, before the shortcut for text without tags and entities: the reference.
    import random

    from markupsafe import Markup, escape

    from navigator.site.discovery import _LABELS

    def reference(html) -> str:
        return Markup(_LABELS.sub("", str(escape(html)))).striptags()

    labelled = Markup('生活再建支援金<span class="untranslated-label" lang="en">Japanese</span>')
    assert plain_words(labelled) == reference(labelled) == "生活再建支援金"
    alphabet = "ab <>&'\"\n\t\u3000\u00a0\x0b\x1c\x85\u2028全;#x"
    generator = random.Random(19)
    for _ in range(5000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12)))
        assert plain_words(text) == reference(text), repr(text)
        assert plain_words(Markup(text)) == reference(Markup(text)), repr(text)


def test_the_sitemap_lists_every_page_once_with_absolute_urls(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP_NS}urlset"
    locations = [url.find(f"{SITEMAP_NS}loc").text for url in root.findall(f"{SITEMAP_NS}url")]
    assert len(locations) == len(set(locations))
    assert sorted(locations) == [PUBLIC_URL + path for path in html_pages(site)]
    assert PUBLIC_URL + "programs/online.html" in locations


def test_robots_txt_points_at_the_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLIC_URL}sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots.splitlines()


def test_sitemap_writes_alternates_and_lastmod():
    xml = sitemap_xml("https://a.jp/navi/", [
        ("programs/x.html", {"ja": "programs/x.html", "en": "en/programs/x.html"}, dt.date(2026, 8, 1)),
        ("en/programs/x.html", {"ja": "programs/x.html", "en": "en/programs/x.html"}, None),
        ("a&b.html", {}, None)])
    root = ET.fromstring(xml)
    urls = root.findall(f"{SITEMAP_NS}url")
    assert [u.find(f"{SITEMAP_NS}loc").text for u in urls] == [
        "https://a.jp/navi/programs/x.html", "https://a.jp/navi/en/programs/x.html", "https://a.jp/navi/a&b.html"]
    assert urls[0].find(f"{SITEMAP_NS}lastmod").text == "2026-08-01"
    assert urls[1].find(f"{SITEMAP_NS}lastmod") is None
    links = [(link.get("rel"), link.get("hreflang"), link.get("href")) for link in urls[0].findall(f"{XHTML_NS}link")]
    assert links == [("alternate", "ja", "https://a.jp/navi/programs/x.html"),
                     ("alternate", "en", "https://a.jp/navi/en/programs/x.html")]
    assert urls[2].findall(f"{XHTML_NS}link") == []
    assert robots_txt("https://a.jp/navi/").endswith("Sitemap: https://a.jp/navi/sitemap.xml\n")


def test_the_404_page_links_are_absolute_with_a_public_url(site):
    links = head(site / "404.html").links
    assert links and all(link.startswith((PUBLIC_URL, "#", "tel:")) for link in links), links
    assert PUBLIC_URL + "programs/index.html" in links and PUBLIC_URL + "static/style.css" in links


def test_without_a_public_url_there_is_no_sitemap_robots_or_canonical(tmp_path):
    out = tmp_path / "out"
    assert build(city(tmp_path / "sheets", public_url=None), out).ok
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    for page in out.rglob("*.html"):
        parsed = head(page)
        assert parsed.canonical == [] and "og:url" not in parsed.meta, page
        assert "og:title" in parsed.meta and "og:description" in parsed.meta, page
    assert "url" not in json.loads(head(out / "programs" / "risai.html").jsonld[0])
    four_o_four = head(out / "404.html").links
    assert "programs/index.html" in four_o_four and "static/style.css" in four_o_four


@pytest.mark.parametrize("value", ["navi.example.lg.jp", "https://navi.example.lg.jp", "ftp://a.jp/",
                                   "https://a.jp/navi/?x=/", "https://a jp/"])
def test_a_malformed_public_url_is_a_warning_on_its_cell_and_is_not_used(tmp_path, value):
    out = tmp_path / "out"
    result = build(city(tmp_path / "sheets", public_url=value), out)
    assert result.ok
    found = [p for p in result.validation.report.problems if p.code == "bad-public-url"]
    assert len(found) == 1
    problem = found[0]
    assert (problem.severity, problem.file, problem.sheet, problem.cell) == ("warning", "common.xlsx", "設定", "B8")
    assert f"公開URL「{value}」は使えません" in problem.message and "\n" not in problem.message
    assert not (out / "sitemap.xml").exists()


def test_government_service_is_pure_of_what_it_is_given():
    department = Department("総務部 危機管理課", "012-555-0100", "kiki@example.jp", "本庁舎1階", "危機管理課.xlsx")
    program = Program("p", "制度<名>", "生活再建", "概要の**1行目**\n\n- 2行目", "", "", None, "", (), "", "", "",
                      department, (), True, "危機管理課.xlsx", 4)
    settings = Settings("サイト", "さくら市")
    data = government_service(program, settings, "https://a.jp/programs/p.html")
    assert data["description"] == "概要の1行目 2行目"
    assert data["provider"] == {"@type": "GovernmentOrganization", "name": "総務部 危機管理課",
                                "telephone": "012-555-0100", "email": "kiki@example.jp"}
    assert json.loads(government_service_jsonld(program, settings)) == {
        **{k: v for k, v in data.items() if k != "url"}}


def test_sitemap_entries_give_a_page_in_several_languages_each_of_them_as_alternates():
    entries = sitemap_entries([("ja", "", ["index.html", "programs/a.html", "counter.html"]),
                               ("en", "en/", ["index.html", "programs/a.html"])],
                              lastmod={"programs/a.html": dt.date(2026, 8, 1)})
    both = {"ja": "programs/a.html", "en": "en/programs/a.html"}
    assert entries == [
        ("index.html", {"ja": "index.html", "en": "en/index.html"}, None),
        ("programs/a.html", both, dt.date(2026, 8, 1)),
        ("counter.html", {}, None),  # Japanese only: no alternates
        ("en/index.html", {"ja": "index.html", "en": "en/index.html"}, None),
        ("en/programs/a.html", both, dt.date(2026, 8, 1)),
    ]
    assert sitemap_entries([("ja", "", ["index.html"])]) == [("index.html", {}, None)]


def test_og_locale_is_the_pages_language():
    assert '<meta property="og:locale" content="en_US">' in share_meta("t", "d", "s", locale="en_US")
    assert '<meta property="og:locale" content="ja_JP">' in share_meta("t", "d", "s")


def test_sitemap_escapes_as_the_standard_library_does():
    # discovery.py's own xml_escape and quoteattr (xml.sax.saxutils imports urllib.request: 18 ms of every build).
    import random
    from xml.sax import saxutils

    from navigator.site import discovery

    pieces = ["a", "&", "<", ">", '"', "'", "\n", "\r", "\t", "&amp;", "é", "市", " "]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert discovery.xml_escape(text) == saxutils.escape(text)
        assert discovery.quoteattr(text) == saxutils.quoteattr(text)


def test_a_program_pages_share_tags_are_those_of_its_blocks_as_rendered():
    """program_share_markup gives what share_meta_markup makes of the page's title and description blocks, for plain
    texts (its short way) and for marked ones (a language's text not translated yet)."""
    from markupsafe import Markup, escape

    from navigator.site.discovery import program_share_markup, share_meta_markup
    from navigator.site.edition import Untranslated

    department = Department("総務部 危機管理課", "012-555-0100", "kiki@example.jp", "本庁舎1階", "危機管理課.xlsx")
    program = Program("p", "", "生活再建", "", "", "", None, "", (), "", "", "", department, (), True, "危機管理課.xlsx", 4)
    settings = Settings("さくら市 & ナビ  <β>", "さくら市")
    texts = ["a & b <i>x</i> 'q' \"w\"", "  全壊\n- 半壊\t &amp; ", "**太字** [リンク](https://a.jp)", ""]
    for name in [*texts, Untranslated("未訳の名前")]:
        for summary in texts:
            program = dataclasses.replace(program, name=name, summary=summary)
            expected = share_meta_markup(escape(name) + " | " + escape(settings.site_name), escape(summary),
                                         settings.site_name, "https://a.jp/p.html")
            assert program_share_markup(program, settings, "https://a.jp/p.html") == expected
            assert isinstance(program_share_markup(program, settings), Markup)
