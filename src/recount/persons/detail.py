"""A person's whole file: every record from every source as written, how they were joined,
what changed in re-linking, the evidence that documents them, their family relations, status
history and the acts they suffered, and what may be published.

``raw`` (the row exactly as the source gave it) is included only when the caller says the
reader may see it; the fronts decide that from the role table.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import InvalidValueError, NotFoundError
from recount.evidence.items import summary
from recount.security import audit
from recount.security.roles import Reader, require
from recount.store import evidence as evidence_store
from recount.store import linkage_review as review_store
from recount.store import persons as persons_store
from recount.store import records as records_store

if TYPE_CHECKING:
    from recount.store import Connection

RECORD_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "age_low",
    "age_high",
    "age_approx",
    "birth_year_low",
    "birth_year_high",
    "date_low",
    "date_high",
    "date_precision",
    "place",
    "fate",
)


def person_file(case: Case, person_id: int, with_raw: bool = False) -> dict[str, Any]:
    with case.reading() as conn:
        rows = persons_store.person_record_rows(conn, person_id, RECORD_FIELDS)
        lineage = persons_store.lineage_of_person(conn, person_id)
        if not rows:
            merged = next(
                (
                    e["person_id"]
                    for e in reversed(lineage)
                    if e["other_person_id"] == person_id and e["kind"] == "merge"
                ),
                None,
            )
            hint = f"; its records are now in person {merged}" if merged else ""
            raise NotFoundError(f"no person {person_id} in this case{hint}")
        ids = [r["id"] for r in rows]
        joined = _pairs(conn, ids)
        items = _evidence(conn, person_id, ids)
    for row in rows:
        row["publishable"] = row.pop("published_by") is not None
        raw = row.pop("raw")
        if with_raw:
            row["raw"] = json.loads(raw)
    return {
        "person_id": person_id,
        "records": rows,
        "pairs": joined,
        "lineage": lineage,
        "evidence": items,
        "sources": sorted({r["source"] for r in rows}),
        **_facts(case, person_id),
    }


def _facts(case: Case, person_id: int) -> dict[str, Any]:
    """Relations, status history and acts: what the case records about the person's life."""
    from recount.events.acts import list_acts
    from recount.families.relations import list_relations
    from recount.families.status import status_history

    ref = f"P{person_id}"
    return {
        "relations": [r.to_dict() for r in list_relations(case, ref)],
        "status": status_history(case, ref).to_dict(),
        "acts": [a.to_dict() for a in list_acts(case, person=ref)],
    }


def _pairs(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """The scored pairs among a person's records, with the newest human decision on each."""
    labels = {(left, right): label for left, right, label in review_store.newest_labels(conn, ids)}
    found = [
        {
            "record_l": r["record_l"],
            "record_r": r["record_r"],
            "probability": round(r["probability"], 4),
            "weight": round(r["weight"], 2),
            "label": labels.get((r["record_l"], r["record_r"])),
        }
        for r in persons_store.pairs_among(conn, ids)
    ]
    for (left, right), label in labels.items():
        if (
            left in ids
            and right in ids
            and not any(p["record_l"] == left and p["record_r"] == right for p in found)
        ):
            found.append(
                {
                    "record_l": left,
                    "record_r": right,
                    "probability": None,
                    "weight": None,
                    "label": label,
                }
            )
    return found


def _evidence(conn: Connection, person_id: int, ids: list[int]) -> list[dict[str, Any]]:
    return [summary(row) for row in evidence_store.items_linked_to_person(conn, person_id, ids)]


def person_file_for(case: Case, reader: Reader, person_id: int) -> dict[str, Any]:
    """A person's file as ``reader`` may see it: raw rows only with ``records.raw``, and every
    such view in the audit log."""
    with_raw = reader.can("records.raw")
    data = person_file(case, person_id, with_raw=with_raw)
    if with_raw:
        audit.record(
            case,
            reader.actor_name,
            reader.role_name,
            "view.record_raw",
            f"person:{person_id}",
            {"records": [r["id"] for r in data["records"]]},
        )
    return data


def publish_person(
    case: Case, reader: Reader, person_id: int, chosen: list[int] | None, publishable: bool
) -> int:
    """Mark a person's records publishable (all of them unless ``chosen``), or take the mark
    back; never another person's records. Audited."""
    require(reader.role, "publish")
    with case.writing() as conn:
        own = records_store.record_ids_of_person(conn, person_id)
        if not own:
            raise NotFoundError(f"no person {person_id} in this case")
        if chosen and set(chosen) - set(own):
            raise InvalidValueError(
                f"records {sorted(set(chosen) - set(own))} are not person {person_id}'s"
            )
        return _mark(conn, list(chosen or own), publishable, reader.actor_name, reader.role_name)


def set_publishable(
    case: Case, record_ids: list[int], publishable: bool, actor: str, role: str
) -> int:
    """Mark records publishable in the public view, or take the mark back; audited."""
    with case.writing() as conn:
        return _mark(conn, record_ids, publishable, actor, role)


def _mark(conn: Connection, record_ids: list[int], publishable: bool, actor: str, role: str) -> int:
    known = set(records_store.existing_record_ids(conn, record_ids))
    missing = sorted(set(record_ids) - known)
    if missing:
        raise NotFoundError(f"no record {missing[0]} in this case")
    persons_store.unmark_publishable(conn, record_ids)
    if publishable and record_ids:
        persons_store.insert_publishable_marks(
            conn,
            [
                {"record_id": rid, "marked_by": actor, "marked_at": utc_now()}
                for rid in sorted(known)
            ],
        )
    audit.append(
        conn,
        actor,
        role,
        "publish" if publishable else "unpublish",
        f"records:{','.join(map(str, sorted(known)))}",
        {},
    )
    return len(known)
