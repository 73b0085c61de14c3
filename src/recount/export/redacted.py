"""Exports as a reader may have them: the role table's columns, or the public whitelist.

``role=None`` is the public: only records marked publishable (and persons made of them), only
accepted claims not from witnesses (``public_claim_conditions``), only
the columns of ``redaction.PUBLIC_EXPORT_COLUMNS``. A logged-in role gets every row, without
the columns the role table guards from it (the raw rows, for roles without ``records.raw``).
The CLI's ``export --public``, the web's export links and the API all come through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.export.tables import QUERIES, export_columns, stream_rows
from recount.security.redaction import columns_for
from recount.store.tables import (
    claims,
    evidence_items,
    publishable_records,
    records,
    sources,
)


def public_claim_conditions() -> list[Any]:
    """Claims the public may see: accepted, not from a witness (whose words could identify
    them), and taken from no evidence item, or from a public one."""
    public_items = select(evidence_items.c.id).where(evidence_items.c.sensitivity == "public")
    return [
        claims.c.status == "accepted",
        sources.c.kind != "witness",
        claims.c.evidence_item_id.is_(None) | claims.c.evidence_item_id.in_(public_items),
    ]


def redacted_export(
    case: Case, what: str, role: str | None, source: str | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    columns = columns_for(role, export_columns(what), what)
    query = QUERIES[what]()
    if source is not None:
        with case.reading() as conn:
            get_source(conn, source)
        query = query.where(sources.c.slug == source)
    if role is None and what == "claims":
        query = query.where(*public_claim_conditions())
    elif role is None:
        query = query.where(records.c.id.in_(select(publishable_records.c.record_id)))

    rows = ({c: row[c] for c in columns} for row in stream_rows(case, query))
    return columns, rows
