"""Family relations between persons: parent, child, spouse, sibling.

A relation is stored between two records (``relations``) and read between the persons those
records belong to now, so it follows both people through re-linking. ``parent`` is directed
(``record_id`` is a parent of ``other_record_id``); ``child`` is stored as the inverse parent;
``spouse`` and ``sibling`` are stored once, in either direction.

One pair of persons has at most one relation, a person has at most two parents, and nobody is
related to themselves; ``conflict`` is the one check, used by hand entry (which refuses) and by
derivation from lists (which skips and says why). Derived counts are in ``families_counts``,
derivation from imported lists in ``families_import``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError
from recount.evidence.signing import default_actor_name
from recount.families.status_state import load_records
from recount.persons.anchors import anchor_record, persons_of
from recount.store import families as families_store
from recount.vocabulary import RELATION_KINDS, check

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    """A relation read between persons: for ``parent``, ``a`` is a parent of ``b``."""

    relation_id: int
    kind: str
    a: int
    b: int
    origin: str

    def joins(self, x: int, y: int) -> bool:
        return {self.a, self.b} == {x, y}


def load_links(conn: Connection, person_ids: Iterable[int] | None = None) -> list[Link]:
    """Relations between the persons their records belong to now (touching ``person_ids``)."""
    return [Link(*row) for row in families_store.relation_links(conn, person_ids)]


def conflict(links: Iterable[Link], kind: str, a: int, b: int) -> tuple[str, str] | None:
    """Why ``a kind b`` cannot be added: ("duplicate" | "contradiction", message), or None."""
    if a == b:
        return "contradiction", f"both name person {a}; nobody is related to themselves"
    for link in links:
        if link.a == link.b or not link.joins(a, b):
            continue  # a link inside one person (after a merge) says nothing about a pair
        if link.kind == kind and (kind != "parent" or (link.a, link.b) == (a, b)):
            return "duplicate", f"already recorded (relation {link.relation_id})"
        return "contradiction", (
            f"persons {a} and {b} are already related: {_says(link)} "
            f"(relation {link.relation_id}); a pair has one relation"
        )
    if kind == "parent":
        parents = sorted(
            {link.a for link in links if link.kind == "parent" and link.b == b and link.a != b}
        )
        if len(parents) >= 2:
            return "contradiction", (
                f"person {b} already has two parents ({', '.join(map(str, parents))})"
            )
    return None


def _says(link: Link) -> str:
    if link.kind == "parent":
        return f"{link.a} is a parent of {link.b}"
    return f"{link.a} and {link.b} are {'spouses' if link.kind == 'spouse' else 'siblings'}"


@dataclass(frozen=True)
class Relation:
    id: int
    kind: str
    person_id: int
    person_name: str
    other_person_id: int
    other_name: str
    record: str  # SOURCE:ROW the relation is anchored on
    other_record: str
    origin: str
    source: str | None
    note: str | None
    created_by: str
    created_at: str

    def to_dict(self) -> dict:
        return asdict(self)


def add_relation(
    case: Case,
    person: str,
    kind: str,
    other: str,
    source: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Relation:
    """``person`` KIND ``other``: "A parent B" means A is B's parent, "A child B" B is A's."""
    word = check(kind, RELATION_KINDS, "relation kind")
    with case.writing() as conn:
        first, second = anchor_record(conn, person), anchor_record(conn, other)
        if word == "child":
            word, first, second = "parent", second, first
        owners = persons_of(conn, [first, second])
        a, b = owners[first], owners[second]
        problem = conflict(load_links(conn, [a, b]), word, a, b)
        if problem is not None:
            error = DuplicateError if problem[0] == "duplicate" else InvalidValueError
            raise error(f"{person} {kind} {other}: {problem[1]}; nothing was stored")
        source_id = get_source(conn, source).id if source else None
        new_id = insert_relation(
            conn, first, word, second, "hand", source_id, note, actor or default_actor_name()
        )
        found = _relations(conn, [new_id])[0]
    log.info("relation %s: %s %s %s", new_id, a, word, b)
    return found


def insert_relation(
    conn: Connection,
    record_id: int,
    kind: str,
    other_record_id: int,
    origin: str,
    source_id: int | None,
    note: str | None,
    actor: str,
) -> int:
    return families_store.insert_relation(
        conn, record_id, kind, other_record_id, origin, source_id, note or None, actor, utc_now()
    )


def list_relations(case: Case, person: str | None = None) -> list[Relation]:
    """Every relation, or those of one person (by id or SOURCE:ROW)."""
    with case.reading() as conn:
        if person is None:
            ids = families_store.relation_ids(conn)
        else:
            record_id = anchor_record(conn, person)
            person_id = persons_of(conn, [record_id])[record_id]
            ids = [link.relation_id for link in load_links(conn, [person_id])]
        return _relations(conn, ids)


def _relations(conn: Connection, ids: list[int]) -> list[Relation]:
    if not ids:
        return []
    rows = families_store.relations_by_id(conn, ids)
    recs = load_records(conn, {r["a"] for r in rows} | {r["b"] for r in rows})
    by_id = {rec.id: rec for person_recs in recs.values() for rec in person_recs}
    names = {pid: person_recs[0].name for pid, person_recs in recs.items()}
    return [
        Relation(
            r["id"],
            r["kind"],
            r["a"],
            names.get(r["a"], ""),
            r["b"],
            names.get(r["b"], ""),
            by_id[r["record_id"]].ref,
            by_id[r["other_record_id"]].ref,
            r["origin"],
            r["slug"],
            r["note"],
            r["created_by"],
            r["created_at"],
        )
        for r in rows
    ]
