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


@pytest.mark.parametrize(("text", "words"), [
    ("市议会周二投票决定延长图书馆的开放时间", 1 + 9),  # one token of 19 characters: plus one per two
    ("図書館の開館時間を延長する", 1 + 6),
    ("香港", 1 + 1),
    ("Readerly 支持 中文", 3 + 2),
    ("café’s menu", 2),  # accents and curly quotes are not CJK
    ("서울시 도서관 개관 시간", 4),  # Hangul is written with spaces
])
def test_count_words_counts_chinese_and_japanese_by_characters(text: str, words: int) -> None:
    from readerly.pipeline.text_measure import count_words

    assert count_words(text, cjk=True) == words
    assert count_words(text) == len(text.split())  # other pages do not pay for the scan


@pytest.mark.parametrize(("lang", "title", "sample", "cjk"), [
    ("zh-CN", "", "", True), ("ja", "", "", True), (None, "港特首就住宅违建事件道歉 - 中文网", "", True),
    ("en", "図書館の開館時間を延長する", "", True),  # a template's lang="en" on a Japanese page
    # a brand's title in Latin letters over Chinese text
    ("en", "Nikkei Asia", "市议会周二投票决定延长图书馆的开放时间，此前学生和轮班工人递交请愿书。", True),
    ("en", "Harbour ferry to run every twenty minutes", "The ferry will run every twenty minutes.", False),
    (None, "Tokyo 東京 guide", "Language: English | 中文 | 日本語", False),  # a language menu on any page
    ("ko", "서울시 도서관 개관 시간", "서울시 도서관 개관 시간", False),
])
def test_a_page_is_chinese_or_japanese_by_its_language_title_or_text(lang: str | None, title: str, sample: str,
                                                                     cjk: bool) -> None:
    from readerly.pipeline.text_measure import writes_cjk

    assert writes_cjk(lang, title, sample) is cjk


def test_count_words_on_long_chinese_text_is_the_sum_of_its_chunks() -> None:
    from readerly.pipeline.text_measure import count_words

    paragraph = "市议会周二投票决定延长图书馆的开放时间。" * 20  # 380 characters and 20 stops, one token
    assert count_words(paragraph, cjk=True) == 1 + 190
    assert count_words((paragraph + "\n") * 1000, cjk=True) == (1 + 190) * 1000


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
