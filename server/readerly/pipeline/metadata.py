"""Stage 2: page-level metadata read from the whole document, before anything is removed.

Each field is taken from the first source that has it, most explicit first: JSON-LD, then <meta>
tags (Dublin Core, OpenGraph, Twitter, plain names, microdata), then the markup itself. The page is
walked once for the tags that carry metadata; the costlier searches of the whole tree (byline
elements, microdata) run only when the declared sources have nothing.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from readerly.article import Metadata
from readerly.pipeline.context import Context
from readerly.pipeline.metadata_byline import clean_byline, find_dom_byline
from readerly.pipeline.metadata_date import find_published_time
from readerly.pipeline.metadata_jsonld import JsonLdFacts, read_jsonld
from readerly.pipeline.metadata_scan import PageTags, scan_page
from readerly.pipeline.metadata_title import strip_site_name, text_similarity, title_from_document
from readerly.pipeline.metadata_values import absolute_url, clean_value

# Meta keys per field, most specific first; keys are normalised by metadata_scan.meta_key.
_TITLE_KEYS = ("dc:title", "dcterms:title", "og:title", "weibo:article:title", "weibo:webpage:title",
               "title", "twitter:title", "parsely-title")
_AUTHOR_KEYS = ("dc:creator", "dcterms:creator", "author", "parsely-author", "article:author_name",
                "sailthru:author")
# OpenGraph means article:author to be a profile URL; when it holds a name it is often a default
# (a section's editor), so it is trusted less than the page's own byline element.
_FALLBACK_AUTHOR_KEYS = ("article:author",)
_DESCRIPTION_KEYS = ("dc:description", "dcterms:description", "og:description",
                     "weibo:article:description", "weibo:webpage:description", "description",
                     "twitter:description")
_SITE_KEYS = ("og:site_name",)
# The name a site gives its web app; the last resort for a site name since it may be a product's.
_APP_NAME_KEYS = ("application-name",)
_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src",
               "image", "thumbnailurl", "parsely-image-url")
_LANG_KEYS = ("content-language", "language", "dc:language", "dcterms:language", "inlanguage")
# A BCP 47 language tag ("en", "pt-BR", "zh-Hant-TW"); template leftovers like "{{lang}}" are not.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# A value that is a link, not a name (article:author is meant to hold a profile URL).
_URL_VALUE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
# How a headline cut short for search results ends.
_ELLIPSES = ("…", "...")
# A JSON-LD name this similar to the <title> is taken to be the page's headline.
_SIMILAR_TITLE = 0.75
# Microdata outside <meta>; walking attribute nodes is the cheapest whole-tree search libxml2 offers.
_ITEMPROP = lxml.etree.XPath("(//@itemprop[. = $prop])[1]/..")
# Where an element keeps its microdata value, by kind of element; the text is the last resort.
_VALUE_ATTRIBUTES = ("content", "datetime", "src", "href")


def read_metadata(tree: lxml.html.HtmlElement, ctx: Context) -> Metadata:
    """Every page-level fact the reader view shows, read from the untouched page."""
    tags = scan_page(tree)
    metas = tags.metas
    jsonld = read_jsonld(tags.jsonld)
    base = _base_url(tags, ctx.url)
    description = jsonld.description or _first(metas, _DESCRIPTION_KEYS)
    site_names = [name for name in (jsonld.publisher, _first(metas, _SITE_KEYS), jsonld.website,
                                    _first(metas, _APP_NAME_KEYS)) if name]
    title = _title(tree, tags, jsonld, site_names)
    return Metadata(
        title=title,
        byline=_byline(tree, metas, jsonld),
        published_time=find_published_time(tree, tags, jsonld, ctx.url),
        site_name=site_names[0] if site_names else None,
        lang=_lang(tree, metas),
        dir=_direction(tree, tags),
        lead_image_url=_lead_image(tree, tags, jsonld, base),
        canonical_url=absolute_url(tags.links.get("canonical"), base)
        or absolute_url(metas.get("og:url"), base),
        excerpt=description,
        description=description,
        article_body=jsonld.article_body,
    )


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The value of the first key present, keys being listed most trusted first."""
    return next((values[key] for key in keys if key in values), None)


