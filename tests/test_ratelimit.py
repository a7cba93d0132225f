"""Rate limits: counted per token or client address, in memory or in a real Redis, failing open."""

from __future__ import annotations

import time

import pytest
import redis
from flask.testing import FlaskClient

from readerly.app import create_app
from readerly.ratelimit import MemoryWindows, RateLimiter
from tests.support.redis_server import RedisServer

# A day-long window: a test never straddles a window boundary in practice.
LIMIT = 3
RATE = (LIMIT, 86400)
TOKENS = ("token-alpha-7c2e", "token-beta-1d9f")
# A cache probe: a cheap /v1 request (404 not_cached) that still spends a unit.
PROBE = {"url": "https://news.example/a", "html_sha256": "0" * 64}


def _client(**settings: object) -> FlaskClient:
    return create_app({"redis_url": "", "rate_limit": RATE, **settings}).test_client()


def _probe(client: FlaskClient, headers: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post("/v1/extract", json=PROBE, headers=headers or {}, **kwargs)


def _assert_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= RATE[1]


def test_limit_then_429_with_retry_after() -> None:
    client = _client()
    remaining = [int(_probe(client).headers["RateLimit-Remaining"]) for _ in range(LIMIT)]
    assert remaining == list(range(LIMIT - 1, -1, -1))
    limited = _probe(client)
    _assert_limited(limited)
    assert limited.headers["RateLimit-Remaining"] == "0"
    assert limited.headers["Retry-After"] == limited.headers["RateLimit-Reset"]


def test_every_v1_request_counts_but_probes_do_not() -> None:
    client = _client()
    assert client.post("/v1/extract", data="{oops", content_type="application/json").status_code == 400
    assert client.get("/v1/extract").status_code == 405
    for _ in range(5):
        assert client.get("/healthz").status_code == 200 and client.get("/openapi.json").status_code == 200
        assert "RateLimit-Limit" not in client.get("/readyz").headers
    assert _probe(client).status_code == 404
    _assert_limited(_probe(client))


def test_no_limit_configured_means_no_limit() -> None:
    client = create_app({"redis_url": ""}).test_client()
    assert all(_probe(client).status_code == 404 for _ in range(LIMIT * 3))
    assert "RateLimit-Limit" not in _probe(client).headers


def test_each_token_has_its_own_budget_and_guesses_spend_the_address() -> None:
    client = _client(api_tokens=TOKENS)
    alpha, beta = ({"Authorization": f"Bearer {t}"} for t in TOKENS)
    for _ in range(LIMIT):
        assert _probe(client, alpha).status_code == 404
    _assert_limited(_probe(client, alpha))
    assert _probe(client, beta).status_code == 404
    for _ in range(LIMIT):
        assert _probe(client, {"Authorization": "Bearer guess"}).status_code == 401
    _assert_limited(_probe(client, {"Authorization": "Bearer another-guess"}))
    assert _probe(client, beta).status_code == 404


@pytest.mark.parametrize(("trusted", "separate"), [(1, True), (0, False)])
def test_addresses_behind_trusted_proxies_are_separate(trusted: int, separate: bool) -> None:
    client = _client(trusted_proxies=trusted)
    for _ in range(LIMIT):
        assert _probe(client, {"X-Forwarded-For": "203.0.113.1"}).status_code == 404
    other = _probe(client, {"X-Forwarded-For": "203.0.113.2"})
    # Without a trusted proxy the header is the client's own words: it cannot buy a fresh budget.
    assert (other.status_code == 404) is separate


@pytest.mark.parametrize(("first", "second", "shared"), [
    ("2001:db8:1:2::10", "2001:db8:1:2:ffff::1", True),   # one IPv6 /64: one client
    ("2001:db8:1:2::10", "2001:db8:1:3::10", False),
    ("::ffff:203.0.113.1", "203.0.113.1", True),          # IPv4 written as IPv6 is the same client
    ("203.0.113.1", "203.0.113.2", False),
])
def test_ipv6_clients_are_counted_by_their_64(first: str, second: str, shared: bool) -> None:
    client = _client(trusted_proxies=1)
    for _ in range(LIMIT):
        assert _probe(client, {"X-Forwarded-For": first}).status_code == 404
    assert (_probe(client, {"X-Forwarded-For": second}).status_code == 429) is shared


def test_a_429_is_readable_by_an_allowed_origin() -> None:
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    client = _client(cors_origins=(origin,))
    for _ in range(LIMIT):
        _probe(client)
    limited = _probe(client, {"Origin": origin})
    _assert_limited(limited)
    assert limited.headers["Access-Control-Allow-Origin"] == origin
    assert "Retry-After" in limited.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(("now", "reset"), [(0.0, 60), (59.2, 1), (59.99, 1), (90.5, 30)])
def test_windows_are_fixed_and_reset_on_the_boundary(now: float, reset: int) -> None:
    limiter = RateLimiter(2, 60, MemoryWindows())
    first, second, third = (limiter.hit("address:a", now) for _ in range(3))
    assert first and second and third
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
    assert third.reset == reset
    next_window = limiter.hit("address:a", (now // 60 + 1) * 60)
    assert next_window and next_window.allowed and next_window.remaining == 1



@pytest.mark.redis
def test_redis_counts_across_instances_with_expiring_keys(redis_server: RedisServer) -> None:
    first, second = (_client(redis_url=redis_server.url) for _ in range(2))
    assert _probe(first).status_code == 404
    assert _probe(second).status_code == 404
    assert _probe(first).status_code == 404
    _assert_limited(_probe(second))
    store = redis.Redis.from_url(redis_server.url)
    keys = list(store.scan_iter("readerly:ratelimit:*"))
    assert len(keys) == 1 and int(store.get(keys[0]) or 0) == LIMIT + 1
    assert 0 < store.ttl(keys[0]) <= RATE[1]
    # Neither the address nor a token is stored as it is.
    assert b"127.0.0.1" not in keys[0] and b"address" not in keys[0]


@pytest.mark.redis
def test_redis_outage_fails_open_and_is_counted(redis_server: RedisServer) -> None:
    client = _client(redis_url=redis_server.url)
    for _ in range(LIMIT):
        _probe(client)
    _assert_limited(_probe(client))

    redis_server.stop()
    started = time.monotonic()
    answers = [_probe(client).status_code for _ in range(LIMIT * 2)]
    assert set(answers) == {404}
    assert time.monotonic() - started < 3  # one short timeout, then no waiting while Redis is down
    metrics = client.get("/metrics").get_data(as_text=True)
    assert f"readerly_rate_limit_store_errors_total {float(LIMIT * 2)}" in metrics

    redis_server.start()  # an empty Redis: the budget starts again once the limiter retries it
    time.sleep(1.1)
    assert [_probe(client).status_code for _ in range(LIMIT)] == [404] * LIMIT
    _assert_limited(_probe(client))
