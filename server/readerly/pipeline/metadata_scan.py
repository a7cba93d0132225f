"""One pass over the few tags metadata lives in, so the stage never walks the page twice for them."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from readerly.pipeline.metadata_values import clean_value

# lxml filters these in C during the walk: only they ever become Python objects.
_SCANNED_TAGS = ("meta", "script", "link", "base", "time", "title", "h1", "h2", "main", "article", "body")
# Meta keys that a page repeats once per author; their values are joined, not just the first kept.
_MULTI_VALUE_KEYS = frozenset({"author", "dc:creator", "dcterms:creator", "article:author", "parsely-author"})


@dataclass(frozen=True)
class PageTags:
    """The raw material of the metadata stage, gathered in document order."""

    metas: dict[str, str]
    jsonld: tuple[str, ...]
    links: dict[str, str]
    base_href: str | None
    published_datetime: str | None
    times: tuple[lxml.html.HtmlElement, ...]
    title: str
    h1s: tuple[str, ...]
    headings: tuple[str, ...]
    region_dirs: tuple[str, ...]
    body_dir: str | None


def scan_page(tree: lxml.html.HtmlElement) -> PageTags:
    """Collect metas, JSON-LD texts, links, dated <time>s, titles, headings and dir= of the main regions."""
    metas = _MetaCollector()
    jsonld: list[str] = []
    links: dict[str, str] = {}
    times: list[lxml.html.HtmlElement] = []
    headings: list[tuple[str, str]] = []
    base_href = title = body_dir = None
    region_dirs: list[str] = []
    for element in tree.iter(*_SCANNED_TAGS):
        tag = element.tag
        if tag == "meta":
            metas.add(element)
        elif tag == "script":
            if "ld+json" in (element.get("type") or "").lower() and element.text:
                jsonld.append(element.text)
        elif tag == "link":
            href = element.get("href")
            for rel in (element.get("rel") or "").lower().split():
                if href:
                    links.setdefault(rel, href)
        elif tag == "time":
            if element.get("datetime"):
                times.append(element)
        elif tag in ("h1", "h2"):
            headings.append((tag, " ".join(element.text_content().split())))
        elif tag in ("main", "article"):
            if element.get("dir"):
                region_dirs.append(element.get("dir", ""))
        elif tag == "body":
            body_dir = element.get("dir")
        elif tag == "title" and title is None:
            title = element.text_content()
        elif tag == "base" and base_href is None:
            base_href = element.get("href")
    return PageTags(
        metas=metas.values(),
        jsonld=tuple(jsonld),
        links=links,
        base_href=base_href,
        published_datetime=next((t.get("datetime") for t in times if t.get("itemprop") == "datePublished"), None),
        times=tuple(times),
        title=title or "",
        h1s=tuple(text for tag, text in headings if tag == "h1"),
        headings=tuple(text for _, text in headings),
        region_dirs=tuple(region_dirs),
        body_dir=body_dir,
    )


class _MetaCollector:
    """<meta> contents by key: RDFa `property` beats `name`, the first value of a key wins,
    and authors given one tag each are joined."""

    def __init__(self) -> None:
        self.by_property: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}

    def add(self, meta: lxml.html.HtmlElement) -> None:
        content = clean_value(meta.get("content"))
        if content is None:
            return
        for key in (meta.get("property") or "").split():
            self.by_property.setdefault(meta_key(key), []).append(content)
        for attribute in ("name", "itemprop", "http-equiv"):
            name = meta.get(attribute)
            if name:
                self.by_name.setdefault(meta_key(name), []).append(content)

    def values(self) -> dict[str, str]:
        values = {key: contents[0] for key, contents in self.by_name.items()}
        values.update((key, contents[0]) for key, contents in self.by_property.items())
        for key in _MULTI_VALUE_KEYS:
            contents = self.by_property.get(key) or self.by_name.get(key)
            if contents and len(contents) > 1:
                values[key] = ", ".join(dict.fromkeys(contents))
        return values


def meta_key(raw: str) -> str:
    """DC.Title -> dc:title, dcterm:x -> dcterms:x, og:article:author -> article:author."""
    key = "".join(raw.split()).lower().replace(".", ":")
    if key.startswith("dcterm:"):
        return "dcterms:" + key[7:]
    return key[3:] if key.startswith("og:article:") else key
