"""The HTTP contract as an OpenAPI 3.1 document, kept true to the routes by a test."""

from __future__ import annotations

from typing import Any

from readerly import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}
_NULLABLE_STRING = {"type": ["string", "null"]}


_REQUEST_ID = {"description": "The request's id (the client's X-Request-Id when sane), as in the log.",
               "schema": {"type": "string"}}


def _error_response(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}},
            "headers": {"X-Request-Id": _REQUEST_ID, **(headers or {})}}


_RATE_HEADERS = {
    "RateLimit-Limit": {"schema": {"type": "integer"}, "description": "Requests allowed per window."},
    "RateLimit-Remaining": {"schema": {"type": "integer"}, "description": "Requests left in this window."},
    "RateLimit-Reset": {"schema": {"type": "integer"}, "description": "Seconds until the window resets."},
}


_ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["url", "canonical_url", "title", "byline", "published_time", "site_name", "lang", "dir",
                 "lead_image_url", "excerpt", "content", "text", "markdown", "word_count",
                 "reading_time_minutes", "confidence", "removed"],
    "properties": {
        "url": {**_NULLABLE_STRING, "description": "The url sent with the page, echoed."},
        "canonical_url": _NULLABLE_STRING,
        "title": _NULLABLE_STRING,
        "byline": _NULLABLE_STRING,
        "published_time": {**_NULLABLE_STRING, "description": "ISO 8601."},
        "site_name": _NULLABLE_STRING,
        "lang": _NULLABLE_STRING,
        "dir": {"type": ["string", "null"], "enum": ["ltr", "rtl", "auto", None]},
        "lead_image_url": _NULLABLE_STRING,
        "excerpt": _NULLABLE_STRING,
        "content": {"type": "string", "description": "The article as sanitized HTML."},
        "text": {"type": "string", "description": "The body as plain text, paragraphs split by blank lines: "
                 "the author's words, without the link cards that stand in for players."},
        "markdown": {"type": "string"},
        "word_count": {"type": "integer", "minimum": 0},
        "reading_time_minutes": {"type": "integer", "minimum": 0},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "How sure the service is that content is the article: from its length, "
                                      "its paragraphs of running text, its share of link text, its share of "
                                      "the page's words and the page's article markup; halved for a list of "
                                      "posts (several linked headlines with a few lines each). Full-length "
                                      "articles score about 0.8 and up, short notes less; home pages, search "
                                      "results and login walls under 0.5."},
        "removed": {"type": "array", "items": {"$ref": "#/components/schemas/Removal"}},
    },
}

_EXTRACT_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "html": {"type": "string", "description": "The page's HTML. Wins over html_sha256."},
        "html_sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$",
                        "description": "SHA-256 of the UTF-8 html: asks the cache only (404 not_cached)."},
        "url": {"type": ["string", "null"], "format": "uri", "description": "The page's address."},
        "cache": {"type": "boolean", "default": True, "description": "false: neither read nor write the cache."},
    },
}

_FORMAT_PARAM = {
    "name": "format", "in": "query", "required": False,
    "schema": {"type": "string", "enum": ["json", "html", "markdown", "text"]},
    "description": "Output format; wins over the Accept header.",
}


def _extract_operation() -> dict[str, Any]:
    return {
        "operationId": "extract",
        "summary": "Extract the article of a page, or ask the cache for it by hash.",
        "parameters": [
            _FORMAT_PARAM,
            {"name": "url", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "The page's address, for text/html bodies."},
            {"name": "Content-Encoding", "in": "header", "required": False,
             "schema": {"type": "string", "enum": ["gzip", "identity"]}},
        ],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ExtractRequest"}},
            "text/html": {"schema": {"type": "string"}},
        }},
        "responses": {
            "200": {
                "description": "The article.",
                "headers": {"X-Readerly-Cache": {"schema": {"type": "string", "enum": ["hit", "miss"]}},
                            "X-Request-Id": _REQUEST_ID, **_RATE_HEADERS},
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Article"}},
                    "text/html": {"schema": {"type": "string"}},
                    "text/markdown": {"schema": {"type": "string"}},
                    "text/plain": {"schema": {"type": "string"}},
                },
            },
            "400": _error_response("invalid_json, invalid_field, invalid_url or invalid_format."),
            "401": _error_response("unauthorized: a token is required.",
                                   {"WWW-Authenticate": {"schema": {"type": "string"}}}),
            "404": _error_response("not_cached: the probed page is not in the cache."),
            "413": _error_response("payload_too_large."),
            "415": _error_response("unsupported_media_type."),
            "422": _error_response("no_article or extraction_failed."),
            "429": _error_response("rate_limited: wait Retry-After seconds.", {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}, **_RATE_HEADERS}),
            "503": _error_response("extraction_timeout."),
        },
    }


def _simple(operation_id: str, summary: str, content_type: str, extra: dict[str, Any] | None = None,
            ) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": summary, "content": {content_type: {}}}}
    responses.update(extra or {})
    return {"get": {"operationId": operation_id, "summary": summary, "responses": responses}}


def openapi_document() -> dict[str, Any]:
    """Every endpoint of the app with its request and answer shapes."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Readerly", "version": __version__,
                 "description": "Reader view as a service: send a page, get its article."},
        "security": [{}, {"bearer": []}],
        "paths": {
            "/v1/extract": {"post": _extract_operation()},
            "/": _simple("index", "The paste-a-page form.", "text/html"),
            "/read": {"post": {
                "operationId": "read", "summary": "The paste form's target: the reader page.",
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "required": ["html"], "properties": {
                        "html": {"type": "string"}, "url": {"type": "string"}, "token": {"type": "string"},
                        "theme": {"type": "string", "enum": ["", "light", "sepia", "dark"]}}}}}},
                "responses": {"200": {"description": "The reader page.", "content": {"text/html": {}}},
                              "4XX": {"description": "The form again, with the error.",
                                      "content": {"text/html": {}}}},
            }},
            "/healthz": _simple("healthz", "Liveness (no I/O).", "application/json"),
            "/readyz": _simple("readyz", "Readiness: the cache backend answers.", "application/json",
                               {"503": {"description": "The cache backend is unreachable.",
                                        "content": {"application/json": {}}}}),
            "/metrics": _simple("metrics", "Prometheus metrics.", "text/plain"),
            "/openapi.json": _simple("openapi", "This document.", "application/json"),
        },
        "components": {
            "schemas": {
                "Article": _ARTICLE_SCHEMA,
                "ExtractRequest": _EXTRACT_REQUEST,
                "Removal": {"type": "object", "required": ["kind", "rule", "text"], "properties": {
                    "kind": {"type": "string"}, "rule": {"type": "string"}, "text": {"type": "string"}}},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
