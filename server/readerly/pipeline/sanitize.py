"""Stage 6: allowlist sanitizing with nh3 — whatever the page held, the output is safe to insert.

The allowlist is data: tags and attributes a reader view needs, nothing that runs or loads by itself
beyond images. URLs are limited to http(s) and mailto, and every link opens without an opener.
"""

from __future__ import annotations

import lxml.html
import nh3

from readerly.pipeline.context import Context

ALLOWED_TAGS = frozenset({
    "a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Presentation MathML, for formulas in science and maths articles; no maction, mglyph or
# annotation-xml (they can link out or carry HTML).
MATHML_TAGS = frozenset({
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "msup", "msub", "msubsup", "mfrac", "msqrt",
    "mroot", "mstyle", "merror", "mpadded", "mphantom", "mfenced", "menclose", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "mlabeledtr", "semantics",
    "annotation",
})
# Attributes allowed on every tag: language and direction matter for mixed-script articles; ids
# (prefixed by the tidy stage) are footnote and section targets.
_GENERIC_ATTRS = {"lang", "dir", "title", "id"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC_ATTRS,
    "a": {"href"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "code": {"class"},  # language-* classes for syntax highlighting in clients
    "pre": {"class"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "img": {"src", "alt", "width", "height"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "q": {"cite"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "time": {"datetime"},
    "p": {"class"},  # "readerly-embed" link cards
    "details": {"open"},
    "math": {"display", "xmlns"},
    "mo": {"stretchy", "fence", "separator", "form", "largeop", "movablelimits"},
    "mfrac": {"linethickness"},
    "mtd": {"columnspan", "rowspan", "columnalign"},
    "mtable": {"columnalign", "rowalign"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "annotation": {"encoding"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Content of these is dropped with the tag, not kept as text.
_DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed",
                                "textarea", "select", "button", "svg", "canvas", "head", "title",
                                "annotation-xml", "maction", "mglyph"})


def sanitize_html(content: lxml.html.HtmlElement, ctx: Context) -> str:
    """Serialize the article once and pass it through the allowlist."""
    html = lxml.html.tostring(content, encoding="unicode", method="html")
    return sanitize_fragment(html)


def sanitize_fragment(html: str) -> str:
    """The allowlist itself, on any HTML fragment."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS | MATHML_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
