"""Redaction: which fields each reader gets, as whitelists (anything not named is left out).

The public view and ``export --public`` get only ``PUBLIC_*`` fields, of records marked
publishable; logged-in roles get the fields the role table lets them see. Whitelists, not
blacklists, so that a column added later is private until someone decides otherwise.
"""

from __future__ import annotations

from typing import Any

from recount.security.roles import allowed

# What the memorial view shows of a person's publishable records.
PUBLIC_RECORD_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "age_low",
    "age_high",
    "date_low",
    "date_high",
    "date_precision",
    "place",
    "fate",
    "event",
)
PUBLIC_EVENT_FIELDS = ("slug", "name", "place", "date_low", "date_high", "date_precision")
# Columns of the exports a public export may carry (person ids there are public row numbers).
PUBLIC_EXPORT_COLUMNS = {
    "persons": ("person_id", "name", "sex", "age_low", "age_high", "fate", "date_low", "date_high"),
    "records": ("person_id", *PUBLIC_RECORD_FIELDS),
    "links": ("person_id",),
    # Figures as their sources state them: who says it, what, where, when, in their words.
    "claims": (
        "event",
        "kind",
        "group",
        "count",
        "low",
        "high",
        "qualifier",
        "place",
        "date_low",
        "date_high",
        "source",
        "attributed_to",
        "quote",
    ),
}
# Columns an export holds only for roles that may see them.
GUARDED_COLUMNS = {"raw": "records.raw"}


def whitelist(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: row.get(name) for name in fields}


def columns_for(role: str | None, columns: list[str], what: str) -> list[str]:
    """The export columns ``role`` may have (None: the public)."""
    if role is None:
        allowed_public = PUBLIC_EXPORT_COLUMNS.get(what, ())
        return [c for c in columns if c in allowed_public]
    return [c for c in columns if c not in GUARDED_COLUMNS or allowed(role, GUARDED_COLUMNS[c])]


def item_visible(role: str | None, item: dict[str, Any]) -> bool:
    """Whether an evidence item is listed at all for ``role``."""
    sensitivity = item["sensitivity"]
    if role is None:
        return sensitivity == "public"
    if sensitivity == "restricted":
        return allowed(role, "evidence.restricted")
    return allowed(role, "evidence.read")
