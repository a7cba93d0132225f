"""Reading an extract request: body size, gzip, content type, fields, URL and output format.

Everything a client can get wrong is turned into a ReaderlyError here, before any work is done.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson
from flask import Request

from readerly.cache import html_digest
from readerly.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from readerly.pipeline.render import FORMATS

_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
# What str.isspace() calls whitespace (sre uses the same table), and the C0 control characters.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
# URLs longer than this are refused: browsers and proxies cap them near here anyway.
MAX_URL_CHARS = 4096
_ACCEPT_TYPES = {
    "application/json": "json", "text/html": "html", "text/markdown": "markdown", "text/plain": "text",
    "text/x-markdown": "markdown", "application/xhtml+xml": "html",
}


@dataclass(frozen=True)
class ExtractRequest:
    """A validated request: either a page (html) or a cache probe (html_sha256 only)."""

    html: str | bytes | None
    html_sha256: str
    url: str | None
    fmt: str
    use_cache: bool


def read_extract_request(request: Request, max_html_bytes: int) -> ExtractRequest:
    """Validate the whole request; the body may be twice the page limit (JSON escaping, gzip)."""
    fmt = choose_format(request)
    body = _read_body(request, 2 * max_html_bytes)
    no_store = "no-store" in request.headers.get("Cache-Control", "").lower()
    # The usual exact header is taken as it is: werkzeug parses the options of any Content-Type each time.
    mimetype = "application/json" if request.environ.get("CONTENT_TYPE") == "application/json" else request.mimetype
    if mimetype == "application/json":
        return _from_json(body, fmt, no_store, max_html_bytes)
    if mimetype in ("text/html", "application/xhtml+xml"):
        if not body.strip():
            raise InvalidInput("the request body is empty: send the page's HTML")
        if len(body) > 2 * max_html_bytes:
            raise PayloadTooLarge("the page is too large")
        url = check_url(request.args.get("url"))
        return ExtractRequest(body, html_digest(body), url, fmt, not no_store)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {mimetype or '(none)'!r}: send application/json or text/html"
    )


def choose_format(request: Request) -> str:
    """?format= wins over Accept; no Accept or */* means JSON."""
    environ = request.environ
    if not environ.get("QUERY_STRING") and not environ.get("HTTP_ACCEPT"):
        return "json"  # neither a query nor an Accept header: nothing to parse
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in FORMATS:
            raise InvalidInput(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}", code="invalid_format")
        return fmt
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return "json"
    best = accept.best_match(list(_ACCEPT_TYPES))
    return _ACCEPT_TYPES[best] if best else "json"


def check_url(url: object) -> str | None:
    """An absolute http(s) URL, or None; anything else is a 400 invalid_url."""
    if url is None or url == "":
        return None
    if not isinstance(url, str):
        raise InvalidInput("url must be a string", code="invalid_url")
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise InvalidInput(f"url is not a valid URL: {exc}", code="invalid_url") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL_CHARS:
        raise InvalidInput("url must be an absolute http(s) URL", code="invalid_url")
    if _SPACE_OR_CONTROL.search(url):
        raise InvalidInput("url must not contain whitespace or control characters", code="invalid_url")
    return url


def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, gunzipped when sent with Content-Encoding: gzip, never more than `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip"):
        raise UnsupportedMediaType(f"unsupported Content-Encoding {encoding!r}: send gzip or identity")
    return _gunzip(raw, limit)


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress at most `limit` bytes: a gzip bomb is refused without inflating it."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InvalidInput(f"the body is not valid gzip: {exc}", code="invalid_field") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"the decompressed body is larger than {limit} bytes")
    if not inflater.eof:
        raise InvalidInput("the gzip body is truncated", code="invalid_field")
    return out


def _from_json(body: bytes, fmt: str, no_store: bool, max_html_bytes: int) -> ExtractRequest:
    try:
        data = _parse_json(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}", code="invalid_json") from exc
    if not isinstance(data, dict):
        raise InvalidInput("the JSON body must be an object", code="invalid_json")
    url = check_url(data.get("url"))
    use_cache = data.get("cache", True)
    if not isinstance(use_cache, bool):
        raise InvalidInput("cache must be true or false")
    html, digest = data.get("html"), data.get("html_sha256")
    if html is None:
        if not isinstance(digest, str) or not _SHA256_HEX.fullmatch(digest):
            raise InvalidInput("send html (a string), or html_sha256 (64 hex digits) to ask the cache")
        return ExtractRequest(None, digest.lower(), url, fmt, use_cache and not no_store)
    if not isinstance(html, str):
        raise InvalidInput("html must be a string")
    if not html.strip():
        raise InvalidInput("html is empty: send the page's HTML")
    html, encoded = _utf8(html)
    if len(encoded) > max_html_bytes:
        raise PayloadTooLarge(f"the page is larger than {max_html_bytes} bytes")
    return ExtractRequest(html, html_digest(encoded), url, fmt, use_cache and not no_store)


def _parse_json(body: bytes) -> object:
    """orjson for the usual body (a 48 kB page parses in a fifth of json's time), json for the rest.

    What orjson refuses but json reads (lone surrogates, which become U+FFFD below, a BOM, NaN, deep
    nesting) is read by json as before, and json words the errors clients see.
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _utf8(html: str) -> tuple[str, bytes]:
    """The html with lone surrogates made U+FFFD, and its UTF-8 bytes.

    A strict encode fails exactly when a lone surrogate is present, so the regex pass over the
    whole page (a third of a millisecond for 50 kB) runs only for the rare page that needs it.
    """
    try:
        return html, html.encode("utf-8")
    except UnicodeEncodeError:
        html = _LONE_SURROGATES.sub("\ufffd", html)
        return html, html.encode("utf-8")
