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

from sqlalchemy import Connection, func, insert, select

from recount import __version__
from recount.case.folder import Case
from recount.clock import utc_now
from recount.evidence.signing import Actor
from recount.store.tables import custody_log

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
    last = conn.execute(
        select(custody_log.c.seq, custody_log.c.entry_hash)
        .where(custody_log.c.subject == subject)
        .order_by(custody_log.c.seq.desc())
        .limit(1)
    ).first()
    case_last = conn.execute(
        select(custody_log.c.case_seq, custody_log.c.entry_hash)
        .order_by(custody_log.c.case_seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.entry_hash) if last else (1, genesis(subject))
    case_seq, case_prev = (
        (case_last.case_seq + 1, case_last.entry_hash) if case_last else (1, genesis(CASE_CHAIN))
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
    new_id = conn.execute(insert(custody_log).values(**values)).inserted_primary_key[0]
    return Entry(id=new_id, **values)


def entries(conn: Connection, subject: str | None = None) -> list[Entry]:
    """A subject's entries in seq order, or the whole log in case order."""
    query = select(*[custody_log.c[name] for name in Entry.__dataclass_fields__])
    if subject is None:
        query = query.order_by(custody_log.c.case_seq, custody_log.c.id)
    else:
        query = query.where(custody_log.c.subject == subject).order_by(
            custody_log.c.seq, custody_log.c.id
        )
    return [Entry(*row) for row in conn.execute(query)]


def head(conn: Connection) -> tuple[int, str | None]:
    """How many entries the case log has, and the newest one's hash (an anchor to write down)."""
    count = conn.execute(select(func.count()).select_from(custody_log)).scalar_one()
    last = conn.execute(
        select(custody_log.c.entry_hash).order_by(custody_log.c.case_seq.desc()).limit(1)
    ).scalar()
    return count, last


def case_head(case: Case) -> tuple[int, str | None]:
    """``head`` on a reading of the case."""
    with case.reading() as conn:
        return head(conn)


def subject_entries(case: Case, subject: str) -> list[Entry]:
    """``entries`` of one subject on a reading of the case."""
    with case.reading() as conn:
        return entries(conn, subject)
