"""Recover what readability-lxml dropped from the page's own article container.

readability-lxml picks one node and its close siblings; articles whose intro, captions or later
sections sit elsewhere in the container lose them. When the page marks a container (<article>,
articleBody, <main>, a content class) that holds nearly all of readability's choice, the container
is taken instead, minus every block that readability left out *and* that does not read like article
text (link lists, short fragments, forms). Blocks readability kept are always kept. Containers are
tried smallest first; a larger one is tried when a smaller one has nothing to add.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from readerly.pipeline.text_measure import collapse_spaces, count_words, element_words, link_words

# The container must hold this share of readability's words to be the same article.
MIN_COVERAGE = 0.85
# ...and be at most this many times larger, or it is the page rather than the article.
MAX_GROWTH = 3.0
# A recovered paragraph needs this many words and at most this share of link text.
MIN_PARAGRAPH_WORDS = 8
MAX_LINK_DENSITY = 0.25
# An annotated list item (a link and a sentence about it) may be up to half link text.
MAX_ANNOTATED_LINK_DENSITY = 0.5
# Before readability's first block only lead paragraphs are recovered, and after its last only the
# notes its text cites: an article's end is where calls to action, reader comments and related links sit.
MIN_LEAD_WORDS = 15
# Captions of figures readability dropped with the figure, and the title, are not recovered as text;
# a caption comes back only with its picture (_captions_picture).
_NEVER_RECOVERED = frozenset({"figcaption", "caption", "h1"})
# A caption recovered with its picture: a sentence or two and a credit, not a gallery's text.
MAX_CAPTION_WORDS = 80
_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
# Class and id words of blocks that are about the article rather than part of it; readability
# leaves them out on purpose, so they are not brought back.
_NOT_PROSE = re.compile(
    r"byline|author|dateline|signature|timestamp|\bdate|\bmeta\b|credit|caption|footnote|promo|related|"
    r"share|social|sponsor|newsletter|subscribe|comment|teaser|\bad\b|advert|cta|disclaimer|copyright|"
    r"interactive|chart|graphic",
    re.IGNORECASE,
)
# A heading inside the article span is recovered when article text follows it within this many
# blocks: readability-lxml drops headings whose id or class sounds negative ("related-reading").
MAX_SUBHEAD_WORDS = 15
HEADING_LOOKAHEAD = 2

_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "figcaption",
                         "td", "th", "dd", "dt", "caption"})
# Content that is not a text block but stays where it stands (the tidy stage drops empty ones).
_STANDALONE = ("img", "picture", "video", "figure", "table", "math", "pre")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPH_LIKE = frozenset({"p", "blockquote", "dd", "figcaption", "caption"})
_CONTROLS = lxml.etree.XPath(".//form | .//button | .//input | .//select | .//textarea | .//nav | .//script"
                             " | .//style | .//noscript | .//template")
# Shorter blocks are matched against readability's blocks whole, never as part of its text.
MIN_FRAGMENT_WORDS = 3
# The text of a footnote reference: a number or short code, bracketed or not ("3", "[12]", "[n 1]",
# "(4)", "[a]"), or a printer's mark. Links of other shapes ("#comments", "1 History") are not followed.
_FOOTNOTE_MARK = re.compile(
    r"[\[(]?(?:[A-Za-z]{1,3}\s?)?\d{1,4}[\])]?|[\[(][A-Za-z]{1,2}[\])]|[*\u2020\u2021\u00a7\u00b6]{1,3}"
)


def merge_with_container(article: lxml.html.HtmlElement, containers: list[lxml.html.HtmlElement]
                         ) -> lxml.html.HtmlElement | None:
    """The best-matching container with readability's omissions judged block by block, or None."""
    article_text = _norm(article.text_content())
    article_words = count_words(article_text)
    if not article_words:
        return None
    # Most blocks come back whole: a set lookup first, the substring search only for the rest.
    article_blocks = {_norm(b.text_content()) for b in article.iter(*_BLOCK_TAGS)}
    sizes = {container: _words(container) for container in containers}
    pictures = _picture_sources(article)
    # Nested containers share their blocks (one copy of the page): each block's text is read once.
    texts: dict[lxml.html.HtmlElement, str] = {}
    for container in sorted(containers, key=sizes.__getitem__):
        words = sizes[container]
        if words < MIN_COVERAGE * article_words or words > MAX_GROWTH * article_words:
            continue
        blocks = _leaf_blocks(container)
        for block in blocks:
            if block not in texts:
                texts[block] = _norm(block.text_content())
        present = {b for b in blocks if _in_article(texts[b], article_blocks, article_text)}
        if sum(_word_total(texts[b]) for b in present) < MIN_COVERAGE * article_words:
            continue
        merged = _prune(container, blocks, present, article_text, pictures)
        if merged is not None:
            return merged
    return None


