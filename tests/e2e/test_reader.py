"""The extension reading a corpus page end to end: real Chromium, the real service, real Redis.

The reader page is checked as a person would see it: the article, its header, the removed items,
themes, keyboard use, printing, copying, and a second read served from the cache."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import (
    PAGE_ID,
    SETTLED,
    Traffic,
    background_rgb,
    choose_theme,
    configure,
    load_scorer,
    open_source,
    read_with_extension,
    stored_article,
)

pytestmark = pytest.mark.chromium


@dataclass
class Reading:
    """One page read through the extension: the reader tab, the article JSON behind it, the traffic."""

    reader: Any
    article: dict[str, Any]
    traffic: Traffic


@pytest.fixture(scope="module")
def truth(corpus: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / "boilerplate-dev" / PAGE_ID / "truth.json").read_text())
    return data


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer()


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
