"""The extension end to end in real Chromium: capture a corpus page, read it through the real service
(with real Redis), and check what the reader page shows, its themes, the cache probe and the errors."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import SHARED, require

pytestmark = pytest.mark.chromium

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


@dataclass
class Reading:
    """One page read through the extension: the reader tab, the article JSON behind it, the traffic."""

    reader: Any
    article: dict[str, Any]
    traffic: Traffic


def _scorer() -> ModuleType:
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


@pytest.fixture(scope="module")
def truth(corpus: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / "boilerplate-dev" / PAGE_ID / "truth.json").read_text())
    return data


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return _scorer()


@pytest.fixture(scope="module")
def source_url(page_server: str) -> str:
    # A query string of its own makes the first read a guaranteed cache miss whatever ran before.
    return f"{page_server}/{PAGE_ID}/page.html?run={uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def first_read(browser: Any, worker: Any, service: Any, source_url: str) -> Iterator[Reading]:
    """Read the corpus page once with an empty cache."""
    configure(worker, service.url)
    traffic = Traffic(service.url)
    browser.on("request", traffic.on_request)
    browser.on("response", traffic.on_response)
    source = open_source(browser, source_url)
    reader = read_with_extension(browser, worker, source_url)
    browser.remove_listener("request", traffic.on_request)
    browser.remove_listener("response", traffic.on_response)
    yield Reading(reader, stored_article(worker, reader), traffic)
    reader.close()
    source.close()


def test_first_read_probes_then_uploads(first_read: Reading) -> None:
    assert first_read.traffic.probes == 1
    assert first_read.traffic.uploads == 1
    assert first_read.traffic.cache == ["miss"]


def test_reader_shows_title_and_article_sentences(first_read: Reading, truth: dict[str, Any],
                                                   scorer: ModuleType) -> None:
    article = first_read.reader.locator("#article")
    assert article.is_visible()
    assert scorer.norm(first_read.reader.locator("#title").inner_text()) == scorer.norm(truth["title"])
    text = scorer.norm(article.inner_text())
    missing = [sentence for sentence in truth["must_contain"] if not scorer.contains(text, sentence)]
    assert missing == [], f"{PAGE_ID}: sentences missing from the reader: {missing}"


def test_reader_article_has_no_boilerplate(first_read: Reading, truth: dict[str, Any],
                                           scorer: ModuleType) -> None:
    # The article body, as the corpus scores it: the header legitimately repeats the title and byline,
    # which a page's widgets (a "recent posts" list, a comment by the author) may repeat too.
    text = scorer.norm(first_read.reader.locator("#article #content").inner_text())
    leaked = [junk for junk in truth["must_not_contain"] if scorer.contains(text, junk)]
    assert leaked == [], f"{PAGE_ID}: boilerplate in the reader: {leaked}"


def test_reader_header_shows_metadata(first_read: Reading) -> None:
    meta = first_read.reader.locator("#meta").inner_text()
    for key in ("byline", "site_name"):
        if first_read.article.get(key):
            assert first_read.article[key] in meta
    assert re.search(r"\d+ min read", meta)
    assert first_read.reader.title().endswith("— Readerly")


def test_removed_items_are_a_closed_disclosure_built_on_open(first_read: Reading) -> None:
    reader, removed = first_read.reader, first_read.article["removed"]
    box = reader.locator("#removed-box")
    if not removed:
        assert box.is_hidden()
        return
    summary = reader.locator("#removed-summary")
    assert re.fullmatch(rf"{len(removed)} items? removed", summary.inner_text())
    assert reader.locator("#removed").get_attribute("open") is None
    assert reader.locator("#removed-list li").count() == 0
    summary.click()
    expect(reader.locator("#removed-list li")).to_have_count(len(removed))


def test_reader_page_is_accessible_and_script_safe(first_read: Reading) -> None:
    reader = first_read.reader
    for landmark in ("banner", "main", "navigation"):
        assert reader.get_by_role(landmark).count() >= 1, landmark
    assert reader.locator("h1:visible").count() == 1
    # Article content cannot carry scripts, handlers, styles or forms into the extension's page.
    assert reader.locator("#content script, #content style, #content form, #content iframe").count() == 0
    assert reader.locator("#content [style], #content [onclick], #content [onerror]").count() == 0


def test_reader_is_keyboard_friendly(first_read: Reading) -> None:
    reader = first_read.reader
    reader.bring_to_front()
    reader.focus(".skip-link")
    assert reader.locator(".skip-link").bounding_box()["x"] >= 0
    reader.keyboard.press("Enter")
    assert reader.evaluate("document.activeElement.id") == "article"
    # From the article, the toolbar is one Shift+Tab away; its Appearance panel opens and closes by keyboard.
    reader.keyboard.press("Shift+Tab")
    assert reader.evaluate("document.activeElement.textContent") == "Appearance"
    reader.keyboard.press("Enter")
    assert reader.locator("#appearance").get_attribute("open") is not None
    reader.keyboard.press("Tab")
    assert reader.evaluate("document.activeElement.id") == "theme"
    reader.keyboard.press("Shift+Tab")
    reader.keyboard.press("Enter")
    assert reader.locator("#appearance").get_attribute("open") is None


def test_theme_switch_changes_colours_and_is_remembered(first_read: Reading, worker: Any,
                                                        artifacts: Path) -> None:
    reader = first_read.reader
    # Screenshots show the page as it opens: disclosure closed, scrolled to the top, nothing focused.
    reader.evaluate("document.getElementById('removed').open = false")
    screenshot_ready = "document.activeElement.blur(); window.scrollTo(0, 0)"
    light = choose_theme(reader, "light")
    reader.evaluate(screenshot_ready)
    reader.screenshot(path=str(artifacts / "reader-light.png"), full_page=True)
    dark = choose_theme(reader, "dark")
    reader.evaluate(screenshot_ready)
    reader.screenshot(path=str(artifacts / "reader-dark.png"), full_page=True)
    assert light != dark
    assert sum(light) > 600 and sum(dark) < 150, (light, dark)
    # Another reader page opened now starts dark: the choice is stored, not just applied.
    fresh = reader.context.new_page()
    try:
        fresh.goto(reader.url)
        fresh.wait_for_selector(SETTLED)
        assert fresh.evaluate("document.documentElement.dataset.theme") == "dark"
        assert background_rgb(fresh) == dark
    finally:
        fresh.close()


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_system_theme_follows_the_browser(first_read: Reading, scheme: str, dark: bool) -> None:
    reader = first_read.reader
    reader.emulate_media(color_scheme=scheme)
    try:
        sepia = choose_theme(reader, "sepia")
        system = choose_theme(reader, "system")
        assert system != sepia
        assert (sum(system) < 150) is dark, system
    finally:
        reader.emulate_media(color_scheme="null")


def test_print_shows_only_the_article(first_read: Reading) -> None:
    reader = first_read.reader
    reader.emulate_media(media="print")
    try:
        assert reader.locator(".toolbar").is_hidden()
        assert reader.locator("#removed-box").is_hidden()
        assert reader.locator("#article").is_visible()
    finally:
        reader.emulate_media(media="null")


def test_second_read_is_a_cache_hit_without_upload(first_read: Reading, browser: Any, worker: Any,
                                                  service: Any, source_url: str) -> None:
    configure(worker, service.url)
    traffic = Traffic(service.url)
    browser.on("request", traffic.on_request)
    browser.on("response", traffic.on_response)
    try:
        reader = read_with_extension(browser, worker, source_url)
    finally:
        browser.remove_listener("request", traffic.on_request)
        browser.remove_listener("response", traffic.on_response)
    try:
        assert (traffic.probes, traffic.uploads, traffic.cache) == (1, 0, ["hit"])
        assert reader.locator("#title").inner_text() == first_read.reader.locator("#title").inner_text()
    finally:
        reader.close()


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


def test_copy_as_markdown_puts_the_article_on_the_clipboard(first_read: Reading, browser: Any, page_server: str,
                                                            truth: dict[str, Any], scorer: ModuleType) -> None:
    reader = first_read.reader
    reader.bring_to_front()
    reader.click("#copy-markdown")
    reader.locator("#notice").filter(has_text="Copied").wait_for()
    # Extension origins cannot be granted clipboard-read; a page of the local server can read it back.
    browser.grant_permissions(["clipboard-read"], origin=page_server)
    checker = browser.new_page()
    try:
        checker.goto(f"{page_server}/README.md")
        markdown = checker.evaluate("navigator.clipboard.readText()")
    finally:
        checker.close()
    assert markdown.startswith(f"# {first_read.article['title']}\n")
    assert scorer.contains(scorer.norm(markdown), truth["must_contain"][-1])


# Markup a compromised or buggy server could send; the reader's own DOMPurify pass must defuse all of it.
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


def open_job(browser: Any, worker: Any, job: dict[str, Any]) -> Any:
    """Store a job as the service worker would and open its reader page."""
    worker.evaluate("job => chrome.storage.session.set({ [`job:${job.id}`]: job })", job)
    extension_id = worker.url.split("/")[2]
    reader = browser.new_page()
    reader.goto(f"chrome-extension://{extension_id}/reader/reader.html?job={job['id']}")
    return reader


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
