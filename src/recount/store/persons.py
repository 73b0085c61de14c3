"""Persons: their ids; what a person's file gathers (their records with where each came from,
how linkage changed them, the scored pairs and review labels among their records; the items that
document them are ``store.evidence.items_linked_to_person``); which of their records may be
published; and finding persons by their records (names through the name index, fate, sex and
age, event, source, status).

Tables: ``persons``, ``records``, ``sources``, ``imports``, ``events``, ``person_lineage``,
``pairs``, ``review_labels``, ``publishable_records``, ``name_tokens``, ``status_changes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, delete, func, insert, or_, select

from recount.store.dialect import insert_rows, starts_with
from recount.store.tables import (
    events,
    imports,
    name_tokens,
    pairs,
    person_lineage,
    persons,
    publishable_records,
    records,
    sources,
    status_changes,
)


def max_person_id(conn: Connection) -> int:
    """The largest person id there is, 0 in a case with none."""
    return conn.execute(select(func.coalesce(func.max(persons.c.id), 0))).scalar_one()


def insert_persons(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Persons as (id, created_at), straight to the driver (``dialect.insert_rows``): an
    import's hot path."""
    insert_rows(conn, persons, ("id", "created_at"), rows)


# --- a person's file -------------------------------------------------------------------------


def person_record_rows(
    conn: Connection, person_id: int, fields: Sequence[str]
) -> list[dict[str, Any]]:
    """The person's records in id order: id, ``fields``, row_number and raw, with source,
    source_name, file_name and file_sha256 (of the import), event (its slug) and
    published_by (None unless marked publishable)."""
    query = (
        select(
            records.c.id,
            *(records.c[f] for f in fields),
            records.c.row_number,
            records.c.raw,
            sources.c.slug.label("source"),
            sources.c.name.label("source_name"),
            imports.c.file_name,
            imports.c.sha256.label("file_sha256"),
            events.c.slug.label("event"),
            publishable_records.c.marked_by.label("published_by"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .join(imports, imports.c.id == records.c.import_id)
        .outerjoin(events, events.c.id == records.c.event_id)
        .outerjoin(publishable_records, publishable_records.c.record_id == records.c.id)
        .where(records.c.person_id == person_id)
        .order_by(records.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def lineage_of_person(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    """The linkage lineage entries naming the person on either side, oldest first."""
    query = (
        select(person_lineage)
        .where(
            or_(
                person_lineage.c.person_id == person_id,
                person_lineage.c.other_person_id == person_id,
            )
        )
        .order_by(person_lineage.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def pairs_among(conn: Connection, record_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The scored pairs both of whose records are among ``record_ids``, most probable first."""
    query = (
        select(pairs)
        .where(pairs.c.record_l.in_(record_ids), pairs.c.record_r.in_(record_ids))
        .order_by(pairs.c.probability.desc())
    )
    return [dict(r) for r in conn.execute(query).mappings()]


# --- publishable records ---------------------------------------------------------------------


def unmark_publishable(conn: Connection, record_ids: Sequence[int]) -> None:
    conn.execute(delete(publishable_records).where(publishable_records.c.record_id.in_(record_ids)))


def insert_publishable_marks(conn: Connection, marks: Sequence[dict[str, Any]]) -> None:
    """Marks as dicts of record_id, marked_by and marked_at."""
    conn.execute(insert(publishable_records), list(marks))


# --- finding persons -------------------------------------------------------------------------


def matching_persons(
    conn: Connection,
    *,
    name_terms: Sequence[tuple[str, str]],
    fate: str | None,
    sex: str | None,
    age_low_at_least: int | None,
    age_high_below: int | None,
    event: str | None,
    source: str | None,
    publishable: bool,
    among: Sequence[int] | None,
    limit: int,
    offset: int,
) -> tuple[int, list[int]]:
    """How many persons have one record meeting every condition given, and the ids of ``limit``
    of them from ``offset`` on, in id order.

    ``name_terms``: per word, a key token and an ASCII token, one of which (the second as a
    prefix) the record's name index must hold. ``event``, ``source``: slugs. ``publishable``:
    only records marked publishable. ``among``: only these persons."""
    conditions: list[ColumnElement[bool]] = []
    for key_token, ascii_token in name_terms:
        matching = select(name_tokens.c.record_id).where(
            or_(name_tokens.c.token == key_token, starts_with(name_tokens.c.token, ascii_token))
        )
        conditions.append(records.c.id.in_(matching))
    if fate is not None:
        conditions.append(records.c.fate == fate)
    if sex is not None:
        conditions.append(records.c.sex == sex)
    if age_low_at_least is not None:
        conditions.append(records.c.age_low >= age_low_at_least)
    if age_high_below is not None:
        conditions.append(records.c.age_high < age_high_below)
    if event is not None:
        conditions.append(records.c.event_id.in_(select(events.c.id).where(events.c.slug == event)))
    if source is not None:
        conditions.append(
            records.c.source_id.in_(select(sources.c.id).where(sources.c.slug == source))
        )
    if publishable:
        conditions.append(records.c.id.in_(select(publishable_records.c.record_id)))
    if among is not None:
        # The ids as literals, not one parameter each: SQLite caps the parameters of a statement.
        conditions.append(
            records.c.person_id.in_(
                bindparam("among", list(among), expanding=True, literal_execute=True)
            )
        )
    total = conn.execute(
        select(func.count(func.distinct(records.c.person_id))).where(*conditions)
    ).scalar_one()
    ids = conn.execute(
        select(records.c.person_id)
        .where(*conditions)
        .group_by(records.c.person_id)
        .order_by(records.c.person_id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return total, list(ids)


def persons_with_status_or_fate(conn: Connection, word: str) -> list[int]:
    """The persons with a status change to ``word`` or a record whose fate is ``word`` (each
    once, in no order)."""
    changed = (
        select(records.c.person_id)
        .join(status_changes, status_changes.c.record_id == records.c.id)
        .where(status_changes.c.status == word)
    )
    stated = select(records.c.person_id).where(records.c.fate == word)
    return list(conn.execute(changed.union(stated)).scalars())


def summary_rows_of_persons(conn: Connection, person_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Per record of these persons, in record order: person_id, full_name, given_name,
    family_name, patronymic, sex, age_low, age_high, fate, date_low, place, slug (its source)."""
    query = (
        select(
            records.c.person_id,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            records.c.sex,
            records.c.age_low,
            records.c.age_high,
            records.c.fate,
            records.c.date_low,
            records.c.place,
            sources.c.slug,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.person_id.in_(person_ids))
        .order_by(records.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
