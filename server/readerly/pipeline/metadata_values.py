"""Normalising raw metadata values: entities, whitespace, empties, URLs and dates."""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

# Only these schemes make sense for a lead image or a canonical link shown to a reader.
_WEB_SCHEMES = frozenset({"http", "https"})
# An ISO 8601 timestamp inside a longer string ("Posted 2021-03-04T10:00:00Z by ...").
_ISO_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# Tells a date-only value from a timestamp, so "2020-01-02" is not turned into midnight.
_HAS_TIME = re.compile(r"\d{4}-?\d{2}-?\d{2}[T ]\d{2}")
# Dates written out in English ("April 28, 2019", "28 Apr 2019"), common in bylines and <time> text.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
# Day-first dates with dots ("13.04.2024"), the usual numeric form in much of Europe; slashed dates
# are left alone because 04/05 means different days on either side of the Atlantic.
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
# Permalinks dated like /2024/03/02/ (WordPress and many news CMSs).
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})(?:/|$)")


def clean_value(raw: object) -> str | None:
    """Entities unescaped and whitespace collapsed; anything empty or not a string becomes None."""
    # The parser has decoded entities once already; the second pass is for pages that escape their
    # meta values twice (`&amp;quot;`) and for JSON-LD strings, which the parser never decodes.
    if not isinstance(raw, str):
        return None
    text = " ".join((html.unescape(raw) if "&" in raw else raw).split())
    return text or None


def absolute_url(raw: object, base: str | None) -> str | None:
    """A web URL made absolute against the page's base; other schemes are refused."""
    value = clean_value(raw)
    if value is None:
        return None
    value = value.replace(" ", "%20")
    if base:
        try:
            value = urljoin(base, value)
        except ValueError:
            return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() in _WEB_SCHEMES and parts.netloc:
        return value
    # Without a page URL a relative path is still better than nothing for the caller.
    return value if not base and not parts.scheme and not value.startswith("#") else None


def iso_datetime(raw: object) -> str | None:
    """A publication date in ISO 8601 (date only when the page gave no time), else None."""
    value = clean_value(raw)
    if value is None:
        return None
    match = _ISO_IN_TEXT.search(value)
    if match:
        try:
            parsed = datetime.fromisoformat(match.group(0))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed.isoformat() if _HAS_TIME.search(match.group(0)) else parsed.date().isoformat()
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _written_date(value)


def date_from_url(url: str | None) -> str | None:
    """The date of a permalink such as https://site.example/2024/03/02/slug/, else None."""
    match = _URL_DATE.search(url or "")
    return _date(match.group(1), match.group(2), match.group(3)) if match else None


def _written_date(value: str) -> str | None:
    """"April 28, 2019", "28 April 2019" or "28.04.2019" -> "2019-04-28"."""
    for pattern, month_group, day_group in ((_MONTH_FIRST, 1, 2), (_DAY_FIRST, 2, 1)):
        for match in pattern.finditer(value):
            month = _MONTHS.get(match.group(month_group).lower())
            found = _date(match.group(3), str(month), match.group(day_group)) if month else None
            if found:
                return found
    dotted = _DOTTED.search(value)
    return _date(dotted.group(3), dotted.group(2), dotted.group(1)) if dotted else None


def _date(year: str, month: str, day: str) -> str | None:
    try:
        return datetime(int(year), int(month), int(day)).date().isoformat()
    except ValueError:
        return None
