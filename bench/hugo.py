"""The same archive as a Hugo site: the fastest static-site generator a newsroom would pick instead.

Bilingual content (``content/en``, ``content/de``, each brief a page bundle with
its photo copied as it is), the brief's topics as a taxonomy, RSS for the home
page, sections and topics (Hugo's own template), lists paginated by 20 as
Briefs paginates, and a minimal theme: the text every peer converts
(:func:`corpus.plain_markdown`), not Briefs' features.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from corpus import LEAD_IMAGE, plain_markdown, read_brief

CONFIG = """\
baseURL = "https://briefs.example.org/"
title = "Briefs"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
paginate = 20
enableRobotsTXT = true

[taxonomies]
  topic = "topics"

[languages.en]
  contentDir = "content/en"
  languageName = "English"
  weight = 1

[languages.de]
  contentDir = "content/de"
  languageName = "Deutsch"
  weight = 2
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.topics }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
{{ range .Translations }}<p><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Title }}</a></p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo_site(briefs: Path, site: Path) -> int:
    """A Hugo site of every brief below ``briefs``, in ``site``; returns the number of brief pages."""
    (site / "config.toml").parent.mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        target = site / "layouts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    count = 0
    for path in sorted(briefs.rglob("*.md")):
        fields, body = read_brief(path)
        bundle = site / "content" / path.stem / "briefs" / path.parent.name
        bundle.mkdir(parents=True, exist_ok=True)
        front = {"title": fields["title"], "date": fields["date"], "topics": fields["topics"], "summary": fields["summary"]}
        lines = plain_markdown(fields, body)
        if "image" in fields:
            shutil.copyfile(path.parent / LEAD_IMAGE, bundle / LEAD_IMAGE)
            lines[0:0] = [f"![{fields['image']['alt']}]({LEAD_IMAGE})", ""]
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + "\n".join(lines) + "\n"
        (bundle / "index.md").write_text(text, encoding="utf-8")
        count += 1
    return count
