"""The review queue as the browser shows it: each uncertain pair with both records side by
side (original script and the ASCII form recount compares), and a decision that re-derives
persons at once and says what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.errors import NotFoundError
from recount.linkage import review as core
from recount.linkage.run import apply_labels_in
from recount.linkage.settings import LinkageSettings
from recount.names.transliterate import to_ascii, words
from recount.store import linkage_review as review_store

if TYPE_CHECKING:
    from recount.store import Connection

FIELDS = (
    "full_name",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "age",
    "birth_year",
    "date",
    "place",
    "fate",
)
NAME_FIELDS = ("full_name", "family_name", "given_name", "patronymic", "place")


def band(case: Case) -> tuple[float, float]:
    low, high = LinkageSettings.for_case(case.settings).review_band
    return float(low), float(high)


def queue(case: Case, limit: int = 20) -> list[dict[str, Any]]:
    """The pairs of the case's review band (recount.toml [linkage] review_band)."""
    low, high = band(case)
    return pending_pairs(case, low, high, limit)


def pending_pairs(case: Case, low: float, high: float, limit: int = 20) -> list[dict[str, Any]]:
    """Unlabelled pairs with probability in [low, high), most uncertain first, each with both
    records and the fields side by side (``rows``)."""
    found = []
    with case.reading() as conn:
        for pair in core.candidates_in(conn, low, high, limit):
            left, right = _record_view(conn, pair.record_l), _record_view(conn, pair.record_r)
            found.append(
                {
                    "record_l": pair.record_l,
                    "record_r": pair.record_r,
                    "probability": round(pair.probability, 4),
                    "weight": round(pair.weight, 2),
                    "left": left,
                    "right": right,
                    "rows": _rows(left, right),
                }
            )
    return found


def record_view(case: Case, record_id: int) -> dict[str, Any]:
    """One record as a reviewer sees it: source, row, person and every field as text."""
    with case.reading() as conn:
        return _record_view(conn, record_id)


def _record_view(conn: Connection, record_id: int) -> dict[str, Any]:
    row = review_store.record_with_source(conn, record_id)
    if row is None:
        raise NotFoundError(f"no record {record_id} in this case")
    return {
        "id": row["id"],
        "source": row["source"],
        "row_number": row["row_number"],
        "person_id": row["person_id"],
        **{f: _value(row, f) for f in FIELDS},
    }


def _value(row: Any, field: str) -> str:
    if field == "age":
        low, high = row["age_low"], row["age_high"]
        return "" if low is None else (str(low) if low == high else f"{low}-{high or ''}")
    if field == "birth_year":
        return "" if row["birth_year_low"] is None else str(row["birth_year_low"])
    if field == "date":
        if row["date_precision"] in ("day", None):
            return row["date_low"] or ""
        return f"{row['date_low'] or ''}..{row['date_high'] or ''}".strip(".")
    return row[field] or ""


def _rows(left: dict[str, Any], right: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for field in FIELDS:
        a, b = left[field], right[field]
        if not a and not b:
            continue
        fold = field in NAME_FIELDS
        rows.append(
            {
                "field": field,
                "left": a,
                "right": b,
                "left_ascii": " ".join(to_ascii(w) for w in words(a)) if fold else "",
                "right_ascii": " ".join(to_ascii(w) for w in words(b)) if fold else "",
                "same": a == b,
            }
        )
    return rows


def decide(case: Case, record_l: int, record_r: int, label: str, reviewer: str) -> dict[str, Any]:
    """Record a decision, re-derive persons, and say where both records are now; one
    transaction, so the label is kept only with the persons it gives."""
    settings = LinkageSettings.for_case(case.settings)
    with case.writing() as conn:
        before = _persons_of(conn, record_l, record_r)
        core.add_label_in(conn, record_l, record_r, label, reviewer)
        result = apply_labels_in(conn, settings)
        after = _persons_of(conn, record_l, record_r)
    return {
        "record_l": record_l,
        "record_r": record_r,
        "label": label,
        "persons_before": before,
        "persons_after": after,
        "persons": result.persons,
        "merges": result.merges,
        "splits": result.splits,
    }


def _persons_of(conn: Connection, *record_ids: int) -> list[int]:
    return [_record_view(conn, record_id)["person_id"] for record_id in record_ids]
