"""Label rules: what an element is by a label text (alone, leading links, titling a block)."""

from __future__ import annotations

from types import MappingProxyType

import lxml.html

from readerly.pipeline.strip_markup import Match
from readerly.pipeline.strip_stats import (
    INLINE_TAGS,
    INVISIBLE_TAGS,
    TextStats,
    first_text,
    text_pieces,
    visible_chars,
    visible_text,
)
from readerly.rules import RULES, normalize_label

# Cells, items and rows are judged as part of their table or list: a lone "Ad" in a cell is data.
_NOT_ALONE_TAGS = frozenset({"a", "td", "th", "tr", "li", "dt", "dd", "option", "caption", "tbody", "thead"})
# Blocks of running text: an inline element inside one is part of a sentence, not a label of its own.
_RUNNING_TEXT_TAGS = frozenset({"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                                "blockquote", "figcaption", "caption", "pre", "label"})
# Label rules only read short texts: an injected box or a widget title is never long, and reading the
# text of large containers would make the pass slow.
ALONE_MAX_CHARS = 400
LEAD_MAX_CHARS = 1200
LABEL_MAX_CHARS = 80
# After a leading label, links must make up at least this share of the rest: "Read also: <a>…</a>"
# passes, "Read more about the ruling in <a>our explainer</a> and …" does not.
LEAD_LINK_RATIO = 0.5
# A labelled box may carry a teaser: "Read also" + linked headline + a two-line excerpt. In a box of
# its own (not a paragraph) and short, a quarter of link text is enough.
_BOX_TAGS = frozenset({"div", "aside", "section", "figure"})
TEASER_MAX_CHARS = 400
TEASER_LINK_RATIO = 0.25
# What a title alone on its line takes with it, as (least link share, most characters each, how many):
# lists of links by default; under a related-posts or widget title, cards whose linked headline is a
# sixth of a two-line excerpt too; an author's bio or a sign-up pitch is one short block, whatever its
# links.
_LINK_LISTS = (0.6, LEAD_MAX_CHARS, 3)
_FOLLOWERS = MappingProxyType({
    "related-block": (0.15, LEAD_MAX_CHARS, 3),
    "widgets": (0.15, LEAD_MAX_CHARS, 3),
    "author-bio": (0.0, TEASER_MAX_CHARS, 1),
    "newsletter": (0.0, TEASER_MAX_CHARS, 1),
})
# Some link text must follow a label: a lone "Read more" is not a box of links.
MIN_LINKED_CHARS = 6
# An injected "See also" box points to one or a few posts; a labelled list of many links is a section
# of the article (an encyclopaedia's "See also") or a related block with its own markup rules.
FEW_LINK_KINDS = frozenset({"inline-related"})
MAX_INJECTED_LINKS = 4
# A label inside one of these, next to a link, is a list entry (a footnote, a reference), not a box.
_ITEM_TAGS = frozenset({"li", "td", "th", "dd", "dt"})
# The compiled matchers of each mode, looked up once.
_ALONE, _LEAD, _TITLE = RULES.labels["alone"], RULES.labels["lead"], RULES.labels["title"]


def match_label(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """Kind of an element by its label text: alone, leading a block of links, or titling a container."""
    chars = stats.chars.get(element, 0)
    tag = str(element.tag)
    if chars == 0 or tag == "a":
        return None
    if chars <= ALONE_MAX_CHARS and tag not in _NOT_ALONE_TAGS and _stands_alone(element, chars, stats):
        rule = _ALONE.match(normalize_label(visible_text(element)))
        if rule is not None:
            return Match(rule.kind, rule.rule)
    if tag in RULES.block_tags and chars <= LEAD_MAX_CHARS and stats.links.get(element, 0) >= MIN_LINKED_CHARS:
        found = _match_lead(element, stats)
        if found is not None:
            return found
    if tag in RULES.heading_tags and chars <= LABEL_MAX_CHARS and element.getnext() is not None:
        found = _match_label_line(element, stats)
        if found is not None:
            return found
    return _match_title(element, stats) if tag in RULES.container_tags and len(element) else None


def _stands_alone(element: lxml.html.HtmlElement, chars: int, stats: TextStats) -> bool:
    """Whether the text is a line of its own not yet tested: inline text inside a sentence is not, and
    when the parent has exactly this text the parent already stood for it (the walk is top-down)."""
    parent = element.getparent()
    if parent is None:
        return True
    if stats.chars.get(parent, 0) == chars:
        return False
    block = parent
    while element.tag in INLINE_TAGS and block is not None and (block.tag in INLINE_TAGS or block.tag == "a"):
        block = block.getparent()
    return not (element.tag in INLINE_TAGS and block is not None and block.tag in _RUNNING_TEXT_TAGS)


def _match_lead(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A label before the first link (or opening the first link, after any arrow, up to a colon: "←
    Previous: …", "Read more: …"), with links making up the rest."""
    prefix: list[str] = []
    prefix_chars = 0
    label_owner: lxml.html.HtmlElement | None = None
    first_link_piece = ""
    for piece, owner, linked in text_pieces(element):
        if piece.strip() and label_owner is None:
            label_owner = owner
        if linked:
            if any(char.isalnum() for char in piece):  # an arrow or bullet before the words is no label
                first_link_piece = piece
                break
            continue
        prefix.append(piece)
        prefix_chars += visible_chars(piece)  # characters other than whitespace add up across pieces
        if prefix_chars > LABEL_MAX_CHARS:
            return None
    label = "".join(prefix)
    in_link = not label.strip()
    if in_link:
        label = first_link_piece
        rule = _LEAD.match(normalize_label(label))
        if rule is None and ":" in label:  # "Read more: Headline" as one link text
            label = label.split(":", 1)[0]
            rule = _LEAD.match(normalize_label(label))
    else:
        rule = _LEAD.match(normalize_label(label))
    if rule is None or label_owner is None or _inside_linked_item(label_owner, element, stats):
        return None
    label_chars = visible_chars(label)
    rest = stats.chars[element] - label_chars
    linked_rest = stats.links[element] - (label_chars if in_link else 0)
    needed = TEASER_LINK_RATIO if element.tag in _BOX_TAGS and rest <= TEASER_MAX_CHARS else LEAD_LINK_RATIO
    if linked_rest < MIN_LINKED_CHARS or linked_rest < needed * rest:
        return None
    if rule.kind in FEW_LINK_KINDS and len(_link_targets(element)) > MAX_INJECTED_LINKS:
        return None
    return Match(rule.kind, rule.rule)


def _inside_linked_item(owner: lxml.html.HtmlElement, element: lxml.html.HtmlElement,
                        stats: TextStats) -> bool:
    """Whether the label shares a list item or cell with a link: a footnote's "See also <a>…</a>"."""
    node: lxml.html.HtmlElement | None = owner
    while node is not None and node is not element.getparent():
        if node.tag in _ITEM_TAGS:
            return stats.links.get(node, 0) > 0
        node = node.getparent()
    return False


def _link_targets(element: lxml.html.HtmlElement) -> set[str]:
    return {link.get("href") or "" for link in element.iter("a")}


def _match_label_line(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A title on its own line ("Related Posts:", "About the author") and the siblings it heads."""
    if visible_chars(element.tail):
        return None
    rule = _TITLE.match(normalize_label(visible_text(element)))
    if rule is None:
        return None
    min_ratio, max_chars, max_count = _FOLLOWERS.get(rule.kind, _LINK_LISTS)
    followers: list[lxml.html.HtmlElement] = []
    sibling = element.getnext()
    while sibling is not None and len(followers) < max_count:
        if isinstance(sibling.tag, str) and sibling.tag not in INVISIBLE_TAGS:
            chars = stats.chars.get(sibling, 0)
            if not 0 < chars <= max_chars or stats.link_ratio(sibling) < min_ratio:
                break
            followers.append(sibling)
        if visible_chars(sibling.tail):
            break
        sibling = sibling.getnext()
    return Match(rule.kind, rule.rule, tuple(followers)) if followers else None


def _match_title(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A container whose first line of text is a title label: the whole container is that block."""
    first = first_text(element)
    if first is None:
        return None
    piece, owner = first
    line = visible_text(owner) if stats.chars.get(owner, 0) <= LABEL_MAX_CHARS else piece
    rule = _TITLE.match(normalize_label(line))
    if rule is None and line is not piece:
        rule = _TITLE.match(normalize_label(piece))
    return Match(rule.kind, rule.rule) if rule is not None else None
