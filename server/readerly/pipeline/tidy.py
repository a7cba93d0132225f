"""Stage 5: make the extracted article self-contained and lean.

Lazy images get their real source, every URL becomes absolute, embeds become plain links (the
sanitizer allows no frames), and wrappers left empty by earlier stages are dropped.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.html import builder as E

from readerly.pipeline.context import Context
from readerly.pipeline.images import LAZY_SRC_ATTRS, LAZY_SRCSET_ATTRS, has_other_source
from readerly.pipeline.metadata_title import headline_part
from readerly.pipeline.text_measure import element_words, join_matches, link_words
from readerly.pipeline.tree_edits import drop_all

# Tiny inline placeholders (1x1 GIFs, blank SVGs) that lazy loaders put in src.
_PLACEHOLDER_SRC = re.compile(r"^(data:|about:blank|$)|(blank|spacer|placeholder|lazy)[^/]*\.(gif|png|svg)", re.I)
# An attribute value that is one image URL, or a srcset of them (Readability.js's tests, any case).
_IMAGE_URL_VALUE = re.compile(r"\s*\S+\.(?:jpe?g|png|webp)\S*\s*", re.IGNORECASE)
_IMAGE_SRCSET_VALUE = re.compile(r"\.(?:jpe?g|png|webp)\s+\d", re.IGNORECASE)
# Attributes that hold something else than a lazy loader's image URL.
_NOT_IMAGE_SOURCES = frozenset({"src", "srcset", "alt", "title", "href", "class", "id", "style"})
_SRCSET_ENTRY = re.compile(r"\s*(\S+)(?:\s+([\d.]+)([wx]))?\s*(?:,|$)")
_URL_ATTRS = {"a": "href", "img": "src", "video": "src", "audio": "src", "source": "src", "q": "cite",
              "blockquote": "cite", "del": "cite", "ins": "cite"}
# The first h1/h2 of the article, when no paragraph text comes before it.
_FIRST_HEADING = lxml.etree.XPath("(.//h1 | .//h2)[1]")
# Copies of a graphic drawn per breakpoint (ai2html artboards): the page's CSS shows one.
_WIDTH_VARIANTS = lxml.etree.XPath(".//*[@data-min-width]")
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td", "col", "colgroup"})
_TEXT_BEFORE = lxml.etree.XPath("preceding::text()[normalize-space()]")
# Above a repeated title only a kicker ("Title race", "Analysis") may stand; more text means the
# heading is inside the article, not its title.
_KICKER_MAX_WORDS = 6
_WORDS = re.compile(r"\w+")
# Ids from the page live under this prefix in the article, apart from the reader page's own ids.
ID_PREFIX = "r-"
_WITH_ID = lxml.etree.XPath(".//*[@id and normalize-space(@id)]")
_IN_PAGE_LINKS = lxml.etree.XPath(".//a[starts-with(@href, '#') and string-length(@href) > 1]")
_NAMED_ANCHORS = lxml.etree.XPath(".//a[@name and normalize-space(@name) and not(@id)]")
# Blocks at the top of the article, in document order, where a "By …, date" line sits.
_LEADING_BLOCK_COUNT = 4
_BYLINE_MAX_WORDS = 15
# A dateline with the byline ("Le Monde | 04.05.2015 à 13h36 • Mis à jour … | Par …") runs longer; such
# a line holds a date or time and does not end like a sentence.
_DATELINE_MAX_WORDS = 30
_DIGIT = re.compile(r"\d")
# Elements a pull quote is set in, and the fewest words that make one (not a repeated short label).
_PULL_QUOTE_TAGS = ("blockquote", "aside")
MIN_PULL_QUOTE_WORDS = 8
# The class of the link cards that stand in for removed video and audio players.
EMBED_CLASS = "readerly-embed"
_SENTENCE_END = re.compile(r"[.!?…][\"'”»)]?$")
# Headings that share this much of their word sequence with the title repeat it (allows "Updated:"
# prefixes, a dropped subtitle or a site name added to one of them).
_TITLE_SIMILARITY = 0.75
# Players worth a link when their frame is removed; any other frame is an ad, a widget or a tracker.
_MEDIA_HOSTS = re.compile(
    r"(^|\.)(youtube(-nocookie)?\.com|youtu\.be|vimeo\.com|dailymotion\.com|twitch\.tv|ted\.com|"
    r"soundcloud\.com|spotify\.com|bandcamp\.com|wistia\.(com|net)|brightcove\.net|jwplayer\.com|"
    r"jwplatform\.com|streamable\.com|loom\.com|archive\.org|podcasts\.apple\.com|rumble\.com|"
    r"bilibili\.com|peertube\.[a-z.]+|libsyn\.com|simplecast\.com|megaphone\.fm|omny\.fm)$"
)
_EMBEDS = lxml.etree.XPath("//iframe | //embed | //object")
# Elements that carry meaning with no text of their own; a wrapper holding one is not empty.
_CONTENTFUL = frozenset({"img", "picture", "video", "audio", "iframe", "svg", "math", "table", "hr", "br",
                         "pre", "code", "figure", "input", "canvas", "source", "td", "th"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What fills a section besides text: the contentful elements less rules and breaks, inline code, form
# fields, and sources and cells (which sit inside a picture or table already counted).
_SECTION_CONTENT = _CONTENTFUL - {"hr", "br", "code", "input", "source", "td", "th"}
_INLINE = frozenset({"span", "b", "strong", "em", "i", "a", "font"})
_WRAPPERS = frozenset({"div", "span", "section", "p", "article", "aside", "header", "footer", "figure",
                       "font", "center", "b", "strong", "em", "i", "li", "ul", "ol", "blockquote", "a"})


def tidy_article(content: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Resolve lazy images and URLs, turn embeds into links and drop empty wrappers."""
    base = _base_url(content, ctx)
    _picture_empty_figures(content)
    for image in content.iter("img"):
        _resolve_lazy_image(image, base)
    _resolve_pictures(content)
    _replace_embeds(content, base)
    for element in content.iter(*_URL_ATTRS):
        attr = _URL_ATTRS[str(element.tag)]
        value = element.get(attr)
        if value:
            element.set(attr, _absolute(value.strip(), base))
    _namespace_ids(content)
    _keep_widest_variant(content)
    _drop_repeated_title(content, ctx.metadata.title)
    _drop_repeated_byline(content, ctx.metadata.byline)
    _drop_pull_quotes(content)
    _drop_empty_wrappers(content)
    _drop_empty_sections(content)
    return content


