"""The one place recount reads the time, so every stored timestamp has the same form."""

from datetime import UTC, datetime


def utc_now() -> str:
    """Now, in UTC, as ISO 8601 with microseconds and a ``Z``: sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