def _prune(container: lxml.html.HtmlElement, blocks: list[lxml.html.HtmlElement],
           present: set[lxml.html.HtmlElement], article_text: str, pictures: set[str]
           ) -> lxml.html.HtmlElement | None:
    kept = set(present)
    positions = [i for i, b in enumerate(blocks) if b in present]
    first, last = positions[0], positions[-1]
    for index, block in enumerate(blocks):
        if block in present or block.tag in _NEVER_RECOVERED:
            continue
        inside = first < index < last
        leading = index < first and block.tag == "p" and _words(block) >= MIN_LEAD_WORDS
        if (inside or leading) and _reads_like_text(block):
            kept.add(block)
    kept |= _footnotes(container, blocks[first + 1:], kept)
    for index, block in enumerate(blocks):
        if block.tag in _HEADINGS and block not in kept and first < index < last and _is_subhead(block):
            following = blocks[index + 1:index + 1 + HEADING_LOOKAHEAD]
            if any(b in kept and b.tag not in _HEADINGS for b in following):
                kept.add(block)
    if kept == present:
        return None
    kept |= {b for b in blocks if b not in kept and _captions_picture(b)}
    holders = _holders(kept)
    for control in _CONTROLS(container):
        if control.getparent() is not None and control not in holders:
            control.drop_tree()
    for block in blocks:
        if block not in kept and block.getparent() is not None:
            block.drop_tree()
    _drop_loose_text(container, kept, article_text, pictures)
    return container


def _captions_picture(block: lxml.html.HtmlElement) -> bool:
    """A figure's caption whose picture stays in the container: the merged article keeps every picture
    outside a dropped block, so a caption is kept with its picture rather than leaving it unexplained."""
    if block.tag == "figcaption":
        frame = next(block.iterancestors("figure"), None)
    elif _CAPTION_CLASS.search(f"{block.get('class', '')} {block.get('id', '')}"):
        frame = block.getparent()
    else:
        return False
    if frame is None or not any(True for _ in frame.iter("img", "picture", "video")):
        return False
    return 0 < _words(block) <= MAX_CAPTION_WORDS and _link_density(block) <= MAX_LINK_DENSITY


def _footnotes(container: lxml.html.HtmlElement, after: list[lxml.html.HtmlElement],
               kept: set[lxml.html.HtmlElement]) -> set[lxml.html.HtmlElement]:
    """Notes that the kept text points to with footnote marks, and their heading, wherever they sit.

    An article's end is otherwise never recovered, and a list of references is mostly links, which
    the prose test refuses; notes are part of the article because the text itself links to them.
    """
    targets = {_fragment(href) for block in kept for a in block.iter("a") if "#" in (href := a.get("href") or "")
               and _FOOTNOTE_MARK.fullmatch(_norm(a.text_content()))}
    targets.discard("")
    if not targets:
        return set()
    notes: set[lxml.html.HtmlElement] = set()
    heading: lxml.html.HtmlElement | None = None
    for block in after:
        if block.tag in _HEADINGS:
            heading = block
            continue
        if block in kept:
            heading = None
        elif _is_cited(block, container, targets):
            notes.add(block)
            if heading is not None and _is_subhead(heading):
                notes.add(heading)
            heading = None
    return notes


def _is_cited(block: lxml.html.HtmlElement, container: lxml.html.HtmlElement, targets: set[str]) -> bool:
    """The block, an element inside it or a wrapper of it up to the container carries a cited id."""
    for element in block.iter():
        if element.get("id") in targets:
            return True
    for ancestor in block.iterancestors():
        if ancestor is container:
            return False
        if ancestor.get("id") in targets:
            return True
    return False


def _fragment(href: str) -> str:
    return href.partition("#")[2].strip()


def _reads_like_text(block: lxml.html.HtmlElement) -> bool:
    """Prose an author wrote: enough words, few links; list items and cells only in text-like lists."""
    words = _words(block)
    if block.tag == "pre":
        return words > 0
    if block.tag == "li" and (_is_annotated_item(block) or _in_plain_list(block)):
        return True
    if words < MIN_PARAGRAPH_WORDS or _link_density(block) > MAX_LINK_DENSITY:
        return False
    parent = block.getparent()
    if any(_NOT_PROSE.search(f"{e.get('class', '')} {e.get('id', '')}") for e in (block, parent) if e is not None):
        return False
    if block.tag in _PARAGRAPH_LIKE:
        return True
    group = block.getparent()
    return group is not None and _link_density(group) <= MAX_LINK_DENSITY


