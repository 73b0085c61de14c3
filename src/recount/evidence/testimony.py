"""Witnesses of testimonies: a pseudonym in the clear, the identity sealed apart.

A testimony is an evidence item (kind ``testimony``) that names its witness only by pseudonym.
Who the witness is — name, contact, anything identifying — is a sealed JSON object in the
``witnesses`` table, under its own data key wrapped by a key that is never in the case, which
may differ from the key that protects the testimonies. Reading an identity is logged in the
witness's own custody chain.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError, NotFoundError, WrongKeyError
from recount.evidence import custody
from recount.evidence.crypto import Key, open_sealed, seal, unwrap, wrap
from recount.evidence.items import digest
from recount.evidence.signing import Actor
from recount.store import evidence as evidence_store

if TYPE_CHECKING:
    from recount.store import Connection

IDENTITY_CONTEXT = "recount witness identity v1"
PSEUDONYM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")


@dataclass(frozen=True)
class Witness:
    pseudonym: str
    key_id: str
    created_at: str
    testimonies: int

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def check_pseudonym(pseudonym: str) -> str:
    if not PSEUDONYM.fullmatch(pseudonym):
        raise InvalidValueError(
            f"pseudonym {pseudonym!r}: use 1-63 letters, digits, '-' or '_' "
            "(e.g. W-017); never a real name"
        )
    return pseudonym


def snapshot(row: dict) -> dict:
    return {
        "pseudonym": row["pseudonym"],
        "key_id": row["key_id"],
        "wrapped_key_sha256": digest(row["wrapped_key"]),
        "identity_sha256": digest(row["identity_sealed"]),
        "created_at": row["created_at"],
    }


def add_witness(
    conn: Connection,
    pseudonym: str,
    identity: dict,
    key: Key,
    actor: Actor,
    note: str | None = None,
) -> Witness:
    """Register a witness; call inside ``case.writing()``."""
    check_pseudonym(pseudonym)
    if not any(str(v).strip() for v in identity.values()):
        raise InvalidValueError("a witness needs an identity to protect (--name, --contact ..)")
    if evidence_store.witness_id_by_pseudonym(conn, pseudonym) is not None:
        raise DuplicateError(f"witness {pseudonym!r} already exists")
    data_key = os.urandom(32)
    row = dict(
        pseudonym=pseudonym,
        key_id=key.key_id,
        wrapped_key=wrap(key, data_key),
        identity_sealed=seal(data_key, identity, IDENTITY_CONTEXT),
        created_at=utc_now(),
    )
    evidence_store.insert_witness(conn, row)
    custody.append(
        conn, custody.witness_subject(pseudonym), "ingest", actor, {"witness": snapshot(row)}, note
    )
    return Witness(pseudonym, key.key_id, row["created_at"], 0)


def witness_id(conn: Connection, pseudonym: str) -> int:
    found = evidence_store.witness_id_by_pseudonym(conn, pseudonym)
    if found is None:
        raise NotFoundError(
            f"unknown witness {pseudonym!r}; register the pseudonym first with "
            f"`recount evidence witness add {pseudonym} --name ..`"
        )
    return found


def list_witnesses(conn: Connection) -> list[Witness]:
    rows = evidence_store.witness_rows(conn)
    counts = evidence_store.item_counts_by_witness(conn)
    return [
        Witness(r["pseudonym"], r["key_id"], r["created_at"], counts.get(r["id"], 0)) for r in rows
    ]


def reveal_identity(
    conn: Connection, pseudonym: str, key: Key, actor: Actor, note: str | None = None
) -> dict:
    """The witness's identity; the reading is logged (call inside a write transaction)."""
    row = evidence_store.witness_by_pseudonym(conn, pseudonym)
    if row is None:
        raise NotFoundError(f"unknown witness {pseudonym!r}; see `recount evidence witness list`")
    if row["key_id"] != key.key_id:
        raise WrongKeyError(
            f"witness {pseudonym!r} is protected with key {row['key_id']}; the "
            f"key given is {key.key_id}"
        )
    data_key = unwrap(key, row["wrapped_key"], f"witness {pseudonym}")
    identity = open_sealed(
        data_key, row["identity_sealed"], IDENTITY_CONTEXT, f"witness {pseudonym} identity"
    )
    custody.append(
        conn, custody.witness_subject(pseudonym), "view", actor, {"viewed": "identity"}, note
    )
    assert isinstance(identity, dict)
    return identity


def register_witness(
    case: Case, pseudonym: str, identity: dict, key: Key, actor: Actor, note: str | None = None
) -> Witness:
    """``add_witness`` in a write transaction of its own."""
    with case.writing() as conn:
        return add_witness(conn, pseudonym, identity, key, actor, note)


def witnesses_of(case: Case) -> list[Witness]:
    with case.reading() as conn:
        return list_witnesses(conn)


def identity_of(
    case: Case, pseudonym: str, key: Key, actor: Actor, note: str | None = None
) -> dict:
    """``reveal_identity`` in a write transaction of its own (the reading is logged)."""
    with case.writing() as conn:
        return reveal_identity(conn, pseudonym, key, actor, note)
