"""Structural rules: a bare link to another post, a teaser card for one, a box that opens with the author."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

from readerly.pipeline.strip_markup import Match
from readerly.pipeline.strip_stats import TextStats, first_text, text_pieces, visible_text
from readerly.rules import RULES, normalize_label

# Blocks an injected headline sits in between paragraphs (a WordPress post embed is a blockquote).
_HEADLINE_BLOCKS = frozenset({"p", "div", "blockquote"})
# A linked image or figure is content even when it links elsewhere.
_MEDIA = frozenset({"img", "picture", "figure", "video", "iframe", "svg"})
# Besides the link, a bullet or an arrow at most ("» ", " →").
MAX_UNLINKED_CHARS = 3
# Headlines have a few words; a lone linked word is a button, a long one a sentence of the article.
MIN_HEADLINE_WORDS = 4
MAX_HEADLINE_WORDS = 25
# Headlines carry no full stop; "Click here for the second half of the story." is a sentence.
_SENTENCE_END = re.compile(r"(?<!\.)\.$")
# Post addresses: a slug of three or more words ("/2024/05/night-buses-return/") or a numeric id.
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){2,}")
_NUMERIC_ID = re.compile(r"\d{5,}")


def match_linked_headline(element: lxml.html.HtmlElement, stats: TextStats, site: str | None) -> Match | None:
    """A paragraph whose whole text is one link to a post of the same site: an unlabelled injection."""
    if element.tag not in _HEADLINE_BLOCKS:
        return None
    chars = stats.chars.get(element, 0)
    if chars == 0 or chars - stats.links.get(element, 0) > MAX_UNLINKED_CHARS:
        return None
    anchors = [anchor for anchor in element.iter("a") if stats.chars.get(anchor, 0)]
    if len(anchors) != 1 or any(True for _ in element.iter(*_MEDIA)):
        return None
    text = visible_text(anchors[0]).strip()
    if not MIN_HEADLINE_WORDS <= len(text.split()) <= MAX_HEADLINE_WORDS or _SENTENCE_END.search(text):
        return None
    if not _is_post_of(anchors[0].get("href"), site):
        return None
    return Match("inline-related", "structure:linked-headline")


def site_host(url: str | None) -> str | None:
    """The host a page belongs to, without "www.", for telling its own links from others."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _is_post_of(href: str | None, site: str | None) -> bool:
    """Whether a link points to a post (slug or id path) on the page's own site."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return False
    parts = urlsplit(href.strip())
    host = parts.hostname.removeprefix("www.") if parts.hostname else None
    if host is not None and host != site:
        return False
    segments = [segment for segment in parts.path.split("/") if segment]
    return any(_SLUG.fullmatch(segment.rsplit(".", 1)[0]) or _NUMERIC_ID.search(segment) for segment in segments)


# A teaser card for another post: every link goes to that one post (a picture, a headline, "Read
# more") and its text is an excerpt cut off with an ellipsis right before the last link. Cards are
# small; the last link is a label of a few words.
MAX_CARD_CHARS = 600
MAX_MORE_LINK_WORDS = 4
_CARD_TAGS = frozenset({"div", "li", "p", "article", "aside", "section"})
_CUT_OFF = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\W*$")


def match_teaser_card(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A card pointing to one other post: its only link target, and an excerpt cut off with an ellipsis.

    The ellipsis comes right before a short last link ("…Read more"), or ends the card when a picture
    or headline links to the post twice over (the "Read more" may be gone already).
    """
    if element.tag not in _CARD_TAGS or not 0 < stats.chars.get(element, 0) <= MAX_CARD_CHARS:
        return None
    anchors = list(element.iter("a"))
    targets = {(a.get("href") or "").strip() for a in anchors}
    if len(targets) != 1 or not _is_link(next(iter(targets))):
        return None
    last = next((a for a in reversed(anchors) if stats.chars.get(a, 0)), None)
    if last is not None and len(visible_text(last).split()) <= MAX_MORE_LINK_WORDS \
            and _CUT_OFF.search(_text_before(element, last)):
        return Match("inline-related", "structure:teaser-card")
    if len(anchors) >= 2 and _CUT_OFF.search(visible_text(element)):
        return Match("inline-related", "structure:teaser-card")
    return None


def _is_link(href: str) -> bool:
    return bool(href) and not href.startswith(("#", "mailto:", "tel:", "javascript:"))


def _text_before(root: lxml.html.HtmlElement, stop: lxml.html.HtmlElement) -> str:
    """The visible text of `root` that comes before `stop` (its first piece is `stop`'s or inside it)."""
    parts: list[str] = []
    for piece, owner, _linked in text_pieces(root):
        if owner is stop or any(a is stop for a in owner.iterancestors()):
            break
        parts.append(piece)
    return " ".join("".join(parts).split())


# An author box: the author's name (as the metadata stage read it) and a short bio, nothing longer.
AUTHOR_BOX_MAX_CHARS = 700
# More than the name alone: a byline row ("Jane Doe · 12 May") is left to the other rules.
MIN_BIO_CHARS = 40
# Running text after the box means the box is inside the story (an interview opening with the name).
MAX_PROSE_AFTER = 100
_NAME_PREFIXES = ("", "about ", "by ", "written by ")


def match_author_box(element: lxml.html.HtmlElement, stats: TextStats, author: str) -> Match | None:
    """A small container whose first line is the article's author and that ends the story: a bio box."""
    if not author or element.tag not in RULES.container_tags:
        return None
    chars = stats.chars.get(element, 0)
    if not len(author) + MIN_BIO_CHARS <= chars <= AUTHOR_BOX_MAX_CHARS:
        return None
    first = first_text(element)
    if first is None or normalize_label(first[0]) not in {prefix + author for prefix in _NAME_PREFIXES}:
        return None
    if any(stats.prose(sibling) > MAX_PROSE_AFTER for sibling in element.itersiblings()):
        return None
    return Match("author-bio", "structure:author-box")
