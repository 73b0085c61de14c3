"""Persons from the stored pairs and the reviewers' labels, in the caller's transaction.

``derive_persons`` clusters the stored pairs at a threshold, honouring the newest labels, and
matches the clusters to the persons that exist (``persons.assign_person_ids``), so ids stay
stable. ``recluster`` stores the result: new persons, records moved, lineage. Both run on either
engine; ``recluster`` needs the case's write lock (``case.writing()``), which also makes the
"largest id + 1" of new persons safe: no other writer can take the same ids meanwhile.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from recount.clock import utc_now
from recount.errors import InvalidValueError
from recount.linkage.cluster import cluster_records
from recount.linkage.persons import Assignment, assign_person_ids
from recount.linkage.review import current_labels, pairs_of
from recount.store.tables import pairs, person_lineage, persons, records


def derive_persons(conn: Connection, threshold: float) -> tuple[dict[int, int], Assignment]:
    """Current record → person, and the persons the stored pairs and labels give at
    ``threshold``, with ids matched to the current ones."""
    previous = dict(conn.execute(select(records.c.id, records.c.person_id)).all())
    edges = conn.execute(
        select(pairs.c.record_l, pairs.c.record_r, pairs.c.probability).where(
            pairs.c.probability >= threshold
        )
    ).all()
    labels = current_labels(conn)
    source_of = dict(conn.execute(select(records.c.id, records.c.source_id)).all())
    clusters = cluster_records(
        previous,
        edges,
        threshold,
        must_link=pairs_of(labels, "match"),
        cannot_link=pairs_of(labels, "non-match"),
        source_of=source_of,
    )
    next_id = conn.execute(select(func.coalesce(func.max(persons.c.id), 0))).scalar_one() + 1
    return previous, assign_person_ids(clusters, previous, next_id)


def persons_at(conn: Connection, threshold: float) -> dict[int, int]:
    """Record → person if the case were clustered at ``threshold`` (nothing is stored).
    Ids of persons that would be new are provisional: they are not reserved."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidValueError(f"threshold {threshold}: expected a probability in (0, 1]")
    kept = conn.execute(select(func.min(pairs.c.probability))).scalar()
    if kept is not None and threshold < kept:
        raise InvalidValueError(
            f"threshold {threshold}: pairs were kept only from "
            f"{kept:.3f}; re-run `recount link --full` with a lower "
            "keep_threshold in recount.toml [linkage]"
        )
    return derive_persons(conn, threshold)[1].person_of


def recluster(
    conn: Connection, run_id: int, threshold: float, linked_up_to: int | None = None
) -> dict[str, int]:
    """Persons from all stored pairs and labels; ids kept stable; lineage written. Records
    with ids up to ``linked_up_to`` (all when None) are marked as linked by ``run_id``."""
    previous, assignment = derive_persons(conn, threshold)
    now = utc_now()
    if assignment.new_person_ids:
        conn.execute(
            insert(persons), [{"id": pid, "created_at": now} for pid in assignment.new_person_ids]
        )
    _move_records(conn, previous, assignment.person_of)
    linked = update(records).values(linked_run_id=run_id)
    if linked_up_to is not None:
        linked = linked.where(records.c.id <= linked_up_to)
    conn.execute(linked)
    if assignment.events:
        conn.execute(insert(person_lineage), [_lineage_row(run_id, e) for e in assignment.events])
    kinds = [e.kind for e in assignment.events]
    return {
        "pairs": conn.execute(select(func.count()).select_from(pairs)).scalar_one(),
        "persons": assignment.persons,
        "merges": kinds.count("merge"),
        "splits": kinds.count("split"),
        "new_persons": kinds.count("new"),
    }


def _move_records(conn: Connection, previous: dict[int, int], person_of: dict[int, int]) -> None:
    changed = [
        {"record": record, "person": person}
        for record, person in sorted(person_of.items())
        if previous[record] != person
    ]
    if changed:
        conn.execute(
            update(records)
            .where(records.c.id == bindparam("record"))
            .values(person_id=bindparam("person")),
            changed,
        )


def _lineage_row(run_id: int, event: Any) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "kind": event.kind,
        "person_id": event.person_id,
        "other_person_id": event.other_person_id,
        "records": event.records,
    }
