"""The evidence rows as custody verification and export read them, to compare with what the
chains recorded: items (``evidence_items`` with their ``sources`` slug and ``witnesses``
pseudonym), working copies (``evidence_derived``) and witnesses (``witnesses``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from recount.store.tables import evidence_derived, evidence_items, sources, witnesses


def items(conn: Connection) -> list[dict[str, Any]]:
    """Every item, all its columns with its ``source`` slug and ``witness`` pseudonym, by id."""
    query = (
        select(
            evidence_items, sources.c.slug.label("source"), witnesses.c.pseudonym.label("witness")
        )
        .join(sources, sources.c.id == evidence_items.c.source_id)
        .outerjoin(witnesses, witnesses.c.id == evidence_items.c.witness_id)
        .order_by(evidence_items.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def derived_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every working copy's row, by id."""
    query = select(evidence_derived).order_by(evidence_derived.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def witness_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every witness's row, by pseudonym."""
    query = select(witnesses).order_by(witnesses.c.pseudonym)
    return [dict(r._mapping) for r in conn.execute(query)]


def item_object_exists(conn: Connection, stored_sha256: str) -> bool:
    """Whether an item names this object of ``evidence/objects``."""
    query = select(evidence_items.c.id).where(evidence_items.c.stored_sha256 == stored_sha256)
    return conn.execute(query.limit(1)).first() is not None


def derived_object_exists(conn: Connection, sha256: str) -> bool:
    """Whether a working copy names this object of ``evidence/derived``."""
    query = select(evidence_derived.c.id).where(evidence_derived.c.sha256 == sha256)
    return conn.execute(query.limit(1)).first() is not None
