"""Lists of victims as different organisations would compile them from one fictional population.

Who gets listed: each person belongs to a latent class (``hidden`` or not), and each list has a
coverage for each class — heterogeneous capture, the reason naive capture–recapture fails. Lists
may also depend on lists made before them (a newspaper copying an NGO's list): the log-odds of
being listed move by ``depends_on[earlier]`` for people the earlier list has. So the true
inclusion probability of person *i* on list *k* is

    logit P(i ∈ k) = logit coverage_k[class_i] + Σ_{j<k} γ_kj · 1[i ∈ j].

How they are written: every list has its own conventions (script, romanisation habits, name
order, full name or separate parts, patronymic or not, how age and date are given, which fields
go missing, typos, duplicate rows). A ``ListSpec`` is plain data describing them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from recount.simulate.population import Person
from recount.simulate.scripts import to_cyrillic, to_latin, typo

CANONICAL_COLUMNS = (
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "age",
    "birth_year",
    "date",
    "place",
    "fate",
)


@dataclass(frozen=True)
class ListSpec:
    slug: str
    name: str
    kind: str
    coverage: tuple[float, float]  # P(listed) for (visible, hidden) people
    depends_on: dict[str, float] = field(default_factory=dict)
    script: str = "official"  # official | latin | cyrillic | native
    order: str = "family_first"  # family_first | given_first
    layout: str = "full"  # full (one full_name column) | parts (given/family/patronymic)
    patronymic: bool = True
    habits: dict[str, int] = field(default_factory=dict)
    typo_rate: float = 0.0
    age_style: str = "exact"  # exact | approx | range | birth_year
    age_error: float = 0.0  # share of ages off by 1-3 years
    missing: dict[str, float] = field(default_factory=dict)  # canonical field → share blank
    date_style: str = "iso"  # iso | dotted | month | text
    duplicate_rate: float = 0.0
    columns: dict[str, str] = field(default_factory=dict)  # canonical → this list's header
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {canonical: word}
    encoding: str = "utf-8"
    delimiter: str = ","

    def header(self) -> list[str]:
        return [self.columns.get(c, c) for c in self.fields()] + ["synthetic"]

    def fields(self) -> list[str]:
        names = (
            ["family_name", "given_name"] + (["patronymic"] if self.patronymic else [])
            if self.layout == "parts"
            else ["full_name"]
        )
        if self.order == "given_first" and self.layout == "parts":
            names[0], names[1] = names[1], names[0]
        age = "birth_year" if self.age_style == "birth_year" else "age"
        return [*names, "sex", age, "date", "place", "fate"]


def capture(
    people: list[Person], specs: list[ListSpec], rng: random.Random
) -> dict[str, list[Person]]:
    """Who each list records (before duplicates), following the model in the module docstring."""
    listed: dict[str, set[int]] = {}
    result: dict[str, list[Person]] = {}
    for spec in specs:
        chosen = []
        for person in people:
            logit = _logit(spec.coverage[1 if person.hidden else 0])
            logit += sum(
                gamma for other, gamma in spec.depends_on.items() if person.id in listed[other]
            )
            if rng.random() < 1 / (1 + math.exp(-logit)):
                chosen.append(person)
        listed[spec.slug] = {p.id for p in chosen}
        result[spec.slug] = chosen
    return result


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def render_rows(
    spec: ListSpec, people: list[Person], rng: random.Random
) -> list[tuple[int, dict[str, str]]]:
    """(person id, row) for each line of the list, duplicates included, in the list's order."""
    rows = []
    for person in people:
        rows.append((person.id, render(spec, person, rng)))
        if rng.random() < spec.duplicate_rate:
            rows.append((person.id, render(spec, person, rng)))
    rng.shuffle(rows)
    return rows


def render(spec: ListSpec, person: Person, rng: random.Random) -> dict[str, str]:
    """One row for ``person`` as ``spec``'s compiler would write it."""
    parts = {
        "given_name": _name(spec, person, person.given, rng),
        "family_name": _name(spec, person, person.family, rng),
        "patronymic": _patronymic(spec, person, rng) if spec.patronymic else "",
    }
    values = dict(parts)
    if spec.layout == "full":
        order = (
            ("family_name", "given_name", "patronymic")
            if spec.order == "family_first"
            else ("given_name", "family_name", "patronymic")
        )
        values = {"full_name": " ".join(parts[k] for k in order if parts[k])}
    values.update(
        sex=person.sex,
        age=_age(spec, person, rng),
        birth_year=str(person.birth_year),
        date=_date(spec, person),
        place=_place(spec, person),
        fate=person.fate,
    )
    row = {}
    for name in spec.fields():
        value = values[name]
        if rng.random() < spec.missing.get(name, 0.0):
            value = ""
        value = spec.values.get(name, {}).get(value, value)
        row[spec.columns.get(name, name)] = value
    row["synthetic"] = "yes"
    return row


def _name(spec: ListSpec, person: Person, name: str, rng: random.Random) -> str:
    written = _script(spec, person, name)
    return typo(written, rng) if rng.random() < spec.typo_rate else written


def _script(spec: ListSpec, person: Person, name: str) -> str:
    if spec.script == "native" or (
        spec.script == "official" and person.locale in ("az_AZ", "hr_HR")
    ):
        return name
    if spec.script == "cyrillic":
        spelled = to_cyrillic(name, person.locale).replace("\u02bc", "'")
        return spelled.replace("Оглу", "оглы").replace("оглу", "оглы").replace("Гызы", "кызы")
    return to_latin(name, person.locale, spec.habits)


def _place(spec: ListSpec, person: Person) -> str:
    return to_cyrillic(person.place, "") if spec.script == "cyrillic" else person.place


def _patronymic(spec: ListSpec, person: Person, rng: random.Random) -> str:
    if person.patronymic:
        return _name(spec, person, person.patronymic, rng)
    return ""


def _age(spec: ListSpec, person: Person, rng: random.Random) -> str:
    age = person.age
    if rng.random() < spec.age_error:
        age = max(0, age + rng.choice([-3, -2, -1, 1, 2, 3]))
    if spec.age_style == "approx" and age >= 10:
        return f"about {5 * round(age / 5)}"
    if spec.age_style == "range" and age >= 10:
        low = 5 * (age // 5)
        return f"{low}-{low + 4}"
    return str(age)


def _date(spec: ListSpec, person: Person) -> str:
    day = person.date
    if spec.date_style == "dotted":
        return day.strftime("%d.%m.%Y")
    if spec.date_style == "month":
        return day.strftime("%Y-%m")
    if spec.date_style == "text":
        return f"{day.day} {day.strftime('%B %Y')}"
    return day.isoformat()
