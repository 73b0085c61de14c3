"""Events: an incident or episode that records and figures attach to.

This module holds what imports need (an event to attach records to); timelines, acts and
interventions build on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from recount.case import Case
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.ingest.fields import DateValue, FieldError, parse_date
from recount.sources import check_slug
from recount.store.tables import events


@dataclass(frozen=True)
class Event:
    id: int
    slug: str
    name: str
    place: str | None
    date_low: str | None
    date_high: str | None
    date_precision: str | None
    parent_id: int | None
    created_at: str
    place_precision: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    description: str | None = None


def add_event(case: Case, slug: str, name: str, place: str | None = None,
              start: str | None = None, end: str | None = None,
              parent: str | None = None) -> Event:
    """Register an event; ``start``/``end`` take any date an import accepts (1992, 1992-02)."""
    check_slug(slug, "event")
    if not name.strip():
        raise InvalidValueError("an event needs a name (--name)")
    low, high, precision = _interval(start, end)
    with case.engine.begin() as conn:
        if conn.execute(select(events.c.id).where(events.c.slug == slug)).first():
            raise DuplicateError(f"event {slug!r} already exists; see `recount event list`")
        parent_id = get_event(conn, parent).id if parent else None
        values = dict(slug=slug, name=name.strip(), place=place, date_low=low, date_high=high,
                      date_precision=precision, parent_id=parent_id, created_at=utc_now())
        new_id = conn.execute(insert(events).values(**values)).inserted_primary_key[0]
    return Event(id=new_id, **values)


def _interval(start: str | None, end: str | None) -> tuple[str | None, str | None, str | None]:
    first = _date(start, "--start")
    last = _date(end, "--end")
    if first is None:
        return (None, last.high, "range") if last else (None, None, None)
    if last is None:
        return first.low, first.high, first.precision
    if last.high < first.low:
        raise InvalidValueError(f"event ends ({end}) before it starts ({start})")
    return first.low, last.high, "range"


def _date(text: str | None, option: str) -> DateValue | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except FieldError as exc:
        raise InvalidValueError(f"{option} {text!r}: expected {exc}") from None


def list_events(case: Case) -> list[Event]:
    with case.engine.connect() as conn:
        return [Event(*row) for row in conn.execute(select(events).order_by(events.c.date_low,
                                                                            events.c.slug))]


def get_event(conn: Connection, slug: str) -> Event:
    row = conn.execute(select(events).where(events.c.slug == slug)).first()
    if row is None:
        raise NotFoundError(f"unknown event {slug!r}; add it with "
                            f"`recount event add {slug} --name ..` or see `recount event list`")
    return Event(*row)
