"""Events: an incident or episode that records, acts, interventions and figures attach to.

An event has a name, a place with its precision (exact coordinates to a whole country), a time
interval with its precision (day, month, year, or a range) and at most one parent event it is
part of (a massacre within an offensive within a war). Further links between events (precedes,
follows, part of, caused by) are in ``recount.events.links``; the timeline and the full view of
one event in ``recount.events.timeline``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import check_slug
from recount.clock import utc_now
from recount.errors import DuplicateError, FieldError, InvalidValueError, NotFoundError
from recount.ingest.fields import DateValue, parse_date
from recount.store import events as events_store
from recount.vocabulary import PLACE_PRECISIONS, check

if TYPE_CHECKING:
    from recount.store import Connection

# What ``edit_event`` may change; the slug is the event's name in every command, so it stays.
EDITABLE = (
    "name",
    "place",
    "place_precision",
    "latitude",
    "longitude",
    "description",
    "start",
    "end",
    "parent",
)


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

    @property
    def when(self) -> str | None:
        """The interval as written at its precision: 1992-02-26, 1992-02, 1992, 1991/1994-05."""
        return format_when(self.date_low, self.date_high, self.date_precision)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "when": self.when}


def format_when(low: str | None, high: str | None, precision: str | None) -> str | None:
    if low is None and high is None:
        return None
    if precision == "range" or low is None:
        return f"{low or '…'}/{high or '…'}"
    return {"year": low[:4], "month": low[:7]}.get(precision or "day", low)


def add_event(
    case: Case,
    slug: str,
    name: str,
    place: str | None = None,
    start: str | None = None,
    end: str | None = None,
    parent: str | None = None,
    *,
    place_precision: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    description: str | None = None,
) -> Event:
    """Register an event; ``start``/``end`` take any date an import accepts (1992, 1992-02)."""
    check_slug(slug, "event")
    if not name.strip():
        raise InvalidValueError("an event needs a name (--name)")
    low, high, precision = interval(start, end)
    values: dict[str, Any] = dict(
        slug=slug,
        name=name.strip(),
        place=_text(place),
        date_low=low,
        date_high=high,
        date_precision=precision,
        created_at=utc_now(),
        place_precision=_place_precision(place_precision),
        description=_text(description),
        **_coordinates(latitude, longitude),
    )
    with case.writing() as conn:
        if events_store.event_by_slug(conn, slug) is not None:
            raise DuplicateError(f"event {slug!r} already exists; see `recount event list`")
        values["parent_id"] = get_event(conn, parent).id if parent else None
        new_id = events_store.insert_event(conn, values)
        return event_by_id(conn, new_id)


def edit_event(case: Case, slug: str, **changes: Any) -> Event:
    """Change some of an event's fields (``EDITABLE``); ``None`` leaves a field as it is."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidValueError(f"cannot edit {', '.join(sorted(unknown))} of an event")
    given = {key: value for key, value in changes.items() if value is not None}
    with case.writing() as conn:
        event = get_event(conn, slug)
        values = _edited_values(conn, event, given)
        if values:
            events_store.update_event(conn, event.id, values)
        return event_by_id(conn, event.id)


def _edited_values(conn: Connection, event: Event, given: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in given:
        if not given["name"].strip():
            raise InvalidValueError("an event needs a name (--name)")
        values["name"] = given["name"].strip()
    for key in ("place", "description"):
        if key in given:
            values[key] = _text(given[key])
    if "place_precision" in given:
        values["place_precision"] = _place_precision(given["place_precision"])
    if "latitude" in given or "longitude" in given:
        values.update(
            _coordinates(
                given.get("latitude", event.latitude), given.get("longitude", event.longitude)
            )
        )
    if "end" in given and "start" not in given:
        raise InvalidValueError("give --start with --end: the two make the event's interval")
    if "start" in given:
        low, high, precision = interval(given.get("start"), given.get("end"))
        values.update(date_low=low, date_high=high, date_precision=precision)
    if "parent" in given:
        parent = get_event(conn, given["parent"])
        refuse_containment_cycle(conn, event, parent)
        values["parent_id"] = parent.id
    return values


def refuse_containment_cycle(conn: Connection, event: Event, container: Event) -> None:
    """Refuse to make ``event`` part of ``container`` when that would make it part of itself."""
    if container.id == event.id:
        raise InvalidValueError(f"event {event.slug!r} cannot be part of itself")
    if event.id in containers_of(conn, container.id):
        raise InvalidValueError(
            f"event {container.slug!r} is already part of {event.slug!r}; making "
            f"{event.slug!r} part of {container.slug!r} would make a cycle"
        )


def containers_of(conn: Connection, event_id: int) -> set[int]:
    """Every event that ``event_id`` is part of, directly or not: parents and "part of" links."""
    found: set[int] = set()
    todo = [event_id]
    while todo:
        current = todo.pop()
        parent = events_store.parent_id_of(conn, current)
        linked = events_store.linked_event_ids(conn, current, "part of")
        for container in ([parent] if parent is not None else []) + linked:
            if container not in found:
                found.add(container)
                todo.append(container)
    return found


def interval(start: str | None, end: str | None) -> tuple[str | None, str | None, str | None]:
    """(first day, last day, precision) from a start and an end as a user writes them.

    One date, or a start and end that name the same day, month or year, keep that date's
    precision; two different dates make a range."""
    first = _date(start, "--start")
    last = _date(end, "--end")
    if first is None:
        return (None, last.high, "range") if last else (None, None, None)
    if last is None or last == first:
        return first.low, first.high, first.precision
    if last.high < first.low:
        raise InvalidValueError(f"event ends ({end}) before it starts ({start})")
    return first.low, last.high, "range"


def parse_when(text: str | None, option: str = "--date") -> DateValue | None:
    """A single date or range given on the command line, or a one-line error naming the option."""
    return _date(text, option)


def _date(text: str | None, option: str) -> DateValue | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except FieldError as exc:
        raise InvalidValueError(f"{option} {text!r}: expected {exc}") from None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _place_precision(value: str | None) -> str | None:
    return check(value, PLACE_PRECISIONS, "place precision") if value else None


def _coordinates(latitude: float | None, longitude: float | None) -> dict[str, float | None]:
    if (latitude is None) != (longitude is None):
        raise InvalidValueError("give both --latitude and --longitude, or neither")
    if latitude is not None and not -90 <= latitude <= 90:
        raise InvalidValueError(f"--latitude {latitude}: expected a number from -90 to 90")
    if longitude is not None and not -180 <= longitude <= 180:
        raise InvalidValueError(f"--longitude {longitude}: expected a number from -180 to 180")
    return {"latitude": latitude, "longitude": longitude}


def list_events(case: Case) -> list[Event]:
    """Every event, by date (undated last); ``recount.events.timeline`` adds the links."""
    with case.reading() as conn:
        return [Event(*row) for row in events_store.events_by_date(conn)]


def get_event(conn: Connection, slug: str) -> Event:
    row = events_store.event_by_slug(conn, slug)
    if row is None:
        raise NotFoundError(
            f"unknown event {slug!r}; add it with "
            f"`recount event add {slug} --name ..` or see `recount event list`"
        )
    return Event(*row)


def event_by_id(conn: Connection, event_id: int) -> Event:
    row = events_store.event_by_id(conn, event_id)
    if row is None:
        raise NotFoundError(f"no event with id {event_id}")
    return Event(*row)
