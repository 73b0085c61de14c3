"""Accounts: add, list, change; logging in with lockout after repeated failures.

Lockout: after ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCK_MINUTES``; an admin can unlock it sooner (`recount user unlock`). A wrong name and a
wrong password give the same answer, in about the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import SLUG
from recount.clock import utc_now
from recount.errors import (
    DuplicateError,
    InvalidValueError,
    LoginError,
    NotFoundError,
)
from recount.security import audit
from recount.security.passwords import hash_password, needs_rehash, verify_password
from recount.security.roles import check_role
from recount.store import security as security_store

if TYPE_CHECKING:
    from recount.store import Connection

MAX_FAILURES = 5
LOCK_MINUTES = 15


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    locked_until: str | None
    created_at: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _user(row: dict[str, Any]) -> User:
    return User(
        row["id"],
        row["name"],
        row["role"],
        bool(row["disabled"]),
        row["locked_until"],
        row["created_at"],
    )


def add_user(case: Case, name: str, role: str, password: str, by: str = "cli") -> User:
    if not SLUG.fullmatch(name):
        raise InvalidValueError(
            f"user name {name!r}: use 1-63 lowercase letters, digits, '-' or '_'"
        )
    check_role(role)
    hashed = hash_password(password)
    with case.writing() as conn:
        if security_store.user_id_by_name(conn, name) is not None:
            raise DuplicateError(f"user {name!r} already exists; see `recount user list`")
        security_store.insert_user(conn, name, role, hashed, utc_now())
        audit.append(conn, by, "admin", "user.add", f"user:{name}", {"role": role})
        return get_user(conn, name)


def get_user(conn: Connection, name: str) -> User:
    row = security_store.user_by_name(conn, name)
    if row is None:
        raise NotFoundError(f"no user {name!r}; see `recount user list`")
    return _user(row)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = security_store.user_by_id(conn, user_id)
    return _user(row) if row else None


def list_users(case: Case) -> list[User]:
    with case.reading() as conn:
        return [_user(r) for r in security_store.users_by_name(conn)]


def change_user(
    case: Case,
    name: str,
    by: str = "cli",
    role: str | None = None,
    password: str | None = None,
    disabled: bool | None = None,
    unlock: bool = False,
) -> User:
    values: dict = {}
    if role is not None:
        values["role"] = check_role(role)
    if password is not None:
        values["password_hash"] = hash_password(password)
    if disabled is not None:
        values["disabled"] = disabled
    if unlock or password is not None:
        values.update(failed_logins=0, locked_until=None)
    with case.writing() as conn:
        user = get_user(conn, name)
        security_store.update_user(conn, user.id, values)
        changed = sorted(k for k in values if k != "password_hash") + (
            ["password"] if password is not None else []
        )
        audit.append(conn, by, "admin", "user.change", f"user:{name}", {"changed": changed})
        if disabled or password is not None or role is not None:
            from recount.security.sessions import end_sessions_of

            end_sessions_of(conn, user.id)  # a changed account logs in again
        return get_user(conn, name)


def authenticate(case: Case, name: str, password: str, now: datetime | None = None) -> User:
    """The user if ``password`` is theirs and the account may log in; else ``LoginError``.
    Every attempt, good or bad, is in the audit log (committed even when the login fails)."""
    now = now or datetime.now(UTC)
    with case.writing() as conn:
        refusal = _attempt(conn, name, password, now)
        user = None if refusal else get_user(conn, name)
    if refusal or user is None:
        raise LoginError(refusal or "wrong user name or password")
    return user


def _attempt(conn: Connection, name: str, password: str, now: datetime) -> str | None:
    """Check one login attempt and record it; the reason it is refused, or None."""
    row = security_store.user_by_name(conn, name)
    ok = verify_password(row["password_hash"] if row else None, password)
    if row is None:
        audit.append(
            conn, name[:64], "-", "login.failed", f"user:{name[:64]}", {"reason": "unknown user"}
        )
        return "wrong user name or password"
    user = _user(row)
    locked = user.locked_until is not None and user.locked_until > now.isoformat()
    if user.disabled or locked:
        reason = "disabled" if user.disabled else "locked"
        audit.append(conn, name, user.role, "login.refused", f"user:{name}", {"reason": reason})
        return f"this account is {reason}; ask an admin" + (
            f" or wait until {user.locked_until[:16]} UTC" if locked else ""
        )
    if not ok:
        failures = row["failed_logins"] + 1
        values: dict = {"failed_logins": failures}
        if failures >= MAX_FAILURES:
            values["locked_until"] = (now + timedelta(minutes=LOCK_MINUTES)).isoformat()
        security_store.update_user(conn, user.id, values)
        audit.append(
            conn,
            name,
            user.role,
            "login.failed",
            f"user:{name}",
            {"failures": failures, "locked": failures >= MAX_FAILURES},
        )
        return "wrong user name or password"
    values = {"failed_logins": 0, "locked_until": None}
    if needs_rehash(row["password_hash"]):
        values["password_hash"] = hash_password(password)
    security_store.update_user(conn, user.id, values)
    audit.append(conn, name, user.role, "login", f"user:{name}", {})
    return None
