"""What the reader page shows when reading goes wrong or is slow: never a blank page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import PAGE_ID, READ_TIMEOUT_MS, configure, open_job, open_source, read_with_extension

pytestmark = pytest.mark.chromium


@pytest.mark.parametrize(
    ("server", "message"),
    [
        pytest.param("dead", r"Cannot reach the Readerly server at 127\.0\.0\.1:\d+", id="server-down"),
        pytest.param("", r"No Readerly server is set", id="no-server"),
    ],
)
def test_failure_shows_a_message_not_a_blank_page(browser: Any, worker: Any, page_server: str,
                                                  dead_server_url: str, artifacts: Path,
                                                  server: str, message: str) -> None:
    configure(worker, dead_server_url if server == "dead" else server)
    url = f"{page_server}/{PAGE_ID}/page.html?failure={uuid.uuid4().hex}"
    source = open_source(browser, url)
    reader = read_with_extension(browser, worker, url)
    try:
        problem = reader.locator("#problem")
        assert problem.is_visible()
        assert reader.locator("#article").is_hidden()
        assert re.search(message, reader.locator("#problem-message").inner_text())
        assert reader.locator("#problem-original").get_attribute("href") == url
        if server == "dead":
            assert reader.locator("#retry").is_visible()
            reader.screenshot(path=str(artifacts / "reader-server-down.png"))
    finally:
        reader.close()
        source.close()


def test_try_again_reads_the_page_once_the_server_is_back(browser: Any, worker: Any, page_server: str,
                                                         dead_server_url: str, service: Any) -> None:
    configure(worker, dead_server_url)
    url = f"{page_server}/{PAGE_ID}/page.html?retry={uuid.uuid4().hex}"
    source = open_source(browser, url)
    reader = read_with_extension(browser, worker, url)
    try:
        assert reader.locator("#problem").is_visible()
        configure(worker, service.url)
        reader.locator("#retry").click()
        reader.wait_for_selector("#article:not([hidden])", timeout=READ_TIMEOUT_MS)
        assert reader.locator("#problem").is_hidden()
        assert reader.locator("#content p").count() > 5
    finally:
        reader.close()
        source.close()


@pytest.mark.parametrize("works", [False, True], ids=["wrong-token", "right-token"])
def test_api_token_is_sent_and_a_refusal_is_explained(browser: Any, worker: Any, page_server: str,
                                                      token_service: Any, api_token: str, works: bool) -> None:
    configure(worker, token_service.url, api_token if works else f"not-{api_token}")
    url = f"{page_server}/{PAGE_ID}/page.html?token={uuid.uuid4().hex}"
    source = open_source(browser, url)
    reader = read_with_extension(browser, worker, url)
    try:
        if works:
            assert reader.locator("#article").is_visible()
        else:
            assert "refused the API token" in reader.locator("#problem-message").inner_text()
            assert reader.locator("#open-options").is_visible()
    finally:
        reader.close()
        source.close()


def test_a_job_that_never_finishes_ends_in_a_message(browser: Any, worker: Any) -> None:
    started_long_ago = 0
    job = {"id": f"stalled-{uuid.uuid4().hex}", "state": "working", "step": "upload", "startedAt": started_long_ago,
           "source": {"url": "https://example.org/a", "title": "Slow page", "tabId": -1}}
    reader = open_job(browser, worker, job)
    try:
        reader.locator("#problem-message").filter(has_text="stopped answering").wait_for(timeout=10_000)
        assert reader.locator("#progress").is_hidden()
        assert reader.locator("#retry").is_visible()
    finally:
        reader.close()


def test_progress_is_shown_while_the_server_works(browser: Any, worker: Any) -> None:
    job = {"id": f"working-{uuid.uuid4().hex}", "state": "working", "step": "upload",
           "startedAt": worker.evaluate("Date.now()"),
           "source": {"url": "https://example.org/a", "title": "A page being read", "tabId": -1}}
    reader = open_job(browser, worker, job)
    try:
        expect(reader.locator("#progress-step")).to_have_text(re.compile("the server is reading it"))
        expect(reader.locator("#progress-source")).to_have_text("A page being read")
        worker.evaluate(
            "([key, article]) => chrome.storage.session.get(key).then((stored) => "
            "chrome.storage.session.set({ [key]: { ...stored[key], state: 'done', step: 'done', article } }))",
            [f"job:{job['id']}", {"title": "Arrived", "content": "<p>Now it is here.</p>", "removed": []}],
        )
        expect(reader.locator("#title")).to_have_text("Arrived")
        assert reader.locator("#progress").is_hidden()
    finally:
        reader.close()