def _keep_widest_variant(content: lxml.html.HtmlElement) -> None:
    """Of sibling variants drawn for different screen widths, keep the widest.

    Responsive graphics (ai2html's artboards and the like) put one copy per breakpoint side by side,
    marked data-min-width, and let the page's CSS show one; a reader view showed every copy, each
    with its labels, so a chart read two or three times.
    """
    groups: dict[lxml.html.HtmlElement, list[tuple[int, lxml.html.HtmlElement]]] = {}
    for element in _WIDTH_VARIANTS(content):
        parent = element.getparent()
        width = _pixels(element.get("data-min-width"))
        if parent is not None and width is not None and element.tag not in _TABLE_PARTS:
            groups.setdefault(parent, []).append((width, element))
    narrower: list[lxml.html.HtmlElement] = []
    for variants in groups.values():
        if _are_breakpoint_copies(variants):
            widest = max(variants, key=lambda variant: variant[0])[1]
            narrower.extend(element for _, element in variants if element is not widest)
    drop_all(narrower)


def _are_breakpoint_copies(variants: list[tuple[int, lxml.html.HtmlElement]]) -> bool:
    """Copies for ranges of screen widths: distinct minimums, and each but the widest ends (data-max-width)
    below the widest's minimum. Columns of a resizable table or a split layout carry minimum widths too."""
    if len(variants) < 2 or len({width for width, _ in variants}) < len(variants):
        return False
    widest = max(width for width, _ in variants)
    for width, element in variants:
        if width == widest:
            continue
        maximum = _pixels(element.get("data-max-width"))
        if maximum is None or maximum >= widest:
            return False
    return True


def _pixels(value: str | None) -> int | None:
    digits = (value or "").strip().removesuffix("px")
    return int(digits) if digits.isdigit() else None


