"""Where our article choice departs from readability-lxml's rules, each departure with its reason.

`TreeDocument` reproduces readability-lxml exactly; `ReaderDocument` changes single rules that cost
real articles their content, measured against Readability.js's output on the shared corpus.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

from readerly.pipeline.parse import new_element
from readerly.pipeline.readability_tree import TreeDocument, readability_article

# A linked heading stays when the first of its next few siblings with text is running text of this many
# characters (a listicle's "“Rez Infinite” ($30)" before its review); one followed by nothing or by
# more links is a teaser title and still goes.
HEADING_TEXT_LOOKAHEAD = 3
MIN_FOLLOWING_TEXT = 25
MAX_FOLLOWING_LINK_DENSITY = 0.5
# A sibling paragraph of the chosen block joins the article when it is this long with few links, or
# shorter, link-free and made of sentences (readability-lxml's thresholds, on the whole text).
SIBLING_PARAGRAPH_LENGTH = 80
SIBLING_LINK_DENSITY = 0.25
_SENTENCE_BREAK = re.compile(r"\.( |$)")
# A sibling with the chosen block's class is another part of the same article ("section" after
# "section"): it joins with this share of the chosen block's score added to its own (Readability.js).
SAME_CLASS_BONUS = 0.2
# The end of a sentence, perhaps inside a quotation: a line of dialogue or prose, not a label.
_SENTENCE_CLOSE = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
# When this many of the next best candidates score close to the best one (within this share) and sit
# under one ancestor, the article is that ancestor: its sections were scored apart (Readability.js's
# rule, with its numbers).
TOP_CANDIDATES = 5
MIN_SHARED_CANDIDATES = 3
CLOSE_SCORE = 0.75
# A text-less block with at most this many images is a picture's frame (Readability.js's limit).
MAX_FRAME_IMAGES = 2
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)", re.IGNORECASE)


def reader_article(tree: lxml.html.HtmlElement, url: str | None) -> lxml.html.HtmlElement:
    """readability-lxml's article as a <div>, with our departures from its rules."""
    return readability_article(tree, url, ReaderDocument)


