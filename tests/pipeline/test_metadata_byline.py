"""Stage 2, bylines: every author source, the element search, and the cleaning rules of clean_byline."""

from __future__ import annotations

import pytest

from readerly.pipeline.metadata_byline import clean_byline
from tests.pipeline.test_metadata import jsonld, read


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (jsonld({"@type": "Article", "author": "Jane Doe"}), "", "Jane Doe"),
        (jsonld({"@type": "Article", "author": {"@type": "Person", "name": "Jane Doe"}}), "", "Jane Doe"),
        (jsonld({"@type": "Article", "author": [{"name": "Jane Doe"}, {"name": "John Roe"}]}), "",
         "Jane Doe, John Roe"),
        (jsonld({"@type": "Article", "author": {"name": ["Jane Doe"]}}), "", "Jane Doe"),
        ('<meta name="author" content="By Jane Doe">', "", "Jane Doe"),
        ('<meta name="author" content="Jane Doe"><meta name="author" content="John Roe">', "",
         "Jane Doe, John Roe"),
        ('<meta name="DC.creator" content="Jane Doe">', "", "Jane Doe"),
        ('<meta name="dcterms.creator" content="Jane Doe">', "", "Jane Doe"),
        ('<meta name="parsely-author" content="Jane Doe">', "", "Jane Doe"),
        ('<meta property="article:author" content="Jane Doe">', "", "Jane Doe"),
        ('<meta property="article:author" content="https://facebook.com/jane">', "", None),
        ('<meta name="author" content="Jane Doe (https://jane.example/)">', "", "Jane Doe"),
        ("", '<a rel="author" href="/jane">Jane Doe</a>', "Jane Doe"),
        ("", '<span itemprop="author" itemscope><span itemprop="name">Jane Doe</span> Staff</span>', "Jane Doe"),
        ("", '<div class="byline">By Jane Doe</div>', "Jane Doe"),
        ("", '<p class="post-author">Written by Jane Doe, March 3, 2024</p>', "Jane Doe"),
        ("", '<div id="Byline">Von Hans Müller</div>', "Hans Müller"),
        ("", '<div class="author"><a href="/jane">Jane Doe</a> Science Editor</div>', "Jane Doe"),
        ("", '<div class="byline"><span>By <a href="/jane">Jane Doe</a></span><span>Football writer</span>'
             '<time datetime="2024-04-13">Saturday 13 April 2024</time></div>', "Jane Doe"),
        ("", '<div class="comments"><div class="comment-author">A Reader</div></div>', None),
        ("", '<ul class="most-read"><li><span class="byline">By Someone Else</span></li></ul>', None),
        ("", '<div class="related-posts"><span class="author">Someone Else</span></div>'
             '<div class="byline">By Jane Doe</div>', "Jane Doe"),
        ("", '<footer class="entry-footer"><span class="byline">By <a rel="author" href="/a/j">Jane Doe</a>'
             "</span></footer>", "Jane Doe"),
        ("", '<div class="byline" style="display: none">Hidden Person</div>', None),
        ("", '<div id="authorization">Sign in</div>', None),
        ("", '<div class="byline">' + "Far too long to be a byline " * 5 + "</div>", None),
        ('<meta name="author" content="Jane Doe">', '<div class="byline">By Other Person</div>', "Jane Doe"),
        ('<meta property="article:author" content="Section Editor">', '<div class="byline">By Jane Doe</div>',
         "Jane Doe"),
    ],
    ids=["jsonld-string", "jsonld-object", "jsonld-list", "jsonld-name-list", "meta-author", "meta-repeated",
         "dc-creator", "dcterms-creator", "parsely", "article-author-name", "article-author-url",
         "meta-author-with-link", "rel-author", "itemprop-name", "byline-class", "author-class-date",
         "byline-id-german", "linked-name-role", "adjacent-spans", "comment-author", "most-read-list",
         "related-then-own", "entry-footer", "hidden", "authorization", "too-long",
         "declared-beats-dom", "dom-beats-article-author"],
)
def test_byline_sources(head: str, body: str, expected: str | None) -> None:
    assert read(head, body).byline == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by: JANE DOE", "JANE DOE"),
        ("Written by Jane Doe", "Jane Doe"),
        ("Posted by Jane Doe", "Jane Doe"),
        ("Von Hans Müller", "Hans Müller"),
        ("Por María García", "María García"),
        ("Par Jean Dupont", "Jean Dupont"),
        ("Door Jan de Vries", "Jan de Vries"),
        ("Autor: Jan Kowalski", "Jan Kowalski"),
        ("di Mario Rossi", "Mario Rossi"),
        ("Di Caprio", "Di Caprio"),
        ("By Jane Doe | Updated March 3, 2024", "Jane Doe"),
        ("By Jane Doe, March 3, 2024", "Jane Doe"),
        ("Jane Doe on 3 March 2024", "Jane Doe"),
        ("Jane Doe 2024-03-03", "Jane Doe"),
        ("by Jane Doe22 Dec 2016651", "Jane Doe"),
        ("Jane Doe Updated 5:40 pm", "Jane Doe"),
        ("Written by Jane Doe Edited by John Roe", "Jane Doe"),
        ("Jane Doe and John Roe", "Jane Doe, John Roe"),
        ("Jane Doe, John Roe and Ann Lee", "Jane Doe, John Roe, Ann Lee"),
        ("Jane Doe, John Roe, and Ann Lee", "Jane Doe, John Roe, Ann Lee"),
        ("Jane Doe & John Roe", "Jane Doe, John Roe"),
        ("Hans Müller und Eva Schmidt", "Hans Müller, Eva Schmidt"),
        ("Jane Doe (with John Roe and Ann Lee)", "Jane Doe, John Roe, Ann Lee"),
        ("Jean Dupont (avec Marie Curie)", "Jean Dupont, Marie Curie"),
        ("Mac & i", "Mac & i"),
        ("John E Smith", "John E Smith"),
        ("Ana Souza e Pedro Lima", "Ana Souza, Pedro Lima"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("Jane Doe, Senior Science Editor, and John Roe", "Jane Doe, John Roe"),
        ("About the author: Jane Doe", "Jane Doe"),
        ("Tom and Jerry", "Tom and Jerry"),
        ("Doe, Jane", "Doe, Jane"),
        ("Jane Doe, Jane Doe", "Jane Doe"),
        ("Jane Doe jane@example.com", "Jane Doe"),
        ("  By \n  Jane&nbsp;Doe ", "Jane Doe"),
        ("Follow Author", None),
        ("By", None),
        ("Sunday, Feb 1, 2015 11:57 AM UTC", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_byline(raw: str | None, expected: str | None) -> None:
    assert clean_byline(raw) == expected
