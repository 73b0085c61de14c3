"""What the case itself can list for an event: persons by kind of harm and by group.

Beside the claims, the figures table shows how many persons the case can name, each number with
the persons behind it. A person belongs to an event when any of its records does (records are
attached at import, ``--event``). Its kind of harm is its fate as of the date asked
(``recount.status.person_statuses``: the latest dated status change on or before that date, else
what its records say), mapped onto the claim kinds: killed, injured, detained, missing,
displaced. Groups come from its records' sex and age at the event:

* children — every age given is under 18;
* elderly — every age given is 60 or over;
* women / men — sex F / M (by the majority of records that give one), not children.

Civilians, combatants and similar groups cannot be read from a list's fields, so the table
shows no documented count for them rather than a guess.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from recount.status import person_statuses
from recount.store.tables import records

# Status words (``recount.vocabulary.STATUSES``) and the claim kind each one counts towards.
KIND_OF_STATUS = {"killed": "killed", "died in detention": "killed", "injured": "injured",
                  "detained": "detained", "missing": "missing", "displaced": "displaced",
                  "remains identified": "killed"}
GROUPS = ("women", "men", "children", "elderly")


@dataclass
class Documented:
    """Persons the case lists for one event, by (kind, group); group None is everyone."""

    persons: dict[tuple[str, str | None], list[int]] = field(default_factory=dict)

    def count(self, kind: str, group: str | None) -> int | None:
        if group is not None and group not in GROUPS:
            return None
        return len(self.persons.get((kind, group), []))

    def person_ids(self, kind: str, group: str | None) -> list[int]:
        return self.persons.get((kind, group), [])


def documented_persons(conn: Connection, event_ids: list[int], as_of: str | None) -> Documented:
    """Persons whose records belong to any of ``event_ids``, by kind of harm and group."""
    rows = conn.execute(select(records.c.person_id, records.c.sex, records.c.age_low,
                               records.c.age_high)
                        .where(records.c.event_id.in_(event_ids))).all()
    traits: dict[int, list[tuple[str | None, int | None, int | None]]] = defaultdict(list)
    for person_id, sex, age_low, age_high in rows:
        traits[person_id].append((sex, age_low, age_high))
    statuses = person_statuses(conn, sorted(traits), as_of)
    found: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for person_id in sorted(traits):
        kind = KIND_OF_STATUS.get(statuses[person_id].status or "")
        if kind is None:
            continue
        found[(kind, None)].append(person_id)
        for group in _groups(traits[person_id]):
            found[(kind, group)].append(person_id)
    return Documented(dict(found))


def _groups(traits: list[tuple[str | None, int | None, int | None]]) -> list[str]:
    highs = [high if high is not None else low for _sex, low, high in traits
             if low is not None or high is not None]
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
