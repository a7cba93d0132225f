"""The JSON API: POST /v1/extract (pages and cache probes) in any of the four formats."""

from __future__ import annotations

from flask import Blueprint, Response

from readerly.intake import read_extract_request
from readerly.pipeline.render import FORMATS, READER_CSP, render_article
from readerly.state import current_request, get_state

bp = Blueprint("api", __name__, url_prefix="/v1")


@bp.post("/extract")
def extract() -> Response:
    """Extract one page (or answer a cache probe) and render it in the requested format."""
    state = get_state()
    req = current_request()
    extract_request = read_extract_request(req, state.config.max_html_bytes)
    outcome = state.extractor.handle(extract_request)
    if outcome.answer_json is not None:  # a JSON cache hit: the stored answer, byte for byte
        response = Response(outcome.answer_json, content_type=FORMATS["json"])
    else:
        rendered = render_article(outcome.article, extract_request.fmt, theme=req.args.get("theme"))
        response = Response(rendered.body, content_type=rendered.content_type)
    response.headers["X-Readerly-Cache"] = "hit" if outcome.cache_hit else "miss"
    if extract_request.fmt == "html":
        response.headers["Content-Security-Policy"] = READER_CSP
    return response
