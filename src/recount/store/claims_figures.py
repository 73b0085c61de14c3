"""What the figures table reads beside the claims: the sex and ages on persons' records (for the
documented counts by group).

Tables: ``records``.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from recount.store.dialect import in_parts
from recount.store.tables import records


def record_traits(
    conn: Connection, person_ids: list[int]
) -> list[tuple[int, str | None, int | None, int | None]]:
    """Person id, sex, age low and age high of every record of ``person_ids``."""
    query = select(records.c.person_id, records.c.sex, records.c.age_low, records.c.age_high)
    found: list[tuple[int, str | None, int | None, int | None]] = []
    for part in in_parts(person_ids):
        found.extend(map(tuple, conn.execute(query.where(records.c.person_id.in_(part)))))
    return found
