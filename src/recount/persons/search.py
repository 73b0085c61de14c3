"""Finding persons: by any spelling of a name, in any script, and by event, fate, status, group,
source.

A person matches when one of its records matches every condition given, and, with ``status``,
when its status now (``recount.families.status``: the latest dated change, else its records' fates)
is that word. Results come a page at
a time, ordered by person id, each with a summary drawn from all of its records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select

from recount.case.folder import Case
from recount.errors import InvalidValueError
from recount.persons.index import query_terms
from recount.store.dialect import starts_with
from recount.store.tables import (
    events,
    name_tokens,
    publishable_records,
    records,
    sources,
    status_changes,
)
from recount.vocabulary import FATES

# Groups a list can be filtered by, as conditions on a record's sex and age.
GROUPS = {
    "women": and_(records.c.sex == "F", records.c.age_low >= 18),
    "men": and_(records.c.sex == "M", records.c.age_low >= 18),
    "children": records.c.age_high < 18,
    "elderly": records.c.age_low >= 60,
}
PAGE = 50


@dataclass
class PersonFilter:
    q: str = ""
    event: str | None = None
    fate: str | None = None
    group: str | None = None
    source: str | None = None
    status: str | None = None
    publishable: bool = False  # only persons with a record marked publishable

    def conditions(self) -> list[ColumnElement]:
        found: list[ColumnElement] = []
        for key_token, ascii_token in query_terms(self.q):
            matching = select(name_tokens.c.record_id).where(
                or_(name_tokens.c.token == key_token, starts_with(name_tokens.c.token, ascii_token))
            )
            found.append(records.c.id.in_(matching))
        if self.q.strip() and not found:
            found.append(records.c.id.is_(None))  # a query of no letters matches nothing
        if self.fate:
            if self.fate not in FATES:
                raise InvalidValueError(f"fate {self.fate!r}: expected one of {', '.join(FATES)}")
            found.append(records.c.fate == self.fate)
        if self.group:
            if self.group not in GROUPS:
                raise InvalidValueError(
                    f"group {self.group!r}: expected one of {', '.join(GROUPS)}"
                )
            found.append(GROUPS[self.group])
        if self.event:
            found.append(
                records.c.event_id.in_(select(events.c.id).where(events.c.slug == self.event))
            )
        if self.source:
            found.append(
                records.c.source_id.in_(select(sources.c.id).where(sources.c.slug == self.source))
            )
        if self.publishable:
            found.append(records.c.id.in_(select(publishable_records.c.record_id)))
        return found


@dataclass
class PersonPage:
    total: int
    page: int
    pages: int
    persons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def search_persons(
    case: Case, where: PersonFilter, page: int = 1, per_page: int = PAGE
) -> PersonPage:
    page = max(page, 1)
    conditions = where.conditions()
    with case.reading() as conn:
        if where.status:
            conditions.append(_with_status(conn, where.status))
        ids_query = (
            select(records.c.person_id)
            .where(*conditions)
            .group_by(records.c.person_id)
            .order_by(records.c.person_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        count_query = select(func.count(func.distinct(records.c.person_id))).where(*conditions)
        total = conn.execute(count_query).scalar_one()
        ids = list(conn.execute(ids_query).scalars())
        found = person_summaries(conn, ids)
    return PersonPage(total, page, max(1, -(-total // per_page)), found)


def _with_status(conn: Connection, status: str) -> ColumnElement:
    """Records of persons whose status now is ``status``: the candidates are the persons with a
    change to it or a record with that fate; their status is then worked out in full."""
    from recount.families.status_state import states_as_of
    from recount.vocabulary import STATUSES, check

    word = check(status, STATUSES, "status")
    changed = (
        select(records.c.person_id)
        .join(status_changes, status_changes.c.record_id == records.c.id)
        .where(status_changes.c.status == word)
    )
    stated = select(records.c.person_id).where(records.c.fate == word)
    candidates = set(conn.execute(changed.union(stated)).scalars())
    states = states_as_of(conn, candidates, None)
    matching = sorted(pid for pid, state in states.items() if state.status == word)
    # The ids as literals, not one parameter each: SQLite caps the parameters of a statement.
    return records.c.person_id.in_(
        bindparam("status_ids", matching, expanding=True, literal_execute=True)
    )


def person_summaries(
    conn: Any, person_ids: list[int], only_records: ColumnElement | None = None
) -> list[dict[str, Any]]:
    """One line per person: names as the sources wrote them, sources, fates, ages, dates."""
    if not person_ids:
        return []
    query = (
        select(
            records.c.person_id,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            records.c.sex,
            records.c.age_low,
            records.c.age_high,
            records.c.fate,
            records.c.date_low,
            records.c.place,
            sources.c.slug,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.person_id.in_(person_ids))
        .order_by(records.c.id)
    )
    if only_records is not None:
        query = query.where(only_records)
    by_person: dict[int, dict[str, Any]] = {
        pid: {
            "person_id": pid,
            "names": [],
            "sources": [],
            "fates": [],
            "sexes": [],
            "ages": [],
            "dates": [],
            "places": [],
            "records": 0,
        }
        for pid in person_ids
    }
    for row in conn.execute(query):
        entry = by_person[row.person_id]
        entry["records"] += 1
        _add(entry["names"], display_name(row._mapping))
        _add(entry["sources"], row.slug)
        _add(entry["fates"], row.fate)
        _add(entry["sexes"], row.sex)
        _add(
            entry["ages"],
            None
            if row.age_low is None
            else str(row.age_low)
            if row.age_high == row.age_low
            else f"{row.age_low}-{row.age_high}",
        )
        _add(entry["dates"], row.date_low)
        _add(entry["places"], row.place)
    return [by_person[pid] for pid in person_ids if by_person[pid]["records"]]


def _add(values: list, value: Any) -> None:
    if value is not None and value != "" and value not in values:
        values.append(value)


def display_name(row: Any) -> str:
    parts = (row["family_name"], row["given_name"], row["patronymic"])
    return row["full_name"] or " ".join(p for p in parts if p)
