"""What the case itself can list for an event: persons by kind of harm and by group.

Beside the claims, the figures table shows how many persons the case can name, each number with
the persons behind it. A person belongs to an event when any of its records does (records are
attached at import, ``--event``) or when it is the victim of an act in the event
(``recount.families.status_state.event_persons``). Its kind of harm is its fate as of the date
asked (``recount.families.status.person_statuses``: the latest dated status change on or before that
date, else what its records say), mapped onto the claim kinds: killed, injured, detained, missing,
displaced. Persons whose sources disagree on the same latest date are *disputed*: they are
counted apart (``disputed``), not put under either kind. Groups come from its records' sex and
age at the event:

* children — every age given is under 18;
* elderly — every age given is 60 or over;
* women / men — sex F / M (by the majority of records that give one), not children.

Civilians, combatants and similar groups cannot be read from a list's fields, so the table
shows no documented count for them rather than a guess.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recount.families.status import person_statuses
from recount.families.status_state import DISPUTED, event_persons
from recount.store import claims_figures as figures_store

if TYPE_CHECKING:
    from recount.store import Connection

# Status words (``recount.vocabulary.STATUSES``) and the claim kind each one counts towards.
KIND_OF_STATUS = {
    "killed": "killed",
    "died in detention": "killed",
    "injured": "injured",
    "detained": "detained",
    "missing": "missing",
    "displaced": "displaced",
    "remains identified": "killed",
}
GROUPS = ("women", "men", "children", "elderly")


@dataclass
class Documented:
    """Persons the case lists for one event, by (kind, group); group None is everyone."""

    persons: dict[tuple[str, str | None], list[int]] = field(default_factory=dict)
    disputed: list[int] = field(default_factory=list)
    families: int = 0  # families with no survivor: their members are under (killed, families)

    def count(self, kind: str, group: str | None) -> int | None:
        if (kind, group) == ("killed", "families"):
            return self.families or None
        if (kind, group) == ("orphaned", "children"):
            return len(self.persons.get((kind, group), [])) or None
        if group is not None and group not in GROUPS:
            return None
        return len(self.persons.get((kind, group), []))

    def person_ids(self, kind: str, group: str | None) -> list[int]:
        return self.persons.get((kind, group), [])


def documented_persons(conn: Connection, event_slugs: list[str], as_of: str | None) -> Documented:
    """Persons of any of ``event_slugs``, by kind of harm (as of ``as_of``) and group."""
    person_ids = sorted(set().union(*(event_persons(conn, slug) for slug in event_slugs)))
    traits = _traits(conn, person_ids)
    statuses = person_statuses(conn, person_ids, as_of)
    found: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    disputed = []
    for person_id in person_ids:
        status = statuses[person_id].status
        if status == DISPUTED:
            disputed.append(person_id)
        kind = KIND_OF_STATUS.get(status)
        if kind is None:
            continue
        found[(kind, None)].append(person_id)
        for group in _groups(traits[person_id]):
            found[(kind, group)].append(person_id)
    return Documented(dict(found), disputed)


Traits = list[tuple[str | None, int | None, int | None]]  # sex, age low, age high per record


def _traits(conn: Connection, person_ids: list[int]) -> dict[int, Traits]:
    traits: dict[int, Traits] = defaultdict(list)
    for person_id, sex, age_low, age_high in figures_store.record_traits(conn, person_ids):
        traits[person_id].append((sex, age_low, age_high))
    return traits


def _groups(traits: Traits) -> list[str]:
    highs = [
        high if high is not None else low
        for _sex, low, high in traits
        if low is not None or high is not None
    ]
    lows = [low for _sex, low, _high in traits if low is not None]
    child = bool(highs) and max(highs) < 18
    groups = ["children"] if child else []
    if lows and min(lows) >= 60:
        groups.append("elderly")
    sexes = Counter(sex for sex, _low, _high in traits if sex in ("F", "M"))
    if sexes and not child:
        (sex, n), *rest = sexes.most_common()
        if not rest or rest[0][1] < n:
            groups.append("women" if sex == "F" else "men")
    return groups
