"""Deciding what one element is: markup rules (tag, role, class/id, forms), then label rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree
import lxml.html

from readerly.pipeline.strip_stats import INLINE_TAGS, INVISIBLE_TAGS, TextStats, visible_chars
from readerly.rules import RULES, normalize_label

# camelCase humps split like "-": "heateorSssClear" -> heateor sss clear.
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NAME_SEPARATORS = re.compile(r"[-_:.]+")
# Vocabulary entries have at most three tokens (rules/__init__.py enforces it).
_MAX_ENTRY_TOKENS = 3
# Longer ids are slugs of a heading ("sharing-with-a-single-developer"), not names of a role.
_MAX_ID_TOKENS = 3
# Links are judged by the block they sit in: a class on a link styles it ("toc-backref" in a heading).
_UNCLASSED_TAGS = frozenset({"a"})
# Cells, items and rows are judged as part of their table or list: a lone "Ad" in a cell is data.
_NOT_ALONE_TAGS = frozenset({"a", "td", "th", "tr", "li", "dt", "dd", "option", "caption", "tbody", "thead"})
# Blocks of running text: an inline element inside one is part of a sentence, not a label of its own.
_RUNNING_TEXT_TAGS = frozenset({"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                                "blockquote", "figcaption", "caption", "pre", "label"})
# Elements inside a line of text match a vocabulary entry only as a whole name ("=screen-reader-text"):
# a token of a formula's or a highlighter's class must not cut a sentence.
_INLINE_TAGS = INLINE_TAGS - {"img"}

# Label rules only read short texts: an injected box or a widget title is never long, and reading the
# text of large containers would make the pass slow.
ALONE_MAX_CHARS = 400
LEAD_MAX_CHARS = 1200
LABEL_MAX_CHARS = 80
# After a leading label, links must make up at least this share of the rest: "Read also: <a>…</a>"
# passes, "Read more about the ruling in <a>our explainer</a> and …" does not.
LEAD_LINK_RATIO = 0.5
# A list that follows a label line on its own must be mostly links to count as the labelled block.
SIBLING_LINK_RATIO = 0.6
MAX_LABELLED_SIBLINGS = 3
# Some link text must follow a label: a lone "Read more" is not a box of links.
MIN_LINKED_CHARS = 6
# An injected "See also" box points to one or a few posts; a labelled list of many links is a section
# of the article (an encyclopaedia's "See also") or a related block with its own markup rules.
FEW_LINK_KINDS = frozenset({"inline-related"})
MAX_INJECTED_LINKS = 4
# A label inside one of these, next to a link, is a list entry (a footnote, a reference), not a box.
_ITEM_TAGS = frozenset({"li", "td", "th", "dd", "dt"})


@dataclass(frozen=True)
class Match:
    """Why an element goes: its kind, the rule, and any following siblings that go with it."""

    kind: str
    rule: str
    followers: tuple[lxml.html.HtmlElement, ...] = ()


# Per run: attribute value -> (kind, rule) hit, or None; pages repeat the same class strings a lot.
NameCache = dict[tuple[str, bool, str], tuple[str, str] | None]


def match_markup(element: lxml.html.HtmlElement, cache: NameCache) -> Match | None:
    """Kind of an element by what its markup says: tag, ARIA role, class/id vocabulary, form fields."""
    tag = str(element.tag)
    if tag == "form":
        return Match(_form_kind(element), "tag:form")
    if tag in RULES.tag_kinds:
        return Match(RULES.tag_kinds[tag], f"tag:{tag}")
    role = element.get("role")
    if role and role.strip().lower() in RULES.role_kinds:
        return Match(RULES.role_kinds[role.strip().lower()], f"role:{role.strip().lower()}")
    if tag in _UNCLASSED_TAGS:
        return None
    whole_only = tag in _INLINE_TAGS
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if not value:
            continue
        key = (attribute, whole_only, value)
        hit = cache[key] if key in cache else cache.setdefault(key, _lookup_attribute(attribute, value, whole_only))
        if hit is _POST:
            return None
        if hit is not None:
            return Match(hit[0], f"{attribute}:{hit[1]}")
    return None


# A class list naming the post itself: its other names are taxonomy, so nothing on it matches.
_POST = ("", "")


def _lookup_attribute(attribute: str, value: str, whole_only: bool) -> tuple[str, str] | None:
    """The first vocabulary hit among an attribute's names, or _POST for a post's own class list."""
    names = value.split()
    if attribute == "class" and any(_is_post_marker(name) for name in names):
        return _POST
    for name in names:
        hit = _lookup_name(name, attribute, whole_only)
        if hit is not None:
            return hit
    return None


def _tokens(name: str) -> list[str]:
    return [token for token in _NAME_SEPARATORS.split(_CAMEL_HUMP.sub("-", name).lower()) if token]


def _is_post_marker(name: str) -> bool:
    tokens = _tokens(name)
    return bool(tokens) and ("=" + "-".join(tokens) in RULES.post_markers
                             or "^" + tokens[0] in RULES.post_markers)


def _lookup_name(name: str, attribute: str, whole_only: bool) -> tuple[str, str] | None:
    """The vocabulary entry a class/id name hits: whole name, then longest token runs first."""
    tokens = _tokens(name)
    if not tokens or (attribute == "id" and len(tokens) > _MAX_ID_TOKENS):
        return None
    table = RULES.class_rules
    whole = table.get("=" + "-".join(tokens))
    if whole is not None or whole_only:
        return whole
    for size in range(min(_MAX_ENTRY_TOKENS, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            key = "-".join(tokens[start:start + size])
            hit = table.get("^" + key) if start == 0 else None
            hit = hit or table.get(key)
            if hit is not None:
                return hit
    return None


def _form_kind(form: lxml.html.HtmlElement) -> str:
    """A form's purpose from its fields: password -> log-in, textarea -> reply, e-mail -> sign-up."""
    types = {(field.get("type") or "text").lower() for field in form.iter("input")}
    if "password" in types:
        return "login-modal"
    if next(form.iter("textarea"), None) is not None:
        return "comment-form"
    if "email" in types or "subscribe" in (form.get("action") or "").lower():
        return "newsletter"
    return "widgets"


