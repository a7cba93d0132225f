"""Confidence is high on articles and low on pages that are not one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerly import extract
from readerly.errors import NoArticle

PARAGRAPH = ("The harbour authority confirmed on Monday that the old ferry terminal will close for two years "
             "while engineers replace the pilings, which divers found badly corroded last spring. ")


def _teaser(i: int) -> str:
    return (f"<li><a href='/story/{i}'><h3>Headline number {i} about the city budget and the schools</h3></a>"
            f"<a href='/story/{i}'>Read the full story of item {i} here</a></li>")


HOME_PAGE = ("<html><body><header><a href='/'>The Daily</a></header><main><ul>"
             + "".join(_teaser(i) for i in range(30)) + "</ul></main><footer>© The Daily</footer></body></html>")
SEARCH_RESULTS = ("<html><body><form><input name=q value='ferry'></form><ol class='results'>"
                  + "".join(f"<li><a href='/r/{i}'>Ferry terminal result {i} title</a> "
                            f"<a href='/r/{i}'>example.com/r/{i}</a> Ferry schedule snippet</li>"
                            for i in range(25)) + "</ol></body></html>")
LOGIN_WALL = ("<html><body><nav>" + " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(40))
              + "</nav><div class='modal'><h2>Sign in</h2><p>Log in to keep reading.</p>"
              "<form><input name=user><input name=pass type=password><button>Log in</button></form></div>"
              "</body></html>")
SUMMARY = ("The harbour authority says the old terminal closes for two years while divers and engineers "
           "replace the corroded pilings under the pier. ")
SECTION_FRONT = ("<html><head><meta property='og:type' content='article'></head><body><main><section>"
                 + "".join(f"<article><figure><img src='/p{i}.jpg' alt=''></figure><h2><a href='/story/{i}'>"
                           f"Story {i}: what the terminal closure means for commuters</a></h2>"
                           f"<p>{SUMMARY}</p><p>By Reporter {i}</p></article>" for i in range(12))
                 + "</section></main></body></html>")
ROUND_UP = ("<html><head><meta property='og:type' content='article'></head><body><article><h1>Best ferries</h1>"
            + "".join(f"<h2><a href='/shop/{i}'>Ferry pass {i}</a></h2>" + f"<p>{PARAGRAPH * 2}</p>" * 3
                      for i in range(6)) + "</article></body></html>")
FAQ = ("<html><head><meta property='og:type' content='article'></head><body><article><h1>Ferry questions</h1>"
       + "".join(f"<h2 id='q{i}'><a href='#q{i}'>Question {i} about the summer ferry timetable</a></h2>"
                 f"<p>{PARAGRAPH}</p>" for i in range(6)) + "</article></body></html>")
ARTICLE = ("<html><head><meta property='og:type' content='article'></head><body><nav><a href='/'>Home</a></nav>"
           f"<article><h1>Ferry terminal to close</h1>{''.join(f'<p>{PARAGRAPH * 2}</p>' for _ in range(6))}"
           "</article></body></html>")


@pytest.mark.parametrize("html", [HOME_PAGE, SEARCH_RESULTS, LOGIN_WALL, SECTION_FRONT],
                         ids=["home", "search", "login-wall", "section-front-with-summaries"])
def test_low_on_pages_that_are_not_articles(html: str) -> None:
    try:
        article = extract(html, url="https://news.example/")
    except NoArticle:
        return  # nothing readable at all: also a correct answer
    assert article.confidence < 0.5


def test_high_on_an_article() -> None:
    assert extract(ARTICLE, url="https://news.example/ferry").confidence >= 0.85


def test_high_on_questions_and_answers_whose_headings_link_to_themselves() -> None:
    assert extract(FAQ, url="https://news.example/ferry-faq").confidence >= 0.7  # not halved as a list


def test_high_on_a_round_up_whose_headings_are_links() -> None:
    assert extract(ROUND_UP, url="https://news.example/best-ferries").confidence >= 0.85


@pytest.mark.slow
def test_high_on_the_corpus_articles(corpus: Path) -> None:
    scores = []
    for folder in sorted((corpus / "boilerplate-dev").iterdir()):
        if (folder / "truth.json").exists():
            url = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["url"]
            scores.append(extract((folder / "page.html").read_text(encoding="utf-8"), url=url).confidence)
    assert min(scores) >= 0.7, scores
