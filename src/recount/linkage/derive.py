"""Persons from the stored pairs and the reviewers' labels, in the caller's transaction.

``derive_persons`` clusters the stored pairs at a threshold, honouring the newest labels, and
matches the clusters to the persons that exist (``persons.assign_person_ids``), so ids stay
stable. ``recluster`` stores the result: new persons, records moved, lineage. Both run on either
engine; ``recluster`` needs the case's write lock (``case.writing()``), which also makes the
"largest id + 1" of new persons safe: no other writer can take the same ids meanwhile.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from recount.clock import utc_now
from recount.errors import InvalidValueError
from recount.linkage.cluster import cluster_records
from recount.linkage.persons import Assignment, assign_person_ids
from recount.linkage.review import current_labels, pairs_of
from recount.linkage.settings import LinkageSettings
from recount.store import linkage as linkage_store
from recount.store import persons as persons_store

if TYPE_CHECKING:
    from recount.store import Connection


def derive_persons(conn: Connection, threshold: float) -> tuple[dict[int, int], Assignment]:
    """Current record → person, and the persons the stored pairs and labels give at
    ``threshold``, with ids matched to the current ones."""
    previous = linkage_store.person_of_every_record(conn)
    edges = linkage_store.pairs_from(conn, threshold)
    labels = current_labels(conn)
    source_of = linkage_store.source_of_every_record(conn)
    clusters = cluster_records(
        previous,
        edges,
        threshold,
        must_link=pairs_of(labels, "match"),
        cannot_link=pairs_of(labels, "non-match"),
        source_of=source_of,
    )
    next_id = persons_store.max_person_id(conn) + 1
    return previous, assign_person_ids(clusters, previous, next_id)


def persons_at(conn: Connection, threshold: float) -> dict[int, int]:
    """Record → person if the case were clustered at ``threshold`` (nothing is stored).
    Ids of persons that would be new are provisional: they are not reserved."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidValueError(f"threshold {threshold}: expected a probability in (0, 1]")
    kept = kept_from(conn)
    if kept is not None and threshold < kept:
        raise InvalidValueError(
            f"threshold {threshold}: pairs were kept only from "
            f"{kept:g}; re-run `recount link --full` with a lower "
            "keep_threshold in recount.toml [linkage]"
        )
    return derive_persons(conn, threshold)[1].person_of


def kept_from(conn: Connection) -> float | None:
    """The probability from which every stored pair was kept: the highest ``keep_threshold``
    of the runs whose pairs are stored (a pair below it may have been dropped by one of them).
    Not the lowest stored probability, which sits above the threshold by chance."""
    thresholds = [
        json.loads(settings).get("keep_threshold", LinkageSettings().keep_threshold)
        for settings in linkage_store.settings_since_full_run(conn)
    ]
    return max(thresholds, default=None)


def recluster(
    conn: Connection, run_id: int, threshold: float, linked_up_to: int | None = None
) -> dict[str, int]:
    """Persons from all stored pairs and labels; ids kept stable; lineage written. Records
    with ids up to ``linked_up_to`` (all when None) are marked as linked by ``run_id``."""
    previous, assignment = derive_persons(conn, threshold)
    linkage_store.insert_new_persons(conn, assignment.new_person_ids, utc_now())
    linkage_store.move_records(
        conn,
        [
            (record, person)
            for record, person in sorted(assignment.person_of.items())
            if previous[record] != person
        ],
    )
    linkage_store.mark_records_linked(conn, run_id, linked_up_to)
    linkage_store.insert_lineage(conn, [_lineage_row(run_id, e) for e in assignment.events])
    kinds = [e.kind for e in assignment.events]
    return {
        "pairs": linkage_store.pair_count(conn),
        "persons": assignment.persons,
        "merges": kinds.count("merge"),
        "splits": kinds.count("split"),
        "new_persons": kinds.count("new"),
    }


def _lineage_row(run_id: int, event: Any) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "kind": event.kind,
        "person_id": event.person_id,
        "other_person_id": event.other_person_id,
        "records": event.records,
    }
