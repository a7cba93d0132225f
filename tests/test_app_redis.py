"""The service against a real redis-server: cached answers, an outage mid-run, and recovery."""

from __future__ import annotations

import time

import pytest

from readerly.app import create_app
from tests.support.redis_server import RedisServer
from tests.test_api import PAGE, URL

pytestmark = pytest.mark.redis


def test_outage_keeps_answering_and_readyz_follows_redis(redis_server: RedisServer) -> None:
    client = create_app({"redis_url": redis_server.url}).test_client()
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "miss"
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "hit"

    redis_server.stop()
    down = client.post("/v1/extract", json={"html": PAGE, "url": URL})
    assert down.status_code == 200 and down.headers["X-Readerly-Cache"] == "miss"
    assert "town hall" in down.get_json()["text"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["status"] == "unavailable"
    assert client.get("/healthz").status_code == 200
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'readerly_cache_errors_total{operation="get"}' in metrics

    redis_server.start()
    assert client.get("/readyz").status_code == 200
    time.sleep(1.1)  # the cache retries Redis at most once a second
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "miss"
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "hit"


def test_two_apps_share_one_redis(redis_server: RedisServer) -> None:
    first = create_app({"redis_url": redis_server.url}).test_client()
    second = create_app({"redis_url": redis_server.url}).test_client()
    assert first.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "miss"
    assert second.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "hit"


def test_unreachable_redis_from_the_start_still_serves() -> None:
    client = create_app({"redis_url": "redis://127.0.0.1:1/0"}).test_client()
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).status_code == 200
    assert client.get("/readyz").status_code == 503
