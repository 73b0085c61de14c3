"""The role table: what each role may see and do. One table, applied to pages, API and exports.

Every check in the web front, the JSON API and the exports goes through ``allowed``; nothing
else decides access. ``public`` is the anonymous memorial view (``/public``), which exists only
when the case enables it and then sees only the whitelisted fields of ``redaction``.

Field classes (what the ``see:`` permissions guard):

* ``records.raw``        the row exactly as the source gave it; may hold columns no mapping
                         names (addresses, phone numbers of relatives, notes).
* ``evidence.restricted`` evidence items marked *restricted*: their files and descriptions.
* ``evidence.protected`` the sealed descriptions and the files of *protected* items.
* ``witness.identity``   who a witness is and how to reach them (the sealed identity).

A view of a protected or restricted value is written to the audit log (``audit.AUDITED``).
"""

from __future__ import annotations

from dataclasses import dataclass

from recount.errors import ForbiddenError, LoginRequiredError
from recount.vocabulary import ROLES

PUBLIC = "public"

A, N, R, V = "admin", "analyst", "reviewer", "viewer"

# permission → the roles that have it. Read it as a table: a row per permission.
ROLE_TABLE: dict[str, frozenset[str]] = {
    # seeing
    "case.read": frozenset({A, N, R, V}),  # dashboard, sources, persons, events
    "records.raw": frozenset({A, N}),  # raw rows as imported
    "evidence.read": frozenset({A, N, R, V}),  # public and internal items
    "evidence.restricted": frozenset({A, N}),  # restricted items
    "evidence.protected": frozenset({A, N}),  # protected items, opened (audited)
    "witness.identity": frozenset({A}),  # witness identities (audited)
    "estimates.read": frozenset({A, N, R, V}),
    "audit.read": frozenset({A}),
    "export": frozenset({A, N, R, V}),  # columns still follow the rows above
    # doing
    "review.decide": frozenset({A, N, R}),
    "linkage.run": frozenset({A, N}),
    "estimate.run": frozenset({A, N}),
    "evidence.verify": frozenset({A, N}),
    "publish": frozenset({A, N}),  # mark records publishable
    "users.manage": frozenset({A}),
    # the anonymous memorial view
    "public.read": frozenset({A, N, R, V, PUBLIC}),
}

PERMISSIONS = tuple(ROLE_TABLE)


def check_role(role: str) -> str:
    from recount.errors import InvalidValueError

    if role not in ROLES:
        raise InvalidValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def allowed(role: str | None, permission: str) -> bool:
    """Whether ``role`` (None: not logged in, i.e. the public) has ``permission``."""
    if permission not in ROLE_TABLE:
        raise KeyError(f"unknown permission {permission!r}")  # a bug in recount, not the user's
    return (role or PUBLIC) in ROLE_TABLE[permission]


def require(role: str | None, permission: str) -> None:
    if not allowed(role, permission):
        if role is None:
            raise LoginRequiredError("log in to see this page")
        raise ForbiddenError(f"the {role} role may not do this ({permission})")


def permissions_of(role: str | None) -> list[str]:
    return [p for p in PERMISSIONS if allowed(role, p)]


@dataclass(frozen=True)
class Reader:
    """Who is asking: a logged-in account's name and role, or the public (both None)."""

    name: str | None
    role: str | None

    def can(self, permission: str) -> bool:
        return allowed(self.role, permission)

    @property
    def actor_name(self) -> str:
        return self.name or "-"

    @property
    def role_name(self) -> str:
        return self.role or "-"
