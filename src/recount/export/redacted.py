"""Exports as a reader may have them: the role table's columns, or the public whitelist.

``role=None`` is the public: only records marked publishable (and persons made of them), only
accepted claims not from witnesses (``PUBLIC_CLAIMS``), only the columns of
``redaction.PUBLIC_EXPORT_COLUMNS``. A logged-in role gets every row, without
the columns the role table guards from it (the raw rows, for roles without ``records.raw``).
The CLI's ``export --public``, the web's export links and the API all come through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.export.tables import export_columns, stream_rows
from recount.security.redaction import columns_for

# Claims the public may see: accepted, not from a witness (whose words could identify them),
# and taken from no evidence item, or from a public one. The store's filters by name.
PUBLIC_CLAIMS: dict[str, Any] = {
    "claim_status": "accepted",
    "claim_source_kind_not": "witness",
    "claim_item_sensitivity": "public",
}


def redacted_export(
    case: Case, what: str, role: str | None, source: str | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    columns = columns_for(role, export_columns(what), what)
    if source is not None:
        with case.reading() as conn:
            get_source(conn, source)
    only: dict[str, Any] = {}
    if role is None and what == "claims":
        only = PUBLIC_CLAIMS
    elif role is None:
        only = {"publishable_only": True}

    rows = ({c: row[c] for c in columns} for row in stream_rows(case, what, source, **only))
    return columns, rows
