"""Stage 3: boilerplate removal by rules, on the whole page and again inside the extracted article.

1. measure   one bottom-up pass counts each element's text, link text and paragraph text, and finds the
             container of the article's paragraphs; it and its ancestors are never removed
2. walk      top-down in document order; an element that matches is removed whole and its subtree
             is not visited, so each removal is recorded once, for the outermost element
3. match     markup first (tag, ARIA role, class/id vocabulary, form fields), then labels (a label
             alone, a label leading links, a title heading a container or a list) — rules/*.toml
4. guard     nothing holding half of the running text goes, whatever matched it, and no rule whose
             matches on paragraphs hold half of it together (then it names the article's paragraphs, as
             a publisher's class="paywall" does: those <p>s stay); labels never take a block holding
             the page's <h1>
5. drop      removed elements leave their tail text in place (drop_tree's result, in one pass)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import lxml.etree
import lxml.html

from readerly.pipeline.context import REMOVAL_TEXT_CHARS, Context
from readerly.pipeline.strip_labels import match_label
from readerly.pipeline.strip_markup import Match, NameCache, match_markup
from readerly.pipeline.strip_stats import INVISIBLE_TAGS, TextStats, display_text, measure
from readerly.pipeline.strip_structure import (
    match_author_box,
    match_linked_headline,
    match_teaser_card,
    site_host,
)
from readerly.pipeline.tree_edits import drop_all
from readerly.rules import normalize_label

# An element holding this share of the page's running text (text outside links) is the article or
# wraps it, whatever its class says: a body class like "has-comments" or a wrapper id like
# "main-content" must not empty the page.
MAX_PROSE_SHARE = 0.5
# Never removed, whatever matches them.
_ROOT_TAGS = frozenset({"html", "body"})
# Content whose inner markup is not page structure: a highlighter's <span class="comment"> in a code
# block is code, not a comment thread, and a cell's class styles data. Neither judged nor entered,
# unless the page is laid out in one (then it holds the article and is protected).
_ATOMIC_TAGS = frozenset({"pre", "code", "math", "svg", "table"})
# Rules read from class and id names: the only ones a page's own naming can turn against its article.
_NAME_RULES = ("class:", "id:")


def strip_boilerplate(tree: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Remove boilerplate from the whole page before the article is scored."""
    _strip(tree, ctx, site=None)
    return tree


def strip_article(content: lxml.html.HtmlElement, ctx: Context) -> lxml.html.HtmlElement:
    """Remove injections left inside the extracted article, bare linked headlines included."""
    _strip(content, ctx, site=site_host(ctx.metadata.canonical_url or ctx.url) or "")
    return content


@dataclass(frozen=True)
class _Pass:
    """Facts of one pass over a tree that every element is judged against."""

    stats: TextStats
    total_prose: int
    # The byline as the metadata stage read it, normalised; "" when the page names no author.
    author: str
    # The page's host in the article pass (a bare link to another post there is an injection); None on
    # the whole page, where link lists are left to the other rules and to scoring.
    site: str | None
    cache: NameCache
    # Class/id rules found to name the article's own paragraphs on this page: they match no <p> here.
    spared: frozenset[str] = frozenset()


def _strip(root: lxml.html.HtmlElement, ctx: Context, site: str | None) -> None:
    """Measure, find the outermost matching elements, record them in document order and drop them."""
    stats = measure(root)
    run = _Pass(stats, stats.prose(root), normalize_label(ctx.metadata.byline or ""), site, ctx.class_names)
    removals = _find_removals(root, run)
    spared = _rules_naming_the_article(removals, run)
    if spared:
        run = replace(run, spared=spared)
        removals = _find_removals(root, run)
    for element, match in removals:
        text = " ".join(display_text(part, REMOVAL_TEXT_CHARS) for part in (element, *match.followers))
        ctx.record(match.kind, match.rule, text)
    drop_all(part for element, match in removals for part in (element, *match.followers))


def _find_removals(root: lxml.html.HtmlElement, run: _Pass) -> list[tuple[lxml.html.HtmlElement, Match]]:
    """Walk the tree top-down; a matched element is not descended into, so only outermost ones count."""
    found: list[tuple[lxml.html.HtmlElement, Match]] = []
    taken: set[lxml.html.HtmlElement] = set()
    stack = list(root.iterchildren(lxml.etree.Element, reversed=True))  # elements only: no comments
    protected = run.stats.protected
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag in INVISIBLE_TAGS or element in taken:
            continue
        if tag in _ATOMIC_TAGS and element not in protected:
            continue
        match = _match(element, run)
        if match is not None:
            found.append((element, match))
            taken.update(match.followers)
            continue
        stack.extend(element.iterchildren(lxml.etree.Element, reversed=True))
    return found


def _rules_naming_the_article(removals: list[tuple[lxml.html.HtmlElement, Match]], run: _Pass) -> frozenset[str]:
    """Class and id rules whose matches on paragraphs hold half of the running text together.

    Each paragraph of a metered article may carry class="paywall" (the selector that structured data
    gives for the gated part); one by one they pass the share guard, together they are the article.
    Only <p> matches count, and only <p>s are spared: a long comment thread is matched whole or comment
    by comment as blocks, and a paywall prompt or sign-up box of the same name still goes.
    """
    if not run.total_prose:
        return frozenset()
    prose: dict[str, int] = {}
    for element, match in removals:
        if element.tag == "p" and match.rule.startswith(_NAME_RULES):
            prose[match.rule] = prose.get(match.rule, 0) + run.stats.prose(element)
    return frozenset(rule for rule, chars in prose.items() if chars >= MAX_PROSE_SHARE * run.total_prose)


def _match(element: lxml.html.HtmlElement, run: _Pass) -> Match | None:
    """The rule an element matches, unless it is the article or holds most of its text."""
    stats = run.stats
    if element in stats.protected or element.tag in _ROOT_TAGS:
        return None
    if run.total_prose and stats.prose(element) >= MAX_PROSE_SHARE * run.total_prose:
        return None
    found = match_markup(element, run.cache)
    if found is not None and element.tag == "p" and found.rule in run.spared:
        found = None
    if found is None and element not in stats.headline_holders:
        found = match_label(element, stats)
        if found is None and run.author:
            found = match_author_box(element, stats, run.author)
    if found is None and run.site is not None:
        found = match_linked_headline(element, stats, run.site) or match_teaser_card(element, stats)
    return found
