"""The same site as a Hugo project, for a side-by-side reference build.

One content page per published program with the same texts (Markdown, rendered by Hugo's
Goldmark), the categories as a taxonomy (one list page per category, listing its programs with
their summaries, like our category pages), the section list of all programs (like
programs/index.html) and a home page; layouts with the header, breadcrumbs, notice and footer of
ours. RSS, sitemap and robots.txt are turned off: our site has none.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CONFIG = """baseURL = "https://example.jp/"
languageCode = "ja"
title = {title}
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
category = "categories"
[markup.goldmark.renderer]
hardWraps = true
"""

BASEOF = """<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">本文へ移動</a>
<header class="site-header"><div class="wrap"><p class="site-name"><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></p>
<p class="municipality">{{ .Site.Params.municipality }}</p></div></header>
{{ with .Site.Params.notice }}<aside class="notice" aria-label="お知らせ"><div class="wrap">{{ . | markdownify }}</div></aside>{{ end }}
<nav class="breadcrumbs wrap" aria-label="現在位置"><ol><li><a href="{{ "" | relURL }}">トップページ</a></li>
{{ range .Ancestors.Reverse }}{{ if not .IsHome }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
<li aria-current="page">{{ .Title }}</li></ol></nav>
<main id="main" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap">
<ul class="footer-links"><li><a href="{{ "" | relURL }}">トップページ</a></li><li><a href="{{ "programs/" | relURL }}">すべての制度</a></li></ul>
<h2 class="footer-heading">お問い合わせ</h2><p>{{ .Site.Params.contact }}</p>
<p class="small">{{ .Site.Params.municipality }}</p></div></footer>
</body>
</html>
"""

SINGLE = """{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article class="program" data-program-id="{{ .Params.id }}">
<h1>{{ .Title }}</h1>
<p class="meta"><span class="label">分類</span> {{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
{{ with .Params.documents }}<section><h2>必要な書類</h2><ul class="documents">{{ range . }}<li>{{ . }}</li>{{ end }}</ul></section>{{ end }}
<section><h2>ナビで「対象」と表示される回答</h2>{{ range .Params.conditions }}<ul class="conditions">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}</section>
<section class="contact"><h2>問い合わせ先</h2><p>{{ .Params.department }}</p><p>{{ .Params.contact }}</p></section>
</article>
{{ end }}
"""

LIST = """{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
<h2>制度の一覧（{{ len .Pages }}件）</h2>
<ul class="program-list">
{{ range .Pages }}<li class="program-summary"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<div class="summary-text">{{ .Params.summary | markdownify }}</div>
{{ with .Params.deadline }}<p class="meta"><span class="label">申請期限</span> {{ . }}</p>{{ end }}
<p class="meta"><span class="label">担当</span> {{ .Params.department }}</p></li>
{{ end }}
</ul>
{{ end }}
"""

HOME = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Site.Params.intro | markdownify }}
<ul class="category-list">{{ range .Site.Taxonomies.categories }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}件</li>{{ end }}</ul>
{{ end }}
"""


def _front_matter(data: dict) -> str:
    # JSON front matter: Hugo reads it without any quoting questions.
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_hugo_site(site, folder: Path) -> Path:
    """`site`: navigator's model (validate_folder(...).site). Returns the Hugo project folder."""
    if folder.exists():
        shutil.rmtree(folder)
    for sub in ("content/programs", "layouts/_default", "static"):
        (folder / sub).mkdir(parents=True)
    settings = site.settings
    (folder / "config.toml").write_text(CONFIG.format(title=json.dumps(settings.site_name, ensure_ascii=False)) + (
        "[params]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in (
            ("municipality", settings.municipality), ("notice", settings.notice), ("contact", settings.contact),
            ("intro", settings.intro)))), encoding="utf-8")
    (folder / "layouts/_default/baseof.html").write_text(BASEOF, encoding="utf-8")
    (folder / "layouts/_default/single.html").write_text(SINGLE, encoding="utf-8")
    (folder / "layouts/_default/list.html").write_text(LIST, encoding="utf-8")
    (folder / "layouts/index.html").write_text(HOME, encoding="utf-8")
    (folder / "static/style.css").write_text("body{font-family:sans-serif}\n", encoding="utf-8")
    (folder / "content/programs/_index.md").write_text(_front_matter({"title": "すべての制度"}), encoding="utf-8")
    for program in site.programs:
        deadline = program.deadline
        matter = {
            "title": program.name, "id": program.id, "categories": [program.category],
            "summary": program.summary, "department": program.department.name,
            "deadline": None if deadline is None else deadline.text,
            "documents": list(program.documents), "contact": program.contact or program.department.phone,
            "conditions": [[f"{r.question_id} → {r.range.text if r.range else ' または '.join(r.choices)}"
                            for r in row.requirements] for row in program.condition_rows],
        }
        body = [program.summary]
        for heading, text in (("対象となる方", program.target), ("支援の内容", program.benefit),
                              ("申請方法", program.how_to_apply)):
            if text:
                body += [f"## {heading}", text]
        (folder / "content/programs" / f"{program.id}.md").write_text(
            _front_matter(matter) + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder
