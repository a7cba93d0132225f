"""Every page of the shared corpora goes through the service without a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bench.corpora import MOZILLA_URL

pytestmark = pytest.mark.slow

# Pinned floor: the share of pages whose title agrees with Readability.js's expected title.
TITLE_AGREEMENT_FLOOR = 0.95


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def test_readability_pages_smoke(client: FlaskClient, corpus: Path) -> None:
    import json

    folders = sorted(p for p in (corpus / "readability-test-pages").iterdir() if (p / "source.html").exists())
    assert len(folders) >= 100
    titles = 0
    for folder in folders:
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        response = client.post("/v1/extract", json={"html": html, "url": MOZILLA_URL, "cache": False})
        assert response.status_code in (200, 422), (folder.name, response.status_code)
        data = response.get_json()
        if response.status_code == 422:
            assert data["error"]["code"] == "no_article", folder.name
            continue
        expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        titles += _norm(data["title"]) == _norm(expected.get("title"))
        assert "<script" not in data["content"].lower(), folder.name
    assert titles / len(folders) >= TITLE_AGREEMENT_FLOOR
