"""`readerly extract` offline and `readerly serve` under gunicorn, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.redis_server import free_port
from tests.test_api import PAGE, URL

# The README's run command: `python3 -m readerly serve`.
CLI = [sys.executable, "-m", "readerly"]


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, timeout=60, check=False)


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_extract_json_prints_the_article_fields(page_file: Path) -> None:
    result = _run("extract", str(page_file), "--url", URL, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["url"] == URL and "town hall" in data["text"] and "removed" in data and "confidence" in data


@pytest.mark.parametrize(("fmt", "start"), [("html", b"<!doctype html>"), ("markdown", b"# Rail yard"),
                                            ("text", b"Residents packed")])
def test_extract_other_formats(page_file: Path, fmt: str, start: bytes) -> None:
    result = _run("extract", str(page_file), "--format", fmt)
    assert result.returncode == 0 and result.stdout.startswith(start)


def test_extract_reads_stdin_bytes() -> None:
    result = _run("extract", "-", "--format", "text", stdin=PAGE.encode("cp1252", "replace"))
    assert result.returncode == 0 and b"town hall" in result.stdout


def test_no_article_exits_3_with_a_json_error(tmp_path: Path) -> None:
    page = tmp_path / "short.html"
    page.write_text("<html><body><nav></nav><img src='a.png'></body></html>")
    result = _run("extract", str(page))
    assert result.returncode == 3 and result.stdout == b""
    assert json.loads(result.stderr)["error"]["code"] == "no_article"


@pytest.mark.parametrize("args", [("extract",), ("extract", "x.html", "--format", "pdf"), ("bogus",), ()])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert _run(*args).returncode == 2


def test_missing_file_and_bad_url_exit_2(page_file: Path) -> None:
    assert _run("extract", "/no/such/file.html").returncode == 2
    assert _run("extract", str(page_file), "--url", "not a url").returncode == 2


def test_bad_config_exits_2_naming_the_variable(page_file: Path) -> None:
    env = {**os.environ, "READERLY_PORT": "lots"}
    result = subprocess.run([*CLI, "serve"], env=env, capture_output=True, timeout=30, check=False)
    assert result.returncode == 2 and b"READERLY_PORT" in result.stderr


def _wait_healthy(port: int, deadline: float = 30) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if subprocess.run([*CLI, "healthcheck", "--url", f"http://127.0.0.1:{port}/healthz"],
                          capture_output=True, check=False).returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError("service did not become healthy")


def test_serve_runs_gunicorn_answers_and_stops_on_sigterm() -> None:
    port = free_port()
    env = {**os.environ, "READERLY_REDIS_URL": "", "READERLY_PORT": str(port)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen([*CLI, "serve", "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(port)
        for _ in range(4):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/v1/extract?format=text", data=json.dumps({"html": PAGE}).encode(),
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200 and b"town hall" in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            metrics = response.read().decode()
        # Summed over both workers (Prometheus multiprocess mode).
        assert 'readerly_http_requests_total{endpoint="/v1/extract",method="POST",status="200"} 4.0' in metrics
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert subprocess.run([*CLI, "healthcheck", "--url", f"http://127.0.0.1:{port}/healthz"],
                          capture_output=True, check=False).returncode == 1


def test_workers_leave_the_loaded_app_out_of_garbage_collection() -> None:
    import gc

    from readerly import cli

    try:
        cli._freeze_heap(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