def _drop_pull_quotes(content: lxml.html.HtmlElement) -> None:
    """A pull quote repeats a sentence of the article in large type; in a reader view it reads twice.

    A quotation or aside whose words occur again in the article's own text (outside every quotation
    and aside) goes; one quoted twice (a tweet answered further down) or not repeated stays.
    """
    quotes = [(quote, _token_text(quote)) for quote in content.iter(*_PULL_QUOTE_TAGS)]
    long_enough = [(quote, words) for quote, words in quotes if words.count(" ") + 1 >= MIN_PULL_QUOTE_WORDS]
    if not long_enough:
        return  # nothing that could be a pull quote: the article's own words are not needed
    outermost = [words for quote, words in quotes if not any(True for _ in quote.iterancestors(*_PULL_QUOTE_TAGS))]
    article = f" {_token_text(content)} "
    quoted = [f" {words} " for words in outermost]
    for quote, words in long_enough:
        if quote.getparent() is None:
            continue
        needle = f" {words} "
        if article.count(needle) > sum(text.count(needle) for text in quoted):
            quote.drop_tree()


def _token_text(element: lxml.html.HtmlElement) -> str:
    """The element's words, lower-cased and joined by single spaces (punctuation and markup gone).

    Found chunk by chunk: a list of every word of a 10 MiB article was the peak of the whole run.
    """
    return join_matches(_WORDS, element.text_content().lower())


def _namespace_ids(content: lxml.html.HtmlElement) -> None:
    """Prefix every id and in-page link, so footnotes keep working and no id clashes with the page's own."""
    for element in _WITH_ID(content):
        element.set("id", ID_PREFIX + element.get("id", "").strip())
    for link in _IN_PAGE_LINKS(content):
        link.set("href", "#" + ID_PREFIX + link.get("href", "")[1:])
    for anchor in _NAMED_ANCHORS(content):  # <a name="fn1"> is the old form of an id
        anchor.set("id", ID_PREFIX + anchor.attrib.pop("name").strip())


def _drop_repeated_byline(content: lxml.html.HtmlElement, byline: str | None) -> None:
    """The header shows the byline; a short line naming the author before the text starts goes."""
    if not byline:
        return
    names = [n.strip().casefold() for n in byline.split(",") if n.strip()]
    for block in _leading_blocks(content):
        words = block.text_content().split()
        text = " ".join(words)
        if len(words) > _BYLINE_MAX_WORDS and not _is_dateline(text, len(words)):
            return  # the article's text has started
        if text and any(name in text.casefold() for name in names):
            block.drop_tree()
            return


