"""The Flask app factory: config, cache, metrics and the two blueprints wired together."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from readerly import api, ratelimit, requestlog, web
from readerly.access import add_challenge, add_vary, apply_cors, check_token
from readerly.cache import RedisCache, make_cache
from readerly.config import Config, load_config
from readerly.errors import RateLimited, ReaderlyError
from readerly.metrics import Metrics
from readerly.pipeline import Options
from readerly.service import Extractor
from readerly.state import State, current_request, get_state

log = logging.getLogger("readerly")

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large",
               415: "unsupported_media_type", 400: "invalid_field"}


def create_app(config: Config | Mapping[str, Any] | None = None) -> Flask:
    """Build an app; `config` overrides settings by name (tests), else the environment decides."""
    settings = config if isinstance(config, Config) else load_config(overrides=config)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask(__name__, static_folder=None)
    # Pasted pages can be large; the form parser gets the same limit as the API body.
    app.config["MAX_FORM_MEMORY_SIZE"] = 2 * settings.max_html_bytes
    app.config["MAX_CONTENT_LENGTH"] = 2 * settings.max_html_bytes
    metrics = Metrics()
    cache = make_cache(settings.redis_url, settings.cache_ttl, settings.cache_max_entries,
                       settings.cache_max_bytes, on_error=lambda op: metrics.cache_errors.labels(op).inc())
    options = Options(max_html_bytes=settings.max_html_bytes, timeout=settings.extract_timeout)
    app.extensions["readerly"] = State(settings, cache, metrics, Extractor(cache, metrics, options))
    app.register_blueprint(api.bp)
    app.register_blueprint(web.bp)
    _install_hooks(app)
    return app


def _install_hooks(app: Flask) -> None:
    state = get_state(app)
    shared = state.cache.client if isinstance(state.cache, RedisCache) else None
    limiter = ratelimit.make_limiter(state.config, shared, state.metrics.registry)
    requestlog.install_access_log()

    @app.before_request
    def _before() -> Response | None:
        req = current_request()
        g.started = time.perf_counter()
        g.request_id = requestlog.request_id(req)
        if req.method == "OPTIONS" and req.headers.get("Origin"):
            return Response(status=204)
        # Counted before the token check, so guessing tokens spends the guesser's address budget.
        g.rate_limit = verdict = ratelimit.count_request(limiter, req, state.config)
        ratelimit.refuse_over_limit(verdict)
        check_token(req, state.config)
        return None

    @app.after_request
    def _after(response: Response) -> Response:
        req = current_request()
        ctx = g._get_current_object()
        elapsed = time.perf_counter() - ctx.get("started", time.perf_counter())
        add_vary(response, "Accept")
        rule = req.url_rule
        endpoint = rule.rule if rule else "unmatched"
        state.metrics.request_answered(req.method, endpoint, response.status_code, elapsed)
        ratelimit.add_headers(response, ctx.get("rate_limit"))
        add_challenge(response)
        response = apply_cors(req, response, state.config)
        requestlog.finish(req, response, ctx.get("request_id"), elapsed, state.config.trusted_proxies)
        return response

    @app.errorhandler(ReaderlyError)
    def _readerly_error(exc: ReaderlyError) -> tuple[Response, int]:
        if request.path == "/read" and request.method == "POST":  # raised before the view (token, rate)
            response = web.form_error(exc)
        else:
            response = jsonify(exc.to_dict())
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response, exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException | tuple[Response, int]:
        if not request.path.startswith(("/v1", "/metrics", "/healthz", "/readyz", "/openapi.json")):
            return exc
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "http_error")
        return jsonify({"error": {"code": code, "message": exc.description or exc.name}}), status
