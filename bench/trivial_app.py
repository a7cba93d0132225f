"""The ceiling for a cache hit: Flask reads the request body and answers a fixed payload read from Redis.

Run by bench/service.py under the same gunicorn settings as `readerly serve`; BENCH_REDIS_URL and
BENCH_PAYLOAD_KEY say where the payload is (the JSON answer of a real cache hit, stored there first).
"""

from __future__ import annotations

import os

import redis
from flask import Flask, Response, request

app = Flask(__name__)
_redis = redis.Redis.from_url(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
_KEY = os.environ.get("BENCH_PAYLOAD_KEY", "bench:payload")


@app.post("/fixed")
def fixed() -> Response:
    """Read the body as the API does, then answer the stored payload."""
    request.get_data()
    return Response(_redis.get(_KEY) or b"{}", content_type="application/json")
