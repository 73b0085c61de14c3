"""Finding persons: by any spelling of a name, in any script, and by event, fate, status, group,
source.

A person matches when one of its records matches every condition given, and, with ``status``,
when its status now (``recount.families.status``: the latest dated change, else its records' fates)
is that word. Results come a page at
a time, ordered by person id, each with a summary drawn from all of its records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.errors import InvalidValueError
from recount.persons.index import query_terms
from recount.store import persons as persons_store
from recount.vocabulary import FATES

if TYPE_CHECKING:
    from recount.store import Connection

# Groups a list can be filtered by, as conditions on a record's sex and age.
GROUPS: dict[str, dict[str, Any]] = {
    "women": {"sex": "F", "age_low_at_least": 18},
    "men": {"sex": "M", "age_low_at_least": 18},
    "children": {"age_high_below": 18},
    "elderly": {"age_low_at_least": 60},
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

    def criteria(self) -> dict[str, Any] | None:
        """The conditions one of a person's records must meet, checked, as the store's
        ``matching_persons`` takes them; None when the query can match nothing."""
        terms = query_terms(self.q)
        if self.fate and self.fate not in FATES:
            raise InvalidValueError(f"fate {self.fate!r}: expected one of {', '.join(FATES)}")
        if self.group and self.group not in GROUPS:
            raise InvalidValueError(f"group {self.group!r}: expected one of {', '.join(GROUPS)}")
        if self.q.strip() and not terms:
            return None  # a query of no letters matches nothing
        group = GROUPS[self.group] if self.group else {}
        return {
            "name_terms": terms,
            "fate": self.fate or None,
            "sex": group.get("sex"),
            "age_low_at_least": group.get("age_low_at_least"),
            "age_high_below": group.get("age_high_below"),
            "event": self.event or None,
            "source": self.source or None,
            "publishable": self.publishable,
        }


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
    criteria = where.criteria()
    with case.reading() as conn:
        among = _persons_with_status(conn, where.status) if where.status else None
        total, ids = (
            (0, [])
            if criteria is None
            else persons_store.matching_persons(
                conn, **criteria, among=among, limit=per_page, offset=(page - 1) * per_page
            )
        )
        found = person_summaries(conn, ids)
    return PersonPage(total, page, max(1, -(-total // per_page)), found)


def _persons_with_status(conn: Connection, status: str) -> list[int]:
    """The persons whose status now is ``status``: the candidates are the persons with a change
    to it or a record with that fate; their status is then worked out in full."""
    from recount.families.status_state import states_as_of
    from recount.vocabulary import STATUSES, check

    word = check(status, STATUSES, "status")
    candidates = set(persons_store.persons_with_status_or_fate(conn, word))
    states = states_as_of(conn, candidates, None)
    return sorted(pid for pid, state in states.items() if state.status == word)


def person_summaries(conn: Connection, person_ids: list[int]) -> list[dict[str, Any]]:
    """One line per person: names as the sources wrote them, sources, fates, ages, dates."""
    if not person_ids:
        return []
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
    for row in persons_store.summary_rows_of_persons(conn, person_ids):
        entry = by_person[row["person_id"]]
        entry["records"] += 1
        _add(entry["names"], display_name(row))
        _add(entry["sources"], row["slug"])
        _add(entry["fates"], row["fate"])
        _add(entry["sexes"], row["sex"])
        _add(
            entry["ages"],
            None
            if row["age_low"] is None
            else str(row["age_low"])
            if row["age_high"] == row["age_low"]
            else f"{row['age_low']}-{row['age_high']}",
        )
        _add(entry["dates"], row["date_low"])
        _add(entry["places"], row["place"])
    return [by_person[pid] for pid in person_ids if by_person[pid]["records"]]


def _add(values: list, value: Any) -> None:
    if value is not None and value != "" and value not in values:
        values.append(value)


def display_name(row: Any) -> str:
    parts = (row["family_name"], row["given_name"], row["patronymic"])
    return row["full_name"] or " ".join(p for p in parts if p)
