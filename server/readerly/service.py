"""The extract use case at the service's edge: cache lookup, pipeline run, cache store, metrics."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from readerly.article import Article
from readerly.cache import Cache, article_from_json, cache_key
from readerly.errors import ExtractionFailed, NotCached, ReaderlyError
from readerly.intake import ExtractRequest
from readerly.metrics import Metrics
from readerly.pipeline import Options, run

log = logging.getLogger(__name__)


class Outcome:
    """An article and whether it came from the cache.

    A hit asked for in JSON carries the cached answer's bytes (`answer_json`), sent as they are:
    the Article is built from them only if something asks for it.
    """

    __slots__ = ("_article", "answer_json", "cache_hit")

    def __init__(self, article: Article | None, cache_hit: bool, answer_json: bytes | None = None) -> None:
        if article is None and answer_json is None:
            raise ValueError("an outcome needs an article or its JSON answer")
        self._article, self.cache_hit, self.answer_json = article, cache_hit, answer_json

    @property
    def article(self) -> Article:
        if self._article is None:
            assert self.answer_json is not None
            self._article = article_from_json(self.answer_json)
        return self._article


@dataclass
class _Flight:
    """One extraction in progress, and what its followers will be handed."""

    done: threading.Event = field(default_factory=threading.Event)
    followers: int = 0
    article: Article | None = None
    error: BaseException | None = None


class SingleFlight:
    """Concurrent calls with the same key share one run: N equal misses cost one extraction.

    Per process, which is where threads share work; gunicorn's sync workers take one request at a
    time, so across workers equal requests cost at most one extraction per worker, and requests that
    queue behind the first find its result in the cache.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight] = {}

    def run(self, key: str, work: Callable[[], Article]) -> Article:
        """work() once for all callers of this key until it returns; its error is everyone's error."""
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
            else:
                flight.followers += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            assert flight.article is not None
            return flight.article
        try:
            flight.article = work()
        except BaseException as exc:  # handed to the followers, then raised here unchanged
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
        return flight.article

    def followers(self, key: str) -> int:
        """Callers waiting on the run of this key (0 when none is in progress)."""
        with self._lock:
            flight = self._flights.get(key)
            return flight.followers if flight is not None else 0


class Extractor:
    """Serves extract requests: probe or page, cached when possible, always answered."""

    def __init__(self, cache: Cache, metrics: Metrics, options: Options) -> None:
        self.cache, self.metrics, self.options = cache, metrics, options
        self.in_flight = SingleFlight()

    def handle(self, request: ExtractRequest) -> Outcome:
        key = cache_key(request.url, request.html_sha256)
        if request.use_cache:
            cached = self._cached(key, request.fmt)
            self.metrics.cache_lookup(cached is not None)
            if cached is not None:
                return cached
        html = request.html
        if html is None:
            raise NotCached("this page is not in the cache: send its html")
        if not request.use_cache:
            return Outcome(self._extract(html, request.url), False)
        return Outcome(self.in_flight.run(key, lambda: self._extract_and_store(key, html, request.url)), False)

    def _cached(self, key: str, fmt: str) -> Outcome | None:
        """The cached answer: as bytes for JSON, else as an Article (an unreadable one is a miss)."""
        answer = self.cache.get_json(key)
        if answer is None:
            return None
        if fmt == "json":
            return Outcome(None, True, answer)
        try:
            return Outcome(article_from_json(answer), True)
        except (ValueError, TypeError, KeyError):
            log.warning("cache value under %s is unreadable; ignoring it", key)
            return None

    def _extract_and_store(self, key: str, html: str | bytes, url: str | None) -> Article:
        article = self._extract(html, url)
        self.cache.set(key, article)
        return article

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
