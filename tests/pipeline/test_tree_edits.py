"""drop_all() leaves the tree drop_tree() would, one element at a time."""

from __future__ import annotations

import random

import lxml.html
import pytest

from readerly.pipeline.tree_edits import drop_all


def _page(rng: random.Random) -> str:
    parts = []
    for i in range(60):
        kind = rng.choice(["div", "p", "comment", "text", "nested"])
        if kind == "comment":
            parts.append(f"<!-- c{i} -->")
        elif kind == "text":
            parts.append(f" loose text {i} ")
        elif kind == "nested":
            parts.append(f"<div class='x'>in {i}<span class='x'>s{i}</span> after {i}"
                         f"<div class='x'>d{i}</div>t{i}</div>")
        else:
            parts.append(f"<{kind} class='{rng.choice(['x', 'y'])}'>block {i}</{kind}>")
        if rng.random() < 0.5:
            parts.append(f" tail {i} ")
    return "<main>head " + "".join(parts) + "</main>"


@pytest.mark.parametrize("seed", range(5))
def test_the_same_tree_as_dropping_one_by_one(seed: int) -> None:
    html = _page(random.Random(seed))
    batch, single = lxml.html.fragment_fromstring(html), lxml.html.fragment_fromstring(html)
    drop_all([e for e in batch.iter() if isinstance(e.tag, str) and e.get("class") == "x"])
    for element in reversed([e for e in single.iter() if isinstance(e.tag, str) and e.get("class") == "x"]):
        element.drop_tree()
    assert lxml.html.tostring(batch) == lxml.html.tostring(single)


def test_nothing_to_drop_changes_nothing() -> None:
    root = lxml.html.fragment_fromstring("<main>a<p>b</p>c</main>")
    drop_all([])
    assert lxml.html.tostring(root) == b"<main>a<p>b</p>c</main>"


def test_a_root_is_passed_over_and_what_is_doomed_inside_it_still_goes() -> None:
    root = lxml.html.document_fromstring("<html><body>a<p>b</p>c<i>d</i>e</body></html>")
    drop_all([root, root.find(".//i")])
    assert lxml.html.tostring(root) == b"<html><body>a<p>b</p>ce</body></html>"


def test_deeply_nested_drops_are_each_found_once() -> None:
    root = lxml.html.fragment_fromstring("<main>" + "<div>" * 200 + "<span hidden>x</span>y" * 50 + "</main>")
    drop_all([*root.iter("span"), *root.iter("span")])  # twice: duplicates are one drop
    assert root.text_content() == "y" * 50
