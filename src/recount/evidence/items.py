"""Evidence items as the case holds them: finding one, listing them, their recorded state.

``snapshot`` is the state of an item's row in the form its ingest custody entry records it
(binary columns and metadata as their sha256). Verification replays the chain (ingest, then
every ``annotate``) and compares the result with the snapshot of the row as it is now.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.errors import KeyRequiredError, NotFoundError, WrongKeyError
from recount.evidence.crypto import Key, open_sealed, unwrap
from recount.store import evidence as evidence_store

if TYPE_CHECKING:
    from recount.store import Connection

SEAL_CONTEXT = "recount item metadata v1"
# Fields a protected item keeps only inside its sealed value.
SEALED_FIELDS = (
    "sha256",
    "size_bytes",
    "file_name",
    "caption",
    "credit",
    "captured_at",
    "captured_at_source",
    "place",
    "latitude",
    "longitude",
    "metadata",
    "phash",
)
# Fields ``annotate`` may change; each change is an entry in the item's chain.
EDITABLE = ("caption", "credit", "captured_at", "place")
_DIGESTED = ("metadata", "wrapped_key", "sealed")
_PLAIN = (
    "kind",
    "sha256",
    "stored_sha256",
    "size_bytes",
    "stored_size",
    "media_type",
    "file_name",
    "caption",
    "credit",
    "captured_at",
    "captured_at_source",
    "place",
    "latitude",
    "longitude",
    "phash",
    "sensitivity",
    "source",
    "witness",
    "duplicate_of",
    "key_id",
    "content_mac",
    "added_at",
    "added_by",
    "recount_version",
)


def digest(value: str | bytes | None) -> str | None:
    if value is None:
        return None
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return hashlib.sha256(data).hexdigest()


def snapshot(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row as the chain records it (needs the ``source`` slug and ``witness`` pseudonym)."""
    state = {name: row[name] for name in _PLAIN}
    state.update({f"{name}_sha256": digest(row[name]) for name in _DIGESTED})
    return state


def get_item(conn: Connection, ref: str | int) -> Mapping[str, Any]:
    """An item by number, or by a prefix (8+ hex digits) of its sha256 or stored object."""
    text = str(ref).strip()
    if text.isdigit():
        row = evidence_store.item_by_id(conn, int(text))
    elif re.fullmatch(r"[0-9a-fA-F]{8,64}", text):
        rows = evidence_store.items_by_hash_prefix(conn, text.lower())
        if len({r["id"] for r in rows}) > 1:
            raise NotFoundError(
                f"{text!r} matches items {', '.join(str(r['id']) for r in rows)}"
                "; give more digits or the item number"
            )
        row = rows[0] if rows else None
    else:
        raise NotFoundError(
            f"{text!r} is not an item: give its number (see `recount evidence "
            "list`) or 8 or more hex digits of its sha256"
        )
    if row is None:
        raise NotFoundError(f"no evidence item {text!r}; see `recount evidence list`")
    return row


def unseal(row: Mapping[str, Any], key: Key | None) -> dict[str, Any]:
    """The sealed fields of a protected item (its data key unwrapped with ``key``)."""
    opened = open_sealed(
        data_key(row, key), row["sealed"], SEAL_CONTEXT, f"item {row['id']} metadata"
    )
    assert isinstance(opened, dict)
    return opened


def data_key(row: Mapping[str, Any], key: Key | None) -> bytes:
    if key is None:
        raise KeyRequiredError(f"item {row['id']} is protected: give --key-file or --passphrase")
    if key.key_id != row["key_id"]:
        raise WrongKeyError(
            f"item {row['id']} is protected with key {row['key_id']}; the key given is {key.key_id}"
        )
    return unwrap(key, row["wrapped_key"], f"item {row['id']}")


def summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """What ``evidence list`` shows of an item; nothing sealed."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "file_name": row["file_name"],
        "media_type": row["media_type"],
        "size_bytes": row["size_bytes"],
        "sha256": row["sha256"],
        "sensitivity": row["sensitivity"],
        "source": row["source"],
        "captured_at": row["captured_at"],
        "caption": row["caption"],
        "witness": row["witness"],
        "duplicate_of": row["duplicate_of"],
        "protected": row["sensitivity"] == "protected",
        "added_at": row["added_at"],
    }


def list_items(conn: Connection, source: str | None = None) -> list[dict[str, Any]]:
    return [summary(row) for row in evidence_store.items(conn, source)]


def items_of(case: Case, source: str | None = None) -> list[dict[str, Any]]:
    """``list_items`` on a reading of the case."""
    with case.reading() as conn:
        return list_items(conn, source)


def details(conn: Connection, row: Mapping[str, Any], key: Key | None = None) -> dict[str, Any]:
    """Everything recorded about an item; the sealed fields only when ``key`` opens them."""
    from recount.evidence.links import item_links

    data = {
        **summary(row),
        **{
            name: row[name]
            for name in (
                "stored_sha256",
                "stored_size",
                "credit",
                "captured_at_source",
                "place",
                "latitude",
                "longitude",
                "phash",
                "key_id",
                "added_by",
                "recount_version",
            )
        },
    }
    data["metadata"] = json.loads(row["metadata"]) if row["metadata"] else None
    if row["sensitivity"] == "protected":
        data["sealed"] = key is None
        if key is not None:
            opened = unseal(row, key)
            data.update({name: opened.get(name) for name in SEALED_FIELDS})
            data["metadata"] = opened.get("metadata")
    data["links"] = item_links(conn, row["id"])
    data["derived"] = evidence_store.derived_of_item(conn, row["id"])
    data["near_duplicates"] = sorted(
        (
            {"item": other_id if item_id == row["id"] else item_id, "distance": distance}
            for item_id, other_id, distance in evidence_store.near_duplicate_pairs(conn, row["id"])
        ),
        key=lambda n: (n["distance"], n["item"]),
    )
    data["custody_entries"] = evidence_store.item_custody_entry_count(conn, row["id"])
    return data
