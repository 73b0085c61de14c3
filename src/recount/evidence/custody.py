"""The custody log: append-only entries, hash-chained per subject and across the case.

Each entry commits, through its sha256 ``entry_hash``, to its own content and to two
predecessors: the previous entry about the same subject (``prev_hash``; an item's chain) and
the previous entry in the whole case (``case_prev_hash``). An entry changed in place no longer
matches its hash; one removed, slipped in or moved breaks a link. ``seq`` and ``case_seq`` are
only indexes: the order that counts is the one the hashes commit to. The recipe is stable and
documented (docs/evidence.md) so that anyone can re-check an exported chain without recount::

    entry_hash = sha256(JSON [1, subject, action, actor, at, recount_version, note, details,
                              prev_hash, case_prev_hash], UTF-8, no spaces, no ASCII escaping)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from recount import __version__
from recount.case.folder import Case
from recount.clock import utc_now
from recount.evidence.signing import Actor
from recount.store import custody as custody_store

if TYPE_CHECKING:
    from recount.store import Connection

FORMAT = 1


def genesis(subject: str) -> str:
    """The predecessor hash of a chain's first entry."""
    return hashlib.sha256(f"recount custody v{FORMAT}\x00{subject}".encode()).hexdigest()


CASE_CHAIN = "*case*"


def item_subject(item_id: int) -> str:
    return f"item:{item_id}"


def witness_subject(pseudonym: str) -> str:
    return f"witness:{pseudonym}"


def canonical(details: dict) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_hash(
    subject: str,
    action: str,
    actor: str,
    at: str,
    recount_version: str,
    note: str | None,
    details: str,
    prev_hash: str,
    case_prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            FORMAT,
            subject,
            action,
            actor,
            at,
            recount_version,
            note,
            details,
            prev_hash,
            case_prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    id: int
    subject: str
    item_id: int | None
    seq: int
    case_seq: int
    action: str
    actor: str
    at: str
    recount_version: str
    note: str | None
    details: str
    prev_hash: str
    case_prev_hash: str
    entry_hash: str
    signature: str | None

    def recomputed(self) -> str:
        return compute_hash(
            self.subject,
            self.action,
            self.actor,
            self.at,
            self.recount_version,
            self.note,
            self.details,
            self.prev_hash,
            self.case_prev_hash,
        )

    def parsed_details(self) -> dict:
        try:
            value = json.loads(self.details)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["details"] = self.parsed_details()
        return data


def append(
    conn: Connection,
    subject: str,
    action: str,
    actor: Actor,
    details: dict,
    note: str | None = None,
    item_id: int | None = None,
) -> Entry:
    """Add one entry after the subject's newest and the case's newest; sign it if the actor can.

    Call inside ``case.writing()`` (``store.transactions.writing``).
    """
    last = custody_store.last_subject_entry(conn, subject)
    case_last = custody_store.last_case_entry(conn)
    seq, prev = (last[0] + 1, last[1]) if last else (1, genesis(subject))
    case_seq, case_prev = (
        (case_last[0] + 1, case_last[1]) if case_last else (1, genesis(CASE_CHAIN))
    )
    at = utc_now()
    text = canonical(details)
    entry_hash = compute_hash(
        subject, action, actor.name, at, __version__, note, text, prev, case_prev
    )
    values = dict(
        subject=subject,
        item_id=item_id,
        seq=seq,
        case_seq=case_seq,
        action=action,
        actor=actor.name,
        at=at,
        recount_version=__version__,
        note=note,
        details=text,
        prev_hash=prev,
        case_prev_hash=case_prev,
        entry_hash=entry_hash,
        signature=actor.sign(entry_hash),
    )
    new_id = custody_store.insert_entry(conn, values)
    return Entry(id=new_id, **values)


def entries(conn: Connection, subject: str | None = None) -> list[Entry]:
    """A subject's entries in seq order, or the whole log in case order."""
    rows = custody_store.entry_rows(conn, list(Entry.__dataclass_fields__), subject)
    return [Entry(*row) for row in rows]


def head(conn: Connection) -> tuple[int, str | None]:
    """How many entries the case log has, and the newest one's hash (an anchor to write down)."""
    return custody_store.entry_count(conn), custody_store.last_entry_hash(conn)


def case_head(case: Case) -> tuple[int, str | None]:
    """``head`` on a reading of the case."""
    with case.reading() as conn:
        return head(conn)


def subject_entries(case: Case, subject: str) -> list[Entry]:
    """``entries`` of one subject on a reading of the case."""
    with case.reading() as conn:
        return entries(conn, subject)