def match_label(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """Kind of an element by its label text: alone, leading a block of links, or titling a container."""
    chars = stats.chars.get(element, 0)
    tag = str(element.tag)
    if chars == 0 or tag in _UNCLASSED_TAGS:
        return None
    if chars <= ALONE_MAX_CHARS and tag not in _NOT_ALONE_TAGS and _stands_alone(element, chars, stats):
        rule = RULES.labels["alone"].match(normalize_label(visible_text(element)))
        if rule is not None:
            return Match(rule.kind, rule.rule)
    if tag in RULES.block_tags and chars <= LEAD_MAX_CHARS and stats.links.get(element, 0) >= MIN_LINKED_CHARS:
        found = _match_lead(element, stats)
        if found is not None:
            return found
    if tag in RULES.heading_tags and chars <= LABEL_MAX_CHARS and element.getnext() is not None:
        found = _match_label_line(element, stats)
        if found is not None:
            return found
    return _match_title(element, stats) if tag in RULES.container_tags and len(element) else None


def _stands_alone(element: lxml.html.HtmlElement, chars: int, stats: TextStats) -> bool:
    """Whether the text is a line of its own not yet tested: inline text inside a sentence is not, and
    when the parent has exactly this text the parent already stood for it (the walk is top-down)."""
    parent = element.getparent()
    if parent is None:
        return True
    if stats.chars.get(parent, 0) == chars:
        return False
    block = parent
    while element.tag in INLINE_TAGS and block is not None and (block.tag in INLINE_TAGS or block.tag == "a"):
        block = block.getparent()
    return not (element.tag in INLINE_TAGS and block is not None and block.tag in _RUNNING_TEXT_TAGS)


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Text a reader sees in an element (no script or style), in document order."""
    if not len(element):
        return element.text or ""
    return "".join(piece for piece, _owner, _link in _pieces(element))


def display_text(element: lxml.html.HtmlElement) -> str:
    """Visible text with a space between pieces, so a removal reads "Related Title", not "RelatedTitle"."""
    return " ".join(" ".join(piece for piece, _owner, _link in _pieces(element)).split())


def _pieces(element: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement, bool]]:
    """Visible text pieces in document order with the element holding each and whether it is linked."""
    walker = lxml.etree.iterwalk(element, events=("start", "end"))
    open_links = 0
    for event, node in walker:
        invisible = not isinstance(node.tag, str) or node.tag in INVISIBLE_TAGS
        if event == "start":
            if invisible:
                walker.skip_subtree()
                continue
            open_links += node.tag == "a"
            if node.text:
                yield node.text, node, open_links > 0
            continue
        if not invisible and node.tag == "a":
            open_links -= 1
        if node is not element and node.tail:
            yield node.tail, node.getparent(), open_links > 0


def _match_lead(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A label before the first link (or opening the first link), with links making up the rest."""
    prefix: list[str] = []
    label_owner: lxml.html.HtmlElement | None = None
    first_link_piece = ""
    for piece, owner, linked in _pieces(element):
        if piece.strip() and label_owner is None:
            label_owner = owner
        if linked:
            if piece.strip():
                first_link_piece = piece
                break
            continue
        prefix.append(piece)
        if visible_chars("".join(prefix)) > LABEL_MAX_CHARS:
            return None
    label = "".join(prefix)
    in_link = not label.strip()
    rule = RULES.labels["lead"].match(normalize_label(first_link_piece if in_link else label))
    if rule is None or label_owner is None or _inside_linked_item(label_owner, element, stats):
        return None
    label_chars = visible_chars(first_link_piece if in_link else label)
    rest = stats.chars[element] - label_chars
    linked_rest = stats.links[element] - (label_chars if in_link else 0)
    if linked_rest < MIN_LINKED_CHARS or linked_rest < LEAD_LINK_RATIO * rest:
        return None
    if rule.kind in FEW_LINK_KINDS and len(_link_targets(element)) > MAX_INJECTED_LINKS:
        return None
    return Match(rule.kind, rule.rule)


def _inside_linked_item(owner: lxml.html.HtmlElement, element: lxml.html.HtmlElement,
                        stats: TextStats) -> bool:
    """Whether the label shares a list item or cell with a link: a footnote's "See also <a>…</a>"."""
    node: lxml.html.HtmlElement | None = owner
    while node is not None and node is not element.getparent():
        if node.tag in _ITEM_TAGS:
            return stats.links.get(node, 0) > 0
        node = node.getparent()
    return False


def _link_targets(element: lxml.html.HtmlElement) -> set[str]:
    return {link.get("href") or "" for link in element.iter("a")}


def _match_label_line(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A title on its own line ("Related Posts:") followed by sibling lists that are mostly links."""
    if visible_chars(element.tail):
        return None
    rule = RULES.labels["title"].match(normalize_label(visible_text(element)))
    if rule is None:
        return None
    followers: list[lxml.html.HtmlElement] = []
    sibling = element.getnext()
    while sibling is not None and len(followers) < MAX_LABELLED_SIBLINGS:
        if isinstance(sibling.tag, str) and sibling.tag not in INVISIBLE_TAGS:
            if stats.chars.get(sibling, 0) == 0 or stats.link_ratio(sibling) < SIBLING_LINK_RATIO:
                break
            followers.append(sibling)
        if visible_chars(sibling.tail):
            break
        sibling = sibling.getnext()
    return Match(rule.kind, rule.rule, tuple(followers)) if followers else None


def _match_title(element: lxml.html.HtmlElement, stats: TextStats) -> Match | None:
    """A container whose first line of text is a title label: the whole container is that block."""
    for piece, owner, _linked in _pieces(element):
        if not piece.strip():
            continue
        line = visible_text(owner) if stats.chars.get(owner, 0) <= LABEL_MAX_CHARS else piece
        rule = RULES.labels["title"].match(normalize_label(line))
        if rule is None and line is not piece:
            rule = RULES.labels["title"].match(normalize_label(piece))
        return Match(rule.kind, rule.rule) if rule is not None else None
    return None
