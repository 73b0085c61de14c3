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
from typing import Any

from sqlalchemy import Connection, Select, insert, select
from sqlalchemy.sql import ColumnElement

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import InvalidValueError, NotFoundError
from recount.events.actors import actor_for
from recount.events.event import get_event, parse_when
from recount.events.instruments import instrument_ids
from recount.persons.anchors import anchor_record, persons_of
from recount.store.tables import (
    act_instruments,
    act_involvements,
    actors,
    acts,
    events,
    legal_instruments,
    records,
    sources,
)
from recount.vocabulary import ACT_TYPES, DEGREES_OF_INVOLVEMENT, check


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
        act_id = conn.execute(insert(acts).values(**values)).inserted_primary_key[0]
        _insert_parts(conn, act_id, [(a.id, d) for a, d in zip(named, degrees, strict=True)], cited)
        return _read(conn, acts.c.id == act_id)[0]


def _insert_parts(
    conn: Connection, act_id: int, involvements: list[tuple[int, str]], cited: list[int]
) -> None:
    seen: set[tuple[int, str]] = set()
    for actor_id, degree in involvements:
        if (actor_id, degree) in seen:
            raise InvalidValueError("the same perpetrator is named twice with the same degree")
        seen.add((actor_id, degree))
        conn.execute(
            insert(act_involvements).values(act_id=act_id, actor_id=actor_id, degree=degree)
        )
    for instrument_id in cited:
        conn.execute(insert(act_instruments).values(act_id=act_id, instrument_id=instrument_id))


def list_acts(case: Case, event: str | None = None, person: str | None = None) -> list[Act]:
    """Acts, oldest first; of one event, and/or whose victim is one person (id or SOURCE:ROW)."""
    with case.reading() as conn:
        conditions: list[ColumnElement[bool]] = []
        if event:
            conditions.append(acts.c.event_id == get_event(conn, event).id)
        if person:
            record_id = anchor_record(conn, person)
            conditions.append(records.c.person_id == persons_of(conn, [record_id])[record_id])
        return _read(conn, *conditions)


def get_act(case: Case, act_id: int) -> Act:
    with case.reading() as conn:
        found = _read(conn, acts.c.id == act_id)
    if not found:
        raise NotFoundError(f"no act {act_id} in this case; see `recount act list`")
    return found[0]


def acts_of_event(conn: Connection, event_id: int) -> list[Act]:
    return _read(conn, acts.c.event_id == event_id)


def _query() -> Select:
    act_source = sources.alias("act_source")
    victim_source = sources.alias("victim_source")
    return (
        select(
            acts.c.id,
            events.c.slug,
            acts.c.act_type,
            acts.c.victim_record_id,
            victim_source.c.slug.label("victim_source"),
            records.c.row_number,
            records.c.person_id,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            acts.c.date_low,
            acts.c.date_high,
            acts.c.date_precision,
            acts.c.place,
            act_source.c.slug.label("source"),
            acts.c.note,
            acts.c.created_by,
            acts.c.created_at,
        )
        .join(events, events.c.id == acts.c.event_id)
        .join(records, records.c.id == acts.c.victim_record_id)
        .join(victim_source, victim_source.c.id == records.c.source_id)
        .outerjoin(act_source, act_source.c.id == acts.c.source_id)
        .order_by(acts.c.id)
    )


def _read(conn: Connection, *conditions: ColumnElement[bool]) -> list[Act]:
    rows = conn.execute(_query().where(*conditions)).mappings().all()
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
    for start in range(0, len(act_ids), 500):  # SQLite caps the parameters of one statement
        chunk = act_ids[start : start + 500]
        for act_id, name, kind, degree in conn.execute(
            select(
                act_involvements.c.act_id, actors.c.name, actors.c.kind, act_involvements.c.degree
            )
            .join(actors, actors.c.id == act_involvements.c.actor_id)
            .where(act_involvements.c.act_id.in_(chunk))
            .order_by(act_involvements.c.id)
        ):
            involved[act_id].append({"name": name, "kind": kind, "degree": degree})
        for act_id, slug in conn.execute(
            select(act_instruments.c.act_id, legal_instruments.c.slug)
            .join(legal_instruments, legal_instruments.c.id == act_instruments.c.instrument_id)
            .where(act_instruments.c.act_id.in_(chunk))
            .order_by(legal_instruments.c.id)
        ):
            cited[act_id].append(slug)
    return involved, cited


def _name(row: Any) -> str | None:
    parts = [row["family_name"], row["given_name"], row["patronymic"]]
    return row["full_name"] or " ".join(p for p in parts if p) or None
