"""One JSON line per request on the `readerly.access` logger: what was asked, how it went, how long it took.

Lines hold the method, path (never the query string, which may carry a page's URL), status, time,
cache state, body sizes, client address and a request id — never page HTML or tokens. They follow
READERLY_LOG_LEVEL: INFO for API calls, DEBUG for health probes (which would otherwise flood the log).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Request, Response

ACCESS_LOG = logging.getLogger("readerly.access")
# An incoming X-Request-Id is kept only when it is short and plain, so it cannot forge log lines
# or smuggle markup into headers; anything else gets a fresh id.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
# Probes that orchestrators call every few seconds.
_PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time, as gunicorn and test runners swap it."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def install_access_log() -> None:
    """Send access lines to stderr as bare JSON (no text prefix) so log shippers parse them as they are."""
    if any(isinstance(handler, _StderrHandler) for handler in ACCESS_LOG.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    ACCESS_LOG.addHandler(handler)
    ACCESS_LOG.propagate = False


def request_id(request: Request) -> str:
    """The caller's X-Request-Id when it is sane (to follow one request through proxies), else a new one."""
    offered = request.headers.get("X-Request-Id", "")
    if _SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def finish(request: Request, response: Response, rid: str | None, duration: float, client: str) -> None:
    """Echo the request id in the answer and write the request's access line."""
    rid = rid or request_id(request)
    response.headers["X-Request-Id"] = rid
    level = logging.DEBUG if request.path in _PROBE_PATHS else logging.INFO
    if not ACCESS_LOG.isEnabledFor(level):
        return
    entry = {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": "request",
        "request_id": rid,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration * 1000, 2),
        "cache": response.headers.get("X-Readerly-Cache"),
        "bytes_in": request.content_length or 0,
        "bytes_out": response.calculate_content_length(),
        "client": client,
    }
    ACCESS_LOG.log(level, json.dumps(entry, separators=(",", ":")), extra={"access": entry})
