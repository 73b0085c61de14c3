"""Accounts, web sessions, the audit log and the public view's reads.

Tables: ``users``, ``web_sessions``, ``audit_log``; ``publishable_records`` with ``records`` and
``events`` for what the public memorial view shows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from recount.store.tables import (
    audit_log,
    events,
    publishable_records,
    records,
    users,
    web_sessions,
)

# --- users -------------------------------------------------------------------------------


def user_id_by_name(conn: Connection, name: str) -> int | None:
    return conn.execute(select(users.c.id).where(users.c.name == name)).scalar()


def user_by_name(conn: Connection, name: str) -> dict[str, Any] | None:
    """All the columns of the user called ``name``, password hash included; None: no such user."""
    row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
    return dict(row) if row else None


def user_by_id(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """All the columns of user ``user_id``, password hash included; None: no such user."""
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def users_by_name(conn: Connection) -> list[dict[str, Any]]:
    """Every user, all columns, ordered by name."""
    return [dict(r) for r in conn.execute(select(users).order_by(users.c.name)).mappings()]


def insert_user(
    conn: Connection, name: str, role: str, password_hash: str, created_at: str
) -> None:
    conn.execute(
        insert(users).values(
            name=name, role=role, password_hash=password_hash, created_at=created_at
        )
    )


def update_user(conn: Connection, user_id: int, values: dict[str, Any]) -> None:
    """Set the columns named in ``values`` on user ``user_id``."""
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


# --- web sessions ------------------------------------------------------------------------


def insert_session(
    conn: Connection,
    token_sha256: str,
    user_id: int,
    csrf_token: str,
    created_at: str,
    last_seen_at: str,
    expires_at: str,
) -> None:
    conn.execute(
        insert(web_sessions).values(
            token_sha256=token_sha256,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=created_at,
            last_seen_at=last_seen_at,
            expires_at=expires_at,
        )
    )


def session_by_token_sha256(conn: Connection, token_sha256: str) -> dict[str, Any] | None:
    """All the columns of the session whose token has this digest; None: no such session."""
    query = select(web_sessions).where(web_sessions.c.token_sha256 == token_sha256)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def update_session_last_seen(conn: Connection, token_sha256: str, last_seen_at: str) -> None:
    conn.execute(
        update(web_sessions)
        .where(web_sessions.c.token_sha256 == token_sha256)
        .values(last_seen_at=last_seen_at)
    )


def delete_session(conn: Connection, token_sha256: str) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.token_sha256 == token_sha256))


def delete_sessions_of_user(conn: Connection, user_id: int) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id))


# --- audit log ---------------------------------------------------------------------------


def last_audit_hash(conn: Connection) -> str | None:
    """The hash of the newest audit entry; None when the log is empty."""
    return conn.execute(
        select(audit_log.c.entry_hash).order_by(audit_log.c.id.desc()).limit(1)
    ).scalar()


def insert_audit_entry(
    conn: Connection,
    at: str,
    actor: str,
    role: str,
    action: str,
    subject: str,
    details: str,
    prev_hash: str,
    entry_hash: str,
) -> None:
    conn.execute(
        insert(audit_log).values(
            at=at,
            actor=actor,
            role=role,
            action=action,
            subject=subject,
            details=details,
            prev_hash=prev_hash,
            entry_hash=entry_hash,
        )
    )


def newest_audit_entries(
    conn: Connection, limit: int, action: str | None = None, actor: str | None = None
) -> list[dict[str, Any]]:
    """Up to ``limit`` audit entries, newest first, all columns (``details`` as stored JSON
    text); only those of ``action`` and of ``actor`` when given."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if action:
        query = query.where(audit_log.c.action == action)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    return [dict(r) for r in conn.execute(query).mappings()]


def audit_entry_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(audit_log)).scalar_one()


def audit_entries_in_order(conn: Connection) -> list[dict[str, Any]]:
    """Every audit entry, oldest first (the chain's order), all columns."""
    return [dict(r) for r in conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings()]


# --- the public view ---------------------------------------------------------------------

_PUBLISHED_RECORD_IDS = select(publishable_records.c.record_id)


def published_person_count(conn: Connection) -> int:
    """How many persons have at least one record marked publishable."""
    return conn.execute(
        select(func.count(func.distinct(records.c.person_id))).where(
            records.c.id.in_(_PUBLISHED_RECORD_IDS)
        )
    ).scalar_one()


def published_person_ids(conn: Connection, limit: int, offset: int) -> list[int]:
    """Ids of persons with a publishable record, ascending, ``limit`` from ``offset``."""
    return list(
        conn.execute(
            select(records.c.person_id)
            .where(records.c.id.in_(_PUBLISHED_RECORD_IDS))
            .group_by(records.c.person_id)
            .order_by(records.c.person_id)
            .limit(limit)
            .offset(offset)
        ).scalars()
    )


def published_records_of_persons(
    conn: Connection, person_ids: list[int], fields: list[str]
) -> list[dict[str, Any]]:
    """The publishable records of ``person_ids``, ordered by person then record: ``person_id``,
    the record columns ``fields`` and the name of the record's event as ``event``."""
    query = (
        select(
            records.c.person_id,
            *(records.c[f] for f in fields),
            events.c.name.label("event"),
        )
        .outerjoin(events, events.c.id == records.c.event_id)
        .where(records.c.id.in_(_PUBLISHED_RECORD_IDS), records.c.person_id.in_(person_ids))
        .order_by(records.c.person_id, records.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
