"""Status over time: missing → found alive / remains identified, detained → released, ...

Each change is dated and may name its source; it is anchored on one of the person's records
(``recount.persons.anchors``) so it follows the person through re-linking. Changes may be entered in
any order; they are read in date order. What a person's status is as of a date, and how
sources that disagree are shown, is in ``recount.families.status_state``.

A change that no order of events allows is refused: after a death (killed, died in detention,
remains identified) only another death status may follow — identifying remains, or a source
restating the death — never "found alive" or "missing" again. Changes whose dates overlap a
death's are accepted: they are sources that disagree, and counts show the person as disputed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import FieldError, InvalidValueError
from recount.evidence.signing import default_actor_name
from recount.families.status_state import (
    DEAD,
    DISPUTED,
    Change,
    PersonState,
    as_of_date,
    event_persons,
    load_changes,
    load_records,
    state_as_of,
    states_as_of,
)
from recount.ingest.fields import DateValue, parse_date
from recount.persons.anchors import anchor_record, persons_of
from recount.store.families_status import insert_status_change
from recount.vocabulary import STATUSES, check

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)


def add_status(
    case: Case,
    person: str,
    status: str,
    date: str,
    source: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Change:
    """Record that ``person`` had ``status`` from ``date`` (any date an import accepts)."""
    word = check(status, STATUSES, "status")
    when = _date(date)
    with case.writing() as conn:
        record_id = anchor_record(conn, person)
        person_id = persons_of(conn, [record_id])[record_id]
        source_row = get_source(conn, source) if source else None
        values = dict(
            record_id=record_id,
            status=word,
            date_low=when.low,
            date_high=when.high,
            date_precision=when.precision,
            source_id=source_row.id if source_row else None,
            note=note or None,
            created_by=actor or default_actor_name(),
            created_at=utc_now(),
        )
        new = Change(
            0,
            record_id,
            person_id,
            word,
            when.low,
            when.high,
            when.precision,
            source_row.slug if source_row else None,
            values["note"],
            values["created_by"],
            values["created_at"],
        )
        _check_order(person_id, [*load_changes(conn, [person_id]).get(person_id, []), new])
        new_id = insert_status_change(conn, **values)
    log.info("status %s for person %s from %s (change %s)", word, person_id, when.low, new_id)
    return replace(new, id=new_id)


def _date(text: str) -> DateValue:
    if not text or not text.strip():
        raise InvalidValueError("a status change needs a date (--date), e.g. 2005-03-14 or 2005")
    try:
        return parse_date(text)
    except FieldError as exc:
        raise InvalidValueError(f"--date {text!r}: expected {exc}") from None


def _check_order(person_id: int, changes: list[Change]) -> None:
    # Only what certainly comes later is refused: overlapping dates may be sources that
    # disagree, which the counts show as disputed.
    for death in (c for c in changes if c.status in DEAD):
        for later in changes:
            if later.status not in DEAD and later.date_low > death.date_high:
                raise InvalidValueError(
                    f"person {person_id}: {later.status!r} on {later.date_low} cannot follow "
                    f"{death.status!r} on {death.date_low}; after a death only "
                    f"{', '.join(sorted(DEAD))} may follow. Nothing was stored."
                )


# --- history -----------------------------------------------------------------------------------


@dataclass
class StatusHistory:
    person_id: int
    name: str
    records: list[dict]  # what each record's list says (fate), with its date
    changes: list[Change]  # dated status changes, in date order
    current: PersonState

    def to_dict(self) -> dict:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "records": self.records,
            "changes": [c.to_dict() for c in self.changes],
            "current": self.current.to_dict(),
        }


def status_history(case: Case, person: str) -> StatusHistory:
    with case.reading() as conn:
        record_id = anchor_record(conn, person)
        person_id = persons_of(conn, [record_id])[record_id]
        recs = load_records(conn, [person_id]).get(person_id, [])
        changes = load_changes(conn, [person_id]).get(person_id, [])
    current = state_as_of(person_id, recs, changes, None)
    listed = [
        {"record": r.ref, "record_id": r.id, "fate": r.fate, "date": r.date_low, "name": r.name}
        for r in recs
    ]
    return StatusHistory(person_id, current.name, listed, changes, current)


# --- counts -----------------------------------------------------------------------------------


@dataclass
class StatusCounts:
    event: str | None
    as_of: str | None
    persons: int
    by_status: dict[str, list[PersonState]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {status: len(people) for status, people in self.by_status.items()}

    def to_dict(self) -> dict:
        return {
            "event": self.event,
            "as_of": self.as_of,
            "persons": self.persons,
            "counts": self.counts(),
            "by_status": {
                status: [p.to_dict() for p in people] for status, people in self.by_status.items()
            },
        }


def status_counts(case: Case, event: str | None = None, as_of: str | None = None) -> StatusCounts:
    """Persons by their status as of a date ("still missing" = "missing" as of it)."""
    until = as_of_date(as_of)
    with case.reading() as conn:
        wanted = event_persons(conn, event) if event else None
        states = states_as_of(conn, wanted, until)
    grouped: dict[str, list[PersonState]] = defaultdict(list)
    for state in states.values():
        grouped[state.status].append(state)
    order = [*STATUSES, DISPUTED]
    by_status = {word: grouped[word] for word in order if word in grouped}
    return StatusCounts(event, until, len(states), by_status)


def person_statuses(
    conn: Connection, person_ids: Iterable[int], as_of: str | None
) -> dict[int, PersonState]:
    """Person id → its status as of ``as_of`` (any date text; None: all known), for figures."""
    return states_as_of(conn, person_ids, as_of_date(as_of))
