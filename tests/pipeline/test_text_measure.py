"""Text lengths as readability-lxml's clean() counts them: same numbers, whole text or composed from parts."""

from __future__ import annotations

import random
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from readability.readability import clean

from readerly.pipeline.text_measure import TextLengths, clean_length, concat, summarize

# Deep enough for candidates to nest in many levels; readability's own clean() checks every level.
DEPTH = 80
ALPHABET = [" ", "\t", "\n", "\r", "\xa0", "\u2028", "\x0b", "a", "b", ","]


def _random_text(rng: random.Random) -> str:
    chars = [rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 5, 40, 400]))]
    run = rng.choice([" ", "\t", " \t", "\n ", "\xa0"]) * rng.randint(0, 400)
    chars.insert(rng.randrange(len(chars) + 1), run)
    return "".join(chars)


@pytest.mark.parametrize("seed", range(4))
def test_clean_length_matches_readability_clean(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        text = _random_text(rng)
        assert clean_length(text) == len(clean(text)), repr(text)


@pytest.mark.parametrize("seed", range(4))
def test_a_text_cut_anywhere_composes_to_the_same_length(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        parts = [_random_text(rng) for _ in range(rng.randint(1, 5))]
        summary = summarize(None)
        for part in parts:
            summary = concat(summary, summarize(part))
        assert max(summary[0], 0) == len(clean("".join(parts))), repr(parts)


def _assert_every_element_measured_right(root: lxml.html.HtmlElement) -> None:
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    candidates = [e for e in elements if e.tag in ("div", "td", "section", "article", "body")]
    lengths = TextLengths(candidates)
    for element in reversed(elements):  # inner first, then outer ones reuse their summaries
        assert lengths.length(element) == len(clean(element.text_content())), lxml.etree.tostring(element)[:80]


def test_deeply_nested_candidates_with_comments_and_tails() -> None:
    rng = random.Random(7)
    html = "<html><body>" + "".join(
        f"<div> {_random_text(rng)}<!-- a comment -->{_random_text(rng)}<p>x{_random_text(rng)}y</p>"
        f"<span>\t</span>{_random_text(rng)}" for _ in range(DEPTH)
    ) + "</div>" * DEPTH + "</body></html>"
    _assert_every_element_measured_right(lxml.html.document_fromstring(html))


@pytest.mark.parametrize("name", ["wikipedia", "mozilla-1", "table-style-attributes", "lwn-1"])
def test_corpus_pages_every_element(corpus: Path, name: str) -> None:
    html = (corpus / "readability-test-pages" / name / "source.html").read_text(encoding="utf-8", errors="replace")
    _assert_every_element_measured_right(lxml.html.document_fromstring(html))


@pytest.mark.parametrize("text", ["", "   ", "one", " one  two\tthree\nfour ", "a " * 70000, "x" * 200000 + " y",
                                  ("word " * 20000 + "\n") * 3])
def test_count_words_is_split_exactly(text: str) -> None:
    from readerly.pipeline.text_measure import count_words

    assert count_words(text) == len(text.split())


@pytest.mark.parametrize("seed", range(3))
def test_collapse_spaces_is_the_whole_text_substitution(seed: int) -> None:
    import re

    from readerly.pipeline.text_measure import collapse_spaces

    rng = random.Random(seed)
    for _ in range(40):
        # Long enough to be cut into chunks, with runs that straddle the cuts.
        text = "".join(_random_text(rng) for _ in range(rng.choice([1, 50, 400])))
        assert collapse_spaces(text) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("text", ["", " ", "\n\t ", "a", " a ", " " * 200000, " " * 70000 + "x" + " " * 70000,
                                  "x" * 200000, "word " * 40000, "\u3000two\xa0words\u2028"])
def test_collapse_spaces_edges(text: str) -> None:
    import re

    from readerly.pipeline.text_measure import collapse_spaces

    assert collapse_spaces(text) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("seed", range(3))
def test_join_matches_is_the_whole_text_findall(seed: int) -> None:
    import re

    from readerly.pipeline.text_measure import join_matches

    words = re.compile(r"\w+")
    rng = random.Random(seed)
    for _ in range(40):
        text = "".join(_random_text(rng) for _ in range(rng.choice([1, 50, 400])))
        assert join_matches(words, text) == " ".join(words.findall(text))
    assert join_matches(words, " " * 70000 + "x" + " " * 70000 + "y") == "x y"
