"""Access control: bearer tokens on /v1 and /metrics, open probes, the client address, and CORS."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder

from readerly import access
from readerly.app import create_app
from readerly.config import load_config
from tests.test_api import PAGE, URL

TOKENS = ("first-token-4f1c", "second-token-9a7e")
EXTENSION = "moz-extension://2b5c1c7e-5d8e-4a55-9d4c-0d1c6a3e6f11"
WEB_APP = "https://reader.example"


@pytest.fixture
def guarded() -> FlaskClient:
    app = create_app({"redis_url": "", "api_tokens": TOKENS, "cors_origins": (EXTENSION, WEB_APP)})
    return app.test_client()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("headers", [
    {},
    _auth("wrong"),
    _auth(TOKENS[0] + "x"),
    _auth(TOKENS[0][:-1]),
    {"Authorization": f"Basic {TOKENS[0]}"},
    {"Authorization": TOKENS[0]},
    _auth(""),
])
@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/extract"), ("GET", "/metrics"),
                                              ("GET", "/v1/no-such-endpoint")])
def test_missing_or_wrong_token_is_401(guarded: FlaskClient, headers: dict[str, str], method: str,
                                       path: str) -> None:
    response = guarded.open(path, method=method, json={"html": PAGE, "url": URL}, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


@pytest.mark.parametrize("token", TOKENS)
def test_any_configured_token_opens_the_api_and_metrics(guarded: FlaskClient, token: str) -> None:
    response = guarded.post("/v1/extract", json={"html": PAGE, "url": URL}, headers=_auth(token))
    assert response.status_code == 200 and "town hall" in response.get_json()["text"]
    assert "WWW-Authenticate" not in response.headers
    assert guarded.get("/metrics", headers={"Authorization": f"bearer  {token} "}).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/openapi.json", "/"])
def test_probes_contract_and_form_stay_open(guarded: FlaskClient, path: str) -> None:
    assert guarded.get(path).status_code == 200


def test_cors_preflight_needs_no_token(guarded: FlaskClient) -> None:
    response = guarded.options("/v1/extract", headers={
        "Origin": EXTENSION, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION


def test_paste_form_asks_for_a_token(guarded: FlaskClient) -> None:
    refused = guarded.post("/read", data={"html": PAGE, "token": "nope"})
    assert refused.status_code == 401 and refused.content_type.startswith("text/html")
    assert b"valid API token" in refused.data and b'name="token"' in refused.data
    assert guarded.post("/read", data={"html": PAGE, "token": TOKENS[1]}).status_code == 200


def test_without_tokens_configured_the_api_is_open(client: FlaskClient) -> None:
    assert client.post("/v1/extract", json={"html": PAGE, "url": URL}).status_code == 200
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("offered", [TOKENS[0], TOKENS[1], "wrong", "x" * 500])
def test_every_token_is_compared_as_equal_length_digests(monkeypatch: pytest.MonkeyPatch, offered: str) -> None:
    calls: list[tuple[int, int]] = []
    original = hmac.compare_digest

    def compare(a: bytes, b: bytes) -> bool:
        calls.append((len(a), len(b)))
        return original(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", compare)
    config = load_config({}, {"api_tokens": TOKENS})
    with create_app({"redis_url": ""}).test_request_context("/v1/extract", headers=_auth(offered)) as ctx:
        found = access.valid_token(ctx.request, config)
    assert found == (offered if offered in TOKENS else None)
    # No early exit on a match, and the compared values never reveal the token's length.
    assert calls == [(hashlib.sha256().digest_size,) * 2] * len(TOKENS)


def _request(remote: str, forwarded: list[str]) -> Any:
    builder = EnvironBuilder(path="/v1/extract", headers=[("X-Forwarded-For", v) for v in forwarded],
                             environ_base={"REMOTE_ADDR": remote})
    return builder.get_request()


@pytest.mark.parametrize(("trusted", "forwarded", "expected"), [
    (0, ["203.0.113.9"], "10.0.0.2"),                      # no proxy trusted: the header is ignored
    (1, ["203.0.113.9"], "203.0.113.9"),                   # one proxy appended the client
    (1, ["198.51.100.1, 203.0.113.9"], "203.0.113.9"),     # the left entry is client-controlled
    (2, ["198.51.100.1, 203.0.113.9"], "198.51.100.1"),    # two hops: one further left
    (2, ["198.51.100.1", "203.0.113.9"], "198.51.100.1"),  # repeated headers are one list
    (2, ["203.0.113.9"], "10.0.0.2"),                      # fewer hops than trusted: the peer
    (1, ["not-an-address"], "10.0.0.2"),                   # garbage: the peer
    (1, ["2001:db8::1"], "2001:db8::1"),
    (1, ["203.0.113.9:51234"], "203.0.113.9"),            # with the client's port
    (1, ["[2001:db8::1]:443"], "2001:db8::1"),
    (1, ["[2001:db8::1]"], "2001:db8::1"),
    (1, ["2001:DB8:0::1"], "2001:db8::1"),                # one spelling per address
    (1, [], "10.0.0.2"),
])
def test_client_address_believes_only_trusted_hops(trusted: int, forwarded: list[str], expected: str) -> None:
    assert access.client_address(_request("10.0.0.2", forwarded), trusted) == expected


def test_allowed_origin_is_echoed_exactly(guarded: FlaskClient) -> None:
    response = guarded.post("/v1/extract", json={"html": PAGE, "url": URL},
                            headers={**_auth(TOKENS[0]), "Origin": WEB_APP})
    assert response.headers["Access-Control-Allow-Origin"] == WEB_APP
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Readerly-Cache", "Retry-After"} <= exposed
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize("origin", ["https://evil.example", WEB_APP + ".evil.example", WEB_APP + ":8443",
                                    EXTENSION[:-1], "null", "*"])
def test_other_origins_get_no_cors_headers(guarded: FlaskClient, origin: str) -> None:
    for response in (
        guarded.post("/v1/extract", json={"html": PAGE}, headers={**_auth(TOKENS[0]), "Origin": origin}),
        guarded.options("/v1/extract", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}),
    ):
        assert not [h for h in response.headers if h[0].lower().startswith("access-control-")]


def test_preflight_lists_methods_headers_and_max_age(guarded: FlaskClient) -> None:
    response = guarded.options("/v1/extract", headers={"Origin": EXTENSION, "Access-Control-Request-Method": "POST"})
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert "POST" in methods
    assert {"authorization", "content-type", "content-encoding"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_errors_carry_cors_headers_so_browsers_can_read_them(guarded: FlaskClient) -> None:
    response = guarded.post("/v1/extract", json={"html": PAGE}, headers={"Origin": EXTENSION})
    assert response.status_code == 401 and response.headers["Access-Control-Allow-Origin"] == EXTENSION


@pytest.mark.parametrize("current", [None, "Accept", "Cookie", "accept", "Accept, Origin", "Accept,Cookie",
                                     '"x", Cookie', "Cookie,  Accept", "*", "Accept, , X"])
@pytest.mark.parametrize("name", ["Accept", "Origin"])
def test_add_vary_writes_what_werkzeug_would(current: str | None, name: str) -> None:
    from flask import Response

    expected, ours = Response(), Response()
    if current is not None:
        expected.headers["Vary"] = ours.headers["Vary"] = current
    expected.vary.add(name)
    access.add_vary(ours, name)
    assert ours.headers.get("Vary") == expected.headers.get("Vary")
