"""What the case knows about a person's fate as of a date: the rules behind every status count.

A person's status comes from all of its records:

1. the status changes anchored on any of its records (``recount status add``) known to have
   happened by the date (``date_high`` on or before it): the latest one wins (by ``date_low``);
   changes on that same latest day that disagree make the person *disputed*;
2. else the fates its records give (``fate`` column of the imported lists), from records not
   dated after the date; ``unknown`` is no opinion; two different fates make it *disputed*;
3. else ``unknown``.

Disagreements are kept beside the result (``conflicts``), never dropped. Each status falls in
one of four outcomes, the basis of "no survivor" and "lost a parent": ``dead``, ``alive``,
``missing`` and ``unknown`` (which also takes *disputed*), see ``OUTCOMES``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from recount.errors import FieldError, InvalidValueError
from recount.events.event import get_event
from recount.ingest.fields import parse_date
from recount.store import families_status as status_store

if TYPE_CHECKING:
    from recount.store import Connection

DEAD = frozenset({"killed", "died in detention", "remains identified"})
# Known to be alive at the date of the status, even if not free ("detained": still held).
ALIVE = frozenset(
    {"survived", "injured", "found alive", "released", "displaced", "returned", "detained"}
)
OUTCOMES = ("dead", "alive", "missing", "unknown")
DISPUTED = "disputed"


def outcome_of(status: str) -> str:
    if status in DEAD:
        return "dead"
    if status in ALIVE:
        return "alive"
    return "missing" if status == "missing" else "unknown"


@dataclass(frozen=True)
class RecordFacts:
    id: int
    person_id: int
    source: str
    row: int
    name: str
    age_low: int | None
    age_high: int | None
    birth_low: int | None
    birth_high: int | None
    date_low: str | None
    date_high: str | None
    fate: str | None
    event_date: str | None = None  # start of the event the record was imported for

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.row}"


@dataclass(frozen=True)
class Change:
    id: int
    record_id: int
    person_id: int
    status: str
    date_low: str
    date_high: str
    date_precision: str
    source: str | None
    note: str | None
    created_by: str
    created_at: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PersonState:
    person_id: int
    name: str
    status: str  # a STATUSES word, or "disputed"
    outcome: str  # one of OUTCOMES
    basis: str  # "status change", "record fate" or "none"
    date: str | None = None  # of the status change it rests on
    sources: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # what disagreeing sources say

    def to_dict(self) -> dict:
        return asdict(self)


def as_of_date(text: str | None) -> str | None:
    """The last day ``text`` covers (``2000`` → 2000-12-31): "as of 2000" means by its end."""
    if not text:
        return None
    try:
        return parse_date(text).high
    except FieldError as exc:
        raise InvalidValueError(f"--as-of {text!r}: expected {exc}") from None


def display_name(row: dict) -> str:
    parts = (row["family_name"], row["given_name"], row["patronymic"])
    return row["full_name"] or " ".join(p for p in parts if p) or "(no name)"


def load_records(
    conn: Connection, person_ids: Iterable[int] | None = None
) -> dict[int, list[RecordFacts]]:
    """Person id → its records (oldest first); every person when ``person_ids`` is None."""
    found: dict[int, list[RecordFacts]] = defaultdict(list)
    for row in status_store.person_records(conn, person_ids):
        found[row["person_id"]].append(
            RecordFacts(
                row["id"],
                row["person_id"],
                row["slug"],
                row["row_number"],
                display_name(row),
                row["age_low"],
                row["age_high"],
                row["birth_year_low"],
                row["birth_year_high"],
                row["date_low"],
                row["date_high"],
                row["fate"],
                row["event_date"],
            )
        )
    return dict(found)


def load_changes(
    conn: Connection, person_ids: Iterable[int] | None = None
) -> dict[int, list[Change]]:
    """Person id → the status changes anchored on its records, in date order."""
    found: dict[int, list[Change]] = defaultdict(list)
    for row in status_store.status_change_rows(conn, person_ids):
        found[row[2]].append(Change(*row))
    for changes in found.values():
        changes.sort(key=change_order)
    return dict(found)


def change_order(change: Change) -> tuple[str, str, int]:
    return change.date_low, change.date_high, change.id


def event_persons(conn: Connection, slug: str) -> set[int]:
    """Persons with a record imported for the event, or the victim of an act in it."""
    return status_store.event_person_ids(conn, get_event(conn, slug).id)


def state_as_of(
    person_id: int, recs: list[RecordFacts], changes: list[Change], as_of: str | None
) -> PersonState:
    """The person's status by the end of ``as_of`` (None: everything known); module docstring."""
    name = next((r.name for r in recs if r.name != "(no name)"), "(no name)")
    known = [c for c in changes if as_of is None or c.date_high <= as_of]
    if known:
        return _from_changes(person_id, name, known)
    fates = [
        r for r in recs if r.fate and (as_of is None or not r.date_high or r.date_high <= as_of)
    ]
    return _from_fates(person_id, name, fates)


def _from_changes(person_id: int, name: str, known: list[Change]) -> PersonState:
    latest = max(c.date_low for c in known)
    top = [c for c in known if c.date_low == latest]
    words = sorted({c.status for c in top})
    status = words[0] if len(words) == 1 else DISPUTED
    conflicts = (
        []
        if len(words) == 1
        else [
            {"status": c.status, "source": c.source, "date": c.date_low, "change": c.id}
            for c in top
        ]
    )
    return PersonState(
        person_id,
        name,
        status,
        _outcome(status),
        "status change",
        latest,
        sorted({c.source for c in top if c.source}),
        conflicts,
    )


def _from_fates(person_id: int, name: str, fates: list[RecordFacts]) -> PersonState:
    if not fates:
        return PersonState(person_id, name, "unknown", "unknown", "none")
    words = sorted({r.fate for r in fates if r.fate != "unknown"}) or ["unknown"]
    status = words[0] if len(words) == 1 else DISPUTED
    conflicts = (
        []
        if len(words) == 1
        else [{"status": r.fate, "source": r.source, "record": r.ref} for r in fates]
    )
    return PersonState(
        person_id,
        name,
        status,
        _outcome(status),
        "record fate",
        None,
        sorted({r.source for r in fates}),
        conflicts,
    )


def _outcome(status: str) -> str:
    return "unknown" if status == DISPUTED else outcome_of(status)


def states_as_of(
    conn: Connection, person_ids: Iterable[int] | None, as_of: str | None
) -> dict[int, PersonState]:
    """Person id → its state as of the date; all persons when ``person_ids`` is None."""
    recs = load_records(conn, person_ids)
    changes = load_changes(conn, person_ids)
    return {
        pid: state_as_of(pid, person_recs, changes.get(pid, []), as_of)
        for pid, person_recs in sorted(recs.items())
    }
