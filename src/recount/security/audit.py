"""The audit log: who saw or did what, when. Append-only and hash-chained.

Each entry's hash covers its fields and the hash of the entry before, so removing or editing
an entry breaks every hash after it (``verify_log``). Details name what was seen (an item
number, a witness pseudonym, a field), never the protected value itself.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.clock import utc_now
from recount.store import security as security_store

if TYPE_CHECKING:
    from recount.store import Connection

GENESIS = "0" * 64

# The views that are always audited: every one of them is a protected or restricted value.
AUDITED = (
    "view.record_raw",
    "view.evidence_restricted",
    "view.evidence_protected",
    "view.evidence_file",
    "view.witness_identity",
    "export",
)


def _hash(
    prev: str, at: str, actor: str, role: str, action: str, subject: str, details: str
) -> str:
    text = json.dumps([prev, at, actor, role, action, subject, details], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    actor: str,
    role: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> str:
    """Add an entry inside the caller's transaction; return its hash."""
    prev = security_store.last_audit_hash(conn) or GENESIS
    at = utc_now()
    text = json.dumps(details or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    entry_hash = _hash(prev, at, actor, role, action, subject, text)
    security_store.insert_audit_entry(
        conn, at, actor, role, action, subject, text, prev, entry_hash
    )
    return entry_hash


def record(
    case: Case,
    actor: str,
    role: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> str:
    with case.writing() as conn:
        return append(conn, actor, role, action, subject, details)


def entries(
    case: Case, limit: int = 200, action: str | None = None, actor: str | None = None
) -> list[dict[str, Any]]:
    with case.reading() as conn:
        rows = security_store.newest_audit_entries(conn, limit, action, actor)
    for row in rows:
        row["details"] = json.loads(row["details"])
    return rows


def count(case: Case) -> int:
    with case.reading() as conn:
        return security_store.audit_entry_count(conn)


def verify_log(case: Case) -> list[str]:
    """Problems found in the chain (empty: intact)."""
    problems, prev = [], GENESIS
    with case.reading() as conn:
        rows = security_store.audit_entries_in_order(conn)
    for row in rows:
        if row["prev_hash"] != prev:
            problems.append(f"entry {row['id']}: does not follow the entry before it")
        expected = _hash(
            row["prev_hash"],
            row["at"],
            row["actor"],
            row["role"],
            row["action"],
            row["subject"],
            row["details"],
        )
        if expected != row["entry_hash"]:
            problems.append(f"entry {row['id']}: its content was changed")
        prev = row["entry_hash"]
    return problems
