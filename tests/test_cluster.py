"""Scale-out on real Redis set-ups: a 3-node Redis Cluster shared by two `readerly serve` instances
(cache and rate limits), a Sentinel-watched primary that fails over, and Redis over TLS. Losing a
node costs cache misses, never an error to the client."""

from __future__ import annotations

import json
import os
import shutil
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
from tests.conftest import require
from tests.support.redis_cluster import RedisCluster
from tests.support.redis_sentinel import RedisSentinel
from tests.support.redis_server import RedisServer, free_port
from tests.test_api import PAGE, URL

pytestmark = pytest.mark.redis

CLI = [sys.executable, "-m", "readerly.cli"]
BUDGET = 1000


@pytest.fixture
def cluster(redis_binary: str, tmp_path: Path) -> Iterator[RedisCluster]:
    require(shutil.which("redis-cli") is not None, "redis-cli is not installed (it creates the cluster)")
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
    # The promoted replica already holds the page cached before the failover. The first call after
    # the failover may still meet a connection to the dead primary (one more miss, and the cache
    # waits a second before the next try), so allow a few seconds, answering 200 all along.
    deadline = time.monotonic() + 10
    while cache_state() != "hit":
        assert time.monotonic() < deadline, "the promoted replica was never used"
        time.sleep(0.3)


def _certificates(folder: Path) -> dict[str, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1, made with the openssl command."""
    openssl = shutil.which("openssl")
    require(openssl is not None, "openssl is not installed")
    assert openssl is not None
    paths = {name: folder / name for name in ("ca.key", "ca.crt", "server.key", "server.csr", "server.crt",
                                              "san.ext")}
    paths["san.ext"].write_text("subjectAltName=IP:127.0.0.1\n")
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for command in (
        ["req", "-x509", *key, "-keyout", paths["ca.key"], "-out", paths["ca.crt"], "-days", "1", "-subj", "/CN=ca"],
        ["req", *key, "-keyout", paths["server.key"], "-out", paths["server.csr"], "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", paths["server.csr"], "-CA", paths["ca.crt"], "-CAkey", paths["ca.key"],
         "-CAcreateserial", "-out", paths["server.crt"], "-days", "1", "-extfile", paths["san.ext"]],
    ):
        subprocess.run([openssl, *map(str, command)], check=True, capture_output=True, timeout=30)
    return paths


def test_tls_redis_is_used_with_its_certificate_checked(redis_binary: str, tmp_path: Path) -> None:
    certs = _certificates(tmp_path)
    server = RedisServer(redis_binary, tmp_path)
    tls_port = free_port()
    server.start(("--tls-port", str(tls_port), "--tls-cert-file", str(certs["server.crt"]),
                  "--tls-key-file", str(certs["server.key"]), "--tls-ca-cert-file", str(certs["ca.crt"]),
                  "--tls-auth-clients", "no"))
    try:
        trusted = f"rediss://127.0.0.1:{tls_port}/0?ssl_cert_reqs=required&ssl_ca_certs={certs['ca.crt']}"
        client = create_app({"redis_url": trusted}).test_client()
        assert client.get("/readyz").status_code == 200
        states = [client.post("/v1/extract", json={"html": PAGE, "url": URL}).headers["X-Readerly-Cache"]
                  for _ in range(2)]
        assert states == ["miss", "hit"]
        # The same server with a certificate nobody vouched for: refused, and the service says why.
        untrusted = create_app({"redis_url": f"rediss://127.0.0.1:{tls_port}/0?ssl_cert_reqs=required"})
        ready = untrusted.test_client().get("/readyz")
        assert ready.status_code == 503 and "certificate" in ready.get_json()["detail"].lower()
    finally:
        server.stop()


def test_sentinel_url_carries_credentials_database_and_tls() -> None:
    client = redis_client("redis+sentinel://reader:p%40ss@127.0.0.1:1,[::1]:2/cache/3?ssl=true")
    pool = client.connection_pool
    assert (pool.service_name, pool.connection_kwargs["db"]) == ("cache", 3)
    assert (pool.connection_kwargs["username"], pool.connection_kwargs["password"]) == ("reader", "p@ss")
    assert "SSL" in pool.connection_class.__name__
    sentinels = pool.sentinel_manager.sentinels
    assert [s.connection_pool.connection_kwargs["port"] for s in sentinels] == [1, 2]


@pytest.mark.parametrize("url", ["redis+sentinel://127.0.0.1:26379", "redis+sentinel://127.0.0.1:26379/"])
def test_sentinel_url_without_a_service_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="service name"):
        redis_client(url)


def test_cluster_client_connects_on_first_use_and_fails_as_a_redis_error() -> None:
    client = redis_client(f"redis+cluster://127.0.0.1:{free_port()}")  # nothing listens: no error yet
    with pytest.raises(redis.RedisError):
        client.get("key")
