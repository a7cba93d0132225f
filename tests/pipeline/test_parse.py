"""Stage 1: decoding and parsing never crash on odd input and refuse hostile sizes."""

from __future__ import annotations

import codecs

import lxml.html
import pytest

from readerly.errors import NoArticle, PayloadTooLarge
from readerly.pipeline.context import Context, Options
from readerly.pipeline.parse import decode_html, parse_html

RUSSIAN = "<p>Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний</p>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "<p>café</p>".encode(), "café"),
        (codecs.BOM_UTF16_LE + "<p>café</p>".encode("utf-16-le"), "café"),
        (b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251"), "Съешь"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
         + RUSSIAN.encode("koi8-r"), "Съешь"),
        ("<p>naïve café</p>".encode(), "naïve"),
        ('<meta charset="iso-8859-1"><p>\x93quoted\x94 caf\xe9</p>'.encode("latin-1"), "\u201cquoted\u201d"),
        ((RUSSIAN * 20).encode("cp1251"), "Съешь"),
    ],
    ids=["bom-utf8", "bom-utf16", "meta-charset", "http-equiv", "plain-utf8", "latin1-is-cp1252", "detected"],
)
def test_decode_html_finds_the_charset(data: bytes, expected: str) -> None:
    assert expected in decode_html(data)


@pytest.mark.parametrize("name", ["no-such-charset", "rot13", "base64", "hex", "zlib", "undefined"])
def test_unknown_or_non_text_declared_charset_falls_back_to_utf8(name: str) -> None:
    assert "é" in decode_html(f'<meta charset="{name}"><p>é</p>'.encode())


@pytest.mark.parametrize(
    "html",
    [
        "<div><p>unclosed <b>bold <i>italic</div></span></p>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>xml declared</p></body></html>",
        "<p>nul\x00char and lone \ud800 surrogate</p>",
        "<table><tr><td>cell<p>para</table>",
        "\x89PNG\r\n\x1a\n binary junk \xff\xfe",
    ],
    ids=["unclosed", "xml-declaration", "nul-and-surrogate", "misnested-table", "binary"],
)
def test_broken_markup_never_crashes(html: str) -> None:
    root = parse_html(html, Context(url=None))
    assert root.tag == "html"


@pytest.mark.parametrize("html", ["", "   \n\t ", b""])
def test_empty_input_is_no_article(html: str | bytes) -> None:
    with pytest.raises(NoArticle):
        parse_html(html, Context(url=None))


def test_input_over_the_size_limit_is_refused() -> None:
    ctx = Context(url=None, options=Options(max_html_bytes=1000))
    with pytest.raises(PayloadTooLarge):
        parse_html("<p>" + "x" * 1000 + "</p>", ctx)


def test_size_limit_counts_utf8_bytes() -> None:
    ctx = Context(url=None, options=Options(max_html_bytes=1000))
    with pytest.raises(PayloadTooLarge):
        parse_html("<p>" + "é" * 600 + "</p>", ctx)  # 600 characters, 1200 bytes


def test_element_count_limit() -> None:
    ctx = Context(url=None, options=Options(max_elements=1000))
    with pytest.raises(PayloadTooLarge, match="elements"):
        parse_html("<p>x</p>" * 2000, ctx)


def _depth(root: lxml.html.HtmlElement) -> int:
    return max(sum(1 for _ in element.iterancestors()) for element in root.iter())


def test_nesting_depth_is_capped() -> None:
    root = parse_html("<div>" * 5000 + "deep" + "</div>" * 5000, Context(url=None))
    assert _depth(root) <= 2048


def test_unclosed_wrappers_keep_the_text_below_them() -> None:
    """Hundreds of unclosed <div>s nest deep; the paragraphs at the bottom must survive parsing."""
    html = "".join(f"<div><p>paragraph {i}</p>" for i in range(600))
    root = parse_html(html, Context(url=None))
    assert _depth(root) > 600
    assert "paragraph 599" in root.text_content()
