"""Exports: the rows of each table recount exports (records, links, persons, claims), streamed.

Tables: ``records``, ``sources``, ``imports`` and ``events`` (records, links, persons);
``claims`` with ``events``, ``sources`` and ``evidence_items`` (claims); ``publishable_records``
for the public's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, func, select

from recount.store.dialect import distinct_text_list_any
from recount.store.tables import (
    claims,
    events,
    evidence_items,
    imports,
    publishable_records,
    records,
    sources,
)

_RECORD_COLUMNS = (
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
            *(records.c[name] for name in _RECORD_COLUMNS),
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


_QUERIES: dict[str, Callable[[], Select]] = {
    "records": _records_query,
    "links": _links_query,
    "persons": _persons_query,
    "claims": _claims_query,
}
EXPORTS = tuple(_QUERIES)


def export_columns(what: str) -> list[str]:
    """The columns of the export ``what`` (one of ``EXPORTS``), in order; known without a
    connection, so even for an export with no rows."""
    return list(_QUERIES[what]().selected_columns.keys())


def export_rows(
    conn: Connection,
    what: str,
    batch: int,
    source: str | None = None,
    *,
    publishable_only: bool = False,
    claim_status: str | None = None,
    claim_source_kind_not: str | None = None,
    claim_item_sensitivity: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of the export ``what``, fetched ``batch`` at a time (a server-side cursor on
    PostgreSQL) while ``conn`` stays open. Each filter narrows them when given:

    * ``source``: rows of the source with that slug (persons: counted from its records only);
    * ``publishable_only`` (records, links, persons): rows of records marked publishable;
    * ``claim_status``: claims with that status;
    * ``claim_source_kind_not``: claims whose source is of another kind (so not claims with no
      source either);
    * ``claim_item_sensitivity``: claims taken from no evidence item, or from one with that
      sensitivity.
    """
    query = _QUERIES[what]()
    if source is not None:
        query = query.where(sources.c.slug == source)
    if publishable_only:
        query = query.where(records.c.id.in_(select(publishable_records.c.record_id)))
    if claim_status is not None:
        query = query.where(claims.c.status == claim_status)
    if claim_source_kind_not is not None:
        query = query.where(sources.c.kind != claim_source_kind_not)
    if claim_item_sensitivity is not None:
        items = select(evidence_items.c.id).where(
            evidence_items.c.sensitivity == claim_item_sensitivity
        )
        query = query.where(
            claims.c.evidence_item_id.is_(None) | claims.c.evidence_item_id.in_(items)
        )
    for row in conn.execute(query.execution_options(yield_per=batch)).mappings():
        yield dict(row)
