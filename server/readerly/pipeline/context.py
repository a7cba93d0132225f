"""What travels between the stages: the options, the metadata found, the removals recorded."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from readerly.article import Metadata, Removal
from readerly.errors import ExtractionTimeout

# Removal texts are cut here: enough to recognise the item, small enough for a JSON answer.
REMOVAL_TEXT_CHARS = 80


@dataclass(frozen=True)
class Options:
    """Knobs of one extraction; defaults are what the service uses."""

    strip: bool = True
    timeout: float | None = None
    max_html_bytes: int = 10 * 1024 * 1024
    # Keeps a hostile page from exhausting memory; nesting depth is capped by libxml2 itself
    # (2048 levels with huge_tree: markup below that is dropped, never recursed into).
    max_elements: int = 500_000


@dataclass
class Context:
    """Mutable state of one run; created by pipeline.run and handed to every stage."""

    url: str | None
    options: Options = field(default_factory=Options)
    metadata: Metadata = field(default_factory=Metadata)
    removed: list[Removal] = field(default_factory=list)
    confidence: float = 0.0
    page_words: int = 0
    # Chinese or Japanese page: words are counted by characters too (text_measure.count_words).
    cjk: bool = False
    base_url: str | None = None
    deadline: float | None = None
    # What the strip rules concluded about each class/id string, shared by the page and article passes.
    class_names: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.options.timeout is not None and self.deadline is None:
            self.deadline = time.monotonic() + self.options.timeout

    def record(self, kind: str, rule: str, text: str) -> None:
        """Remember one removal (outermost element), text collapsed and cut for display."""
        collapsed = " ".join(text.split())
        self.removed.append(Removal(kind=kind, rule=rule, text=collapsed[:REMOVAL_TEXT_CHARS].rstrip()))

    def check_time(self) -> None:
        """Called between stages: stop with a clear error once the budget is spent."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ExtractionTimeout("extraction took longer than the configured time budget")
