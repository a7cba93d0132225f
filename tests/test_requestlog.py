"""The access log: one JSON line per request with its id, timing, cache state and sizes, never the page."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from readerly.app import create_app
from readerly.requestlog import ACCESS_LOG
from tests.test_api import PAGE, URL

FIELDS = {"ts", "event", "request_id", "method", "path", "status", "duration_ms", "cache", "bytes_in",
          "bytes_out", "client"}


@pytest.fixture
def access_lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Records of the access logger at INFO (it is quiet in tests unless a test asks for it)."""
    ACCESS_LOG.addHandler(caplog.handler)
    previous = ACCESS_LOG.level
    ACCESS_LOG.setLevel(logging.INFO)
    try:
        yield caplog
    finally:
        ACCESS_LOG.setLevel(previous)
        ACCESS_LOG.removeHandler(caplog.handler)


def _entries(capture: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in capture.records if r.name == ACCESS_LOG.name]


def test_one_line_per_request_with_every_field(client: FlaskClient, access_lines: pytest.LogCaptureFixture) -> None:
    body = json.dumps({"html": PAGE, "url": URL}).encode()
    first = client.post("/v1/extract?format=text&url=https://private.example/secret", data=body,
                        content_type="application/json")
    second = client.post("/v1/extract", data=body, content_type="application/json")
    entries = _entries(access_lines)
    assert len(entries) == 2 and all(set(e) == FIELDS for e in entries)
    assert [e["cache"] for e in entries] == ["miss", "hit"]
    assert entries[0]["method"] == "POST" and entries[0]["path"] == "/v1/extract"
    assert entries[0]["status"] == 200 and entries[0]["bytes_in"] == len(body)
    assert [e["bytes_out"] for e in entries] == [len(first.data), len(second.data)]
    assert all(isinstance(e["duration_ms"], float) and e["duration_ms"] >= 0 for e in entries)
    assert [e["request_id"] for e in entries] == [first.headers["X-Request-Id"], second.headers["X-Request-Id"]]
    assert entries[0]["client"] == "127.0.0.1"


def test_never_logs_the_page_or_the_query(client: FlaskClient, access_lines: pytest.LogCaptureFixture) -> None:
    client.post("/v1/extract?url=https://private.example/secret", data=PAGE, content_type="text/html")
    client.post("/read", data={"html": PAGE})
    text = "\n".join(r.getMessage() for r in access_lines.records)
    assert len(_entries(access_lines)) == 2
    for leak in ("town hall", "<p>", "private.example", "Rail yard"):
        assert leak not in text


@pytest.mark.parametrize(("offered", "kept"), [
    ("abc-123", True),
    ("4bf92f3577b34da6a3ce929d0e0e4736", True),
    ("req_01H8X:7/edge@lb1", True),
    ("", False),
    ("has space", False),
    ("tab\there", False),
    ("a\"b", False),
    ("<script>", False),
    ("x" * 129, False),
    ("-leading-dash", False),
])
def test_request_id_is_kept_when_sane_else_generated(client: FlaskClient, access_lines: pytest.LogCaptureFixture,
                                                    offered: str, kept: bool) -> None:
    response = client.get("/openapi.json", headers={"X-Request-Id": offered})
    rid = response.headers["X-Request-Id"]
    if kept:
        assert rid == offered
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert _entries(access_lines)[0]["request_id"] == rid


def test_generated_ids_differ(client: FlaskClient) -> None:
    ids = {client.get("/healthz").headers["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5


def test_errors_and_refusals_are_logged_with_their_status(access_lines: pytest.LogCaptureFixture) -> None:
    client = create_app({"redis_url": "", "api_tokens": ("t0k3n",), "rate_limit": (1, 86400)}).test_client()
    client.post("/v1/extract", json={"html": PAGE}, headers={"Authorization": "Bearer t0k3n"})
    client.post("/v1/extract", json={"html": PAGE}, headers={"Authorization": "Bearer t0k3n"})
    client.post("/v1/extract", json={"html": PAGE})
    client.get("/nowhere")
    assert [e["status"] for e in _entries(access_lines)] == [200, 429, 401, 404]


def test_health_probes_are_debug_only(client: FlaskClient, access_lines: pytest.LogCaptureFixture) -> None:
    client.get("/healthz")
    client.get("/readyz")
    assert _entries(access_lines) == []
    ACCESS_LOG.setLevel(logging.DEBUG)
    client.get("/healthz")
    assert [e["path"] for e in _entries(access_lines)] == ["/healthz"]


def test_quiet_below_its_level(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    ACCESS_LOG.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger=ACCESS_LOG.name):
            client.get("/openapi.json")
    finally:
        ACCESS_LOG.removeHandler(caplog.handler)
    assert not [r for r in caplog.records if r.name == ACCESS_LOG.name]


def test_stderr_gets_bare_json_lines(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    previous = ACCESS_LOG.level
    ACCESS_LOG.setLevel(logging.INFO)
    try:
        client.get("/openapi.json")
        client.get("/v1/nothing-here")
    finally:
        ACCESS_LOG.setLevel(previous)
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["status"] for line in lines] == [200, 404]


def test_timestamps_read_like_isoformat_in_milliseconds() -> None:
    from datetime import UTC, datetime

    from readerly.requestlog import _timestamp

    before = datetime.now(UTC)
    stamp = _timestamp()
    after = datetime.now(UTC)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", stamp)
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= datetime.fromisoformat(stamp) <= after


def test_generated_ids_are_uuid4_hex() -> None:
    import uuid

    from readerly.requestlog import _new_id

    for _ in range(200):
        made = uuid.UUID(hex=_new_id())
        assert made.version == 4 and made.variant == uuid.RFC_4122


def test_the_direct_write_matches_the_logging_path(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    previous = ACCESS_LOG.level
    ACCESS_LOG.setLevel(logging.INFO)
    seen: list[logging.LogRecord] = []
    try:
        client.get("/openapi.json", headers={"X-Request-Id": "same-id"})
        direct = capsys.readouterr().err
        ACCESS_LOG.addFilter(lambda record: seen.append(record) or True)  # any filter: the ordinary path
        client.get("/openapi.json", headers={"X-Request-Id": "same-id"})
        logged = capsys.readouterr().err
    finally:
        ACCESS_LOG.setLevel(previous)
        ACCESS_LOG.filters.clear()
    assert len(seen) == 1 and seen[0].getMessage() == logged.rstrip("\n")
    strip = lambda line: {k: v for k, v in json.loads(line).items() if k not in ("ts", "duration_ms")}  # noqa: E731
    assert direct.endswith("\n") and direct.count("\n") == 1 and logged.count("\n") == 1
    assert strip(direct) == strip(logged)
    assert list(json.loads(direct)) == list(json.loads(logged))
