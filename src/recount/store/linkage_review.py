"""Review of linkage: the reviewers' labels on pairs of records, the pairs awaiting a label,
and the records as a reviewer sees them.

Every label is kept; the newest one per pair (highest id) is the one that applies.

Tables: ``review_labels``, ``pairs``, ``records``, ``sources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select

from recount.store.tables import pairs, records, review_labels, sources


def newest_labels(
    conn: Connection, left_records: Sequence[int] | None = None
) -> list[tuple[int, int, str]]:
    """(record_l, record_r, label): the newest label of every labelled pair, in pair order;
    only the pairs whose left record is among ``left_records`` when given."""
    newest = select(func.max(review_labels.c.id)).group_by(
        review_labels.c.record_l, review_labels.c.record_r
    )
    query = (
        select(review_labels.c.record_l, review_labels.c.record_r, review_labels.c.label)
        .where(review_labels.c.id.in_(newest))
        .order_by(review_labels.c.record_l, review_labels.c.record_r)
    )
    if left_records is not None:
        query = query.where(review_labels.c.record_l.in_(left_records))
    return [(left, right, label) for left, right, label in conn.execute(query)]


def insert_label(
    conn: Connection,
    *,
    record_l: int,
    record_r: int,
    label: str,
    reviewer: str,
    labelled_at: str,
    note: str | None,
) -> None:
    conn.execute(
        insert(review_labels).values(
            record_l=record_l,
            record_r=record_r,
            label=label,
            reviewer=reviewer,
            labelled_at=labelled_at,
            note=note,
        )
    )


def insert_labels(conn: Connection, labels: Sequence[dict[str, Any]]) -> None:
    """Labels as dicts of record_l, record_r, label, reviewer, labelled_at and note."""
    if labels:
        conn.execute(insert(review_labels), list(labels))


def unlabelled_pairs_between(
    conn: Connection, low: float, high: float, limit: int
) -> list[tuple[int, int, float, float]]:
    """(record_l, record_r, probability, weight) of at most ``limit`` pairs no one labelled,
    with probability in [low, high), nearest 0.5 first, then in pair order."""
    labelled = (
        select(review_labels.c.id)
        .where(
            and_(
                review_labels.c.record_l == pairs.c.record_l,
                review_labels.c.record_r == pairs.c.record_r,
            )
        )
        .exists()
    )
    query = (
        select(pairs.c.record_l, pairs.c.record_r, pairs.c.probability, pairs.c.weight)
        .where(pairs.c.probability >= low, pairs.c.probability < high, ~labelled)
        .order_by(func.abs(pairs.c.probability - 0.5), pairs.c.record_l, pairs.c.record_r)
        .limit(limit)
    )
    return list(map(tuple, conn.execute(query)))


def review_counts(conn: Connection, low: float, high: float) -> tuple[int, int]:
    """(pairs with a label, unlabelled pairs with probability in [low, high))."""
    labelled = select(review_labels.c.record_l, review_labels.c.record_r).distinct().subquery()
    decided = conn.execute(select(func.count()).select_from(labelled)).scalar_one()
    unlabelled = ~(
        select(review_labels.c.id)
        .where(
            review_labels.c.record_l == pairs.c.record_l,
            review_labels.c.record_r == pairs.c.record_r,
        )
        .exists()
    )
    waiting = conn.execute(
        select(func.count())
        .select_from(pairs)
        .where(pairs.c.probability >= low, pairs.c.probability < high, unlabelled)
    ).scalar_one()
    return decided, waiting


def labels_by_source_row(conn: Connection) -> list[tuple[Any, ...]]:
    """Every label as (source_l, row_number_l, source_r, row_number_r, label, reviewer,
    labelled_at, note), sources by slug, oldest label first."""
    left, right = records.alias("l"), records.alias("r")
    source_l, source_r = sources.alias("sl"), sources.alias("sr")
    query = (
        select(
            source_l.c.slug,
            left.c.row_number,
            source_r.c.slug,
            right.c.row_number,
            review_labels.c.label,
            review_labels.c.reviewer,
            review_labels.c.labelled_at,
            review_labels.c.note,
        )
        .join(left, left.c.id == review_labels.c.record_l)
        .join(right, right.c.id == review_labels.c.record_r)
        .join(source_l, source_l.c.id == left.c.source_id)
        .join(source_r, source_r.c.id == right.c.source_id)
        .order_by(review_labels.c.id)
    )
    return list(map(tuple, conn.execute(query)))


def record_ids_by_source_row(conn: Connection) -> dict[tuple[str, int], int]:
    """(source slug, row number) → record id, for every record."""
    query = select(sources.c.slug, records.c.row_number, records.c.id).join(
        sources, sources.c.id == records.c.source_id
    )
    return {(slug, row): record for slug, row, record in conn.execute(query)}


def record_with_source(conn: Connection, record_id: int) -> dict[str, Any] | None:
    """Every column of the record, with source (its source's slug); None when there is no
    such record."""
    query = (
        select(records, sources.c.slug.label("source"))
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.id == record_id)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)
