"""One JSON line per request on the `readerly.access` logger: what was asked, how it went, how long it took.

Lines hold the method, path (never the query string, which may carry a page's URL), status, time,
cache state, body sizes, client address and a request id — never page HTML or tokens. They follow
READERLY_LOG_LEVEL: INFO for API calls, DEBUG for health probes (which would otherwise flood the log).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from contextlib import nullcontext
from datetime import UTC, datetime

import orjson
from flask import Request, Response

from readerly.access import client_address

ACCESS_LOG = logging.getLogger("readerly.access")
# An incoming X-Request-Id is kept only when it is short and plain, so it cannot forge log lines
# or smuggle markup into headers; anything else gets a fresh id.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
# Probes that orchestrators call every few seconds.
_PROBE_PATHS = frozenset({"/healthz", "/readyz"})


_BARE = logging.Formatter("%(message)s")


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
    handler.setFormatter(_BARE)
    ACCESS_LOG.addHandler(handler)
    ACCESS_LOG.propagate = False


def request_id(request: Request) -> str:
    """The caller's X-Request-Id when it is sane (to follow one request through proxies), else a new one."""
    offered = request.headers.get("X-Request-Id", "")
    if _SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return _new_id()


def _new_id() -> str:
    """What uuid.uuid4().hex gives (version and variant bits set), without building a UUID object."""
    number = int.from_bytes(os.urandom(16), "big")
    number = (number & ~(0xC000 << 48)) | (0x8000 << 48)  # variant: RFC 4122
    number = (number & ~(0xF000 << 64)) | (4 << 76)  # version 4
    return f"{number:032x}"


def finish(request: Request, response: Response, rid: str | None, duration: float, trusted_proxies: int) -> None:
    """Echo the request id in the answer and write the request's access line."""
    rid = rid or request_id(request)
    headers = response.headers
    headers["X-Request-Id"] = rid
    path = request.path
    level = logging.DEBUG if path in _PROBE_PATHS else logging.INFO
    if not ACCESS_LOG.isEnabledFor(level):
        return
    entry = {
        "ts": _timestamp(),
        "event": "request",
        "request_id": rid,
        "method": request.method,
        "path": path,
        "status": response.status_code,
        "duration_ms": round(duration * 1000, 2),
        "cache": headers.get("X-Readerly-Cache"),
        "bytes_in": request.content_length or 0,
        "bytes_out": response.calculate_content_length(),
        "client": client_address(request, trusted_proxies),
    }
    line = _encode(entry)
    if not _write_directly(level, line):
        # makeRecord + handle is what Logger.log does, minus the stack walk that finds the caller.
        ACCESS_LOG.handle(ACCESS_LOG.makeRecord(ACCESS_LOG.name, level, __file__, 0, line, (), None, "finish",
                                                {"access": entry}))


def _write_directly(level: int, line: str) -> bool:
    """Write the line as the stock set-up would, skipping the LogRecord, when that set-up is all there is.

    Only our own stderr handler with its bare formatter, no filters and no propagation: then the
    logging module would write exactly `line` and a newline. Anything an operator or a test adds
    (handlers, filters, formatters) takes the ordinary path; so does a failed write, to be reported there.
    """
    handlers = ACCESS_LOG.handlers
    if len(handlers) != 1 or ACCESS_LOG.propagate or ACCESS_LOG.filters:
        return False
    handler = handlers[0]
    if type(handler) is not _StderrHandler or handler.formatter is not _BARE or handler.filters \
            or level < handler.level:
        return False
    try:
        with handler.lock or nullcontext():
            stream = sys.stderr
            stream.write(line + "\n")
            stream.flush()
    except Exception:  # noqa: BLE001 - the logging path reports it its own way
        return False
    return True


def _encode(entry: dict[str, object]) -> str:
    """The line's JSON, compact: orjson takes a microsecond where json's encoder took ten."""
    return orjson.dumps(entry).decode()


# The formatted UTC second of the last line, (second, text): made once a second rather than per request,
# and swapped as one tuple so threads never pair one second's text with another's.
_second_stamp: list[tuple[int, str]] = [(-1, "")]


def _timestamp() -> str:
    """Now as datetime.now(UTC).isoformat(timespec="milliseconds") writes it: 2026-05-04T09:12:44.021+00:00."""
    now = time.time()
    second = int(now)
    cached_second, text = _second_stamp[0]
    if second != cached_second:
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second_stamp[0] = (second, text)
    return f"{text}.{int((now - second) * 1000):03d}+00:00"
