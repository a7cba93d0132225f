"""Stage 1: bytes or str -> one lxml tree, with the charset found and hostile sizes refused."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import lxml.etree
import lxml.html

from readerly.errors import NoArticle, PayloadTooLarge
from readerly.pipeline.context import Context

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers look for a charset declaration in the first 1024 bytes; we allow a little more for
# pages with long <head> comments before <meta charset>.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters lxml refuses in text (XML 1.0 forbids them): C0 controls, lone surrogates, non-characters.
_UNPARSEABLE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A synonym browsers apply: pages declaring latin-1 are really decoded as windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}

# huge_tree lifts libxml2's 256-level nesting cap (to 2048): pages full of unclosed <div>s nest that
# deep, and below the cap libxml2 silently drops the rest of the page.
# Text pages have next to no control characters; binary data has them every few bytes.
_BINARY_SAMPLE_CHARS = 65536
_BINARY_JUNK_SHARE = 0.05
_BINARY_MIN_JUNK = 16

# Counted in C: iterating in Python builds a proxy object per element.
_ELEMENT_COUNT = lxml.etree.XPath("count(//*)")


def html_parser(**options: bool) -> lxml.html.HTMLParser:
    """lxml.html's parser whose elements are all HtmlElement, the class chosen in C.

    lxml.html's own class lookup is a Python call each time an element is touched (to give form
    fields classes of their own, which nothing here uses): 10-15 % of an extraction.
    """
    parser = lxml.html.HTMLParser(**options)
    parser.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    ))
    return parser


_PARSER = html_parser(remove_comments=True, remove_pis=True, default_doctype=False, huge_tree=True)


def new_element(tag: str) -> lxml.html.HtmlElement:
    """An element that is the root of a document of its own, from the parser the page was read with.

    What is appended to it moves into that document and keeps the C element lookup; lxml.html's
    builder would bring back the Python one for the whole article.
    """
    element: lxml.html.HtmlElement = _PARSER.makeelement(tag)
    return element


def parse_html(html: str | bytes, ctx: Context) -> lxml.html.HtmlElement:
    """Decode and parse a page; never raises on broken markup, only on empty or oversized input."""
    text = decode_html(html) if isinstance(html, bytes) else html
    if _utf8_size(text, ctx.options.max_html_bytes) > ctx.options.max_html_bytes:
        raise PayloadTooLarge(f"the page is larger than {ctx.options.max_html_bytes} bytes")
    if not text.strip():
        raise NoArticle("the page is empty")
    if _looks_binary(text):
        raise NoArticle("this is not an HTML page: it looks like binary data")
    try:
        root = _parse(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NoArticle(f"the page could not be read as HTML: {exc}") from exc
    _check_size(root, ctx)
    return root


def _parse(text: str) -> lxml.html.HtmlElement:
    """Parse as it is; only a page lxml refuses (control characters, an XML declaration) is cleaned first.

    Cleaning every page would scan it twice more for characters almost no page has.
    """
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except ValueError:
        cleaned = _UNPARSEABLE_CHARS.sub("\ufffd", _XML_DECLARATION.sub("", text, count=1))
        return lxml.html.document_fromstring(cleaned, parser=_PARSER)


def _utf8_size(text: str, limit: int) -> int:
    """UTF-8 size of the text; not encoded when it cannot reach the limit (at most 4 bytes a character)."""
    if len(text) * 4 <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _looks_binary(text: str) -> bool:
    """Images, archives and the like decode to a mess of control and replacement characters."""
    sample = text[:_BINARY_SAMPLE_CHARS]
    junk = len(_UNPARSEABLE_CHARS.findall(sample)) + sample.count("\ufffd")
    return junk > max(_BINARY_MIN_JUNK, _BINARY_JUNK_SHARE * len(sample))


def decode_html(data: bytes) -> str:
    """Bytes -> str by BOM, then <meta charset>/http-equiv, then UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _declared_charset(data[:_PRESCAN_BYTES])
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:65536]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace")


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        b"<".decode(name)  # unknown names, and codecs that are not text encodings (rot13, base64)
    except (LookupError, UnicodeError, ValueError):
        return None
    # A page cannot really be UTF-16 if its declaration was readable as ASCII (HTML spec rule).
    return "utf-8" if name.startswith("utf-16") else name


def _check_size(root: lxml.html.HtmlElement, ctx: Context) -> None:
    """Refuse trees whose size would make later stages slow; libxml2 itself caps nesting depth."""
    limit = ctx.options.max_elements
    if _ELEMENT_COUNT(root) > limit:
        raise PayloadTooLarge(f"the page has more than {limit} elements")
