"""The table Splink links: one row per record, with names turned into comparable features.

Splink has no transliteration or phonetic functions, so everything script-dependent is
computed here, in Python, once per record (``recount.names``). The rest is plain columns that
every Splink backend compares the same way.

Columns (``FEATURE_TYPES``):

============== ===================================================================
unique_id      the record's id in the case
source         the source's slug (Splink's ``source_dataset``)
name_keys      convention-free keys of the personal-name words, sorted (order-free)
name_key_pairs every pair of those keys ("ali mamadov"): a blocking key that needs two
               shared words, so common single names do not make huge blocks
name_cons      the keys without vowels (matches Arabic script to its romanisation)
name_cons_pairs every pair of those, for blocking
name_prefix_pairs every pair of the keys' first three letters (typos late in a word)
name_sorted    all keys in one string, for an exact level with term frequencies
name_ascii     the ASCII words, sorted, in one string, for Jaro–Winkler
father         key of the father's name, from any patronymic form
sex            M, F or null (U counts as unknown)
birth_year     birth year, or incident year minus age, at the middle of any range
date_low/high  the incident's date interval (ISO), from the record's date and precision
place          the incident place, folded to a key
is_new         set by incremental runs: imported since the last run
block_keys     name_keys without the very common ones, for one-key blocking rules
name_single    the key of a one-word name (else null): its term frequency weighs the
               "one name within the other" level (a list that gave only a first name)
============== ===================================================================
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.linkage.settings import extra_feature
from recount.names.keys import name_key
from recount.names.parse import name_features
from recount.names.transliterate import to_ascii, words
from recount.store import linkage as linkage_store

if TYPE_CHECKING:
    from recount.store import Connection

# Column → kind ("int", "text", "keys" = list of text, "bool"): the schema every backend gets.
FEATURE_TYPES = {
    "unique_id": "int",
    "source": "text",
    "name_keys": "keys",
    "name_key_pairs": "keys",
    "name_cons": "keys",
    "name_cons_pairs": "keys",
    "name_prefix_pairs": "keys",
    "name_sorted": "text",
    "name_ascii": "text",
    "father": "text",
    "sex": "text",
    "birth_year": "int",
    "date_low": "text",
    "date_high": "text",
    "place": "text",
    "is_new": "bool",
    "block_keys": "keys",
    "name_single": "text",
}


def record_features(row: dict[str, Any], extra_columns: tuple[str, ...] = ()) -> dict[str, Any]:
    """The linkage features of one record (a mapping of the records table's columns, with
    ``raw`` when ``extra_columns`` are asked for)."""
    names = name_features(
        row["full_name"], row["given_name"], row["family_name"], row["patronymic"]
    )
    keys = list(names.keys)
    return {
        "unique_id": row["id"],
        "source": row["source"],
        "name_keys": keys,
        "name_key_pairs": [f"{a} {b}" for a, b in combinations(keys, 2)],
        "name_cons": list(names.consonants),
        "name_cons_pairs": [f"{a} {b}" for a, b in combinations(names.consonants, 2)],
        "name_prefix_pairs": sorted({f"{a[:3]} {b[:3]}" for a, b in combinations(keys, 2)}),
        "name_sorted": names.sorted_key or None,
        "name_ascii": " ".join(sorted(names.tokens)) or None,
        "father": names.father,
        "sex": row["sex"] if row["sex"] in ("M", "F") else None,
        "birth_year": _birth_year(row),
        "date_low": row["date_low"],
        "date_high": row["date_high"],
        "place": _place_key(row["place"]),
        "is_new": False,
        "block_keys": keys,  # narrowed by cap_common_keys before blocking
        "name_single": keys[0] if len(keys) == 1 else None,
        **_extra(row, extra_columns),
    }


def _extra(row: dict[str, Any], extra_columns: tuple[str, ...]) -> dict[str, str | None]:
    if not extra_columns:
        return {}
    raw = json.loads(row["raw"])
    values = {}
    for column in extra_columns:
        value = raw.get(column)
        text = " ".join(str(value).split()).casefold() if value is not None else ""
        values[extra_feature(column)] = text or None
    return values


def _birth_year(row: dict[str, Any]) -> int | None:
    if row["birth_year_low"] is not None:
        high = (
            row["birth_year_high"] if row["birth_year_high"] is not None else row["birth_year_low"]
        )
        return (row["birth_year_low"] + high) // 2
    if row["age_low"] is None or row["date_low"] is None:
        return None
    age_high = row["age_high"] if row["age_high"] is not None else row["age_low"]
    return int(row["date_low"][:4]) - (row["age_low"] + age_high) // 2


def _place_key(place: str | None) -> str | None:
    if not place:
        return None
    key = " ".join(name_key(to_ascii(w)) for w in words(place))
    return key or None


def cap_common_keys(features: list[dict[str, Any]], cap: int, pair_cap: int) -> None:
    """Drop keys held by more than ``cap`` records, and key pairs (whole, vowel-less or
    prefix) held by more than ``pair_cap``, from the blocking columns, in place. A block grows
    with the square of its records (a million-record case has common names in tens of
    thousands of records); such records are still scored when another rule brings them
    together (a shared father's name, birth year or place)."""
    key_counts = Counter(k for f in features for k in f["name_keys"])
    for f in features:
        f["block_keys"] = [k for k in f["name_keys"] if key_counts[k] <= cap]
    for column in ("name_key_pairs", "name_cons_pairs", "name_prefix_pairs"):
        counts = Counter(p for f in features for p in f[column])
        for f in features:
            f[column] = [p for p in f[column] if counts[p] <= pair_cap]


def load_features(
    case: Case, record_ids: set[int] | None = None, extra_columns: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Features of the case's records (or of ``record_ids`` only), ordered by record id."""
    with case.reading() as conn:
        return read_features(conn, record_ids, extra_columns)


def read_features(
    conn: Connection, record_ids: set[int] | None = None, extra_columns: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """:func:`load_features` in the caller's transaction."""
    rows = linkage_store.feature_rows(conn, record_ids, with_raw=bool(extra_columns))
    return [record_features(row, extra_columns) for row in rows]
