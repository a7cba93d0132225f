"""Scale-out on real Redis topologies: a 3-node Redis Cluster shared by two `readerly serve` instances
(cache and rate limits), and a Sentinel-watched primary that fails over. Losing a node costs cache
misses, never an error to the client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from readerly.app import create_app
from readerly.cache import cache_key, html_digest, redis_client
from tests.support.redis_cluster import RedisCluster
from tests.support.redis_sentinel import RedisSentinel
from tests.support.redis_server import free_port
from tests.test_api import PAGE, URL

pytestmark = pytest.mark.redis

CLI = [sys.executable, "-m", "readerly.cli"]
BUDGET = 1000


@pytest.fixture
def cluster(redis_binary: str, tmp_path: Path) -> Iterator[RedisCluster]:
    nodes = RedisCluster(redis_binary, tmp_path)
    nodes.start()
    try:
        yield nodes
    finally:
        nodes.stop()


def _serve(url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "READERLY_REDIS_URL": url, "READERLY_PORT": str(port), "READERLY_WORKERS": "1",
           "READERLY_RATE_LIMIT": f"{BUDGET}/day", "READERLY_LOG_LEVEL": "WARNING"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen([*CLI, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, port


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"instance on port {port} never became ready")


def _extract(port: int) -> tuple[int, dict[str, str], dict[str, Any]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/extract",
                                     data=json.dumps({"html": PAGE, "url": URL}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


@pytest.fixture
def instances(cluster: RedisCluster) -> Iterator[list[int]]:
    started = [_serve(cluster.url) for _ in range(2)]
    try:
        for _, port in started:
            _wait_ready(port)
        yield [port for _, port in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=30)


def test_two_instances_share_cache_and_limits_and_survive_a_lost_node(
        cluster: RedisCluster, instances: list[int]) -> None:
    first, second = instances
    status, headers, body = _extract(first)
    assert status == 200 and headers["X-Readerly-Cache"] == "miss" and "town hall" in body["text"]
    status, headers, _ = _extract(second)
    assert status == 200 and headers["X-Readerly-Cache"] == "hit"
    # One budget across both instances, counted in the cluster.
    assert headers["RateLimit-Remaining"] == str(BUDGET - 2)

    # Stop the very node that holds this page, then keep asking both instances while the cluster
    # first refuses connections to it and then declares itself down.
    holder = redis_client(cluster.url).get_node_from_key(cache_key(URL, html_digest(PAGE)))
    cluster.node_for_port(holder.port).stop()
    survivor = next(n for n in cluster.nodes if n.process is not None)
    answers, slowest = [], 0.0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (len(answers) < 6 or cluster.state(survivor) != "fail"):
        for port in instances:
            started = time.monotonic()
            status, headers, body = _extract(port)
            slowest = max(slowest, time.monotonic() - started)
            answers.append((status, headers.get("X-Readerly-Cache"), "town hall" in body.get("text", "")))
        time.sleep(0.2)
    assert cluster.state(survivor) == "fail"
    assert set(answers) == {(200, "miss", True)}
    assert slowest < 2.0
    with urllib.request.urlopen(f"http://127.0.0.1:{first}/healthz", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{first}/metrics", timeout=5) as response:
        assert b"readerly_cache_errors_total" in response.read()


def test_an_unreachable_cluster_at_start_up_still_serves() -> None:
    url = f"redis+cluster://127.0.0.1:{free_port()},127.0.0.1:{free_port()}"
    client = create_app({"redis_url": url, "rate_limit": (2, 86400)}).test_client()
    answers = [client.post("/v1/extract", json={"html": PAGE, "url": URL}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.headers["X-Readerly-Cache"] for a in answers} == {"miss"}
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "unreachable" in ready.get_json()["detail"]


@pytest.fixture
def sentinel(redis_binary: str, tmp_path: Path) -> Iterator[RedisSentinel]:
    watched = RedisSentinel(redis_binary, tmp_path)
    watched.start()
    try:
        yield watched
    finally:
        watched.stop()


def test_sentinel_serves_the_primary_and_follows_a_failover(sentinel: RedisSentinel) -> None:
    client = create_app({"redis_url": sentinel.url}).test_client()

    def cache_state() -> str:
        response = client.post("/v1/extract", json={"html": PAGE, "url": URL})
        assert response.status_code == 200
        return str(response.headers["X-Readerly-Cache"])

    assert [cache_state(), cache_state()] == ["miss", "hit"]
    replica = redis.Redis(port=sentinel.replica.port)
    deadline = time.monotonic() + 10
    while not replica.exists(cache_key(URL, html_digest(PAGE))):  # replication is asynchronous
        assert time.monotonic() < deadline, "the replica never received the cached page"
        time.sleep(0.05)

    sentinel.crash_primary()
    assert cache_state() == "miss"  # the primary is gone: served uncached, no error
    sentinel.wait_for_failover()
    time.sleep(1.1)  # the cache retries Redis at most once a second
    # The promoted replica already holds the page cached before the failover.
    assert cache_state() == "hit"
