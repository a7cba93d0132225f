"""What one app instance holds: its config, cache, metrics and extractor."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Request, current_app, request

from readerly.cache import Cache
from readerly.config import Config
from readerly.metrics import Metrics
from readerly.service import Extractor


@dataclass(frozen=True)
class State:
    config: Config
    cache: Cache
    metrics: Metrics
    extractor: Extractor


def get_state(app: Flask | None = None) -> State:
    """The State of the given app, or of the app handling the current request."""
    state: State = (app or current_app).extensions["readerly"]
    return state


def current_request() -> Request:
    """The request object itself: every attribute read through Flask's `request` proxy looks up the context."""
    current: Request = request._get_current_object()  # type: ignore[attr-defined]
    return current
