"""The HTTP contract of POST /v1/extract: formats, cache probe, and every client error as JSON."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bench.corpora import load_tool
from readerly.app import create_app

PARAGRAPH = ("Residents packed the town hall on Thursday night to argue over the plan to turn the old rail "
             "yard into a park, a housing block and a covered market that would open on weekends. ")
PAGE = (
    "<html lang='en'><head><title>Rail yard plan splits the town | The Courier</title>"
    "<meta property='og:site_name' content='The Courier'></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    f"<article><h1>Rail yard plan splits the town</h1><p>{PARAGRAPH * 2}</p><p>{PARAGRAPH}</p>"
    "<p><img src='/img/yard.jpg' alt='The yard'></p></article></body></html>"
)
URL = "https://courier.example/news/rail-yard"


def _post(client: FlaskClient, body: object, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post("/v1/extract", json=body, **kwargs)


def _error(response) -> str:  # type: ignore[no-untyped-def]
    assert response.is_json, response.data[:200]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return str(body["error"]["code"])


def test_json_answer_has_every_field(client: FlaskClient) -> None:
    response = _post(client, {"html": PAGE, "url": URL})
    assert response.status_code == 200
    assert response.headers["X-Readerly-Cache"] == "miss"
    data = response.get_json()
    for field in ("url", "canonical_url", "title", "byline", "published_time", "site_name", "lang", "dir",
                  "lead_image_url", "excerpt", "content", "text", "markdown", "word_count",
                  "reading_time_minutes", "confidence", "removed"):
        assert field in data
    assert data["url"] == URL
    assert "town hall" in data["text"] and "https://courier.example/img/yard.jpg" in data["content"]
    assert "Accept" in response.headers["Vary"] and "Origin" in response.headers["Vary"]


def test_second_request_is_a_cache_hit(client: FlaskClient) -> None:
    assert _post(client, {"html": PAGE, "url": URL}).headers["X-Readerly-Cache"] == "miss"
    again = _post(client, {"html": PAGE, "url": URL + "#comments"})
    assert again.headers["X-Readerly-Cache"] == "hit"
    assert again.get_json()["text"] == _post(client, {"html": PAGE, "url": URL}).get_json()["text"]


def test_cache_false_and_no_store_bypass_the_cache(client: FlaskClient) -> None:
    _post(client, {"html": PAGE, "url": URL})
    assert _post(client, {"html": PAGE, "url": URL, "cache": False}).headers["X-Readerly-Cache"] == "miss"
    assert _post(client, {"html": PAGE, "url": URL},
                 headers={"Cache-Control": "no-store"}).headers["X-Readerly-Cache"] == "miss"


def test_a_different_url_is_a_different_cache_entry(client: FlaskClient) -> None:
    _post(client, {"html": PAGE, "url": URL})
    assert _post(client, {"html": PAGE, "url": URL + "?page=2"}).headers["X-Readerly-Cache"] == "miss"


@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "text"])
def test_probe_by_hash_answers_like_a_normal_request(client: FlaskClient, fmt: str) -> None:
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    missing = _post(client, {"html_sha256": digest, "url": URL})
    assert missing.status_code == 404 and _error(missing) == "not_cached"
    normal = _post(client, {"html": PAGE, "url": URL}, query_string={"format": fmt})
    probe = _post(client, {"html_sha256": digest.upper(), "url": URL}, query_string={"format": fmt})
    assert probe.status_code == 200 and probe.headers["X-Readerly-Cache"] == "hit"
    assert probe.content_type == normal.content_type
    assert probe.data == normal.data


def test_html_wins_over_html_sha256(client: FlaskClient) -> None:
    response = _post(client, {"html": PAGE, "html_sha256": "0" * 64, "url": URL})
    assert response.status_code == 200 and response.headers["X-Readerly-Cache"] == "miss"


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        ({"format": "html"}, None, "text/html; charset=utf-8"),
        ({"format": "markdown"}, None, "text/markdown; charset=utf-8"),
        ({"format": "text"}, None, "text/plain; charset=utf-8"),
        ({}, "text/markdown", "text/markdown; charset=utf-8"),
        ({}, "text/html,application/xhtml+xml;q=0.9", "text/html; charset=utf-8"),
        ({}, "text/plain", "text/plain; charset=utf-8"),
        ({}, "*/*", "application/json"),
        ({}, None, "application/json"),
        ({"format": "json"}, "text/html", "application/json"),
        ({"theme": "dark"}, "text/plain", "text/plain; charset=utf-8"),
        ({"theme": "dark"}, None, "application/json"),
    ],
)
def test_format_by_query_or_accept(client: FlaskClient, query: dict[str, str], accept: str | None,
                                   content_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = _post(client, {"html": PAGE, "url": URL}, query_string=query, headers=headers)
    assert response.status_code == 200
    assert response.content_type == content_type


def test_html_answer_carries_a_csp_that_forbids_scripts(client: FlaskClient) -> None:
    response = _post(client, {"html": PAGE + "<script>alert(1)</script>", "url": URL},
                     query_string={"format": "html"})
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert b"<script" not in response.data


def test_text_html_body_with_url_query(client: FlaskClient) -> None:
    response = client.post("/v1/extract", data=PAGE.encode(), content_type="text/html; charset=utf-8",
                           query_string={"url": URL, "format": "text"})
    assert response.status_code == 200 and "town hall" in response.get_data(as_text=True)
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    probe = _post(client, {"html_sha256": digest, "url": URL})
    assert probe.status_code == 200, "text/html bodies are cached under the sha256 of the body bytes"


def test_gzip_bodies_are_accepted(client: FlaskClient) -> None:
    body = gzip.compress(json.dumps({"html": PAGE, "url": URL}).encode())
    response = client.post("/v1/extract", data=body, content_type="application/json",
                           headers={"Content-Encoding": "gzip"})
    assert response.status_code == 200 and "town hall" in response.get_json()["text"]


def test_lone_surrogates_are_replaced_before_hashing(client: FlaskClient) -> None:
    raw = json.dumps({"html": PAGE.replace("Thursday", "Thursday\ud800"), "url": URL})
    response = client.post("/v1/extract", data=raw, content_type="application/json")
    assert response.status_code == 200
    digest = hashlib.sha256(PAGE.replace("Thursday", "Thursday\ufffd").encode()).hexdigest()
    assert _post(client, {"html_sha256": digest, "url": URL}).status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": b"", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": b"{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": b"[1, 2]", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": b"\xff\xfe\x00junk", "content_type": "application/json"}, 400, "invalid_json"),
        ({"json": {"html": 42}}, 400, "invalid_field"),
        ({"json": {"html": ["<p>x</p>"]}}, 400, "invalid_field"),
        ({"json": {"html": "   "}}, 400, "invalid_field"),
        ({"json": {}}, 400, "invalid_field"),
        ({"json": {"html_sha256": "abc"}}, 400, "invalid_field"),
        ({"json": {"html": PAGE, "cache": "no"}}, 400, "invalid_field"),
        ({"json": {"html": PAGE, "url": "not a url"}}, 400, "invalid_url"),
        ({"json": {"html": PAGE, "url": "javascript:alert(1)"}}, 400, "invalid_url"),
        ({"json": {"html": PAGE, "url": "ftp://example.com/x"}}, 400, "invalid_url"),
        ({"json": {"html": PAGE, "url": "http://exa mple.com/"}}, 400, "invalid_url"),
        ({"json": {"html": PAGE, "url": "http://example.com:99999/"}}, 400, "invalid_url"),
        ({"json": {"html": PAGE, "url": 7}}, 400, "invalid_url"),
        ({"json": {"html": PAGE}, "query_string": {"format": "pdf"}}, 400, "invalid_format"),
        ({"data": b"<p>x</p>", "content_type": "text/plain"}, 415, "unsupported_media_type"),
        ({"data": b"<p>x</p>"}, 415, "unsupported_media_type"),
        ({"data": b"x", "content_type": "application/json", "headers": {"Content-Encoding": "br"}}, 415,
         "unsupported_media_type"),
        ({"data": b"not gzip", "content_type": "application/json", "headers": {"Content-Encoding": "gzip"}}, 400,
         "invalid_field"),
        ({"data": b"", "content_type": "text/html"}, 400, "invalid_field"),
        ({"json": {"html": "<html><body><script>var page = 1;</script><img src='a.png'></body></html>"}}, 422,
         "no_article"),
        ({"data": bytes(range(256)) * 40, "content_type": "text/html"}, 422, "no_article"),
        ({"data": random.Random(7).randbytes(20_000), "content_type": "text/html"}, 422, "no_article"),
        ({"data": gzip.compress(PAGE.encode() * 3), "content_type": "text/html"}, 422, "no_article"),
    ],
    ids=lambda v: str(v)[:40] if not isinstance(v, int) else str(v),
)
def test_bad_input_gets_a_clear_json_error(client: FlaskClient, kwargs: dict[str, object], status: int,
                                           code: str) -> None:
    response = client.post("/v1/extract", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert _error(response) == code
    assert client.get("/healthz").status_code == 200


def test_oversized_bodies_are_413() -> None:
    client = create_app({"redis_url": "", "max_html_bytes": 10_000}).test_client()
    big = "<p>" + "word " * 3000 + "</p>"
    assert _error(client.post("/v1/extract", json={"html": big})) == "payload_too_large"
    assert _error(client.post("/v1/extract", data=big * 3, content_type="text/html")) == "payload_too_large"
    assert client.post("/v1/extract", json={"html": big}).status_code == 413


def test_gzip_bomb_is_refused_without_inflating_it() -> None:
    client = create_app({"redis_url": "", "max_html_bytes": 100_000}).test_client()
    bomb = gzip.compress(b"<p>" + b"a" * 50_000_000)
    assert len(bomb) < 100_000
    response = client.post("/v1/extract", data=bomb, content_type="text/html",
                           headers={"Content-Encoding": "gzip"})
    assert response.status_code == 413 and _error(response) == "payload_too_large"


def test_unknown_paths_and_methods_under_v1_are_json(client: FlaskClient) -> None:
    assert _error(client.get("/v1/nothing")) == "not_found"
    assert client.get("/v1/nothing").status_code == 404
    assert _error(client.get("/v1/extract")) == "method_not_allowed"
    assert client.put("/v1/extract").status_code == 405


def test_pipeline_crash_is_a_422_and_the_service_stays_healthy(client: FlaskClient,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import readerly.service

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(readerly.service, "run", explode)
    response = _post(client, {"html": PAGE, "url": URL})
    assert response.status_code == 422 and _error(response) == "extraction_failed"
    monkeypatch.undo()
    assert _post(client, {"html": PAGE, "url": URL}).status_code == 200
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'readerly_extraction_failures_total{code="extraction_failed"} 1.0' in metrics


def test_extraction_timeout_is_503() -> None:
    client = create_app({"redis_url": "", "extract_timeout": 1e-9}).test_client()
    response = _post(client, {"html": PAGE, "url": URL})
    assert response.status_code == 503 and _error(response) == "extraction_timeout"


def test_boilerplate_seed_page_in_every_format(client: FlaskClient, corpus: Path) -> None:
    """The seed page's article comes back whole and with none of its junk, whatever the format."""
    scorer = load_tool("score_boilerplate")
    page = corpus / "boilerplate-dev" / "dev-01-seed-tagdiv-cnn-north-korea"
    truth = json.loads((page / "truth.json").read_text(encoding="utf-8"))
    html = (page / "page.html").read_text(encoding="utf-8")
    for fmt in ("json", "html", "markdown", "text"):
        response = _post(client, {"html": html, "url": truth["url"]}, query_string={"format": fmt})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        if fmt == "json":
            data = json.loads(body)
            texts = [scorer.html_to_text(data["content"]), data["text"], data["markdown"]]
        else:
            texts = [scorer.html_to_text(body) if fmt == "html" else body]
        for text in texts:
            normalised = scorer.norm(text)
            missing = [s for s in truth["must_contain"] if not scorer.contains(normalised, s)]
            leaked = [s for s in truth["must_not_contain"] if scorer.contains(normalised, s)]
            assert not missing and not leaked, (fmt, missing, leaked)


def test_deeply_nested_json_is_invalid_json_not_a_crash(client: FlaskClient) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/v1/extract", data=body, content_type="application/json")
    assert response.status_code == 400 and _error(response) == "invalid_json"


def test_a_trailing_newline_is_not_part_of_a_valid_hash(client: FlaskClient) -> None:
    assert _error(_post(client, {"html_sha256": "a" * 64 + "\n"})) == "invalid_field"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json "])
def test_json_content_type_is_read_in_any_spelling(client: FlaskClient, content_type: str) -> None:
    response = client.post("/v1/extract", data=json.dumps({"html": PAGE, "url": URL}), content_type=content_type)
    assert response.status_code == 200 and response.content_type == "application/json"