class ReaderDocument(TreeDocument):
    """readability-lxml on our tree with a few rules changed."""

    def _prepare(self, doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        """readability-lxml's preparation, without its <base> pass over links.

        Links are made absolute once, by the tidy stage, against the page's <base> resolved against the
        page's URL; readability-lxml also joins them to the raw <base href>, so a relative one
        ("base/") was applied twice ("/test/base/base/foo.html").
        """
        prepared = super()._prepare(doc)
        self._base_href = None
        return prepared

    def spares_unlikely(self, element: lxml.html.HtmlElement) -> bool:
        """Links and table cells are not page furniture whatever their class says.

        readability-lxml drops any element whose class or id sounds like clutter ("popup", "comment",
        "sponsor"), so an annotated text whose glossary links have class="popup" loses those words
        from its sentences; Readability.js spares links and everything inside tables.
        """
        return element.tag == "a" or any(True for _ in element.iterancestors("table"))

    def select_best_candidate(self, candidates: dict[Any, Any]) -> Any:
        """readability-lxml's choice, widened to the ancestor that holds several near-equal candidates.

        An article split into sections of similar weight (steps of a how-to, parts of an essay) has
        its paragraphs scored under each section; readability-lxml keeps the best section and only
        those siblings that score high enough, Readability.js moves up to the sections' common parent.
        """
        best = super().select_best_candidate(candidates)
        if best is None:
            return None
        ranked = sorted(candidates.values(), key=lambda c: c["content_score"], reverse=True)[:TOP_CANDIDATES]
        close = [set(c["elem"].iterancestors()) for c in ranked
                 if c is not best and c["content_score"] >= CLOSE_SCORE * best["content_score"]]
        if len(close) < MIN_SHARED_CANDIDATES:
            return best
        for ancestor in best["elem"].iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            if sum(ancestor in ancestors for ancestors in close) >= MIN_SHARED_CANDIDATES:
                if ancestor not in candidates:
                    candidates[ancestor] = self.score_node(ancestor)
                return candidates[ancestor]
        return best

    def get_article(self, candidates: dict[Any, Any], best_candidate: Any, html_partial: bool = False) -> Any:
        """readability-lxml's sibling join, with a sibling paragraph judged by all of its text.

        readability-lxml measures only the text before a paragraph's first child element, so a
        paragraph that opens with a link ("As <a>Mashable</a> reports, ...") never joins; Readability.js
        measures the whole text. A sibling of the chosen block's class gets a bonus, as in Readability.js.
        """
        threshold = max(10, best_candidate["content_score"] * 0.2)
        best = best_candidate["elem"]
        self.add_heading_preamble(candidates, best, threshold)
        self.merge_article_segments(candidates, best_candidate, threshold)
        parent = best.getparent()
        siblings = list(parent) if parent is not None else [best]
        leads = self.get_editorial_leads(best)
        for lead in reversed(leads):
            best.insert(0, lead)
        output = new_element("div")
        for sibling in siblings:
            if sibling in leads:
                continue
            score = candidates[sibling]["content_score"] if sibling in candidates else None
            if score is not None and sibling.get("class") and sibling.get("class") == best.get("class"):
                score += best_candidate["content_score"] * SAME_CLASS_BONUS
            joins = sibling is best or (score is not None and score >= threshold)
            if joins or (sibling.tag == "p" and self._joins_as_paragraph(sibling)):
                output.append(sibling)
        return output

    def _joins_as_paragraph(self, paragraph: lxml.html.HtmlElement) -> bool:
        text = " ".join(paragraph.text_content().split())
        link_density = self.get_link_density(paragraph)
        if len(text) > SIBLING_PARAGRAPH_LENGTH:
            return bool(link_density < SIBLING_LINK_DENSITY)
        return bool(text) and link_density == 0 and _SENTENCE_BREAK.search(text) is not None

    def drops_conditionally(self, element: lxml.html.HtmlElement, candidates: dict[Any, Any],
                            allowed: dict[Any, bool], keep_all_images: bool) -> bool:
        """A wrapper around one sentence-like paragraph is judged as that paragraph: it stays; so does a
        code sample.

        Editors that wrap every line in <div><div>text</div></div> leave an outer <div> holding one <p>;
        readability-lxml drops it when its line is short ("“Let me think about it.”"), so dialogue loses
        its short lines. Readability.js unwraps such a <div> first. A highlighter's wrapper around a
        one-line command ("$ hg init public") is dropped as too short too; Readability.js keeps it.
        """
        if _wraps_one_sentence(element) and self.get_link_density(element) < SIBLING_LINK_DENSITY:
            return False
        kept_content = _is_code_sample(element) or _is_picture_frame(element) or _is_picture_list(element)
        if kept_content and self.class_weight(element) >= 0:
            return False
        return bool(super().drops_conditionally(element, candidates, allowed, keep_all_images))

    def drops_heading(self, header: lxml.html.HtmlElement) -> bool:
        """A heading that is a link is still a heading when text follows it.

        readability-lxml drops every heading of over a third link text; Readability.js keeps them, and
        product lists, reviews and link-titled sections lose their subheads otherwise.
        """
        if self.class_weight(header) < 0:
            return True
        return self.get_link_density(header) > 0.33 and not self._introduces_text(header)

    def _introduces_text(self, header: lxml.html.HtmlElement) -> bool:
        """The first sibling after the heading that has text (a video or picture may come between) is prose."""
        for index, sibling in enumerate(header.itersiblings()):
            if index >= HEADING_TEXT_LOOKAHEAD or sibling.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                return False
            text = " ".join(sibling.text_content().split())
            if len(text) >= MIN_FOLLOWING_TEXT:
                return bool(self.get_link_density(sibling) <= MAX_FOLLOWING_LINK_DENSITY)
        return False


def _wraps_one_sentence(element: lxml.html.HtmlElement) -> bool:
    """A <div> around one paragraph that ends like a sentence; a chart's labels ("$300 billion") do not."""
    if element.tag != "div" or len(element) != 1 or element[0].tag != "p":
        return False
    if (element.text or "").strip() or (element[0].tail or "").strip():
        return False
    return _SENTENCE_CLOSE.search(element[0].text_content()) is not None


def _is_picture_frame(element: lxml.html.HtmlElement) -> bool:
    """A wrapper holding one or two pictures and no text: the article's illustration, not clutter.

    readability-lxml drops every block without text ("no content") unless its neighbours are long, so
    an image in its own <div> (a figure's frame, a lazy-loading placeholder) is lost while its caption
    stays; Readability.js has no such rule and keeps up to two images in a text-less block. A picture
    that links elsewhere (an advertiser, another post) is left to readability-lxml's rule.
    """
    if element.tag != "div":
        return False
    images = sum(1 for _ in element.iter("img"))  # counted first: most blocks hold none, and it is cheap
    if not 1 <= images <= MAX_FRAME_IMAGES or element.text_content().strip():
        return False
    return _links_only_to_images(element)


def _is_picture_list(element: lxml.html.HtmlElement) -> bool:
    """A list whose every item is a picture and which holds no text: a gallery (WordPress writes them so).

    readability-lxml drops it as a block with no content; Readability.js keeps it. Pictures that link
    anywhere but to their own image file are a strip of teasers and are left to readability-lxml.
    """
    if element.tag not in ("ul", "ol") or not len(element):
        return False
    if not all(child.tag == "li" and any(True for _ in child.iter("img")) for child in element):
        return False
    if element.text_content().strip():
        return False
    return _links_only_to_images(element)


def _links_only_to_images(element: lxml.html.HtmlElement) -> bool:
    """A linked picture is a banner or a teaser unless the link opens the picture itself."""
    return all(_IMAGE_FILE.search(link.get("href") or "") for link in element.iter("a"))


def _is_code_sample(element: lxml.html.HtmlElement) -> bool:
    """A wrapper whose text is a <pre> block's: a code sample, however short, is part of the article."""
    blocks = element.findall(".//pre")
    if not blocks:
        return False
    text = "".join(element.text_content().split())
    code = sum(len("".join(block.text_content().split())) for block in blocks)
    return bool(text) and code * 2 >= len(text)