def _leading_blocks(content: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The first paragraphs, innermost <div>s and <address>es, in document order.

    Found by walking from the top and stopping at the fourth: an XPath testing every <div> of the
    article for inner blocks cost a millisecond on a long article.
    """
    found: list[lxml.html.HtmlElement] = []
    for element in content.iterdescendants("p", "div", "address"):
        if element.tag == "div" and next(element.iterdescendants("p", "div"), None) is not None:
            continue
        found.append(element)
        if len(found) == _LEADING_BLOCK_COUNT:
            break
    return found


def _is_dateline(text: str, words: int) -> bool:
    return words <= _DATELINE_MAX_WORDS and bool(_DIGIT.search(text)) and not _SENTENCE_END.search(text)


def _drop_repeated_title(content: lxml.html.HtmlElement, title: str | None) -> None:
    """The reader header shows the title; the same words as the article's first heading go."""
    if not title:
        return
    # The whole title, or its headline before a long site name ("Headline - Author Name (Nickname)").
    headline = headline_part(title)
    wanted = [_WORDS.findall(text.lower()) for text in (title, *([headline] if headline else []))]
    for heading in _FIRST_HEADING(content):
        before = _TEXT_BEFORE(heading)
        if sum(len(str(t).split()) for t in before) > _KICKER_MAX_WORDS:
            return
        words = _WORDS.findall(heading.text_content().lower())
        if not words or all(SequenceMatcher(None, words, w).ratio() < _TITLE_SIMILARITY for w in wanted):
            return
        for text in before:  # the kicker goes with the title it labels
            holder = text.getparent()
            if holder is not None and holder.getparent() is not None and holder.find(".//img") is None:
                holder.drop_tree()
        heading.drop_tree()


def _base_url(content: lxml.html.HtmlElement, ctx: Context) -> str | None:
    """The page's <base href> (found by the extract stage, before the page is cut down), else its URL."""
    return ctx.base_url or ctx.url


def _absolute(url: str, base: str | None) -> str:
    if not base or url.startswith(("#", "data:", "mailto:")):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def _resolve_lazy_image(image: lxml.html.HtmlElement, base: str | None) -> None:
    """Pick the real source of an image: lazy attributes, then the largest srcset candidate."""
    src = image.get("src", "").strip()
    srcset = image.get("srcset") or next((image.get(a) for a in LAZY_SRCSET_ATTRS if image.get(a)), None)
    placeholder = _PLACEHOLDER_SRC.search(src)
    if placeholder:
        lazy = next((image.get(a, "").strip() for a in LAZY_SRC_ATTRS if image.get(a, "").strip()), "")
        # A file merely named like a placeholder ("blanket-coverage.png") is the picture when nothing
        # else is offered; a data: URI or an empty src never is.
        if lazy or srcset or placeholder.group(1) is not None or has_other_source(image):
            src = lazy
    if not src and not srcset:
        kind, value = _source_in_attributes(image) or ("", "")
        src, srcset = (value, None) if kind == "src" else ("", value or None)
    if not src and srcset:
        src = _largest_candidate(srcset) or ""
    for attr in (*LAZY_SRC_ATTRS, *LAZY_SRCSET_ATTRS, "srcset", "sizes", "loading"):
        image.attrib.pop(attr, None)
    if src:
        image.set("src", _absolute(src, base))
    else:
        image.attrib.pop("src", None)


def _source_in_attributes(element: lxml.html.HtmlElement) -> tuple[str, str] | None:
    """An image URL, or a srcset of them, that a lazy loader left in an attribute of its own naming.

    Loaders use attributes no list can name ("data-full-src", "data-img", a figure's "itemid"); as in
    Readability.js, any attribute whose value is an image URL is taken: ("src" or "srcset", value).
    """
    for name, value in element.attrib.items():
        if name in _NOT_IMAGE_SOURCES:
            continue
        if _IMAGE_SRCSET_VALUE.search(value):
            return "srcset", value
        if _IMAGE_URL_VALUE.fullmatch(value):
            return "src", value
    return None


def _picture_empty_figures(content: lxml.html.HtmlElement) -> None:
    """A <figure> with no picture in it but an image URL in an attribute gets that picture back."""
    for figure in content.iter("figure"):
        if next(figure.iter("img", "picture", "video", "svg"), None) is not None:
            continue
        found = _source_in_attributes(figure)
        if found is not None:
            figure.insert(0, E.IMG(**{found[0]: found[1]}))


def _largest_candidate(srcset: str) -> str | None:
    """The widest (or highest-density) URL of a srcset; the first when no sizes are given."""
    best_url, best_size = None, -1.0
    for match in _SRCSET_ENTRY.finditer(srcset):
        url, size = match.group(1), float(match.group(2) or 0)
        if url and size > best_size:
            best_url, best_size = url, size
    return best_url


def _resolve_pictures(content: lxml.html.HtmlElement) -> None:
    """<picture> keeps its <img>; a missing img src is taken from the first <source srcset>."""
    for picture in list(content.iter("picture")):
        image = picture.find(".//img")
        if image is not None and not image.get("src"):
            for source in picture.iter("source"):
                candidate = _largest_candidate(source.get("srcset") or source.get("data-srcset") or "")
                if candidate:
                    image.set("src", candidate)
                    break
        # libxml2 does not know <source> is void and nests what follows inside it: unwrap, never drop.
        for source in list(picture.iter("source")):
            source.drop_tag()
        picture.drop_tag()


def _replace_embeds(content: lxml.html.HtmlElement, base: str | None) -> None:
    """Video and audio players become a link to what they played; other frames (ads, widgets) go."""
    for embed in _EMBEDS(content):
        src = (embed.get("src") or embed.get("data-src") or embed.get("data") or "").strip()
        url = _absolute(src, base) if src else ""
        host = urlsplit(url).hostname or ""
        if not url.startswith(("http://", "https://")) or not _MEDIA_HOSTS.search(host):
            embed.drop_tree()
            continue
        title = " ".join((embed.get("title") or "").split()) or f"Embedded media from {host.removeprefix('www.')}"
        link = E.P(E.A(title, href=url), {"class": EMBED_CLASS})
        link.tail = embed.tail
        embed.getparent().replace(embed, link)


def _drop_empty_wrappers(content: lxml.html.HtmlElement) -> None:
    """Remove wrappers with no text and nothing contentful inside, innermost first.

    Emptiness is read in one bottom-up pass: dropping an empty element never changes whether another
    one is empty, so this is the same as testing each wrapper's text_content() in turn, in linear time.
    """
    filled = _filled_elements(content)
    doomed = []
    walker = lxml.etree.iterwalk(content, events=("start",))
    for _, element in walker:
        if element is content or element.tag not in _WRAPPERS or element in filled:
            continue
        doomed.append(element)
        if element.tag not in _INLINE:
            walker.skip_subtree()  # goes whole, with whatever is inside
    for element in reversed(doomed):
        if element.tag in _INLINE:
            element.drop_tag()  # its whitespace may be the only space between two words
        else:
            element.drop_tree()


def _drop_empty_sections(content: lxml.html.HtmlElement) -> None:
    """A heading with nothing under it goes: its section was boilerplate (a link list, comments) that
    an earlier stage removed, and a bare "See also" or "Comments" at the end reads as a broken page.

    A section is empty when the next thing after its heading is a heading of the same or a higher
    level, or the article's end; nested empty sections go together ("Extras" > "Related" > nothing).
    Headings are judged last to first, each looking ahead only to what follows it.
    """
    dropped: dict[lxml.html.HtmlElement, int | None] = {}
    for heading in reversed(list(content.iter(*_HEADINGS))):
        following = _next_in_flow(heading, content, dropped)
        if following is not None and (following == 0 or following > int(heading.tag[1])):
            continue
        if not _is_link_heading(heading):
            dropped[heading] = following
    drop_all(dropped)


def _next_in_flow(heading: lxml.html.HtmlElement, content: lxml.html.HtmlElement,
                  dropped: dict[lxml.html.HtmlElement, int | None]) -> int | None:
    """What comes after the heading: 0 for text or media, a heading's level, None for the article's end.

    A heading already dropped is passed over: what follows it is what it found following itself (headings
    are judged last to first), so a run of empty sections is read once, not once per heading.
    """
    element = heading
    while True:
        if element.tail and not element.tail.isspace():
            return 0
        following = element.getnext()
        while following is None:
            element = element.getparent()
            if element is None or element is content:
                return None
            if element.tail and not element.tail.isspace():
                return 0
            following = element.getnext()
        walker = lxml.etree.iterwalk(following, events=("start", "end"))
        for event, node in walker:
            if event == "end":
                if node is not following and node.tail and not node.tail.isspace():
                    return 0
            elif not isinstance(node.tag, str):
                continue
            elif node.tag in _HEADINGS:
                return dropped[node] if node in dropped else int(node.tag[1])
            elif (node.text and not node.text.isspace()) or node.tag in _SECTION_CONTENT:
                return 0
        element = following


def _is_link_heading(heading: lxml.html.HtmlElement) -> bool:
    """A heading that is mostly a link is content of its own (a pointer to a report, a release)."""
    words = element_words(heading)
    return words > 0 and link_words(heading) * 2 > words


def _filled_elements(content: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Elements that are contentful or hold text or something contentful (comments' text not counted)."""
    filled: set[lxml.html.HtmlElement] = set()
    for _, element in lxml.etree.iterwalk(content, events=("end",)):
        if not isinstance(element.tag, str):
            continue
        if element.tag in _CONTENTFUL or (element.text and not element.text.isspace()) or any(
            child in filled or (child.tail and not child.tail.isspace()) for child in element
        ):
            filled.add(element)
    return filled
