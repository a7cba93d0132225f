"""readability-lxml's article choice, run on our already-parsed tree."""

from __future__ import annotations

import lxml.html
from lxml.html import builder as E
from readability import Document
from readability.readability import Unparseable


def readability_article(tree: lxml.html.HtmlElement, url: str | None) -> lxml.html.HtmlElement:
    """readability-lxml's article as a <div>; an empty <div> when it cannot decide."""
    try:
        html = Document(tree, url=url).summary(html_partial=True)
    except Unparseable:
        return E.DIV()
    if not html.strip():
        return E.DIV()
    return lxml.html.fragment_fromstring(html, create_parent="div")
