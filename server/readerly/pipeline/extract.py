"""Stage 4: find the main content with readability-lxml, falling back to the page's own signals."""

from __future__ import annotations

import copy
import re
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from lxml.html import builder as E

from readerly.pipeline.confidence import score_confidence
from readerly.pipeline.context import Context
from readerly.pipeline.images import drop_beacons, has_image_source
from readerly.pipeline.merge import merge_with_container
from readerly.pipeline.parse import new_element
from readerly.pipeline.readability_reader import reader_article
from readerly.pipeline.readability_tree import class_weight
from readerly.pipeline.strip_stats import visible_chars
from readerly.pipeline.text_measure import count_words, element_words, writes_cjk
from readerly.pipeline.tree_edits import drop_all, is_within

# readability-lxml returns its best guess even for a page with no article; below this many words
# we try the page's own markup (<article>, articleBody) before giving up.
MIN_ARTICLE_WORDS = 50
# Containers a page uses to say "this is the article": semantic elements and common content classes.
# Tested in Python while walking the tree once: an XPath asking every element about its ancestors
# took over 100 ms on a large encyclopaedia page.
_CONTAINER_TAGS = frozenset({"article", "main"})
_CONTAINER_CLASSES = frozenset({"entry-content", "post-content", "article-body", "story-body"})
_BASE_HREF = lxml.etree.XPath("//base/@href")
# Words a reader can see: the body's text less what scripts, styles and templates hold (two plain
# selections; asking every text node about its ancestors took 100 ms on a large page).
_BODY_TEXT = lxml.etree.XPath("//body//text()")
_CODE_TAGS = ("script", "style", "noscript", "template")
# readability's conditional clean drops blocks with more than this share of link text, or this larger
# share when their class or id sounds like content ("entry-content": weight 25); a fallback container
# gets the same treatment.
LINK_BLOCK_DENSITY = 0.2
CONTENT_LINK_BLOCK_DENSITY = 0.5
CONTENT_CLASS_WEIGHT = 25
PROSE_COMMAS = 10
_NOSCRIPT = lxml.etree.XPath("//noscript")
# The page says it is an article: semantic elements or Open Graph's type.
_ARTICLE_MARKUP = lxml.etree.XPath(
    "//article | //*[@itemprop='articleBody'] | //head/meta[@property='og:type'][starts-with(@content, 'article')]"
)
# Attribute tests only: an XPath comparing values on every element costs twice as much; values are
# read in Python on the few elements that have the attributes.
_INVISIBLE = lxml.etree.XPath("//body//*[@aria-hidden or @hidden or @style]")
_HIDDEN_STYLE = re.compile(r"visibility\s*:\s*hidden|display\s*:\s*none", re.IGNORECASE)
_IMG = lxml.etree.XPath("descendant-or-self::img")
# Besides the title, this much of the body's text tells whether the page is in Chinese or Japanese.
_CJK_SAMPLE_CHARS = 2000


