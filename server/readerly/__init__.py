"""Readerly: turn a cluttered web page into a clean, safe reader view."""

from __future__ import annotations

__version__ = "0.1.0"

from readerly.article import Article, Removal
from readerly.pipeline import Options, run


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    strip: bool = True,
    timeout: float | None = None,
) -> Article:
    """Extract the article of one page; the library entry point (no cache, no server)."""
    return run(html, url, Options(strip=strip, timeout=timeout))


__all__ = ["Article", "Options", "Removal", "__version__", "extract"]
