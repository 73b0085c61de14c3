"""From a record's name fields to comparable features: tokens, keys, father's name.

Lists split names differently (one full-name column, or family / given / patronymic), order them
differently (family first or given first) and write patronymics in many forms:

* Azerbaijani and other Turkic: ``Həsən oğlu`` / ``Гасан оглы`` / ``Hasan ogly`` (son of Hasan),
  ``qızı`` / ``кызы`` / ``kyzy`` (daughter of);
* East Slavic: ``Гасанович`` / ``Gasanovich`` / ``-ovna`` / ``-evich`` / ``-evna``,
  Ukrainian ``-ovych`` / ``-ivna``;
* Arabic: ``bin`` / ``ibn`` / ``bint`` / ``بن`` / ``بنت`` before the father's name.

So a record's personal-name tokens are compared **as a set**, whatever column or position they
came from, and the father's name is pulled out wherever it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recount.names.keys import consonant_key, name_key, phonetic
from recount.names.transliterate import to_ascii, words

SON_DAUGHTER_OF = {
    "oglu",
    "ogly",
    "oghlu",
    "ogli",
    "oglou",
    "uly",
    "ulu",
    "kizi",
    "kyzy",
    "qizi",
    "gizi",
    "gyzy",
    "kizy",
    "ghizi",
    "qyzy",
}
CHILD_OF = {"bin", "ibn", "bint", "bn", "bnt", "ben", "ibnu"}
_SLAVIC_PATRONYMIC = re.compile(
    r"^(?P<father>[a-z]{2,}?)(?:ovich|evich|ovych|evych|ovna|evna|ivna|ich|ichna|ych)$"
)


@dataclass(frozen=True)
class NameFeatures:
    """What linkage compares about a record's name."""

    tokens: tuple[str, ...]  # ASCII forms of personal-name words, in the record's order
    keys: tuple[str, ...]  # convention-free keys, sorted, distinct: an order-free name
    consonants: tuple[str, ...]  # keys without vowels, sorted, distinct (matches Arabic script)
    phonetic: tuple[str, ...]  # metaphone codes, sorted, distinct
    father: str | None  # key of the father's name, from a patronymic wherever written

    @property
    def sorted_key(self) -> str:
        """All keys in one string, order-free: equal for Ali Hasanov and Hasanov Ali."""
        return " ".join(self.keys)


def name_features(
    full_name: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    patronymic: str | None = None,
) -> NameFeatures:
    """Features of one record's name fields (any may be missing)."""
    tokens: list[str] = []
    father: str | None = None
    for field, slavic in ((family_name, False), (given_name, False), (full_name, True)):
        if field:
            field_tokens, field_father = _split_patronymic(
                [to_ascii(w) for w in words(field)], slavic
            )
            tokens += field_tokens
            father = father or field_father
    if patronymic:
        pat_tokens = [to_ascii(w) for w in words(patronymic)]
        rest, pat_father = _split_patronymic(pat_tokens, slavic=True, alone=True)
        father = pat_father or (rest[0] if rest else None) or father
    tokens = [t for t in tokens if t]
    keys = sorted({name_key(t) for t in tokens} - {""})
    return NameFeatures(
        tokens=tuple(tokens),
        keys=tuple(keys),
        consonants=tuple(sorted({consonant_key(k) for k in keys} - {""})),
        phonetic=tuple(sorted({phonetic(t) for t in tokens} - {""})),
        father=name_key(father) if father else None,
    )


def _split_patronymic(
    tokens: list[str], slavic: bool, alone: bool = False
) -> tuple[list[str], str | None]:
    """Personal-name tokens and the father's name (ASCII), if the tokens hold a patronymic.

    A Slavic -ovich/-ovna word is taken as a patronymic only in a patronymic column
    (``alone``) or inside a full name of three or more words, not first: South Slavic family
    names end the same way (Marković → markovich)."""
    for i, token in enumerate(tokens):
        if token in SON_DAUGHTER_OF and i > 0:
            return tokens[: i - 1] + tokens[i + 1 :], tokens[i - 1]
        if token in CHILD_OF and i + 1 < len(tokens):
            return tokens[:i] + tokens[i + 2 :], tokens[i + 1]
    if not slavic or not (alone or len(tokens) >= 3):
        return tokens, None
    for i, token in enumerate(tokens):
        match = _SLAVIC_PATRONYMIC.match(token)
        if match and (alone or i > 0) and len(token) > 6:
            return tokens[:i] + tokens[i + 1 :], match.group("father")
    return tokens, None
