"""Reading an element's visible text, its statistics (one bottom-up pass) and the content to protect."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

# Elements whose text a reader never sees.
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
# libxml2 serialises text in C; only elements holding script or style need the walk that skips them.
_HAS_INVISIBLE = lxml.etree.XPath("boolean(.//script | .//style | .//noscript | .//template)")
# Elements that flow inside a line: their text belongs to the block around them.
INLINE_TAGS = frozenset({"b", "strong", "i", "em", "span", "small", "font", "code", "sup", "sub", "u",
                          "mark", "abbr", "cite", "q", "time", "br", "img", "label", "s", "del", "ins",
                          "kbd", "var", "samp", "big", "tt", "bdi", "bdo", "wbr", "data", "dfn"})
# A block's running text also counts for its parent and half for its grandparent, so an article split
# into <section>s or <div>s still names its common container (the readability heuristic, simplified).
_GRANDPARENT_SHARE = 0.5


def visible_chars(text: str | None) -> int:
    """Characters of a text other than whitespace: markup indentation must not count as content."""
    if not text or text.isspace():
        return 0
    return sum(map(len, text.split()))


@dataclass
class TextStats:
    """Per-element counts of visible characters (all text, text inside links) and what to protect."""

    chars: dict[lxml.html.HtmlElement, int] = field(default_factory=dict)
    links: dict[lxml.html.HtmlElement, int] = field(default_factory=dict)
    # The block holding most of the running text, with all its ancestors: never removed.
    protected: set[lxml.html.HtmlElement] = field(default_factory=set)
    # Elements that contain an <h1>: the article's own header is never a labelled block.
    headline_holders: set[lxml.html.HtmlElement] = field(default_factory=set)

    def link_ratio(self, element: lxml.html.HtmlElement) -> float:
        """Share of an element's text that sits inside links."""
        total = self.chars.get(element, 0)
        return self.links.get(element, 0) / total if total else 0.0

    def prose(self, element: lxml.html.HtmlElement) -> int:
        """Visible characters outside links: what a reader reads rather than clicks."""
        return self.chars.get(element, 0) - self.links.get(element, 0)


def measure(root: lxml.html.HtmlElement) -> TextStats:
    """Count text bottom-up (children before parents) and find the running-text block to protect."""
    stats = TextStats()
    all_chars, all_links = stats.chars, stats.links  # local names: this loop visits every element
    running: dict[lxml.html.HtmlElement, int] = {}
    scores: dict[lxml.html.HtmlElement, float] = {}
    for element in reversed(list(root.iter())):
        tag = element.tag
        if not isinstance(tag, str) or tag in INVISIBLE_TAGS:
            all_chars[element] = all_links[element] = 0
            continue
        text = element.text
        own = chars = sum(map(len, text.split())) if text and not text.isspace() else 0
        links = 0
        for child in element:
            tail = child.tail
            tail_chars = sum(map(len, tail.split())) if tail and not tail.isspace() else 0
            chars += all_chars[child] + tail_chars
            links += all_links[child]
            own += tail_chars
            if running:
                own += running.pop(child, 0)
        if tag == "a":
            links = chars
            own = 0
        all_chars[element], all_links[element] = chars, links
        if tag in INLINE_TAGS:
            running[element] = own
        elif own:
            _credit_block(element, own, scores)
        if tag == "h1":
            stats.headline_holders.update(element.iterancestors())
    if scores:
        best = max(scores, key=scores.__getitem__)
        stats.protected = {best, *best.iterancestors()}
    stats.protected.add(root)
    return stats


def _credit_block(block: lxml.html.HtmlElement, own: int, scores: dict[lxml.html.HtmlElement, float]) -> None:
    """A block's own running text scores for itself, its parent and, halved, its grandparent."""
    scores[block] = scores.get(block, 0.0) + own
    parent = block.getparent()
    if parent is None:
        return
    scores[parent] = scores.get(parent, 0.0) + own
    grandparent = parent.getparent()
    if grandparent is not None:
        scores[grandparent] = scores.get(grandparent, 0.0) + own * _GRANDPARENT_SHARE


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Text a reader sees in an element (no script or style), in document order."""
    if not len(element):
        return element.text or ""
    if not _HAS_INVISIBLE(element):
        return str(lxml.etree.tostring(element, method="text", encoding="unicode", with_tail=False))
    return "".join(piece for piece, _owner, _link in text_pieces(element))


def first_text(element: lxml.html.HtmlElement) -> tuple[str, lxml.html.HtmlElement] | None:
    """The first piece of visible text in an element and the element holding it (a lazy walk: it stops
    at the first piece, so a large container costs no more than a small one)."""
    for piece, owner, _linked in text_pieces(element):
        if not piece.isspace():
            return piece, owner
    return None


def display_text(element: lxml.html.HtmlElement, limit: int) -> str:
    """Visible text with a space between pieces ("Related Title", not "RelatedTitle"), read only as far
    as `limit` characters: a removal is reported by its opening words, however large the element."""
    words: list[str] = []
    length = 0
    for piece, _owner, _linked in text_pieces(element):
        for word in piece.split():
            words.append(word)
            length += len(word) + 1
        if length > limit:
            break
    return " ".join(words)


def text_pieces(element: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement, bool]]:
    """Visible text pieces in document order with the element holding each and whether it is linked."""
    walker = lxml.etree.iterwalk(element, events=("start", "end"))
    open_links = 0
    for event, node in walker:
        invisible = not isinstance(node.tag, str) or node.tag in INVISIBLE_TAGS
        if event == "start":
            if invisible:
                walker.skip_subtree()
                continue
            open_links += node.tag == "a"
            if node.text:
                yield node.text, node, open_links > 0
            continue
        if not invisible and node.tag == "a":
            open_links -= 1
        if node is not element and node.tail:
            yield node.tail, node.getparent(), open_links > 0
