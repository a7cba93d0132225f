"""Loading the shared corpora and scoring one extractor on them (used by bench/ and the floor test)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
MOZILLA = CORPUS / "readability-test-pages"
BOILERPLATE = CORPUS / "boilerplate-dev"
# Readability.js's own tests give every page this address.
MOZILLA_URL = "http://fakehost/test/page.html"
META_FIELDS = ("title", "byline", "excerpt", "siteName", "lang", "dir")


def load_tool(name: str) -> ModuleType:
    """A module of ../shared/tools (not a package), imported by path."""
    path = SHARED / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"shared_{name}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Page:
    """One corpus page: its HTML, URL, truth text and whatever else its truth files hold."""

    corpus: str
    name: str
    html: str
    url: str
    truth_text: str
    truth: dict[str, Any] = field(default_factory=dict)


def mozilla_pages() -> Iterator[Page]:
    score_text = load_tool("score_text")
    for folder in sorted(p for p in MOZILLA.iterdir() if (p / "source.html").exists()):
        expected = (folder / "expected.html").read_text(encoding="utf-8", errors="replace")
        meta_path = folder / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        yield Page("readability-test-pages", folder.name,
                   (folder / "source.html").read_text(encoding="utf-8", errors="replace"), MOZILLA_URL,
                   score_text.html_to_text(expected), meta)


def boilerplate_pages() -> Iterator[Page]:
    for folder in sorted(p for p in BOILERPLATE.iterdir() if (p / "truth.json").exists()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        yield Page("boilerplate-dev", folder.name, (folder / "page.html").read_text(encoding="utf-8"),
                   truth.get("url", ""), truth.get("body_text", ""), truth)


@dataclass
class Prediction:
    """What an extractor returned for a page: text always, metadata when it has any."""

    text: str
    meta: dict[str, str | None] = field(default_factory=dict)
    error: str | None = None


Extractor = Callable[[Page], Prediction]


def readerly_extractor(strip: bool = True) -> Extractor:
    """Our pipeline through the library entry point; a refused page counts as an empty prediction."""
    from readerly import extract
    from readerly.errors import ReaderlyError

    def run(page: Page) -> Prediction:
        try:
            article = extract(page.html, url=page.url, strip=strip)
        except ReaderlyError as exc:
            return Prediction("", error=exc.code)
        meta = {"title": article.title, "byline": article.byline, "excerpt": article.excerpt,
                "siteName": article.site_name, "lang": article.lang, "dir": article.dir}
        return Prediction(article.text, meta)

    return run


def raw_readability_extractor() -> Extractor:
    """The baseline: readability-lxml alone, Document(html).summary() turned into text."""
    from readability import Document
    from readability.readability import Unparseable

    score_text = load_tool("score_text")

    def run(page: Page) -> Prediction:
        try:
            summary = Document(page.html, url=page.url).summary()
        except Unparseable as exc:
            return Prediction("", error=str(exc))
        return Prediction(score_text.html_to_text(summary))

    return run
