"""Evidence as a logged-in reader may see it: the role table applied to items, their files and
witness identities, and every guarded view written down.

Restricted items exist only for roles with ``evidence.restricted``; a protected item's sealed
description and file open only for ``evidence.protected`` and only with its key; a witness's
identity only for ``witness.identity``. Each such view goes to the audit log, and opening a
protected or restricted item also to the item's own custody chain, as `recount evidence open`
does. The web front calls these; the role table (``security.roles``) decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.errors import KeyRequiredError, NotFoundError
from recount.evidence import custody
from recount.evidence.actions import read_original
from recount.evidence.crypto import Key
from recount.evidence.items import details, get_item, list_items
from recount.evidence.signing import Actor
from recount.evidence.testimony import list_witnesses, reveal_identity
from recount.security import audit
from recount.security.redaction import item_visible
from recount.security.roles import Reader, require

if TYPE_CHECKING:
    from recount.store import Connection

Keys = Mapping[str, Key]  # the keys a server was started with, by key id


def reader_actor(reader: Reader) -> Actor:
    # Prefixed so that a web user is never mistaken for a CLI actor who signs their entries.
    return Actor(f"web:{reader.name}")


def visible_items(case: Case, reader: Reader) -> list[dict[str, Any]]:
    """The items ``reader`` may know exist (nothing sealed is in a listing)."""
    with case.reading() as conn:
        items = list_items(conn)
    return [i for i in items if item_visible(reader.role, i)]


def _visible_row(conn: Connection, reader: Reader, item_id: int) -> Mapping[str, Any]:
    row = get_item(conn, item_id)
    if not item_visible(reader.role, row):
        # Not found rather than forbidden: an item the role may not see does not exist for it.
        raise NotFoundError(f"no evidence item {item_id!r}; see `recount evidence list`")
    return row


def item_for(case: Case, reader: Reader, item_id: int, keys: Keys) -> dict[str, Any]:
    """An item with its custody chain as ``reader`` may see it; guarded views are logged."""
    with case.reading() as conn:
        row = _visible_row(conn, reader, item_id)
        protected = row["sensitivity"] == "protected"
        may_open = protected and reader.can("evidence.protected")
        key = keys.get(row["key_id"] or "") if may_open else None
        data = details(conn, row, key)
        chain = [e.to_dict() for e in custody.entries(conn, custody.item_subject(row["id"]))]
    data["opened"] = key is not None
    data["can_open"] = may_open
    data["key_loaded"] = protected and keys.get(row["key_id"] or "") is not None
    if protected and key is None:
        for entry in chain:  # the chain's details describe the sealed item
            entry["details"] = {}
    data["custody"] = chain
    if key is not None:
        _log_item_view(case, reader, row["id"], "view.evidence_protected", "sealed metadata")
    elif row["sensitivity"] == "restricted":
        audit.record(
            case,
            reader.actor_name,
            reader.role_name,
            "view.evidence_restricted",
            f"item:{row['id']}",
            {"view": "metadata"},
        )
    return data


@dataclass(frozen=True)
class Original:
    """An item's original file, ready to stream (checked against its sha256 as it goes)."""

    item_id: int
    media_type: str
    chunks: Iterator[bytes]


def original_for(case: Case, reader: Reader, item_id: int, keys: Keys) -> Original:
    """The original file of an item, if ``reader`` may have it; every such view is logged."""
    with case.reading() as conn:
        row = _visible_row(conn, reader, item_id)
    key = None
    if row["sensitivity"] == "protected":
        require(reader.role, "evidence.protected")
        key = keys.get(row["key_id"] or "")
        if key is None:
            raise KeyRequiredError(
                f"item {item_id} is protected and this server was started "
                "without its key (recount serve --key-file)"
            )
    if row["sensitivity"] in ("protected", "restricted"):
        _log_item_view(case, reader, row["id"], "view.evidence_file", "original")
    else:
        audit.record(
            case,
            reader.actor_name,
            reader.role_name,
            "view.evidence_file",
            f"item:{row['id']}",
            {"view": "original"},
        )
    return Original(row["id"], row["media_type"], read_original(case, row, key))


def _log_item_view(case: Case, reader: Reader, item_id: int, action: str, what: str) -> None:
    """One transaction: the view in the item's custody chain and in the audit log."""
    with case.writing() as conn:
        custody.append(
            conn,
            custody.item_subject(item_id),
            "view",
            reader_actor(reader),
            {"view": what, "via": "web"},
            None,
            item_id,
        )
        audit.append(
            conn, reader.actor_name, reader.role_name, action, f"item:{item_id}", {"view": what}
        )


def identity_for(case: Case, reader: Reader, pseudonym: str, keys: Keys) -> dict[str, Any]:
    """A witness's identity, for a role with ``witness.identity``; logged in the witness's
    chain and in the audit log, in one transaction."""
    require(reader.role, "witness.identity")
    with case.reading() as conn:
        known = {w.pseudonym: w for w in list_witnesses(conn)}
    if pseudonym not in known:
        raise NotFoundError(f"unknown witness {pseudonym!r}")
    key = keys.get(known[pseudonym].key_id)
    if key is None:
        raise KeyRequiredError(
            f"witness {pseudonym}'s identity is sealed and this server was "
            "started without its key (recount serve --key-file)"
        )
    with case.writing() as conn:
        identity = reveal_identity(conn, pseudonym, key, reader_actor(reader), "viewed on the web")
        audit.append(
            conn,
            reader.actor_name,
            reader.role_name,
            "view.witness_identity",
            f"witness:{pseudonym}",
            {"fields": sorted(identity)},
        )
    return {"pseudonym": pseudonym, "identity": identity}
