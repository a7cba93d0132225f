"""Pages and probes for people and operators: paste form, reader page, health, metrics, OpenAPI."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from readerly import __version__
from readerly.cache import html_digest
from readerly.errors import InvalidInput, ReaderlyError
from readerly.intake import ExtractRequest, check_url
from readerly.openapi import openapi_document
from readerly.pipeline.render import READER_CSP, READER_CSS, render_article
from readerly.state import get_state

bp = Blueprint("web", __name__)

# The paste form runs no script either: the reader stylesheet (pinned by hash) and a same-origin post.
FORM_CSP = READER_CSP.replace("form-action 'none'", "form-action 'self'")


@bp.get("/")
def index() -> Response:
    """A form where a person pastes a page's HTML (and its URL) and gets the reader view."""
    state = get_state()
    html = render_template("index.html", css=READER_CSS, needs_token=bool(state.config.api_tokens),
                           version=__version__)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = FORM_CSP
    return response


@bp.post("/read")
def read() -> Response:
    """The form's target: the reader page, or the form again with the error explained."""
    state = get_state()
    try:
        html = request.form.get("html", "")
        if not html.strip():
            raise InvalidInput("paste the page's HTML into the box")
        url = check_url(request.form.get("url", "").strip() or None)
        encoded = html.encode("utf-8", "replace")
        page = ExtractRequest(html, html_digest(encoded), url, "html", True)
        outcome = state.extractor.handle(page)
    except ReaderlyError as exc:
        return form_error(exc)
    rendered = render_article(outcome.article, "html", theme=request.form.get("theme"))
    response = Response(rendered.body, content_type=rendered.content_type)
    response.headers["Content-Security-Policy"] = READER_CSP
    response.headers["X-Readerly-Cache"] = "hit" if outcome.cache_hit else "miss"
    return response


def form_error(exc: ReaderlyError) -> Response:
    """The paste form again, filled in as sent, with the error said in words (a person reads it)."""
    body = render_template("index.html", css=READER_CSS, error=exc.message,
                           needs_token=bool(get_state().config.api_tokens), version=__version__,
                           html=request.form.get("html", ""), url=request.form.get("url", ""))
    response = Response(body, status=exc.status, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = FORM_CSP
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers. No I/O, so a Redis outage never restarts workers."""
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: the cache backend answers right now (a live PING for Redis)."""
    cache = get_state().cache
    ok, detail = cache.ready()
    return jsonify(status="ok" if ok else "unavailable", cache=cache.backend, detail=detail), 200 if ok else 503


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format, summed over all workers."""
    return Response(get_state().metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The API contract as OpenAPI 3.1; a test keeps it true to the routes."""
    return jsonify(openapi_document())
