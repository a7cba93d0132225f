"""Every READERLY_* setting in one table: default, type and validation, read once at start-up.

A bad value stops start-up with a message naming the variable. Secrets may be given as
READERLY_<NAME>_FILE (a path whose content is the value), as container secrets usually are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive integer")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be zero or a positive integer")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError("must be a positive number")
    return number


def _port(value: str) -> int:
    number = int(value)
    if not 0 < number < 65536:
        raise ValueError("must be a TCP port (1-65535)")
    return number


def _csv(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _rate(value: str) -> tuple[int, int] | None:
    """'N/second|minute|hour|day' -> (limit, window seconds)."""
    match = _RATE.match(value)
    if not match:
        raise ValueError("must look like 60/minute (N/second|minute|hour|day)")
    return _positive_int(match.group(1)), _PERIODS[match.group(2)]


def _redis_url(value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://", "redis+sentinel://", "redis+cluster://")):
        raise ValueError("must start with redis://, rediss://, unix://, redis+sentinel:// or redis+cluster://")
    return value


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


@dataclass(frozen=True)
class Setting:
    """One row of the table: the variable, its default, its parser and what it is for."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return f"READERLY_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", str, "Address `readerly serve` binds to (0.0.0.0 in containers)."),
    Setting("port", 8080, _port, "Port `readerly serve` listens on."),
    Setting("workers", 2, _positive_int, "gunicorn worker processes (about one per core)."),
    Setting("timeout", 30, _positive_int, "Seconds before gunicorn restarts a stuck worker."),
    Setting("extract_timeout", 10.0, _positive_float,
            "Time budget of one extraction in seconds; over it the answer is 503 extraction_timeout."),
    Setting("max_requests", 20000, _non_negative_int,
            "Requests after which a worker is recycled (0 = never), bounding slow memory growth."),
    Setting("max_requests_jitter", 2000, _non_negative_int,
            "Random extra requests per worker so workers do not all restart at once."),
    Setting("redis_url", "", _redis_url,
            "Redis for the cache and rate limits (redis://, rediss://, redis+sentinel://, "
            "redis+cluster://). Empty: in-process cache.", secret=True),
    Setting("cache_ttl", 7 * 86400, _positive_int, "Seconds a cached article is kept."),
    Setting("cache_max_entries", 512, _positive_int, "Entries of the in-process cache (no Redis)."),
    Setting("cache_max_bytes", 64 * 1024 * 1024, _positive_int,
            "Compressed bytes of the in-process cache (no Redis)."),
    Setting("max_html_bytes", 10 * 1024 * 1024, _positive_int,
            "Largest page accepted (UTF-8 bytes of the HTML); request bodies may be twice that."),
    Setting("api_tokens", (), _csv, "Comma-separated bearer tokens; when set, /v1 and /metrics need one.",
            secret=True),
    Setting("rate_limit", None, _rate, "Requests per token or client address, like 60/minute; unset = no limit."),
    Setting("cors_origins", (), _csv,
            "Comma-separated origins allowed to call the API from a browser (e.g. moz-extension://…)."),
    Setting("trusted_proxies", 0, _non_negative_int,
            "Reverse-proxy hops in front of the service, for the client address in X-Forwarded-For."),
    Setting("log_level", "INFO", _log_level, "Log level: DEBUG, INFO, WARNING, ERROR."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """The parsed settings; build it with load_config()."""

    host: str
    port: int
    workers: int
    timeout: int
    extract_timeout: float
    max_requests: int
    max_requests_jitter: int
    redis_url: str
    cache_ttl: int
    cache_max_entries: int
    cache_max_bytes: int
    max_html_bytes: int
    api_tokens: tuple[str, ...]
    rate_limit: tuple[int, int] | None
    cors_origins: tuple[str, ...]
    trusted_proxies: int
    log_level: str


def load_config(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read every setting from the environment (and _FILE variants), then apply typed overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = _raw_value(setting, env)
        if raw is None:
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{setting.env}={raw!r} is invalid: {exc}") from exc
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = value
    config = Config(**values)
    _check_consistency(config)
    return config


def _raw_value(setting: Setting, env: Mapping[str, str]) -> str | None:
    """The variable's text; empty means unset. A _FILE variant is read when the variable is unset."""
    value = env.get(setting.env, "")
    if value.strip():
        return value.strip()
    path = env.get(f"{setting.env}_FILE", "").strip()
    if setting.secret and path:
        try:
            content = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{setting.env}_FILE={path!r} cannot be read: {exc.strerror}") from exc
        return content or None
    return None


def _check_consistency(config: Config) -> None:
    if config.extract_timeout >= config.timeout:
        raise ConfigError(
            f"READERLY_EXTRACT_TIMEOUT ({config.extract_timeout}) must be below READERLY_TIMEOUT "
            f"({config.timeout}), so a slow page gets an answer before its worker is killed"
        )


def config_table() -> list[dict[str, str]]:
    """The table as rows (variable, default, description), for the README and its check."""
    return [
        {"variable": s.env, "default": _show_default(s.default), "description": s.help} for s in SETTINGS
    ]


def _show_default(value: Any) -> str:
    if value in ((), None, ""):
        return "(unset)"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


__all__ = ["SETTINGS", "Config", "ConfigError", "config_table", "load_config"]