def _in_plain_list(item: lxml.html.HtmlElement) -> bool:
    """An item of a bulleted list of plain words (supplies, steps, points) rather than of links."""
    group = item.getparent()
    if group is None or group.tag not in ("ul", "ol") or len(group) < 2 or _words(item) == 0:
        return False
    if any(_NOT_PROSE.search(f"{e.get('class', '')} {e.get('id', '')}") for e in (item, group)):
        return False
    return _link_density(group) <= MAX_LINK_DENSITY


def _is_annotated_item(item: lxml.html.HtmlElement) -> bool:
    """A reading-list entry: a link plus the author's own sentence about it."""
    words = _words(item)
    links = words * _link_density(item)
    return words - links >= MIN_PARAGRAPH_WORDS and links <= words * MAX_ANNOTATED_LINK_DENSITY


def _is_subhead(heading: lxml.html.HtmlElement) -> bool:
    """A section title inside the article: short, not a link, not a widget's heading."""
    words = _words(heading)
    return 0 < words <= MAX_SUBHEAD_WORDS and _link_density(heading) <= MAX_LINK_DENSITY


def _drop_loose_text(container: lxml.html.HtmlElement, kept: set[lxml.html.HtmlElement], article_text: str,
                     pictures: set[str]) -> None:
    """Text outside every kept block goes ("Share", a date line, a teaser) unless readability kept it.

    An element holding a picture readability kept is not dropped whole: its parts are judged in turn,
    so a thumbnail frame loses the caption readability dropped (a linked one) but keeps the picture.
    """
    preserved: set[lxml.html.HtmlElement] = set()
    for block in kept:
        if block.getparent() is not None:
            preserved.update(block.iter())
            preserved.update(block.iterancestors())
    for element in list(container.iterdescendants()):
        if element in preserved or element.getparent() is None or not isinstance(element.tag, str):
            continue
        text = _norm(element.text_content())
        if not text or text in article_text:
            continue
        if _word_total(text) < MIN_PARAGRAPH_WORDS and any(True for _ in element.iter(*_STANDALONE)):
            continue  # a picture with a short credit line
        if pictures and any((image.get("src") or "").strip() in pictures for image in element.iter("img")):
            continue
        element.drop_tree()


def _picture_sources(article: lxml.html.HtmlElement) -> set[str]:
    """The sources of the images readability kept (the container is a copy of the same page)."""
    return {src for image in article.iter("img") if (src := (image.get("src") or "").strip())}


def _leaf_blocks(container: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Blocks holding no other block, in document order (one walk up from each block)."""
    blocks = list(container.iter(*_BLOCK_TAGS))
    holders: set[lxml.html.HtmlElement] = set()
    for block in blocks:
        for ancestor in block.iterancestors(*_BLOCK_TAGS):
            if ancestor in holders:
                break
            holders.add(ancestor)
    return [b for b in blocks if b not in holders]


def _in_article(text: str, article_blocks: set[str], article_text: str) -> bool:
    """Kept by readability: the same block, or (for a block readability split or merged) the same
    words inside its text; a fragment of a word or two ("80", "Share") is found anywhere, so it
    counts only as a whole block."""
    return text in article_blocks or (_word_total(text) >= MIN_FRAGMENT_WORDS and text in article_text)


def _holders(blocks: set[lxml.html.HtmlElement]) -> set[lxml.html.HtmlElement]:
    """Every element that holds one of the blocks (each ancestor chain is walked until it joins one seen)."""
    holders: set[lxml.html.HtmlElement] = set()
    for block in blocks:
        for ancestor in block.iterancestors():
            if ancestor in holders:
                break
            holders.add(ancestor)
    return holders


def _link_density(element: lxml.html.HtmlElement) -> float:
    words = _words(element)
    links = link_words(element)
    return links / words if words else 0.0


def _words(element: lxml.html.HtmlElement) -> int:
    return element_words(element)


def _word_total(normalized: str) -> int:
    """Words of a text whose whitespace is already collapsed, counted without splitting it."""
    return normalized.count(" ") + 1 if normalized else 0


def _norm(text: str) -> str:
    """Whitespace collapsed in bounded pieces: a whole article's text is not split into a list."""
    return collapse_spaces(text)
