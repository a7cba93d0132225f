"""readability-lxml's article choice, run on our already-parsed tree without copies or re-parsing.

`TreeDocument` keeps readability-lxml's algorithm and every choice it makes; it only removes work:
the tree is cleaned in place (this stage owns it), attribute and link clean-up runs on the article
alone instead of the whole page, text lengths are measured with linear-time patterns and memoised
while the tree stands still, and the article comes back as a tree rather than serialised HTML that
would have to be parsed again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import lxml.html.defs
from lxml.html import builder as E
from readability import Document
from readability.cleaners import html_cleaner
from readability.readability import REGEXES, Unparseable, clean, is_video_url

from readerly.pipeline.parse import new_element
from readerly.pipeline.text_measure import TextLengths, clean_length
from readerly.pipeline.tree_edits import drop_all

# readability-lxml keeps a list headed "table of contents"; lowering never turns a character other
# than an ASCII letter into one of its letters, so only a heading of this cleaned length can match.
_TOC_HEADING = "table of contents"
_TOC_LENGTH = len(_TOC_HEADING)
# Tags readability-lxml's divToPElementsRe finds in the serialised children of a <div>: it matches
# "<" + prefix, so <picture>, <param> or <option> count too; one tag-name match replaces the scan.
_BLOCK_TAG = re.compile(r"(?:blockquote|dl|div|img|ol|p|table|ul)", re.IGNORECASE)
# Elements remove_unlikely_candidates() can drop: it reads "class id" and skips any shorter than 2.
_CLASSED = lxml.etree.XPath("descendant::*[@class or @id]")
_IN_CODE = lxml.etree.XPath("ancestor-or-self::pre | ancestor-or-self::code")
_HOLDS_ARTICLE = lxml.etree.XPath("descendant-or-self::main | descendant-or-self::article | descendant-or-self::math")
_INLINE_TAGS = frozenset({"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub",
                          "sup", "u"})
# Attributes readability-lxml's clean_attributes() cuts from its serialised output (name = value,
# value not empty); applied to the tree it gives the same markup.
_PRESENTATION_ATTR = re.compile(r"width|height|style|[-a-z]*color|background[-a-z]*|on*", re.IGNORECASE)
# Elements that may carry one of those (a superset: names are lowercase in parsed HTML; the pattern decides).
_PRESENTED = lxml.etree.XPath(
    "descendant-or-self::*[@width or @height or @style or @*[contains(name(), 'color')]"
    " or @*[starts-with(name(), 'background')] or @*[starts-with(name(), 'o')]]"
)
# Start tags that make libxml2's HTML parser close an open <p> (measured with lxml 6).
_CLOSES_P = frozenset({"address", "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "dir",
                       "div", "dl", "dt", "fieldset", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
                       "head", "hr", "html", "li", "listing", "menu", "ol", "p", "pre", "table", "tbody", "td",
                       "tfoot", "th", "title", "tr", "ul", "xmp"})
_HIDDEN = lxml.etree.XPath("//*[@hidden]")
_STYLED = lxml.etree.XPath("//*[@style]")
_XHTML = "http://www.w3.org/1999/xhtml"
_XHTML_TAGS = f"{{{_XHTML}}}*"
_BASE = lxml.etree.XPath("//base[@href]|//x:base[@href]", namespaces={"x": _XHTML})
_LINK_ATTRS = lxml.html.defs.link_attrs
# Elements whose links lxml finds inside other values (object codebase, meta refresh, param): for
# those the link passes run as in readability-lxml.
_COMPOUND_LINKS = lxml.etree.XPath("descendant-or-self::object | descendant-or-self::meta | descendant-or-self::param")
_LINKED = lxml.etree.XPath(
    "descendant-or-self::*[@*[contains($names, concat(' ', name(), ' '))]]",
)
_LINK_NAMES = " " + " ".join(sorted(_LINK_ATTRS)) + " "
_EVENT_HANDLERS = lxml.etree.XPath("descendant-or-self::*[@*[starts-with(name(), 'on')]]")
# What readability's html_cleaner removes whole; the rest of its work touches attributes only.
_KILLED = ("script", "style", "link", lxml.etree.Comment, lxml.etree.ProcessingInstruction)


# The descendants sanitize()'s conditional clean counts.
_COUNTED = ("p", "img", "li", "a", "embed", "input")


def readability_article(tree: lxml.html.HtmlElement, url: str | None,
                        document: type[TreeDocument] | None = None) -> lxml.html.HtmlElement:
    """readability-lxml's article as a <div>; an empty <div> when it cannot decide.

    `document` is a subclass that departs from readability-lxml's rules on purpose; by default the
    choice is exactly readability-lxml's.
    """
    try:
        article = (document or TreeDocument)(tree, url).article()
    except (Unparseable, ValueError, lxml.etree.LxmlError):  # readability-lxml's own failure modes
        return E.DIV()
    return E.DIV() if article is None else article


def class_weight(element: lxml.html.HtmlElement) -> int:
    """readability-lxml's class weight (no keyword options): -25 or +25 per class/id that sounds like
    clutter or like content."""
    weight = 0
    for feature in (element.get("class"), element.get("id")):
        if feature:
            weight -= 25 if REGEXES["negativeRe"].search(feature) else 0
            weight += 25 if REGEXES["positiveRe"].search(feature) else 0
    return weight


def _text_length(element: lxml.html.HtmlElement) -> int:
    return clean_length(element.text_content() or "")


class _LinkLengths(dict[lxml.html.HtmlElement, int]):
    """Lengths of links, each measured on first use (looked up from C by map() in the sums)."""

    def __init__(self, measure: Callable[[lxml.html.HtmlElement], int]) -> None:
        super().__init__()
        self._measure = measure

    def __missing__(self, link: lxml.html.HtmlElement) -> int:
        length = self[link] = self._measure(link)
        return length


class TreeDocument(Document):  # type: ignore[misc]
    """readability-lxml's Document over a tree we own; `article()` replaces summary(html_partial=True)."""

    def __init__(self, tree: lxml.html.HtmlElement, url: str | None) -> None:
        super().__init__(tree, url=url)
        self._pristine: lxml.html.HtmlElement | None = None
        self._base_href: str | None = None
        self._lengths: TextLengths | None = None
        # Link lengths while the tree holds still (scoring, sanitize()'s conditional clean); else None.
        self._link_lengths: _LinkLengths | None = None
        self._passes = 0
        self.html: Any = None
        # Class weights and unlikely-looking class/id strings, by value: pages repeat a few classes
        # on thousands of elements, and both tests are pure functions of the strings.
        self._weights: dict[tuple[str | None, str | None, str], int] = {}
        self._unlikely: dict[str, bool] = {}

    def _html(self, force: bool = False) -> Any:
        """The tree of this pass: the first (ruthless) pass works on a copy so a retry starts afresh."""
        if force or self.html is None:
            if self._pristine is None:
                self._pristine = self._prepare(self.input)
            self._passes += 1
            self.html = copy.deepcopy(self._pristine) if self._passes == 1 else self._pristine
        return self.html

    def _prepare(self, doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        """readability-lxml's _parse() minus what only the article needs (links, attributes).

        Its drops measure nothing in between, so each group goes in one pass (tree_edits.drop_all): one
        by one, a page of 40,000 scripts spent 8 s rebuilding the text between them. A hidden <html>
        (a guard against a flash of unstyled content, lifted by a script) stays while what is hidden
        inside it goes; readability-lxml fails on such a page.
        """
        drop_all(_HIDDEN(doc))
        drop_all(element for element in _STYLED(doc) if REGEXES["displayNoneRe"].search(element.get("style")))
        for element in doc.iter(_XHTML_TAGS):
            element.tag = element.tag[len(_XHTML_TAGS) - 1 :]
        for element in doc.iter("image"):
            element.tag = "img"
        drop_all(doc.iter(*_KILLED))
        for base in _BASE(doc):
            self._base_href = base.get("href")
            base.drop_tree()
        return doc

    def article(self) -> lxml.html.HtmlElement | None:
        """summary(html_partial=True) parsed as a fragment in a <div>, as a tree: same passes, retry, fallback."""
        ruthless = True
        while True:
            self._html(True)
            drop_all(self.html.iter("script", "style", "noscript"))
            for element in self.tags(self.html, "body"):
                element.set("id", "readabilityBody")
            if ruthless:
                self.remove_unlikely_candidates()
            self.transform_misused_divs_into_paragraphs()
            candidates = self.score_paragraphs()
            best = self._best_candidate(candidates)
            if best is None and ruthless:
                ruthless = False
                continue
            if best is None:
                return self._whole_page(candidates)
            article = self._clean_article(self.get_article(candidates, best, html_partial=True), candidates)
            if ruthless and not self._long_enough(article):
                ruthless = False
                continue
            return _as_parsed_fragment(article)

    def _best_candidate(self, candidates: dict[Any, Any]) -> Any:
        """The choice, with the text lengths measured while scoring (the tree has not changed since)."""
        try:
            best = self.select_best_candidate(candidates)
            if best:
                best = self.get_semantic_article_candidate(candidates, best)
                best = self.get_semantic_main_candidate(candidates, best)
        finally:
            self._lengths = None
        return best or None

    def _clean_article(self, article: lxml.html.HtmlElement, candidates: dict[Any, Any]) -> lxml.html.HtmlElement:
        """html_cleaner's attribute work and make_links_absolute(), on the article only, then sanitize()."""
        for element in _EVENT_HANDLERS(article):
            for name in [n for n in element.attrib if n.startswith("on")]:
                del element.attrib[name]
        # html_cleaner strips style attributes right after its javascript-link pass: doing it first
        # changes nothing, and leaves only plain link attributes to rewrite.
        lxml.etree.strip_attributes(article, "style")
        if _COMPOUND_LINKS(article):
            self._rewrite_links_in_passes(article)
        else:
            _rewrite_links(article, self._link_function())
        self.sanitize(article, candidates)
        return article

    def _rewrite_links_in_passes(self, article: lxml.html.HtmlElement) -> None:
        """The three link passes of readability-lxml (javascript links, <base href>, page URL), as is."""
        article.rewrite_links(html_cleaner._remove_javascript_link, resolve_base_href=False)
        if self._base_href:
            failures = self.handle_failures if not self.url else None
            article.make_links_absolute(self._base_href, resolve_base_href=False, handle_failures=failures)
        if self.url:
            article.make_links_absolute(self.url, resolve_base_href=False, handle_failures=self.handle_failures)

    def _link_function(self) -> Callable[[str], str | None]:
        """The three link passes composed into one function of a link, memoised per distinct link."""
        base, url, failures = self._base_href, self.url, self.handle_failures
        remove_javascript = html_cleaner._remove_javascript_link
        memo: dict[str, str | None] = {}

        def resolve(link: str) -> str | None:
            if link not in memo:
                stripped = link.strip()
                # The javascript test looks for "scheme:" once %-escapes are decoded: without ":" or "%"
                # in the link there is none to find.
                new: str | None = remove_javascript(stripped) if ":" in link or "%" in link else stripped
                if base and new is not None:
                    new = _join(base, new.strip(), failures if not url else None)
                if url and new is not None:
                    new = _join(url, new.strip(), failures)
                memo[link] = new
            return memo[link]

        return resolve

    def get_clean_html(self) -> str:
        """Called by sanitize(): clean_attributes() applied to the tree; nothing is serialised."""
        for element in _PRESENTED(self.html):
            attrib = element.attrib
            for name in [n for n, v in attrib.items() if v and _PRESENTATION_ATTR.fullmatch(n)]:
                del attrib[name]
        return ""

    def _long_enough(self, article: lxml.html.HtmlElement) -> bool:
        """The retry rule: serialised article of retry_length characters (text alone often settles it)."""
        limit: int = self.retry_length
        return len(article.text_content()) >= limit or len(lxml.etree.tounicode(article, method="html")) >= limit

    def _whole_page(self, candidates: dict[Any, Any]) -> lxml.html.HtmlElement | None:
        """No candidate in either pass: readability-lxml returns the cleaned <body>, parsed as a fragment."""
        body = self.html.find("body")
        page = self._clean_article(body if body is not None else self.html, candidates)
        html = lxml.etree.tounicode(page, method="html")
        if not html.strip():
            return None
        return lxml.html.fragment_fromstring(html, create_parent="div")

    def remove_unlikely_candidates(self) -> None:
        """readability-lxml's ruthless drop of sidebar-like elements, visiting only those with a class or id.

        Each test reads only the element and its ancestors and descendants, which no earlier drop (of an
        element before it, not above it) changes, so the drops are made together at the end.
        """
        unlikely_elements = []
        for element in _CLASSED(self.html):
            features = "{} {}".format(element.get("class", ""), element.get("id", ""))
            unlikely = self._unlikely.get(features)
            if unlikely is None:
                unlikely = self._unlikely[features] = bool(
                    REGEXES["unlikelyCandidatesRe"].search(features)
                    and not REGEXES["okMaybeItsACandidateRe"].search(features)
                )
            if (
                unlikely
                and element.tag not in ("html", "body")
                and not _IN_CODE(element)
                and not _HOLDS_ARTICLE(element)
                and not self.spares_unlikely(element)
            ):
                unlikely_elements.append(element)
        drop_all(unlikely_elements)

    def class_weight(self, e: lxml.html.HtmlElement) -> int:
        """readability-lxml's weight of an element's class, id and tag, computed once per distinct value."""
        key = (e.get("class"), e.get("id"), str(e.tag))
        weight = self._weights.get(key)
        if weight is None:
            weight = self._weights[key] = int(super().class_weight(e))
        return weight

    def spares_unlikely(self, element: lxml.html.HtmlElement) -> bool:
        """An element the unlikely-candidate pass keeps although its class or id sounds like clutter."""
        return False

    def transform_misused_divs_into_paragraphs(self) -> None:
        """Same rewrites as readability-lxml, block descendants found in one pass instead of serialising."""
        blocky = _with_block_descendants(self.html)
        for element in self.tags(self.html, "div"):
            if element not in blocky:
                element.tag = "p"
        for element in self.tags(self.html, "div"):
            _wrap_inline_runs(element, blocky)

    def score_paragraphs(self) -> dict[Any, Any]:
        """readability-lxml's paragraph scoring; candidates' lengths are kept for choosing among them."""
        candidates: dict[Any, Any] = {}
        ordered = []
        for element in self.tags(self._html(), "p", "pre", "td", "blockquote"):
            parent = element.getparent()
            if parent is None:
                continue
            grand_parent = parent.getparent()
            text = element.text_content() or ""
            length = clean_length(text)
            if length < self.min_text_length:
                continue
            for node in (parent, grand_parent):
                if node is not None and node not in candidates:
                    candidates[node] = self.score_node(node)
                    ordered.append(node)
            score = 1 + (text.count(",") + 1) + min(length / 100, 3)  # clean() keeps every comma
            candidates[parent]["content_score"] += score
            if grand_parent is not None:
                candidates[grand_parent]["content_score"] += score / 2.0
        self._lengths = TextLengths(ordered)
        self._link_lengths = _LinkLengths(self._length)  # candidates nest: their links are measured once
        try:
            for node in ordered:
                candidates[node]["content_score"] *= 1 - self.get_link_density(node)
        finally:
            self._link_lengths = None
        return candidates

    def select_best_candidate(self, candidates: dict[Any, Any]) -> Any:
        """readability-lxml's choice (top score, articleBody, nested <article>) with linear lengths."""
        if not candidates:
            return None
        ranked = sorted(candidates.values(), key=lambda c: c["content_score"], reverse=True)
        best = next((c for c in ranked if "articleBody" in (c["elem"].get("itemprop") or "").split()
                     and self.get_link_density(c["elem"]) <= 0.1), ranked[0])
        descendants = set(best["elem"].iterdescendants())
        return next((c for c in ranked if c["elem"].tag == "article" and c["elem"] in descendants
                     and self._length(c["elem"]) >= 250
                     and c["content_score"] >= best["content_score"] * 0.25), best)

    def get_semantic_main_candidate(self, candidates: dict[Any, Any], best_candidate: Any) -> Any:
        """A <main> around the choice wins when it holds much more text and few links (linear lengths)."""
        best = best_candidate["elem"]
        ancestors = tuple(best.iterancestors())
        if any(element.tag == "article" for element in (best, *ancestors)):
            return best_candidate
        main = next((element for element in ancestors if element.tag == "main"), None)
        if main is None or self._length(main) < max(500, self._length(best) * 2):
            return best_candidate
        if self.get_link_density(main) > 0.15:
            return best_candidate
        candidate = self.score_node(main)
        candidates[main] = candidate
        return candidate

    def add_heading_preamble(self, candidates: dict[Any, Any], best_elem: Any, score_threshold: float) -> None:
        """A sub-headed block just before the choice joins it (readability-lxml's rule, linear length)."""
        previous = best_elem.getprevious()
        if previous is None or previous in candidates:
            return
        if previous.tag != "h2" and not previous.findall(".//h2"):
            return
        if _text_length(previous) < self.min_text_length or self.get_link_density(previous) > 0.2:
            return
        candidates[previous] = {"content_score": score_threshold, "elem": previous}

    def is_toc_list(self, elem: lxml.html.HtmlElement) -> bool:
        """readability-lxml's table-of-contents test; only a 17-character heading can read as one."""
        if elem.tag != "ul":
            return False
        for toc in (elem, *elem.iterancestors()):
            previous = toc.getprevious()
            if toc.tag != "ul" or previous is None or previous.tag not in ("h2", "h3", "h4"):
                continue
            text = previous.text_content()
            if clean_length(text) == _TOC_LENGTH and clean(text).lower() == _TOC_HEADING:
                return True
        return False

    def sanitize(self, node: lxml.html.HtmlElement, candidates: dict[Any, Any], keep_all_images: bool = False) -> str:
        """readability-lxml's sanitize() with linear text lengths: same drops, in the same order."""
        for header in self.tags(node, "h1", "h2", "h3", "h4", "h5", "h6"):
            if self.drops_heading(header):
                header.drop_tree()
        for element in self.tags(node, "p"):
            if REGEXES["callToActionRe"].search(element.text_content()) and self.get_link_density(element) > 0.2:
                element.drop_tree()
        for element in self.tags(node, "form", "textarea"):
            element.drop_tree()
        for element in self.tags(node, "iframe"):
            if "src" in element.attrib and is_video_url(element.attrib["src"]):
                element.attrib.pop("srcdoc", None)
                element.text = "VIDEO"
            else:
                element.drop_tree()
        allowed = self.get_preserved_elements(node)
        # Each link's length is measured once, not once per enclosing element; a link loses what is
        # dropped inside it, so its length is forgotten then (tags are judged one name at a time, so a
        # <div> inside a link may go after a <table> around it was judged).
        memo = self._link_lengths = _LinkLengths(self._length)
        try:
            for element in self.reverse_tags(node, "table", "ul", "div", "aside", "header", "footer", "section"):
                if element not in allowed and self.drops_conditionally(element, candidates, allowed, keep_all_images):
                    for link in element.iterancestors("a"):
                        memo.pop(link, None)
                    element.drop_tree()
        finally:
            self._link_lengths = None
        self.html = node
        return self.get_clean_html()

    def drops_heading(self, header: lxml.html.HtmlElement) -> bool:
        """sanitize()'s heading rule: a negative class or id, or more than a third link text."""
        return bool(self.class_weight(header) < 0 or self.get_link_density(header) > 0.33)

    def drops_conditionally(self, element: lxml.html.HtmlElement, candidates: dict[Any, Any],
                             allowed: dict[Any, bool], keep_all_images: bool) -> bool:
        """The per-element rule of sanitize()'s conditional clean (tables, lists, divs, sections)."""
        weight = self.class_weight(element)
        score = candidates[element]["content_score"] if element in candidates else 0
        if weight + score < 0:
            return True
        text = element.text_content() or ""  # read once: commas, length and link density all need it
        if text.count(",") >= 10:
            return False
        counts = _descendant_counts(element)
        counts["li"] -= 100
        if keep_all_images and element.tag == "div" and counts["img"] >= 1:
            return False
        length = clean_length(text)
        if _too_cluttered(counts, str(element.tag), length, self.min_text_length):
            return True
        if self._too_many_links(element, weight, length):
            return True
        if (counts["embed"] == 1 and length < 75) or counts["embed"] > 1:
            return True
        if not length:
            return not self._kept_for_its_siblings(element, allowed)
        return False

    def _too_many_links(self, element: lxml.html.HtmlElement, weight: int, length: int) -> bool:
        link_density = self._link_length(element) / max(length, 1)
        if weight >= 25:
            return link_density > 0.5
        in_article = element.tag in ("ul", "section") and element.xpath("ancestor::main | ancestor::article")
        return link_density > (0.25 if in_article else 0.2)

    def _kept_for_its_siblings(self, element: lxml.html.HtmlElement, allowed: dict[Any, bool]) -> bool:
        """An empty block between long siblings stays (the nearest non-empty one on each side counts)."""
        lengths = []
        for siblings in (element.itersiblings(), element.itersiblings(preceding=True)):
            length = next((n for n in map(_text_length, siblings) if n), 0)
            if length:
                lengths.append(length)
        if not lengths or sum(lengths) <= 1000:
            return False
        for descendant in self.tags(element, "table", "ul", "div", "section"):
            allowed[descendant] = True
        return True

    def is_quote_lead(self, elem: lxml.html.HtmlElement) -> bool:
        """readability-lxml's test with a linear length; clean() keeps the last character that is not a space."""
        for lead in (elem, *elem.iterancestors()):
            following = lead.getnext()
            if following is None or not following.findall(".//blockquote"):
                continue
            text = lead.text_content() or ""
            if clean_length(text) >= self.min_text_length and text.rstrip().endswith(":"):
                return True
        return False

    def get_link_density(self, elem: lxml.html.HtmlElement) -> float:
        return float(self._link_length(elem)) / max(self._length(elem), 1)

    def _link_length(self, elem: lxml.html.HtmlElement) -> int:
        """The summed length of the links inside `elem` (each link measured once while a memo is set)."""
        memo = self._link_lengths
        if memo is None:
            return sum(self._length(link) for link in elem.findall(".//a"))
        return sum(map(memo.__getitem__, elem.iterdescendants("a")))

    def _length(self, element: lxml.html.HtmlElement) -> int:
        return _text_length(element) if self._lengths is None else self._lengths.length(element)


def _descendant_counts(element: lxml.html.HtmlElement) -> dict[str, int]:
    """What sanitize() counts with six findall() walks (hidden inputs left out), in one walk."""
    counts = dict.fromkeys(_COUNTED, 0)
    for descendant in element.iterdescendants(*_COUNTED):
        if descendant.tag != "input" or descendant.get("type") != "hidden":
            counts[descendant.tag] += 1
    return counts


def _too_cluttered(counts: dict[str, int], tag: str, length: int, min_length: int) -> bool:
    """sanitize()'s clutter rules: images, list items, inputs, or too little text for what it holds."""
    if counts["p"] and counts["img"] > 1 + counts["p"] * 1.3:
        return True
    if counts["li"] > counts["p"] and tag not in ("ol", "ul"):
        return True
    if counts["input"] > counts["p"] / 3:
        return True
    return length < min_length and (counts["img"] == 0 or counts["img"] > 2)


def _join(base: str, link: str, failures: str | None) -> str | None:
    """make_links_absolute()'s per-link rule, with its three ways of handling a bad URL."""
    try:
        return urljoin(base, link)
    except ValueError:
        if failures == "ignore":
            return link
        if failures == "discard":
            return None
        raise


def _rewrite_links(article: lxml.html.HtmlElement, resolve: Callable[[str], str | None]) -> None:
    """rewrite_links() for plain link attributes, visiting only the elements that have one."""
    for element in _LINKED(article, names=_LINK_NAMES):
        attrib = element.attrib
        for name in [n for n in attrib if n in _LINK_ATTRS]:
            value = attrib[name]
            new = resolve(value)
            if new is None:
                del attrib[name]
            elif new != value:
                attrib[name] = new


def _as_parsed_fragment(article: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The <div> readability-lxml's HTML would parse into, built without parsing when the tree allows."""
    if any(child.tag in _CLOSES_P for paragraph in article.iter("p") for child in paragraph):
        # A <div> renamed <p> around a heading or list: the parser would split it; let it (rare).
        return lxml.html.fragment_fromstring(lxml.etree.tounicode(article, method="html"), create_parent="div")
    for body in list(article.iter("body")):  # a chosen <body> loses its tag, as in parsing
        body.drop_tag()
    wrapper = new_element("div")
    wrapper.append(article)
    return wrapper


def _with_block_descendants(root: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Every element with a block-like descendant: each block tag marks its ancestors, once."""
    marked: set[lxml.html.HtmlElement] = set()
    for element in root.iter(lxml.etree.Element):
        if not _BLOCK_TAG.match(element.tag):
            continue
        for ancestor in element.iterancestors():
            if ancestor in marked:
                break
            marked.add(ancestor)
    return marked


def _wrap_inline_runs(div: lxml.html.HtmlElement, blocky: set[lxml.html.HtmlElement]) -> None:
    """readability-lxml's second div pass: loose text and inline runs become <p>, <br> goes."""
    paragraph = None
    children = list(div)
    if div.text and div.text.strip():
        paragraph = E.P(div.text)
        div.text = None
        div.insert(0, paragraph)
    for child in children:
        if child.tag == "br" or child.tag not in _INLINE_TAGS or child in blocky:
            paragraph = None
            continue
        if paragraph is None:
            paragraph = E.P()
            child.addprevious(paragraph)
        paragraph.append(child)
    for position, child in reversed(list(enumerate(div))):
        if child.tail and child.tail.strip():
            tail = E.P(child.tail)
            child.tail = None
            div.insert(position + 1, tail)
        if child.tag == "br":
            child.drop_tree()
