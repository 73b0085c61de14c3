"""How a user points at a person, and the record a fact about that person is anchored on.

Facts about people (acts, relations, statuses) are stored against a record, because person ids
change when linkage merges or splits clusters while a record always belongs to exactly one
person. A user names a person either by its id (``123`` or ``P123``, as ``recount records`` and
``recount export persons`` show it) or by a record, as ``SOURCE:ROW`` (the source's slug and the
row number in its imported file, 1 for the first data row). A person id is anchored on that
person's oldest record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from recount.case.sources import get_source
from recount.errors import InvalidValueError, NotFoundError
from recount.store import records as records_store

if TYPE_CHECKING:
    from recount.store import Connection


def anchor_record(conn: Connection, ref: str) -> int:
    """The record id that ``ref`` (``123``, ``P123`` or ``SOURCE:ROW``) stands for."""
    text = ref.strip()
    if ":" in text:
        return _record_by_row(conn, text)
    digits = text[1:] if text[:1] in ("P", "p") else text
    if not digits.isdigit():
        raise InvalidValueError(
            f"{ref!r} is neither a person id (123 or P123) nor a record "
            "(SOURCE:ROW, e.g. ministry:12)"
        )
    record = records_store.first_record_of_person(conn, int(digits))
    if record is None:
        raise NotFoundError(f"no person {digits} in this case (person ids: `recount records`)")
    return record


def _record_by_row(conn: Connection, text: str) -> int:
    slug, _, row = text.rpartition(":")
    if not row.strip().isdigit():
        raise InvalidValueError(f"{text!r}: the row after ':' must be a number (SOURCE:ROW)")
    source = get_source(conn, slug.strip())
    record = records_store.record_id_by_row(conn, source.id, int(row))
    if record is None:
        raise NotFoundError(f"source {source.slug!r} has no row {int(row)}")
    return record


def persons_of(conn: Connection, record_ids: Iterable[int]) -> dict[int, int]:
    """Record id → the person it belongs to now."""
    return records_store.person_ids_of_records(conn, list(record_ids))
