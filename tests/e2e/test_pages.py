"""The reader page's own defences, and the options page, in Chromium with the extension."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.browsing import open_job

pytestmark = pytest.mark.chromium


HOSTILE_CONTENT = """
<p id="kept">Kept paragraph with <a id="web" href="https://example.org/x">a link</a>.</p>
<script>window.pwned = "script"</script>
<img id="img" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.pwned = 'onerror'">
<a id="js" href="javascript:window.pwned='href'">click</a>
<iframe src="https://example.org/"></iframe>
<form action="https://example.org/"><input name="q"></form>
<style>body { display: none }</style>
<svg><script>window.pwned = "svg"</script></svg>
<p style="position:fixed;inset:0" onclick="window.pwned='click'">Styled</p>
"""


def test_reader_sanitizes_the_content_again(browser: Any, worker: Any) -> None:
    article = {"title": "Hostile", "url": "https://example.org/a", "content": HOSTILE_CONTENT, "removed": []}
    job = {"id": f"xss-{uuid.uuid4().hex}", "state": "done", "step": "done", "startedAt": 0, "article": article,
           "source": {"url": "https://example.org/a", "title": "Hostile", "tabId": -1}}
    reader = open_job(browser, worker, job)
    try:
        reader.wait_for_selector("#article:not([hidden])")
        content = reader.locator("#content")
        assert content.locator("#kept").is_visible()
        assert content.locator("script, iframe, form, input, style, svg script").count() == 0
        assert content.locator("[onerror], [onclick], [style]").count() == 0
        assert content.locator("#js").get_attribute("href") is None
        assert content.locator("#web").get_attribute("rel") == "noopener noreferrer"
        reader.locator("#js").click()
        assert reader.evaluate("window.pwned") is None
    finally:
        reader.close()


def test_options_page_saves_the_server_and_tests_the_connection(browser: Any, worker: Any,
                                                                service: Any) -> None:
    extension_id = worker.url.split("/")[2]
    options = browser.new_page()
    try:
        options.goto(f"chrome-extension://{extension_id}/options/options.html")
        options.fill("#serverUrl", f"{service.url}/")
        options.fill("#token", "")
        options.click("#save")
        status = options.locator("#status")
        status.filter(has_text="Saved").wait_for()
        stored = worker.evaluate("async () => (await chrome.storage.local.get('serverUrl')).serverUrl")
        assert stored == service.url
        options.click("#test")
        status.filter(has_text="Connected").wait_for()
        options.fill("#serverUrl", "ftp://example.org")
        options.click("#save")
        status.filter(has_text="http:// or https://").wait_for()
        assert options.get_attribute("#serverUrl", "aria-invalid") == "true"
        assert worker.evaluate("async () => (await chrome.storage.local.get('serverUrl')).serverUrl") == stored
    finally:
        options.close()
