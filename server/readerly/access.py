"""Who may call the API: bearer tokens (constant-time) and CORS for allowed browser origins."""

from __future__ import annotations

import hmac

from flask import Request, Response

from readerly.config import Config
from readerly.errors import Unauthorized

# Paths a token protects; health probes, the contract and the paste form stay open.
PROTECTED_PREFIXES = ("/v1/", "/metrics")


def check_token(request: Request, config: Config) -> None:
    """Raise Unauthorized unless tokens are off or the request carries one of them."""
    if not config.api_tokens or request.method == "OPTIONS":
        return
    if not request.path.startswith(PROTECTED_PREFIXES) and request.path != "/read":
        return
    offered = _bearer(request) or (request.form.get("token", "") if request.path == "/read" else "")
    # Compare with every token so the time taken does not tell which one nearly matched.
    matched = False
    for token in config.api_tokens:
        matched |= hmac.compare_digest(offered.encode(), token.encode())
    if not matched:
        raise Unauthorized("a valid API token is required (Authorization: Bearer <token>)")


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def apply_cors(request: Request, response: Response, config: Config) -> Response:
    """Echo an allowed Origin exactly; other origins get no CORS headers at all."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origin or origin not in config.cors_origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = "X-Readerly-Cache, Retry-After"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Content-Encoding"
        response.headers["Access-Control-Max-Age"] = "600"
    return response