def extract_article(tree: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Return one <div> holding the article: readability's choice unless it is nearly empty."""
    ctx.cjk = writes_cjk(ctx.metadata.lang, ctx.metadata.title or "", _text_sample(tree, _CJK_SAMPLE_CHARS))
    _promote_noscript_images(tree)
    drop_beacons(tree)
    _drop_invisible(tree, ctx.cjk)
    ctx.base_url = _document_base(tree, ctx.url)
    body_text = " ".join(_BODY_TEXT(tree))
    ctx.page_words = count_words(body_text, ctx.cjk) - _code_words(tree, ctx.cjk)
    del body_text
    marked = bool(_ARTICLE_MARKUP(tree)) or ctx.metadata.article_body is not None
    chosen = _choose_content(tree, ctx)
    ctx.confidence = score_confidence(chosen, ctx.page_words, marked, ctx.cjk)
    return chosen


def _choose_content(tree: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """readability-lxml, widened to the page's own container when it holds more of the article.

    The page's container or JSON-LD body stands in when readability finds almost nothing.
    """
    containers = _semantic_containers(tree)
    # Links are made absolute once, in the tidy stage, on the article alone.
    article = reader_article(tree, None)
    words = element_words(article, ctx.cjk)
    if words >= MIN_ARTICLE_WORDS:
        merged = merge_with_container(article, containers)
        return _wrap(merged) if merged is not None else article
    sizes = [(element_words(container, ctx.cjk), container) for container in containers]
    fallback_words, fallback = max(sizes, key=lambda size: size[0], default=(0, None))
    if fallback is not None and fallback_words > words:
        _drop_link_blocks(fallback, visible_chars(article.text_content()))
        return _wrap(fallback)
    text = ctx.metadata.article_body
    if text and count_words(text, ctx.cjk) > words:
        return _paragraphs_from_text(text)
    return article


def _drop_link_blocks(container: lxml.html.HtmlElement, least_chars: int) -> None:
    """Drop the <div>s of a fallback container that are mostly link text, innermost first, unless that
    leaves less text than `least_chars` (readability's own choice) or none at all.

    readability cleans its own choice this way (teasers, link lists and navigation inside it go; a
    block of ten commas is prose and stays); a container taken when readability found almost nothing
    is the page's raw markup, and on a section front it is every teaser. Measured bottom-up in one
    pass, as an inner drop changes its ancestors.
    """
    measured: dict[lxml.html.HtmlElement, tuple[int, int, int]] = {}
    dropped: list[lxml.html.HtmlElement] = []
    for element in reversed(list(container.iter(lxml.etree.Element))):
        if element.tag in _CODE_TAGS:
            continue
        chars, links, commas = visible_chars(element.text), 0, (element.text or "").count(",")
        for child in element:
            child_chars, child_links, child_commas = measured.get(child, (0, 0, 0))
            tail = child.tail or ""
            chars += child_chars + visible_chars(tail)  # a dropped child's tail stays
            links += child_links
            commas += child_commas + tail.count(",")
        if element.tag == "a":
            links = chars
        if (element.tag == "div" and element is not container and commas < PROSE_COMMAS
                and links > _link_limit(element) * chars):
            dropped.append(element)
            continue
        measured[element] = (chars, links, commas)
    kept = measured.get(container, (0, 0, 0))[0]
    if kept and kept >= least_chars:
        drop_all(dropped)


def _link_limit(element: lxml.html.HtmlElement) -> float:
    return CONTENT_LINK_BLOCK_DENSITY if class_weight(element) >= CONTENT_CLASS_WEIGHT else LINK_BLOCK_DENSITY


def _semantic_containers(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Copies of the page's own article containers, taken before readability cleans the tree.

    Only outermost containers are copied; the ones nested inside are the same elements of the copy,
    reached by their child positions (the page is walked once).
    """
    found: list[lxml.html.HtmlElement] = []
    outer: lxml.html.HtmlElement | None = None
    copied: lxml.html.HtmlElement | None = None
    for element in tree.iter(lxml.etree.Element):
        if not _is_container(element):
            continue
        if outer is None or copied is None or not _is_inside(element, outer):
            outer, copied = element, copy.deepcopy(element)
            found.append(copied)
        else:
            found.append(_same_place(element, outer, copied))
    return found


def _is_inside(element: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    return any(a is ancestor for a in element.iterancestors())


def _same_place(element: lxml.html.HtmlElement, root: lxml.html.HtmlElement, copied: lxml.html.HtmlElement
                ) -> lxml.html.HtmlElement:
    """The element of `copied` (a copy of `root`) at the place `element` has under `root`."""
    steps = []
    while element is not root:
        parent = element.getparent()
        steps.append(parent.index(element))
        element = parent
    for step in reversed(steps):
        copied = copied[step]
    return copied


def _is_container(element: lxml.html.HtmlElement) -> bool:
    if element.tag in _CONTAINER_TAGS or element.get("itemprop") == "articleBody" \
            or element.get("role") == "main" or element.get("id") == "mw-content-text":
        return True
    classes = element.get("class")
    return bool(classes) and not _CONTAINER_CLASSES.isdisjoint(classes.split())


def _wrap(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    wrapper = new_element("div")
    wrapper.append(element)
    return wrapper


def _document_base(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """The address relative links resolve against: <base href> (itself relative to the page), else the page."""
    for href in _BASE_HREF(tree):
        href = str(href).strip()
        if href and not href.lower().startswith(("javascript:", "data:")):
            try:
                return urljoin(url or "", href) or url
            except ValueError:
                return url
    return url


def _promote_noscript_images(tree: lxml.html.HtmlElement) -> None:
    """Lazy-loading pages put the real <img> in <noscript>; readability drops noscript, so unwrap it."""
    for noscript in _NOSCRIPT(tree):
        images = _IMG(noscript)
        markup = noscript.text or ""
        if not images and "<img" in markup:
            try:
                images = _IMG(lxml.html.fragment_fromstring(markup, create_parent="div"))
            except lxml.etree.ParserError:
                continue
        if not images:
            continue
        previous = noscript.getprevious()
        slots = 0
        while previous is not None and previous.tag == "img" and not has_image_source(previous):
            previous.drop_tree()  # the empty slot a script fills in
            previous = noscript.getprevious()
            slots += 1
        # The placeholder the real image replaces: the image right before the <noscript>, or (past empty
        # slots) a wrapper around a single image; a bare picture before the slots is another picture.
        if previous is not None and (
            (previous.tag == "img" and not slots)
            or (len(images) == 1 and previous.tag != "img" and _is_single_image(previous))
        ):
            previous.drop_tree()
        for image in images:
            image.tail = None
            noscript.addprevious(image)
        noscript.drop_tree()


def _is_single_image(element: lxml.html.HtmlElement) -> bool:
    """An <img>, or wrappers around nothing but one <img> (Readability.js's test for a lazy placeholder)."""
    while element.tag != "img":
        if len(element) != 1 or "".join(element.text_content().split()):
            return False
        element = element[0]
    return True


def _text_sample(tree: lxml.html.HtmlElement, size: int) -> str:
    """About the first `size` characters of the body's text (scripts' included: a sample, read lazily)."""
    pieces: list[str] = []
    length = 0
    for body in tree.iter("body"):
        for text in body.itertext():
            pieces.append(text)
            length += len(text)
            if length >= size:
                break
        break
    return "".join(pieces)[:size]


def _drop_invisible(tree: lxml.html.HtmlElement, cjk: bool) -> None:
    """Remove what a reader never sees: aria-hidden and visibility:hidden elements.

    A page captured while a dialog is open marks its whole main wrapper aria-hidden; an aria-hidden
    element holding most of the page's words is therefore kept.
    """
    hidden = [element for element in _INVISIBLE(tree) if _looks_hidden(element)]
    if not hidden:
        return
    dialog_open = any(element.get("aria-hidden") == "true" for element in hidden)
    page_words = element_words(tree, cjk) if dialog_open else 0
    for element in hidden:
        if element.getparent() is None:
            continue
        if element.get("aria-hidden") != "true" or element_words(element, cjk) * 2 < page_words:
            element.drop_tree()


def _looks_hidden(element: lxml.html.HtmlElement) -> bool:
    if element.get("aria-hidden") == "true" or element.get("hidden") is not None:
        return True
    style = element.get("style") or ""
    return ("visibility" in style or "display" in style) and _HIDDEN_STYLE.search(style) is not None


def _code_words(tree: lxml.html.HtmlElement, cjk: bool) -> int:
    """Words inside the body's scripts, styles and templates (outermost ones: none is counted twice)."""
    words = 0
    for body in tree.iter("body"):
        code = list(body.iter(*_CODE_TAGS))
        marked, inside = set(code), dict[lxml.html.HtmlElement, bool]()
        for element in code:
            if not is_within(element.getparent(), marked, inside):
                words += count_words(" ".join(element.itertext()), cjk)
    return words


def _paragraphs_from_text(text: str) -> lxml.html.HtmlElement:
    """JSON-LD articleBody is plain text: one <p> per blank-line or line-break separated block."""
    blocks = [b.strip() for b in text.replace("\r", "").split("\n") if b.strip()]
    return E.DIV(*[E.P(block) for block in blocks])

