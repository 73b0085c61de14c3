"""What an evidence item documents: events, persons, records — and claims, once they exist.

A link names one target. Links are part of an item's recorded state: each one added is in the
item's custody chain (at ingest, or as an ``annotate`` entry), and verification compares the
links in the database with the ones the chain recorded.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from recount.clock import utc_now
from recount.errors import NotFoundError
from recount.events.event import get_event
from recount.store.tables import claims, events, evidence_links, persons, records

KINDS = ("event", "person", "record", "claim")


def resolve_links(
    conn: Connection,
    event_slugs: list[str] | None = None,
    person_ids: list[int] | None = None,
    record_ids: list[int] | None = None,
    claim_ids: list[int] | None = None,
) -> list[dict]:
    """Targets as recorded in the chain: ``{"event": slug}``, ``{"person": 3}``, ``{"record": 9}``,
    ``{"claim": 4}``. Unknown targets are refused before anything is written."""
    targets: list[dict] = [{"event": get_event(conn, slug).slug} for slug in event_slugs or ()]
    for person_id in person_ids or ():
        if conn.execute(select(persons.c.id).where(persons.c.id == person_id)).first() is None:
            raise NotFoundError(f"unknown person {person_id}; see `recount export persons`")
        targets.append({"person": person_id})
    for record_id in record_ids or ():
        if conn.execute(select(records.c.id).where(records.c.id == record_id)).first() is None:
            raise NotFoundError(f"unknown record {record_id}; see `recount records`")
        targets.append({"record": record_id})
    for claim_id in claim_ids or ():
        if conn.execute(select(claims.c.id).where(claims.c.id == claim_id)).first() is None:
            raise NotFoundError(f"unknown claim {claim_id}; see `recount claims list`")
        targets.append({"claim": claim_id})
    return targets


def insert_links(
    conn: Connection, item_id: int, targets: list[dict], note: str | None = None
) -> None:
    created = utc_now()
    for target in targets:
        values: dict = dict(item_id=item_id, note=note, created_at=created)
        if "event" in target:
            values["event_id"] = get_event(conn, target["event"]).id
        else:
            kind, value = next(iter(target.items()))
            values[f"{kind}_id"] = value
        conn.execute(insert(evidence_links).values(**values))


def item_links(conn: Connection, item_id: int) -> list[dict]:
    """An item's links in the form the chain records them, in a stable order."""
    query = (
        select(evidence_links, events.c.slug.label("event_slug"))
        .outerjoin(events, events.c.id == evidence_links.c.event_id)
        .where(evidence_links.c.item_id == item_id)
    )
    found = []
    for row in conn.execute(query).mappings():
        if row["event_id"] is not None:
            found.append({"event": row["event_slug"]})
        else:
            kind = next(k for k in KINDS[1:] if row[f"{k}_id"] is not None)
            found.append({kind: row[f"{kind}_id"]})
    return sort_links(found)


def sort_links(targets: list[dict]) -> list[dict]:
    return sorted(targets, key=lambda t: (next(iter(t)), str(next(iter(t.values())))))
