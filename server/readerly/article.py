"""The extraction result: one frozen record of every output field."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Removal:
    """One element the boilerplate rules took out, so users can see what was dropped and why."""

    kind: str
    rule: str
    text: str


@dataclass(frozen=True)
class Metadata:
    """Page-level facts read from the whole document before anything is removed."""

    title: str | None = None
    byline: str | None = None
    published_time: str | None = None
    site_name: str | None = None
    lang: str | None = None
    dir: str | None = None
    lead_image_url: str | None = None
    canonical_url: str | None = None
    excerpt: str | None = None
    description: str | None = None
    article_body: str | None = None


@dataclass(frozen=True)
class Article:
    """Everything the service answers for one page; `content` is sanitized HTML."""

    url: str | None
    canonical_url: str | None
    title: str | None
    byline: str | None
    published_time: str | None
    site_name: str | None
    lang: str | None
    dir: str | None
    lead_image_url: str | None
    excerpt: str | None
    content: str
    text: str
    markdown: str
    word_count: int
    reading_time_minutes: int
    confidence: float
    removed: tuple[Removal, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the field order of the API contract (no deep copy: fields are immutable)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["removed"] = [{"kind": r.kind, "rule": r.rule, "text": r.text} for r in self.removed]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Inverse of to_dict, for values read back from the cache."""
        fields = dict(data)
        fields["removed"] = tuple(Removal(**r) for r in fields.get("removed", ()))
        return cls(**fields)
