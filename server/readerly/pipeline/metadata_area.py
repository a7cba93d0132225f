"""Where an element sits: in the article's own area, or in comments, related lists and page chrome.

Used to keep bylines and dates of comments, related posts and widgets from passing as the article's.
"""

from __future__ import annotations

import re

import lxml.html

# Containers whose author mentions are not the article's: comments, related lists, page chrome.
_FOREIGN_CONTAINER = re.compile(
    r"comment|disqus|repl(?:y|ies)|related|recommend|sidebar|widget|footer|menu|"
    r"banner|breadcrumb|social|share|sponsor|promo|pagination|pager|rss|community|"
    r"trending|popular|most-?read|teaser|recirc|outbrain|taboola|read-?next|up-?next|"
    r"more-(?:stories|articles|posts|from)",
    re.IGNORECASE,
)
# ... unless the same class also says it is the article's own part ("article-header", WordPress's
# "entry-footer" where many themes print "By <author>").
_OWN_CONTAINER = re.compile(
    r"article|body|column|content|main|hentry|type-post|(?:entry|post)-(?:header|footer|meta)", re.IGNORECASE
)
_FOREIGN_ROLES = frozenset(
    {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
)
_FOREIGN_TAGS = frozenset({"nav", "script", "style", "noscript", "template", "form"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def in_article_area(element: lxml.html.HtmlElement) -> bool:
    """Visible, and not inside comments, related lists, navigation or other page chrome."""
    if _is_hidden(element) or element.tag in _FOREIGN_TAGS:
        return False
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        if _is_hidden(ancestor) or ancestor.tag in _FOREIGN_TAGS:
            return False
        if ancestor.get("role") in _FOREIGN_ROLES:
            return False
        marks = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if _FOREIGN_CONTAINER.search(marks) and not _OWN_CONTAINER.search(marks):
            return False
    return True


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    """Hidden by attribute or inline style, as a reader would never have seen it."""
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
    )
