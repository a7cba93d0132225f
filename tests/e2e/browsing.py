"""Helpers for driving the extension in Chromium: what a person does, done from a test."""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tests.conftest import SHARED, require

# Another boilerplate-dev page can be checked the same way: READERLY_E2E_PAGE=dev-05-... pytest tests/e2e
PAGE_ID = os.environ.get("READERLY_E2E_PAGE", "dev-01-seed-tagdiv-cnn-north-korea")
READ_TIMEOUT_MS = 60_000
# The reader shows either the article or the problem box; never nothing.
SETTLED = "#article:not([hidden]), #problem:not([hidden])"
RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")


@dataclass
class Traffic:
    """What the browser sent to the service and what came back (the service worker's requests too)."""

    service_url: str
    probes: int = 0
    uploads: int = 0
    cache: list[str] = field(default_factory=list)

    def on_request(self, request: Any) -> None:
        if request.url.startswith(f"{self.service_url}/v1/extract") and request.method == "POST":
            if request.headers.get("content-encoding") == "gzip":
                self.uploads += 1
            else:
                self.probes += 1

    def on_response(self, response: Any) -> None:
        if response.url.startswith(f"{self.service_url}/v1/extract") and response.status == 200:
            self.cache.append(response.headers.get("x-readerly-cache", ""))


def load_scorer() -> ModuleType:
    """The corpus's own matcher, so strings are normalised exactly as the boilerplate scores are."""
    path = SHARED / "tools" / "score_boilerplate.py"
    require(path.is_file(), f"{path} not found")
    spec = importlib.util.spec_from_file_location("score_boilerplate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def configure(worker: Any, server_url: str, token: str = "") -> None:
    """Set the server as the options page would (the origin is already granted by the test manifest)."""
    settings = {"serverUrl": server_url, "token": token}
    worker.evaluate("settings => chrome.storage.local.set(settings)", settings)


def open_source(browser: Any, url: str) -> Any:
    page = browser.new_page()
    page.goto(url, wait_until="domcontentloaded")
    return page


def read_with_extension(browser: Any, worker: Any, source_url: str) -> Any:
    """Run the toolbar button's handler on the tab showing source_url; return the reader page it opens."""
    with browser.expect_page(timeout=READ_TIMEOUT_MS) as opened:
        worker.evaluate(
            """async (url) => {
                const tab = (await chrome.tabs.query({})).find((candidate) => candidate.url === url);
                if (!tab) throw new Error(`no tab shows ${url}`);
                return globalThis.readerly.readTab(tab);
            }""",
            source_url,
        )
    reader = opened.value
    reader.wait_for_selector(SETTLED, timeout=READ_TIMEOUT_MS)
    return reader


def stored_article(worker: Any, reader: Any) -> dict[str, Any]:
    """The article JSON the reader page rendered (the job in session storage)."""
    job_id = re.search(r"[?&]job=([^&]+)", reader.url).group(1)  # type: ignore[union-attr]
    job: dict[str, Any] = worker.evaluate(
        "async (key) => (await chrome.storage.session.get(key))[key]", f"job:{job_id}"
    )
    article: dict[str, Any] = job["article"]
    return article


def background_rgb(page: Any) -> tuple[int, int, int]:
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    match = RGB.match(colour)
    assert match, colour
    red, green, blue = (int(part) for part in match.groups())
    return red, green, blue


def choose_theme(reader: Any, theme: str) -> tuple[int, int, int]:
    """Pick a theme in the Appearance panel as a person would; return the page's background colour."""
    panel = reader.locator("#appearance")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    reader.select_option("#theme", theme)
    reader.wait_for_function(f"document.documentElement.dataset.theme === '{theme}'")
    panel.locator("summary").click()
    return background_rgb(reader)


def open_job(browser: Any, worker: Any, job: dict[str, Any]) -> Any:
    """Store a job as the service worker would and open its reader page."""
    worker.evaluate("job => chrome.storage.session.set({ [`job:${job.id}`]: job })", job)
    extension_id = worker.url.split("/")[2]
    reader = browser.new_page()
    reader.goto(f"chrome-extension://{extension_id}/reader/reader.html?job={job['id']}")
    return reader
