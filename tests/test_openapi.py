"""/openapi.json is a valid OpenAPI 3.1 document that names exactly the app's routes."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate


def _app_routes(app: Flask) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def test_document_is_valid_openapi_31(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_document_lists_exactly_the_routes(app: Flask, client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == _app_routes(app)


def test_documented_errors_match_the_error_shape(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    responses = document["paths"]["/v1/extract"]["post"]["responses"]
    for status in ("400", "404", "413", "415", "422"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    answer = client.post("/v1/extract", json={"html": "<p>" + "word " * 40 + "</p>"}).get_json()
    assert set(document["components"]["schemas"]["Article"]["required"]) == set(answer)
