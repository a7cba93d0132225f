"""End-to-end fixtures: real redis-server, the real service, a page server and Chromium with the extension.

Chromium is Debian's (`/usr/bin/chromium`); the extension is a copy of `extension/` whose manifest
adds `host_permissions` for the local origins (the only difference), since a headless test cannot
click the toolbar or answer a permission prompt.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, require
from tests.support.redis_server import RedisServer, free_port

CHROMIUM = "/usr/bin/chromium"
EXTENSION = ROOT / "extension"
ARTIFACTS = ROOT / "artifacts" / "e2e"
# The flags DESIGN.md settles on: new headless mode (extensions need it), no sandbox as root, and no
# background traffic that could slow a run or reach the network.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SERVICE_START_SECONDS = 30
API_TOKEN = "e2e-token-4f1c"


@dataclass(frozen=True)
class Service:
    """A running Readerly service and where its output goes."""

    url: str
    log: Path


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def e2e_redis(redis_binary: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server for the whole browser session."""
    server = RedisServer(redis_binary, tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVICE_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"readerly serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"readerly serve did not become healthy at {url}:\n{log.read_text()}")


@contextmanager
def _run_service(env: dict[str, str], log: Path) -> Iterator[Service]:
    """`readerly serve` (one worker) on a free port with extra environment; stopped on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The `readerly serve` console script, run by this interpreter so no PATH lookup is involved.
    entry = "import sys; from readerly.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", entry, "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env},
                                   cwd=ROOT)
    try:
        _wait_healthy(url, process, log)
        yield Service(url, log)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def service(e2e_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The real service on a free port, caching in the real Redis."""
    log = tmp_path_factory.mktemp("service") / "serve.log"
    with _run_service({"READERLY_REDIS_URL": e2e_redis.url, "READERLY_API_TOKENS": ""}, log) as running:
        yield running


@pytest.fixture(scope="session")
def api_token() -> str:
    return API_TOKEN


@pytest.fixture(scope="session")
def token_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A second service that wants API_TOKEN (in-process cache: this one is about access, not Redis)."""
    log = tmp_path_factory.mktemp("token-service") / "serve.log"
    with _run_service({"READERLY_REDIS_URL": "", "READERLY_API_TOKENS": API_TOKEN}, log) as running:
        yield running


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output to the tests' own."""


@pytest.fixture(scope="session")
def page_server(corpus: Path) -> Iterator[str]:
    """Serves ../shared/corpus/boilerplate-dev/ over HTTP on a free port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(corpus / "boilerplate-dev"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def dead_server_url() -> str:
    """An address where nothing listens (a free port nobody binds)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def extension_copy(tmp_path_factory: pytest.TempPathFactory, page_server: str, service: Service,
                   token_service: Service, dead_server_url: str) -> Path:
    """extension/ with host_permissions for the test origins added to its manifest, nothing else."""
    target = tmp_path_factory.mktemp("extension") / "extension"
    shutil.copytree(EXTENSION, target)
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    origins = (page_server, service.url, token_service.url, dead_server_url)
    manifest["host_permissions"] = [f"{origin}/*" for origin in origins]
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return target


@pytest.fixture(scope="session")
def browser(chromium_binary: str, extension_copy: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium with the extension loaded, in a fresh profile; outside traffic is refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=chromium_binary,
            headless=False,
            args=[*CHROMIUM_ARGS, f"--disable-extensions-except={extension_copy}",
                  f"--load-extension={extension_copy}"],
        )
        # Corpus pages reference ad scripts and fonts on the internet: refuse them at once.
        context.route(lambda url: not url.startswith(("http://127.0.0.1", "chrome-extension://")),
                      lambda route: route.abort())
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def worker(browser: Any) -> Any:
    """The extension's service worker (where the toolbar handler lives)."""
    workers = browser.service_workers
    return workers[0] if workers else browser.wait_for_event("serviceworker", timeout=15_000)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
