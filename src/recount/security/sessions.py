"""Web sessions: a random token in the cookie, its sha256 in the case, a CSRF token per session.

Sessions are short: they end after ``IDLE_MINUTES`` without a request and ``MAX_HOURS`` after
login, whichever comes first, and when the account is changed or disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.security.users import User, user_by_id
from recount.store import security as security_store

if TYPE_CHECKING:
    from recount.store import Connection

IDLE_MINUTES = 60
MAX_HOURS = 12


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start_session(case: Case, user: User, now: datetime | None = None) -> tuple[str, Session]:
    """A new session for ``user``: the cookie token (shown once) and the session."""
    now = now or datetime.now(UTC)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with case.writing() as conn:
        security_store.insert_session(
            conn,
            _digest(token),
            user.id,
            csrf,
            created_at=now.isoformat(),
            last_seen_at=now.isoformat(),
            expires_at=(now + timedelta(hours=MAX_HOURS)).isoformat(),
        )
    return token, Session(user, csrf)


def find_session(case: Case, token: str | None, now: datetime | None = None) -> Session | None:
    """The live session of a cookie token, its idle clock restarted; None if there is none."""
    if not token:
        return None
    now = now or datetime.now(UTC)
    key = _digest(token)
    with case.reading() as conn:
        row = security_store.session_by_token_sha256(conn, key)
        idle_limit = (now - timedelta(minutes=IDLE_MINUTES)).isoformat()
        if row is None or row["expires_at"] <= now.isoformat() or row["last_seen_at"] <= idle_limit:
            return None
        user = user_by_id(conn, row["user_id"])
    if user is None or user.disabled:
        return None
    # Only written once a minute: a page's many requests need not each write to the case.
    if row["last_seen_at"] < (now - timedelta(minutes=1)).isoformat():
        with case.writing() as conn:
            security_store.update_session_last_seen(conn, key, now.isoformat())
    return Session(user, row["csrf_token"])


def end_session(case: Case, token: str | None) -> None:
    if token:
        with case.writing() as conn:
            security_store.delete_session(conn, _digest(token))


def end_sessions_of(conn: Connection, user_id: int) -> None:
    security_store.delete_sessions_of_user(conn, user_id)


def csrf_matches(session: Session, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(session.csrf_token, given)
