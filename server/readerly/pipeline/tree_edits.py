"""Edits of a parsed tree that lxml would make one element at a time."""

from __future__ import annotations

from collections.abc import Iterable

import lxml.html


def drop_all(elements: Iterable[lxml.html.HtmlElement]) -> None:
    """drop_tree() for many elements at once, in linear time; elements inside others go with them, and a
    root (which drop_tree() cannot drop) is passed over while its doomed descendants still go.

    drop_tree() appends a dropped element's tail to the text before it, so dropping a run of n siblings
    one by one rebuilds a growing string n times (seconds and gigabytes on a page of thousands of
    cards). Here each parent's children are walked once and every text or tail is assigned once.
    """
    doomed = {element for element in elements if element.getparent() is not None}  # a root has nowhere to go
    inside: dict[lxml.html.HtmlElement, bool] = {}
    parents: dict[lxml.html.HtmlElement, None] = {}
    for element in doomed:
        parent = element.getparent()
        if not is_within(parent, doomed, inside):
            parents[parent] = None
    for parent in parents:
        receiver, attribute, pieces = parent, "text", [parent.text or ""]
        for child in list(parent):
            if child in doomed:
                pieces.append(child.tail or "")
                parent.remove(child)  # its tail leaves with it; the tail is already in pieces
                continue
            setattr(receiver, attribute, "".join(pieces) or None)
            receiver, attribute, pieces = child, "tail", [child.tail or ""]
        setattr(receiver, attribute, "".join(pieces) or None)


def is_within(element: lxml.html.HtmlElement | None, marked: set[lxml.html.HtmlElement],
              inside: dict[lxml.html.HtmlElement, bool]) -> bool:
    """Whether the element or one of its ancestors is marked. `inside` remembers the answer for every
    element climbed past, so over many calls each element is climbed once: a page of 2,000 unclosed
    <div>s costs no more per call than a flat one."""
    climbed: list[lxml.html.HtmlElement] = []
    answer = False
    while element is not None:
        known = inside.get(element)
        if known is not None:
            answer = known
            break
        if element in marked:
            answer = True
            climbed.append(element)
            break
        climbed.append(element)
        element = element.getparent()
    for passed in climbed:
        inside[passed] = answer
    return answer
