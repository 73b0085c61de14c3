"""Alleged perpetrators: a named person or a group (a unit, a force, an organisation).

An actor is created the first time an act names it and reused afterwards by name (ignoring case
and extra spaces), so that "3rd Battalion" in one act and "3rd battalion" in the next are one
actor whose acts can be listed together. recount records who a source alleges was involved;
an actor is never a finding of guilt.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import InvalidValueError
from recount.store import acts as acts_store
from recount.vocabulary import ACTOR_KINDS, check

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    kind: str
    actor_type: str | None
    created_at: str
    acts: int = 0  # acts it is named in

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def actor_for(conn: Connection, name: str, kind: str | None) -> Actor:
    """The actor called ``name``, created with ``kind`` if it is new."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidValueError("a perpetrator needs a name (--perpetrator)")
    wanted = check(kind, ACTOR_KINDS, "perpetrator kind") if kind else None
    found = _named(conn, clean)
    if found is not None:
        if wanted and wanted != found.kind:
            raise InvalidValueError(f"{found.name!r} is recorded as a {found.kind}, not a {wanted}")
        return found
    if wanted is None:
        raise InvalidValueError(
            f"{clean!r} is new: say whether it is a person or a group (--perpetrator-kind)"
        )
    created = utc_now()
    new_id = acts_store.insert_actor(conn, clean, wanted, created)
    return Actor(new_id, clean, wanted, None, created)


def _named(conn: Connection, name: str) -> Actor | None:
    """The actor whose name is ``name`` ignoring case. Compared here, not in SQL: SQLite's
    lower() folds only ASCII, PostgreSQL's every script, and the case must not depend on its
    engine to know that "Əliyev" and "ƏLIYEV" are one actor. A case names few actors."""
    wanted = name.casefold()
    for row in acts_store.actors_by_id(conn):
        actor = Actor(*row)
        if actor.name.casefold() == wanted:
            return actor
    return None


def list_actors(case: Case) -> list[Actor]:
    with case.reading() as conn:
        return [Actor(*row) for row in acts_store.actors_with_act_counts(conn)]
