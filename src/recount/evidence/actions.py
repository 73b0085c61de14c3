"""What people do with evidence after ingest, each recorded in the item's custody chain:
viewing (copying the original out), annotating (a note, corrected fields, new links),
transferring custody, and a successful verification.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recount.case.folder import Case
from recount.errors import DuplicateError, IntegrityError, InvalidValueError, KeyRequiredError
from recount.evidence import custody
from recount.evidence.crypto import Key, decrypt_stream, seal
from recount.evidence.custody import Entry
from recount.evidence.files import parse_captured_at, parse_place
from recount.evidence.items import EDITABLE, SEAL_CONTEXT, data_key, digest, get_item, unseal
from recount.evidence.links import insert_links, item_links, resolve_links
from recount.evidence.signing import Actor
from recount.evidence.store import CHUNK, ObjectStore
from recount.evidence.verify import VerifyReport
from recount.store import evidence as evidence_store


def item_log(case: Case, ref: str) -> tuple[int, list[Entry]]:
    with case.reading() as conn:
        item_id = get_item(conn, ref)["id"]
        return item_id, custody.entries(conn, custody.item_subject(item_id))


def read_original(case: Case, row: Any, key: Key | None) -> Iterator[bytes]:
    """The original bytes of an item (decrypted if protected), checked against its hash."""
    store = ObjectStore(case.evidence_dir)
    path = store.path(row["stored_sha256"])
    if not path.is_file():
        raise IntegrityError(
            f"item {row['id']}: its object {path} is missing; run `recount evidence verify`"
        )
    expected = unseal(row, key)["sha256"] if row["sensitivity"] == "protected" else row["sha256"]
    digest_ = hashlib.sha256()
    with path.open("rb") as handle:
        pieces = (
            decrypt_stream(data_key(row, key), handle, f"item {row['id']}")
            if row["sensitivity"] == "protected"
            else iter(lambda: handle.read(CHUNK), b"")
        )
        for piece in pieces:
            digest_.update(piece)
            yield piece
    if digest_.hexdigest() != expected:
        raise IntegrityError(
            f"item {row['id']}: its content has sha256 {digest_.hexdigest()}, "
            f"not the {expected} recorded at ingest; run `recount evidence "
            "verify`"
        )


def open_item(
    case: Case, ref: str, output: Path, key: Key | None, actor: Actor, note: str | None = None
) -> dict:
    """Copy an item's original to ``output`` (verified on the way) and log the view."""
    if output.exists():
        raise DuplicateError(f"{output} already exists; choose another --output")
    with case.reading() as conn:
        row = get_item(conn, ref)
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("xb") as handle:
            for piece in read_original(case, row, key):
                handle.write(piece)
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    details = {"copied_to": output.name} if row["sensitivity"] != "protected" else {}
    with case.writing() as conn:
        entry = custody.append(
            conn,
            custody.item_subject(row["id"]),
            "view",
            actor,
            {"view": "original", **details},
            note,
            row["id"],
        )
    return {"item": row["id"], "output": str(output), "entry": entry.seq}


def annotate(
    case: Case,
    ref: str,
    actor: Actor,
    note: str | None,
    fields: dict[str, str],
    events: list[str] | None = None,
    persons: list[int] | None = None,
    records: list[int] | None = None,
    key: Key | None = None,
    claims: list[int] | None = None,
) -> Entry:
    """A note, corrected descriptive fields and new links, as one ``annotate`` entry."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidValueError(
            f"cannot annotate {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}"
        )
    with case.writing() as conn:
        row = get_item(conn, ref)
        links = [
            t
            for t in resolve_links(conn, events, persons, records, claims)
            if t not in item_links(conn, row["id"])
        ]
        if not note and not fields and not links:
            raise InvalidValueError("nothing to record: give --note, a field or a link")
        changes = _field_changes(row, fields, key)
        if changes:
            evidence_store.update_item(conn, row["id"], changes)
        insert_links(conn, row["id"], links, note)
        recorded = {
            name: (digest(value) if name == "sealed" else value) for name, value in changes.items()
        }
        if "sealed" in recorded:
            recorded["sealed_sha256"] = recorded.pop("sealed")
        details: dict[str, Any] = {}
        if recorded:
            details["set"] = recorded
        if links:
            details["links"] = links
        return custody.append(
            conn, custody.item_subject(row["id"]), "annotate", actor, details, note, row["id"]
        )


def _field_changes(row: Any, fields: dict[str, str], key: Key | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, text in fields.items():
        if name == "captured_at":
            values.update(captured_at=parse_captured_at(text), captured_at_source="user")
        elif name == "place":
            place, latitude, longitude = parse_place(text)
            values.update(place=place)
            if latitude is not None:
                values.update(latitude=latitude, longitude=longitude)
        else:
            values[name] = text
    if not values or row["sensitivity"] != "protected":
        return values
    # A protected item's fields live in its sealed value: open, change, seal again.
    if key is None:
        raise KeyRequiredError(
            f"item {row['id']} is protected: its fields are sealed; give "
            "--key-file or --passphrase to change them"
        )
    opened = unseal(row, key)
    opened.update(values)
    return {"sealed": seal(data_key(row, key), opened, SEAL_CONTEXT)}


def transfer(
    case: Case, refs: list[str], to: str, actor: Actor, note: str | None = None
) -> list[Entry]:
    """Custody passes to ``to`` (a person, an archive, a court) for each item."""
    if not to.strip():
        raise InvalidValueError("a transfer needs a recipient (--to)")
    with case.writing() as conn:
        rows = [get_item(conn, ref) for ref in refs]
        return [
            custody.append(
                conn,
                custody.item_subject(row["id"]),
                "transfer",
                actor,
                {"from": actor.name, "to": to.strip()},
                note,
                row["id"],
            )
            for row in rows
        ]


def record_verification(case: Case, report: VerifyReport, actor: Actor) -> int:
    """A ``verify`` entry in every item's chain, after a clean verification only: a case that
    failed is left exactly as found, for whoever examines it."""
    if not report.ok:
        return 0
    with case.writing() as conn:
        count = 0
        for item_id, stored_sha256 in evidence_store.item_objects(conn):
            custody.append(
                conn,
                custody.item_subject(item_id),
                "verify",
                actor,
                {"result": "ok", "stored_sha256": stored_sha256, "case_head": report.head},
                None,
                item_id,
            )
            count += 1
    return count


def show_logged(case: Case, ref: str, key: Key | None, actor: Actor | None) -> dict:
    """Everything about an item; opening a protected item's sealed fields is logged as a view."""
    from recount.evidence.items import details

    with case.reading() as conn:
        row = get_item(conn, ref)
        data = details(conn, row, key if row["sensitivity"] == "protected" else None)
    if row["sensitivity"] == "protected" and key is not None and actor is not None:
        with case.writing() as conn:
            custody.append(
                conn,
                custody.item_subject(row["id"]),
                "view",
                actor,
                {"view": "sealed metadata"},
                None,
                row["id"],
            )
    return json.loads(json.dumps(data, default=str))
