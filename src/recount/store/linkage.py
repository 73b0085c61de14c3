"""Linkage: its runs, the scored pairs, the name frequencies a run scored with, and what
re-deriving persons reads and writes (records' persons and sources, new persons, lineage).

Tables: ``linkage_runs``, ``pairs``, ``name_frequencies``, ``person_lineage``, ``persons``,
``records``, ``sources`` (the reviewers' labels are in ``store/linkage_review.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from recount.store.dialect import insert_rows, upsert
from recount.store.tables import (
    linkage_runs,
    name_frequencies,
    pairs,
    person_lineage,
    persons,
    records,
    sources,
)

PAIR_COLUMNS = ("record_l", "record_r", "probability", "weight", "run_id")

# --- runs ------------------------------------------------------------------------------------


def insert_linkage_run(
    conn: Connection,
    *,
    started_at: str,
    backend: str,
    mode: str,
    settings: str,
    model: str | None,
    match_threshold: float,
    recount_version: str,
) -> int:
    """A run as it starts (settings and model as JSON, no duration nor counts yet); its id."""
    return conn.execute(
        insert(linkage_runs).values(
            started_at=started_at,
            seconds=0.0,
            backend=backend,
            mode=mode,
            settings=settings,
            model=model,
            match_threshold=match_threshold,
            counts="{}",
            recount_version=recount_version,
        )
    ).inserted_primary_key[0]


def finish_linkage_run(conn: Connection, run_id: int, seconds: float, counts: str) -> None:
    """The run's duration and its counts (JSON)."""
    conn.execute(
        update(linkage_runs)
        .where(linkage_runs.c.id == run_id)
        .values(seconds=seconds, counts=counts)
    )


def newest_trained_model(conn: Connection) -> tuple[str, str] | None:
    """(model, settings), both JSON, of the newest run that stored a model; None when none did."""
    stored = conn.execute(
        select(linkage_runs.c.model, linkage_runs.c.settings)
        .where(linkage_runs.c.model.is_not(None))
        .order_by(linkage_runs.c.id.desc())
        .limit(1)
    ).first()
    return None if stored is None else (stored.model, stored.settings)


def newest_linkage_run(conn: Connection) -> tuple[int, float] | None:
    """(id, match threshold) of the newest run; None in a case never linked."""
    row = conn.execute(
        select(linkage_runs.c.id, linkage_runs.c.match_threshold)
        .order_by(linkage_runs.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row.id, row.match_threshold)


# --- scored pairs ----------------------------------------------------------------------------


def replace_pairs(conn: Connection, rows: Sequence[tuple[int, int, float, float, int]]) -> None:
    """All stored pairs replaced by ``rows`` of ``PAIR_COLUMNS``, straight to the driver
    (``dialect.insert_rows``): a full run stores every pair it kept."""
    conn.execute(delete(pairs))
    insert_rows(conn, pairs, PAIR_COLUMNS, rows)


def upsert_pairs(conn: Connection, rows: Sequence[tuple[int, int, float, float, int]]) -> None:
    """``rows`` of ``PAIR_COLUMNS`` added; a pair already stored takes the new score and run."""
    upsert(
        conn,
        pairs,
        [dict(zip(PAIR_COLUMNS, row, strict=True)) for row in rows],
        keys=("record_l", "record_r"),
    )


def pairs_from(conn: Connection, threshold: float) -> list[tuple[int, int, float]]:
    """(record_l, record_r, probability) of the pairs with probability ≥ ``threshold``."""
    query = select(pairs.c.record_l, pairs.c.record_r, pairs.c.probability).where(
        pairs.c.probability >= threshold
    )
    return list(map(tuple, conn.execute(query)))


def settings_since_full_run(conn: Connection) -> list[str]:
    """The settings (JSON) of the newest full run and of every run after it, oldest first: the
    runs whose pairs are stored now. Empty in a case never linked in full."""
    last_full = (
        select(func.max(linkage_runs.c.id)).where(linkage_runs.c.mode == "full").scalar_subquery()
    )
    query = (
        select(linkage_runs.c.settings)
        .where(linkage_runs.c.id >= last_full)
        .order_by(linkage_runs.c.id)
    )
    return list(conn.execute(query).scalars())


def pair_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(pairs)).scalar_one()


