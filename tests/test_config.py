"""Settings: defaults, validation naming the variable, _FILE secrets, and the README table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readerly.config import SETTINGS, ConfigError, config_table, load_config

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_without_environment() -> None:
    config = load_config({})
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 8080, 2)
    assert config.redis_url == "" and config.api_tokens == () and config.rate_limit is None
    assert config.cache_ttl == 7 * 86400 and config.max_html_bytes == 10 * 1024 * 1024


def test_values_are_parsed() -> None:
    config = load_config({
        "READERLY_PORT": "9000", "READERLY_API_TOKENS": "a, b,,c", "READERLY_RATE_LIMIT": "30/minute",
        "READERLY_CORS_ORIGINS": "moz-extension://abc", "READERLY_REDIS_URL": "redis://cache:6379/1",
        "READERLY_LOG_LEVEL": "debug",
    })
    assert config.port == 9000 and config.api_tokens == ("a", "b", "c") and config.rate_limit == (30, 60)
    assert config.cors_origins == ("moz-extension://abc",) and config.log_level == "DEBUG"


def test_empty_string_means_unset() -> None:
    assert load_config({"READERLY_PORT": "", "READERLY_RATE_LIMIT": " "}).port == 8080


@pytest.mark.parametrize(
    ("variable", "value"),
    [("READERLY_PORT", "http"), ("READERLY_PORT", "70000"), ("READERLY_WORKERS", "0"),
     ("READERLY_CACHE_TTL", "-5"), ("READERLY_RATE_LIMIT", "lots"), ("READERLY_RATE_LIMIT", "10/week"),
     ("READERLY_REDIS_URL", "http://cache"), ("READERLY_LOG_LEVEL", "loud"), ("READERLY_EXTRACT_TIMEOUT", "0")],
)
def test_invalid_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_config({variable: value})


def test_extract_timeout_must_be_below_worker_timeout() -> None:
    with pytest.raises(ConfigError, match="READERLY_EXTRACT_TIMEOUT"):
        load_config({"READERLY_TIMEOUT": "10", "READERLY_EXTRACT_TIMEOUT": "10"})


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "tokens"
    secret.write_text("s3cret,other\n")
    assert load_config({"READERLY_API_TOKENS_FILE": str(secret)}).api_tokens == ("s3cret", "other")
    assert load_config({"READERLY_API_TOKENS": "direct", "READERLY_API_TOKENS_FILE": str(secret)}).api_tokens == (
        "direct",)
    with pytest.raises(ConfigError, match="READERLY_API_TOKENS_FILE"):
        load_config({"READERLY_API_TOKENS_FILE": str(tmp_path / "missing")})


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigError):
        load_config({}, {"no_such_setting": 1})


def test_readme_config_table_matches_the_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `(READERLY_[A-Z_]+)` \| ([^|]*)\|", readme,
                                                                  re.MULTILINE)}
    expected = {row["variable"]: row["default"].replace("`", "") for row in config_table()}
    assert set(rows) == set(expected), "README config table and config.SETTINGS differ"
    for variable, default in expected.items():
        assert rows[variable].strip("`") == default, variable
    assert len(SETTINGS) == len(rows)
