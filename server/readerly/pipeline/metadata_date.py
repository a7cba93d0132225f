"""The publication date: declared sources first, then dates printed in the article's own area."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from readerly.pipeline.metadata_area import in_article_area
from readerly.pipeline.metadata_jsonld import JsonLdFacts
from readerly.pipeline.metadata_scan import PageTags
from readerly.pipeline.metadata_values import clean_value, date_from_url, iso_datetime

# Meta keys for the publication date, most specific first (keys as metadata_scan.meta_key writes them).
_DATE_KEYS = ("article:published_time", "datepublished", "parsely-pub-date", "dc:date:issued",
              "dcterms:issued", "dc:date", "dcterms:date", "dcterms:created", "og:published_time",
              "article:published", "pubdate", "publishdate", "publish-date", "date", "sailthru:date")
# Microdata outside <meta>; walking attribute nodes is the cheapest whole-tree search libxml2 offers.
_ITEMPROP_DATE = lxml.etree.XPath("(//@itemprop[. = 'datePublished'])[1]/..")
# Elements themes print the date in ("entry-date", "post-date", "jeg_meta_date", "posted-on").
_DATED_CLASSES = lxml.etree.XPath(
    "//@class[contains(., 'date') or contains(., 'Date') or contains(., 'posted-on') or contains(., 'published')]/.."
)
# ... of which these name the article's own date, not "today" in a top bar or an update stamp.
_PUBLISHED_CLASS = re.compile(
    r"(?:post|entry|article|meta|publish(?:ed)?|story)[-_]?date|date[-_]?(?:published|posted)|posted-on|"
    r"(?:^|\s)(?:date|published)(?:\s|$)",
    re.IGNORECASE,
)
# Enough candidates for any real header; pages list hundreds of dated teasers further down.
_MAX_DATED = 50


def find_published_time(
    tree: lxml.html.HtmlElement, tags: PageTags, jsonld: JsonLdFacts, url: str | None
) -> str | None:
    """ISO 8601 publication date: JSON-LD, meta tags, microdata, <time>, a dated element, the URL."""
    declared = (jsonld.date_published, *(tags.metas.get(key) for key in _DATE_KEYS), tags.published_datetime)
    found = next((iso for iso in map(iso_datetime, declared) if iso), None)
    if found:
        return found
    microdata = _ITEMPROP_DATE(tree)
    if microdata:
        found = iso_datetime(_value(microdata[0]))
    in_page = next((time.get("datetime") for time in tags.times if in_article_area(time)), None)
    return (
        found
        or iso_datetime(in_page)
        or _printed_date(tree)
        or date_from_url(tags.links.get("canonical"))
        or date_from_url(url)
    )


def _printed_date(tree: lxml.html.HtmlElement) -> str | None:
    """A date written in an element whose class marks it as the article's date."""
    for element in _DATED_CLASSES(tree)[:_MAX_DATED]:
        if _PUBLISHED_CLASS.search(element.get("class", "")) and in_article_area(element):
            found = iso_datetime(_value(element))
            if found:
                return found
    return None


def _value(element: lxml.html.HtmlElement) -> str | None:
    """A machine-readable attribute when the element has one, else its text."""
    for name in ("datetime", "content"):
        value = element.get(name)
        if value:
            return str(value)
    return clean_value(" ".join(element.itertext()))
