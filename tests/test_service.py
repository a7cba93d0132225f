"""Single-flight: concurrent equal requests cost one extraction and all get its answer (real threads)."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import zlib
from collections.abc import Callable

import pytest

from readerly.app import create_app
from readerly.article import Article
from readerly.cache import Cache, MemoryCache, cache_key, decode_article, encode_article, html_digest
from readerly.errors import NoArticle, ReaderlyError
from readerly.intake import ExtractRequest
from readerly.metrics import Metrics
from readerly.pipeline import Options
from readerly.pipeline.render import render_article
from readerly.service import Extractor, Outcome
from readerly.state import get_state

URL = "https://example.com/news/council"
PARAGRAPH = ("The council voted on Tuesday to extend the library's opening hours, after a year of petitions "
             "from students and shift workers who said the old schedule shut them out. ")
PAGE = f"<html><head><title>Library hours</title></head><body><article><p>{PARAGRAPH * 4}</p></article></body></html>"
EMPTY_PAGE = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
# How long a leader waits for the expected followers before giving up (never reached when it works).
JOIN_TIMEOUT = 10.0


class CountingExtractor(Extractor):
    """The real extraction, counted; the first one holds until the expected followers are waiting."""

    def __init__(self, followers: int, cache: Cache | None = None, metrics: Metrics | None = None) -> None:
        super().__init__(cache or MemoryCache(64, 1 << 24, 60), metrics or Metrics(), Options())
        self.expected_followers, self.calls = followers, 0
        self._count = threading.Lock()

    def _extract(self, html: str | bytes, url: str | None) -> Article:
        with self._count:
            self.calls += 1
        key = cache_key(url, html_digest(html))
        deadline = time.monotonic() + JOIN_TIMEOUT
        while self.in_flight.followers(key) < self.expected_followers and time.monotonic() < deadline:
            time.sleep(0.005)
        return super()._extract(html, url)


def _request(html: str, use_cache: bool = True) -> ExtractRequest:
    return ExtractRequest(html, html_digest(html), URL, "json", use_cache)


def _in_threads(count: int, call: Callable[[int], object]) -> list[object]:
    """Run call(i) in `count` threads started together; results (or raised errors) in order."""
    results: list[object] = [None] * count
    start = threading.Barrier(count)

    def target(index: int) -> None:
        start.wait()
        try:
            results[index] = call(index)
        except ReaderlyError as exc:  # the test inspects what each thread got
            results[index] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("count", [2, 8])
def test_equal_concurrent_misses_cost_one_extraction(count: int) -> None:
    extractor = CountingExtractor(followers=count - 1)
    outcomes = _in_threads(count, lambda _: extractor.handle(_request(PAGE)))
    assert extractor.calls == 1
    assert all(isinstance(o, Outcome) for o in outcomes)
    articles = [o.article for o in outcomes if isinstance(o, Outcome)]
    assert len(articles) == count and len({a.text for a in articles}) == 1
    assert "library's opening hours" in articles[0].text
    assert extractor.handle(_request(PAGE)).cache_hit  # stored once, served from the cache after


def test_the_error_of_the_one_extraction_reaches_every_caller() -> None:
    extractor = CountingExtractor(followers=3)
    results = _in_threads(4, lambda _: extractor.handle(_request(EMPTY_PAGE)))
    assert extractor.calls == 1
    assert all(isinstance(r, NoArticle) for r in results)
    assert extractor.in_flight.followers(cache_key(URL, html_digest(EMPTY_PAGE))) == 0


def test_different_pages_are_extracted_separately() -> None:
    extractor = CountingExtractor(followers=0)
    pages = [PAGE, PAGE.replace("Tuesday", "Wednesday")]
    outcomes = _in_threads(2, lambda i: extractor.handle(_request(pages[i])))
    assert extractor.calls == 2
    assert [("Tuesday" in o.article.text) for o in outcomes if isinstance(o, Outcome)] == [True, False]


def test_requests_that_refuse_the_cache_are_not_shared() -> None:
    extractor = CountingExtractor(followers=0)
    outcomes = _in_threads(3, lambda _: extractor.handle(_request(PAGE, use_cache=False)))
    assert extractor.calls == 3
    assert all(isinstance(o, Outcome) and not o.cache_hit for o in outcomes)


def test_the_app_answers_every_concurrent_request_with_one_extraction() -> None:
    app = create_app({})
    state = get_state(app)
    extractor = CountingExtractor(followers=5, cache=state.cache, metrics=state.metrics)
    app.extensions["readerly"] = dataclasses.replace(state, extractor=extractor)

    def post(_: int) -> tuple[int, str, str]:
        response = app.test_client().post("/v1/extract", json={"html": PAGE, "url": URL})
        return response.status_code, response.headers["X-Readerly-Cache"], response.get_json()["text"]

    results = _in_threads(6, post)
    assert extractor.calls == 1
    assert len(set(results)) == 1
    assert results[0][:2] == (200, "miss")  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_a_cache_hit_answers_exactly_what_the_miss_answered(fmt: str) -> None:
    extractor = CountingExtractor(followers=0)
    miss, hit = extractor.handle(_request(PAGE)), extractor.handle(_request(PAGE))
    assert (miss.cache_hit, hit.cache_hit) == (False, True)
    assert render_article(hit.article, fmt).body == render_article(miss.article, fmt).body
    assert hit.article == miss.article


def test_values_written_by_the_zlib_codec_are_still_read() -> None:
    article = CountingExtractor(followers=0).handle(_request(PAGE)).article
    old_value = zlib.compress(json.dumps(article.to_dict(), ensure_ascii=False).encode(), 1)
    assert decode_article(old_value) == article
    assert decode_article(encode_article(article)) == article
    with pytest.raises(ValueError):
        decode_article(b"\x28\xb5\x2f\xfd" + b"not a frame")


def test_a_json_hit_carries_the_stored_answer_and_builds_the_article_only_when_asked() -> None:
    extractor = CountingExtractor(followers=0)
    miss = extractor.handle(_request(PAGE))
    hit = extractor.handle(_request(PAGE))
    assert miss.answer_json is None and hit.answer_json is not None
    assert hit.answer_json.decode() == render_article(miss.article, "json").body
    assert hit.article == miss.article


def test_other_formats_get_an_article_from_the_cache() -> None:
    extractor = CountingExtractor(followers=0)
    extractor.handle(_request(PAGE))
    hit = extractor.handle(ExtractRequest(PAGE, html_digest(PAGE), URL, "markdown", True))
    assert hit.cache_hit and hit.answer_json is None and "Tuesday" in hit.article.text


def test_an_unreadable_cached_article_is_a_miss_for_formats_that_need_it() -> None:
    cache = MemoryCache(64, 1 << 24, 60)
    extractor = CountingExtractor(followers=0, cache=cache)
    key = cache_key(URL, html_digest(PAGE))
    cache._items[key] = (time.monotonic() + 60, zlib.compress(b'{"no": "article"}'))
    outcome = extractor.handle(ExtractRequest(PAGE, html_digest(PAGE), URL, "text", True))
    assert not outcome.cache_hit and extractor.calls == 1
