"""Relations derived from the columns of imported lists (kept in each record's ``raw``).

Only links that a list states are derived, within one import, and only when they are
unambiguous; everything skipped is reported with its reason. See docs/families.md.

* ``household_id`` with ``household_role`` (head, spouse, child, parent, sibling, other; also
  wife/husband, son/daughter, father/mother, brother/sister): the head and each spouse are
  spouses; the head, and the spouse when there is exactly one, are parents of each child;
  children are siblings; a ``parent`` is the head's parent and the parent of the head's
  siblings; ``sibling``s are siblings of the head and of each other. A household needs exactly
  one head; ``other`` members are in the household but related to no one by it.
* ``father_name`` / ``mother_name``: the parent is the one record of the same import whose given
  name is that name, with the same family name, the same place when both have one, not of the
  other sex, and at least 12 years older when both ages (or both birth years) are known.
  No candidate, or more than one, links nothing.

Names compare by recount's name keys (script and transliteration folded, as linkage does).
Running it again adds nothing: a pair of persons has one relation (``families.conflict``).
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.errors import NotFoundError
from recount.evidence.signing import default_actor_name
from recount.families.relations import Link, conflict, insert_relation, load_links
from recount.names.keys import name_key
from recount.names.transliterate import fold_case, to_ascii, words
from recount.store import families as families_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)

MIN_PARENT_GAP = 12  # years a parent is at least older than a child
COLUMNS = {
    "household": ("household_id", "household", "household_no", "family_id"),
    "role": ("household_role", "role_in_household", "relation_to_head", "relationship_to_head"),
    "father": ("father_name", "fathers_name", "father_s_name", "father"),
    "mother": ("mother_name", "mothers_name", "mother_s_name", "mother"),
}
ROLES = {
    "head": "head",
    "spouse": "spouse",
    "wife": "spouse",
    "husband": "spouse",
    "child": "child",
    "son": "child",
    "daughter": "child",
    "parent": "parent",
    "father": "parent",
    "mother": "parent",
    "sibling": "sibling",
    "brother": "sibling",
    "sister": "sibling",
    "other": "other",
}


@dataclass
class Row:
    id: int
    person_id: int
    ref: str
    import_id: int
    given: str
    family: str
    place: str
    sex: str | None
    age: int | None
    birth: int | None
    columns: dict[str, str]


@dataclass
class DeriveResult:
    imports: list[int]
    added: dict[str, int] = field(default_factory=dict)  # origin → relations added
    already: int = 0  # stated again by the list, already recorded
    skipped: list[dict] = field(default_factory=list)  # {record, rule, reason}
    relation_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class _Writer:
    """Adds relations through the one conflict check, remembering what it added."""

    def __init__(self, conn: Connection, result: DeriveResult, actor: str) -> None:
        self.conn, self.result, self.actor = conn, result, actor
        self.links = load_links(conn)

    def add(self, parent_or_a: Row, kind: str, b: Row, origin: str, note: str) -> None:
        problem = conflict(self.links, kind, parent_or_a.person_id, b.person_id)
        if problem and problem[0] == "duplicate":
            self.result.already += 1
            return
        if problem:
            self.skip(b, origin, f"{kind} {parent_or_a.ref}: {problem[1]}")
            return
        new_id = insert_relation(
            self.conn, parent_or_a.id, kind, b.id, origin, None, note, self.actor
        )
        self.links.append(Link(new_id, kind, parent_or_a.person_id, b.person_id, origin))
        self.result.added[origin] = self.result.added.get(origin, 0) + 1
        self.result.relation_ids.append(new_id)

    def skip(self, row: Row, rule: str, reason: str) -> None:
        self.result.skipped.append({"record": row.ref, "rule": rule, "reason": reason})


def derive_relations(
    case: Case, import_id: int | None = None, source: str | None = None, actor: str | None = None
) -> DeriveResult:
    """Derive relations from one import, a source's imports, or every import (idempotent)."""
    with case.writing() as conn:
        import_ids = _imports(conn, import_id, source)
        result = DeriveResult(import_ids)
        writer = _Writer(conn, result, actor or default_actor_name())
        for current in import_ids:
            rows = _rows(conn, current)
            _households(rows, writer)
            _named_parents(rows, writer, "father")
            _named_parents(rows, writer, "mother")
    log.info(
        "derived relations from imports %s: %s added, %d already there, %d skipped",
        import_ids,
        result.added,
        result.already,
        len(result.skipped),
    )
    return result


def derive_after_import(case: Case, import_id: int | None) -> DeriveResult | None:
    """The family relations a list just imported states (household, parents' names), derived
    at once, as ``recount import`` and ``Case.import_list`` do; None when it states none."""
    if import_id is None or not states_relations(case, import_id):
        return None
    return derive_relations(case, import_id=import_id)


def states_relations(case: Case, import_id: int) -> bool:
    """Whether an import's rows carry household or parents' name columns (its first row's)."""
    with case.reading() as conn:
        raw = families_store.first_record_raw(conn, import_id)
    if raw is None:
        return False
    columns = {_column(name) for name in json.loads(raw)}
    return any(columns & set(names) for what, names in COLUMNS.items() if what != "role")


