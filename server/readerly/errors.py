"""One small error hierarchy; every error maps to one JSON shape and one HTTP status."""

from __future__ import annotations


class ReaderlyError(Exception):
    """Base of every error a client can cause; carries its HTTP status and stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The one JSON error body: {"error": {"code", "message"}}."""
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInput(ReaderlyError):
    """Malformed request: bad JSON, a field of the wrong type, an invalid URL or format."""

    status = 400
    code = "invalid_field"


class Unauthorized(ReaderlyError):
    status = 401
    code = "unauthorized"


class NotFound(ReaderlyError):
    status = 404
    code = "not_found"


class NotCached(NotFound):
    code = "not_cached"


class PayloadTooLarge(ReaderlyError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ReaderlyError):
    status = 415
    code = "unsupported_media_type"


class NoArticle(ReaderlyError):
    """The page parsed, but holds too little readable text to call it an article."""

    status = 422
    code = "no_article"


class ExtractionFailed(ReaderlyError):
    status = 422
    code = "extraction_failed"


class RateLimited(ReaderlyError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ExtractionTimeout(ReaderlyError):
    """The time budget ran out between two stages: answer clearly instead of hanging a worker."""

    status = 503
    code = "extraction_timeout"
