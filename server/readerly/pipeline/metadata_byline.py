"""Bylines: cleaning author strings to bare names, and finding a byline element in the page.

Multiple authors are normalised to one comma-separated list ("A, B, C"): the conjunctions pages use
("and", "und", "et", "y", "&", ...) are language-specific, a comma is not, and JSON-LD author arrays
join the same way.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from readerly.pipeline.metadata_area import in_article_area
from readerly.pipeline.metadata_values import clean_value

# "By", "Written by", "Von", "Por", "Par", "Door", "Przez", "Автор:", "Author:" ... at the start.
_PREFIX = re.compile(
    r"^(?:(?:(?:written|posted|published|reported|story|text|words|article)\s+by|about\s+the\s+author|"
    r"by|von|por|par|door|"
    r"przez|auteur|autor|autore|author|authors|texto|text|escrito\s+por|écrit\s+par|"
    r"scritto\s+da|geschrieben\s+von|автор|авторы|作者)\b\s*[:：]?\s*)+",
    re.IGNORECASE,
)
# Short lower-case prefixes ("di Mario Rossi", "av Ola Nordmann") that would also be surnames
# ("Di Caprio") if capitalised, so they are matched case-sensitively.
_LOWER_PREFIX = re.compile(r"^(?:di|da|av|af|od)\s+(?=\w)")
# Where the name ends and dates or status notes begin: a pipe or bullet, or an update/publish label.
_TAIL = re.compile(
    r"\s*(?:[|•·]|\b(?:updated|last\s+updated|published|posted|edited\s+by|aktualisiert|"
    r"veröffentlicht|actualizado|publicado|mis\s+à\s+jour|publié|aggiornato|pubblicato)\b).*$",
    re.IGNORECASE,
)
# A date ("22 Dec 2016", "April 28, 2019", "2019-04-28", "28.04.2019", "6:01 am") and anything after
# it; allowed to touch the name ("Nolan22 Dec 2016") because some templates print them unspaced.
_DATE_TAIL = re.compile(
    r"(?:\s+(?:on|am|le|el|il|em|op)\b)?[\s,]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:"
    r"\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}|\b\d{1,2}:\d{2}\s*(?:am|pm)?\b"
    r").*$",
    re.IGNORECASE,
)
# Links and e-mail addresses printed next to a name add nothing to it.
_URL_OR_EMAIL = re.compile(r"\(?\s*(?:https?://|www\.)\S+\s*\)?|\S+@\S+\.\w+")
# "A (with B and C)" credits co-authors; written as a plain list.
_WITH = re.compile(r"\s*[(\[]\s*(?:with|avec|mit|con|com|met)\s+([^)\]]+)[)\]]", re.IGNORECASE)
# Conjunctions joining names; only applied when every part looks like a full name (two words or
# more), so "Mac & i" or "Tom and Jerry" stay whole. One-letter ones only in lower case, so a
# middle initial ("John E Smith") is never taken for "e" (and).
_CONJUNCTION = re.compile(
    r"\s+(?:(?i:and|und|et|en|og|och|oraz|ve)|&|и|e|y|i)\s+|\s*[;,]\s*(?:(?i:and)\s+)?"
)
# A part of the credit that is a job title, not a name ("Jane Doe, Staff Writer").
_ROLE = re.compile(
    r"^(?:(?:senior|staff|chief|contributing|special|political|science|sports|tech|technology|business|"
    r"news|deputy|managing|associate|executive|guest|foreign|digital|freelance|health|travel|food)\s+)*"
    r"(?:writer|editor|reporter|correspondent|contributor|columnist|journalist|producer|analyst|"
    r"redakteur(?:in)?|korrespondent(?:in)?|redactor(?:a)?|periodista|journaliste|rédacteur|rédactrice)s?$",
    re.IGNORECASE,
)
_COMMA = re.compile(r"\s*[;,]\s*")
# Labels that are not names at all ("Follow Author", "Staff") once prefixes are gone.
_NOT_NAMES = frozenset(
    {"", "follow", "follow author", "author", "authors", "by", "admin", "more", "view all posts",
     "more from author", "see all", "anonymous", "unknown"}
)
_EDGE_PUNCTUATION = " \t,;:|-–—·•/()[]"


def clean_byline(text: str | None) -> str | None:
    """An author credit reduced to its names: no "By", dates, update notes, links; "A, B, C"."""
    value = clean_value(text)
    if value is None:
        return None
    value = _URL_OR_EMAIL.sub(" ", value)
    value = _WITH.sub(r", \1", value)
    value = _strip_prefix(value)
    value = _TAIL.sub("", value)
    value = _DATE_TAIL.sub("", value)
    value = value.strip(_EDGE_PUNCTUATION)
    value = _strip_prefix(value).strip(_EDGE_PUNCTUATION)
    names = [name for name in _split_names(value) if not _ROLE.match(name)]
    result = ", ".join(dict.fromkeys(names))
    return None if result.lower() in _NOT_NAMES else result


def _strip_prefix(value: str) -> str:
    return _LOWER_PREFIX.sub("", _PREFIX.sub("", value.strip(_EDGE_PUNCTUATION)))


def _split_names(value: str) -> list[str]:
    """Names split on conjunctions when each part is a full name, otherwise on commas only."""
    parts = [part.strip(_EDGE_PUNCTUATION) for part in _CONJUNCTION.split(value)]
    parts = [part for part in parts if part]
    if len(parts) > 1 and all(len(part.split()) >= 2 for part in parts):
        return parts
    return [part for part in (p.strip(_EDGE_PUNCTUATION) for p in _COMMA.split(value)) if part]


# Elements that name the author: rel=author links, microdata, and the class/id words bylines use.
# Written over attribute nodes with case-tolerant fragments ("uthor" for author/Author) because
# that is several times faster in libxml2 than translate() over every element.
_CANDIDATES = lxml.etree.XPath(
    "//@class[contains(., 'uthor') or contains(., 'yline') or contains(., 'ateline')]/.."
    " | //@id[contains(., 'uthor') or contains(., 'yline')]/.."
    " | //@rel[contains(., 'author')]/.. | //@itemprop[contains(., 'author') or contains(., 'creator')]/.."
)
# The XPath above finds "author" anywhere; this drops look-alikes such as "authorization".
_BYLINE_MARK = re.compile(r"byline|dateline|author(?!i[sz]ation|ity)", re.IGNORECASE)
_ITEMPROP_NAME = lxml.etree.XPath(".//*[@itemprop='name']")
_LINKS = lxml.etree.XPath(".//a[@href]")
# Pages with hundreds of comment authors need not be walked to the end: the article's byline comes
# early in the document.
_MAX_CANDIDATES = 200
# A byline element longer than this is a bio or a paragraph that happens to carry an author class.
_MAX_BYLINE_CHARS = 100


def find_dom_byline(tree: lxml.html.HtmlElement) -> str | None:
    """The first visible byline element outside comments and page chrome, cleaned."""
    for element in _CANDIDATES(tree)[:_MAX_CANDIDATES]:
        marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('rel', '')}"
        itemprop = element.get("itemprop", "")
        if not _BYLINE_MARK.search(marks) and "author" not in itemprop and "creator" not in itemprop:
            continue
        if not in_article_area(element):
            continue
        # Pieces are joined with spaces: templates often set name, role and date in adjacent spans.
        text = clean_value(" ".join(element.itertext()))
        if text is None or len(text) >= _MAX_BYLINE_CHARS:
            continue
        byline = _marked_names(element, clean_byline(text))
        if byline:
            return byline
    return None


def _marked_names(element: lxml.html.HtmlElement, byline: str | None) -> str | None:
    """The names alone when markup sets them apart from a trailing role ("Jane Doe Games Editor")."""
    names = _ITEMPROP_NAME(element)
    if names:
        return clean_byline(names[0].text_content()) or byline
    links = [clean_byline(link.text_content()) for link in _LINKS(element)]
    if not byline or not links or not all(links):
        return byline
    linked = ", ".join(name for name in links if name)
    return linked if byline.startswith(linked + " ") else byline
