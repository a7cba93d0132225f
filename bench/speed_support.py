"""Pieces of bench/speed.py: the pipeline run stage by stage, statistics, memory probes and a big page.

Kept apart so speed.py reads as the benchmark itself; nothing here is used by the service.
"""

from __future__ import annotations

import contextlib
import gc
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

STAGES = ("parse", "metadata", "strip", "extract", "strip_article", "tidy", "sanitize", "render")


def run_stages(html: str, url: str | None) -> dict[str, float]:
    """readerly.pipeline.run() with a timer around each stage (same calls, same order)."""
    from readerly.errors import ReaderlyError
    from readerly.pipeline import Context, Options
    from readerly.pipeline.extract import extract_article
    from readerly.pipeline.metadata import read_metadata
    from readerly.pipeline.parse import parse_html
    from readerly.pipeline.render import build_article
    from readerly.pipeline.sanitize import sanitize_html
    from readerly.pipeline.strip import strip_article, strip_boilerplate
    from readerly.pipeline.tidy import tidy_article

    times: dict[str, float] = {}
    ctx = Context(url=url, options=Options())

    def timed(name: str, step: Callable[[Any], Any], value: Any) -> Any:
        started = time.perf_counter()
        try:
            return step(value)
        finally:
            times[name] = time.perf_counter() - started

    try:
        tree = timed("parse", lambda h: parse_html(h, ctx), html)
        ctx.metadata = timed("metadata", lambda t: read_metadata(t, ctx), tree)
        tree = timed("strip", lambda t: strip_boilerplate(t, ctx), tree)
        content = timed("extract", lambda t: extract_article(t, ctx), tree)
        content = timed("strip_article", lambda c: strip_article(c, ctx), content)
        content = timed("tidy", lambda c: tidy_article(c, ctx), content)
        safe = timed("sanitize", lambda c: sanitize_html(c, ctx), content)
        timed("render", lambda s: build_article(s, ctx), safe)
    except ReaderlyError:
        pass  # a refused page still counts the stages it went through
    return times


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: p99 of 130 pages is the second slowest page."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p90": percentile(values, 0.9),
            "p99": percentile(values, 0.99), "max": max(values), "total": sum(values)}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_kib() -> int:
    return _status_kib("VmRSS")


def peak_rss_growth(work: Callable[[], object]) -> dict[str, int]:
    """Peak RSS reached during work() above the RSS before it (KiB), peak counter reset first."""
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = _status_kib("VmRSS")
    work()
    return {"before_kib": before, "peak_kib": _status_kib("VmHWM"), "growth_kib": _status_kib("VmHWM") - before}


_TEXT = ("the council said on tuesday that its plan for the river district would add homes parks and a new library "
         "while residents asked how traffic noise and rents would change over the next decade according to figures "
         "published by the city planning office last spring")
_WORDS = tuple(_TEXT.split())


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def _section(rng: random.Random, number: int) -> str:
    paragraphs = "".join(f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(3, 7)))}</p>" for _ in range(6))
    items = "".join(f"<li><a href='/topic/{number}/{i}'>{_sentence(rng)}</a></li>" for i in range(4))
    return (f"<section class='chapter'><h2>Part {number}</h2>{paragraphs}"
            f"<figure><img src='/img/{number}.jpg' alt='figure {number}'><figcaption>{_sentence(rng)}"
            f"</figcaption></figure><blockquote>{_sentence(rng)}</blockquote><ul>{items}</ul>"
            f"<aside class='related-posts'><a href='/r/{number}'>Related: {_sentence(rng)}</a></aside></section>")


def generated_page(size: int, seed: int = 7) -> str:
    """A long article page (nav, sections, figures, lists, asides, comments) just under `size` bytes."""
    rng = random.Random(seed)
    head = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>A very long report</title>"
            "<meta property='og:title' content='A very long report'></head><body>"
            "<nav class='menu'>" + "".join(f"<a href='/s/{i}'>Section {i}</a>" for i in range(40)) + "</nav>"
            "<main><article class='post'><h1>A very long report</h1><p class='byline'>By A. Writer</p>")
    tail = ("</article></main><div id='comments'><p>" + _sentence(rng) + "</p></div>"
            "<footer class='site-footer'><a href='/about'>About</a></footer></body></html>")
    parts, used, number = [head], len(head) + len(tail), 0
    while True:
        section = _section(rng, number)
        if used + len(section) > size:
            break
        parts.append(section)
        used += len(section)
        number += 1
    parts.append(tail)
    return "".join(parts)