# --- name frequencies ------------------------------------------------------------------------


def replace_name_frequencies(conn: Connection, counts: Sequence[tuple[str, float]]) -> None:
    """The stored frequencies replaced by (name_sorted, frequency) ``counts``, straight to the
    driver (``dialect.insert_rows``)."""
    conn.execute(delete(name_frequencies))
    insert_rows(conn, name_frequencies, ("name_sorted", "frequency"), counts)


def name_frequencies_by_name(conn: Connection) -> dict[str, float]:
    """Whole name (sorted keys) → its stored frequency."""
    query = select(name_frequencies.c.name_sorted, name_frequencies.c.frequency)
    return dict(conn.execute(query).all())


# --- records as linkage reads them -----------------------------------------------------------


def person_of_every_record(conn: Connection) -> dict[int, int]:
    """Record id → the person it belongs to now, for every record."""
    return dict(conn.execute(select(records.c.id, records.c.person_id)).all())


def source_of_every_record(conn: Connection) -> dict[int, int]:
    """Record id → its source's id, for every record."""
    return dict(conn.execute(select(records.c.id, records.c.source_id)).all())


def unlinked_record_ids(conn: Connection) -> set[int]:
    """The records no run has linked yet."""
    query = select(records.c.id).where(records.c.linked_run_id.is_(None))
    return set(conn.execute(query).scalars())


def feature_rows(
    conn: Connection, record_ids: Collection[int] | None, with_raw: bool
) -> Iterator[dict[str, Any]]:
    """Every record (or those of ``record_ids``) in id order, with what its linkage features
    are computed from: id, source (slug), the name, sex, age, birth year, date and place
    columns, and raw when ``with_raw``.

    Yielded one at a time, to be read before the transaction ends: a run reads every record
    of the case, and holding them all beside their features would double its memory."""
    query = (
        select(
            records.c.id,
            sources.c.slug.label("source"),
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            records.c.sex,
            records.c.age_low,
            records.c.age_high,
            records.c.birth_year_low,
            records.c.birth_year_high,
            records.c.date_low,
            records.c.date_high,
            records.c.place,
            *([records.c.raw] if with_raw else []),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .order_by(records.c.id)
    )
    if record_ids is not None:
        query = query.where(records.c.id.in_(sorted(record_ids)))
    for row in conn.execute(query).mappings():
        yield dict(row)


def records_of_person(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    """The person's records in id order, as an explanation shows them: record_id, source (slug),
    row_number, the name columns, sex, age_low, age_high, date_low, place and fate."""
    query = (
        select(
            records.c.id.label("record_id"),
            sources.c.slug.label("source"),
            records.c.row_number,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            records.c.sex,
            records.c.age_low,
            records.c.age_high,
            records.c.date_low,
            records.c.place,
            records.c.fate,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.person_id == person_id)
        .order_by(records.c.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


# --- persons as a run re-derives them --------------------------------------------------------


def insert_new_persons(conn: Connection, person_ids: Sequence[int], created_at: str) -> None:
    if person_ids:
        conn.execute(insert(persons), [{"id": pid, "created_at": created_at} for pid in person_ids])


def move_records(conn: Connection, moves: Sequence[tuple[int, int]]) -> None:
    """Each (record, person) of ``moves``: the record now belongs to that person."""
    if not moves:
        return
    conn.execute(
        update(records)
        .where(records.c.id == bindparam("record"))
        .values(person_id=bindparam("person")),
        [{"record": record, "person": person} for record, person in moves],
    )


def mark_records_linked(conn: Connection, run_id: int, up_to: int | None) -> None:
    """The records with ids up to ``up_to`` (every record when None) marked as linked by the
    run."""
    linked = update(records).values(linked_run_id=run_id)
    if up_to is not None:
        linked = linked.where(records.c.id <= up_to)
    conn.execute(linked)


def insert_lineage(conn: Connection, entries: Sequence[dict[str, Any]]) -> None:
    """Lineage entries as dicts of run_id, kind, person_id, other_person_id and records."""
    if entries:
        conn.execute(insert(person_lineage), list(entries))
