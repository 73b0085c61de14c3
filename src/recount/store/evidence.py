"""Evidence items and what hangs on them: the items with their source and witness
(``evidence_items``), their working copies (``evidence_derived``), near duplicates
(``evidence_near_duplicates``), links to what they document (``evidence_links``) and the
witnesses of testimonies (``witnesses``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, func, insert, or_, select, update

from recount.store.tables import (
    claims,
    custody_log,
    events,
    evidence_derived,
    evidence_items,
    evidence_links,
    evidence_near_duplicates,
    persons,
    records,
    sources,
    witnesses,
)

# --- items -----------------------------------------------------------------------------------


def _item_query() -> Select:
    """Every column of an item, with its ``source`` slug and ``witness`` pseudonym."""
    return (
        select(
            evidence_items, sources.c.slug.label("source"), witnesses.c.pseudonym.label("witness")
        )
        .join(sources, sources.c.id == evidence_items.c.source_id)
        .outerjoin(witnesses, witnesses.c.id == evidence_items.c.witness_id)
    )


def item_by_id(conn: Connection, item_id: int) -> dict[str, Any] | None:
    """An item as :func:`_item_query` reads it; None when there is no such item."""
    row = conn.execute(_item_query().where(evidence_items.c.id == item_id)).mappings().first()
    return dict(row) if row is not None else None


def items_by_hash_prefix(conn: Connection, prefix: str) -> list[dict[str, Any]]:
    """The items whose sha256 or stored object's sha256 begins with ``prefix`` (lower case)."""
    pattern = prefix + "%"
    query = _item_query().where(
        evidence_items.c.sha256.like(pattern) | evidence_items.c.stored_sha256.like(pattern)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def items(conn: Connection, source: str | None = None) -> list[dict[str, Any]]:
    """Every item as :func:`_item_query` reads it, by id; only ``source``'s when given."""
    query = _item_query().order_by(evidence_items.c.id)
    if source is not None:
        query = query.where(sources.c.slug == source)
    return [dict(r) for r in conn.execute(query).mappings()]


def items_linked_to_person(
    conn: Connection, person_id: int, record_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Every item linked to the person or to one of ``record_ids``, as :func:`_item_query`
    reads it, by id."""
    linked = select(evidence_links.c.item_id).where(
        or_(evidence_links.c.person_id == person_id, evidence_links.c.record_id.in_(record_ids))
    )
    query = _item_query().where(evidence_items.c.id.in_(linked)).order_by(evidence_items.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def item_objects(conn: Connection) -> list[tuple[int, str]]:
    """``(id, stored_sha256)`` of every item, by id."""
    query = select(evidence_items.c.id, evidence_items.c.stored_sha256).order_by(
        evidence_items.c.id
    )
    return list(map(tuple, conn.execute(query)))


def items_by_sha256(conn: Connection, sha256: str) -> list[tuple[int, int]]:
    """``(id, source_id)`` of the items of these original bytes, by id."""
    query = (
        select(evidence_items.c.id, evidence_items.c.source_id)
        .where(evidence_items.c.sha256 == sha256)
        .order_by(evidence_items.c.id)
    )
    return list(map(tuple, conn.execute(query)))


def items_by_content_mac(conn: Connection, content_mac: str) -> list[tuple[int, int]]:
    """``(id, source_id)`` of the protected items with this keyed hash of the original, by id."""
    query = (
        select(evidence_items.c.id, evidence_items.c.source_id)
        .where(evidence_items.c.content_mac == content_mac)
        .order_by(evidence_items.c.id)
    )
    return list(map(tuple, conn.execute(query)))


def item_phashes(conn: Connection) -> list[tuple[int, str, str | None]]:
    """``(id, phash, sha256)`` of every item that has a perceptual hash."""
    query = select(evidence_items.c.id, evidence_items.c.phash, evidence_items.c.sha256).where(
        evidence_items.c.phash.is_not(None)
    )
    return list(map(tuple, conn.execute(query)))


def item_object_exists(conn: Connection, stored_sha256: str) -> bool:
    """Whether an item names this object of ``evidence/objects``."""
    query = select(evidence_items.c.id).where(evidence_items.c.stored_sha256 == stored_sha256)
    return conn.execute(query.limit(1)).first() is not None


def insert_item(conn: Connection, values: dict[str, Any]) -> int:
    """A new item row; its id."""
    return conn.execute(insert(evidence_items).values(**values)).inserted_primary_key[0]


def update_item(conn: Connection, item_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(evidence_items).where(evidence_items.c.id == item_id).values(**values))


def item_custody_entry_count(conn: Connection, item_id: int) -> int:
    """How many custody log entries name the item."""
    query = select(func.count()).select_from(custody_log).where(custody_log.c.item_id == item_id)
    return conn.execute(query).scalar_one()


# --- derived copies and near duplicates --------------------------------------------------------


def derived_of_item(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    """The item's working copies: kind, sha256, media_type, size_bytes and method."""
    query = select(
        evidence_derived.c.kind,
        evidence_derived.c.sha256,
        evidence_derived.c.media_type,
        evidence_derived.c.size_bytes,
        evidence_derived.c.method,
    ).where(evidence_derived.c.item_id == item_id)
    return [dict(r) for r in conn.execute(query).mappings()]


def derived_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every working copy's row, by id."""
    query = select(evidence_derived).order_by(evidence_derived.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def derived_object_exists(conn: Connection, sha256: str) -> bool:
    """Whether a working copy names this object of ``evidence/derived``."""
    query = select(evidence_derived.c.id).where(evidence_derived.c.sha256 == sha256)
    return conn.execute(query.limit(1)).first() is not None


def insert_derived(
    conn: Connection,
    item_id: int,
    kind: str,
    sha256: str,
    media_type: str,
    size_bytes: int,
    method: str,
    created_at: str,
) -> None:
    conn.execute(
        insert(evidence_derived).values(
            item_id=item_id,
            kind=kind,
            sha256=sha256,
            media_type=media_type,
            size_bytes=size_bytes,
            method=method,
            created_at=created_at,
        )
    )


def near_duplicate_pairs(conn: Connection, item_id: int) -> list[tuple[int, int, int]]:
    """``(item_id, other_id, distance)`` of the pairs the item is in, on either side."""
    query = select(
        evidence_near_duplicates.c.item_id,
        evidence_near_duplicates.c.other_id,
        evidence_near_duplicates.c.distance,
    ).where(
        (evidence_near_duplicates.c.item_id == item_id)
        | (evidence_near_duplicates.c.other_id == item_id)
    )
    return list(map(tuple, conn.execute(query)))


def insert_near_duplicate(conn: Connection, item_id: int, other_id: int, distance: int) -> None:
    conn.execute(
        insert(evidence_near_duplicates).values(
            item_id=item_id, other_id=other_id, distance=distance
        )
    )


# --- links -----------------------------------------------------------------------------------

_LINK_TARGETS = {"person": persons, "record": records, "claim": claims}


def link_target_exists(conn: Connection, kind: str, target_id: int) -> bool:
    """Whether the person, record or claim (``kind``) ``target_id`` exists."""
    table = _LINK_TARGETS[kind]
    return conn.execute(select(table.c.id).where(table.c.id == target_id)).first() is not None


def insert_link(
    conn: Connection,
    item_id: int,
    kind: str,
    target_id: int,
    note: str | None,
    created_at: str,
) -> None:
    """A link from the item to the event, person, record or claim (``kind``) ``target_id``."""
    conn.execute(
        insert(evidence_links).values(
            item_id=item_id, note=note, created_at=created_at, **{f"{kind}_id": target_id}
        )
    )


def links_of_item(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    """The item's link rows, each with its event's slug as ``event_slug`` (None if no event)."""
    query = (
        select(evidence_links, events.c.slug.label("event_slug"))
        .outerjoin(events, events.c.id == evidence_links.c.event_id)
        .where(evidence_links.c.item_id == item_id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


# --- witnesses -------------------------------------------------------------------------------


def witness_id_by_pseudonym(conn: Connection, pseudonym: str) -> int | None:
    """The witness's id; None when no witness has this pseudonym."""
    query = select(witnesses.c.id).where(witnesses.c.pseudonym == pseudonym)
    return conn.execute(query).scalar()


def witness_by_pseudonym(conn: Connection, pseudonym: str) -> dict[str, Any] | None:
    """The witness's row; None when no witness has this pseudonym."""
    query = select(witnesses).where(witnesses.c.pseudonym == pseudonym)
    row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def witness_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every witness's row, by pseudonym."""
    query = select(witnesses).order_by(witnesses.c.pseudonym)
    return [dict(r) for r in conn.execute(query).mappings()]


def item_counts_by_witness(conn: Connection) -> dict[int, int]:
    """How many items name each witness, by witness id (witnesses with none are left out)."""
    query = (
        select(evidence_items.c.witness_id, func.count())
        .where(evidence_items.c.witness_id.is_not(None))
        .group_by(evidence_items.c.witness_id)
    )
    return {witness_id: count for witness_id, count in conn.execute(query)}


def insert_witness(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(witnesses).values(**values))
