"""Acts: who did what to whom (the HURIDOCS Events Standard Formats "act" and "involvement").

An act is one type of act (``vocabulary.ACT_TYPES``) done to one victim in one event, with the
alleged perpetrators and each one's degree of involvement, the source that says so and the legal
instruments the user cites. The victim is stored as a record (``recount.persons.anchors``), so an
act follows its victim's person through every re-linking; the person shown is the one the record
belongs to now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import InvalidValueError, NotFoundError
from recount.events.actors import actor_for
from recount.events.event import get_event, parse_when
from recount.events.instruments import instrument_ids
from recount.persons.anchors import anchor_record, persons_of
from recount.store import acts as acts_store
from recount.vocabulary import ACT_TYPES, DEGREES_OF_INVOLVEMENT, check

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class Perpetrator:
    """An alleged perpetrator as a user names it; ``kind`` is needed only for a new actor."""

    name: str
    kind: str | None = None
    degree: str = "unknown"


@dataclass(frozen=True)
class Act:
    id: int
    event: str
    act_type: str
    victim_record_id: int
    victim: str  # the record, as SOURCE:ROW
    person_id: int  # the person that record belongs to now
    victim_name: str | None
    date_low: str | None
    date_high: str | None
    date_precision: str | None
    place: str | None
    source: str | None
    note: str | None
    created_by: str
    created_at: str
    perpetrators: list[dict[str, str]] = field(default_factory=list)  # name, kind, degree
    instruments: list[str] = field(default_factory=list)  # slugs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_act(
    case: Case,
    event: str,
    act_type: str,
    victim: str,
    perpetrators: Sequence[Perpetrator] = (),
    source: str | None = None,
    date: str | None = None,
    place: str | None = None,
    instruments: Sequence[str] = (),
    note: str | None = None,
    actor: str = "",
) -> Act:
    """Record an act; everything is checked before anything is written."""
    kind = check(act_type, ACT_TYPES, "act type")
    degrees = [
        check(p.degree, DEGREES_OF_INVOLVEMENT, "degree of involvement") for p in perpetrators
    ]
    when = parse_when(date)
    with case.writing() as conn:
        event_id = get_event(conn, event).id
        values = dict(
            event_id=event_id,
            act_type=kind,
            victim_record_id=anchor_record(conn, victim),
            date_low=when.low if when else None,
            date_high=when.high if when else None,
            date_precision=when.precision if when else None,
            place=place.strip() or None if place else None,
            source_id=get_source(conn, source).id if source else None,
            note=note,
            created_by=actor,
            created_at=utc_now(),
        )
        cited = instrument_ids(conn, list(instruments))
        named = [actor_for(conn, p.name, p.kind) for p in perpetrators]
        act_id = acts_store.insert_act(conn, values)
        _insert_parts(conn, act_id, [(a.id, d) for a, d in zip(named, degrees, strict=True)], cited)
        return _read(conn, act_id=act_id)[0]


def _insert_parts(
    conn: Connection, act_id: int, involvements: list[tuple[int, str]], cited: list[int]
) -> None:
    seen: set[tuple[int, str]] = set()
    for actor_id, degree in involvements:
        if (actor_id, degree) in seen:
            raise InvalidValueError("the same perpetrator is named twice with the same degree")
        seen.add((actor_id, degree))
        acts_store.insert_involvement(conn, act_id, actor_id, degree)
    for instrument_id in cited:
        acts_store.insert_act_instrument(conn, act_id, instrument_id)


def list_acts(case: Case, event: str | None = None, person: str | None = None) -> list[Act]:
    """Acts, oldest first; of one event, and/or whose victim is one person (id or SOURCE:ROW)."""
    with case.reading() as conn:
        event_id = get_event(conn, event).id if event else None
        person_id = None
        if person:
            record_id = anchor_record(conn, person)
            person_id = persons_of(conn, [record_id])[record_id]
        return _read(conn, event_id=event_id, person_id=person_id)


def get_act(case: Case, act_id: int) -> Act:
    with case.reading() as conn:
        found = _read(conn, act_id=act_id)
    if not found:
        raise NotFoundError(f"no act {act_id} in this case; see `recount act list`")
    return found[0]


def acts_of_event(conn: Connection, event_id: int) -> list[Act]:
    return _read(conn, event_id=event_id)


def _read(
    conn: Connection,
    *,
    act_id: int | None = None,
    event_id: int | None = None,
    person_id: int | None = None,
) -> list[Act]:
    rows = acts_store.act_rows(conn, act_id=act_id, event_id=event_id, person_id=person_id)
    ids = [row["id"] for row in rows]
    involved, cited = _parts(conn, ids)
    return [
        Act(
            row["id"],
            row["slug"],
            row["act_type"],
            row["victim_record_id"],
            f"{row['victim_source']}:{row['row_number']}",
            row["person_id"],
            _name(row),
            row["date_low"],
            row["date_high"],
            row["date_precision"],
            row["place"],
            row["source"],
            row["note"],
            row["created_by"],
            row["created_at"],
            involved[row["id"]],
            cited[row["id"]],
        )
        for row in rows
    ]


def _parts(conn: Connection, act_ids: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    involved: dict[int, list] = defaultdict(list)
    cited: dict[int, list] = defaultdict(list)
    for act_id, name, kind, degree in acts_store.involvements_of_acts(conn, act_ids):
        involved[act_id].append({"name": name, "kind": kind, "degree": degree})
    for act_id, slug in acts_store.instrument_slugs_of_acts(conn, act_ids):
        cited[act_id].append(slug)
    return involved, cited


def _name(row: dict[str, Any]) -> str | None:
    parts = [row["family_name"], row["given_name"], row["patronymic"]]
    return row["full_name"] or " ".join(p for p in parts if p) or None
