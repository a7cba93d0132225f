"""The extract use case at the service's edge: cache lookup, pipeline run, cache store, metrics."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from readerly.article import Article
from readerly.cache import Cache, cache_key
from readerly.errors import ExtractionFailed, NotCached, ReaderlyError
from readerly.intake import ExtractRequest
from readerly.metrics import Metrics
from readerly.pipeline import Options, run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """An article and whether it came from the cache."""

    article: Article
    cache_hit: bool


class Extractor:
    """Serves extract requests: probe or page, cached when possible, always answered."""

    def __init__(self, cache: Cache, metrics: Metrics, options: Options) -> None:
        self.cache, self.metrics, self.options = cache, metrics, options

    def handle(self, request: ExtractRequest) -> Outcome:
        key = cache_key(request.url, request.html_sha256)
        if request.use_cache:
            cached = self.cache.get(key)
            self.metrics.cache.labels("hit" if cached else "miss").inc()
            if cached is not None:
                return Outcome(cached, True)
        if request.html is None:
            raise NotCached("this page is not in the cache: send its html")
        article = self._extract(request.html, request.url)
        if request.use_cache:
            self.cache.set(key, article)
        return Outcome(article, False)

    def _extract(self, html: str | bytes, url: str | None) -> Article:
        started = time.perf_counter()
        try:
            return run(html, url, self.options)
        except ReaderlyError as exc:
            self.metrics.failures.labels(exc.code).inc()
            raise
        except Exception as exc:
            self.metrics.failures.labels("extraction_failed").inc()
            log.exception("extraction failed for %s", url or "(no url)")
            raise ExtractionFailed("the page could not be processed") from exc
        finally:
            self.metrics.extraction.observe(time.perf_counter() - started)
