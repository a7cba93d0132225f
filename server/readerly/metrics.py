"""Prometheus metrics, per app and correct across gunicorn workers (multiprocess mode).

With PROMETHEUS_MULTIPROC_DIR set (as `readerly serve` does) every worker writes its values to
files there and /metrics adds them up; otherwise the app's own registry is read directly.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

# Latency buckets from a cache hit (~1 ms) to a very large page (~10 s).
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's counters and histograms, registered in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self.requests = Counter(
            "readerly_http_requests", "HTTP requests answered.", ["method", "endpoint", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "readerly_http_request_duration_seconds", "Time to answer an HTTP request.", ["endpoint"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.cache = Counter(
            "readerly_cache_lookups", "Cache lookups by result (hit or miss).", ["result"],
            registry=self.registry,
        )
        self.cache_errors = Counter(
            "readerly_cache_errors", "Cache backend errors (the request was served uncached).",
            ["operation"], registry=self.registry,
        )
        self.extraction = Histogram(
            "readerly_extraction_duration_seconds", "Time spent in the extraction pipeline.",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.failures = Counter(
            "readerly_extraction_failures", "Extractions that ended in an error, by error code.", ["code"],
            registry=self.registry,
        )

    def cache_lookup(self, hit: bool) -> None:
        """Count one cache lookup by its result."""
        self._child(self.cache, "hit" if hit else "miss").inc()

    def request_answered(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        """Count one HTTP answer and observe its latency."""
        self._child(self.requests, method, endpoint, str(status)).inc()
        self._child(self.latency, endpoint).observe(seconds)

    def _child(self, metric: Any, *labels: str) -> Any:
        """The labelled child of a metric, looked up once: prometheus' own lookup checks and locks each time."""
        key = (id(metric), labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def exposition(self) -> bytes:
        """The text format for /metrics, summed over workers in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
