"""A fictional population harmed in a fictional event, with names from several cultures.

Everything here is invented: the place (the Vendara valley and its villages), the event, and
every person. Names are drawn from Faker's locales, so they are realistic and repeat the way real
names do (common names are shared by different people, which linkage must not merge).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

# Locale → share of the population. bs_BA in Faker yields English names, so Croatian (hr_HR)
# stands in for a Latin-with-diacritics South Slavic list.
LOCALES = {
    "az_AZ": 0.40,
    "ru_RU": 0.15,
    "hy_AM": 0.15,
    "uk_UA": 0.08,
    "ar_AA": 0.08,
    "ka_GE": 0.07,
    "hr_HR": 0.07,
}
PLACES = ["Vendara", "Tamrash", "Oskelu", "Benari", "Yuzgal", "Keshtar", "Dorvani"]
FATES = {"killed": 0.55, "injured": 0.17, "detained": 0.12, "missing": 0.16}
EVENT_START = date(1994, 3, 10)
EVENT_DAYS = 4
EVENT_YEAR = EVENT_START.year
POOL_SIZE = 400

SYNTHETIC_NOTE = "SYNTHETIC: fictional people, place and event made by recount.simulate"


@dataclass(frozen=True)
class Person:
    id: int
    locale: str
    sex: str  # M | F
    given: str
    family: str
    father: str  # father's given name
    patronymic: str  # as the person's own culture writes it (may be empty)
    birth_year: int
    fate: str
    place: str
    date: date
    hidden: bool  # latent class: harder for every list to see

    @property
    def age(self) -> int:
        return EVENT_YEAR - self.birth_year


class NamePools:
    """Given and family names per locale and sex, drawn once from Faker for speed."""

    def __init__(self, seed: int, size: int = POOL_SIZE) -> None:
        self.pools: dict[tuple[str, str, str], list[str]] = {}
        for locale in LOCALES:
            fake = Faker(locale)
            fake.seed_instance(seed)
            for sex, given, family in (
                ("M", fake.first_name_male, _family(fake, "M")),
                ("F", fake.first_name_female, _family(fake, "F")),
            ):
                self.pools[(locale, sex, "given")] = _distinct(given, size)
                self.pools[(locale, sex, "family")] = _distinct(family, size)
            if locale in ("ru_RU", "uk_UA"):
                self.pools[(locale, "M", "middle")] = _distinct(fake.middle_name_male, size)
                self.pools[(locale, "F", "middle")] = _distinct(fake.middle_name_female, size)

    def draw(self, rng: random.Random, locale: str, sex: str, part: str) -> str:
        return rng.choice(self.pools[(locale, sex, part)])


def _family(fake: Faker, sex: str):
    method = f"last_name_{'male' if sex == 'M' else 'female'}"
    return getattr(fake, method, fake.last_name)


def _distinct(generate, size: int) -> list[str]:
    seen: dict[str, None] = {}
    for _ in range(size * 3):
        seen[generate()] = None
        if len(seen) >= size:
            break
    return list(seen)


def _patronymic(pools: NamePools, rng: random.Random, locale: str, sex: str, father: str) -> str:
    if locale == "az_AZ":
        return f"{father} {'oğlu' if sex == 'M' else 'qızı'}"
    if locale in ("ru_RU", "uk_UA"):
        return pools.draw(rng, locale, sex, "middle")
    if locale == "ar_AA":
        return f"{'بن' if sex == 'M' else 'بنت'} {father}"
    return ""  # Armenian, Georgian, Croatian lists give the father's name, not a patronymic


def make_population(size: int, seed: int, hidden_share: float = 0.35) -> list[Person]:
    """``size`` fictional people; reproducible for a given seed."""
    rng = random.Random(seed)
    pools = NamePools(seed)
    locales, weights = list(LOCALES), list(LOCALES.values())
    fates, fate_weights = list(FATES), list(FATES.values())
    people = []
    for person_id in range(1, size + 1):
        locale = rng.choices(locales, weights)[0]
        sex = "M" if rng.random() < 0.62 else "F"
        father = pools.draw(rng, locale, "M", "given")
        people.append(
            Person(
                id=person_id,
                locale=locale,
                sex=sex,
                given=pools.draw(rng, locale, sex, "given"),
                family=pools.draw(rng, locale, sex, "family"),
                father=father,
                patronymic=_patronymic(pools, rng, locale, sex, father),
                birth_year=EVENT_YEAR - min(int(rng.gammavariate(2.2, 14)), 95),
                fate=rng.choices(fates, fate_weights)[0],
                place=rng.choice(PLACES),
                date=EVENT_START + timedelta(days=rng.randrange(EVENT_DAYS)),
                hidden=rng.random() < hidden_share,
            )
        )
    return people
