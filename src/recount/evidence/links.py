"""What an evidence item documents: events, persons, records — and claims, once they exist.

A link names one target. Links are part of an item's recorded state: each one added is in the
item's custody chain (at ingest, or as an ``annotate`` entry), and verification compares the
links in the database with the ones the chain recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recount.clock import utc_now
from recount.errors import NotFoundError
from recount.events.event import get_event
from recount.store import evidence as evidence_store

if TYPE_CHECKING:
    from recount.store import Connection

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
        if not evidence_store.link_target_exists(conn, "person", person_id):
            raise NotFoundError(f"unknown person {person_id}; see `recount export persons`")
        targets.append({"person": person_id})
    for record_id in record_ids or ():
        if not evidence_store.link_target_exists(conn, "record", record_id):
            raise NotFoundError(f"unknown record {record_id}; see `recount records`")
        targets.append({"record": record_id})
    for claim_id in claim_ids or ():
        if not evidence_store.link_target_exists(conn, "claim", claim_id):
            raise NotFoundError(f"unknown claim {claim_id}; see `recount claims list`")
        targets.append({"claim": claim_id})
    return targets


def insert_links(
    conn: Connection, item_id: int, targets: list[dict], note: str | None = None
) -> None:
    created = utc_now()
    for target in targets:
        kind, value = next(iter(target.items()))
        if kind == "event":
            value = get_event(conn, value).id
        evidence_store.insert_link(conn, item_id, kind, value, note, created)


def item_links(conn: Connection, item_id: int) -> list[dict]:
    """An item's links in the form the chain records them, in a stable order."""
    found = []
    for row in evidence_store.links_of_item(conn, item_id):
        if row["event_id"] is not None:
            found.append({"event": row["event_slug"]})
        else:
            kind = next(k for k in KINDS[1:] if row[f"{k}_id"] is not None)
            found.append({kind: row[f"{kind}_id"]})
    return sort_links(found)


def sort_links(targets: list[dict]) -> list[dict]:
    return sorted(targets, key=lambda t: (next(iter(t)), str(next(iter(t.values())))))
