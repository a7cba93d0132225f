"""Where our article choice departs from readability-lxml's rules, each departure with its reason.

`TreeDocument` reproduces readability-lxml exactly; `ReaderDocument` changes single rules that cost
real articles their content, measured against Readability.js's output on the shared corpus.
"""

from __future__ import annotations

import lxml.html

from readerly.pipeline.readability_tree import TreeDocument, readability_article

# A linked heading stays when the first of its next few siblings with text is running text of this many
# characters (a listicle's "“Rez Infinite” ($30)" before its review); one followed by nothing or by
# more links is a teaser title and still goes.
HEADING_TEXT_LOOKAHEAD = 3
MIN_FOLLOWING_TEXT = 25
MAX_FOLLOWING_LINK_DENSITY = 0.5


def reader_article(tree: lxml.html.HtmlElement, url: str | None) -> lxml.html.HtmlElement:
    """readability-lxml's article as a <div>, with our departures from its rules."""
    return readability_article(tree, url, ReaderDocument)


class ReaderDocument(TreeDocument):
    """readability-lxml on our tree with a few rules changed."""

    def spares_unlikely(self, element: lxml.html.HtmlElement) -> bool:
        """Links and table cells are not page furniture whatever their class says.

        readability-lxml drops any element whose class or id sounds like clutter ("popup", "comment",
        "sponsor"), so an annotated text whose glossary links have class="popup" loses those words
        from its sentences; Readability.js spares links and everything inside tables.
        """
        return element.tag == "a" or any(True for _ in element.iterancestors("table"))

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
