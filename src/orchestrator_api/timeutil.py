"""Time helpers: everything is stored and served as timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` converted to UTC; naive values are taken to be UTC already.

    An instant that falls outside Python's range once shifted to UTC (``0001-01-01T00:00:00+05:00``) becomes
    the nearest representable one, so every RFC 3339 timestamp a client may send can be compared and stored.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        bound = datetime.min if value.year == datetime.min.year else datetime.max
        return bound.replace(tzinfo=UTC)


def isoformat(value: datetime | None) -> str | None:
    """RFC 3339 text for ``value`` (``+00:00`` offset), or None."""
    return None if value is None else as_utc(value).isoformat()


def parse_datetime(value: str) -> datetime:
    """Parse an RFC 3339 timestamp into aware UTC; raises ValueError when it is not one.

    A ``+`` in an offset arrives as a space when a client forgot to URL-encode the query string; that one
    slip is repaired rather than refused, as Airflow does.
    """
    text = value.strip()
    if " " in text and not text.endswith("Z"):
        head, _, tail = text.rpartition(" ")
        if tail[:2].isdigit():
            text = f"{head}+{tail}"
    parsed = datetime.fromisoformat(text)
    return as_utc(parsed)
