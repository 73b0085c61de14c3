"""What each export contains: one query per table, rows as dicts, streamed.

``links`` is the contract other tools rely on: one line per record with at least ``source``
(the source's slug), ``row_number`` (1 = first data row of the imported file) and
``person_id``. Before linkage every record is its own person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import RowMapping, Select, func, select

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.errors import InvalidValueError
from recount.store.dialect import distinct_text_list_any
from recount.store.tables import claims, events, evidence_items, imports, records, sources

STREAM_BATCH = 2000
RECORD_COLUMNS = (
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


def _records_query() -> Select:
    return (
        select(
            records.c.id.label("record_id"),
            sources.c.slug.label("source"),
            records.c.row_number,
            records.c.person_id,
            events.c.slug.label("event"),
            *(records.c[name] for name in RECORD_COLUMNS),
            imports.c.id.label("import_id"),
            imports.c.file_name,
            imports.c.sha256.label("file_sha256"),
            records.c.raw,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .join(imports, imports.c.id == records.c.import_id)
        .outerjoin(events, events.c.id == records.c.event_id)
        .order_by(sources.c.slug, imports.c.id, records.c.row_number)
    )


def _links_query() -> Select:
    return (
        select(
            sources.c.slug.label("source"),
            records.c.row_number,
            records.c.person_id,
            records.c.id.label("record_id"),
            imports.c.id.label("import_id"),
            imports.c.sha256.label("file_sha256"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .join(imports, imports.c.id == records.c.import_id)
        .order_by(sources.c.slug, imports.c.id, records.c.row_number)
    )


def _persons_query() -> Select:
    name = func.coalesce(
        records.c.full_name,
        func.trim(
            func.coalesce(records.c.family_name, "")
            + " "
            + func.coalesce(records.c.given_name, "")
            + " "
            + func.coalesce(records.c.patronymic, "")
        ),
    )
    return (
        select(
            records.c.person_id,
            func.count().label("records"),
            func.count(func.distinct(records.c.source_id)).label("sources_count"),
            distinct_text_list_any(sources.c.slug).label("sources"),
            func.min(name).label("name"),
            distinct_text_list_any(records.c.sex).label("sex"),
            func.min(records.c.age_low).label("age_low"),
            func.max(records.c.age_high).label("age_high"),
            distinct_text_list_any(records.c.fate).label("fate"),
            func.min(records.c.date_low).label("date_low"),
            func.max(records.c.date_high).label("date_high"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .group_by(records.c.person_id)
        .order_by(records.c.person_id)
    )


def _claims_query() -> Select:
    """Claims with the source that published them and the evidence item they came from."""
    return (
        select(
            claims.c.id.label("claim_id"),
            events.c.slug.label("event"),
            claims.c.kind,
            claims.c.group_name.label("group"),
            claims.c.count,
            claims.c.low,
            claims.c.high,
            claims.c.qualifier,
            claims.c.place,
            claims.c.date_low,
            claims.c.date_high,
            claims.c.date_precision,
            sources.c.slug.label("source"),
            claims.c.attributed_to,
            claims.c.quote,
            claims.c.evidence_item_id,
            evidence_items.c.sha256.label("evidence_sha256"),
            claims.c.status,
            claims.c.origin,
            claims.c.created_by,
            claims.c.created_at,
            claims.c.reviewed_by,
            claims.c.reviewed_at,
        )
        .outerjoin(events, events.c.id == claims.c.event_id)
        .outerjoin(sources, sources.c.id == claims.c.source_id)
        .outerjoin(evidence_items, evidence_items.c.id == claims.c.evidence_item_id)
        .order_by(claims.c.id)
    )


QUERIES = {
    "records": _records_query,
    "links": _links_query,
    "persons": _persons_query,
    "claims": _claims_query,
}


def export_columns(what: str) -> list[str]:
    """The columns of an export, known even when it has no rows."""
    return list(_query(what).selected_columns.keys())


def _query(what: str) -> Select:
    if what not in QUERIES:
        raise InvalidValueError(f"cannot export {what!r}; choose {', '.join(QUERIES)}")
    return QUERIES[what]()


def export_rows(
    case: Case, what: str, source: str | None = None, threshold: float | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of one export, streamed from the database. ``threshold`` (links only) gives
    the persons that clustering the stored pairs at that probability would form. An unknown
    source or threshold is refused here, before the first row."""
    query = _query(what)
    if threshold is not None and what != "links":
        raise InvalidValueError("--threshold applies to `export links` only")
    person_of = None
    with case.reading() as conn:
        if source is not None:
            get_source(conn, source)
            query = query.where(sources.c.slug == source)
        if threshold is not None:
            from recount.linkage.derive import persons_at

            person_of = persons_at(conn, threshold)
    return _stream(case, query, person_of)


def stream_rows(case: Case, query: Select) -> Iterator[RowMapping]:
    """The rows of ``query``, fetched in batches (a server-side cursor on PostgreSQL), so that
    an export of a million records never holds them all in memory."""
    with case.reading() as conn:
        yield from conn.execute(query.execution_options(yield_per=STREAM_BATCH)).mappings()


def _stream(
    case: Case, query: Select, person_of: dict[int, int] | None
) -> Iterator[dict[str, Any]]:
    for row in stream_rows(case, query):
        item = dict(row)
        if person_of is not None:
            item["person_id"] = person_of[item["record_id"]]
        yield item
