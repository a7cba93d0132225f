"""readability-lxml on our tree: the same article as stock readability-lxml, without its slow paths."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from readability import Document

from bench.corpora import MOZILLA_URL
from readerly.pipeline.parse import _PARSER
from readerly.pipeline.readability_tree import readability_article

# Pages that take readability-lxml's rarer paths: the lenient retry (005, ol), no candidate at all
# (hidden-nodes), <base href> (base-url-*), javascript: links, a <div> renamed <p> around a heading
# (lazy-image-1), video iframes, a table layout and a plain news page.
CORPUS_PAGES = ["005-unescape-html-entities", "ol", "hidden-nodes", "base-url-base-element",
                "base-url-base-element-relative", "js-link-replacement", "lazy-image-1", "videos-1",
                "table-style-attributes", "bbc-1"]
PARAGRAPH = ("The committee met on Thursday and agreed, after a long debate, to publish the full report, "
             "including the appendix on spending, before the end of the month. ")


def _stock(html: str, url: str | None) -> lxml.html.HtmlElement:
    """What the stage returned before: stock summary() parsed back into a <div>."""
    summary = Document(lxml.html.document_fromstring(html, parser=_PARSER), url=url).summary(html_partial=True)
    return lxml.html.fragment_fromstring(summary, create_parent="div")


def _ours(html: str, url: str | None) -> lxml.html.HtmlElement:
    return readability_article(lxml.html.document_fromstring(html, parser=_PARSER), url)


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _links(element: lxml.html.HtmlElement) -> list[tuple[str, str | None]]:
    return [(str(e.tag), e.get("href") or e.get("src")) for e in element.iter("a", "img", "iframe")]


@pytest.mark.parametrize("name", CORPUS_PAGES)
def test_corpus_page_gives_stock_text_and_links(corpus: Path, name: str) -> None:
    html = (corpus / "readability-test-pages" / name / "source.html").read_text(encoding="utf-8", errors="replace")
    stock, ours = _stock(html, MOZILLA_URL), _ours(html, MOZILLA_URL)
    assert _text(ours) == _text(stock)
    assert _links(ours) == _links(stock)


@pytest.mark.parametrize(
    ("body", "url"),
    [
        (f"<div class='post'><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH}</p></div><div class='footer'>x</div>", None),
        (f"<base href='https://cdn.example.org/a/'><div><p>{PARAGRAPH * 2}<a href='b.html'>more</a>"
         f"<img src='c.png' style='width:10px' width='10'></p></div>", "https://example.com/x/y"),
        (f"<div><p>{PARAGRAPH}<a href='javascript:alert(1)' onclick='x()'>js</a></p></div>", "https://example.com/"),
        ("<div><span>Too short for any paragraph.</span></div>", "https://example.com/"),  # no candidate
        (f"<div>{PARAGRAPH}<h2>Heading inside a div that becomes a p</h2>{PARAGRAPH}</div>", None),
        (f"<div>Loose text {PARAGRAPH}<br><span>inline</span><br>tail {PARAGRAPH}</div>", None),
        (f"<main><div class='intro'><p>{PARAGRAPH * 4}</p></div><div><p>{PARAGRAPH * 6}</p></div></main>", None),
        (f"<div><h2>Table  of\n Contents</h2><ul><li><a href='#a'>One</a></li><li><a href='#b'>Two</a></li></ul>"
         f"<p>{PARAGRAPH * 4}</p></div>", None),
        (f"<div itemprop='articleBody'><p>{PARAGRAPH * 2}</p></div><div class='content'><p>{PARAGRAPH * 5}</p>"
         f"<article><p>{PARAGRAPH * 3}</p></article></div>", None),
        (f"<div><h2>Preamble heading</h2><p>{PARAGRAPH}</p></div><div class='post'><p>{PARAGRAPH * 5}</p></div>", None),
        # runs of dropped nodes with text between them (the drops are made together)
        ("<div class='post'>" + "".join(f"<p>{PARAGRAPH}</p>a{i}<script>x()</script>b{i}<!-- c -->d{i}"
                                        f"<div class='sidebar'>side</div>e{i}<span hidden>h</span>f{i}"
                                        f"<div style='display:none'>n</div>g{i}<noscript>ns</noscript>"
                                        for i in range(6)) + "</div>", None),
    ],
)
def test_synthetic_pages_give_stock_markup_text_and_links(body: str, url: str | None) -> None:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    stock, ours = _stock(html, url), _ours(html, url)
    assert _text(ours) == _text(stock)
    assert _links(ours) == _links(stock)
    assert [e.attrib for e in ours.iter("img")] == [e.attrib for e in stock.iter("img")]


def test_the_tree_is_used_in_place_and_the_answer_is_a_div() -> None:
    tree = lxml.html.document_fromstring(f"<html><body><div class='post'><p>{PARAGRAPH * 3}</p></div>"
                                         "<script>var x = 1;</script></body></html>")
    article = readability_article(tree, None)
    assert article.tag == "div"
    assert tree.find(".//script") is None  # cleaned in place: the stage owns the tree, nothing copied back
    assert "The committee met" in article.text_content()


def _with_base_and_bad_link(in_article: bool) -> str:
    bad = "<a href='http://[bad'>bad link</a>"
    nav = "" if in_article else f"<ul class='menu'><li>{bad}</li></ul>"
    return (f"<html><head><base href='https://example.com/base/'></head><body>{nav}<div class='post'>"
            f"<p>{PARAGRAPH * 3}{bad if in_article else ''}</p></div></body></html>")


def test_unresolvable_link_in_the_article_fails_like_stock() -> None:
    html = _with_base_and_bad_link(in_article=True)
    with pytest.raises(ValueError):
        Document(html, url="https://example.com/").summary()
    assert len(_ours(html, "https://example.com/")) == 0


def test_unresolvable_link_outside_the_article_no_longer_loses_it() -> None:
    html = _with_base_and_bad_link(in_article=False)
    with pytest.raises(ValueError):  # stock resolves every link of the page, and gives up on this one
        Document(html, url="https://example.com/").summary()
    assert "The committee met" in _ours(html, "https://example.com/").text_content()


def test_a_link_losing_a_block_inside_it_is_measured_again() -> None:
    """sanitize() judges one tag name at a time: a <div> inside a link may go after a <table> around it
    was judged, and the enclosing blocks must then see the link's new, shorter length."""
    from readerly.pipeline.readability_tree import TreeDocument

    html = ("<html><body><div id='article'><div id='Y'><table><tr><td><a href='/x'>go <div class='sidebar'>"
            f"{'sidebar words ' * 15}</div></a> {'plain words here ' * 60}</td></tr></table></div></div></body></html>")

    def kept(document: type) -> list[str]:
        root = lxml.html.fromstring(html)
        node = root.get_element_by_id("article")
        (document(root, None) if document is TreeDocument else document(html)).sanitize(node, {})
        return [e.get("id") or e.tag for e in node.iter("div", "table") if e.get("class") != "sidebar"]

    assert kept(TreeDocument) == kept(Document) == ["article", "Y", "table"]


@pytest.mark.parametrize("html_attrs", ["hidden", "style='visibility:hidden'", "style='display:none'"])
def test_a_hidden_html_element_keeps_the_page_and_loses_what_is_hidden_inside(html_attrs: str) -> None:
    # A guard against a flash of unstyled content, which a script lifts; readability-lxml fails here.
    html = (f"<html {html_attrs}><head><title>t</title></head><body><div class='post'><p>{PARAGRAPH * 3}</p>"
            f"<p>{PARAGRAPH}<span hidden>Hidden words</span><span style='display:none'>Unseen words</span></p>"
            "</div></body></html>")
    text = _text(_ours(html, None))
    assert PARAGRAPH.strip() in text and "Hidden words" not in text and "Unseen words" not in text
