"""Rate limits per API token or client address, in fixed windows counted in Redis or in-process.

Fixed windows (one counter per caller per window, INCR + EXPIRE in one MULTI/EXEC) cost one round
trip and one small key per active caller; the price is that a caller may spend two windows' worth
around a window boundary. Windows are aligned to the epoch, so every instance agrees on them.
Limits protect the service, they never decide correctness: when Redis fails the request goes
through (fail open), and the failure is counted and logged.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import redis
from flask import Request, Response
from prometheus_client import CollectorRegistry, Counter
from redis.exceptions import RedisClusterException

from readerly.access import client_address, valid_token
from readerly.config import Config
from readerly.errors import RateLimited

log = logging.getLogger(__name__)

# Paths that spend a rate-limit unit: the API, and the paste form's extraction.
LIMITED_PREFIXES = ("/v1/",)
LIMITED_PATHS = ("/read",)
# After a Redis failure the limiter lets requests through for this long before trying again,
# so an outage costs one socket timeout per second, not one per request.
RETRY_INTERVAL = 1.0
# Cluster clients raise some errors outside RedisError (slot not covered, no reachable node).
REDIS_ERRORS = (redis.RedisError, RedisClusterException)


@dataclass(frozen=True)
class Verdict:
    """One request's standing: let through or not, what is left, and when the window ends."""

    allowed: bool
    limit: int
    remaining: int
    reset: int


class WindowStore(Protocol):
    """Counts hits under a key that expires after a window; None when the count is unknown."""

    def increment(self, key: str, ttl: int) -> int | None: ...


class MemoryWindows:
    """Counters in this process: zero set-up, but each gunicorn worker counts on its own."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = 0.0

    def increment(self, key: str, ttl: int) -> int | None:
        now = time.monotonic()
        with self._lock:
            if now >= self._sweep_at:  # drop finished windows so memory follows active callers only
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
                self._sweep_at = now + ttl
            count, expires = self._counts.get(key, (0, now + ttl))
            if expires <= now:
                count, expires = 0, now + ttl
            self._counts[key] = (count + 1, expires)
            return count + 1


class RedisWindows:
    """Counters in Redis, shared by every worker and instance; errors leave the request unlimited."""

    def __init__(self, client: Any, on_error: Callable[[], None]) -> None:
        self._client = client
        self._on_error = on_error
        self._down_until = 0.0

    def increment(self, key: str, ttl: int) -> int | None:
        if time.monotonic() < self._down_until:
            self._on_error()
            return None
        try:
            pipe = self._client.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, ttl)
            count, _ = pipe.execute()
        except REDIS_ERRORS as exc:
            self._down_until = time.monotonic() + RETRY_INTERVAL
            self._on_error()
            log.warning("rate limit store failed, letting requests through: %s", exc)
            return None
        return int(count)


class RateLimiter:
    """`limit` requests per `window` seconds for each caller identity."""

    def __init__(self, limit: int, window: int, store: WindowStore) -> None:
        self.limit, self.window, self._store = limit, window, store

    def hit(self, identity: str, now: float | None = None) -> Verdict | None:
        """Count one request; None when the store could not count it (the request goes through)."""
        now = time.time() if now is None else now
        index = int(now // self.window)
        reset = max(1, math.ceil((index + 1) * self.window - now))
        # Hashed so neither tokens nor addresses are stored in Redis as they are.
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        count = self._store.increment(f"readerly:ratelimit:{self.window}:{index}:{digest}", self.window)
        if count is None:
            return None
        return Verdict(count <= self.limit, self.limit, max(0, self.limit - count), reset)


def make_limiter(config: Config, redis_client: Any, registry: CollectorRegistry) -> RateLimiter | None:
    """The configured limiter (Redis-backed when the cache is), or None when limits are off."""
    if config.rate_limit is None:
        return None
    failures = Counter("readerly_rate_limit_store_errors",
                       "Rate-limit checks the store could not answer (the request was let through).",
                       registry=registry)
    store: WindowStore = (RedisWindows(redis_client, failures.inc) if redis_client is not None
                          else MemoryWindows())
    limit, window = config.rate_limit
    return RateLimiter(limit, window, store)


def caller_identity(request: Request, config: Config) -> str:
    """A valid API token names the caller; anyone else is their client address."""
    token = valid_token(request, config) if config.api_tokens else None
    if token is not None:
        return f"token:{token}"
    return f"address:{_address_block(client_address(request, config.trusted_proxies))}"


def _address_block(address: str) -> str:
    """IPv6 clients usually hold a whole /64, so they are counted by it; IPv4 clients by their address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def count_request(limiter: RateLimiter | None, request: Request, config: Config) -> Verdict | None:
    """Spend one unit of the caller's budget on a limited path; None when nothing was counted."""
    if limiter is None or request.method == "OPTIONS":
        return None
    if not request.path.startswith(LIMITED_PREFIXES) and request.path not in LIMITED_PATHS:
        return None
    return limiter.hit(caller_identity(request, config))


def refuse_over_limit(verdict: Verdict | None) -> None:
    """Raise RateLimited (429, Retry-After) when the caller has spent the window's budget."""
    if verdict is not None and not verdict.allowed:
        raise RateLimited(f"rate limit of {verdict.limit} requests reached; retry in {verdict.reset} s",
                          retry_after=verdict.reset)


def add_headers(response: Response, verdict: Verdict | None) -> None:
    """RateLimit-* headers (IETF draft names) so clients can pace themselves before a 429."""
    if verdict is not None:
        response.headers["RateLimit-Limit"] = str(verdict.limit)
        response.headers["RateLimit-Remaining"] = str(verdict.remaining)
        response.headers["RateLimit-Reset"] = str(verdict.reset)
