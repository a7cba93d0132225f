"""Stage 7: the Article record and its outputs (JSON, reader page, Markdown, plain text)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import html_to_markdown
import jinja2
import lxml.etree
import lxml.html
from markupsafe import Markup

from readerly.article import Article
from readerly.errors import InvalidInput, NoArticle
from readerly.pipeline.context import Context
from readerly.pipeline.parse import html_parser
from readerly.pipeline.text_measure import CJK_CHARACTERS, count_matches
from readerly.pipeline.tidy import EMBED_CLASS

# Below this many words, an article that is only a sliver of its page is no article (DESIGN: no_article).
MIN_WORDS = 25
# Silent reading speed of adults: ~230 words a minute in alphabetic scripts, ~500 characters a
# minute in Chinese and Japanese, where every character counts as a word here.
WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 500
_CJK = re.compile(f"[{CJK_CHARACTERS}]")
_WORD = re.compile(f"[^\\W{CJK_CHARACTERS}]+")
_BLOCKS = frozenset({"p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "dl", "table",
                     "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr", "details", "summary",
                     "address", "caption"})
_LINE_BREAKS = frozenset({"br", "li", "tr", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"\s+")
# Where a decoded article keeps its JSON text: not a dataclass field, so equality, replace() and
# to_dict() ignore it, and replace() gives an article without it.
_JSON_ATTRIBUTE = "_readerly_json"
_FRAGMENT_PARSER = html_parser(huge_tree=True)
_PARAGRAPH_BREAK = "\x00"
_PRE_START = "\x01"

READER_CSS = resources.files("readerly").joinpath("static/reader.css").read_text(encoding="utf-8")
# The reader page runs no script at all: only its own stylesheet (pinned by hash) and images.
READER_CSP = (
    "default-src 'none'; img-src http: https: data:; media-src http: https:; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(READER_CSS.encode()).digest()).decode()}'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

# frame-ancestors is only honoured as a header; browsers warn when a <meta> policy carries it.
_META_CSP = READER_CSP.replace("; frame-ancestors 'none'", "")

FORMATS = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Rendered:
    """One output document and its media type."""

    body: str
    content_type: str


def build_article(safe_html: str, ctx: Context) -> Article:
    """Assemble the Article from the sanitized HTML and what the earlier stages found."""
    meta = ctx.metadata
    text, first_paragraph = _read_fragment(safe_html, need_excerpt=not meta.excerpt)
    words, cjk = count_matches(_WORD, text), count_matches(_CJK, text)
    if _nothing_readable(words + cjk, ctx.page_words):
        raise NoArticle("no readable article found on this page")
    minutes = math.ceil(words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE)
    return Article(
        url=ctx.url,
        canonical_url=meta.canonical_url,
        title=meta.title,
        byline=meta.byline,
        published_time=meta.published_time,
        site_name=meta.site_name,
        lang=meta.lang,
        dir=meta.dir,
        lead_image_url=meta.lead_image_url,
        excerpt=meta.excerpt or first_paragraph,
        content=safe_html,
        text=text,
        markdown=(html_to_markdown.convert(safe_html).content or "").strip(),
        word_count=words + cjk,
        reading_time_minutes=max(1, minutes),
        confidence=round(ctx.confidence, 2),
        removed=tuple(ctx.removed),
    )


def _read_fragment(safe_html: str, *, need_excerpt: bool) -> tuple[str, str | None]:
    """The plain text and first paragraph of the article; its tree is gone before Markdown is built.

    Parsed article and Markdown converter side by side were the peak of a 10 MiB page.
    """
    fragment = lxml.html.fragment_fromstring(safe_html or "<div></div>", create_parent="div", parser=_FRAGMENT_PARSER)
    return html_to_text(fragment), _first_paragraph(fragment) if need_excerpt else None


def _nothing_readable(words: int, page_words: int) -> bool:
    """No words at all, or a few while most of the page's text was judged not to be the article.

    A page that is itself only a few words (a short note) is shown as it is; a large page whose
    article would be a few words (a login wall, an app shell) is not an article.
    """
    return words == 0 or (words < MIN_WORDS and words * 2 < page_words)


def html_to_text(root: lxml.html.HtmlElement) -> str:
    """Plain text of an article: blocks become paragraphs split by blank lines, <pre> kept verbatim.

    The text is the author's words: link cards standing in for players are left out, like pictures.
    """
    parts: list[str] = []
    pre_depth = sum(1 for _ in root.iterancestors("pre"))  # <pre> elements around the current one
    walk = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start" and tag == "p" and element.get("class") == EMBED_CLASS:
            walk.skip_subtree()  # its "end" still comes: the paragraph break and the tail
            continue
        if event == "start":
            pre_depth += tag == "pre"
            if tag in _BLOCKS:
                parts.append(_PRE_START if tag == "pre" else _PARAGRAPH_BREAK)
            elif tag in _CELLS and element.getprevious() is not None:
                parts.append("\t")
            if element.text:
                parts.append(element.text if pre_depth else _squash(element.text))
            continue
        pre_depth -= tag == "pre"  # a tail belongs to the parent
        if tag in _BLOCKS:
            parts.append(_PARAGRAPH_BREAK)
        elif tag in _LINE_BREAKS:
            parts.append("\n")
        if element.tail and element is not root:
            parts.append(element.tail if pre_depth else _squash(element.tail))
    paragraphs = "".join(parts).replace(_PRE_START, _PARAGRAPH_BREAK + _PRE_START).split(_PARAGRAPH_BREAK)
    return "\n\n".join(p for p in map(_clean_paragraph, paragraphs) if p)


def _clean_paragraph(paragraph: str) -> str:
    if paragraph.startswith(_PRE_START):
        return paragraph[1:].strip("\n").rstrip()
    return "\n".join(line.strip() for line in paragraph.strip().split("\n") if line.strip())


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text)


def _first_paragraph(fragment: lxml.html.HtmlElement) -> str | None:
    for paragraph in fragment.iter("p"):
        text = " ".join(paragraph.text_content().split())
        if text:
            return text
    return None


def render_article(article: Article, fmt: str, *, theme: str | None = None) -> Rendered:
    """The one output entry point: format name -> document."""
    if fmt == "json":
        return Rendered(article_json(article), FORMATS["json"])
    if fmt == "html":
        return Rendered(_reader_page(article, theme), FORMATS["html"])
    if fmt == "markdown":
        return Rendered(_markdown_document(article), FORMATS["markdown"])
    if fmt == "text":
        return Rendered(article.text + "\n", FORMATS["text"])
    raise InvalidInput(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}", code="invalid_format")


def article_json(article: Article) -> str:
    """The JSON answer of an article; one read back from the cache carries it already."""
    cached = article.__dict__.get(_JSON_ATTRIBUTE)
    return cached if isinstance(cached, str) else json.dumps(article.to_dict(), ensure_ascii=False)


def keep_json(article: Article, text: str) -> Article:
    """Attach the JSON text an article was decoded from (the cache stores exactly article_json)."""
    object.__setattr__(article, _JSON_ATTRIBUTE, text)
    return article


def _markdown_document(article: Article) -> str:
    """Markdown with the title as a heading and a byline line, as a reader would save it."""
    head = [f"# {article.title}"] if article.title else []
    details = [d for d in (article.byline, article.site_name, article.published_time) if d]
    if details:
        head.append("*" + " · ".join(details) + "*")
    if article.url:
        head.append(f"<{article.url}>")
    return "\n\n".join([*head, article.markdown]) + "\n"


def _reader_page(article: Article, theme: str | None) -> str:
    url = article.url if article.url and urlsplit(article.url).scheme in ("http", "https") else None
    return _reader_template().render(
        article=article, css=Markup(READER_CSS), csp=Markup(_META_CSP), theme=theme, original_url=url
    )


@lru_cache(maxsize=1)
def _reader_template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("readerly", "templates"), autoescape=True, trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("reader.html")
