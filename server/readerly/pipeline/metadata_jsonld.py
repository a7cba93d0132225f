"""Schema.org JSON-LD: the article object a page describes itself with, read defensively."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from readerly.pipeline.metadata_values import clean_value

# CMSs wrap the JSON in CDATA or HTML comments for old parsers; both are noise to json.loads.
_OPENERS = ("<![CDATA[", "<!--")
_CLOSERS = ("]]>", "-->")
# A comma before a closing brace or bracket: invalid JSON that templates often produce.
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# Schema.org types that describe one article: *Article (NewsArticle, TechArticle, ...),
# *Posting (BlogPosting, SocialMediaPosting, ...), and the few others the vocabulary has.
_ARTICLE_TYPE = re.compile(r"^(?:\w*Article|\w*Posting|Report|APIReference)$")
# Types whose `name` is the site itself, a fallback for the site name.
_SITE_TYPES = frozenset({"WebSite"})
# Where a page object points at the article it is about (WebPage.mainEntity and the reverse).
_ENTITY_KEYS = ("mainEntity", "mainEntityOfPage")
# Line breaks separate paragraphs in articleBody; kept as blank lines so the text can stand in for a page.
_LINE_BREAKS = re.compile(r"[\r\n]+")
# Bounds the walk through hostile or enormous JSON-LD; real pages need two or three levels.
_MAX_DEPTH = 4


@dataclass(frozen=True)
class JsonLdFacts:
    """What the JSON-LD says about the article; every field may be None."""

    name: str | None = None
    headline: str | None = None
    authors: tuple[str, ...] = ()
    description: str | None = None
    publisher: str | None = None
    website: str | None = None
    date_published: str | None = None
    image: str | None = None
    article_body: str | None = None


def read_jsonld(blocks: Iterable[str]) -> JsonLdFacts:
    """The first article-typed object of the page's JSON-LD scripts, with @id references resolved."""
    nodes = [node for block in _parsed_blocks(blocks) for node in _flatten(block, 0)]
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    article = next((node for node in nodes if _is_article(node)), None)
    website = next((clean_value(n.get("name")) for n in nodes if _types(n) & _SITE_TYPES), None)
    if article is None:
        return JsonLdFacts(website=website)
    publisher = _resolve(_first_item(article.get("publisher")), index)
    return JsonLdFacts(
        name=clean_value(article.get("name")),
        headline=clean_value(article.get("headline")),
        authors=tuple(_author_names(article.get("author"), index)),
        description=clean_value(article.get("description")),
        publisher=clean_value(publisher.get("name") if isinstance(publisher, dict) else publisher),
        website=website,
        date_published=clean_value(article.get("datePublished") or article.get("dateCreated")),
        image=_image_url(article.get("image"), index) or _image_url(article.get("thumbnailUrl"), index),
        article_body=_body_text(article.get("articleBody")),
    )


def _parsed_blocks(blocks: Iterable[str]) -> Iterator[Any]:
    """Each script's JSON, skipping blocks that are not valid JSON (common, and never fatal)."""
    for block in blocks:
        text = _unwrap(block)
        if not text:
            continue
        parsed = _loads(text)
        if parsed is None:
            # The one slip template-written JSON commonly makes; a second try costs nothing on valid pages.
            parsed = _loads(_TRAILING_COMMA.sub(r"\1", text))
        if parsed is not None:
            yield parsed


def _loads(text: str) -> Any:
    try:
        # strict=False accepts raw newlines inside strings, which many CMSs emit in articleBody.
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def _unwrap(block: str) -> str:
    text = block.strip()
    for opener in _OPENERS:
        if text.startswith(opener):
            text = text[len(opener) :].lstrip()
    for closer in _CLOSERS:
        if text.endswith(closer):
            text = text[: -len(closer)].rstrip()
    return text


def _flatten(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Top-level objects, array items, @graph members and their main entities, in page order."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        yield from _flatten(value.get("@graph"), depth + 1)
        for key in _ENTITY_KEYS:
            entity = value.get(key)
            if isinstance(entity, dict | list):
                yield from _flatten(entity, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    """@type as a set of bare names: a string or a list, with any vocabulary prefix dropped."""
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {name.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names if isinstance(name, str)}


def _is_article(node: dict[str, Any]) -> bool:
    return any(_ARTICLE_TYPE.match(name) for name in _types(node))


def _first_item(value: Any) -> Any:
    return (value[0] if value else None) if isinstance(value, list) else value


def _resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """Follow a bare {"@id": ...} reference to the full object elsewhere in the graph."""
    if isinstance(value, dict) and isinstance(value.get("@id"), str) and len(value) <= 2:
        return index.get(value["@id"], value)
    return value


def _author_names(value: Any, index: dict[str, dict[str, Any]]) -> Iterator[str]:
    """Names from a string, a Person/Organization object, or a list of either."""
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, index)
        raw = item.get("name") if isinstance(item, dict) else item
        if isinstance(raw, list):
            raw = next((part for part in raw if isinstance(part, str)), None)
        name = clean_value(raw)
        if name and "://" not in name:
            yield name


def _image_url(value: Any, index: dict[str, dict[str, Any]]) -> str | None:
    """An image given as a URL string, an ImageObject, or a list of either (first usable wins)."""
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, index)
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl")
            if isinstance(item, list):
                item = item[0] if item else None
        url = clean_value(item)
        if url:
            return url
    return None


def _body_text(raw: Any) -> str | None:
    """articleBody with one paragraph per line, separated by blank lines."""
    if not isinstance(raw, str):
        return None
    paragraphs = (clean_value(part) for part in _LINE_BREAKS.split(raw))
    text = "\n\n".join(part for part in paragraphs if part)
    return text or None
