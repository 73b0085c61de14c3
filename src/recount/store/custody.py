"""The custody of evidence: the hash-chained custody log (``custody_log``), the actors who sign
their entries (``custody_actors``) and the ids of the keys that protect items
(``evidence_keys``).

The log is written only by appending; how an entry is hashed and chained is the domain's
(``evidence/custody.py``), which asks here only for the newest links and writes the row it made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select

from recount.store.tables import custody_actors, custody_log, evidence_keys


def last_subject_entry(conn: Connection, subject: str) -> tuple[int, str] | None:
    """``(seq, entry_hash)`` of the subject's newest entry; None when it has none."""
    row = conn.execute(
        select(custody_log.c.seq, custody_log.c.entry_hash)
        .where(custody_log.c.subject == subject)
        .order_by(custody_log.c.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.entry_hash) if row else None


def last_case_entry(conn: Connection) -> tuple[int, str] | None:
    """``(case_seq, entry_hash)`` of the case's newest entry; None when the log is empty."""
    row = conn.execute(
        select(custody_log.c.case_seq, custody_log.c.entry_hash)
        .order_by(custody_log.c.case_seq.desc())
        .limit(1)
    ).first()
    return (row.case_seq, row.entry_hash) if row else None


def insert_entry(conn: Connection, values: dict[str, Any]) -> int:
    """A new custody log row; its id."""
    return conn.execute(insert(custody_log).values(**values)).inserted_primary_key[0]


def entry_rows(
    conn: Connection, columns: Sequence[str], subject: str | None = None
) -> list[tuple[Any, ...]]:
    """The log's rows as tuples of ``columns``: a subject's in seq order, or all in case order
    (ties, which only a tampered log has, by id)."""
    query = select(*[custody_log.c[name] for name in columns])
    if subject is None:
        query = query.order_by(custody_log.c.case_seq, custody_log.c.id)
    else:
        query = query.where(custody_log.c.subject == subject).order_by(
            custody_log.c.seq, custody_log.c.id
        )
    return list(map(tuple, conn.execute(query)))


def entry_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(custody_log)).scalar_one()


def last_entry_hash(conn: Connection) -> str | None:
    """The hash of the case's newest entry; None when the log is empty."""
    return conn.execute(
        select(custody_log.c.entry_hash).order_by(custody_log.c.case_seq.desc()).limit(1)
    ).scalar()


def actor_public_key(conn: Connection, actor: str) -> str | None:
    """The actor's registered public key (hex); None when the actor has none."""
    return conn.execute(
        select(custody_actors.c.public_key).where(custody_actors.c.actor == actor)
    ).scalar()


def insert_actor(conn: Connection, actor: str, public_key: str, created_at: str) -> None:
    conn.execute(
        insert(custody_actors).values(actor=actor, public_key=public_key, created_at=created_at)
    )


def actors(conn: Connection) -> list[dict[str, Any]]:
    """Every actor with a signing key: actor, public_key and created_at, in no set order."""
    return [dict(r._mapping) for r in conn.execute(select(custody_actors))]


def key_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every key the case knows: key_id, kind, kdf (JSON text or None) and created_at, in no set
    order."""
    return [dict(r._mapping) for r in conn.execute(select(evidence_keys))]


def insert_key(conn: Connection, key_id: str, kind: str, kdf: str | None, created_at: str) -> None:
    conn.execute(
        insert(evidence_keys).values(key_id=key_id, kind=kind, kdf=kdf, created_at=created_at)
    )
