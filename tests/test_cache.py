"""The cache: content-addressed keys, a bounded in-process LRU, and a real Redis that may go away."""

from __future__ import annotations

import time

import pytest
import zstandard

from readerly.article import Article, Removal
from readerly.cache import (
    FINGERPRINT,
    MemoryCache,
    RedisCache,
    article_from_json,
    cache_key,
    decode_article,
    decode_json,
    encode_article,
)
from readerly.pipeline.render import article_json
from tests.support.redis_server import RedisServer


def _article(n: int = 0, size: int = 100) -> Article:
    return Article(
        url=f"https://example.com/{n}", canonical_url=None, title=f"T{n}", byline=None, published_time=None,
        site_name=None, lang="en", dir=None, lead_image_url=None, excerpt=None,
        content="<p>" + "x" * size + f"{n}</p>", text="x" * size, markdown="x", word_count=1,
        reading_time_minutes=1, confidence=0.9, removed=(Removal("ads", "label:ad", "Advertisement"),),
    )


def test_key_ignores_the_fragment_and_hex_case() -> None:
    digest = "ab" * 32
    assert cache_key("https://e.com/a#top", digest) == cache_key("https://e.com/a", digest.upper())


def test_key_depends_on_url_and_page() -> None:
    digest = "ab" * 32
    keys = {cache_key("https://e.com/a", digest), cache_key("https://e.com/b", digest),
            cache_key("https://e.com/a", "cd" * 32), cache_key(None, digest)}
    assert len(keys) == 4


def test_key_carries_the_pipeline_fingerprint() -> None:
    assert FINGERPRINT.split("-")[0].isdigit()
    assert cache_key(None, "ab" * 32).startswith("readerly:article:")


def test_values_round_trip_compressed() -> None:
    article = _article(size=5000)
    value = encode_article(article)
    assert len(value) < 1000
    assert decode_article(value) == article


def test_memory_cache_is_bounded_in_entries() -> None:
    cache = MemoryCache(max_entries=3, max_bytes=10**6, ttl=60)
    for n in range(5):
        cache.set(f"k{n}", _article(n))
    assert cache.get("k0") is None and cache.get("k1") is None
    assert cache.get("k4") == _article(4)


def test_memory_cache_is_bounded_in_bytes_and_evicts_least_recently_used() -> None:
    one = len(encode_article(_article(0)))
    cache = MemoryCache(max_entries=100, max_bytes=int(one * 2.5), ttl=60)
    cache.set("a", _article(0))
    cache.set("b", _article(1))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.set("c", _article(2))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None


def test_memory_cache_entries_expire() -> None:
    cache = MemoryCache(max_entries=10, max_bytes=10**6, ttl=1)
    cache.set("a", _article())
    cache._items["a"] = (time.monotonic() - 1, cache._items["a"][1])  # as if the TTL had passed
    assert cache.get("a") is None


@pytest.mark.redis
def test_redis_cache_stores_with_ttl(redis_server: RedisServer) -> None:
    cache = RedisCache(redis_server.url, ttl=120)
    cache.set("readerly:test", _article())
    assert cache.get("readerly:test") == _article()
    assert 0 < cache.client.ttl("readerly:test") <= 120
    assert cache.ready() == (True, "redis reachable")


@pytest.mark.redis
def test_redis_outage_is_counted_and_survived(redis_server: RedisServer) -> None:
    errors: list[str] = []
    cache = RedisCache(redis_server.url, ttl=60, on_error=errors.append)
    cache.set("k", _article())
    redis_server.stop()
    assert cache.get("k") is None
    assert errors == ["get"]
    ok, detail = cache.ready()
    assert not ok and "unreachable" in detail
    redis_server.start()
    time.sleep(1.1)  # reconnects are tried at most once a second
    assert cache.ready()[0]
    cache.set("k2", _article(2))
    assert cache.get("k2") == _article(2)


@pytest.mark.redis
def test_unreadable_values_are_misses(redis_server: RedisServer) -> None:
    cache = RedisCache(redis_server.url, ttl=60)
    cache.client.set("bad", b"not zlib")
    assert cache.get("bad") is None


def test_the_stored_json_is_the_answer_byte_for_byte() -> None:
    article = _article(size=300)
    data = decode_json(encode_article(article))
    assert data == article_json(article).encode()
    assert article_from_json(data) == article


def test_a_value_that_is_not_a_json_object_is_refused() -> None:
    with pytest.raises(ValueError):
        decode_json(zstandard.compress(b"[1, 2]"))


def test_memory_cache_hands_back_the_json_answer() -> None:
    cache = MemoryCache(max_entries=3, max_bytes=10**6, ttl=60)
    cache.set("a", _article(1))
    assert cache.get_json("a") == article_json(_article(1)).encode()
    assert cache.get_json("b") is None


@pytest.mark.redis
def test_unreadable_json_values_are_misses(redis_server: RedisServer) -> None:
    cache = RedisCache(redis_server.url, ttl=60)
    cache.client.set("bad", b"not zlib")
    cache.client.set("text", zstandard.compress(b"plain text"))
    cache.client.set("fields", zstandard.compress(b'{"no": "article"}'))
    assert cache.get_json("bad") is None and cache.get_json("text") is None
    assert cache.get("fields") is None
