"""How sure we are that the extracted content is an article (0-1), from signals any page has.

An article is long, made of real paragraphs, has few links in its text, holds a good share of the
page's words, and is often marked up as one. Home pages, search results and login walls fail most
of these: their chosen block is short, link-heavy or a sliver of a large page. A section front whose
teasers carry summaries passes them all, so a list of posts (several linked headlines, a few lines
under each) has its score scaled down whatever else it shows.
"""

from __future__ import annotations

import lxml.html

from readerly.pipeline.text_measure import element_words, link_words

# Words at which length stops adding confidence: a short news item is ~300 words.
FULL_LENGTH_WORDS = 300
# Paragraphs of at least this many words count as running text.
PARAGRAPH_WORDS = 15
FULL_PARAGRAPHS = 5
# Link text above this share of the article makes it a list of links, not prose.
MAX_LINK_DENSITY = 0.5
# An article usually holds at least this share of the page's readable words.
FULL_PAGE_SHARE = 0.35
# Length counts words outside links: a list of headlines is long but says nothing itself.
WEIGHTS = {"length": 0.3, "paragraphs": 0.25, "links": 0.25, "share": 0.1, "markup": 0.1}

_PARAGRAPH_TAGS = ("p", "li", "blockquote", "dd")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A list of posts: at least this many headlines that are mostly a link, with fewer words than this per
# headline (a teaser's summary and byline). A product round-up links its headings too, but writes a
# section under each.
MIN_LISTING_HEADLINES = 4
MAX_WORDS_PER_TEASER = 80
LISTING_FACTOR = 0.5


def score_confidence(content: lxml.html.HtmlElement, page_words: int, marked_as_article: bool,
                     cjk: bool = False) -> float:
    """Weighted sum of the five signals, each scaled to 0-1 (`cjk`: words counted as on a Chinese page)."""
    words = element_words(content, cjk)
    if words == 0:
        return 0.0
    links = link_words(content, cjk)
    paragraphs = _running_paragraphs(content, FULL_PARAGRAPHS, cjk)
    signals = {
        "length": min(1.0, (words - links) / FULL_LENGTH_WORDS),
        "paragraphs": min(1.0, paragraphs / FULL_PARAGRAPHS),
        "links": max(0.0, 1.0 - (links / words) / MAX_LINK_DENSITY),
        "share": min(1.0, words / max(page_words, 1) / FULL_PAGE_SHARE),
        "markup": 1.0 if marked_as_article else 0.0,
    }
    score = sum(WEIGHTS[name] * value for name, value in signals.items())
    if _is_listing(content, words, cjk):
        score *= LISTING_FACTOR
    return round(score, 2)


def _is_listing(content: lxml.html.HtmlElement, words: int, cjk: bool) -> bool:
    """Several linked headlines with only a few lines each: teasers of other pages, not one article."""
    headlines = 0
    for heading in content.iterdescendants(*_HEADING_TAGS):
        heading_words = element_words(heading, cjk)
        if heading_words and _outward_link_words(heading, cjk) * 2 > heading_words:
            headlines += 1
    return headlines >= MIN_LISTING_HEADLINES and words < headlines * MAX_WORDS_PER_TEASER


def _outward_link_words(element: lxml.html.HtmlElement, cjk: bool) -> int:
    """Words in links to other pages: a heading that links to itself ("#section", <a name>) is an anchor."""
    words = 0
    for link in element.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith("#"):
            words += element_words(link, cjk)
    return words


def _running_paragraphs(content: lxml.html.HtmlElement, enough: int, cjk: bool) -> int:
    """Paragraphs of running text, counted up to `enough` (past it the signal is full anyway)."""
    count = 0
    for block in content.iterdescendants(*_PARAGRAPH_TAGS):
        if _is_running_text(block, cjk):
            count += 1
            if count == enough:
                break
    return count


def _is_running_text(block: lxml.html.HtmlElement, cjk: bool) -> bool:
    """A leaf block of prose: long enough and not mostly link text (teasers, result lists)."""
    if block.find(".//p") is not None:
        return False
    words = element_words(block, cjk)
    return words >= PARAGRAPH_WORDS and link_words(block, cjk) * 2 < words