def _title(
    tree: lxml.html.HtmlElement, tags: PageTags, jsonld: JsonLdFacts, site_names: list[str]
) -> str | None:
    """JSON-LD, then meta titles, then <title> with site names cut, then a microdata headline."""
    meta_title = _first(tags.metas, _TITLE_KEYS)
    declared = _jsonld_title(tags, jsonld)
    if declared and meta_title and declared.endswith(_ELLIPSES):
        # Headlines are often cut to fit search-result limits in JSON-LD but given whole in meta tags.
        stem = declared.rstrip(".…").rstrip()
        declared = meta_title if meta_title.startswith(stem) else declared
    return (
        declared
        or meta_title
        or _document_title(tags, site_names)
        or _microdata(tree, "headline", text=True)
    )


def _jsonld_title(tags: PageTags, jsonld: JsonLdFacts) -> str | None:
    """The JSON-LD name or headline, whichever is the article's title rather than the site's."""
    if jsonld.name and jsonld.headline and jsonld.name != jsonld.headline:
        # Some pages put the site's name in "name"; keep whichever resembles the document title.
        document_title = title_from_document(tags.title, tags.headings, tags.h1s) or ""
        name_like = text_similarity(jsonld.name, document_title) > _SIMILAR_TITLE
        headline_like = text_similarity(jsonld.headline, document_title) > _SIMILAR_TITLE
        return jsonld.headline if headline_like and not name_like else jsonld.name
    return jsonld.name or jsonld.headline


def _document_title(tags: PageTags, site_names: list[str]) -> str | None:
    """The <title>, cut like a reader view cuts it, and without the page's own site name."""
    title = title_from_document(tags.title, tags.headings, tags.h1s)
    return strip_site_name(title, site_names) if title else None


def _byline(tree: lxml.html.HtmlElement, metas: dict[str, str], jsonld: JsonLdFacts) -> str | None:
    """Declared authors first; the page's byline element when none is declared."""
    declared = clean_byline(", ".join(jsonld.authors)) if jsonld.authors else None
    return (
        declared
        or _meta_byline(metas, _AUTHOR_KEYS)
        or find_dom_byline(tree)
        or _meta_byline(metas, _FALLBACK_AUTHOR_KEYS)
    )


def _meta_byline(metas: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The first of these meta values that is a name once cleaned (profile URLs are not)."""
    for key in keys:
        value = metas.get(key)
        if value and not _URL_VALUE.match(value):
            cleaned = clean_byline(value)
            if cleaned:
                return cleaned
    return None


def _lang(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    """<html lang>, then a declared content language (meta, Dublin Core, inLanguage).

    og:locale is not read: it is the social card's locale, often a site-wide CMS default ("en_US" on
    pages in other languages), and a wrong lang is worse than none (screen readers pick their voice
    and browsers their hyphenation from it).
    """
    candidates = (tree.get("lang"), tree.get("xml:lang"), *(metas.get(key) for key in _LANG_KEYS))
    for candidate in candidates:
        # A content-language header may list several languages; the first is the page's own.
        value = (candidate or "").split(",")[0].strip().replace("_", "-")
        if _LANGUAGE_TAG.match(value):
            return value
    return None


def _direction(tree: lxml.html.HtmlElement, tags: PageTags) -> str | None:
    """The direction nearest the content: the main region's, else <body>'s, else <html>'s."""
    region = tags.region_dirs[0] if len(tags.region_dirs) == 1 else None
    value = (region or tags.body_dir or tree.get("dir") or "").strip().lower()
    return value if value in ("ltr", "rtl") else None


def _base_url(tags: PageTags, url: str | None) -> str | None:
    """The page URL, moved by <base href> when that resolves to an absolute web URL."""
    base = absolute_url(tags.base_href, url) if tags.base_href else None
    return base if base and "://" in base else url


def _lead_image(
    tree: lxml.html.HtmlElement, tags: PageTags, jsonld: JsonLdFacts, base: str | None
) -> str | None:
    """og:image and friends, the JSON-LD image, rel=image_src, then a microdata image."""
    declared = (*(tags.metas.get(key) for key in _IMAGE_KEYS), jsonld.image, tags.links.get("image_src"))
    found = next((url for url in (absolute_url(value, base) for value in declared) if url), None)
    if found:
        return found
    return absolute_url(_microdata(tree, "image", text=False), base)


def _microdata(tree: lxml.html.HtmlElement, prop: str, *, text: bool) -> str | None:
    """The value of the first element with this itemprop: its value attribute, or its text."""
    found = _ITEMPROP(tree, prop=prop)
    if not found:
        return None
    element = found[0]
    value = next((element.get(name) for name in _VALUE_ATTRIBUTES if element.get(name)), None)
    return clean_value(value if value is not None or not text else element.text_content())
