"""The demo's family register: a fictional NGO's list of households, for relations and orphans.

Documentation groups often hold a register of the victims' families (who lived with whom,
who survived). The demo builds one from the simulated population, so that ``recount relation
derive`` has household columns to read and ``recount families`` has something to count:

* households whose head and spouse were both killed (families with no survivor);
* households where the head was killed and the spouse and children survived (children who
  lost one parent), and some where both parents were killed (children who lost both).

Heads and killed spouses are people of the simulated population, written as the population
has them, so linkage joins their register rows to their records in the victims' lists.
Surviving spouses and children are invented here (names borrowed from the population's pools
of the same language) and appear on no victims' list. The register is imported without an
event: it is not a list of victims, so estimates never use it as one. Its truth (row → person)
is appended to the simulation's ``truth.csv``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from recount.simulate.population import EVENT_YEAR, Person
from recount.simulate.simulation import Simulation

REGISTER = "demo-family-register"
REGISTER_NAME = "Families of the valley: household register (fictional NGO)"
COLUMNS = (
    "household_id",
    "household_role",
    "given_name",
    "family_name",
    "patronymic",
    "father_name",
    "sex",
    "birth_year",
    "place",
    "fate",
    "synthetic",
)
WIPED_OUT = 8
WITH_CHILDREN = 16
BOTH_PARENTS_KILLED = 5


@dataclass
class Member:
    person_id: int
    role: str
    person: Person
    fate: str
    father_name: str = ""


def write_family_register(sim: Simulation, folder: Path, seed: int) -> Path:
    """Write the register CSV into ``folder`` and append its truth to ``truth.csv`` there."""
    rng = random.Random(seed + 1)
    households = _households(sim, rng)
    path = folder / f"{REGISTER}.csv"
    rows: list[tuple[int, dict[str, str]]] = []
    for number, members in enumerate(households, start=1):
        for member in members:
            rows.append((member.person_id, _row(f"H{number:03d}", member)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for _, row in rows)
    with (folder / "truth.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            (REGISTER, n, pid) for n, (pid, _) in enumerate(rows, start=1)
        )
    return path


def _households(sim: Simulation, rng: random.Random) -> list[list[Member]]:
    listed = sim.listed
    adults = [p for p in sim.population if p.id in listed and 25 <= EVENT_YEAR - p.birth_year <= 65]
    heads = [p for p in adults if p.sex == "M" and p.fate == "killed"]
    wives = [p for p in adults if p.sex == "F" and p.fate == "killed"]
    rng.shuffle(heads)
    rng.shuffle(wives)
    next_id = max(p.id for p in sim.population) + 1
    households: list[list[Member]] = []
    for index, head in enumerate(heads[: WIPED_OUT + WITH_CHILDREN]):
        members = [Member(head.id, "head", head, head.fate)]
        spouse = _killed_wife(head, wives) if (index < WIPED_OUT + BOTH_PARENTS_KILLED) else None
        if spouse is not None:
            members.append(Member(spouse.id, "spouse", spouse, spouse.fate))
        if index >= WIPED_OUT:
            if spouse is None:
                members.append(
                    Member(next_id, "spouse", _invent(sim, rng, head, "F", 0), "survived")
                )
                next_id += 1
            for _ in range(rng.randint(1, 3)):
                child = _invent(sim, rng, head, rng.choice("MF"), rng.randint(3, 16))
                members.append(Member(next_id, "child", child, "survived", head.given))
                next_id += 1
        households.append(members)
    return households


def _killed_wife(head: Person, wives: list[Person]) -> Person | None:
    for wife in wives:
        if wife.locale == head.locale:
            wives.remove(wife)
            return wife
    return None


def _invent(sim: Simulation, rng: random.Random, head: Person, sex: str, age: int) -> Person:
    """A fictional relative of ``head``: names from people of the same language."""
    same = [p for p in sim.population if p.locale == head.locale and p.sex == sex]
    given = rng.choice(same).given
    family = head.family if age else rng.choice(same).family
    birth_year = EVENT_YEAR - age if age else head.birth_year + rng.randint(-6, 4)
    return Person(
        id=0,
        locale=head.locale,
        sex=sex,
        given=given,
        family=family,
        father=head.given if age else rng.choice(same).father,
        patronymic="",
        birth_year=birth_year,
        fate="survived",
        place=head.place,
        date=head.date,
        hidden=False,
    )


def _row(household: str, member: Member) -> dict[str, str]:
    person = member.person
    return {
        "household_id": household,
        "household_role": member.role,
        "given_name": person.given,
        "family_name": person.family,
        "patronymic": person.patronymic,
        "father_name": member.father_name,
        "sex": person.sex,
        "birth_year": str(person.birth_year),
        "place": person.place,
        "fate": member.fate,
        "synthetic": "yes",
    }
