"""What each export contains (one query per table, ``recount.store.exports``): rows as dicts,
streamed.

``links`` is the contract other tools rely on: one line per record with at least ``source``
(the source's slug), ``row_number`` (1 = first data row of the imported file) and
``person_id``. Before linkage every record is its own person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.errors import InvalidValueError
from recount.store import exports as exports_store

STREAM_BATCH = 2000
# By name only: the queries themselves are the store's.
QUERIES = exports_store.EXPORTS


def export_columns(what: str) -> list[str]:
    """The columns of an export, known even when it has no rows."""
    _check(what)
    return exports_store.export_columns(what)


def _check(what: str) -> None:
    if what not in QUERIES:
        raise InvalidValueError(f"cannot export {what!r}; choose {', '.join(QUERIES)}")


def export_rows(
    case: Case, what: str, source: str | None = None, threshold: float | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of one export, streamed from the database. ``threshold`` (links only) gives
    the persons that clustering the stored pairs at that probability would form. An unknown
    source or threshold is refused here, before the first row."""
    _check(what)
    if threshold is not None and what != "links":
        raise InvalidValueError("--threshold applies to `export links` only")
    person_of = None
    with case.reading() as conn:
        if source is not None:
            get_source(conn, source)
        if threshold is not None:
            from recount.linkage.derive import persons_at

            person_of = persons_at(conn, threshold)
    return _stream(case, what, source, person_of)


def stream_rows(
    case: Case, what: str, source: str | None = None, **only: Any
) -> Iterator[dict[str, Any]]:
    """The rows of the export ``what`` (of ``source`` when given), fetched in batches, so that
    an export of a million records never holds them all in memory. ``only`` narrows them by the
    store's filters (``recount.store.exports.export_rows``)."""
    with case.reading() as conn:
        yield from exports_store.export_rows(conn, what, STREAM_BATCH, source, **only)


def _stream(
    case: Case, what: str, source: str | None, person_of: dict[int, int] | None
) -> Iterator[dict[str, Any]]:
    for item in stream_rows(case, what, source):
        if person_of is not None:
            item["person_id"] = person_of[item["record_id"]]
        yield item
