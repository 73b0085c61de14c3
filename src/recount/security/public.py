"""The public memorial view: off unless the case enables it; whitelisted fields only.

Enabled in the case's settings (``recount.toml``)::

    [public]
    enabled = true

It shows the case's events and the persons who have at least one record marked publishable,
with only those records and only the fields of ``redaction.PUBLIC_RECORD_FIELDS``. Nothing
protected, nothing internal (no raw rows, record ids, sources' row numbers, pairs, evidence
that is not public).
"""

from __future__ import annotations

import tomllib
from typing import Any

from recount.case.folder import SETTINGS_FILE, Case, dump_settings
from recount.errors import NotFoundError
from recount.events.event import list_events
from recount.security.redaction import PUBLIC_EVENT_FIELDS, PUBLIC_RECORD_FIELDS, whitelist
from recount.store import security as security_store

PAGE = 100


def public_enabled(case: Case) -> bool:
    return bool(case.settings.get("public", {}).get("enabled", False))


def public_enabled_now(case: Case) -> bool:
    """Whether the public view is on, from ``recount.toml`` as it is now: a running server
    (every worker of it) follows `recount public on|off` without a restart."""
    path = case.root / SETTINGS_FILE
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    return bool(settings.get("public", {}).get("enabled", False))


def set_public_enabled(case: Case, enabled: bool) -> None:
    """Turn the public view on or off in ``recount.toml`` (read again by a running server)."""
    case.settings.setdefault("public", {})["enabled"] = enabled
    path = case.root / SETTINGS_FILE
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dump_settings(case.settings), encoding="utf-8")
    partial.replace(path)


def public_events(case: Case) -> list[dict[str, Any]]:
    """Events with the figures their sources state: accepted, public claims only
    (``export.redacted``), each with its qualifier, who says it and its words."""
    from recount.claims.model import Figure
    from recount.export.redacted import redacted_export

    _columns, rows = redacted_export(case, "claims", None)
    figures: dict[str | None, list[dict[str, Any]]] = {}
    for claim in rows:
        figure = Figure(claim["count"], claim["low"], claim["high"], claim["qualifier"])
        figures.setdefault(claim["event"], []).append({**claim, "figure": figure.label()})
    return [
        {**whitelist(e.__dict__, PUBLIC_EVENT_FIELDS), "figures": figures.get(e.slug, [])}
        for e in list_events(case)
    ]


def _published_rows(
    case: Case, person_ids: list[int] | None = None, page: int = 1
) -> tuple[int, list[dict[str, Any]]]:
    # The store adds the record's event name as "event" itself.
    fields = [f for f in PUBLIC_RECORD_FIELDS if f != "event"]
    with case.reading() as conn:
        total = security_store.published_person_count(conn)
        if person_ids is None:
            person_ids = security_store.published_person_ids(
                conn, limit=PAGE, offset=(max(page, 1) - 1) * PAGE
            )
        rows = security_store.published_records_of_persons(conn, person_ids, fields)
    return total, rows


def public_persons(case: Case, page: int = 1) -> dict[str, Any]:
    total, rows = _published_rows(case, page=page)
    persons: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        persons.setdefault(row["person_id"], []).append(whitelist(row, PUBLIC_RECORD_FIELDS))
    return {
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "persons": [{"person_id": pid, "records": recs} for pid, recs in persons.items()],
    }


def public_person(case: Case, person_id: int) -> dict[str, Any]:
    _total, rows = _published_rows(case, [person_id])
    if not rows:
        raise NotFoundError(f"no published person {person_id}")
    return {"person_id": person_id, "records": [whitelist(r, PUBLIC_RECORD_FIELDS) for r in rows]}
