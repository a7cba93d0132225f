"""Who may call the API: bearer tokens (constant-time), the client's address, and CORS for allowed origins."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import Request, Response

from readerly.config import Config
from readerly.errors import Unauthorized

# Paths a token protects; health probes, the contract and the paste form stay open.
PROTECTED_PREFIXES = ("/v1/", "/metrics")
# Headers a browser page may read from an answer: cache state, rate-limit state and the request id.
EXPOSED_HEADERS = "X-Readerly-Cache, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id"


def check_token(request: Request, config: Config) -> None:
    """Raise Unauthorized unless tokens are off or the request carries one of them."""
    if not config.api_tokens or request.method == "OPTIONS":
        return
    if not request.path.startswith(PROTECTED_PREFIXES) and request.path != "/read":
        return
    if valid_token(request, config) is None:
        raise Unauthorized("a valid API token is required (Authorization: Bearer <token>)")


def valid_token(request: Request, config: Config) -> str | None:
    """The configured token the request carries, if any, found in time independent of the tokens."""
    offered = _bearer(request) or (request.form.get("token", "") if request.path == "/read" else "")
    if not offered:
        return None
    # Digests make every comparison the same length, and every token is compared (no early exit),
    # so the time taken tells neither a token's length nor which one nearly matched.
    offered_digest = hashlib.sha256(offered.encode()).digest()
    found = None
    for token in config.api_tokens:
        if hmac.compare_digest(offered_digest, hashlib.sha256(token.encode()).digest()):
            found = token
    return found


def add_challenge(response: Response) -> None:
    """A 401 names the scheme it wants (RFC 6750), so generic HTTP clients know to send a bearer token."""
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="readerly"')


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def client_address(request: Request, trusted_proxies: int) -> str:
    """The caller's IP: the socket peer, or the entry `trusted_proxies` hops back in X-Forwarded-For.

    Only hops the operator vouches for are believed: with 1 trusted proxy the last X-Forwarded-For
    entry (the one that proxy appended) is the client; entries further left are client-controlled.
    """
    peer = request.remote_addr or "unknown"
    if trusted_proxies <= 0:
        return peer
    hops = [hop.strip() for hop in ",".join(request.headers.getlist("X-Forwarded-For")).split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return peer
    candidate = _without_port(hops[-trusted_proxies])
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


def _without_port(hop: str) -> str:
    """Some proxies append the port: '203.0.113.9:51234' and '[2001:db8::1]:443' name the address alone."""
    if hop.startswith("["):
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def apply_cors(request: Request, response: Response, config: Config) -> Response:
    """Echo an allowed Origin exactly; other origins get no CORS headers at all."""
    add_vary(response, "Origin")
    origin = request.headers.get("Origin")
    if not origin or origin not in config.cors_origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Content-Encoding"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def add_vary(response: Response, name: str) -> None:
    """What response.vary.add(name) writes, without parsing and re-serialising a plain header each time."""
    current = response.headers.get("Vary")
    if current is None:
        response.headers["Vary"] = name
        return
    tokens = current.split(", ")
    if '"' in current or any(not t or t != t.strip() or "," in t for t in tokens):
        response.vary.add(name)  # anything unusual: let werkzeug normalise it as it always has
    elif name.lower() not in (t.lower() for t in tokens):
        response.headers["Vary"] = f"{current}, {name}"
