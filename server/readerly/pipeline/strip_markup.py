"""Markup rules: what an element is by its tag, ARIA role, class/id names and form fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from readerly.pipeline.images import has_image_source
from readerly.pipeline.strip_stats import INLINE_TAGS
from readerly.rules import RULES

# camelCase humps split like "-": "heateorSssClear" -> heateor sss clear.
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NAME_SEPARATORS = re.compile(r"[-_:.]+")
# Vocabulary entries have at most three tokens (rules/__init__.py enforces it).
_MAX_ENTRY_TOKENS = 3
# Longer ids are slugs of a heading ("sharing-with-a-single-developer"), not names of a role.
_MAX_ID_TOKENS = 3
# A heading's id is an anchor made from its own text ("related-reading", "comments-on-the-draft"), so it
# says what the section is about, not what role the heading plays.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Links are judged by the block they sit in: a class on a link styles it ("toc-backref" in a heading).
_UNCLASSED_TAGS = frozenset({"a"})
# A name that says what an element has or lacks ("fig--has-shares", "has-comments", "no-sidebar") is a
# modifier of a figure, post or layout, not the widget's own name: the words after these do not match.
_FEATURE_WORDS = frozenset({"has", "no", "without"})
# Elements inside a line of text match a vocabulary entry only as a whole name ("=screen-reader-text"):
# a token of a formula's or a highlighter's class must not cut a sentence.
_INLINE_TAGS = INLINE_TAGS - {"img"}
# Names a picture takes when it opens in a lightbox ("td-modal-image", "popup-gallery", "conModal"); on
# anything else they name a dialog.
_LIGHTBOX_ENTRIES = frozenset({"modal", "popup"})


@dataclass(frozen=True)
class Match:
    """Why an element goes: its kind, the rule, and any following siblings that go with it."""

    kind: str
    rule: str
    followers: tuple[lxml.html.HtmlElement, ...] = ()


# Per run (both passes): (attribute, whole names only, lightbox names count, value) -> (kind, rule) hit,
# or None; pages repeat the same class strings.
NameCache = dict[tuple[str, bool, bool, str], tuple[str, str] | None]


def match_markup(element: lxml.html.HtmlElement, cache: NameCache) -> Match | None:
    """Kind of an element by what its markup says: tag, ARIA role, class/id vocabulary, form fields."""
    tag = str(element.tag)
    if tag == "form":
        return Match(_form_kind(element), "tag:form")
    kind = _TAG_KINDS.get(tag)
    if kind is not None:
        return Match(kind, f"tag:{tag}")
    role = element.get("role")
    if role:
        role = role.strip().lower()
        if role in _ROLE_KINDS:
            return Match(_ROLE_KINDS[role], f"role:{role}")
    if tag in _UNCLASSED_TAGS:
        return None
    whole_only = tag in _INLINE_TAGS
    for attribute in ("class", "id") if tag not in _HEADING_TAGS else ("class",):
        value = element.get(attribute)
        if not value:
            continue
        hit = _cached_lookup(cache, (attribute, whole_only, True, value))
        if hit is not None and hit[1] in _LIGHTBOX_ENTRIES and _is_picture(element):
            hit = _cached_lookup(cache, (attribute, whole_only, False, value))
        if hit is _POST:
            return None
        if hit is not None:
            return Match(hit[0], f"{attribute}:{hit[1]}")
    return None


# Read once: the rule tables as plain dicts, and the cache's marker for a string not looked up yet.
_TAG_KINDS, _ROLE_KINDS = dict(RULES.tag_kinds), dict(RULES.role_kinds)
_UNSEEN = ("?", "?")


# A class list naming the post itself: its other names are taxonomy, so nothing on it matches.
_POST = ("", "")


def _cached_lookup(cache: NameCache, key: tuple[str, bool, bool, str]) -> tuple[str, str] | None:
    hit = cache.get(key, _UNSEEN)
    if hit is _UNSEEN:
        hit = cache[key] = _lookup_attribute(*key)
    return hit


def _is_picture(element: lxml.html.HtmlElement) -> bool:
    """An image with a source, or a block of such images and no text: a lightbox opens it, it is no dialog.

    tagDiv's featured image is <img class="td-modal-image">; a log-in pop-up has fields and words.
    """
    images = [element] if element.tag == "img" else list(element.iter("img"))
    if not images or not all(has_image_source(image) for image in images):
        return False
    return element.tag == "img" or not element.text_content().strip()


def _lookup_attribute(attribute: str, whole_only: bool, lightbox: bool, value: str) -> tuple[str, str] | None:
    """The first vocabulary hit among an attribute's names, or _POST for a post's own class list.

    Without `lightbox`, the names a lightbox gives its picture ("modal", "popup") are passed over.
    """
    tokenized = [_tokens(name) for name in value.split()]
    if attribute == "class" and any(_is_post_marker(tokens) for tokens in tokenized):
        return _POST
    for tokens in tokenized:
        hit = _lookup_tokens(tokens, attribute, whole_only, lightbox)
        if hit is not None:
            return hit
    return None


def _tokens(name: str) -> list[str]:
    if name.islower() or not any(char.isupper() for char in name):  # no camelCase humps to split
        text = name.lower()
    else:
        text = _CAMEL_HUMP.sub("-", name).lower()
    return [token for token in _NAME_SEPARATORS.split(text) if token]


def _is_post_marker(tokens: list[str]) -> bool:
    return bool(tokens) and ("=" + "-".join(tokens) in _POST_MARKERS or "^" + tokens[0] in _POST_MARKERS)


def _lookup_tokens(tokens: list[str], attribute: str, whole_only: bool, lightbox: bool) -> tuple[str, str] | None:
    """The vocabulary entry a class/id name (as tokens) hits: whole name, then longest token runs first."""
    if not tokens or (attribute == "id" and len(tokens) > _MAX_ID_TOKENS):
        return None
    if _VOCABULARY_TOKENS.isdisjoint(tokens):
        return None  # every entry is made of vocabulary tokens: none of them, no entry
    table = _CLASS_RULES
    whole = table.get("=" + "-".join(tokens))
    if whole is not None or whole_only:
        return whole
    for size in range(min(_MAX_ENTRY_TOKENS, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            if start and not _FEATURE_WORDS.isdisjoint(tokens[:start]):
                continue  # "has-social-shares": every word after the modifier describes, none names
            key = "-".join(tokens[start:start + size])
            hit = table.get("^" + key) if start == 0 else None
            hit = hit or table.get(key)
            if hit is not None and (lightbox or hit[1] not in _LIGHTBOX_ENTRIES):
                return hit
    return None


_CLASS_RULES = dict(RULES.class_rules)
_POST_MARKERS = RULES.post_markers
# Every token of every vocabulary entry ("=related-posts" -> related, posts).
_VOCABULARY_TOKENS = frozenset(token for entry in _CLASS_RULES for token in entry.lstrip("=^").split("-"))


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
