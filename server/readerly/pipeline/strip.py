"""Stage 3: boilerplate removal by rules, on the whole page and again inside the extracted article.

1. measure   one bottom-up pass counts each element's text, link text and paragraph text, and finds the
             container of the article's paragraphs; it and its ancestors are never removed
2. walk      top-down in document order; an element that matches is removed whole and its subtree
             is not visited, so each removal is recorded once, for the outermost element
3. match     markup first (tag, ARIA role, class/id vocabulary, form fields), then labels (a label
             alone, a label leading links, a title heading a container or a list) — rules/*.toml
4. guard     nothing holding half of the running text goes, whatever matched it; labels never
             take a block holding the page's <h1>
5. drop      removed elements leave their tail text in place (drop_tree)
"""

from __future__ import annotations

import lxml.html

from readerly.pipeline.context import Context
from readerly.pipeline.strip_headlines import match_linked_headline, site_host
from readerly.pipeline.strip_labels import match_label
from readerly.pipeline.strip_markup import Match, NameCache, match_markup
from readerly.pipeline.strip_stats import INVISIBLE_TAGS, TextStats, display_text, measure

# An element holding this share of the page's running text (text outside links) is the article or
# wraps it, whatever its class says: a body class like "has-comments" or a wrapper id like
# "main-content" must not empty the page.
MAX_PROSE_SHARE = 0.5
# Never removed, whatever matches them.
_ROOT_TAGS = frozenset({"html", "body"})


def strip_boilerplate(tree: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Remove boilerplate from the whole page before the article is scored."""
    _strip(tree, ctx, site=None)
    return tree


def strip_article(content: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Remove injections left inside the extracted article, bare linked headlines included."""
    _strip(content, ctx, site=site_host(ctx.metadata.canonical_url or ctx.url) or "")
    return content


def _strip(root: lxml.html.HtmlElement, ctx: Context, site: str | None) -> None:
    """Measure, find the outermost matching elements, record them in document order and drop them.

    `site` is the page's host inside the article (where a bare link to another post is an injection)
    and None on the whole page (where link lists are left to the other rules and to scoring).
    """
    stats = measure(root)
    for element, match in _find_removals(root, stats, site):
        text = " ".join(display_text(part) for part in (element, *match.followers))
        ctx.record(match.kind, match.rule, text)
        for part in (element, *match.followers):
            part.drop_tree()


def _find_removals(root: lxml.html.HtmlElement, stats: TextStats,
                   site: str | None) -> list[tuple[lxml.html.HtmlElement, Match]]:
    """Walk the tree top-down; a matched element is not descended into, so only outermost ones count."""
    found: list[tuple[lxml.html.HtmlElement, Match]] = []
    taken: set[lxml.html.HtmlElement] = set()
    cache: NameCache = {}
    total_prose = stats.prose(root)
    stack = [child for child in reversed(root) if isinstance(child.tag, str)]
    while stack:
        element = stack.pop()
        if element in taken or element.tag in INVISIBLE_TAGS:
            continue
        match = _match(element, stats, cache, total_prose, site)
        if match is not None:
            found.append((element, match))
            taken.update(match.followers)
            continue
        stack.extend(child for child in reversed(element) if isinstance(child.tag, str))
    return found


def _match(element: lxml.html.HtmlElement, stats: TextStats, cache: NameCache, total_prose: int,
           site: str | None) -> Match | None:
    """The rule an element matches, unless it is the article or holds most of its text."""
    if element in stats.protected or element.tag in _ROOT_TAGS:
        return None
    if total_prose and stats.prose(element) >= MAX_PROSE_SHARE * total_prose:
        return None
    found = match_markup(element, cache)
    if found is None and element not in stats.headline_holders:
        found = match_label(element, stats)
    if found is None and site is not None:
        found = match_linked_headline(element, stats, site)
    return found
