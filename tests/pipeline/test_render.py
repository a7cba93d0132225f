"""Stage 7: the Article's text, counts and the four output formats."""

from __future__ import annotations

import json

import lxml.html
import pytest

from readerly.article import Metadata
from readerly.errors import InvalidInput, NoArticle
from readerly.pipeline.context import Context
from readerly.pipeline.render import READER_CSP, build_article, html_to_text, render_article

BODY = " ".join(["word"] * 30)
CONTENT = (
    f"<div><h2>Section</h2><p>First paragraph with a <a href='https://e.com/'>link</a>. {BODY}</p>"
    "<ul><li>one</li><li>two</li></ul><pre><code>a = 1\n    b = 2</code></pre>"
    "<table><tr><th>k</th><th>v</th></tr><tr><td>x</td><td>1</td></tr></table></div>"
)


def _article(content: str = CONTENT, **meta: str | None):  # type: ignore[no-untyped-def]
    ctx = Context(url="https://example.com/story")
    ctx.metadata = Metadata(**meta)  # type: ignore[arg-type]
    ctx.record("ads", "label:advertisement", "Advertisement")
    return build_article(content, ctx)


def test_text_has_paragraphs_split_by_blank_lines_and_pre_verbatim() -> None:
    text = html_to_text(lxml.html.fragment_fromstring(CONTENT))
    blocks = text.split("\n\n")
    assert blocks[0] == "Section"
    assert blocks[1].startswith("First paragraph with a link.")
    assert "one\ntwo" in text
    assert "a = 1\n    b = 2" in text
    assert "k\tv\nx\t1" in text


def test_player_link_cards_are_in_the_content_and_markdown_but_not_the_text() -> None:
    card = '<p class="readerly-embed"><a href="https://www.youtube.com/embed/x">Embedded media from youtube.com</a></p>'
    article = _article(CONTENT.replace("</div>", f"{card}<p>After the video.</p></div>", 1))
    assert "Embedded media" in article.content and "Embedded media" in article.markdown
    assert "Embedded media" not in article.text
    assert "After the video." in article.text
    assert article.word_count == _article().word_count + 3


def test_article_fields() -> None:
    article = _article(title="T", byline="Ann Author", lang="en")
    assert article.title == "T" and article.byline == "Ann Author" and article.url == "https://example.com/story"
    assert article.word_count >= 30
    assert article.reading_time_minutes == 1
    assert article.excerpt and article.excerpt.startswith("First paragraph")
    assert article.markdown.startswith("## Section")
    assert "[link](https://e.com/)" in article.markdown
    assert article.removed[0].kind == "ads"


def test_description_wins_over_first_paragraph_as_excerpt() -> None:
    assert _article(excerpt="From meta").excerpt == "From meta"


def test_no_words_is_no_article() -> None:
    with pytest.raises(NoArticle):
        _article("<div><p> </p><img src='https://example.com/a.png'></div>")


def test_a_few_words_from_a_large_page_is_no_article() -> None:
    ctx = Context(url=None)
    ctx.page_words = 400
    with pytest.raises(NoArticle):
        build_article("<div><p>Please sign in to continue.</p></div>", ctx)


def test_a_page_that_is_only_a_few_words_is_shown_as_it_is() -> None:
    ctx = Context(url=None)
    ctx.page_words = 6
    assert build_article("<div><p>Please sign in to continue.</p></div>", ctx).word_count == 5


def test_cjk_characters_count_as_words() -> None:
    article = _article("<div><p>" + "読書は心の糧である。" * 10 + "</p></div>")
    assert article.word_count >= 90
    assert article.reading_time_minutes == 1


def test_reading_time_scales_with_length() -> None:
    article = _article("<div>" + ("<p>" + " ".join(["word"] * 100) + "</p>") * 10 + "</div>")
    assert article.reading_time_minutes == 5  # 1000 words at 230 a minute


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("json", "application/json"), ("html", "text/html; charset=utf-8"),
     ("markdown", "text/markdown; charset=utf-8"), ("text", "text/plain; charset=utf-8")],
)
def test_every_format_renders(fmt: str, content_type: str) -> None:
    rendered = render_article(_article(title="The <Title>", byline="Ann"), fmt)
    assert rendered.content_type == content_type
    assert "Advertisement" not in rendered.body if fmt != "json" else True
    if fmt == "json":
        data = json.loads(rendered.body)
        assert data["title"] == "The <Title>" and data["removed"][0]["text"] == "Advertisement"
    elif fmt == "html":
        assert "The &lt;Title&gt;" in rendered.body and "<script" not in rendered.body
    elif fmt == "markdown":
        assert rendered.body.startswith("# The <Title>\n\n*Ann")
    else:
        assert rendered.body.startswith("Section\n\nFirst paragraph")


def test_reader_page_is_complete_accessible_and_script_free() -> None:
    page = render_article(_article(title="T", byline="Ann", lang="de", dir="ltr"), "html").body
    assert page.startswith("<!doctype html>")
    assert '<html lang="de" dir="ltr">' in page
    assert "<main" in page and "<header" in page and "<article>" in page
    assert "min read" in page
    assert "prefers-color-scheme: dark" in page and "@media print" in page
    assert "sepia" in page
    assert "default-src 'none'; img-src" in page
    assert "script-src" not in READER_CSP and "default-src 'none'" in READER_CSP
    assert 'href="https://example.com/story"' in page


def test_reader_page_links_only_http_originals() -> None:
    ctx = Context(url="javascript:alert(1)")
    article = build_article(CONTENT, ctx)
    assert "javascript:" not in render_article(article, "html").body


def test_unknown_format_is_invalid() -> None:
    with pytest.raises(InvalidInput) as info:
        render_article(_article(), "pdf")
    assert info.value.code == "invalid_format"
