"""Interventions: what courts, parliaments, inquiries and campaigns did about an event.

Each one is dated and sourced, and names the intervening party (a court, a parliament, an
organisation). recount records that a decision or resolution exists and who made it; it does
not weigh the decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import InvalidValueError
from recount.events.event import get_event, parse_when
from recount.store import events_interventions as interventions_store
from recount.vocabulary import INTERVENTION_KINDS, check

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class Intervention:
    id: int
    event: str
    kind: str
    title: str
    party: str | None
    date_low: str | None
    date_high: str | None
    date_precision: str | None
    source: str | None
    note: str | None
    created_by: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_intervention(
    case: Case,
    event: str,
    kind: str,
    title: str,
    party: str | None = None,
    date: str | None = None,
    source: str | None = None,
    note: str | None = None,
    actor: str = "",
) -> Intervention:
    kind = check(kind, INTERVENTION_KINDS, "intervention kind")
    if not title.strip():
        raise InvalidValueError("an intervention needs a title (--title)")
    when = parse_when(date)
    with case.writing() as conn:
        values = dict(
            event_id=get_event(conn, event).id,
            kind=kind,
            title=title.strip(),
            party=party.strip() or None if party else None,
            date_low=when.low if when else None,
            date_high=when.high if when else None,
            date_precision=when.precision if when else None,
            source_id=get_source(conn, source).id if source else None,
            note=note,
            created_by=actor,
            created_at=utc_now(),
        )
        new_id = interventions_store.insert_intervention(conn, values)
        return _read(conn, intervention_id=new_id)[0]


def list_interventions(case: Case, event: str | None = None) -> list[Intervention]:
    """Interventions in date order (undated last); of one event when ``event`` is given."""
    with case.reading() as conn:
        if event:
            return _read(conn, event_id=get_event(conn, event).id)
        return _read(conn)


def interventions_of_event(conn: Connection, event_id: int) -> list[Intervention]:
    return _read(conn, event_id=event_id)


def _read(
    conn: Connection, *, intervention_id: int | None = None, event_id: int | None = None
) -> list[Intervention]:
    rows = interventions_store.intervention_rows(
        conn, intervention_id=intervention_id, event_id=event_id
    )
    return [Intervention(*row) for row in rows]
