"""Shared fixtures: the shared corpora, a real redis-server on a free port, an app and its client."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from readerly.app import create_app
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop without the resource; in CI a missing resource is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    require(CORPUS.is_dir(), f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def redis_binary() -> str:
    path = shutil.which("redis-server")
    require(path is not None, "redis-server is not installed")
    assert path is not None
    return path


@pytest.fixture
def redis_server(redis_binary: str, tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of the test's own, which the test may stop and start again."""
    server = RedisServer(redis_binary, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def app() -> Flask:
    return create_app({"redis_url": ""})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
