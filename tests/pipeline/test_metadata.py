"""Stage 2: every metadata field from each of its sources, JSON-LD edge cases, and corpus agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerly.article import Metadata
from readerly.pipeline.context import Context
from readerly.pipeline.metadata import read_metadata
from readerly.pipeline.metadata_byline import clean_byline
from readerly.pipeline.parse import parse_html

PAGES = Path(__file__).resolve().parents[1] / "pages" / "metadata"
PAGE_URL = "https://news.example/world/2024/story.html"


def read(head: str = "", body: str = "<p>text</p>", url: str | None = PAGE_URL, html_attrs: str = "") -> Metadata:
    html = f"<!DOCTYPE html><html {html_attrs}><head>{head}</head><body>{body}</body></html>"
    ctx = Context(url=url)
    return read_metadata(parse_html(html, ctx), ctx)


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- title -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (jsonld({"@type": "NewsArticle", "headline": "Rivers rise in the north"}), "", "Rivers rise in the north"),
        ('<meta property="og:title" content="Open Graph title">', "", "Open Graph title"),
        ('<meta name="twitter:title" content="Twitter title">', "", "Twitter title"),
        ('<meta name="DC.title" content="Dublin Core title">', "", "Dublin Core title"),
        ('<meta name="dcterms.title" content="DC terms title">', "", "DC terms title"),
        ('<meta property="og:title" content="OG"><meta property="dc:title" content="DC wins">', "", "DC wins"),
        ('<meta name="dc:title" content="by name"><meta property="dc:title" content="by property">', "",
         "by property"),
        ("<title>A plain document title here</title>", "", "A plain document title here"),
        ("<title>Short</title>", "<h1>The only headline on this page</h1>", "The only headline on this page"),
        ("", '<h2 itemprop="headline">Microdata headline</h2>', "Microdata headline"),
        ('<meta property="og:title" content="  spaced \n  out  "><title>x</title>', "", "spaced out"),
        ('<meta property="og:title" content="Tide &amp;#8211; &amp;quot;pools&amp;quot;">', "", 'Tide – "pools"'),
        ('<meta property="og:title" content=""><title>Empty meta falls through ok</title>', "",
         "Empty meta falls through ok"),
    ],
    ids=["jsonld", "og", "twitter", "dc-name", "dcterms", "dc-beats-og", "property-beats-name", "title",
         "short-title-h1", "microdata", "whitespace", "double-escaped", "empty-skipped"],
)
def test_title_sources(head: str, body: str, expected: str) -> None:
    assert read(head, body).title == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Scientists map the deep ocean floor | The Daily Example", "Scientists map the deep ocean floor"),
        ("Scientists map the deep ocean floor - The Daily Example", "Scientists map the deep ocean floor"),
        ("Scientists map the deep ocean floor – Example", "Scientists map the deep ocean floor"),
        ("Scientists map the deep ocean floor :: Example", "Scientists map the deep ocean floor"),
        ("Science » Scientists map the deep ocean floor", "Scientists map the deep ocean floor"),
        ("Example | Scientists map the deep ocean floor today", "Scientists map the deep ocean floor today"),
        ("Example: Scientists map the deep ocean floor", "Scientists map the deep ocean floor"),
        # What remains would be too short to be a headline: the title stays whole.
        ("Home | Example Site", "Home | Example Site"),
        ("Ocean news - Example", "Ocean news - Example"),
        # Hyphens inside words are not separators.
        ("Self-driving cars: a well-known long-standing debate",) * 2,
        ("Just-released exploit makes servers crash", "Just-released exploit makes servers crash"),
    ],
    ids=["pipe", "hyphen", "en-dash", "double-colon", "hierarchy", "prefix", "colon-prefix", "too-short",
         "short-hyphen", "hyphenated-colon", "hyphenated"],
)
def test_title_site_suffix_cut_only_when_enough_remains(title: str, expected: str) -> None:
    body = "<h1>Self-driving cars: a well-known long-standing debate</h1>" if "Self" in title else ""
    assert read(f"<title>{title}</title>", body).title == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<title>Bridge reopens - Harbour Daily</title><meta property="og:site_name" content="Harbour Daily">',
         "Bridge reopens"),
        ('<title>HARBOUR DAILY | Bridge reopens</title><meta property="og:site_name" content="Harbour Daily">',
         "Bridge reopens"),
        ("<title>Bridge reopens - Harbour Daily</title>", "Bridge reopens - Harbour Daily"),
        ('<title>Harbour Daily</title><meta property="og:site_name" content="Harbour Daily">', "Harbour Daily"),
        ('<title>Harbour Daily - Harbour Daily</title><meta property="og:site_name" content="Harbour Daily">',
         "Harbour Daily"),
    ],
    ids=["suffix", "prefix-any-case", "unknown-site", "title-is-site", "site-twice"],
)
def test_declared_site_name_is_cut_from_short_document_titles(head: str, expected: str) -> None:
    assert read(head).title == expected


def test_truncated_jsonld_headline_yields_to_the_full_meta_title() -> None:
    full = "Harbour bridge reopens after two years of repairs and a long dispute over the cost"
    head = jsonld({"@type": "NewsArticle", "headline": full[:40] + "…"})
    head += f'<meta property="og:title" content="{full}">'
    assert read(head).title == full


def test_jsonld_name_holding_the_site_name_loses_to_headline() -> None:
    head = "<title>Harbour bridge reopens after long repairs - Harbour Daily</title>" + jsonld(
        {"@type": "NewsArticle", "name": "Harbour Daily", "headline": "Harbour bridge reopens after long repairs"}
    )
    assert read(head).title == "Harbour bridge reopens after long repairs"


# --- dates, site, language, direction ----------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (jsonld({"@type": "BlogPosting", "datePublished": "2024-03-03T10:15:00Z"}), "", "2024-03-03T10:15:00+00:00"),
        ('<meta property="article:published_time" content="2024-03-03T10:15:00-0500">', "",
         "2024-03-03T10:15:00-05:00"),
        ('<meta name="DC.date" content="2024-03-03">', "", "2024-03-03"),
        ('<meta name="dcterms.issued" content="2024-03-03">', "", "2024-03-03"),
        ('<meta itemprop="datePublished" content="2024-03-03T10:15">', "", "2024-03-03T10:15:00"),
        ("", '<span itemprop="datePublished">2024-03-03</span>', "2024-03-03"),
        ("", '<time datetime="2024-03-03T10:15:00+01:00">3 March</time>', "2024-03-03T10:15:00+01:00"),
        ("", '<ol class="comment-list"><li><time datetime="2020-01-01">x</time></li></ol>'
             '<footer class="entry-meta"><time datetime="2024-03-03">y</time></footer>', "2024-03-03"),
        ("", '<time datetime="2020-01-01">old</time><time itemprop="datePublished" datetime="2024-03-03">x</time>',
         "2024-03-03"),
        ('<meta name="date" content="Sun, 03 Mar 2024 10:15:00 GMT">', "", "2024-03-03T10:15:00+00:00"),
        ('<meta name="date" content="March 3, 2024">', "", "2024-03-03"),
        ("", '<div class="top-date">Monday, March 18, 2024</div>'
             '<span class="entry-date">March 2, 2024</span>', "2024-03-02"),
        ("", '<span class="post-date">13.04.2024</span>', "2024-04-13"),
        ("", '<aside class="sidebar"><span class="post-date">1 May 2020</span></aside>', None),
        ('<meta name="date" content="yesterday">', "", None),
        ('<meta name="date" content="2024-13-45">', "", None),
    ],
    ids=["jsonld", "article-meta", "dc-date", "dcterms-issued", "itemprop-meta", "itemprop-span", "time",
         "time-outside-comments", "printed-date", "dotted-date", "printed-date-in-sidebar",
         "time-itemprop-wins", "rfc2822", "written", "unparseable", "invalid"],
)
def test_published_time_is_iso_8601(head: str, body: str, expected: str | None) -> None:
    assert read(head, body).published_time == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="og:site_name" content="Harbour Daily">', "Harbour Daily"),
        (jsonld({"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Harbour Media"}}),
         "Harbour Media"),
        (jsonld({"@graph": [{"@type": "WebSite", "name": "Harbour Site"}, {"@type": "WebPage"}]}), "Harbour Site"),
        (jsonld({"@type": "BlogPosting", "publisher": "Harbour Press"}), "Harbour Press"),
        (jsonld({"@type": "BlogPosting", "publisher": [{"name": "First Press"}, {"name": "Second"}]}), "First Press"),
        ('<meta name="application-name" content="Harbour App">', "Harbour App"),
        ("", None),
    ],
    ids=["og", "jsonld-publisher", "jsonld-website", "publisher-string", "publisher-list", "application-name",
         "none"],
)
def test_site_name_sources(head: str, expected: str | None) -> None:
    assert read(head).site_name == expected


@pytest.mark.parametrize(
    ("html_attrs", "head", "expected"),
    [
        ('lang="de-AT"', "", "de-AT"),
        ('xml:lang="fr"', "", "fr"),
        ("", '<meta http-equiv="content-language" content="es, en">', "es"),
        ("", '<meta property="og:locale" content="pt_BR">', None),
        ('lang="it"', '<meta property="og:locale" content="en_US">', "it"),
        ('lang="{{ page.lang }}"', '<meta name="language" content="en_US">', "en-US"),
        ('lang=""', "", None),
        ("", "", None),
    ],
    ids=["html-lang", "xml-lang", "content-language", "og-locale-not-read", "html-beats-locale", "template-leftover",
         "empty", "none"],
)
def test_lang_sources(html_attrs: str, head: str, expected: str | None) -> None:
    assert read(head, html_attrs=html_attrs).lang == expected


@pytest.mark.parametrize(
    ("html_attrs", "body_html", "expected"),
    [
        ('dir="rtl"', "<p>x</p>", "rtl"),
        ('dir="ltr"', '<main dir="rtl"><p>x</p></main>', "rtl"),
        ('dir="RTL"', "<p>x</p>", "rtl"),
        ('dir="sideways"', "<p>x</p>", None),
        ("", "<p>x</p>", None),
    ],
    ids=["html", "main-region", "case", "invalid", "none"],
)
def test_direction(html_attrs: str, body_html: str, expected: str | None) -> None:
    assert read(body=body_html, html_attrs=html_attrs).dir == expected


@pytest.mark.parametrize(
    ("head", "url", "expected"),
    [
        ("", "https://blog.example/2024/03/02/a-post/", "2024-03-02"),
        ('<link rel="canonical" href="https://blog.example/2023/11/30/a-post/">', None, "2023-11-30"),
        ("", "https://blog.example/2024/13/02/not-a-date/", None),
        ('<meta property="article:published_time" content="2024-05-05">', "https://blog.example/2020/01/01/x/",
         "2024-05-05"),
    ],
    ids=["page-url", "canonical", "impossible", "declared-wins"],
)
def test_published_time_from_a_dated_permalink(head: str, url: str | None, expected: str | None) -> None:
    assert read(head, url=url).published_time == expected


def test_body_dir_beats_html_dir() -> None:
    html = '<html dir="ltr"><head><title>t</title></head><body dir="rtl"><p>x</p></body></html>'
    ctx = Context(url=None)
    assert read_metadata(parse_html(html, ctx), ctx).dir == "rtl"


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ('<meta property="og:image" content="https://img.example/a.jpg">', "", "https://img.example/a.jpg"),
        ('<meta property="og:image" content="/media/a.jpg">', "", "https://news.example/media/a.jpg"),
        ('<meta property="og:image" content="//img.example/a.jpg">', "", "https://img.example/a.jpg"),
        ('<base href="/static/"><meta name="twitter:image" content="a.jpg">', "", "https://news.example/static/a.jpg"),
        ('<base href="https://cdn.example/x/"><meta property="og:image" content="../a.jpg">', "",
         "https://cdn.example/a.jpg"),
        (jsonld({"@type": "Article", "image": "https://img.example/s.jpg"}), "", "https://img.example/s.jpg"),
        (jsonld({"@type": "Article", "image": {"@type": "ImageObject", "url": "/o.jpg"}}), "",
         "https://news.example/o.jpg"),
        (jsonld({"@type": "Article", "image": [{"url": "https://img.example/1.jpg"}, "https://img.example/2.jpg"]}),
         "", "https://img.example/1.jpg"),
        (jsonld({"@type": "Article", "image": ["", "https://img.example/2.jpg"]}), "", "https://img.example/2.jpg"),
        ('<link rel="image_src" href="/l.jpg">', "", "https://news.example/l.jpg"),
        ("", '<img itemprop="image" src="/m.jpg">', "https://news.example/m.jpg"),
        ('<meta property="og:image" content="data:image/png;base64,AAAA">', "", None),
        ('<meta property="og:image" content="javascript:alert(1)">', "", None),
    ],
    ids=["absolute", "relative", "protocol-relative", "base-relative", "base-absolute", "jsonld-string",
         "jsonld-object", "jsonld-list", "jsonld-list-skips-empty", "image-src", "microdata", "data-uri",
         "javascript"],
)
def test_lead_image_is_absolute(head: str, body: str, expected: str | None) -> None:
    assert read(head, body).lead_image_url == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<link rel="canonical" href="https://news.example/c">', "https://news.example/c"),
        ('<link rel="Canonical" href="/c?id=1">', "https://news.example/c?id=1"),
        ('<meta property="og:url" content="https://news.example/og">', "https://news.example/og"),
        ('<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="/og">',
         "https://news.example/og"),
        ("", None),
    ],
    ids=["link", "relative", "og-url", "bad-scheme-falls-back", "none"],
)
def test_canonical_url(head: str, expected: str | None) -> None:
    assert read(head).canonical_url == expected


def test_relative_urls_stay_relative_without_a_page_url() -> None:
    assert read('<meta property="og:image" content="/a.jpg">', url=None).lead_image_url == "/a.jpg"


def test_relative_base_without_a_page_url_is_ignored() -> None:
    head = '<base href="/static/"><meta property="og:image" content="a.jpg">'
    assert read(head, url=None).lead_image_url == "a.jpg"


# --- description and article body --------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta name="description" content="Plain description">', "Plain description"),
        ('<meta property="og:description" content="OG"><meta name="description" content="plain">', "OG"),
        ('<meta name="twitter:description" content="Twitter">', "Twitter"),
        ('<meta name="DC.description" content="DC"><meta property="og:description" content="OG">', "DC"),
        (jsonld({"@type": "Article", "description": "From &quot;JSON-LD&quot;"}), 'From "JSON-LD"'),
        ('<meta name="description" content="Double &amp;quot;escaped&amp;quot; &amp;amp; more">',
         'Double "escaped" & more'),
        ('<meta name="description" content="   ">', None),
    ],
    ids=["meta", "og-beats-meta", "twitter", "dc-beats-og", "jsonld-entities", "double-escaped", "blank"],
)
def test_description_is_also_the_excerpt(head: str, expected: str | None) -> None:
    metadata = read(head)
    assert (metadata.description, metadata.excerpt) == (expected, expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"@type": "NewsArticle", "articleBody": "First paragraph.\n\nSecond  paragraph."},
         "First paragraph.\n\nSecond paragraph."),
        ({"@type": "Report", "articleBody": "Line one\nLine two"}, "Line one\n\nLine two"),
        ({"@type": "WebPage", "articleBody": "Not an article"}, None),
        ({"@type": "Recipe", "articleBody": "Not an article"}, None),
    ],
    ids=["news-article", "report", "webpage", "recipe"],
)
def test_article_body_only_from_article_types(data: dict[str, object], expected: str | None) -> None:
    assert read(jsonld(data)).article_body == expected


# --- JSON-LD robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scripts", "expected_title"),
    [
        ('<script type="application/ld+json">{"@type": "Article", "headline": "x}</script>'
         + jsonld({"@type": "Article", "headline": "Second block"}), "Second block"),
        ('<script type="application/ld+json">{"@type": "Article", "headline": "Trailing comma",}</script>',
         "Trailing comma"),
        ('<script type="application/ld+json"><![CDATA[{"@type": "Article", "headline": "In CDATA"}]]></script>',
         "In CDATA"),
        (jsonld([{"@type": "Organization", "name": "Org"}, {"@type": "BlogPosting", "headline": "In array"}]),
         "In array"),
        (jsonld({"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Page"},
                                                            {"@type": "Article", "headline": "In graph"}]}),
         "In graph"),
        (jsonld({"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Main entity"}}),
         "Main entity"),
        (jsonld({"@type": ["NewsArticle", "Article"], "headline": "Type list"}), "Type list"),
        (jsonld({"@context": {"@vocab": "http://schema.org/"}, "@type": "Article", "headline": "Context object"}),
         "Context object"),
        (jsonld({"@type": "Article", "headline": "Caf&eacute; &amp; bar"}), "Café & bar"),
        ('<script type="application/ld+json">{"@type": "Article", "headline": "Raw\nnewline"}</script>',
         "Raw newline"),
        ('<script type="Application/LD+JSON">{"@type": "Article", "headline": "Odd case type"}</script>',
         "Odd case type"),
        ('<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script><title>Deep nesting</title>",
         "Deep nesting"),
        ('<script type="application/ld+json"></script><title>Empty block</title>', "Empty block"),
    ],
    ids=["invalid-then-valid", "trailing-comma", "cdata", "array", "graph", "main-entity", "type-list",
         "context-object", "entities", "raw-newline", "type-case", "deep-nesting", "empty"],
)
def test_jsonld_edge_cases(scripts: str, expected_title: str) -> None:
    assert read(scripts).title == expected_title


def test_jsonld_author_reference_resolved_through_graph() -> None:
    head = jsonld({"@graph": [
        {"@type": "Article", "headline": "h", "author": [{"@id": "#p1"}, {"@id": "#p2"}],
         "publisher": {"@id": "#org"}},
        {"@type": "Person", "@id": "#p1", "name": "Jane Doe"},
        {"@type": "Person", "@id": "#p2", "name": "John Roe"},
        {"@type": "Organization", "@id": "#org", "name": "Harbour Media"},
    ]})
    metadata = read(head)
    assert (metadata.byline, metadata.site_name) == ("Jane Doe, John Roe", "Harbour Media")


# --- whole pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        ("wordpress-yoast-graph.html", "https://coastal.example/2024/07/tide-pools-summer/", Metadata(
            title="How Tide Pools Survive the Summer Heat",
            byline="Marina Okafor",
            published_time="2024-07-14T08:30:00+00:00",
            site_name="Coastal Review Media Ltd",
            lang="en-US",
            dir=None,
            lead_image_url="https://coastal.example/wp-content/uploads/2024/07/tidepool.jpg",
            canonical_url="https://coastal.example/2024/07/tide-pools-summer/",
            excerpt="Tide pools lose water and gain salt each summer afternoon.",
            description="Tide pools lose water and gain salt each summer afternoon.",
        )),
        ("news-no-declared-author.html", "https://news.example/2024/03/bridge", Metadata(
            title="City council approves the new harbour bridge plan",
            byline="Tomás Reyes, Ada Lindqvist",
            published_time="2024-03-03",
            site_name="Harbour Daily",
            dir="ltr",
            lead_image_url="https://cdn.news.example/assets/img/bridge.jpg",
        )),
    ],
    ids=["yoast-graph", "no-declared-author"],
)
def test_whole_pages(page: str, url: str, expected: Metadata) -> None:
    ctx = Context(url=url)
    assert read_metadata(parse_html((PAGES / page).read_bytes(), ctx), ctx) == expected


# --- corpus agreement --------------------------------------------------------------------------


def _agrees(expected: str | None, found: str | None) -> bool:
    """Agreement as the benchmark counts it: whitespace collapsed, case folded, null == null."""

    def norm(value: str | None) -> str | None:
        return " ".join(value.split()).casefold() or None if value else None

    return norm(expected) == norm(found)


@pytest.mark.slow
def test_agreement_with_reader_view_metadata(corpus: Path) -> None:
    pages = sorted(path for path in (corpus / "readability-test-pages").iterdir() if path.is_dir())
    titles = bylines = 0
    for page in pages:
        expected = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        ctx = Context(url="http://fakehost/test/page.html")
        found = read_metadata(parse_html((page / "source.html").read_bytes(), ctx), ctx)
        titles += _agrees(expected.get("title"), found.title)
        bylines += _agrees(clean_byline(expected.get("byline")), found.byline)
    assert titles / len(pages) >= 0.97
    assert bylines / len(pages) >= 0.90