def _imports(conn: Connection, import_id: int | None, source: str | None) -> list[int]:
    source_id = get_source(conn, source).id if source else None
    found = families_store.import_ids(conn, import_id, source_id)
    if import_id is not None and not found:
        raise NotFoundError(
            f"no import {import_id}"
            + (f" of source {source!r}" if source else "")
            + "; see `recount status`"
        )
    return found


def _rows(conn: Connection, import_id: int) -> list[Row]:
    return [_row(r) for r in families_store.import_records(conn, import_id)]


def _row(r: dict) -> Row:
    columns = {
        _column(k): str(v).strip()
        for k, v in json.loads(r["raw"]).items()
        if v is not None and str(v).strip()
    }
    picked = {
        what: next((columns[n] for n in names if n in columns), "")
        for what, names in COLUMNS.items()
    }
    return Row(
        r["id"],
        r["person_id"],
        f"{r['slug']}:{r['row_number']}",
        r["import_id"],
        name_keys(r["given_name"]),
        name_keys(r["family_name"]),
        fold_case(r["place"] or "").strip(),
        r["sex"],
        r["age_low"],
        r["birth_year_low"],
        picked,
    )


def _column(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def name_keys(text: str | None) -> str:
    return " ".join(name_key(to_ascii(w)) for w in words(text or ""))


# --- households --------------------------------------------------------------------------------


def _households(rows: list[Row], writer: _Writer) -> None:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.columns["household"]:
            groups[row.columns["household"]].append(row)
    for household, members in groups.items():
        roles = _roles(members, household, writer)
        if roles is not None:
            _household(household, roles, writer)


def _roles(members: list[Row], household: str, writer: _Writer) -> dict[str, list[Row]] | None:
    roles: dict[str, list[Row]] = defaultdict(list)
    for row in members:
        role = ROLES.get(fold_case(row.columns["role"]))
        if role is None:
            writer.skip(
                row,
                "household",
                f"household {household!r}: role "
                f"{row.columns['role'] or '(none)'!r} is not one of "
                f"{', '.join(sorted(set(ROLES.values())))}",
            )
            continue
        roles[role].append(row)
    if len(roles["head"]) != 1 and len(members) > 1:
        writer.skip(
            members[0],
            "household",
            f"household {household!r} has "
            f"{len(roles['head'])} heads; a household needs one head to relate members",
        )
        return None
    return roles


def _household(household: str, roles: dict[str, list[Row]], writer: _Writer) -> None:
    if not roles["head"]:
        return
    head, note = roles["head"][0], f"household {household}"
    for spouse in roles["spouse"]:
        writer.add(head, "spouse", spouse, "household", note)
    parents = [head, *roles["spouse"]] if len(roles["spouse"]) == 1 else [head]
    if len(roles["spouse"]) > 1 and roles["child"]:
        writer.skip(
            head,
            "household",
            f"household {household!r} has "
            f"{len(roles['spouse'])} spouses; children are linked to the head only",
        )
    for child in roles["child"]:
        for parent in parents:
            writer.add(parent, "parent", child, "household", note)
    _all_siblings(roles["child"], writer, note)
    for parent in roles["parent"]:
        for child in [head, *roles["sibling"]]:
            writer.add(parent, "parent", child, "household", note)
    _all_siblings([head, *roles["sibling"]], writer, note)


def _all_siblings(rows: list[Row], writer: _Writer, note: str) -> None:
    for i, first in enumerate(rows):
        for second in rows[i + 1 :]:
            writer.add(first, "sibling", second, "household", note)


# --- father's and mother's names ---------------------------------------------------------------


def _named_parents(rows: list[Row], writer: _Writer, parent: str) -> None:
    by_name: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.given and row.family:
            by_name[(row.given, row.family)].append(row)
    origin = f"{parent}-name"
    for row in rows:
        named = row.columns[parent]
        if not named:
            continue
        if not row.family:
            writer.skip(row, origin, "the record has no family name to find its parent by")
            continue
        found = [
            c for c in by_name.get((name_keys(named), row.family), []) if _fits(c, row, parent)
        ]
        if len({c.person_id for c in found}) == 1:
            writer.add(found[0], "parent", row, origin, f"{parent}'s name {named!r}")
        else:
            refs = ", ".join(c.ref for c in found)
            writer.skip(
                row,
                origin,
                f"{parent}'s name {named!r}: "
                + (f"{len(found)} candidates ({refs})" if found else "no candidate"),
            )


def _fits(candidate: Row, child: Row, parent: str) -> bool:
    if candidate.person_id == child.person_id:
        return False
    if candidate.sex == ("F" if parent == "father" else "M"):
        return False
    if candidate.place and child.place and candidate.place != child.place:
        return False
    if candidate.age is not None and child.age is not None:
        return candidate.age - child.age >= MIN_PARENT_GAP
    if candidate.birth is not None and child.birth is not None:
        return child.birth - candidate.birth >= MIN_PARENT_GAP
    return True
